package io.downline.commission.web;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.commission.api.CommissionModels.DeadLetterView;
import io.downline.commission.app.DeadLetters;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Events the commission engine set aside, for the staff who fix their cause. */
@Path("/commission/dead-letters")
@Tag(name = "Commissions")
public class DeadLetterResource {

    private final DeadLetters deadLetters;
    private final IdempotencyService idempotency;
    private final SecurityIdentity identity;

    public DeadLetterResource(DeadLetters deadLetters, IdempotencyService idempotency, SecurityIdentity identity) {
        this.deadLetters = deadLetters;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "listCommissionDeadLetters", summary = "Events the commission engine could not handle, newest first",
            description = "Each was acknowledged so that the events after it are paid; its reason says what to fix.")
    @APIResponse(responseCode = "200", description = "A page of dead letters")
    public Uni<Page<DeadLetterView>> listCommissionDeadLetters(@Valid @BeanParam PageRequest page) {
        return deadLetters.list(page);
    }

    @POST
    @Path("{id}/replay")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "replayCommissionDeadLetter", summary = "Handle a dead-lettered event again, once its cause is fixed",
            description = "Runs the event through normal processing in one transaction: its commissions are credited at most once, "
                    + "however often the replay is asked for. A replayed letter records who replayed it and when (409 "
                    + "already-replayed afterwards). An event that still fails stays dead-lettered with the new reason (409 "
                    + "replay-failed), and nothing of the attempt is paid.")
    @APIResponse(responseCode = "200", description = "Replayed: the letter with who replayed it and when",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeadLetterView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> replayCommissionDeadLetter(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe") String idempotencyKey,
            @PathParam("id") @Parameter(description = "The dead letter", example = "7") long id) {
        return idempotency.run(idempotencyKey, "replayCommissionDeadLetter", Map.of("id", id),
                () -> deadLetters.replay(id, identity.getPrincipal().getName()).map(view -> Response.ok(view).build()));
    }
}
