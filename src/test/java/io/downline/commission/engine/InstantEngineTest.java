package io.downline.commission.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.downline.commission.engine.CompPlan.Compression;
import io.downline.commission.engine.CompPlan.PayoutBasis;

class InstantEngineTest {

    private static final List<BigDecimal> RATES = List.of(new BigDecimal("5"), new BigDecimal("3"),
            new BigDecimal("2"));

    private static CompPlan plan(Compression compression) {
        return TestPlans.withInstant(TestPlans.empty(TestPlans.ANYONE),
                new CompPlan.SponsorBonus(BigDecimal.TEN, PayoutBasis.BV),
                new CompPlan.LevelCommission(RATES, PayoutBasis.BV, compression));
    }

    /** Upline nearest first: 11 qualified, 12 not, 13 qualified, 14 not, 15 qualified, 16 qualified. */
    private static InstantSale sale(boolean firstOrder) {
        return new InstantSale("order-7", 10, 1_234_567, 900, firstOrder, List.of(new UplineMember(11, true),
                new UplineMember(12, false), new UplineMember(13, true), new UplineMember(14, false),
                new UplineMember(15, true), new UplineMember(16, true)));
    }

    @Test
    void compressionSkipsUnqualifiedUplinesAndRollsTheirLevelUp() {
        InstantResult result = InstantEngine.compute(plan(Compression.DYNAMIC), sale(false));
        // BV 12,345.67: 5 % = 617.28(35) -> 61728; 3 % = 370.37(01) -> 37037; 2 % = 246.91(34) -> 24691
        assertEquals(List.of(line(11, 1, "5", 61_728), line(13, 2, "3", 37_037), line(15, 3, "2", 24_691)),
                result.lines());
        assertEquals(List.of(new SkippedUpline(12, Rule.LEVEL_COMMISSION, 2, true),
                new SkippedUpline(14, Rule.LEVEL_COMMISSION, 3, true)), result.skipped());
        assertEquals(61_728 + 37_037 + 24_691, result.totalMinor());
    }

    @Test
    void withoutCompressionAnUnqualifiedUplineForfeitsItsLevel() {
        InstantResult result = InstantEngine.compute(plan(Compression.NONE), sale(false));
        assertEquals(List.of(line(11, 1, "5", 61_728), line(13, 3, "2", 24_691)), result.lines());
        assertEquals(List.of(new SkippedUpline(12, Rule.LEVEL_COMMISSION, 2, false)), result.skipped());
    }

    @Test
    void theSponsorBonusPaysOnlyOnTheRecruitsFirstOrderAndOnlyAQualifiedSponsor() {
        InstantResult first = InstantEngine.compute(plan(Compression.DYNAMIC), sale(true));
        CommissionLine bonus = first.lines().get(0);
        assertEquals(Rule.SPONSOR_BONUS, bonus.rule());
        assertEquals(11, bonus.memberId());
        assertEquals(123_456, bonus.amountMinor());
        assertEquals(4, first.lines().size());

        InstantSale unqualifiedSponsor = new InstantSale("order-8", 10, 10_000, 100, true,
                List.of(new UplineMember(12, false), new UplineMember(11, true)));
        InstantResult result = InstantEngine.compute(plan(Compression.DYNAMIC), unqualifiedSponsor);
        assertEquals(List.of(new SkippedUpline(12, Rule.SPONSOR_BONUS, 1, false),
                new SkippedUpline(12, Rule.LEVEL_COMMISSION, 1, true)), result.skipped());
        assertEquals(List.of(line(11, 1, "5", 500, "order-8", 10_000)), result.lines());
    }

    @Test
    void aShortUplinePaysWhatItHasAndAZeroVolumeOrderPaysNothing() {
        InstantSale shortUpline = new InstantSale("order-9", 10, 1_234_567, 0, false,
                List.of(new UplineMember(11, true)));
        assertEquals(List.of(line(11, 1, "5", 61_728, "order-9", 1_234_567)),
                InstantEngine.compute(plan(Compression.DYNAMIC), shortUpline).lines());
        InstantSale nothing = new InstantSale("order-10", 10, 0, 0, true, List.of(new UplineMember(11, true)));
        assertEquals(List.of(), InstantEngine.compute(plan(Compression.DYNAMIC), nothing).lines());
    }

    private static CommissionLine line(long member, int level, String rate, long amount) {
        return line(member, level, rate, amount, "order-7", 1_234_567);
    }

    private static CommissionLine line(long member, int level, String rate, long amount, String order, long base) {
        return new CommissionLine(member, Rule.LEVEL_COMMISSION, amount, amount,
                new Trace("test-1", order, 10L, level, RATES.get(level - 1), base, null));
    }
}
