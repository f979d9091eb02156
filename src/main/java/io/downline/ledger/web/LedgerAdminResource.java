package io.downline.ledger.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.security.Roles;
import io.downline.ledger.api.LedgerModels.AdjustmentRequest;
import io.downline.ledger.api.LedgerModels.CreditBatchRequest;
import io.downline.ledger.api.LedgerModels.CreditBatchView;
import io.downline.ledger.api.LedgerModels.ReversalRequest;
import io.downline.ledger.api.LedgerModels.SettingsRequest;
import io.downline.ledger.api.LedgerModels.SettingsView;
import io.downline.ledger.api.LedgerModels.TransactionView;
import io.downline.ledger.api.LedgerModels.VerificationView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.ledger.app.LedgerService;

@Path("ledger")
@Tag(name = "Ledger")
public class LedgerAdminResource {

    private final LedgerService ledger;
    private final SecurityIdentity identity;

    public LedgerAdminResource(LedgerService ledger, SecurityIdentity identity) {
        this.ledger = ledger;
        this.identity = identity;
    }

    @POST
    @Path("adjustments")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "createAdjustment", summary = "Credit or debit a wallet by hand, with the reason (audited)")
    @APIResponse(responseCode = "201", description = "Posted",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TransactionView.class)))
    @APIResponse(responseCode = "422", ref = "InsufficientFunds")
    public Uni<Response> createAdjustment(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(required = true, description = WalletResource.KEY_DESCRIPTION,
                    example = WalletResource.KEY_EXAMPLE) String key,
            @Valid @NotNull AdjustmentRequest request) {
        return ledger.adjust(actor(), key, request).map(WalletResource::created);
    }

    @GET
    @Path("transactions/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "getLedgerTransaction", summary = "A journal transaction with its legs")
    @APIResponse(responseCode = "200", description = "The transaction")
    public Uni<TransactionView> getLedgerTransaction(@PathParam("id") @Parameter(example = "1187") long id) {
        return ledger.transactionView(id);
    }

    @POST
    @Path("transactions/{id}/reversal")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "reverseTransaction", summary = "Post the reversing transaction of a transaction (at most once)",
            description = "Entries are never changed: the reversal is a new transaction with every leg negated. 409 when it was "
                    + "already reversed; 422 when a wallet no longer holds what the reversal takes back.")
    @APIResponse(responseCode = "201", description = "The reversal",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TransactionView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "InsufficientFunds")
    public Uni<Response> reverseTransaction(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(required = true, description = WalletResource.KEY_DESCRIPTION,
                    example = WalletResource.KEY_EXAMPLE) String key,
            @PathParam("id") @Parameter(example = "1187") long id, @Valid @NotNull ReversalRequest request) {
        return ledger.reverse(actor(), key, id, request).map(WalletResource::created);
    }

    @POST
    @Path("verification")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "verifyLedger", summary = "Recompute every hash chain, balance and transaction; report the first mismatch")
    @APIResponse(responseCode = "200", description = "The result")
    public Uni<VerificationView> verifyLedger() {
        return ledger.verify();
    }

    @GET
    @Path("settings")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "getLedgerSettings", summary = "The company's money rules: transfers, fees, withdrawal limits")
    @APIResponse(responseCode = "200", description = "The settings")
    public Uni<SettingsView> getLedgerSettings() {
        return ledger.settings();
    }

    @PUT
    @Path("settings")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "updateLedgerSettings", summary = "Change the company's money rules (audited)")
    @APIResponse(responseCode = "200", description = "The new settings")
    public Uni<SettingsView> updateLedgerSettings(@Valid @NotNull SettingsRequest request) {
        return ledger.updateSettings(request, actor());
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
