package io.downline.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.Wallets;
import io.downline.support.Wallets.Member;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Commission credits in batches, idempotent per source reference, with TDS deducted per the dated Indian rules. */
@QuarkusTest
class CommissionCreditsTest {

    @Test
    void crossingTheThresholdCatchesUpEarlierCreditsOfTheYear() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        Member m = Wallets.member(admin, "Mohan Crossing");
        pan(finance, m.code(), "ABCPM1234F");
        String tag = UUID.randomUUID().toString();
        post(finance, credit(tag + "-1", m.code(), "8000.00", "2025-05-10"), credit(tag + "-2", m.code(), "9000.00", "2025-06-10"))
                .body("posted", equalTo(2)).body("tdsDeducted.amount", equalTo("0.00")).body("tdsLines", equalTo(0));
        int batch = post(finance, credit(tag + "-3", m.code(), "4000.00", "2025-08-10"))
                .body("posted", equalTo(1)).body("tdsDeducted.amount", equalTo("420.00")).body("tdsLines", equalTo(3))
                .extract().path("transactionId");
        // a bare negation would contradict the tax ledger: commission batches are corrected by clawbacks instead
        given().header("Authorization", admin.bearer()).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body("{\"reason\":\"undo\"}").post("/api/v1/ledger/transactions/" + batch + "/reversal").then().statusCode(409);
        // sent again: nothing new is posted
        post(finance, credit(tag + "-1", m.code(), "8000.00", "2025-05-10"), credit(tag + "-3", m.code(), "4000.00", "2025-08-10"))
                .body("posted", equalTo(0)).body("alreadyPosted", equalTo(2));
        assertEquals("20580.00", Wallets.available(m));

