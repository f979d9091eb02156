package io.downline.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.TestDatabase;
import io.downline.support.Wallets;
import io.downline.support.Wallets.Member;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The wallet API end to end: funding, transfers with a fee, statements, idempotency, reversals, and tamper evidence. */
@QuarkusTest
class WalletApiTest {

    @Test
    void transfersMoveExactMoneyOnceAndStatementsShowTheRunningBalance() {
        Accounts.Account admin = Accounts.create("admin");
        Member asha = Wallets.member(admin, "Asha Transfer");
        Member ravi = Wallets.member(admin, "Ravi Transfer");
        Wallets.settings(admin, false, "0.00", "500.00", "0.00", "50000.00");
        Wallets.transfer(asha, ravi.code(), "1.00", UUID.randomUUID().toString()).then().statusCode(403);

        Wallets.settings(admin, true, "2.50", "500.00", "10.00", "50000.00");
        Wallets.fund(admin, asha.code(), "100.00");
        String key = UUID.randomUUID().toString();
        Wallets.transfer(asha, ravi.code(), "40.10", key).then().statusCode(201)
                .body("amount.amount", equalTo("40.10")).body("fee.amount", equalTo("2.50"))
                .body("senderBalanceAfter.amount", equalTo("57.40"));
        // the same key and body: the first result again, no second effect
        Wallets.transfer(asha, ravi.code(), "40.10", key).then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("senderBalanceAfter.amount", equalTo("57.40"));
        // the same key with another body is refused, changing nothing
        Wallets.transfer(asha, ravi.code(), "1.00", key).then().statusCode(422)
                .body("type", equalTo("urn:downline:problem:idempotency-key-reused"));
        Wallets.transfer(asha, ravi.code(), "1.00", null).then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        Wallets.transfer(asha, ravi.code(), "55.00", UUID.randomUUID().toString()).then().statusCode(422)
                .body("type", equalTo("urn:downline:problem:insufficient-funds"));
        Wallets.transfer(asha, asha.code(), "1.00", UUID.randomUUID().toString()).then().statusCode(400);
        Wallets.transfer(asha, ravi.code(), "0.001", UUID.randomUUID().toString()).then().statusCode(400);
        Wallets.transfer(asha, ravi.code(), "999999999999999999.99", UUID.randomUUID().toString()).then().statusCode(400)
                .body("errors[0].field", equalTo("amount"));
        assertEquals("57.40", Wallets.available(asha));
        assertEquals("40.10", Wallets.available(ravi));

        given().header("Authorization", asha.bearer()).queryParam("limit", 1).get("/api/v1/wallet/statement").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].type", equalTo("TRANSFER")).body("items[0].amount.amount", equalTo("-42.60"))
                .body("items[0].balanceAfter.amount", equalTo("57.40")).body("next", notNullValue());
        String next = given().header("Authorization", asha.bearer()).queryParam("limit", 1).get("/api/v1/wallet/statement").path("next");
        given().header("Authorization", asha.bearer()).queryParam("limit", 1).queryParam("cursor", next).get("/api/v1/wallet/statement")
                .then().statusCode(200).body("items[0].type", equalTo("ADJUSTMENT")).body("items[0].balanceAfter.amount", equalTo("100.00"));
        given().header("Authorization", asha.bearer()).queryParam("type", "ADJUSTMENT").get("/api/v1/wallet/statement")
                .then().statusCode(200).body("items", hasSize(1));
        String csv = given().header("Authorization", asha.bearer()).queryParam("from", "2020-01-01T00:00:00Z")
                .queryParam("to", "2100-01-01T00:00:00Z").get("/api/v1/wallet/statement/csv").then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        assertEquals(3, csv.strip().lines().count(), csv);
        assertTrue(csv.lines().skip(1).findFirst().orElseThrow().contains("-42.60,57.40,INR"), csv);
        // a distributor sees only their own wallet; staff see anyone's
        given().header("Authorization", asha.bearer()).get("/api/v1/members/" + ravi.code() + "/wallet").then().statusCode(403);
        given().header("Authorization", admin.bearer()).get("/api/v1/members/" + ravi.code() + "/wallet").then().statusCode(200)
                .body("posted.amount", equalTo("40.10"));
        assertTrue(Wallets.invariantViolations().isEmpty(), Wallets.invariantViolations().toString());
    }

    @Test
    void adjustmentsAreAuditedAndReversedAtMostOnce() {
        Accounts.Account admin = Accounts.create("admin");
        Member meera = Wallets.member(admin, "Meera Adjusted");
        int txn = Wallets.adjust(admin, meera.code(), "CREDIT", "250.00").then().statusCode(201)
                .body("type", equalTo("ADJUSTMENT")).body("legs", hasSize(2)).body("note", equalTo("test funding"))
                .extract().path("id");
        Wallets.adjust(admin, meera.code(), "DEBIT", "250.01").then().statusCode(422);
        assertEquals("1", Network.query("select count(*) from ledger.ledger_audit where txn_id = ?", (long) txn));

        String key = UUID.randomUUID().toString();
        int reversal = given().header("Authorization", admin.bearer()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"reason\":\"posted to the wrong member\"}").post("/api/v1/ledger/transactions/" + txn + "/reversal")
                .then().statusCode(201).body("type", equalTo("REVERSAL")).body("reverses", equalTo(txn)).extract().path("id");
        // a retry after a lost response gets the reversal again, not "already reversed"
        given().header("Authorization", admin.bearer()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"reason\":\"posted to the wrong member\"}").post("/api/v1/ledger/transactions/" + txn + "/reversal")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(reversal));
        given().header("Authorization", admin.bearer()).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body("{\"reason\":\"again\"}").post("/api/v1/ledger/transactions/" + txn + "/reversal")
                .then().statusCode(409);
        given().header("Authorization", admin.bearer()).get("/api/v1/ledger/transactions/" + txn).then().statusCode(200)
                .body("reversedBy", notNullValue());
        // both are in the audit log once (the replay added nothing), with who, why, and what changed
        given().header("Authorization", admin.bearer()).queryParam("subjectType", "ledger-transaction").queryParam("subjectId", txn)
                .get("/api/v1/audit/events").then().statusCode(200)
                .body("items.action", org.hamcrest.Matchers.contains("LEDGER_REVERSAL", "LEDGER_ADJUSTMENT"))
                .body("items[0].reason", equalTo("posted to the wrong member")).body("items[0].after.reversedBy", equalTo(reversal))
                .body("items[1].actor", equalTo(admin.username())).body("items[1].after.memberCode", equalTo(meera.code()))
                .body("items[1].after.amount.amount", equalTo("250.00"));
        assertEquals("0.00", Wallets.available(meera));
        given().header("Authorization", meera.bearer()).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body("{\"memberCode\":\"" + meera.code() + "\",\"direction\":\"CREDIT\",\"amount\":" + Wallets.inr("5.00") + ",\"reason\":\"me\"}")
                .post("/api/v1/ledger/adjustments").then().statusCode(403);
        assertTrue(Wallets.invariantViolations().isEmpty(), Wallets.invariantViolations().toString());
    }

    @Test
    void entriesCannotBeChangedAndTamperingIsReportedWithAccountAndSequence() throws SQLException {
        Accounts.Account admin = Accounts.create("admin");
        Member tara = Wallets.member(admin, "Tara Tamper");
        Wallets.fund(admin, tara.code(), "10.00");
        Wallets.fund(admin, tara.code(), "20.00");
        String account = Network.query("select a.id from ledger.ledger_account a join genealogy.distributor d on d.id = a.distributor_id where d.member_code = ?",
                tara.code());
        given().header("Authorization", admin.bearer()).post("/api/v1/ledger/verification").then().statusCode(200)
                .body("consistent", equalTo(true));
        try (Connection db = TestDatabase.connect(); Statement sql = db.createStatement()) {
            SQLException trigger = assertThrows(SQLException.class,
                    () -> sql.executeUpdate("update ledger.ledger_entry set amount = 1 where account_id = " + account));
            assertTrue(trigger.getMessage().contains("append-only"), trigger.getMessage());
            assertThrows(SQLException.class, () -> sql.executeUpdate("delete from ledger.ledger_txn"));
            sql.execute("set role downline_ledger_writer");
            SQLException privilege = assertThrows(SQLException.class,
                    () -> sql.executeUpdate("update ledger.ledger_entry set amount = 1 where account_id = " + account));
            assertEquals("42501", privilege.getSQLState());
            sql.execute("reset role");
            // a superuser switching triggers off can still change a row, but not without the chain noticing
            sql.execute("set session_replication_role = replica");
            sql.executeUpdate("update ledger.ledger_entry set amount = 1500 where account_id = " + account + " and seq = 2");
            sql.execute("set session_replication_role = origin");
            given().header("Authorization", admin.bearer()).post("/api/v1/ledger/verification").then().statusCode(200)
                    .body("consistent", equalTo(false)).body("firstMismatch.accountId", equalTo(Integer.parseInt(account)))
                    .body("firstMismatch.sequence", equalTo(2));
            sql.execute("set session_replication_role = replica");
            sql.executeUpdate("update ledger.ledger_entry set amount = 2000 where account_id = " + account + " and seq = 2");
            sql.execute("set session_replication_role = origin");
            given().header("Authorization", admin.bearer()).post("/api/v1/ledger/verification").then().statusCode(200)
                    .body("consistent", equalTo(true));
            // the transaction row is covered too: a changed note breaks the chains of its entries
            String txn = Network.query("select txn_id from ledger.ledger_entry where account_id = ? and seq = 1", Long.parseLong(account));
            sql.execute("set session_replication_role = replica");
            sql.executeUpdate("update ledger.ledger_txn set metadata = jsonb_set(metadata, '{note}', '\"edited\"') where id = " + txn);
            sql.execute("set session_replication_role = origin");
            given().header("Authorization", admin.bearer()).post("/api/v1/ledger/verification").then().statusCode(200)
                    .body("consistent", equalTo(false)).body("mismatches", equalTo(2)) // both legs of that transaction
                    .body("firstMismatch.problem", equalTo("hash does not match its fields, its transaction and its predecessor"));
            sql.execute("set session_replication_role = replica");
            sql.executeUpdate("update ledger.ledger_txn set metadata = jsonb_set(metadata, '{note}', '\"test funding\"') where id = " + txn);
            sql.execute("set session_replication_role = origin");
        }
        given().header("Authorization", admin.bearer()).post("/api/v1/ledger/verification").then().statusCode(200)
                .body("consistent", equalTo(true));
        assertEquals(List.of(), Wallets.invariantViolations());
    }
}
