package io.downline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.downline.commission.engine.CloseResult;
import io.downline.commission.engine.CompPlan;
import io.downline.commission.engine.PeriodCloseEngine;
import io.downline.commission.engine.PeriodSnapshot;
import io.downline.commission.engine.PlanValidator;
import io.downline.commission.engine.WhatIf;
import io.downline.commission.engine.WhatIfReport;

/**
 * The commission engine's close benchmark (docs/benchmarks.md), in memory, no database: a {@link SyntheticPeriod} of
 * {@code bench.members} members (default 1M) with {@code bench.orders} orders (default 5M) is closed under the sample
 * plan (binary with a pair cap and flush, matching over two generations, three ranks, pool) with its payout cap
 * lowered to 1.5 % of BV so that the pro rata scaling runs on every line, then a draft
 * plan is replayed over the same snapshot and compared. Each is timed {@code bench.reps} times (default 5) after one
 * warm-up, next to a baseline in the same run: one pass of subtree sizes and prefix sums over the same arrays. Prints
 * lines starting with "BENCH | ". Asserts nothing about speed.
 */
public final class CommissionCloseBenchmark {

    private CommissionCloseBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int members = Integer.getInteger("bench.members", 1_000_000);
        long orders = Long.getLong("bench.orders", 5_000_000L);
        int reps = Integer.getInteger("bench.reps", 5);
        long started = System.nanoTime();
        PeriodSnapshot snapshot = SyntheticPeriod.generate(members, orders, 7130);
        print("generated %,d members, %,d orders in %,d ms", members, orders, ms(started));
        CompPlan plan = withCap(samplePlan(), new BigDecimal("1.5"));
        CompPlan draft = draftOf(plan);
        if (!PlanValidator.validate(plan).isEmpty() || !PlanValidator.validate(draft).isEmpty()) {
            throw new IllegalStateException("the benchmark plans must be valid");
        }
        long[] baseline = new long[reps];
        long[] close = new long[reps];
        long[] whatIf = new long[reps];
        CloseResult actual = PeriodCloseEngine.close(plan, snapshot);
        WhatIf.replay(draft, snapshot, actual, 20);
        baselinePass(snapshot);
        long checksum = 0;
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            checksum += baselinePass(snapshot);
            baseline[r] = ms(t);
            t = System.nanoTime();
            actual = PeriodCloseEngine.close(plan, snapshot);
            close[r] = ms(t);
            t = System.nanoTime();
            WhatIfReport report = WhatIf.replay(draft, snapshot, actual, 20);
            whatIf[r] = ms(t);
            checksum += report.draft().totalPaidMinor();
        }
        print("lines %,d; earned %,d; paid %,d (cap applied: %s); company BV %,d; checksum %d", actual.lineCount(),
                actual.cap().earnedMinor(), actual.totalPaidMinor(), actual.cap().applied(), actual.companyBv(),
                checksum);
        print("| what | median ms | min ms | max ms | x baseline (median) |");
        print("|---|---|---|---|---|");
        row("baseline: subtree sizes + prefix sums", baseline, median(baseline));
        row("close: binary + matching + ranks + pool + cap", close, median(baseline));
        row("what-if: close under a draft plan + comparison", whatIf, median(baseline));
    }

    /** The simplest pass a close cannot avoid: subtree sizes and prefix sums of PV in pre-order. */
    private static long baselinePass(PeriodSnapshot snapshot) {
        int n = snapshot.size();
        int[] parent = snapshot.parent();
        int[] size = new int[n];
        Arrays.fill(size, 1);
        for (int i = n - 1; i > 0; i--) {
            size[parent[i]] += size[i];
        }
        long[] prefix = new long[n + 1];
        long[] pv = snapshot.pv();
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + pv[i];
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += prefix[i + size[i]] - prefix[i];
        }
        return total;
    }

    private static CompPlan samplePlan() throws IOException {
        try (InputStream in = CommissionCloseBenchmark.class.getResourceAsStream("/commission/sample-plan.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readValue(in, CompPlan.class);
        }
    }

    private static CompPlan withCap(CompPlan p, BigDecimal percent) {
        return new CompPlan(p.version(), p.currency(), p.periodKind(), null, p.qualification(), p.sponsorBonus(),
                p.levels(), p.binary(), p.matching(), p.ranks(), p.pool(), new CompPlan.PayoutCap(percent));
    }

    /** The sample plan with 12.00 per pair instead of 10.00 and a third matching generation. */
    private static CompPlan draftOf(CompPlan p) {
        CompPlan.Binary b = p.binary();
        CompPlan.Binary binary = new CompPlan.Binary(b.basis(), b.leftUnit(), b.rightUnit(), b.firstPair(), b.pay(),
                1_200L, b.weakLegPercent(), b.maxPairsPerPeriod(), b.capExcess(), b.requireActiveDirectEachSide(),
                b.flushWhenUnqualified(), b.maxCarryPerLeg());
        List<CompPlan.MatchingGeneration> generations = new ArrayList<>(p.matching().generations());
        generations.add(new CompPlan.MatchingGeneration(new BigDecimal("5"), "GOLD"));
        return new CompPlan("draft", p.currency(), p.periodKind(), null, p.qualification(), p.sponsorBonus(),
                p.levels(), binary, new CompPlan.Matching(generations), p.ranks(), p.pool(), p.payoutCap());
    }

    private static void row(String what, long[] times, long baselineMedian) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        long median = median(times);
        print("| %s | %,d | %,d | %,d | %.1f |", what, median, sorted[0], sorted[sorted.length - 1],
                baselineMedian == 0 ? 0.0 : (double) median / baselineMedian);
    }

    private static long median(long[] times) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void print(String format, Object... args) {
        System.out.println("BENCH | " + String.format(Locale.ROOT, format, args));
    }
}