        given().header("Authorization", finance.bearer()).get("/api/v1/tds/returns/2025-26/2").then().statusCode(200)
                .body("deductees.findAll { it.memberCode == '" + m.code() + "' }.tax.amount", equalTo(List.of("160.00", "180.00", "80.00")))
                .body("deductees.findAll { it.memberCode == '" + m.code() + "' }.catchUp", equalTo(List.of(true, true, false)))
                .body("deductees.find { it.memberCode == '" + m.code() + "' }.section", equalTo("194H"))
                .body("deductees.find { it.memberCode == '" + m.code() + "' }.pan", equalTo("ABCPM1234F"));
        String file = given().header("Authorization", finance.bearer()).get("/api/v1/tds/returns/2025-26/2/file").then().statusCode(200)
                .extract().asString();
        assertEquals(true, file.contains(",ABCPM1234F,Mohan Crossing," + m.code() + ",194H,2025-05-10,2025-08-10,8000.00,2.00,160.00,Y,"), file);
        given().header("Authorization", m.bearer()).get("/api/v1/wallet/tds-certificates/2025-26/2").then().statusCode(200)
                .body("taxDeducted.amount", equalTo("420.00")).body("amountCredited.amount", equalTo("21000.00"))
                .body("periodFrom", equalTo("2025-07-01")).body("deductions", hasSize(3));
        given().header("Authorization", m.bearer()).get("/api/v1/wallet/tds-certificates/2025-26/1").then().statusCode(200)
                .body("deductions", hasSize(0));
        given().header("Authorization", m.bearer()).get("/api/v1/wallet/tax-profile").then().statusCode(200)
                .body("pan", equalTo("XXXXX1234F")).body("currentRatePercent", equalTo(2.0f));
        assertEquals(List.of(), Wallets.invariantViolations());
    }

    @Test
    void theRateChangesOnTheFirstOfOctober2024AndTheThresholdWithTheYear() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        Member n = Wallets.member(admin, "Nisha Rate Change");
        Member p = Wallets.member(admin, "Pavan Threshold");
        pan(finance, n.code(), "ABCPN1234F");
        pan(finance, p.code(), "ABCPP1234F");
        String tag = UUID.randomUUID().toString();
        // exactly at the FY 2024-25 threshold: no tax yet
        post(finance, credit(tag + "-n1", n.code(), "15000.00", "2024-06-01")).body("tdsDeducted.amount", equalTo("0.00"));
        // crossing on 30 Sep 2024: 5% on the catch-up and on the crossing credit; from 1 Oct 2024: 2%
        post(finance, credit(tag + "-n2", n.code(), "1000.00", "2024-09-30"), credit(tag + "-n3", n.code(), "1000.00", "2024-10-01"))
                .body("tdsDeducted.amount", equalTo("820.00"));
        // 18,000 crosses the 15,000 threshold of FY 2024-25 but not the 20,000 of FY 2025-26
        post(finance, credit(tag + "-p1", p.code(), "18000.00", "2025-03-31"), credit(tag + "-p2", p.code(), "18000.00", "2025-04-01"))
                .body("tdsDeducted.amount", equalTo("360.00")).body("tdsLines", equalTo(1));
        assertEquals("16180.00", Wallets.available(n));
        assertEquals("35640.00", Wallets.available(p));
        given().header("Authorization", finance.bearer()).get("/api/v1/members/" + n.code() + "/tds-certificates/2024-25/2").then().statusCode(200)
                .body("deductions.ratePercent", equalTo(List.of(5.0f, 5.0f))).body("taxDeducted.amount", equalTo("800.00"));
        given().header("Authorization", finance.bearer()).get("/api/v1/members/" + n.code() + "/tds-certificates/2024-25/3").then().statusCode(200)
                .body("deductions.ratePercent", equalTo(List.of(2.0f))).body("taxDeducted.amount", equalTo("20.00"));
        assertEquals(List.of(), Wallets.invariantViolations());
    }

    @Test
    void withoutAPanTheRateIs20PercentAndWhatTheCreditCannotCoverIsRecoveredLater() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        Member q = Wallets.member(admin, "Qadir No Pan");
        String tag = UUID.randomUUID().toString();
        post(finance, credit(tag + "-1", q.code(), "19990.00", "2025-05-01")).body("tdsDeducted.amount", equalTo("0.00"));
        post(finance, credit(tag + "-2", q.code(), "20.00", "2025-05-02")).body("tdsDeducted.amount", equalTo("20.00"));
        assertEquals("19990.00", Wallets.available(q));
        assertEquals("398200", Network.query("""
                select y.outstanding_tax from tds.tds_year y join genealogy.distributor d on d.id = y.distributor_id where d.member_code = ?""", q.code()));
        post(finance, credit(tag + "-3", q.code(), "10000.00", "2025-05-03")).body("tdsDeducted.amount", equalTo("5982.00"));
        assertEquals("24008.00", Wallets.available(q));
        given().header("Authorization", finance.bearer()).get("/api/v1/tds/returns/2025-26/1").then().statusCode(200)
                .body("deductees.findAll { it.memberCode == '" + q.code() + "' }.pan", equalTo(List.of("PANNOTAVBL", "PANNOTAVBL", "PANNOTAVBL")))
                .body("deductees.findAll { it.memberCode == '" + q.code() + "' }.remark", equalTo(List.of("C", "C", "C")));
        assertEquals(List.of(), Wallets.invariantViolations());
    }

    @Test
    void badBatchesAreRefusedWhole() {
        Accounts.Account admin = Accounts.create("admin");
        Member r = Wallets.member(admin, "Rekha Refused");
        String tag = UUID.randomUUID().toString();
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"credits\":[" + credit(tag, r.code(), "1.00", "2026-11-01") + "," + credit(tag, r.code(), "2.00", "2026-11-01") + "]}")
                .post("/api/v1/ledger/commission-credits").then().statusCode(400).body("errors[0].field", equalTo("credits[1].sourceReference"));
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"credits\":[" + credit(tag + "-a", r.code(), "1.00", "2026-11-01") + "," + credit(tag + "-b", "DL99999999", "2.00", "2026-11-01") + "]}")
                .post("/api/v1/ledger/commission-credits").then().statusCode(400).body("errors[0].field", equalTo("credits[1].memberCode"));
        assertEquals("0.00", Wallets.available(r));
        given().header("Authorization", r.bearer()).contentType(ContentType.JSON)
                .body("{\"credits\":[" + credit(tag + "-c", r.code(), "1.00", "2026-11-01") + "]}")
                .post("/api/v1/ledger/commission-credits").then().statusCode(403);
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"credits\":[" + credit(tag + "-d", r.code(), "1.00", "2020-11-01") + "]}")
                .post("/api/v1/ledger/commission-credits").then().statusCode(400).body("errors[0].field", equalTo("credits[0].creditedOn"));
    }

    @Test
    void aPanTheDistributorEntersLowersTheRateOnlyOnceStaffConfirmIt() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        Member s = Wallets.member(admin, "Sameer Own Pan");
        given().header("Authorization", s.bearer()).contentType(ContentType.JSON).body("{\"pan\":\"ABCPS1234F\"}")
                .put("/api/v1/wallet/tax-profile").then().statusCode(200)
                .body("panOperative", equalTo(false)).body("currentRatePercent", equalTo(20.0f));
        given().header("Authorization", s.bearer()).contentType(ContentType.JSON).body("{\"pan\":\"ABCPS1234F\",\"panOperative\":true}")
                .put("/api/v1/wallet/tax-profile").then().statusCode(400);
        pan(finance, s.code(), "ABCPS1234F");
        given().header("Authorization", s.bearer()).get("/api/v1/wallet/tax-profile").then().body("currentRatePercent", equalTo(2.0f));
        given().header("Authorization", s.bearer()).contentType(ContentType.JSON).body("{\"pan\":\"ZZZPZ9999Z\"}")
                .put("/api/v1/wallet/tax-profile").then().statusCode(200).body("panOperative", equalTo(false));
    }

    private static void pan(Accounts.Account finance, String code, String pan) {
        given().header("Authorization", finance.bearer()).contentType(ContentType.JSON).body("{\"pan\":\"" + pan + "\",\"panOperative\":true}")
                .put("/api/v1/members/" + code + "/tax-profile").then().statusCode(200);
    }

    private static String credit(String reference, String code, String amount, String date) {
        return "{\"sourceReference\":\"" + reference + "\",\"memberCode\":\"" + code + "\",\"amount\":" + Wallets.inr(amount)
                + ",\"creditedOn\":\"" + date + "\"}";
    }

    private static ValidatableResponse post(Accounts.Account finance, String... credits) {
        return given().header("Authorization", finance.bearer()).contentType(ContentType.JSON)
                .body("{\"credits\":[" + String.join(",", credits) + "]}").post("/api/v1/ledger/commission-credits").then().statusCode(200);
    }
}
