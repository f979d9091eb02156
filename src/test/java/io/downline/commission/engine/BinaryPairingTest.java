package io.downline.commission.engine;

import static io.downline.commission.engine.PeriodSnapshot.LEFT;
import static io.downline.commission.engine.PeriodSnapshot.RIGHT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.downline.commission.engine.CompPlan.Binary;
import io.downline.commission.engine.CompPlan.BinaryPay;
import io.downline.commission.engine.CompPlan.CapExcess;
import io.downline.commission.engine.CompPlan.FirstPair;
import io.downline.commission.engine.CompPlan.PayoutBasis;

/** The binary oracle and carry-forward over three periods, with pair size 100 PV paying 10.00. */
class BinaryPairingTest {

    private static final CompPlan PAIR_100_PAYS_10 = TestPlans.withBinary(TestPlans.empty(TestPlans.ANYONE),
            TestPlans.perPair(100, 1_000, null, null, false));

    /** A root with one member in each leg; the root's own PV must never enter its legs. */
    private static PeriodSnapshot rootWithLegs(long left, long right, long carryLeft, long carryRight) {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.root(1_000);
        b.add(root, LEFT, root, left, left);
        b.add(root, RIGHT, root, right, right);
        return b.carry(root, carryLeft, carryRight).build();
    }

    @Test
    void leftTwoFiftyRightOneTwentyMakesOnePairAndCarriesOneFiftyAndTwenty() {
        CloseResult first = PeriodCloseEngine.close(PAIR_100_PAYS_10, rootWithLegs(250, 120, 0, 0));
        assertEquals(List.of(new CommissionLine(1000, Rule.BINARY_PAIRING, 1_000, 1_000,
                new Trace("test-1", "2026-W49", null, null, null, 100, 1L))), first.lines());
        assertEquals(150, first.carryLeft()[0]);
        assertEquals(20, first.carryRight()[0]);

        CloseResult next = PeriodCloseEngine.close(PAIR_100_PAYS_10,
                rootWithLegs(0, 180, first.carryLeft()[0], first.carryRight()[0]));
        assertEquals(1_000, next.totalPaidMinor());
        assertEquals(50, next.carryLeft()[0]);
        assertEquals(100, next.carryRight()[0]);
    }

    @Test
    void deeperLegsSumTheirWholeSubtreesButNeverTheMembersOwnSales() {
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.root(5_000);
        int left = b.add(root, LEFT, root, 100, 100);
        b.add(left, LEFT, left, 250, 250);
        b.add(root, RIGHT, root, 270, 270);
        CloseResult result = PeriodCloseEngine.close(PAIR_100_PAYS_10, b.build());
        assertEquals(2_000, result.lines().get(0).amountMinor());
        assertEquals(2L, result.lines().get(0).trace().units());
        assertArrayEquals(new long[] { 150, 250, 0, 0 }, result.carryLeft());
        assertArrayEquals(new long[] { 70, 0, 0, 0 }, result.carryRight());
        assertEquals(1, result.lineCount());
    }

    @Test
    void carryForwardOverThreePeriodsWithAPairCapThatFlushesAndAnUnqualifiedFlushOut() {
        CompPlan plan = TestPlans.withBinary(TestPlans.empty(new CompPlan.Qualification(50, false, false)),
                TestPlans.perPair(100, 1_000, 2, CapExcess.FLUSH, true));
        // period 1: L500/R300 would make 3 pairs; the cap pays 2 and flushes the third pair's volume
        CloseResult p1 = PeriodCloseEngine.close(plan, rootWithLegs(500, 300, 0, 0));
        assertEquals(2_000, p1.totalPaidMinor());
        assertEquals(200, p1.carryLeft()[0]);
        assertEquals(0, p1.carryRight()[0]);
        assertEquals(100, p1.flushedLeft()[0]);
        assertEquals(100, p1.flushedRight()[0]);
        // period 2: carry 200/0 plus R250: 2 pairs, carry 0/50
        CloseResult p2 = PeriodCloseEngine.close(plan, rootWithLegs(0, 250, p1.carryLeft()[0], p1.carryRight()[0]));
        assertEquals(2_000, p2.totalPaidMinor());
        assertEquals(0, p2.carryLeft()[0]);
        assertEquals(50, p2.carryRight()[0]);
        // period 3: the root has no personal PV, so is not qualified: both legs are flushed, nothing paid
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.root(0);
        b.add(root, LEFT, root, 100, 100);
        b.add(root, RIGHT, root, 60, 60);
        CloseResult p3 = PeriodCloseEngine.close(plan, b.carry(root, p2.carryLeft()[0], p2.carryRight()[0]).build());
        assertEquals(0, p3.lineCount());
        assertEquals(0, p3.carryLeft()[0]);
        assertEquals(0, p3.carryRight()[0]);
        assertEquals(100, p3.flushedLeft()[0]);
        assertEquals(110, p3.flushedRight()[0]);
    }

