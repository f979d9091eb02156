package io.downline.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.TestDatabase;
import io.downline.support.Wallets;
import io.quarkus.test.junit.QuarkusTest;

/** A month's entries, once checkpointed, verify on their own: as an archive would hold them after the partition is detached. */
@QuarkusTest
class LedgerArchiveTest {

    @Test
    void anArchivedMonthVerifiesFromItsCheckpointsAndTamperingInItIsFound() throws SQLException {
        Accounts.Account admin = Accounts.create("admin");
        Wallets.Member u = Wallets.member(admin, "Uma Archived");
        Wallets.fund(admin, u.code(), "10.00");
        Wallets.fund(admin, u.code(), "20.00");
        String account = Network.query("select a.id from ledger.ledger_account a join genealogy.distributor d on d.id = a.distributor_id where d.member_code = ?",
                u.code());
        try (Connection db = TestDatabase.connect(); Statement sql = db.createStatement()) {
            sql.execute("select ledger.ledger_checkpoint_month(now()::date)");
            sql.execute("create temporary table archived_month as select * from ledger.ledger_entry where created_at >= date_trunc('month', now())");
            assertEquals(List.of(), problems(sql));
            sql.executeUpdate("update archived_month set amount = amount + 1 where account_id = " + account + " and seq = 2");
            assertEquals(List.of(account + ":2:hash does not match its fields, its transaction and its predecessor"), problems(sql));
            sql.executeUpdate("update archived_month set amount = amount - 1 where account_id = " + account + " and seq = 2");
            sql.executeUpdate("delete from archived_month where account_id = " + account + " and seq = 2");
            assertEquals(List.of(account + ":2:month-end checkpoint does not match the archived chain"), problems(sql));
            sql.execute("drop table archived_month");
        }
        assertEquals(List.of(), Wallets.invariantViolations());
    }

    private static List<String> problems(Statement sql) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("select account_id, seq, problem from ledger.ledger_verify_archive('archived_month', now()::date)")) {
            while (rs.next()) {
                problems.add(rs.getLong(1) + ":" + rs.getLong(2) + ":" + rs.getString(3));
            }
        }
        return problems;
    }
}
