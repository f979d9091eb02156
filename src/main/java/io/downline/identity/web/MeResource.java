package io.downline.identity.web;

import io.downline.identity.api.Caller;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

import io.downline.common.http.ClientAddress;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.identity.api.UserModels.PasswordChange;
import io.downline.identity.api.UserModels.UserView;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.downline.identity.app.UserService;

@Path("/me")
@Tag(name = "Users")
@Authenticated
public class MeResource {

    private final UserService users;
    private final SecurityIdentity identity;

    public MeResource(UserService users, SecurityIdentity identity) {
        this.users = users;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "getCurrentUser", summary = "Read the account of the caller")
    @APIResponse(responseCode = "200", description = "The caller's account")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<UserView> getCurrentUser() {
        return users.get(localUserId());
    }

    @PUT
    @Path("/password")
    @Operation(operationId = "changePassword", summary = "Change the caller's password",
            description = "Ends every other session of the caller.")
    @APIResponse(responseCode = "204", description = "Password changed")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    public Uni<Void> changePassword(@Valid @NotNull PasswordChange change, HttpServerRequest http) {
        return users.changePassword(localUserId(), Caller.of(identity).sessionId(), change, ClientAddress.of(http));
    }

    /** A caller signed in at an external provider may have no account here. */
    private UUID localUserId() {
        UUID id = Caller.of(identity).userId();
        if (id == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "There is no Downline account linked to this identity.");
        }
        return id;
    }
}
