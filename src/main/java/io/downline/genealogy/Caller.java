package io.downline.genealogy;

import java.util.UUID;

import io.downline.common.security.Roles;
import io.downline.identity.ActiveTokenAugmentor;
import io.quarkus.security.identity.SecurityIdentity;

/** Who is asking: staff (admin, support, finance) see the whole network; a distributor sees their own downline. */
record Caller(String name, UUID userId, boolean staff, boolean admin, boolean distributor) {

    static Caller of(SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            return new Caller("anonymous", null, false, false, false);
        }
        boolean admin = identity.hasRole(Roles.ADMIN);
        return new Caller(identity.getPrincipal().getName(), identity.getAttribute(ActiveTokenAugmentor.USER_ID),
                admin || identity.hasRole(Roles.SUPPORT) || identity.hasRole(Roles.FINANCE), admin, identity.hasRole(Roles.DISTRIBUTOR));
    }

    boolean anonymous() {
        return userId == null && !staff && !distributor;
    }
}
