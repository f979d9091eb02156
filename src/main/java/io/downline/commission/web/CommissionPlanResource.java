package io.downline.commission.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.commission.api.CommissionModels.PlanVersionView;
import io.downline.commission.app.CommissionPlans;
import io.downline.commission.app.CommissionPlans.Format;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Compensation plan versions: admins upload them as JSON or YAML; staff read them. */
@Path("/commission/plans")
@Tag(name = "Commissions")
@RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
public class CommissionPlanResource {

    static final String YAML = "application/yaml";

    private final CommissionPlans plans;
    private final IdempotencyService idempotency;
    private final SecurityIdentity identity;

    public CommissionPlanResource(CommissionPlans plans, IdempotencyService idempotency, SecurityIdentity identity) {
        this.plans = plans;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes({ MediaType.APPLICATION_JSON, YAML })
    @Operation(operationId = "uploadCommissionPlan", summary = "Upload a new version of the compensation plan (JSON or YAML)",
            description = "Validated before it is stored: a violation (for example a payout that does not derive from product volume, "
                    + "or a joining fee, which the Consumer Protection (Direct Selling) Rules 2021 forbid) is a 400 whose errors name the "
                    + "rule. A period uses the version in force at its start; a new version may take effect only after the start of every "
                    + "period that has begun (409 otherwise).")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT, description = "The plan document")),
            @Content(mediaType = YAML, schema = @Schema(type = SchemaType.STRING, description = "The plan document in YAML")) })
    @APIResponse(responseCode = "201", description = "Stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlanVersionView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> uploadCommissionPlan(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe") String idempotencyKey,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) @Parameter(hidden = true) String contentType,
            @QueryParam("effectiveFrom") @NotNull @Parameter(description = "When the version takes effect (ISO 8601)", example = "2027-01-01T00:00:00Z") Instant effectiveFrom,
            @QueryParam("note") @Size(max = 500) @Parameter(description = "Why this version", example = "Level 3 raised to 4%") String note,
            @Parameter(hidden = true) String body) {
        Format format = contentType != null && contentType.toLowerCase().startsWith(YAML) ? Format.YAML : Format.JSON;
        JsonNode document = plans.read(body, format);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("effectiveFrom", effectiveFrom.toString());
        request.put("note", note);
        request.put("plan", document);
        return idempotency.run(idempotencyKey, "uploadCommissionPlan", request,
                () -> plans.upload(document, format, effectiveFrom, note, identity.getPrincipal().getName())
                        .map(stored -> Response.status(201).entity(CommissionPlans.view(stored)).build()));
    }

    @GET
    @Operation(operationId = "listCommissionPlans", summary = "Plan versions, newest first")
    @APIResponse(responseCode = "200", description = "A page of versions")
    public Uni<Page<PlanVersionView>> listCommissionPlans(@Valid @BeanParam PageRequest page) {
        return plans.list(page);
    }

    @GET
    @Path("{version}")
    @Operation(operationId = "getCommissionPlan", summary = "One plan version")
    @APIResponse(responseCode = "200", description = "The version")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<PlanVersionView> getCommissionPlan(@PathParam("version") int version) {
        return plans.get(version);
    }
}
