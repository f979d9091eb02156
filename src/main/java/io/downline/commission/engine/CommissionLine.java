package io.downline.commission.engine;

/**
 * One amount a member earned under one rule.
 *
 * @param memberId       who earns it
 * @param rule           the plan rule
 * @param amountMinor    what is paid, in minor units, after the payout cap
 * @param uncappedMinor  what the rule computed before the payout cap (equal when the cap did not bite)
 * @param trace          how it was computed
 */
public record CommissionLine(long memberId, Rule rule, long amountMinor, long uncappedMinor, Trace trace) {
}
