package io.downline.commission.engine;

import static io.downline.commission.engine.PeriodSnapshot.LEFT;
import static io.downline.commission.engine.PeriodSnapshot.RIGHT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.downline.bench.SyntheticPeriod;

class WhatIfTest {

    private static final CompPlan PAYING = TestPlans.withCap(TestPlans.withBinary(TestPlans.empty(TestPlans.ANYONE),
            TestPlans.perPair(100, 1_000, null, null, false)), "40");

    @Test
    void replayingAClosedPeriodUnderThePlanThatPaidReproducesTheCloseExactly() {
        PeriodSnapshot snapshot = SyntheticPeriod.generate(2_000, 6_000, 11);
        CloseResult actual = PeriodCloseEngine.close(PlanValidatorTest.samplePlan(), snapshot);
        CloseResult replay = PeriodCloseEngine.close(PlanValidatorTest.samplePlan(), snapshot);
        assertEquals(actual.lines(), replay.lines());
        assertArrayEquals(actual.carryLeft(), replay.carryLeft());
        assertArrayEquals(actual.highestRank(), replay.highestRank());
        WhatIfReport report = WhatIf.compare(actual, replay, 10);
        assertEquals(report.actual(), report.draft());
        assertEquals(List.of(), report.gainers());
        assertEquals(List.of(), report.losers());
        assertEquals(0, report.totalDeltaMinor());
        assertEquals(actual.totalPaidMinor(), report.actual().totalPaidMinor());
    }

    @Test
    void aDraftPlanShowsWhoGainsAndWhoLosesMost() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.root(0);
        int left = b.add(root, LEFT, root, 100, 1_000);
        b.add(left, LEFT, left, 300, 3_000);
        b.add(left, RIGHT, left, 300, 3_000);
        b.add(root, RIGHT, root, 200, 2_000);
        PeriodSnapshot snapshot = b.build();
        CloseResult actual = PeriodCloseEngine.close(PAYING, snapshot);
        // actual: root L700/R200 -> 2 pairs = 2,000; left L300/R300 -> 3 pairs = 3,000; cap 40 % of 9,000 = 3,600
        assertEquals(3_600, actual.totalPaidMinor());
        CompPlan draft = TestPlans.withBinary(PAYING, TestPlans.perPair(200, 3_000, null, null, false));
        // draft: root 1 pair = 3,000; left 1 pair = 3,000; cap 3,600 splits 1,800 each
        WhatIfReport report = WhatIf.replay(draft, snapshot, actual, 5);
        assertEquals(List.of(new MemberDelta(1000, 1_440, 1_800)), report.gainers());
        assertEquals(List.of(new MemberDelta(1001, 2_160, 1_800)), report.losers());
        assertEquals(new BigDecimal("40.0000"), report.draft().payoutPercentOfBv());
        assertEquals(2, report.draft().earners());
    }

    @Test
    void statisticsGiveNearestRankPercentilesAndTheGiniCoefficient() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.root(0);
        b.add(root, LEFT, root, 100, 100);
        b.add(root, RIGHT, root, 100, 100);
        b.add(2, RIGHT, 2, 0, 0);
        CloseResult result = PeriodCloseEngine.close(TestPlans.withBinary(TestPlans.empty(TestPlans.ANYONE),
                TestPlans.perPair(100, 1_000, null, null, false)), b.build());
        // payouts 1,000, 0, 0, 0: G = 2 * (4 * 1,000) / (4 * 1,000) - 5 / 4 = 0.75
        PayoutStatistics stats = PayoutStatistics.of(result);
        assertEquals(new PayoutStatistics(4, 1, 1_000, 200, new BigDecimal("500.0000"), 0, 1_000, 1_000, 1_000,
                new BigDecimal("0.7500")), stats);
    }
}