    @Test
    void aPairCapThatCarriesKeepsTheExcessInTheLegs() {
        CompPlan plan = TestPlans.withBinary(TestPlans.empty(TestPlans.ANYONE),
                TestPlans.perPair(100, 1_000, 2, CapExcess.CARRY, true));
        CloseResult result = PeriodCloseEngine.close(plan, rootWithLegs(500, 300, 0, 0));
        assertEquals(2_000, result.totalPaidMinor());
        assertEquals(300, result.carryLeft()[0]);
        assertEquals(100, result.carryRight()[0]);
        assertEquals(0, result.flushedLeft()[0]);
    }

    @Test
    void withoutFlushAnUnqualifiedMemberKeepsTheLegsUpToTheCarryLimit() {
        Binary binary = new Binary(PayoutBasis.PV, 100, 100, FirstPair.STANDARD, BinaryPay.PER_PAIR, 1_000L, null,
                null, null, false, false, 200L);
        CompPlan plan = TestPlans.withBinary(TestPlans.empty(new CompPlan.Qualification(2_000, false, false)), binary);
        CloseResult result = PeriodCloseEngine.close(plan, rootWithLegs(250, 120, 0, 0));
        assertEquals(0, result.lineCount());
        assertEquals(200, result.carryLeft()[0]);
        assertEquals(50, result.flushedLeft()[0]);
        assertEquals(120, result.carryRight()[0]);
    }

    @Test
    void theFirstPairEverIsTwoToOneOrOneToTwoThenOneToOne() {
        Binary binary = new Binary(PayoutBasis.PV, 100, 100, FirstPair.ONE_TO_TWO, BinaryPay.PER_PAIR, 1_000L, null,
                null, null, false, false, null);
        CompPlan plan = TestPlans.withBinary(TestPlans.empty(TestPlans.ANYONE), binary);
        CloseResult first = PeriodCloseEngine.close(plan, rootWithLegs(300, 100, 0, 0));
        assertEquals(1_000, first.totalPaidMinor());
        assertEquals(100, first.carryLeft()[0]);
        assertEquals(0, first.carryRight()[0]);
        assertTrue(first.pairedBefore()[0]);

        CloseResult onlyOneToOne = PeriodCloseEngine.close(plan, rootWithLegs(150, 150, 0, 0));
        assertEquals(0, onlyOneToOne.lineCount());
        assertFalse(onlyOneToOne.pairedBefore()[0]);

        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.root(0);
        b.add(root, LEFT, root, 300, 300);
        b.add(root, RIGHT, root, 500, 500);
        CloseResult secondPeriod = PeriodCloseEngine.close(plan, b.pairedBefore(root).build());
        assertEquals(3_000, secondPeriod.totalPaidMinor());
        assertEquals(200, secondPeriod.carryRight()[0]);

        CloseResult firstWithThree = PeriodCloseEngine.close(plan, rootWithLegs(300, 500, 0, 0));
        assertEquals(3_000, firstWithThree.totalPaidMinor(), "1:2 first (100/200), then two 1:1 pairs");
        assertEquals(0, firstWithThree.carryLeft()[0]);
        assertEquals(100, firstWithThree.carryRight()[0]);
    }

    @Test
    void aPercentOfTheWeakLegPaysOnTheVolumeThePairsConsumed() {
        Binary binary = new Binary(PayoutBasis.BV, 100_000, 100_000, FirstPair.STANDARD, BinaryPay.WEAK_LEG_PERCENT,
                null, new BigDecimal("10"), null, null, false, true, null);
        CompPlan plan = TestPlans.withBinary(TestPlans.empty(TestPlans.ANYONE), binary);
        CloseResult result = PeriodCloseEngine.close(plan, rootWithLegs(250_000, 120_000, 0, 0));
        assertEquals(List.of(new CommissionLine(1000, Rule.BINARY_PAIRING, 10_000, 10_000,
                new Trace("test-1", "2026-W49", null, null, new BigDecimal("10"), 100_000, 1L))), result.lines());
    }

    @Test
    void binaryQualificationCanAskForAQualifiedPersonalRecruitInEachLeg() {
        Binary binary = new Binary(PayoutBasis.PV, 100, 100, FirstPair.STANDARD, BinaryPay.PER_PAIR, 1_000L, null,
                null, null, true, false, null);
        CompPlan plan = TestPlans.withBinary(TestPlans.empty(TestPlans.ANYONE), binary);
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.root(0);
        int left = b.add(root, LEFT, root, 250, 250);
        int right = b.add(root, RIGHT, left, 120, 120);
        CloseResult notQualified = PeriodCloseEngine.close(plan, b.build());
        assertEquals(0, notQualified.lineCount());
        assertEquals(250, notQualified.carryLeft()[root]);

        // a recruit of the root placed deep in the right leg by spillover qualifies that leg
        SnapshotBuilder c = new SnapshotBuilder();
        root = c.root(0);
        left = c.add(root, LEFT, root, 250, 250);
        right = c.add(root, RIGHT, left, 120, 120);
        c.add(right, LEFT, root, 10, 10);
        CloseResult spilloverRecruitCounts = PeriodCloseEngine.close(plan, c.build());
        assertEquals(1_000, spilloverRecruitCounts.totalPaidMinor());
        assertEquals(30, spilloverRecruitCounts.carryRight()[root]);
    }
}
