package io.downline.commerce.web;

import java.time.LocalDate;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.common.security.Roles;
import io.downline.common.validation.StorableDate;
import io.smallrye.mutiny.Uni;
import io.downline.commerce.app.ReportService;

@Path("/reports")
@Tag(name = "Commerce")
public class ReportResource {

    private final ReportService reports;

    public ReportResource(ReportService reports) {
        this.reports = reports;
    }

    @GET
    @Path("sales")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "getSalesReport", summary = "Sales and tax reconciliation by country, region, warehouse and month",
            description = "Taxable value, CGST, SGST, UTGST, IGST and VAT of the invoices, the same of the credit notes, and the net.")
    @APIResponse(responseCode = "200", description = "The report")
    public Uni<ReportService.SalesReport> getSalesReport(
            @QueryParam("from") @StorableDate @NotNull @Parameter(description = "First invoice date, inclusive", example = "2026-11-01") LocalDate from,
            @QueryParam("to") @StorableDate @NotNull @Parameter(description = "Last invoice date, inclusive", example = "2026-11-30") LocalDate to,
            @QueryParam("country") @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 country code")
            @Parameter(description = "Only this country", example = "IN") String country) {
        return reports.sales(from, to, country);
    }

    @GET
    @Path("sales.csv")
    @Produces("text/csv")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "getSalesReportCsv", summary = "The sales and tax reconciliation as CSV")
    @APIResponse(responseCode = "200", description = "One row per country, region, warehouse and month",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING,
                    example = "country,region,warehouse,period,currency,invoices,taxable,cgst,sgst,utgst,igst,vat,credit_notes,credited_taxable,"
                            + "credited_cgst,credited_sgst,credited_utgst,credited_igst,credited_vat,net_taxable,net_tax\n"
                            + "IN,32,MUM-1,2026-11,INR,42,42000.00,0.00,0.00,0.00,7560.00,0.00,3,3000.00,0.00,0.00,0.00,540.00,0.00,39000.00,7020.00\n")))
    public Uni<Response> getSalesReportCsv(
            @QueryParam("from") @StorableDate @NotNull @Parameter(description = "First invoice date, inclusive", example = "2026-11-01") LocalDate from,
            @QueryParam("to") @StorableDate @NotNull @Parameter(description = "Last invoice date, inclusive", example = "2026-11-30") LocalDate to,
            @QueryParam("country") @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 country code")
            @Parameter(description = "Only this country", example = "IN") String country) {
        return reports.sales(from, to, country).map(report -> Response.ok(ReportService.csv(report), "text/csv")
                .header("Content-Disposition", "attachment; filename=\"sales-" + from + "-" + to + ".csv\"").build());
    }
}
