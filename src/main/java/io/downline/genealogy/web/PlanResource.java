package io.downline.genealogy.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

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
import io.downline.genealogy.api.NetworkPlans.PlanVersion;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.app.PlanService;

@Path("/plan")
@Tag(name = "Plan")
@RolesAllowed({ Roles.ADMIN, Roles.SUPPORT })
public class PlanResource {

    @Schema(name = "PlanChange", description = "A new plan version and why it is published")
    public record PlanChange(@Valid @NotNull Plan plan,
            @NotBlank @Size(max = 500) @Schema(example = "Weaker leg by group volume from next month") String reason) {
    }

    private final PlanService plans;
    private final IdempotencyService idempotency;
    private final SecurityIdentity identity;

    public PlanResource(PlanService plans, IdempotencyService idempotency, SecurityIdentity identity) {
        this.plans = plans;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "getPlan", summary = "Read the plan in effect")
    @APIResponse(responseCode = "200", description = "The plan version in effect")
    public Uni<PlanVersion> getPlan() {
        return plans.current();
    }

    @GET
    @Path("/versions")
    @Operation(operationId = "listPlanVersions", summary = "List every plan version, newest first")
    @APIResponse(responseCode = "200", description = "A page of versions")
    public Uni<Page<PlanVersion>> listPlanVersions(@Valid @BeanParam PageRequest page) {
        return plans.versions(page);
    }

    @POST
    @Path("/versions")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "publishPlan", summary = "Publish a new plan version, in effect at once",
            description = "The placement structure (unilevel, binary, matrix and its size) cannot change once distributors are placed.")
    @APIResponse(responseCode = "201", description = "Published",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PlanVersion.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> publishPlan(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe") String idempotencyKey,
            @Valid @NotNull PlanChange change) {
        return idempotency.run(idempotencyKey, "publishPlan", change, () -> plans.publish(change.plan(), change.reason(),
                identity.getPrincipal().getName()).map(version -> Response.status(201).entity(version).build()));
    }
}
