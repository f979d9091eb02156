package io.downline.identity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.identity.UserModels.PasswordChange;
import io.downline.identity.UserModels.UserView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path("/me")
@Tag(name = "Users")
@Authenticated
public class MeResource {

    private final UserService users;
    private final JsonWebToken token;

    public MeResource(UserService users, JsonWebToken token) {
        this.users = users;
        this.token = token;
    }

    @GET
    @Operation(operationId = "getCurrentUser", summary = "Read the account of the caller")
    @APIResponse(responseCode = "200", description = "The caller's account")
    public Uni<UserView> getCurrentUser() {
        return users.byUsername(token.getName());
    }

    @PUT
    @Path("/password")
    @Operation(operationId = "changePassword", summary = "Change the caller's password",
            description = "Ends every other session of the caller.")
    @APIResponse(responseCode = "204", description = "Password changed")
    public Uni<Void> changePassword(@Valid @NotNull PasswordChange change) {
        return users.changePassword(token.getName(), ActiveTokenAugmentor.sessionOf(token), change);
    }
}
