package io.downline.bench;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.downline.support.Accounts;
import io.downline.support.Commissions;
import io.downline.support.Network;
import io.downline.support.Wallets;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The service's period close end to end (docs/benchmarks.md): a spillover network of {@code bench.close.members}
 * members (default 100,000) imported through the API, the previous month's personal volumes written as genealogy keeps
 * them, then {@code POST /commission/periods/{period}/close} timed until the period is CLOSED: snapshot load, engine,
 * staging the lines, and every batch credited through the ledger (TDS included). Then the what-if replay of the closed
 * period and the estimate of an open period (recomputed per request, as the test profile's max-age of 0 makes it).
 * Prints lines starting with "BENCH | "; checks only that the ledger adds up and every line was credited once.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(BenchProfile.class)
class CommissionCloseServiceBenchmarkTest {

    static final int MEMBERS = Integer.getInteger("bench.close.members", 100_000);
    static final String PLAN = """
            {"currency": "INR", "periodKind": "MONTHLY",
             "qualification": {"minPersonalPv": 100, "requireActive": true, "requireKyc": false},
             "levels": {"ratePercents": [5, 3, 2], "basis": "BV", "compression": "DYNAMIC"},
             "binary": {"basis": "PV", "leftUnit": 100, "rightUnit": 100, "firstPair": "STANDARD", "pay": "PER_PAIR", "perPairMinor": 1000,
                        "maxPairsPerPeriod": 10, "capExcess": "FLUSH", "requireActiveDirectEachSide": false, "flushWhenUnqualified": true},
             "matching": {"generations": [{"ratePercent": 20}, {"ratePercent": 10, "minRank": "SILVER"}]},
             "ranks": [
               {"code": "BRONZE", "name": "Bronze", "minPersonalPv": 100, "minGroupVolume": 1000, "minQualifiedLegs": 0, "minLegVolume": 0, "poolShares": 0},
               {"code": "SILVER", "name": "Silver", "minPersonalPv": 100, "minGroupVolume": 5000, "minQualifiedLegs": 2, "minLegVolume": 500, "poolShares": 1},
               {"code": "GOLD", "name": "Gold", "minPersonalPv": 200, "minGroupVolume": 20000, "minQualifiedLegs": 2, "minLegVolume": 2000, "legRank": "SILVER", "poolShares": 3}],
             "pool": {"percentOfCompanyBv": 2}%s}""";

    @Test
    @Timeout(value = 40, unit = java.util.concurrent.TimeUnit.MINUTES)
    void closeAPeriodOfTheWholeNetwork() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        long started = System.nanoTime();
        SpilloverNetwork net = SpilloverNetwork.generate(MEMBERS, 7130L);
        String job = given().header("Authorization", admin.bearer()).contentType("text/csv").body(net.csv())
                .post("/api/v1/imports?format=CSV").then().statusCode(202).extract().path("id");
        while (!"COMPLETED".equals(given().header("Authorization", admin.bearer()).get("/api/v1/imports/" + job).then().statusCode(200)
                .extract().path("status"))) {
            Thread.sleep(200);
        }
        print("imported %,d members in %,d ms", MEMBERS, ms(started));

        String plan = PLAN.formatted(", \"payoutCap\": {\"percentOfBv\": 40}");
        Commissions.upload(admin, "application/json", plan, "2000-01-01T00:00:00Z").then().statusCode(201);
        LocalDate previous = LocalDate.now(ZoneOffset.UTC).minusMonths(1);
        String period = String.format(Locale.ROOT, "%d-%02d", previous.getYear(), previous.getMonthValue());
        String current = String.format(Locale.ROOT, "%d-%02d", LocalDate.now(ZoneOffset.UTC).getYear(), LocalDate.now(ZoneOffset.UTC).getMonthValue());
        // about five orders a member: personal PV 0-300 (a third of the members below the 100 PV qualification), BV 10x PV
        for (String p : new String[] { period, current }) {
            Network.query("""
                    with v as (insert into genealogy.personal_volume (period, distributor_id, pv, bv)
                               select ?, id, pv, pv * 10 from (select id, (random() * 300)::int as pv from genealogy.distributor) d returning 1)
                    select count(*) from v""", p);
        }

        long closeStart = System.nanoTime();
        given().header("Authorization", admin.bearer()).header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/api/v1/commission/periods/" + period + "/close").then().statusCode(202);
        JsonPath closed;
        while (true) {
            closed = given().header("Authorization", admin.bearer()).get("/api/v1/commission/periods/" + period).then().statusCode(200)
                    .extract().jsonPath();
            if ("CLOSED".equals(closed.getString("status"))) {
                break;
            }
            Thread.sleep(100);
        }
        long closeMs = ms(closeStart);
        print("close of %s, %,d members: %,d ms wall (request to CLOSED); compute (snapshot load + engine + staging) %,d ms; "
                + "%,d lines credited in %d ledger batches; paid %s of earned %s (cap %s), company BV %s",
                period, closed.getInt("close.members"), closeMs, closed.getLong("close.computeMillis"), closed.getInt("close.lines"),
                closed.getInt("close.batches"), closed.getString("close.paid.amount"), closed.getString("close.earned.amount"),
                closed.getString("close.capFactor"), closed.getString("close.companyBv.amount"));
        assertEquals(Network.query("select count(*) from commission.line where period = ?", period),
                Network.query("select count(*) from tds.commission_credit where source_reference like ?", "close:" + period + ":%"));
        assertEquals(java.util.List.of(), Wallets.invariantViolations());

        long[] replay = new long[3];
        for (int i = 0; i < replay.length; i++) {
            long t = System.nanoTime();
            JsonPath report = given().header("Authorization", admin.bearer()).contentType("application/json").body(PLAN.formatted(""))
                    .post("/api/v1/commission/periods/" + period + "/what-if").then().statusCode(200).extract().jsonPath();
            replay[i] = ms(t);
            if (i == 0) {
                print("what-if without the cap: total %s (actual %s), payout %s%% of BV, gini %s, engine time %d ms",
                        report.getString("draft.totalPaid.amount"), report.getString("actual.totalPaid.amount"),
                        report.getString("draft.payoutPercentOfBv"), report.getString("draft.gini"), report.getLong("replayMillis"));
            }
        }
        print("what-if request (stored snapshot read and decoded, two closes, comparison): %s ms", Arrays.toString(replay));

        String member = net.code(MEMBERS / 2);
        long[] estimate = new long[5];
        for (int i = 0; i < estimate.length; i++) {
            long t = System.nanoTime();
            given().header("Authorization", admin.bearer()).queryParam("period", current)
                    .get("/api/v1/commission/members/" + member + "/earnings/estimate").then().statusCode(200);
            estimate[i] = ms(t);
        }
        print("estimate of %s, recomputed per request (snapshot of the open period + engine): %s ms", current, Arrays.toString(estimate));
    }

    static long ms(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toMillis();
    }

    static void print(String format, Object... args) {
        System.out.println("BENCH | " + String.format(Locale.ROOT, format, args) + " | " + Instant.now());
    }
}
