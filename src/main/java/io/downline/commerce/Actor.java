package io.downline.commerce;

import java.util.UUID;

import io.downline.common.security.Roles;
import io.downline.identity.ActiveTokenAugmentor;
import io.quarkus.security.identity.SecurityIdentity;

/** Who is asking: admins and finance see every order and invoice; a distributor sees their own. */
record Actor(String name, UUID userId, boolean admin, boolean staff) {

    static Actor of(SecurityIdentity identity) {
        boolean admin = identity.hasRole(Roles.ADMIN);
        return new Actor(identity.getPrincipal().getName(), identity.getAttribute(ActiveTokenAugmentor.USER_ID), admin,
                admin || identity.hasRole(Roles.FINANCE) || identity.hasRole(Roles.SUPPORT));
    }

    /** The payment gateway, authenticated by its signature rather than a token. */
    static Actor gateway() {
        return new Actor("payment-gateway", null, false, true);
    }
}
