package io.downline.commission.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.commission.api.CommissionModels.DeadLetterView;
import io.downline.commission.app.DeadLetters;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.smallrye.mutiny.Uni;

/** Events the commission engine set aside, for the staff who fix their cause. */
@Path("/commission/dead-letters")
@Tag(name = "Commissions")
public class DeadLetterResource {

    private final DeadLetters deadLetters;

    public DeadLetterResource(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "listCommissionDeadLetters", summary = "Events the commission engine could not handle, newest first",
            description = "Each was acknowledged so that the events after it are paid; its reason says what to fix.")
    @APIResponse(responseCode = "200", description = "A page of dead letters")
    public Uni<Page<DeadLetterView>> listCommissionDeadLetters(@Valid @BeanParam PageRequest page) {
        return deadLetters.list(page);
    }
}
