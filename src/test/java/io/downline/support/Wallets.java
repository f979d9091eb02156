package io.downline.support;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Distributors with wallets, money put into them, and the ledger's invariants. */
public final class Wallets {

    private Wallets() {
    }

    public record Member(String code, String bearer, String username) {
    }

    /** A new distributor under the root, with an activated login. */
    public static Member member(Accounts.Account admin, String name) {
        JsonPath registration = Network.join(admin, Network.root(admin), name);
        return new Member(registration.getString("memberCode"), Network.activate(registration), registration.getString("username"));
    }

    public static Response adjust(Accounts.Account admin, String code, String direction, String amount) {
        return given().header("Authorization", admin.bearer()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body("{\"memberCode\":\"" + code + "\",\"direction\":\"" + direction + "\",\"amount\":{\"amount\":\"" + amount
                        + "\",\"currency\":\"INR\"},\"reason\":\"test funding\"}")
                .post("/api/v1/ledger/adjustments");
    }

    public static void fund(Accounts.Account admin, String code, String amount) {
        adjust(admin, code, "CREDIT", amount).then().statusCode(201);
    }

    public static Response transfer(Member from, String to, String amount, String key) {
        var request = given().header("Authorization", from.bearer()).contentType(ContentType.JSON);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.body("{\"toMemberCode\":\"" + to + "\",\"amount\":{\"amount\":\"" + amount + "\",\"currency\":\"INR\"},\"note\":\"test\"}")
                .post("/api/v1/wallet/transfers");
    }

    public static String available(Member member) {
        return given().header("Authorization", member.bearer()).get("/api/v1/wallet").then().statusCode(200).extract().path("available.amount");
    }

    public static void settings(Accounts.Account admin, boolean transfers, String transferFee, String minimum, String withdrawalFee, String limit) {
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"transfersEnabled\":" + transfers + ",\"transferFee\":" + inr(transferFee) + ",\"minimumWithdrawal\":" + inr(minimum)
                        + ",\"withdrawalFee\":" + inr(withdrawalFee) + ",\"dailyWithdrawalLimit\":" + inr(limit) + "}")
                .put("/api/v1/ledger/settings").then().statusCode(200);
    }

    public static String inr(String amount) {
        return "{\"amount\":\"" + amount + "\",\"currency\":\"INR\"}";
    }

    /** Every ledger invariant that must hold after any interleaving: each list must be empty. */
    public static List<String> invariantViolations() {
        List<String> violations = new ArrayList<>();
        check(violations, "balances do not sum to zero per currency",
                "select count(*) from (select currency from ledger.ledger_account group by currency having sum(balance) <> 0) x");
        check(violations, "a balance differs from the sum of its entries", """
                select count(*) from ledger.ledger_account a
                 where a.balance <> coalesce((select sum(e.amount) from ledger.ledger_entry e where e.account_id = a.id), 0)""");
        check(violations, "a wallet's available balance is negative", "select count(*) from ledger.ledger_account where kind = 'WALLET' and balance - held < 0");
        check(violations, "held differs from the open holds", """
                select count(*) from ledger.ledger_account a
                 where a.held <> coalesce((select sum(h.amount) from ledger.ledger_hold h where h.account_id = a.id and h.status = 'OPEN'), 0)""");
        check(violations, "ledger_verify reports a mismatch", "select count(*) from ledger.ledger_verify()");
        return violations;
    }

    private static void check(List<String> violations, String what, String sql) {
        String count = Network.query(sql);
        if (!"0".equals(count)) {
            violations.add(what + ": " + count);
        }
    }
}
