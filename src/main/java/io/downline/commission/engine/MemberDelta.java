package io.downline.commission.engine;

/** One member's payout under the plan that paid and under the draft, in minor units. */
public record MemberDelta(long memberId, long actualMinor, long draftMinor) {

    public long deltaMinor() {
        return draftMinor - actualMinor;
    }
}
