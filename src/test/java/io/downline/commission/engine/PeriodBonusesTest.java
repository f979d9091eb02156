package io.downline.commission.engine;

import static io.downline.commission.engine.PeriodSnapshot.LEFT;
import static io.downline.commission.engine.PeriodSnapshot.RIGHT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.downline.commission.engine.CompPlan.Rank;

/** Ranks, matching, the leadership pool and the payout cap, each computed by hand. */
class PeriodBonusesTest {

    private static final List<Rank> RANKS = List.of(
            new Rank("BRONZE", "Bronze", 100, 0, 0, 0, null, 0),
            new Rank("SILVER", "Silver", 100, 1_000, 2, 200, null, 1),
            new Rank("GOLD", "Gold", 100, 3_000, 2, 0, "SILVER", 3));

    /** Sponsor tree A -> (B -> D), C; placement A0, B1 (A's left), D2 (B's left), C3 (A's right). */
    private static SnapshotBuilder fourMembers(long pvD) {
        SnapshotBuilder b = new SnapshotBuilder();
        int a = b.root(100);
        int bee = b.add(a, LEFT, a, 150, 150);
        b.add(bee, LEFT, bee, pvD, pvD);
        b.add(a, RIGHT, a, 300, 300);
        return b;
    }

    @Test
    void ranksFollowGroupVolumeAndQualifiedLegsAndTheHighestRankNeverDemotes() {
        CompPlan plan = TestPlans.withRanks(TestPlans.empty(TestPlans.ANYONE), RANKS, null);
        // groups: D 900, B 1050 (one leg: Bronze), C 300, A 1450 with legs B and C over 200: Silver
        CloseResult result = PeriodCloseEngine.close(plan, fourMembers(900).highestRank(0, 2).build());
        assertArrayEquals(new int[] { 1, 0, 0, 0 }, result.paidAsRank());
        assertArrayEquals(new int[] { 2, 0, 0, 0 }, result.highestRank());
    }

    @Test
    void aRankCanAskForRanksInItsLegs() {
        CompPlan plan = TestPlans.withRanks(TestPlans.empty(TestPlans.ANYONE), RANKS, null);
        // A's group is 3,050; Gold also needs someone of Silver or higher in two legs
        CloseResult oneLeg = PeriodCloseEngine.close(plan, fourMembers(2_500).highestRank(2, 1).build());
        assertEquals(1, oneLeg.paidAsRank()[0]);
        CloseResult twoLegs = PeriodCloseEngine.close(plan, fourMembers(2_500).highestRank(2, 1).highestRank(3, 1)
                .build());
        assertEquals(2, twoLegs.paidAsRank()[0]);
        assertArrayEquals(new int[] { 2, 0, 1, 1 }, twoLegs.highestRank());
    }

    /** T0 -> A1 -> B2 -> (x3 left 200, y4 right 200); z5 right of A, sponsored by A. B earns 2 pairs = 20.00. */
    private static SnapshotBuilder matchingTree() {
        SnapshotBuilder b = new SnapshotBuilder();
        int t = b.root(100);
        int a = b.add(t, LEFT, t, 100, 100);
        int bee = b.add(a, LEFT, a, 100, 100);
        b.add(bee, LEFT, bee, 200, 200);
        b.add(bee, RIGHT, bee, 200, 200);
        b.add(a, RIGHT, a, 50, 50);
        return b;
    }

    private static CompPlan matchingPlan(CompPlan.Qualification qualification) {
        CompPlan plan = TestPlans.withBinary(TestPlans.empty(qualification),
                TestPlans.perPair(100, 1_000, null, null, false));
        return TestPlans.withMatching(plan, new CompPlan.Matching(List.of(
                new CompPlan.MatchingGeneration(new BigDecimal("20"), null),
                new CompPlan.MatchingGeneration(new BigDecimal("10"), null))));
    }

    @Test
    void matchingPaysTheSponsorUplineAShareOfBinaryEarningsByGeneration() {
        CloseResult result = PeriodCloseEngine.close(matchingPlan(TestPlans.ANYONE), matchingTree().build());
        // A: L = 500 (B 100 + x 200 + y 200), R = 50: no pair; T: R empty: no pair
        assertEquals(List.of(
                new CommissionLine(1002, Rule.BINARY_PAIRING, 2_000, 2_000,
                        new Trace("test-1", "2026-W49", null, null, null, 200, 2L)),
                new CommissionLine(1001, Rule.MATCHING_BONUS, 400, 400,
                        new Trace("test-1", "2026-W49", 1002L, 1, new BigDecimal("20"), 2_000, null)),
                new CommissionLine(1000, Rule.MATCHING_BONUS, 200, 200,
                        new Trace("test-1", "2026-W49", 1002L, 2, new BigDecimal("10"), 2_000, null))),
                result.lines());
    }

