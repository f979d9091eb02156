package io.downline.ledger.web;

import io.downline.identity.api.Caller;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
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

import io.downline.common.CsvFiles;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.security.Roles;
import io.downline.common.validation.StorableDate;
import io.downline.ledger.api.LedgerModels.BalanceView;
import io.downline.ledger.api.LedgerModels.StatementEntry;
import io.downline.ledger.api.LedgerModels.TransactionType;
import io.downline.ledger.api.LedgerModels.TransferRequest;
import io.downline.ledger.api.LedgerModels.TransferView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.ledger.app.LedgerService;

@Path("/")
@Tag(name = "Wallet")
public class WalletResource {

    static final String KEY_DESCRIPTION = "Required: makes the money movement happen once; a repeat returns the first result";
    static final String KEY_EXAMPLE = "5b1f0c7e-9a43-4d2b-8f8e-1c2d3e4f5a6b";
    private static final int CSV_ROWS = 50_000;

    private final LedgerService ledger;
    private final SecurityIdentity identity;

    public WalletResource(LedgerService ledger, SecurityIdentity identity) {
        this.ledger = ledger;
        this.identity = identity;
    }

    @GET
    @Path("wallet")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "getMyWallet", summary = "The caller's wallet: posted, held and available")
    @APIResponse(responseCode = "200", description = "The wallet")
    public Uni<BalanceView> getMyWallet() {
        return ledger.myBalance(userId());
    }

    @GET
    @Path("wallet/statement")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "getMyStatement", summary = "The caller's wallet entries, newest first, with the running balance")
    @APIResponse(responseCode = "200", description = "A page of entries")
    public Uni<Page<StatementEntry>> getMyStatement(
            @QueryParam("type") @Parameter(description = "Only these transaction types", example = "TRANSFER",
                    schema = @Schema(type = SchemaType.ARRAY, implementation = String.class)) List<TransactionType> types,
            @QueryParam("from") @StorableDate @Parameter(description = "Posted at or after (ISO 8601)", example = "2026-11-01T00:00:00Z") Instant from,
            @QueryParam("to") @StorableDate @Parameter(description = "Posted before (ISO 8601)", example = "2026-12-01T00:00:00Z") Instant to,
            @Valid @BeanParam PageRequest page) {
        return ledger.myStatement(userId(), names(types), from, to, page);
    }

    @GET
    @Path("wallet/statement/csv")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Produces("text/csv")
    @Operation(operationId = "exportMyStatement", summary = "The caller's wallet entries in a date range as CSV (at most 50,000 rows)")
    @APIResponse(responseCode = "200", description = "CSV with a header row",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING,
                    example = "sequence,postedAt,transactionId,type,reference,note,amount,balanceAfter,currency\n")))
    public Uni<Response> exportMyStatement(
            @QueryParam("type") @Parameter(description = "Only these transaction types", example = "TRANSFER",
                    schema = @Schema(type = SchemaType.ARRAY, implementation = String.class)) List<TransactionType> types,
            @QueryParam("from") @StorableDate @NotNull @Parameter(description = "Posted at or after (ISO 8601)", example = "2026-11-01T00:00:00Z") Instant from,
            @QueryParam("to") @StorableDate @NotNull @Parameter(description = "Posted before (ISO 8601)", example = "2026-12-01T00:00:00Z") Instant to) {
        if (!from.isBefore(to)) {
            throw ProblemException.invalidField("to", "must be after from");
        }
        return ledger.myStatementRange(userId(), names(types), from, to, CSV_ROWS).map(entries -> Response.ok(csv(entries))
                .header("Content-Disposition", "attachment; filename=\"statement.csv\"").build());
    }

    @POST
    @Path("wallet/transfers")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "createTransfer", summary = "Send money from the caller's wallet to another distributor",
            description = "Only when the company allows transfers; the company's transfer fee is taken from the sender on top of the "
                    + "amount. 422 when the available balance does not cover amount + fee, or when the key was used for another request.")
    @APIResponse(responseCode = "201", description = "Posted",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TransferView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "InsufficientFunds")
    public Uni<Response> createTransfer(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(required = true, description = KEY_DESCRIPTION, example = KEY_EXAMPLE) String key,
            @Valid @NotNull TransferRequest request) {
        return ledger.transfer(userId(), identity.getPrincipal().getName(), key, request).map(WalletResource::created);
    }

    @GET
    @Path("members/{code}/wallet")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "getMemberWallet", summary = "A member's wallet (staff)")
    @APIResponse(responseCode = "200", description = "The wallet")
    public Uni<BalanceView> getMemberWallet(@PathParam("code") @Parameter(example = "DL00000421") String code) {
        return ledger.balanceOf(code);
    }

    @GET
    @Path("members/{code}/wallet/statement")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "getMemberStatement", summary = "A member's wallet entries, newest first (staff)")
    @APIResponse(responseCode = "200", description = "A page of entries")
    public Uni<Page<StatementEntry>> getMemberStatement(@PathParam("code") @Parameter(example = "DL00000421") String code,
            @QueryParam("type") @Parameter(description = "Only these transaction types", example = "COMMISSION",
                    schema = @Schema(type = SchemaType.ARRAY, implementation = String.class)) List<TransactionType> types,
            @QueryParam("from") @StorableDate @Parameter(description = "Posted at or after (ISO 8601)", example = "2026-11-01T00:00:00Z") Instant from,
            @QueryParam("to") @StorableDate @Parameter(description = "Posted before (ISO 8601)", example = "2026-12-01T00:00:00Z") Instant to,
            @Valid @BeanParam PageRequest page) {
        return ledger.statementOf(code, names(types), from, to, page);
    }

    /** The transaction types a statement can be filtered by. */
    static Response created(LedgerService.Posted<?> posted) {
        Response.ResponseBuilder response = Response.status(201).entity(posted.view());
        if (posted.replayed()) {
            response.header(IdempotencyService.REPLAYED_HEADER, "true");
        }
        return response.build();
    }

    private UUID userId() {
        return Caller.of(identity).userId();
    }

    private static List<String> names(List<TransactionType> types) {
        return types == null ? null : types.stream().map(Enum::name).toList();
    }

    private static String csv(List<StatementEntry> entries) {
        return CsvFiles.write(List.of("sequence", "postedAt", "transactionId", "type", "reference", "note", "amount", "balanceAfter", "currency"),
                entries.stream().<List<?>>map(e -> java.util.Arrays.asList(e.sequence(), e.postedAt(), e.transactionId(), e.type(), e.reference(),
                        e.note(), e.amount().amountText(), e.balanceAfter().amountText(), e.amount().currency())).toList());
    }
}
