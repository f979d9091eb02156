package io.downline.commission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.downline.support.Accounts;
import io.downline.support.Commissions;
import io.quarkus.test.junit.QuarkusTest;

/** Plan versions: JSON and YAML uploads, validation naming the rule, effective dates, reading them back. */
@QuarkusTest
class CommissionPlanApiTest {

    static final String YAML_PLAN = """
            currency: INR
            periodKind: MONTHLY
            qualification: { minPersonalPv: 50, requireActive: true, requireKyc: false }
            sponsorBonus: { ratePercent: 8, basis: BV }
            levels:
              ratePercents: [6, 4]
              basis: BV
              compression: DYNAMIC
            payoutCap: { percentOfBv: 40 }
            """;

    @Test
    void aYamlPlanIsStoredAsAVersionThatTakesEffectWhenItSays() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account support = Accounts.create("support");
        CommissionFixtures.plan(admin);
        int version = Commissions.upload(admin, "application/yaml", YAML_PLAN, "2031-01-01T00:00:00Z").then().statusCode(201)
                .body("sourceFormat", equalTo("YAML"))
                .body("effectiveFrom", equalTo("2031-01-01T00:00:00Z"))
                .body("plan.levels.ratePercents", equalTo(java.util.List.of(6, 4)))
                .body("createdBy", equalTo(admin.username()))
                .extract().path("version");
        given().header("Authorization", support.bearer()).get("/api/v1/commission/plans/" + version).then().statusCode(200)
                .body("plan.version", equalTo(Integer.toString(version)))
                .body("plan.sponsorBonus.ratePercent", equalTo(8));
        given().header("Authorization", support.bearer()).get("/api/v1/commission/plans").then().statusCode(200)
                .body("items.version", hasItem(version));
        given().header("Authorization", support.bearer()).get("/api/v1/commission/plans/999999").then().statusCode(404);
        // the publication is in the company's audit log, with the version as it was stored
        given().header("Authorization", admin.bearer()).queryParam("subjectType", "plan").queryParam("subjectId", "commission:" + version)
                .get("/api/v1/audit/events").then().statusCode(200)
                .body("items.action", equalTo(java.util.List.of("COMMISSION_PLAN_PUBLISHED")))
                .body("items[0].actor", equalTo(admin.username())).body("items[0].after.effectiveFrom", equalTo("2031-01-01T00:00:00Z"));
        // only admins upload; distributors read nothing here
        Commissions.upload(support, "application/yaml", YAML_PLAN, "2031-02-01T00:00:00Z").then().statusCode(403);
    }

    @Test
    void aPlanTheDirectSellingRulesForbidIsRefusedNamingTheRule() {
        Accounts.Account admin = Accounts.create("admin");
        String joiningFee = YAML_PLAN + "joiningFeeMinor: 50000\n";
        Commissions.upload(admin, "application/yaml", joiningFee, "2031-01-01T00:00:00Z").then().statusCode(400)
                .body("type", equalTo("urn:downline:problem:validation-failed"))
                .body("errors[0].field", equalTo("joiningFeeMinor"))
                .body("errors[0].message", startsWith("NO_JOINING_FEE (Consumer Protection (Direct Selling) Rules, 2021"));
        String recruitment = YAML_PLAN.replace("sponsorBonus: { ratePercent: 8, basis: BV }", "sponsorBonus: { ratePercent: 8, basis: RECRUITMENT }");
        Commissions.upload(admin, "application/yaml", recruitment, "2031-01-01T00:00:00Z").then().statusCode(400)
                .body("errors.field", hasItem("sponsorBonus.basis"))
                .body("errors.find { it.field == 'sponsorBonus.basis' }.message", startsWith("PRODUCT_VOLUME_ONLY"));
        Commissions.upload(admin, "application/yaml", YAML_PLAN.replace("INR", "KZT"), "2031-01-01T00:00:00Z").then().statusCode(400)
                .body("errors[0].field", equalTo("currency"));
        Commissions.upload(admin, "application/yaml", YAML_PLAN.replace("MONTHLY", "WEEKLY"), "2031-01-01T00:00:00Z").then().statusCode(400)
                .body("errors[0].field", equalTo("periodKind"));
        Commissions.upload(admin, "application/yaml", "currency: [INR\n", "2031-01-01T00:00:00Z").then().statusCode(400)
                .body("type", equalTo("urn:downline:problem:malformed-request"));
        Commissions.upload(admin, "application/json", "{\"levels\": {\"ratePercents\": \"five\"}}", "2031-01-01T00:00:00Z").then().statusCode(400)
                .body("errors[0].field", equalTo("levels.ratePercents"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aVersionCannotReachBackIntoAPeriodThatHasBegun() {
        Accounts.Account admin = Accounts.create("admin");
        CommissionFixtures.plan(admin);
        CommissionFixtures.openPeriod(admin);
        Commissions.upload(admin, "application/yaml", YAML_PLAN, "2026-02-01T00:00:00Z").then().statusCode(409)
                .body("type", equalTo("urn:downline:problem:conflict"));
    }
}
