package io.downline.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Kyc;
import io.downline.support.Network;
import io.downline.support.Wallets;
import io.downline.support.Wallets.Member;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** A withdrawal from request to payout: verified bank account, limits, maker-checker, batch file, paid and failed. */
@QuarkusTest
class WithdrawalFlowTest {

    @Test
    void aWithdrawalIsHeldApprovedBatchedAndPaidOrFailedWithTheHoldSettledOnce() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        Accounts.Account treasurer = Accounts.create("finance");
        Wallets.settings(admin, true, "0.00", "500.00", "15.00", "2000.00");
        Member s = Wallets.member(admin, "Sunita Withdraws");
        Wallets.fund(admin, s.code(), "5000.00");

        Withdrawals.request(s, "600.00", UUID.randomUUID().toString()).then().statusCode(409)
                .body("detail", containsString("KYC")); // no approved KYC yet
        Kyc.approve(s);
        Withdrawals.request(s, "600.00", UUID.randomUUID().toString()).then().statusCode(409)
                .body("detail", containsString("verified bank account")); // no verified bank account yet
        given().header("Authorization", s.bearer()).contentType(ContentType.JSON)
                .body("{\"holderName\":\"Sunita Rao\",\"accountNumber\":\"12\",\"ifsc\":\"bad\"}")
                .put("/api/v1/wallet/bank-account").then().statusCode(400);
        given().header("Authorization", s.bearer()).contentType(ContentType.JSON)
                .body("{\"holderName\":\"Test Holder\",\"accountNumber\":\"50100234567890\",\"ifsc\":\"HDFC0001234\"}")
                .put("/api/v1/wallet/bank-account").then().statusCode(200).body("status", equalTo("PENDING"));
        // the verifier types what the documents show: an account changed since then is not verified unseen
        given().header("Authorization", finance.bearer()).contentType(ContentType.JSON)
                .body("{\"accountNumber\":\"50100234567891\",\"ifsc\":\"HDFC0001234\"}")
                .post("/api/v1/members/" + s.code() + "/bank-account/verification").then().statusCode(409);
        Withdrawals.verifiedBankAccount(s, finance);
        given().header("Authorization", s.bearer()).get("/api/v1/wallet/bank-account").then().statusCode(200)
                .body("accountNumber", equalTo("XXXXXXXXXX7890")).body("status", equalTo("VERIFIED"));

