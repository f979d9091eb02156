package io.downline.tds.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.downline.common.security.Roles;
import io.downline.ledger.api.LedgerModels.CreditBatchRequest;
import io.downline.ledger.api.LedgerModels.CreditBatchView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.tds.api.CommissionCredits;

/** Commission credits posted by hand or by an external engine, with TDS deducted (the ledger's journal records them). */
@Path("ledger/commission-credits")
@Tag(name = "Ledger")
public class CommissionCreditResource {

    private final CommissionCredits credits;
    private final SecurityIdentity identity;

    public CommissionCreditResource(CommissionCredits credits, SecurityIdentity identity) {
        this.credits = credits;
        this.identity = identity;
    }

    @POST
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "postCommissionCredits", summary = "Credit commissions in one transaction, deducting TDS",
            description = "For the commission engine: up to 20,000 credits, each posted at most once by its source reference. TDS "
                    + "is deducted per the dated rules and the deductee's PAN, with catch-up when the year's total crosses the threshold.")
    @APIResponse(responseCode = "200", description = "What was posted")
    public Uni<CreditBatchView> postCommissionCredits(@Valid @NotNull CreditBatchRequest request) {
        return credits.post(request, actor());
    }


    private String actor() {
        return identity.getPrincipal().getName();
    }
}
