package io.downline.genealogy.api;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Members by account, code or id, for modules that show or check a member (KYC, TDS).
 */
public interface MemberDirectory {

    /** A member as other modules see them. */
    record MemberRef(long distributorId, String memberCode, String fullName, UUID userId) {
    }

    /** The caller's own membership; 403 for a login that is no distributor. */
    Uni<MemberRef> byUser(UUID userId);

    /** A member by code (case and spaces forgiven); 404 when there is none. */
    Uni<MemberRef> byCode(String code);

    /** Members by id, for lists; ids without a member are simply absent. */
    Uni<Map<Long, MemberRef>> byIds(Collection<Long> ids);
}
