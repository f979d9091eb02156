package io.downline.commission.web;

import io.downline.identity.api.Caller;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.downline.commission.api.CommissionModels.LineView;
import io.downline.commission.api.CommissionModels.PeriodSummary;
import io.downline.commission.api.CommissionModels.TraceView;
import io.downline.commission.app.CurrentPeriod;
import io.downline.commission.app.Earnings;
import io.downline.commission.app.EarningsStream;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** A distributor's commission earnings (their own), and any member's for staff. */
@Path("/commission")
@Tag(name = "Commissions")
public class EarningsResource {

    private final Earnings earnings;
    private final EarningsStream stream;
    private final CurrentPeriod current;
    private final SecurityIdentity identity;

    public EarningsResource(Earnings earnings, EarningsStream stream, CurrentPeriod current, SecurityIdentity identity) {
        this.earnings = earnings;
        this.stream = stream;
        this.current = current;
        this.identity = identity;
    }

    @GET
    @Path("earnings")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "listMyEarnings", summary = "The caller's commission lines, newest first")
    @APIResponse(responseCode = "200", description = "A page of lines")
    public Uni<Page<LineView>> listMyEarnings(
            @QueryParam("period") @Parameter(description = "Only this period", example = "2026-12") String period,
            @Valid @BeanParam PageRequest page) {
        return earnings.memberOfUser(userId()).chain(member -> earnings.lines(member, period, page));
    }

    @GET
    @Path("earnings/summary")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "getMyEarningsSummary", summary = "The caller's earnings in a period (default: the current one)",
            description = "Paid so far (instant bonuses as orders are paid; period bonuses at the close) and clawbacks still to be netted off.")
    @APIResponse(responseCode = "200", description = "The period's totals")
    public Uni<PeriodSummary> getMyEarningsSummary(
            @QueryParam("period") @Parameter(description = "The period (default: the current one)", example = "2026-12") String period) {
        return earnings.memberOfUser(userId()).chain(member -> current.orGiven(period)
                .chain(p -> current.currency().chain(currency -> earnings.summary(member, p, currency))));
    }

    @GET
    @Path("earnings/{lineId}/trace")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "traceMyEarning", summary = "Why the caller earned this line: rule, source order or event, plan version")
    @APIResponse(responseCode = "200", description = "The trace")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<TraceView> traceMyEarning(@PathParam("lineId") long lineId) {
        return earnings.memberOfUser(userId()).chain(member -> earnings.trace(member, lineId));
    }

    @GET
    @Path("earnings/stream")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(operationId = "streamMyEarnings", summary = "New commission lines of the caller as server-sent events, as they are credited")
    @APIResponse(responseCode = "200", description = "One event per new line (JSON CommissionLine)", content = @Content(
            mediaType = MediaType.SERVER_SENT_EVENTS, example = "data: {\"id\": 1042, \"period\": \"2026-12\", \"memberCode\": \"DL00000042\", "
                    + "\"rule\": \"LEVEL\", \"amount\": {\"amount\": \"12.50\", \"currency\": \"INR\"}, \"status\": \"PAID\"}\n\n"))
    public Multi<LineView> streamMyEarnings(
            @QueryParam("after") @Parameter(description = "Resume after this line id (the last one received)", example = "1042") Long after) {
        return earnings.memberOfUser(userId()).onItem().transformToMulti(member -> stream.stream(member, after));
    }

    @GET
    @Path("members/{memberCode}/earnings")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "listMemberEarnings", summary = "A member's commission lines, newest first")
    @APIResponse(responseCode = "200", description = "A page of lines")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<Page<LineView>> listMemberEarnings(@PathParam("memberCode") String memberCode,
            @QueryParam("period") @Parameter(description = "Only this period", example = "2026-12") String period,
            @Valid @BeanParam PageRequest page) {
        return earnings.memberByCode(memberCode).chain(member -> earnings.lines(member, period, page));
    }

    @GET
    @Path("members/{memberCode}/earnings/{lineId}/trace")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "traceMemberEarning", summary = "Why a member earned this line")
    @APIResponse(responseCode = "200", description = "The trace")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<TraceView> traceMemberEarning(@PathParam("memberCode") String memberCode, @PathParam("lineId") long lineId) {
        return earnings.memberByCode(memberCode).chain(member -> earnings.trace(member, lineId));
    }

    private UUID userId() {
        return Caller.of(identity).userId();
    }
}
