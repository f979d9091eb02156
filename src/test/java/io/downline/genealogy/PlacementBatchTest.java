package io.downline.genealogy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The serial part of a registration batch in one call (genealogy.register_placements): each registration gets its own
 * row, a refused one (by genealogy's rules or by the database) leaves no tree row behind, and the ones after it still
 * place, seeing the batch's earlier placements.
 */
@QuarkusTest
class PlacementBatchTest {

    private record Member(long id, String code) {
    }

    @Test
    void eachPlacementOfABatchIsAnsweredAloneAndARefusedOneWritesNoTreeRow() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        String root = Network.root(admin);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String sponsorCode = Network.join(admin, root, "Placement Batch Sponsor " + tag).getString("memberCode");
        String takenCode = Network.join(admin, sponsorCode, "Placement Batch Left " + tag,
                "{\"mode\":\"EXPLICIT\",\"parent\":\"" + sponsorCode + "\",\"side\":\"LEFT\"}").getString("memberCode");
        long sponsor = Long.parseLong(Network.query("select id from genealogy.distributor where member_code = ?", sponsorCode));

        List<String> rows = new ArrayList<>();
        try (Connection conn = TestDatabase.connect()) {
            conn.setAutoCommit(false);
            Member left = member(conn, sponsor, false);
            Member takenSide = member(conn, sponsor, false);
            Member right = member(conn, sponsor, false);
            Member strayParent = member(conn, sponsor, false);
            Member below = member(conn, left.id(), false);
            Member tanked = member(conn, sponsor, true);
            try (PreparedStatement call = conn.prepareStatement("""
                    select ord, error_state, error_message, placed_under, placed_at, placed_depth
                      from genealogy.register_placements(?, ?, ?, ?, ?, ?, 'BINARY', 2, null, 'MEMBER_COUNT', '2026-12')""")) {
                call.setArray(1, conn.createArrayOf("bigint", new Long[] { left.id(), takenSide.id(), right.id(), strayParent.id(), left.id(),
                        below.id(), tanked.id() }));
                call.setArray(2, conn.createArrayOf("bigint", new Long[] { sponsor, sponsor, sponsor, sponsor, sponsor, left.id(), sponsor }));
                call.setArray(3, conn.createArrayOf("boolean", new Boolean[] { true, true, true, true, true, true, false }));
                call.setArray(4, texts(conn, "EXTREME_LEFT", "EXPLICIT", "EXTREME_RIGHT", "EXPLICIT", "EXTREME_LEFT", "EXTREME_LEFT", null));
                call.setArray(5, texts(conn, null, sponsorCode, null, root, null, null, null));
                call.setArray(6, conn.createArrayOf("integer", new Integer[] { null, 0, null, 1, null, null, null }));
                try (ResultSet rs = call.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5)
                                + " " + rs.getString(6));
                    }
                }
            }
            int takenDepth = Integer.parseInt(query(conn, "select depth from genealogy.tree_node where tree = 2 and node_id = "
                    + Network.query("select id from genealogy.distributor where member_code = ?", takenCode)));
            int sponsorDepth = Integer.parseInt(query(conn, "select depth from genealogy.tree_node where tree = 2 and node_id = " + sponsor));
            assertEquals(List.of(
                    "1 null null " + takenCode + " 0 " + (takenDepth + 1),
                    "2 DLTKN The LEFT position under " + sponsorCode + " is taken. null null null",
                    "3 null null " + sponsorCode + " 1 " + (sponsorDepth + 1),
                    "4 DLPAR must be a placed member of the sponsor's placement downline null null null",
                    "5 23505 " + duplicateKeyMessage(rows.get(4)) + " null null null",
                    "6 null null " + left.code() + " 0 " + (takenDepth + 2),
                    "7 null null null null null"), rows);
            assertEquals("0", query(conn, "select count(*) from genealogy.tree_node where node_id in (" + takenSide.id() + ", " + strayParent.id() + ")"),
                    "a refused placement leaves neither tree's row behind");
            assertEquals("1 1", query(conn, "select count(*) filter (where tree = 1) || ' ' || count(*) filter (where tree = 2) from genealogy.tree_node where node_id = "
                    + left.id()), "the refused duplicate undid only its own writes");
            assertEquals("1 0", query(conn, "select count(*) filter (where tree = 1) || ' ' || count(*) filter (where tree = 2) from genealogy.tree_node where node_id = "
                    + tanked.id()), "a recruit for the holding tank gets the sponsor-tree edge only");
            // what RegistrationService does with the refused ones' first-phase rows: it rolls them back
            try (Statement statement = conn.createStatement()) {
                statement.execute("with d as (delete from genealogy.distributor where id in (" + takenSide.id() + ", " + strayParent.id()
                        + ") returning user_id) delete from identity.app_user where id in (select user_id from d)");
            }
            conn.commit();
        }
        assertEquals(List.of(), Network.invariantViolations());
    }

    /** A distributor row as a registration's first phase writes it (account and member, no tree rows yet). */
    private static Member member(Connection conn, long sponsor, boolean inHoldingTank) throws SQLException {
        String tag = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        try (PreparedStatement insert = conn.prepareStatement("""
                with u as (insert into identity.app_user (id, username, display_name, roles) values (gen_random_uuid(), ?, 'Placement Batch', 'distributor')
                           returning id)
                insert into genealogy.distributor (id, user_id, member_code, referral_code, sponsor_id, full_name, search_name, placement_due)
                select nextval('genealogy.member_number_seq'), u.id, ?, ?, ?, 'Placement Batch', 'placement batch',
                       case when ? then now() + interval '30 days' end from u
                returning id, member_code""")) {
            insert.setString(1, "pb-" + tag.toLowerCase());
            insert.setString(2, "PB" + tag);
            insert.setString(3, "PR" + tag);
            insert.setLong(4, sponsor);
            insert.setBoolean(5, inHoldingTank);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new Member(rs.getLong(1), rs.getString(2));
            }
        }
    }

    private static Array texts(Connection conn, String... values) throws SQLException {
        return conn.createArrayOf("text", values);
    }

    private static String query(Connection conn, String sql) throws SQLException {
        try (Statement statement = conn.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The database's own wording of the duplicate sponsor-tree row (its constraint name is the database's business). */
    private static String duplicateKeyMessage(String row) {
        String message = row.substring("5 23505 ".length(), row.length() - " null null null".length());
        assertEquals(true, message.startsWith("duplicate key value violates unique constraint"), row);
        return message;
    }
}
