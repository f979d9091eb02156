package io.downline.tax.web;

import io.downline.identity.api.Caller;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.downline.tax.api.Gstin;
import io.downline.tax.api.InvoiceDocument;
import io.downline.tax.app.InvoicePdf;
import io.downline.tax.app.Irn;
import io.downline.tax.api.Invoices.Stored;
import io.downline.tax.store.InvoiceIssuer;

/** Issued invoices and credit notes as JSON, PDF and e-invoice JSON. A distributor sees only their own. */
@Path("/invoices/{id}")
@Tag(name = "Invoices")
public class InvoiceResource {

    private static final String ID = "7d1c0b5e-61a2-4f0e-9b57-0c9b1f1a2d55";
    private static final String E_INVOICE_EXAMPLE = """
            {"Version": "1.1", "Irn": "3f7a6c1d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918071",
             "TranDtls": {"TaxSch": "GST", "SupTyp": "B2B", "RegRev": "N", "IgstOnIntra": "N"},
             "DocDtls": {"Typ": "INV", "No": "MH/2526/000042", "Dt": "21/11/2025"},
             "SellerDtls": {"Gstin": "27AAPFU0939F1ZV", "LglNm": "Downline Wellness Pvt Ltd", "Addr1": "Plot 12, MIDC, Andheri East",
                            "Loc": "Mumbai", "Pin": 400093, "Stcd": "27"},
             "BuyerDtls": {"Gstin": "32AAACR5055K1ZG", "LglNm": "Arjun Nair", "Pos": "32", "Addr1": "14 MG Road", "Loc": "Kochi",
                           "Pin": 682016, "Stcd": "32"},
             "ItemList": [{"SlNo": "1", "PrdDesc": "Protein Shake 500 g", "IsServc": "N", "HsnCd": "21069099", "Qty": 2, "Unit": "NOS",
                           "UnitPrice": 500.00, "TotAmt": 1000.00, "Discount": 0.00, "AssAmt": 1000.00, "GstRt": 18.00,
                           "IgstAmt": 180.00, "CgstAmt": 0.00, "SgstAmt": 0.00, "TotItemVal": 1180.00}],
             "ValDtls": {"AssVal": 1000.00, "CgstVal": 0.00, "SgstVal": 0.00, "IgstVal": 180.00, "RndOffAmt": 0.00, "TotInvVal": 1180.00}}
            """;

    private final Invoices invoices;

    public InvoiceResource(Invoices invoices) {
        this.invoices = invoices;
    }

    @GET
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "getInvoice", summary = "A tax invoice or credit note, with every Rule 46 field")
    @APIResponse(responseCode = "200", description = "The document as issued")
    public Uni<InvoiceDocument> getInvoice(@PathParam("id") @Parameter(example = ID) UUID id) {
        return invoices.visible(id).map(Stored::document);
    }

    @GET
    @Path("pdf")
    @Produces("application/pdf")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "getInvoicePdf", summary = "The document as a PDF")
    @APIResponse(responseCode = "200", description = "The PDF",
            content = @Content(mediaType = "application/pdf", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Uni<Response> getInvoicePdf(@PathParam("id") @Parameter(example = ID) UUID id) {
        return invoices.visible(id).emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .map(stored -> Response.ok(InvoicePdf.render(stored.document()), "application/pdf")
                        .header("Content-Disposition", "inline; filename=\"" + stored.document().number().replace('/', '-') + ".pdf\"")
                        .build());
    }

    @GET
    @Path("e-invoice")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "getEInvoice", summary = "The e-invoice JSON (INV-01 version 1.1) of a B2B document, with its IRN")
    @APIResponse(responseCode = "200", description = "The e-invoice",
            content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT,
                    description = "INV-01 1.1: Version, Irn, TranDtls, DocDtls, SellerDtls, BuyerDtls, ItemList, ValDtls"),
                    example = E_INVOICE_EXAMPLE))
    public Uni<Response> getEInvoice(@PathParam("id") @Parameter(example = ID) UUID id) {
        return invoices.visible(id).map(stored -> {
            if (stored.eInvoiceJson() == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "This document is B2C: it has no e-invoice.");
            }
            // the stored text as it is, so decimals keep their scale (18.00, not 18.0)
            return Response.ok(stored.eInvoiceJson().getBytes(java.nio.charset.StandardCharsets.UTF_8), MediaType.APPLICATION_JSON).build();
        });
    }

    /** Reads a document and checks the caller may see it. */
    @ApplicationScoped
    public static class Invoices {

        private final InvoiceIssuer issuer;
        private final Pool pool;
        private final SecurityIdentity identity;

        public Invoices(InvoiceIssuer issuer, Pool pool, SecurityIdentity identity) {
            this.issuer = issuer;
            this.pool = pool;
            this.identity = identity;
        }

        Uni<Stored> visible(UUID id) {
            boolean staff = identity.hasRole(Roles.ADMIN) || identity.hasRole(Roles.FINANCE) || identity.hasRole(Roles.SUPPORT);
            UUID userId = Caller.of(identity).userId();
            return issuer.stored(pool, id).map(stored -> {
                if (stored == null || !(staff || stored.ownerUserId().equals(userId))) {
                    throw new ProblemException(ProblemType.NOT_FOUND, "No invoice " + id + " that you may see.");
                }
                return stored;
            });
        }
    }
}
