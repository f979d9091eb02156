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
            @Schema(required = true, example = "3") int version,
            @Schema(required = true, description = "From this instant on, periods starting later use this version", example = "2026-12-01T00:00:00Z") Instant effectiveFrom,
            @Schema(required = true, example = "{\"currency\": \"INR\", \"periodKind\": \"MONTHLY\"}", description = "The plan document as validated (JSON, also when uploaded as YAML)") Object plan,
            @Schema(required = true, example = "YAML") String sourceFormat,
            @Schema(example = "Level 3 raised to 4%") String note,
            @Schema(required = true, example = "admin") String createdBy,
            @Schema(required = true, example = "2026-12-01T10:15:00Z") Instant createdAt) {
    }

    @Schema(name = "CommissionLine", description = "One commission a member earned (negative: a clawback of an earlier one)")
    public record LineView(
            @Schema(required = true, example = "1042") long id,
            @Schema(required = true, example = "2026-12") String period,
            @Schema(required = true, example = "DL00000042") String memberCode,
            @Schema(required = true, description = "SPONSOR_BONUS, LEVEL, BINARY, MATCHING, RANK, POOL or CLAWBACK", example = "LEVEL") String rule,
            @Schema(description = "Sponsor-tree level after compression (LEVEL), generation (MATCHING)", example = "2") Integer level,
            @Schema(description = "Rate applied, as a fraction", example = "0.05") BigDecimal rate,
            @Schema(description = "The volume the rate applied to") Money base,
            @Schema(required = true) Money amount,
            @Schema(required = true, enumeration = { "PENDING", "PAID", "OUTSTANDING", "RECOVERED", "CARRIED" }, description = "PENDING (computed by a close that is still posting), PAID (in the wallet, less what a close withheld for clawbacks), OUTSTANDING (a clawback not yet netted off), RECOVERED (netted off at a close), CARRIED (not covered at a close: outstanding again in the next period)", example = "PAID") String status,
            @Schema(example = "0b7f6c2e-8d5a-4f1e-9c3b-2a6d4e8f1a90", description = "The order that earned it, if any") UUID sourceOrder,
            @Schema(description = "The member whose purchase earned it", example = "DL00000077") String sourceMember,
            @Schema(required = true, example = "3") int planVersion,
            @Schema(example = "1039", description = "The line a clawback takes back") Long reversesLine,
            @Schema(example = "20877", description = "The ledger transaction that paid it") Long ledgerTransaction,
            @Schema(required = true, example = "2026-12-01T10:15:00Z") Instant createdAt) {
    }

    @Schema(name = "CommissionTotal", description = "Lines of one rule and status added up")
    public record TotalView(@Schema(required = true, example = "LEVEL") String rule, @Schema(required = true, example = "PAID", enumeration = { "PENDING", "PAID", "OUTSTANDING", "RECOVERED", "CARRIED" }) String status, @Schema(required = true) Money amount, @Schema(required = true, example = "12") long lines) {
    }

    @Schema(name = "CommissionPeriodSummary", description = "A member's earnings in one period")
    public record PeriodSummary(
            @Schema(required = true, example = "2026-12") String period,
            @Schema(required = true, enumeration = { "OPEN", "CLOSING", "CLOSED" }, example = "OPEN") String status,
            @Schema(required = true, description = "Credited to the wallet so far (instant bonuses; period bonuses after the close)") Money paid,
            @Schema(required = true, description = "Clawbacks of refunded orders not yet netted off (negative)") Money outstanding,
            @Schema(required = true, description = "Paid plus outstanding: what the period has earned so far") Money net,
            @Schema(required = true) List<TotalView> byRule) {
    }

    @Schema(name = "CommissionDeadLetter", description = "An event the commission engine could not handle, set aside (acknowledged) so that the events after it are paid")
    public record DeadLetterView(
            @Schema(required = true, example = "7") long id,
            @Schema(required = true, example = "5d1f2a9e-3c2b-4f0e-9a57-1c9b1f1a2d33") UUID eventId,
            @Schema(required = true, enumeration = { "commerce", "genealogy" }, description = "The outbox it came from", example = "commerce") String source,
            @Schema(required = true, example = "order.paid") String type,
            @Schema(required = true, description = "The event's payload as written", example = "{\"orderId\": \"0b7f6c2e-8d5a-4f1e-9c3b-2a6d4e8f1a90\", \"memberCode\": \"DL00000077\"}") Object payload,
            @Schema(required = true, description = "Why it could not be handled (the latest replay's error, when one failed again)", example = "Validation failed - The request has 1 invalid field.: credits[0].memberCode no such member") String reason,
            @Schema(required = true, example = "2026-12-01T10:15:00Z") Instant failedAt,
            @Schema(required = true, description = "Replays tried, the successful one included", example = "1") int attempts,
            @Schema(example = "2026-12-01T11:05:00Z", description = "When a replay was last tried") Instant lastAttemptAt,
            @Schema(example = "admin", description = "Who tried it") String lastAttemptBy,
            @Schema(example = "2026-12-01T11:05:00Z", description = "When a replay handled the event (its commissions paid then); absent while it stays dead-lettered") Instant replayedAt,
            @Schema(example = "admin", description = "Who replayed it") String replayedBy) {
    }

    @Schema(name = "CommissionTrace", description = "Why a commission was earned: the line, the rule, its source and the plan version")
    public record TraceView(
            @Schema(required = true) LineView line,
            @Schema(required = true, description = "The rule in words", example = "Level 2 commission: 5% of the BV of an order by DL00000077, two qualified levels below") String explanation,
            @Schema(example = "{\"order\": \"0b7f6c2e-8d5a-4f1e-9c3b-2a6d4e8f1a90\", \"skipped\": [\"DL00000051\"]}", description = "What the rule computed from: order, invoice, event, volumes, members skipped by compression") Object source,
            @Schema(description = "The line this clawback takes back") LineView reverses,
            @Schema(required = true) PlanVersionView planVersion) {
    }
}
