package io.downline.commission.api;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.common.money.Money;

/** What the period close, the estimate and the what-if simulator answer. */
public final class CloseModels {

    private CloseModels() {
    }

    @Schema(name = "CommissionPeriod", description = "A commission period and its close")
    public record PeriodView(
            @Schema(required = true, example = "2026-12") String period,
            @Schema(required = true, enumeration = { "OPEN", "CLOSING", "CLOSED" }, example = "CLOSED",
                    description = "OPEN (instant bonuses paid as events arrive), CLOSING (a close is computing or posting), CLOSED (locked)") String status,
            @Schema(required = true, example = "2026-12-01T00:00:00Z") Instant startsAt,
            @Schema(required = true, example = "2027-01-01T00:00:00Z") Instant endsAt,
            @Schema(required = true, example = "3", description = "The plan version in force at the period's start") int planVersion,
            @Schema(description = "The close, once one was requested") CloseView close,
            @Schema(example = "2027-01-01T02:00:00Z") Instant closedAt,
            @Schema(example = "admin") String closedBy) {
    }

    @Schema(name = "CommissionClose", description = "What a period close computed and how far its posting is")
    public record CloseView(
            @Schema(required = true, enumeration = { "COMPUTING", "POSTING", "DONE" }, example = "DONE",
                    description = "COMPUTING (snapshot and engine), POSTING (lines credited in batches), DONE") String phase,
            @Schema(required = true, example = "admin") String requestedBy,
            @Schema(required = true, example = "2027-01-01T01:59:50Z") Instant requestedAt,
            @Schema(example = "100000", description = "Members in the snapshot") Integer members,
            @Schema(example = "64210", description = "Lines the close wrote (binary, matching, pool)") Integer lines,
            @Schema(example = "64210", description = "Lines credited so far") Integer posted,
            @Schema(example = "33", description = "Ledger batches posted so far") Integer batches,
            @Schema(description = "The period's company BV") Money companyBv,
            @Schema(description = "What the rules computed, before the payout cap") Money earned,
            @Schema(description = "What the close pays, after the payout cap") Money paid,
            @Schema(description = "The payout cap's limit for period bonuses (cap % of BV less instant bonuses); absent without a cap") Money payoutLimit,
            @Schema(example = "0.8888888888888889", description = "paid / earned, 1 when the cap did not bite") String capFactor,
            @Schema(description = "Instant bonuses paid in the period (they count against the cap)") Money instantPaid,
            @Schema(description = "Outstanding clawbacks netted off this close's lines") Money clawbacksRecovered,
            @Schema(description = "Outstanding clawbacks the members' earnings did not cover, moved to the next period") Money clawbacksCarried,
            @Schema(example = "2027-01-01T01:59:58Z") Instant computedAt,
            @Schema(example = "1840", description = "Milliseconds to load the snapshot, run the engine and stage the lines") Long computeMillis,
            @Schema(example = "12", description = "Members whose rank in the network changed to the highest rank this close evaluated "
                    + "(pushed when the period became CLOSED, in the same transaction)") Integer ranksChanged,
            @Schema(example = "ledger refused the batch", description = "Why the last attempt stopped, if it failed; it is retried") String lastError) {
    }

    @Schema(name = "CommissionEstimateLine", description = "One period bonus the member would earn if the period closed now")
    public record EstimateLineView(
            @Schema(required = true, enumeration = { "BINARY", "MATCHING", "POOL" }, example = "BINARY") String rule,
            @Schema(required = true) Money amount,
            @Schema(required = true, description = "Before the payout cap") Money uncapped,
            @Schema(example = "1", description = "Matching generation") Integer level,
            @Schema(example = "2", description = "Binary pairs or pool shares") Long units,
            @Schema(example = "DL00000077", description = "Matching: the member whose binary bonus is matched") String sourceMember) {
    }

    @Schema(name = "CommissionEstimate", description = "Period bonuses projected by running the close over the open period as it stands")
    public record EstimateView(
            @Schema(required = true, example = "2026-12") String period,
            @Schema(required = true, example = "DL00000042") String memberCode,
            @Schema(required = true, example = "3") int planVersion,
            @Schema(required = true, example = "2026-12-14T10:15:00Z", description = "When the projection was computed") Instant asOf,
            @Schema(required = true, description = "Sum of the lines") Money total,
            @Schema(required = true) List<EstimateLineView> lines,
            @Schema(example = "DIAMOND", description = "Rank the member would be paid as") String paidAsRank,
            @Schema(required = true, example = "12000", description = "Binary volume carried into the period in the left leg, in the plan's basis (BV in minor units, or PV points)") long carryLeft,
            @Schema(required = true, example = "0", description = "The same for the right leg") long carryRight) {
    }

    @Schema(name = "CommissionPayoutStatistics", description = "How a close's payout spreads over the members (zeros included)")
    public record StatisticsView(
            @Schema(required = true, example = "100000") int members,
            @Schema(required = true, example = "31250") int earners,
            @Schema(required = true) Money totalPaid,
            @Schema(required = true) Money companyBv,
            @Schema(required = true, example = "38.2500", description = "Total paid as % of company BV") String payoutPercentOfBv,
            @Schema(required = true) Money p50,
            @Schema(required = true) Money p90,
            @Schema(required = true) Money p99,
            @Schema(required = true) Money max,
            @Schema(required = true, example = "0.8123", description = "Gini coefficient, 0 (equal) to 1") String gini) {
    }

    @Schema(name = "CommissionMemberDelta", description = "One member's payout under the plan that paid and under the draft")
    public record MemberDeltaView(
            @Schema(required = true, example = "DL00000042") String memberCode,
            @Schema(required = true) Money actual,
            @Schema(required = true) Money draft,
            @Schema(required = true, description = "draft - actual") Money delta) {
    }

    @Schema(name = "CommissionWhatIf", description = "A draft plan replayed over a closed period by the close's own engine; nothing is paid")
    public record WhatIfView(
            @Schema(required = true, example = "2026-12") String period,
            @Schema(required = true, example = "3", description = "The plan version that paid the period") int planVersion,
            @Schema(required = true, description = "What the period's close credited (binary, matching, pool lines as stored)") Money paidAtClose,
            @Schema(required = true, description = "The paying plan recomputed over the stored snapshot") StatisticsView actual,
            @Schema(required = true, description = "The draft plan over the same snapshot") StatisticsView draft,
            @Schema(required = true, description = "draft total - actual total") Money totalDelta,
            @Schema(required = true, description = "Members who would gain most, largest first") List<MemberDeltaView> gainers,
            @Schema(required = true, description = "Members who would lose most, largest loss first") List<MemberDeltaView> losers,
            @Schema(required = true, example = "412", description = "Milliseconds the replay took (both closes and the comparison)") long replayMillis) {
    }
}
