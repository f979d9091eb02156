package io.downline.grievance.web;

import io.downline.identity.api.Caller;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.downline.grievance.app.GrievanceModels.GrievanceView;
import io.downline.grievance.app.GrievanceModels.NewGrievance;
import io.downline.grievance.app.GrievanceModels.Reply;
import io.downline.grievance.app.GrievanceModels.StaffStep;
import io.downline.grievance.app.GrievanceService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path("grievances")
@Tag(name = "Grievances")
public class GrievanceResource {


    private final GrievanceService grievances;
    private final IdempotencyService idempotency;
    private final SecurityIdentity identity;

    public GrievanceResource(GrievanceService grievances, IdempotencyService idempotency, SecurityIdentity identity) {
        this.grievances = grievances;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "fileGrievance", summary = "File a grievance (distributors)",
            description = "The company acknowledges it within 48 hours and resolves it within one month; both deadlines are in the answer.")
    @APIResponse(responseCode = "201", description = "Filed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = GrievanceView.class)))
    public Uni<Response> fileGrievance(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe: a repeat returns the first response",
                    example = "3f1c9a52-7d1e-4b7a-9a0e-2c5d8e6f1a23") String key,
            @Valid @NotNull NewGrievance request, @Context UriInfo uri) {
        return idempotency.run(key, "fileGrievance", request, () -> grievances.file(caller(), request)
                .map(view -> Response.created(uri.getAbsolutePathBuilder().path(view.reference()).build()).entity(view).build()));
    }

    @GET
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.SUPPORT, Roles.ADMIN })
    @Operation(operationId = "listGrievances", summary = "Grievances, newest first: a distributor's own, or all for support and admins")
    @APIResponse(responseCode = "200", description = "A page of grievances")
    public Uni<Page<GrievanceView>> listGrievances(
            @QueryParam("status") @Pattern(regexp = "OPEN|ACKNOWLEDGED|RESOLVED|REJECTED", message = "must be OPEN, ACKNOWLEDGED, RESOLVED or REJECTED")
            @Parameter(description = "Only grievances in this status", example = "OPEN") String status,
            @Valid @BeanParam PageRequest page) {
        return grievances.list(caller(), status, page);
    }

    @GET
    @Path("overdue")
    @RolesAllowed({ Roles.SUPPORT, Roles.ADMIN })
    @Operation(operationId = "listOverdueGrievances", summary = "Open grievances past a deadline, oldest first",
            description = "Not acknowledged within 48 hours, or not resolved within one month; `overdue` says which.")
    @APIResponse(responseCode = "200", description = "A page of grievances")
    public Uni<Page<GrievanceView>> listOverdueGrievances(@Valid @BeanParam PageRequest page) {
        return grievances.overdue(page);
    }

    @GET
    @Path("{reference}")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.SUPPORT, Roles.ADMIN })
    @Operation(operationId = "getGrievance", summary = "A grievance with every step")
    @APIResponse(responseCode = "200", description = "The grievance")
    public Uni<GrievanceView> getGrievance(@PathParam("reference") @Parameter(example = "GRV-0000042") String reference) {
        return grievances.get(reference, caller());
    }

    @POST
    @Path("{reference}/steps")
    @RolesAllowed({ Roles.SUPPORT, Roles.ADMIN })
    @Operation(operationId = "actOnGrievance", summary = "Acknowledge, respond to, resolve or reject a grievance (audited)",
            description = "Resolving or rejecting closes it; each acknowledges a grievance not yet acknowledged. 409 on a closed one.")
    @APIResponse(responseCode = "200", description = "The grievance after the step")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<GrievanceView> actOnGrievance(@PathParam("reference") @Parameter(example = "GRV-0000042") String reference,
            @Valid @NotNull StaffStep step) {
        return grievances.act(reference, step, identity.getPrincipal().getName());
    }

    @POST
    @Path("{reference}/replies")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "replyToGrievance", summary = "The distributor's reply on their own open grievance")
    @APIResponse(responseCode = "200", description = "The grievance after the reply")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<GrievanceView> replyToGrievance(@PathParam("reference") @Parameter(example = "GRV-0000042") String reference,
            @Valid @NotNull Reply reply) {
        return grievances.reply(reference, caller(), reply);
    }

    private Caller caller() {
        return Caller.of(identity);
    }
}
