package io.downline.genealogy.api;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
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
     * The whole placement tree in pre-order as columns (element i of every array is the i-th member): id, code, placement
     * parent (null for the root), position under the parent (binary: 0 left, 1 right), sponsor, status and personal
     * volume of a period (0 when none).
     */
    record PlacementColumns(Long[] ids, String[] memberCodes, Long[] placementParentIds, Integer[] positions, Long[] sponsorIds,
            String[] statuses, BigDecimal[] pv, BigDecimal[] bv) {

        public int size() {
            return ids.length;
        }
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
     * The whole placement tree in pre-order with each member's personal volume of the period, in one set-based
     * statement answering one row of arrays (no cursor, no row per member on the wire).
     */
    Uni<PlacementColumns> placementColumns(SqlClient conn, String period);

    /** The member with this code (case-insensitive), or null. */
    Uni<MemberRef> byCode(SqlClient conn, String memberCode);

    /** The member with this id, or null. */
    Uni<MemberRef> byId(SqlClient conn, long id);

    /** The distributor whose login this is, or null (staff have none). */
    Uni<MemberRef> byUser(SqlClient conn, UUID userId);
}
