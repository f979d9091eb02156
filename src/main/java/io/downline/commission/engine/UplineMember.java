package io.downline.commission.engine;

/**
 * One member of a buyer's sponsor upline, as the instant engine needs it.
 *
 * @param qualified whether the member is qualified now under the plan's
 *                  {@link CompPlan.Qualification#isQualified(long, boolean, boolean)}
 */
public record UplineMember(long memberId, boolean qualified) {
}
