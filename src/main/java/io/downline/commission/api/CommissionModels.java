package io.downline.commission.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.common.money.Money;

/** What the commission API answers. */
public final class CommissionModels {

    private CommissionModels() {
    }

    @Schema(name = "CommissionPlanVersion", description = "A stored version of the compensation plan")
    public record PlanVersionView(
            @Schema(example = "3") int version,
            @Schema(description = "From this instant on, periods starting later use this version", example = "2026-12-01T00:00:00Z") Instant effectiveFrom,
            @Schema(description = "The plan document as validated (JSON, also when uploaded as YAML)") Object plan,
            @Schema(example = "YAML") String sourceFormat,
            @Schema(example = "Level 3 raised to 4%") String note,
            @Schema(example = "admin") String createdBy,
            Instant createdAt) {
    }

    @Schema(name = "CommissionLine", description = "One commission a member earned (negative: a clawback of an earlier one)")
    public record LineView(
            @Schema(example = "1042") long id,
            @Schema(example = "2026-12") String period,
            @Schema(example = "DL00000042") String memberCode,
            @Schema(description = "SPONSOR_BONUS, LEVEL, BINARY, MATCHING, RANK, POOL or CLAWBACK", example = "LEVEL") String rule,
            @Schema(description = "Sponsor-tree level after compression (LEVEL), generation (MATCHING)", example = "2") Integer level,
            @Schema(description = "Rate applied, as a fraction", example = "0.05") BigDecimal rate,
            @Schema(description = "The volume the rate applied to") Money base,
            Money amount,
            @Schema(description = "PAID (in the wallet), OUTSTANDING (a clawback not yet netted off), RECOVERED", example = "PAID") String status,
            @Schema(description = "The order that earned it, if any") UUID sourceOrder,
            @Schema(description = "The member whose purchase earned it", example = "DL00000077") String sourceMember,
            @Schema(example = "3") int planVersion,
            @Schema(description = "The line a clawback takes back") Long reversesLine,
            @Schema(description = "The ledger transaction that paid it") Long ledgerTransaction,
            Instant createdAt) {
    }

    @Schema(name = "CommissionTotal", description = "Lines of one rule and status added up")
    public record TotalView(String rule, String status, Money amount, long lines) {
    }

    @Schema(name = "CommissionPeriodSummary", description = "A member's earnings in one period")
    public record PeriodSummary(
            @Schema(example = "2026-12") String period,
            @Schema(example = "OPEN") String status,
            @Schema(description = "Credited to the wallet so far (instant bonuses; period bonuses after the close)") Money paid,
            @Schema(description = "Clawbacks of refunded orders not yet netted off (negative)") Money outstanding,
            @Schema(description = "Paid plus outstanding: what the period has earned so far") Money net,
            List<TotalView> byRule) {
    }

    @Schema(name = "CommissionTrace", description = "Why a commission was earned: the line, the rule, its source and the plan version")
    public record TraceView(
            LineView line,
            @Schema(description = "The rule in words", example = "Level 2 commission: 5% of the BV of an order by DL00000077, two qualified levels below") String explanation,
            @Schema(description = "What the rule computed from: order, invoice, event, volumes, members skipped by compression") Object source,
            @Schema(description = "The line this clawback takes back") LineView reverses,
            PlanVersionView planVersion) {
    }
}
