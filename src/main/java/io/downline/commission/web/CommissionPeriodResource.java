package io.downline.commission.web;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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

import io.downline.commission.api.CloseModels.PeriodView;
import io.downline.commission.api.CloseModels.WhatIfView;
import io.downline.commission.app.CommissionPlans;
import io.downline.commission.app.CommissionPlans.Format;
import io.downline.commission.app.PeriodClose;
import io.downline.commission.app.WhatIfSimulator;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Commission periods: their close (admin), their state (staff), and the what-if simulator over a closed one (admin). */
@Path("/commission/periods")
@Tag(name = "Commissions")
@RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
public class CommissionPeriodResource {

    private final PeriodClose close;
    private final WhatIfSimulator simulator;
    private final CommissionPlans plans;
    private final IdempotencyService idempotency;
    private final SecurityIdentity identity;

    public CommissionPeriodResource(PeriodClose close, WhatIfSimulator simulator, CommissionPlans plans, IdempotencyService idempotency,
            SecurityIdentity identity) {
        this.close = close;
        this.simulator = simulator;
        this.plans = plans;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    @POST
    @Path("{period}/close")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "closeCommissionPeriod", summary = "Close an ended period: pay its binary, matching and pool bonuses and lock it",
            description = "Moves the period to CLOSING at once (later events of it go to the next open period) and runs the close in the "
                    + "background: snapshot of the tree and volumes, the engine, outstanding clawbacks netted off, lines credited in "
                    + "batches, then CLOSED. Answers 202 with the period to poll (GET /commission/periods/{period}) while it runs, "
                    + "200 when it was closed already (a re-run changes nothing). A close interrupted by a crash resumes where it "
                    + "stopped, at the service's start or at the next request. Periods close in order, after their end (409 otherwise).")
    @APIResponse(responseCode = "200", description = "Closed before; nothing was done again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PeriodView.class)))
    @APIResponse(responseCode = "202", description = "The close runs; poll the period",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PeriodView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> closeCommissionPeriod(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe") String idempotencyKey,
            @PathParam("period") @Parameter(description = "A month (2026-12) or an ISO week (2026-W49)", example = "2026-11") String period) {
        return idempotency.run(idempotencyKey, "closeCommissionPeriod", Map.of("period", period),
                () -> close.request(period, identity.getPrincipal().getName())
                        .map(view -> Response.status("CLOSED".equals(view.status()) ? 200 : 202).entity(view).build()));
    }

    @GET
    @Operation(operationId = "listCommissionPeriods", summary = "Commission periods, latest first, with their close")
    @APIResponse(responseCode = "200", description = "A page of periods")
    public Uni<Page<PeriodView>> listCommissionPeriods(@Valid @BeanParam PageRequest page) {
        return close.list(page);
    }

    @GET
    @Path("{period}")
    @Operation(operationId = "getCommissionPeriod", summary = "One commission period and its close's progress")
    @APIResponse(responseCode = "200", description = "The period")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<PeriodView> getCommissionPeriod(@PathParam("period") @Parameter(example = "2026-11") String period) {
        return close.get(period);
    }

    @POST
    @Path("{period}/what-if")
    @RolesAllowed(Roles.ADMIN)
    @Consumes({ MediaType.APPLICATION_JSON, CommissionPlanResource.YAML })
    @Operation(operationId = "simulateCommissionPlan", summary = "Replay a closed period under a draft plan (JSON or YAML); nothing is paid",
            description = "The draft is validated like an upload (400 naming the rule it breaks) and is not stored. The period's stored "
                    + "snapshot is closed under the draft by the same engine code that closed it, and compared with the plan that paid: "
                    + "totals, payout % of BV, percentiles, Gini, and the members who would gain or lose most. With the paying plan as "
                    + "the draft it reproduces the close exactly.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT, description = "The draft plan")),
            @Content(mediaType = CommissionPlanResource.YAML, schema = @Schema(type = SchemaType.STRING, description = "The draft plan in YAML")) })
    @APIResponse(responseCode = "200", description = "The comparison",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WhatIfView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<WhatIfView> simulateCommissionPlan(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) @Parameter(hidden = true) String contentType,
            @PathParam("period") @Parameter(example = "2026-11") String period,
            @QueryParam("top") @DefaultValue("10") @Min(0) @Max(100) @Parameter(description = "Gainers and losers listed, each", example = "10") int top,
            @Parameter(hidden = true) String body) {
        Format format = contentType != null && contentType.toLowerCase().startsWith(CommissionPlanResource.YAML) ? Format.YAML : Format.JSON;
        JsonNode draft = plans.read(body, format);
        return simulator.replay(period, draft, top);
    }
}
