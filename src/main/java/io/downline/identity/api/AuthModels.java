package io.downline.identity.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the auth endpoints. */
public final class AuthModels {

    private AuthModels() {
    }

    @Schema(name = "TokenRequest", description = "Credentials to exchange for tokens")
    public record TokenRequest(
            @NotBlank @Size(max = 64) @Schema(example = "asha.rao") String username,
            @NotBlank @Size(max = 72) @Schema(example = "correct-horse-battery") String password) {
    }

    @Schema(name = "RefreshRequest", description = "A refresh token to exchange for a new token pair")
    public record RefreshRequest(
            @NotBlank @Size(max = 200) @Schema(example = "0b5e6c0e-8d4e-4a57-9d8c-2a3c1e6f9b10.q3Xn0lC4lQx0m2y8h1kP7eVZ5rJ3sT9uW6aB4dF8gH0") String refreshToken) {
    }

    @Schema(name = "Activation", description = "The one-time code of a new account and the password to set")
    public record ActivationRequest(
            @NotBlank @Size(max = 64) @Schema(description = "Login name from the registration", example = "dl00000421") String username,
            @NotBlank @Size(max = 20) @Schema(example = "9F3K7Q2MXT") String activationCode,
            @NotNull @Size(min = 10, max = 72) @Schema(description = "10 to 72 characters", example = "my-own-passphrase") String password) {
    }

    @Schema(name = "TokenResponse", description = "A short-lived access token and a refresh token")
    public record TokenResponse(
            @Schema(required = true, description = "Signed JWT to send as `Authorization: Bearer ...`", example = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIuLi4ifQ.c2ln") String accessToken,
            @Schema(required = true, enumeration = "Bearer", example = "Bearer") String tokenType,
            @Schema(required = true, description = "Seconds until the access token expires", example = "900") long expiresIn,
            @Schema(required = true, description = "Single-use token for POST /api/v1/auth/refresh", example = "0b5e6c0e-8d4e-4a57-9d8c-2a3c1e6f9b10.q3Xn0lC4lQx0m2y8h1kP7eVZ5rJ3sT9uW6aB4dF8gH0") String refreshToken,
            @Schema(required = true, description = "Seconds until the refresh token expires", example = "1209600") long refreshExpiresIn) {
    }

    @Schema(name = "AccountRecoveryRequest", description = "The account, by login name or email address, that needs a reset code or a new activation code")
    public record RecoveryRequest(
            @NotBlank @Size(max = 254) @Schema(description = "Login name or email address", example = "dl00000421") String login) {
    }

    @Schema(name = "PasswordReset", description = "The reset code from the email and the new password")
    public record PasswordResetRequest(
            @NotBlank @Size(max = 100) @Schema(description = "The code from the reset email (or the token parameter of its link)",
                    example = "q3Xn0lC4lQx0m2y8h1kP7eVZ5rJ3sT9uW6aB4dF8gH0") String token,
            @NotNull @Size(min = 10, max = 72) @Schema(description = "10 to 72 characters", example = "a-new-long-passphrase") String newPassword) {
    }
}
