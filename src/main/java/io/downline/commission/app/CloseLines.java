package io.downline.commission.app;

import java.math.BigDecimal;
import java.util.Map;

import io.downline.commission.engine.CloseResult;
import io.downline.commission.engine.CommissionLine;
import io.downline.commission.engine.CompPlan;
import io.downline.commission.engine.Rule;
import io.downline.commission.engine.Trace;
import io.downline.commission.store.CloseStore.StagedLine;
import io.vertx.core.json.JsonObject;

/**
 * Turns one close's period lines into stored lines: the rule's name, a reference unique per close, and the trace. The
 * result's arrays are read once here (the result hands out copies).
 */
final class CloseLines {

    private final String period;
    private final CommissionPlans.LoadedPlan loaded;
    private final CloseSnapshot snapshot;
    private final CloseResult result;
    private final Map<Long, Integer> positions;
    private final long[] carryLeft;
    private final long[] carryRight;
    private final long[] flushedLeft;
    private final long[] flushedRight;

    CloseLines(String period, CommissionPlans.LoadedPlan loaded, CloseSnapshot snapshot, CloseResult result, Map<Long, Integer> positions) {
        this.period = period;
        this.loaded = loaded;
        this.snapshot = snapshot;
        this.result = result;
        this.positions = positions;
        this.carryLeft = result.carryLeft();
        this.carryRight = result.carryRight();
        this.flushedLeft = result.flushedLeft();
        this.flushedRight = result.flushedRight();
    }

    /** The stored rule of an engine rule (the names the earnings API shows). */
    static String rule(Rule rule) {
        return switch (rule) {
            case BINARY_PAIRING -> "BINARY";
            case MATCHING_BONUS -> "MATCHING";
            case LEADERSHIP_POOL -> "POOL";
            case SPONSOR_BONUS -> "SPONSOR_BONUS";
            case LEVEL_COMMISSION -> "LEVEL";
        };
    }

    /**
     * One line with what explains it: pairs and legs (binary), the matched member and generation (matching), shares and
     * company BV (pool), and the payout cap. The reference is unique per period, member, rule and source, and is the
     * ledger credit's source reference, so a line is credited once whatever is re-run.
     */
    StagedLine staged(CommissionLine line, int at, long withheld) {
        CompPlan plan = loaded.plan();
        Trace t = line.trace();
        String rule = rule(line.rule());
        String[] codes = snapshot.codes();
        String source = t.sourceMemberId() == null ? null : codes[positions.get(t.sourceMemberId())];
        JsonObject trace = new JsonObject().put("period", period).put("planVersion", loaded.version())
                .put("uncapped", line.uncappedMinor()).put("paid", line.amountMinor()).put("withheld", withheld)
                .put("base", t.baseVolume());
        if (result.cap().applied()) {
            trace.put("payoutCap", new JsonObject().put("limit", result.cap().limitMinor()).put("earned", result.cap().earnedMinor())
                    .put("factor", result.cap().factor().toPlainString()));
        }
        if (t.ratePercent() != null) {
            trace.put("ratePercent", t.ratePercent().toPlainString());
        }
        String reference = "close:" + period + ":" + rule + ":" + line.memberId();
        switch (line.rule()) {
            case BINARY_PAIRING -> {
                CompPlan.Binary binary = plan.binary();
                trace.put("pairs", t.units()).put("pairUnits", binary.leftUnit() + ":" + binary.rightUnit()).put("pay", binary.pay().name())
                        .put("basis", binary.basis().name())
                        .put("carryIn", legs(snapshot.snapshot().carryLeft()[at], snapshot.snapshot().carryRight()[at]))
                        .put("carryOut", legs(carryLeft[at], carryRight[at]))
                        .put("flushed", legs(flushedLeft[at], flushedRight[at]));
                if (binary.perPairMinor() != null) {
                    trace.put("perPair", binary.perPairMinor());
                }
            }
            case MATCHING_BONUS -> {
                trace.put("generation", t.level()).put("matched", source);
                reference += ":" + source + ":" + t.level();
            }
            case LEADERSHIP_POOL -> trace.put("shares", t.units()).put("companyBv", t.baseVolume())
                    .put("perShare", line.uncappedMinor() / t.units());
            default -> throw new IllegalStateException("a close computes period bonuses only, not " + line.rule());
        }
        BigDecimal rate = t.ratePercent() == null ? null : t.ratePercent().movePointLeft(2);
        return new StagedLine(reference, line.memberId(), codes[at], rule, t.level(), rate == null ? null : rate.toPlainString(),
                t.baseVolume(), line.amountMinor(), withheld, source, trace.encode());
    }

    private static JsonObject legs(long left, long right) {
        return new JsonObject().put("left", left).put("right", right);
    }
}
