package io.downline.ledger.web;

import io.downline.identity.api.Caller;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.downline.ledger.api.LedgerModels.BankAccountRequest;
import io.downline.ledger.api.LedgerModels.BankAccountView;
import io.downline.ledger.api.LedgerModels.BankVerificationRequest;
import io.downline.ledger.api.LedgerModels.DecisionRequest;
import io.downline.ledger.api.LedgerModels.PaidRequest;
import io.downline.ledger.api.LedgerModels.PayoutBatchView;
import io.downline.ledger.api.LedgerModels.WithdrawalRequest;
import io.downline.ledger.api.LedgerModels.WithdrawalView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.ledger.app.WithdrawalService;

@Path("/")
@Tag(name = "Withdrawals")
public class WithdrawalResource {

    private static final String STATUS_DESCRIPTION = "Only withdrawals in this status";

    private final WithdrawalService withdrawals;
    private final SecurityIdentity identity;

    public WithdrawalResource(WithdrawalService withdrawals, SecurityIdentity identity) {
        this.withdrawals = withdrawals;
        this.identity = identity;
    }

    @PUT
    @Path("wallet/bank-account")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "saveMyBankAccount", summary = "Set the caller's payout bank account (verified by finance before use)")
    @APIResponse(responseCode = "200", description = "The account, pending verification")
    public Uni<BankAccountView> saveMyBankAccount(@Valid @NotNull BankAccountRequest request) {
        return withdrawals.saveMyBankAccount(userId(), request);
    }

    @GET
    @Path("wallet/bank-account")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "getMyBankAccount", summary = "The caller's payout bank account, masked")
    @APIResponse(responseCode = "200", description = "The account")
    public Uni<BankAccountView> getMyBankAccount() {
        return withdrawals.myBankAccount(userId());
    }

    @GET
    @Path("members/{code}/bank-account")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN, Roles.SUPPORT })
    @Operation(operationId = "getMemberBankAccount", summary = "A member's payout bank account, masked")
    @APIResponse(responseCode = "200", description = "The account")
    public Uni<BankAccountView> getMemberBankAccount(@PathParam("code") @Parameter(example = "DL00000421") String code) {
        return withdrawals.bankAccountOf(code);
    }

    @POST
    @Path("members/{code}/bank-account/verification")
    @RolesAllowed({ Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "verifyMemberBankAccount", summary = "Mark a member's bank account verified (never one's own)",
            description = "The verifier types the number and IFSC from the member's documents; 409 unless they match the pending "
                    + "account on file, so an account changed meanwhile is never verified unseen.")
    @APIResponse(responseCode = "200", description = "The verified account")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<BankAccountView> verifyMemberBankAccount(@PathParam("code") @Parameter(example = "DL00000421") String code,
            @Valid @NotNull BankVerificationRequest request) {
        return withdrawals.verifyBankAccount(code, request, userId(), actor());
    }

    @POST
    @Path("withdrawals")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "requestWithdrawal", summary = "Withdraw to the caller's verified bank account; the amount is held at once",
            description = "At least the company's minimum and within its daily limit; the fee is kept from the payout. 422 when the "
                    + "available balance does not cover it, the daily limit would be passed, or the key was used for another request.")
    @APIResponse(responseCode = "201", description = "Requested and held",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WithdrawalView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "InsufficientFunds")
    public Uni<Response> requestWithdrawal(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(required = true, description = WalletResource.KEY_DESCRIPTION,
                    example = WalletResource.KEY_EXAMPLE) String key,
            @Valid @NotNull WithdrawalRequest request) {
        return withdrawals.request(userId(), actor(), key, request).map(WalletResource::created);
    }

    @GET
    @Path("wallet/withdrawals")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "listMyWithdrawals", summary = "The caller's withdrawals, newest first")
    @APIResponse(responseCode = "200", description = "A page of withdrawals")
    public Uni<Page<WithdrawalView>> listMyWithdrawals(
            @QueryParam("status") @Parameter(description = STATUS_DESCRIPTION, example = "REQUESTED", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "REQUESTED", "APPROVED", "REJECTED", "IN_BATCH", "PAID", "FAILED" })) WithdrawalStatus status,
            @Valid @BeanParam PageRequest page) {
        return withdrawals.mine(userId(), status == null ? null : status.name(), page);
    }

    @GET
    @Path("wallet/withdrawals/{id}")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "getMyWithdrawal", summary = "One of the caller's withdrawals")
    @APIResponse(responseCode = "200", description = "The withdrawal")
    public Uni<WithdrawalView> getMyWithdrawal(@PathParam("id") @Parameter(example = "77") long id) {
        return withdrawals.mineById(userId(), id);
    }

    @GET
    @Path("withdrawals")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN })
    @Operation(operationId = "listWithdrawals", summary = "All withdrawals, newest first (finance)")
    @APIResponse(responseCode = "200", description = "A page of withdrawals")
    public Uni<Page<WithdrawalView>> listWithdrawals(
            @QueryParam("status") @Parameter(description = STATUS_DESCRIPTION, example = "REQUESTED", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "REQUESTED", "APPROVED", "REJECTED", "IN_BATCH", "PAID", "FAILED" })) WithdrawalStatus status,
            @Valid @BeanParam PageRequest page) {
        return withdrawals.all(status == null ? null : status.name(), page);
    }

    @GET
    @Path("withdrawals/{id}")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN })
    @Operation(operationId = "getWithdrawal", summary = "A withdrawal (finance)")
    @APIResponse(responseCode = "200", description = "The withdrawal")
    public Uni<WithdrawalView> getWithdrawal(@PathParam("id") @Parameter(example = "77") long id) {
        return withdrawals.find(id);
    }

    @POST
    @Path("withdrawals/{id}/approval")
    @RolesAllowed(Roles.FINANCE)
    @Operation(operationId = "approveWithdrawal", summary = "Approve a requested withdrawal (never one's own request)")
    @APIResponse(responseCode = "200", description = "Approved")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<WithdrawalView> approveWithdrawal(@PathParam("id") @Parameter(example = "77") long id) {
        return withdrawals.approve(id, actor());
    }

    @POST
    @Path("withdrawals/{id}/rejection")
    @RolesAllowed(Roles.FINANCE)
    @Operation(operationId = "rejectWithdrawal", summary = "Reject a requested withdrawal; the hold is released")
    @APIResponse(responseCode = "200", description = "Rejected")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<WithdrawalView> rejectWithdrawal(@PathParam("id") @Parameter(example = "77") long id, @Valid @NotNull DecisionRequest request) {
        return withdrawals.reject(id, actor(), request.reason());
    }

    @POST
    @Path("payout-batches")
    @RolesAllowed(Roles.FINANCE)
    @Operation(operationId = "createPayoutBatch", summary = "Put every approved withdrawal into a new payout batch")
    @APIResponse(responseCode = "201", description = "The batch",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PayoutBatchView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<Response> createPayoutBatch() {
        return withdrawals.createBatch(actor()).map(batch -> Response.status(201).entity(batch).build());
    }

    @GET
    @Path("payout-batches/{id}")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN })
    @Operation(operationId = "getPayoutBatch", summary = "A payout batch and its withdrawals")
    @APIResponse(responseCode = "200", description = "The batch")
    public Uni<PayoutBatchView> getPayoutBatch(@PathParam("id") @Parameter(example = "12") long id) {
        return withdrawals.batch(id);
    }

    @GET
    @Path("payout-batches/{id}/file")
    @RolesAllowed(Roles.FINANCE)
    @Produces("text/csv")
    @Operation(operationId = "getPayoutFile", summary = "The batch as a bank bulk-transfer CSV")
    @APIResponse(responseCode = "200", description = "CSV with a header row", content = @Content(mediaType = "text/csv",
            schema = @Schema(type = SchemaType.STRING, example = "PaymentType,BeneficiaryName,BeneficiaryAccount,IFSC,Amount,Currency,Reference,Narration\n")))
    public Uni<Response> getPayoutFile(@PathParam("id") @Parameter(example = "12") long id) {
        return withdrawals.batchFile(id).map(csv -> Response.ok(csv)
                .header("Content-Disposition", "attachment; filename=\"payout-batch-" + id + ".csv\"").build());
    }

    @POST
    @Path("withdrawals/{id}/paid")
    @RolesAllowed(Roles.FINANCE)
    @Operation(operationId = "markWithdrawalPaid", summary = "The bank paid it: the hold is posted to the ledger")
    @APIResponse(responseCode = "200", description = "Paid")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<WithdrawalView> markWithdrawalPaid(@PathParam("id") @Parameter(example = "77") long id, @Valid @NotNull PaidRequest request) {
        return withdrawals.markPaid(id, actor(), request.bankReference());
    }

    @POST
    @Path("withdrawals/{id}/failed")
    @RolesAllowed(Roles.FINANCE)
    @Operation(operationId = "markWithdrawalFailed", summary = "The bank could not pay it: the hold is voided and the money is available again")
    @APIResponse(responseCode = "200", description = "Failed")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<WithdrawalView> markWithdrawalFailed(@PathParam("id") @Parameter(example = "77") long id, @Valid @NotNull DecisionRequest request) {
        return withdrawals.markFailed(id, actor(), request.reason());
    }

    /** Where a withdrawal stands. */
    public enum WithdrawalStatus {
        REQUESTED, APPROVED, REJECTED, IN_BATCH, PAID, FAILED
    }

    private UUID userId() {
        return Caller.of(identity).userId();
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
