package io.downline.ledger;

import static io.restassured.RestAssured.given;

import io.downline.support.Accounts;
import io.downline.support.Kyc;
import io.downline.support.Wallets;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Withdrawal steps shared by the ledger tests. */
final class Withdrawals {

    private Withdrawals() {
    }

    /** Approved KYC and a verified bank account: what a member needs before withdrawing. */
    static void readyToWithdraw(Wallets.Member member, Accounts.Account finance) {
        Kyc.approve(member);
        verifiedBankAccount(member, finance);
    }

    static void verifiedBankAccount(Wallets.Member member, Accounts.Account finance) {
        given().header("Authorization", member.bearer()).contentType(ContentType.JSON)
                .body("{\"holderName\":\"Test Holder\",\"accountNumber\":\"50100234567890\",\"ifsc\":\"HDFC0001234\"}")
                .put("/api/v1/wallet/bank-account").then().statusCode(200);
        given().header("Authorization", finance.bearer()).contentType(ContentType.JSON)
                .body("{\"accountNumber\":\"50100234567890\",\"ifsc\":\"HDFC0001234\"}")
                .post("/api/v1/members/" + member.code() + "/bank-account/verification").then().statusCode(200);
    }

    static Response request(Wallets.Member member, String amount, String key) {
        return given().header("Authorization", member.bearer()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"amount\":" + Wallets.inr(amount) + "}").post("/api/v1/withdrawals");
    }
}
