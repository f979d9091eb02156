package io.downline.tds.web;

import io.downline.identity.api.Caller;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;


import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.common.CsvFiles;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.downline.ledger.api.LedgerModels.Form16AView;
import io.downline.ledger.api.LedgerModels.Form26QView;
import io.downline.ledger.api.LedgerModels.TaxProfileRequest;
import io.downline.ledger.api.LedgerModels.TaxProfileView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.ledger.api.LedgerModels;
import io.downline.tds.store.VerificationQueue;
import io.downline.tds.app.TdsService;

@Path("/")
@Tag(name = "TDS")
public class TdsResource {

    private final TdsService tds;
    private final VerificationQueue queue;
    private final SecurityIdentity identity;

    public TdsResource(TdsService tds, VerificationQueue queue, SecurityIdentity identity) {
        this.tds = tds;
        this.queue = queue;
        this.identity = identity;
    }

    @GET
    @Path("verification-queue")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN })
    @Operation(operationId = "listVerificationQueue", summary = "PANs not yet operative, or bank accounts not yet verified, with their KYC documents",
            description = "Each item names the member's latest PAN card (kind=PAN) or bank proof (kind=BANK_ACCOUNT) and its review state. "
                    + "An approved PAN card makes the PAN operative by itself; a bank account is verified by typing what the bank proof shows.")
    @APIResponse(responseCode = "200", description = "A page of members waiting, in member order")
    public Uni<Page<VerificationQueue.Item>> listVerificationQueue(
            @QueryParam("kind") @NotNull @Parameter(required = true, example = "BANK_ACCOUNT") VerificationQueue.Kind kind,
            @Valid @BeanParam PageRequest page) {
        return queue.list(kind, page);
    }

    @GET
    @Path("wallet/tax-profile")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "getMyTaxProfile", summary = "The caller's PAN (masked) and TDS rate")
    @APIResponse(responseCode = "200", description = "The profile")
    public Uni<TaxProfileView> getMyTaxProfile() {
        return tds.myProfile(userId());
    }

    @PUT
    @Path("wallet/tax-profile")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "saveMyTaxProfile", summary = "Set the caller's PAN")
    @APIResponse(responseCode = "200", description = "The profile")
    public Uni<TaxProfileView> saveMyTaxProfile(@Valid @NotNull TaxProfileRequest request) {
        return tds.saveMine(userId(), request, identity.getPrincipal().getName());
    }

    @GET
    @Path("members/{code}/tax-profile")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN, Roles.SUPPORT })
    @Operation(operationId = "getMemberTaxProfile", summary = "A member's PAN (masked) and TDS rate")
    @APIResponse(responseCode = "200", description = "The profile")
    public Uni<TaxProfileView> getMemberTaxProfile(@PathParam("code") @Parameter(example = "DL00000421") String code) {
        return tds.profileOf(code);
    }

    @PUT
    @Path("members/{code}/tax-profile")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN })
    @Operation(operationId = "saveMemberTaxProfile", summary = "Set a member's PAN and whether it is operative")
    @APIResponse(responseCode = "200", description = "The profile")
    public Uni<TaxProfileView> saveMemberTaxProfile(@PathParam("code") @Parameter(example = "DL00000421") String code,
            @Valid @NotNull TaxProfileRequest request) {
        return tds.save(code, request, identity.getPrincipal().getName());
    }

    @GET
    @Path("tds/returns/{financialYear}/{quarter}")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN })
    @Operation(operationId = "getTdsReturn", summary = "A quarter's deductions per deductee, as the quarterly return (Form 26Q) needs them")
    @APIResponse(responseCode = "200", description = "The return's deductee rows")
    public Uni<Form26QView> getTdsReturn(@PathParam("financialYear") @Parameter(example = "2026-27") String financialYear,
            @PathParam("quarter") @Parameter(description = "1 (Apr-Jun) to 4 (Jan-Mar)", example = "3") int quarter) {
        return tds.quarterlyReturn(financialYear, quarter);
    }

    @GET
    @Path("tds/returns/{financialYear}/{quarter}/file")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN })
    @Produces("text/csv")
    @Operation(operationId = "getTdsReturnFile", summary = "A quarter's deductee rows (Form 26Q) as CSV, for the return preparation utility")
    @APIResponse(responseCode = "200", description = "CSV with a header row", content = @Content(mediaType = "text/csv",
            schema = @Schema(type = SchemaType.STRING, example = "SerialNo,PAN,DeducteeName,MemberCode,Section,DateOfCredit,DateOfDeduction,"
                    + "AmountPaidOrCredited,RatePercent,TaxDeducted,CatchUp,Remark\n")))
    public Uni<Response> getTdsReturnFile(@PathParam("financialYear") @Parameter(example = "2026-27") String financialYear,
            @PathParam("quarter") @Parameter(description = "1 (Apr-Jun) to 4 (Jan-Mar)", example = "3") int quarter) {
        return tds.quarterlyReturn(financialYear, quarter).map(view -> Response.ok(csv(view)).header("Content-Disposition",
                "attachment; filename=\"26Q-" + view.financialYear() + "-Q" + quarter + ".csv\"").build());
    }

    @GET
    @Path("wallet/tds-certificates/{financialYear}/{quarter}")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "getMyTdsCertificate", summary = "The caller's TDS certificate data for a quarter (Form 16A)")
    @APIResponse(responseCode = "200", description = "The certificate data")
    public Uni<Form16AView> getMyTdsCertificate(@PathParam("financialYear") @Parameter(example = "2026-27") String financialYear,
            @PathParam("quarter") @Parameter(example = "3") int quarter) {
        return tds.myCertificate(userId(), financialYear, quarter);
    }

    @GET
    @Path("members/{code}/tds-certificates/{financialYear}/{quarter}")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN })
    @Operation(operationId = "getMemberTdsCertificate", summary = "A member's TDS certificate data for a quarter (Form 16A)")
    @APIResponse(responseCode = "200", description = "The certificate data")
    public Uni<Form16AView> getMemberTdsCertificate(@PathParam("code") @Parameter(example = "DL00000421") String code,
            @PathParam("financialYear") @Parameter(example = "2026-27") String financialYear,
            @PathParam("quarter") @Parameter(example = "3") int quarter) {
        return tds.certificateOf(code, financialYear, quarter);
    }

    private static String csv(Form26QView view) {
        List<List<?>> rows = new ArrayList<>();
        for (LedgerModels.Form26QRow row : view.deductees()) {
            rows.add(Arrays.asList(rows.size() + 1, row.pan(), row.deducteeName(), row.memberCode(), row.section(), row.creditedOn(),
                    row.deductedOn(), row.amount().amountText(), row.ratePercent().toPlainString(), row.tax().amountText(), row.catchUp() ? "Y" : "N", row.remark()));
        }
        return CsvFiles.write(List.of("SerialNo", "PAN", "DeducteeName", "MemberCode", "Section", "DateOfCredit", "DateOfDeduction",
                "AmountPaidOrCredited", "RatePercent", "TaxDeducted", "CatchUp", "Remark"), rows);
    }

    private UUID userId() {
        return Caller.of(identity).userId();
    }
}
