package io.downline.identity.api;

import java.util.Set;
import java.util.UUID;

import io.downline.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is asking: the one representation of the caller that every module uses, read from the security identity that
 * identity's token check completed. Staff (admin, support, finance) see the whole network and every order; a
 * distributor sees their own.
 *
 * @param userId    the local account, absent for anonymous callers and for external users without a local account
 * @param sessionId the login session the token belongs to, absent for tokens issued elsewhere
 */
public record Caller(String name, UUID userId, UUID sessionId, Set<String> roles) {

    /** Identity attribute holding the caller's local user id. */
    public static final String USER_ID = "downline.user-id";
    /** Identity attribute holding the caller's login session id. */
    public static final String SESSION_ID = "downline.session-id";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public static Caller of(SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            return new Caller("anonymous", null, null, Set.of());
        }
        return new Caller(identity.getPrincipal().getName(), identity.getAttribute(USER_ID), identity.getAttribute(SESSION_ID),
                identity.getRoles());
    }

    /** The payment gateway, authenticated by its signature rather than a token. */
    public static Caller gateway() {
        return new Caller("payment-gateway", null, null, Set.of(Roles.FINANCE));
    }

    /** The service itself acting as an admin (demo seeding, automatic placements), named in audit records. */
    public static Caller system(String name) {
        return new Caller(name, null, null, Set.of(Roles.ADMIN));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean admin() {
        return hasRole(Roles.ADMIN);
    }

    /** Admin, support or finance: someone who works for the company. */
    public boolean staff() {
        return admin() || hasRole(Roles.SUPPORT) || hasRole(Roles.FINANCE);
    }

    public boolean distributor() {
        return hasRole(Roles.DISTRIBUTOR);
    }

    public boolean anonymous() {
        return userId == null && roles.isEmpty();
    }
}
