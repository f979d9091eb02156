package io.downline.identity.web;

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
import jakarta.ws.rs.PUT;
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
import io.downline.identity.api.UserModels.NewUser;
import io.downline.identity.api.UserModels.StatusChange;
import io.downline.identity.api.UserModels.UserView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.identity.api.UserModels;
import io.downline.identity.api.UserStatus;
import io.downline.identity.app.UserService;

@Path("/users")
@Tag(name = "Users")
public class UserResource {

    private final UserService users;
    private final IdempotencyService idempotency;
    private final SecurityIdentity identity;

    public UserResource(UserService users, IdempotencyService idempotency, SecurityIdentity identity) {
        this.users = users;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.SUPPORT })
    @Operation(operationId = "listUsers", summary = "List accounts by username, a page at a time")
    @APIResponse(responseCode = "200", description = "A page of accounts")
    public Uni<Page<UserView>> listUsers(@Valid @BeanParam PageRequest page,
            @QueryParam("role") @Pattern(regexp = UserModels.ROLE, message = "must be one of distributor, admin, finance, support")
            @Parameter(description = "Only accounts holding this role", example = "finance") String role,
            @QueryParam("status") @Pattern(regexp = "ACTIVE|LOCKED|DISABLED", message = "must be one of ACTIVE, LOCKED, DISABLED")
            @Parameter(description = "Only accounts in this status", schema = @Schema(implementation = UserStatus.class)) String status) {
        return users.list(page, role, status == null ? null : UserStatus.valueOf(status));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "createUser", summary = "Create an account for staff (admin, finance, support)")
    @APIResponse(responseCode = "201", description = "Account created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> createUser(
            @HeaderParam(IdempotencyService.HEADER)
            @Parameter(description = "Makes retries safe: a repeat returns the first response", example = "3f1c9a52-7d1e-4b7a-9a0e-2c5d8e6f1a23") String idempotencyKey,
            @Valid @NotNull NewUser request, @Context UriInfo uri) {
        return idempotency.run(idempotencyKey, "createUser", request, () -> users.create(request, identity.getPrincipal().getName())
                .map(user -> Response.created(uri.getAbsolutePathBuilder().path(user.id().toString()).build()).entity(user).build()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPPORT })
    @Operation(operationId = "getUser", summary = "Read one account")
    @APIResponse(responseCode = "200", description = "The account")
    public Uni<UserView> getUser(@PathParam("id") @Parameter(example = "7d4f3b0e-2a51-4c86-9f0a-5b9e2f1c3d40") UUID id) {
        return users.get(id);
    }

    @PUT
    @Path("/{id}/status")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "changeUserStatus", summary = "Activate, lock or disable an account",
            description = "Locking or disabling ends the account's sessions: its tokens stop working at once.")
    @APIResponse(responseCode = "200", description = "The account after the change")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<UserView> changeUserStatus(@PathParam("id") @Parameter(example = "7d4f3b0e-2a51-4c86-9f0a-5b9e2f1c3d40") UUID id,
            @Valid @NotNull StatusChange change) {
        return users.changeStatus(id, change, Caller.of(identity).userId(), identity.getPrincipal().getName());
    }
}