    @Test
    void matchingSkipsUnqualifiedUplinesWithoutCompressionAndHonoursTheRankOfAGeneration() {
        CompPlan activeOnly = matchingPlan(new CompPlan.Qualification(0, true, false));
        CloseResult result = PeriodCloseEngine.close(activeOnly, matchingTree().inactive(1).build());
        assertEquals(List.of(Rule.BINARY_PAIRING, Rule.MATCHING_BONUS),
                result.lines().stream().map(CommissionLine::rule).toList());
        assertEquals(1000, result.lines().get(1).memberId());
        assertEquals(2, result.lines().get(1).trace().level());

        CompPlan silverSecondGeneration = TestPlans.withRanks(TestPlans.withMatching(matchingPlan(TestPlans.ANYONE),
                new CompPlan.Matching(List.of(new CompPlan.MatchingGeneration(new BigDecimal("20"), null),
                        new CompPlan.MatchingGeneration(new BigDecimal("10"), "SILVER")))), RANKS, null);
        CloseResult ranked = PeriodCloseEngine.close(silverSecondGeneration, matchingTree().build());
        assertEquals(2_400, ranked.totalPaidMinor(), "T is only Bronze, so generation 2 pays nothing");
    }

    @Test
    void thePoolSharesItsPercentOfCompanyBvByShares() {
        // 2,500 Directors with 2 shares each: 5,000 shares; BV 10,000,000.00; 6.25 % -> 125.00 per share
        CompPlan plan = TestPlans.withRanks(TestPlans.empty(TestPlans.ANYONE),
                List.of(new Rank("DIRECTOR", "Director", 100, 0, 0, 0, null, 2)),
                new CompPlan.LeadershipPool(new BigDecimal("6.25")));
        SnapshotBuilder b = new SnapshotBuilder();
        b.root(100);
        for (int i = 1; i < 2_500; i++) {
            b.add(i - 1, LEFT, i - 1, 100, 400_000);
        }
        PeriodSnapshot snapshot = b.build();
        snapshot.bv()[0] = 400_000;
        CloseResult result = PeriodCloseEngine.close(plan, snapshot);
        assertEquals(1_000_000_000L, result.companyBv());
        assertEquals(2_500, result.lineCount());
        CommissionLine line = result.lines().get(7);
        assertEquals(25_000, line.amountMinor());
        assertEquals(2L, line.trace().units());
        assertEquals(12_500, line.amountMinor() / line.trace().units());
        assertEquals(62_500_000, result.totalMinor(Rule.LEADERSHIP_POOL));
    }

    @Test
    void aFortyPercentCapOnBvOfOneLakhScalesFortyFiveThousandByEightNinthsToExactlyFortyThousand() {
        CompPlan plan = TestPlans.withCap(TestPlans.empty(TestPlans.ANYONE), "40");
        LineTable lines = new LineTable();
        for (int i = 0; i < 3; i++) {
            lines.add(i, Rule.BINARY_PAIRING, 1_500_000, -1, null, 0, -1, 1);
        }
        SnapshotBuilder b = new SnapshotBuilder();
        b.root(0);
        CapOutcome cap = PeriodCloseEngine.applyCap(plan, b.build(), 10_000_000, lines);
        assertEquals(new CapOutcome(4_000_000, 4_500_000, 4_000_000), cap);
        assertEquals(new BigDecimal("0.8888888888888889"), cap.factor());
        assertEquals(cap.earnedMinor() * 8, cap.paidMinor() * 9);
        // 13,333.33 and a third each; the one missing paisa goes to the earliest of the equal remainders
        assertArrayEquals(new long[] { 1_333_334, 1_333_333, 1_333_333 }, java.util.Arrays.copyOf(lines.amount, 3));
        assertArrayEquals(new long[] { 1_500_000, 1_500_000, 1_500_000 }, java.util.Arrays.copyOf(lines.uncapped, 3));
    }

    @Test
    void theCapCountsInstantBonusesAlreadyPaidAndKeepsEachLinesTrace() {
        CompPlan plan = TestPlans.withCap(TestPlans.withBinary(TestPlans.empty(TestPlans.ANYONE),
                TestPlans.perPair(100, 1_000, null, null, false)), "40");
        SnapshotBuilder b = new SnapshotBuilder();
        int root = b.root(0);
        b.add(root, LEFT, root, 300, 3_000);
        b.add(root, RIGHT, root, 300, 2_000);
        // limit: 40 % of 5,000 = 2,000, less 500 instant already paid = 1,500 of the 3,000 earned
        CloseResult result = PeriodCloseEngine.close(plan, b.instantPaid(500).build());
        CommissionLine line = result.lines().get(0);
        assertEquals(1_500, line.amountMinor());
        assertEquals(3_000, line.uncappedMinor());
        assertEquals(3L, line.trace().units());
        assertTrue(result.cap().applied());
        assertEquals(new BigDecimal("0.5"), result.cap().factor());
    }

    @Test
    void aSnapshotThatIsNotAPreOrderOrHasASponsorCycleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PeriodSnapshot("p", new long[] { 1, 2 },
                new int[] { 1, -1 }, new byte[2], new int[] { -1, -1 }, new long[2], new long[2], new long[2],
                new long[2], new int[] { -1, -1 }, new boolean[2], new boolean[2], new boolean[2], 0));
        PeriodSnapshot cycle = new PeriodSnapshot("p", new long[] { 1, 2 }, new int[] { -1, 0 }, new byte[2],
                new int[] { 1, 0 }, new long[2], new long[2], new long[2], new long[2], new int[] { -1, -1 },
                new boolean[2], new boolean[2], new boolean[2], 0);
        assertThrows(IllegalArgumentException.class,
                () -> PeriodCloseEngine.close(TestPlans.empty(TestPlans.ANYONE), cycle));
    }
}