        Withdrawals.request(s, "499.99", UUID.randomUUID().toString()).then().statusCode(400); // below the minimum
        String key = UUID.randomUUID().toString();
        int first = Withdrawals.request(s, "1200.00", key).then().statusCode(201).body("status", equalTo("REQUESTED"))
                .body("fee.amount", equalTo("15.00")).body("payout.amount", equalTo("1185.00")).extract().path("id");
        Withdrawals.request(s, "1200.00", key).then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(first));
        Withdrawals.request(s, "900.00", UUID.randomUUID().toString()).then().statusCode(422)
                .body("type", equalTo("urn:downline:problem:limit-exceeded"));
        int second = Withdrawals.request(s, "800.00", UUID.randomUUID().toString()).then().statusCode(201).extract().path("id");
        given().header("Authorization", s.bearer()).get("/api/v1/wallet").then()
                .body("held.amount", equalTo("2000.00")).body("available.amount", equalTo("3000.00"));

        // maker-checker: a distributor with the finance role cannot decide their own request
        Network.query("update identity.app_user set roles = 'distributor,finance' where username = ? returning 1", s.username());
        String both = "Bearer " + Accounts.login(s.username(), Accounts.PASSWORD).getString("accessToken");
        given().header("Authorization", both).post("/api/v1/withdrawals/" + first + "/approval").then().statusCode(403);
        given().header("Authorization", s.bearer()).post("/api/v1/withdrawals/" + first + "/approval").then().statusCode(403);

        given().header("Authorization", finance.bearer()).post("/api/v1/withdrawals/" + first + "/approval").then().statusCode(200)
                .body("status", equalTo("APPROVED")).body("decidedBy", equalTo(finance.username()));
        given().header("Authorization", finance.bearer()).post("/api/v1/withdrawals/" + first + "/approval").then().statusCode(409);
        given().header("Authorization", finance.bearer()).contentType(ContentType.JSON).body("{\"reason\":\"duplicate request\"}")
                .post("/api/v1/withdrawals/" + second + "/rejection").then().statusCode(200).body("status", equalTo("REJECTED"));
        assertEquals("3800.00", Wallets.available(s), "the rejection released its hold");
        // every decision is in the audit log with the state before and after, for finance to read
        given().header("Authorization", finance.bearer()).queryParam("subjectType", "withdrawal").queryParam("subjectId", first)
                .get("/api/v1/audit/events").then().statusCode(200).body("items[0].action", equalTo("WITHDRAWAL_APPROVED"))
                .body("items[0].actor", equalTo(finance.username()))
                .body("items[0].before.status", equalTo("REQUESTED")).body("items[0].after.status", equalTo("APPROVED"));
        given().header("Authorization", finance.bearer()).queryParam("subjectType", "withdrawal").queryParam("subjectId", second)
                .get("/api/v1/audit/events").then().statusCode(200).body("items[0].action", equalTo("WITHDRAWAL_REJECTED"))
                .body("items[0].reason", equalTo("duplicate request"));
        given().header("Authorization", finance.bearer()).queryParam("subjectType", "bank-account").queryParam("subjectId", s.code())
                .get("/api/v1/audit/events").then().statusCode(200).body("items[0].action", equalTo("BANK_ACCOUNT_VERIFIED"))
                .body("items[0].before.status", equalTo("PENDING")).body("items[0].after.accountNumber", equalTo("XXXXXXXXXX7890"));

        int batch = given().header("Authorization", finance.bearer()).post("/api/v1/payout-batches").then().statusCode(201)
                .body("lines", equalTo(1)).body("total.amount", equalTo("1185.00")).extract().path("id");
        given().header("Authorization", finance.bearer()).post("/api/v1/payout-batches").then().statusCode(409);
        String file = given().header("Authorization", finance.bearer()).get("/api/v1/payout-batches/" + batch + "/file").then().statusCode(200)
                .extract().asString();
        assertTrue(file.contains("NEFT,Test Holder,50100234567890,HDFC0001234,1185.00,INR,WD" + first), file);

        given().header("Authorization", both).contentType(ContentType.JSON).body("{\"reason\":\"my own payout failed\"}")
                .post("/api/v1/withdrawals/" + first + "/failed").then().statusCode(403);
        // the approver does not also settle: a second finance person confirms the bank paid
        given().header("Authorization", finance.bearer()).contentType(ContentType.JSON).body("{\"bankReference\":\"UTR123\"}")
                .post("/api/v1/withdrawals/" + first + "/paid").then().statusCode(403).body("type", equalTo("urn:downline:problem:forbidden"));
        given().header("Authorization", finance.bearer()).contentType(ContentType.JSON).body("{\"reason\":\"approver says failed\"}")
                .post("/api/v1/withdrawals/" + first + "/failed").then().statusCode(403);
        given().header("Authorization", treasurer.bearer()).contentType(ContentType.JSON).body("{\"bankReference\":\"UTR123\"}")
                .post("/api/v1/withdrawals/" + first + "/paid").then().statusCode(200).body("status", equalTo("PAID"))
                .body("bankReference", equalTo("UTR123"));
        given().header("Authorization", treasurer.bearer()).contentType(ContentType.JSON).body("{\"reason\":\"late failure\"}")
                .post("/api/v1/withdrawals/" + first + "/failed").then().statusCode(409);
        given().header("Authorization", s.bearer()).get("/api/v1/wallet").then()
                .body("posted.amount", equalTo("3800.00")).body("held.amount", equalTo("0.00"));
        given().header("Authorization", s.bearer()).queryParam("type", "WITHDRAWAL").get("/api/v1/wallet/statement").then()
                .body("items", hasSize(1)).body("items[0].amount.amount", equalTo("-1200.00"));
        given().header("Authorization", s.bearer()).get("/api/v1/wallet/withdrawals").then().statusCode(200)
                .body("items.status", equalTo(List.of("REJECTED", "PAID")));

        // a failed payout gives the money back
        int third = Withdrawals.request(s, "500.00", UUID.randomUUID().toString()).then().statusCode(201).extract().path("id");
        given().header("Authorization", finance.bearer()).post("/api/v1/withdrawals/" + third + "/approval").then().statusCode(200);
        given().header("Authorization", finance.bearer()).post("/api/v1/payout-batches").then().statusCode(201);
        given().header("Authorization", treasurer.bearer()).contentType(ContentType.JSON).body("{\"reason\":\"account closed\"}")
                .post("/api/v1/withdrawals/" + third + "/failed").then().statusCode(200).body("status", equalTo("FAILED"));
        assertEquals("3800.00", Wallets.available(s));
        given().header("Authorization", s.bearer()).get("/api/v1/withdrawals").then().statusCode(403);
        assertEquals(List.of(), Wallets.invariantViolations());
    }
}
