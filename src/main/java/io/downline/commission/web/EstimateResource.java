package io.downline.commission.web;

import io.downline.identity.api.Caller;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.commission.api.CloseModels.EstimateView;
import io.downline.commission.app.Earnings;
import io.downline.commission.app.Estimates;
import io.downline.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** "Estimated this period": the caller's period bonuses if the open period closed now. */
@Path("/commission/earnings/estimate")
@Tag(name = "Commissions")
public class EstimateResource {

    static final String DESCRIPTION = "Binary, matching and pool bonuses projected by running the period close's engine over the open period "
            + "as it stands (volumes, carry-forward, ranks, the payout cap). Nothing is paid; the projection is recomputed when it is "
            + "older than the configured age (asOf says when). Instant bonuses are in the earnings already.";

    private final Estimates estimates;
    private final Earnings earnings;
    private final SecurityIdentity identity;

    public EstimateResource(Estimates estimates, Earnings earnings, SecurityIdentity identity) {
        this.estimates = estimates;
        this.earnings = earnings;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "estimateMyPeriodBonuses", summary = "The caller's period bonuses estimated for an open period (default: the current one)",
            description = DESCRIPTION)
    @APIResponse(responseCode = "200", description = "The estimate")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<EstimateView> estimateMyPeriodBonuses(
            @QueryParam("period") @Parameter(description = "An open period (default: the current one)", example = "2026-12") String period) {
        UUID user = Caller.of(identity).userId();
        return earnings.memberOfUser(user).chain(member -> estimates.estimate(member, period));
    }
}
