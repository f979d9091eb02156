package io.downline.identity.web;

import io.downline.identity.api.Caller;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.common.http.ClientAddress;
import io.downline.common.http.NoStore;
import io.downline.identity.api.AuthModels.PasswordResetRequest;
import io.downline.identity.api.AuthModels.RecoveryRequest;
import io.downline.identity.api.AuthModels.RefreshRequest;
import io.downline.identity.api.AuthModels.TokenRequest;
import io.downline.identity.api.AuthModels.TokenResponse;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.downline.identity.api.AuthModels;
import io.downline.identity.app.AccountRecovery;
import io.downline.identity.app.AuthService;

@Path("/auth")
@Tag(name = "Auth")
public class AuthResource {

    private final AuthService auth;
    private final AccountRecovery recovery;
    private final SecurityIdentity identity;

    public AuthResource(AuthService auth, AccountRecovery recovery, SecurityIdentity identity) {
        this.auth = auth;
        this.recovery = recovery;
        this.identity = identity;
    }

    @POST
    @NoStore
    @Path("/token")
    @PermitAll
    @Operation(operationId = "createToken", summary = "Log in: exchange a username and password for tokens",
            description = "Throttled per client address, and failed passwords per account and address (429 with Retry-After): "
                    + "failures from elsewhere never lock the owner out. Under guessing from many addresses, only the account's "
                    + "known addresses (where it logged in before) go on.")
    @APIResponse(responseCode = "200", description = "Tokens issued")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    public Uni<TokenResponse> createToken(@Valid @NotNull TokenRequest request, HttpServerRequest http) {
        return auth.login(request, ClientAddress.of(http), http.getHeader(HttpHeaders.USER_AGENT));
    }

    @POST
    @NoStore
    @Path("/refresh")
    @PermitAll
    @Operation(operationId = "refreshToken", summary = "Exchange a refresh token for a new token pair",
            description = "Refresh tokens are single use; presenting a used one ends its session.")
    @APIResponse(responseCode = "200", description = "Tokens issued")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    public Uni<TokenResponse> refreshToken(@Valid @NotNull RefreshRequest request) {
        return auth.refresh(request.refreshToken());
    }

    @POST
    @NoStore
    @Path("/activate")
    @PermitAll
    @Operation(operationId = "activateAccount", summary = "Set the first password of a new account with its activation code, and log in",
            description = "Registration opens accounts without a password and returns a one-time activation code.")
    @APIResponse(responseCode = "200", description = "Password set; tokens issued")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    public Uni<TokenResponse> activateAccount(@Valid @NotNull AuthModels.ActivationRequest request, HttpServerRequest http) {
        return auth.activate(request, ClientAddress.of(http), http.getHeader(HttpHeaders.USER_AGENT));
    }

    @POST
    @Path("/activation/resend")
    @PermitAll
    @Operation(operationId = "resendActivationCode", summary = "Send a new activation code to the email address of an account not yet activated",
            description = "For a recruit whose code expired or got lost. The code goes only to the address on the account, never to the "
                    + "requester; the answer is the same whether or not the account exists. Throttled per address and per login.")
    @APIResponse(responseCode = "202", description = "If the account exists and awaits activation, a new code is on its way; the old one no longer works")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    public Uni<Response> resendActivationCode(@Valid @NotNull RecoveryRequest request, HttpServerRequest http) {
        return recovery.resendActivation(request.login(), ClientAddress.of(http)).replaceWith(Response.accepted().build());
    }

    @POST
    @Path("/password-reset")
    @PermitAll
    @Operation(operationId = "requestPasswordReset", summary = "Email a single-use password reset code to the account's address",
            description = "The answer is the same whether or not the account exists. An account never activated gets a new activation "
                    + "code instead. Throttled per address and per login.")
    @APIResponse(responseCode = "202", description = "If the account exists, a reset code is on its way")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    public Uni<Response> requestPasswordReset(@Valid @NotNull RecoveryRequest request, HttpServerRequest http) {
        return recovery.requestReset(request.login(), ClientAddress.of(http)).replaceWith(Response.accepted().build());
    }

    @POST
    @Path("/password-reset/confirm")
    @PermitAll
    @Operation(operationId = "resetPassword", summary = "Set a new password with a reset code",
            description = "The code works once, within its validity. Every session of the account ends.")
    @APIResponse(responseCode = "204", description = "Password set; log in with it")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    public Uni<Void> resetPassword(@Valid @NotNull PasswordResetRequest request, HttpServerRequest http) {
        return recovery.resetPassword(request.token(), request.newPassword(), ClientAddress.of(http));
    }

    @POST
    @Path("/logout")
    @Authenticated
    @Operation(operationId = "logout", summary = "Log out: end the session of the presented access token",
            description = "The access token and the session's refresh token stop working at once.")
    @APIResponse(responseCode = "204", description = "Session ended")
    public Uni<Void> logout() {
        return auth.logout(Caller.of(identity).sessionId());
    }
}
