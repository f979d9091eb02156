package io.downline.commission.engine;

import java.math.BigDecimal;

/**
 * Why a line was paid: enough to recompute its amount by hand.
 *
 * @param planVersion    the plan version that paid it
 * @param sourceRef      the order (instant bonuses) or the period (period bonuses) it came from
 * @param sourceMemberId the buyer (sponsor bonus, level commission) or the member whose binary earnings were matched;
 *                       {@code null} for binary pairing and the pool
 * @param level          sponsor-tree level (level commission, sponsor bonus: 1) or matching generation; else null
 * @param ratePercent    the rate applied, {@code null} when the line is a count of units times an amount
 * @param baseVolume     the volume or amount the rate applied to (BV/PV, consumed weak-leg volume, binary
 *                       earnings matched, company BV for the pool)
 * @param units          binary pairs paid or pool shares held, else null
 */
public record Trace(
        String planVersion,
        String sourceRef,
        Long sourceMemberId,
        Integer level,
        BigDecimal ratePercent,
        long baseVolume,
        Long units) {
}
