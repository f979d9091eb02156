package io.downline.commission.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.commission.api.CloseModels.EstimateView;
import io.downline.commission.app.Earnings;
import io.downline.commission.app.Estimates;
import io.downline.common.security.Roles;
import io.smallrye.mutiny.Uni;

/** A member's estimated period bonuses, for staff. */
@Path("/commission/members/{memberCode}/earnings/estimate")
@Tag(name = "Commissions")
public class MemberEstimateResource {

    private final Estimates estimates;
    private final Earnings earnings;

    public MemberEstimateResource(Estimates estimates, Earnings earnings) {
        this.estimates = estimates;
        this.earnings = earnings;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "estimateMemberPeriodBonuses", summary = "A member's period bonuses estimated for an open period",
            description = EstimateResource.DESCRIPTION)
    @APIResponse(responseCode = "200", description = "The estimate")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<EstimateView> estimateMemberPeriodBonuses(@PathParam("memberCode") String memberCode,
            @QueryParam("period") @Parameter(description = "An open period (default: the current one)", example = "2026-12") String period) {
        return earnings.memberByCode(memberCode).chain(member -> estimates.estimate(member, period));
    }
}
