package io.downline.audit.app;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

public final class AuditModels {

    private AuditModels() {
    }

    @Schema(name = "AuditEvent", description = "One staff action in the audit log")
    public record AuditEventView(
            @Schema(required = true, description = "Position in the chain, from 1 without gaps", example = "412") long position,
            @Schema(required = true, example = "2026-12-01T10:15:00Z") Instant occurredAt,
            @Schema(required = true, description = "Who acted (username)", example = "finance.priya") String actor,
            @Schema(required = true, example = "WITHDRAWAL_APPROVED") String action,
            @Schema(required = true, enumeration = { "user", "plan", "distributor", "ledger-transaction", "ledger-settings", "withdrawal", "bank-account", "payout-batch", "pan", "product", "gst-rate", "warehouse", "grievance", "kyc-document", "commission-dead-letter" }, example = "withdrawal") String subjectType,
            @Schema(required = true, example = "88") String subjectId,
            @Schema(description = "The subject before the action (JSON); absent when it did not exist",
                    example = "{\"status\": \"REQUESTED\"}") Object before,
            @Schema(description = "The subject after the action (JSON); absent when it no longer exists",
                    example = "{\"status\": \"APPROVED\"}") Object after,
            @Schema(description = "The reason the actor gave", example = "Bank details match the cancelled cheque") String reason,
            @Schema(description = "X-Request-Id of the request that did it", example = "5f0c2a9e-3c2b-4f0e-9a57-1c9b1f1a2d33") String requestId,
            @Schema(required = true, description = "SHA-256 (hex) chaining this event to the one before", example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") String hash) {
    }

    @Schema(name = "AuditVerification", description = "The result of recomputing the whole audit chain")
    public record VerificationView(
            @Schema(required = true, description = "True when no break was found", example = "true") boolean valid,
            @Schema(required = true, description = "Events checked", example = "412") long events,
            @Schema(required = true, description = "Position of the chain head", example = "412") long headPosition,
            @Schema(required = true, description = "The breaks found, first position first (at most 100)") List<BreakView> breaks) {
    }

    @Schema(name = "AuditChainBreak")
    public record BreakView(
            @Schema(description = "Position where the chain stops holding", example = "57") Long position,
            @Schema(required = true, example = "hash does not match the event's fields") String problem) {
    }
}
