package io.downline.commission.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.downline.bench.SyntheticPeriod;
import io.downline.commission.engine.CompPlan.Binary;
import io.downline.commission.engine.CompPlan.BinaryPay;
import io.downline.commission.engine.CompPlan.CapExcess;
import io.downline.commission.engine.CompPlan.FirstPair;
import io.downline.commission.engine.CompPlan.PayoutBasis;

/**
 * Properties of a close over 300 random networks and plans (the seed is in the test name, so a failure replays): the
 * payout cap never lets the total exceed its limit, pays exactly min(earned, limit), never makes a line negative or
 * larger than computed; binary volume is conserved.
 */
class PayoutCapPropertyTest {

    static LongStream seeds() {
        return LongStream.range(1, 301);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theCapHoldsAndNoLineGoesNegative(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int members = 1 + random.nextInt(400);
        PeriodSnapshot snapshot = SyntheticPeriod.generate(members, random.nextInt(3 * members + 1), seed);
        CompPlan plan = randomPlan(random);
        PeriodSnapshot withInstant = new PeriodSnapshot(snapshot.periodRef(), snapshot.memberId(), snapshot.parent(),
                snapshot.side(), snapshot.sponsor(), snapshot.pv(), snapshot.bv(), snapshot.carryLeft(),
                snapshot.carryRight(), snapshot.highestRank(), snapshot.pairedBefore(), snapshot.active(),
                snapshot.kycVerified(), random.nextLong(snapshot.companyBv() / 10 + 1));
        CloseResult result = PeriodCloseEngine.close(plan, withInstant);

        CapOutcome cap = result.cap();
        long paid = 0;
        long uncapped = 0;
        for (CommissionLine line : result.lines()) {
            assertTrue(line.amountMinor() >= 0, "negative line " + line);
            assertTrue(line.amountMinor() <= line.uncappedMinor(), "a line grew: " + line);
            paid += line.amountMinor();
            uncapped += line.uncappedMinor();
        }
        assertEquals(uncapped, cap.earnedMinor());
        assertEquals(Math.min(cap.earnedMinor(), cap.limitMinor()), paid);
        assertEquals(paid, cap.paidMinor());
        assertTrue(paid <= cap.limitMinor());

        long[] carryLeft = result.carryLeft();
        long[] flushedLeft = result.flushedLeft();
        for (int i = 0; i < members; i++) {
            assertTrue(carryLeft[i] >= 0 && flushedLeft[i] >= 0 && result.carryRight()[i] >= 0);
            assertTrue(result.highestRank()[i] >= snapshot.highestRank()[i], "a rank went down");
        }
    }

    private static CompPlan randomPlan(SplittableRandom random) {
        long unit = 100 + random.nextInt(400);
        boolean perPair = random.nextBoolean();
        Binary binary = new Binary(PayoutBasis.PV, unit, unit, random.nextBoolean() ? FirstPair.STANDARD
                : FirstPair.ONE_TO_TWO, perPair ? BinaryPay.PER_PAIR : BinaryPay.WEAK_LEG_PERCENT,
                perPair ? 1L + random.nextInt(100_000) : null, perPair ? null : percent(random),
                random.nextBoolean() ? 1 + random.nextInt(5) : null,
                random.nextBoolean() ? CapExcess.FLUSH : CapExcess.CARRY, random.nextBoolean(), random.nextBoolean(),
                null);
        List<CompPlan.Rank> ranks = List.of(new CompPlan.Rank("R1", "One", 50, 500, 0, 0, null, 1),
                new CompPlan.Rank("R2", "Two", 100, 5_000, 2, 500, "R1", 2 + random.nextInt(3)));
        CompPlan.Matching matching = new CompPlan.Matching(List.of(
                new CompPlan.MatchingGeneration(percent(random), null),
                new CompPlan.MatchingGeneration(percent(random), "R1")));
        CompPlan plan = new CompPlan("prop", "INR", CompPlan.PeriodKind.MONTHLY, null,
                new CompPlan.Qualification(random.nextInt(200), random.nextBoolean(), random.nextBoolean()), null,
                null, binary, matching, ranks, new CompPlan.LeadershipPool(percent(random)),
                new CompPlan.PayoutCap(new BigDecimal(1 + random.nextInt(60))));
        assertEquals(List.of(), PlanValidator.validate(plan));
        return plan;
    }

    private static BigDecimal percent(SplittableRandom random) {
        return BigDecimal.valueOf(1 + random.nextInt(4_000), 2);
    }
}
