package io.downline.identity.api;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the user endpoints. */
public final class UserModels {

    static final String USERNAME = "^[a-z0-9][a-z0-9._-]{2,63}$";
    public static final String ROLE = "distributor|admin|finance|support";

    private UserModels() {
    }

    @Schema(name = "User", description = "A user account")
    @JsonPropertyOrder({ "id", "username", "displayName", "email", "roles", "status", "createdAt", "updatedAt" })
    public record UserView(
            @Schema(required = true, example = "7d4f3b0e-2a51-4c86-9f0a-5b9e2f1c3d40") UUID id,
            @Schema(required = true, example = "asha.rao") String username,
            @Schema(required = true, example = "Asha Rao") String displayName,
            @Schema(example = "asha@example.com") String email,
            @Schema(required = true, example = "[\"distributor\"]") Set<String> roles,
            @Schema(required = true, example = "ACTIVE") UserStatus status,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant createdAt,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant updatedAt) {
    }

    @Schema(name = "NewUser", description = "An account created by an admin (distributors join through registration)")
    public record NewUser(
            @NotBlank @Pattern(regexp = USERNAME, message = "must be 3 to 64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit")
            @Schema(example = "meera.finance") String username,
            @NotBlank @Size(max = 120) @Schema(example = "Meera Iyer") String displayName,
            @Email @Size(max = 254) @Schema(example = "meera@example.com") String email,
            @NotNull @Size(min = 10, max = 72) @Schema(description = "10 to 72 characters", example = "a-long-passphrase") String password,
            @NotEmpty @Schema(example = "[\"finance\"]") Set<@NotNull @Pattern(regexp = ROLE, message = "must be one of distributor, admin, finance, support") String> roles,
            @Size(max = 500) @Schema(description = "\"<issuer>|<subject>\" of this person at the company's OpenID Connect provider, "
                    + "linking their external tokens to this account", example = "https://idp.example.com/realms/acme|f81d4fae-7dec-11d0-a765-00a0c91e6bf6")
            String externalSubject) {
    }

    @Schema(name = "StatusChange", description = "A new account status and why")
    public record StatusChange(
            @NotNull @Schema(example = "DISABLED") UserStatus status,
            @NotBlank @Size(max = 500) @Schema(example = "Left the company") String reason) {
    }

    @Schema(name = "PasswordChange", description = "The current password and the new one")
    public record PasswordChange(
            @NotBlank @Size(max = 72) @Schema(example = "the-old-passphrase") String currentPassword,
            @NotNull @Size(min = 10, max = 72) @Schema(example = "a-new-long-passphrase") String newPassword) {
    }
}
