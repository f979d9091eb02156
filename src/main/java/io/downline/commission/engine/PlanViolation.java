package io.downline.commission.engine;

/**
 * One reason a plan is refused.
 *
 * @param rule    the rule broken
 * @param field   JSON path of the offending value in the plan, e.g. {@code levels.ratePercents[2]}
 * @param message what is wrong, for people
 */
public record PlanViolation(PlanRule rule, String field, String message) {
}
