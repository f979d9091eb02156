package io.downline.genealogy.api;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads of the network for other modules (the commission engine): uplines with period volume, the placement tree in pre-order, members by code, id or account; each on the caller's connection.
 */
public interface NetworkReads {

    /** A member as the commission engine sees them: status and personal volume of one period. */
    record MemberStanding(long id, String memberCode, String status, String rank, BigDecimal personalPv, BigDecimal personalBv) {

        public boolean active() {
            return "ACTIVE".equals(status);
        }
    }

    /**
     * One member of the placement tree in pre-order, with their sponsor, their position under the placement parent
     * (binary: 0 left, 1 right) and their personal volume of a period.
     */
    record TreeMember(long id, String memberCode, Long placementParentId, Integer position, Long sponsorId, String status,
            String rank, BigDecimal pv, BigDecimal bv) {
    }

    /** A member's identity. */
    record MemberRef(long id, String memberCode, Long sponsorId) {
    }

    /** A member whose sponsor upline is asked for, with the volume period of the standings. */
    record UplineQuery(long memberId, String period) {
    }

    /**
     * The sponsor upline above each member, nearest first (the sponsor, the sponsor's sponsor, ...), at most
     * {@code levels} members, each with their personal volume in the query's period, in one statement.
     */
    Uni<Map<UplineQuery, List<MemberStanding>>> sponsorUplines(SqlClient conn, Collection<UplineQuery> queries, int levels);

    /**
     * The whole placement tree in pre-order with each member's personal volume of the period: one range scan of the
     * label index, streamed in chunks (the caller's connection must be in a transaction, which a cursor needs).
     */
    Multi<TreeMember> placementPreOrder(SqlConnection conn, String period, int chunk);

    /** The member with this code (case-insensitive), or null. */
    Uni<MemberRef> byCode(SqlClient conn, String memberCode);

    /** The member with this id, or null. */
    Uni<MemberRef> byId(SqlClient conn, long id);

    /** The distributor whose login this is, or null (staff have none). */
    Uni<MemberRef> byUser(SqlClient conn, UUID userId);
}
