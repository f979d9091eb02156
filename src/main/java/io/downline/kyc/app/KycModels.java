package io.downline.kyc.app;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.kyc.api.DocumentKind;
import io.downline.kyc.api.DocumentStatus;

/** Requests and views of the KYC vault. No view ever carries a full Aadhaar number or a document's bytes. */
public final class KycModels {

    private KycModels() {
    }

    @Schema(name = "KycDocument", description = "A KYC document's metadata and review state (its content is read separately, and logged)")
    public record DocumentView(
            @Schema(required = true, example = "812") long id,
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true) DocumentKind kind,
            @Schema(required = true) DocumentStatus status,
            @Schema(required = true, enumeration = { "image/jpeg", "image/png", "application/pdf" }, description = "The type the content was found to be", example = "application/pdf") String contentType,
            @Schema(required = true, example = "183204") int sizeBytes,
            @Schema(required = true, description = "SHA-256 of the plaintext, hex", example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") String sha256,
            @Schema(required = true, description = "Whether it is the member's latest document of its kind", example = "true") boolean current,
            @Schema(required = true, example = "2026-11-30T10:15:00Z") Instant uploadedAt,
            @Schema(example = "support-asha") String reviewedBy,
            @Schema(example = "2026-11-30T12:40:00Z") Instant reviewedAt,
            @Schema(description = "Why it was rejected (or the reviewer's note on an approval)", example = "The photo is blurred")
            String reason) {
    }

    @Schema(name = "KycStatus", description = "A member's KYC: the latest document of each kind and whether all are approved")
    public record KycStatusView(
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true, description = "Every kind of document approved: withdrawals need this", example = "false") boolean complete,
            @Schema(description = "The Aadhaar number on file, masked", example = "XXXX XXXX 1234") String aadhaarNumber,
            @Schema(required = true, description = "Kinds with no document yet, or whose latest was rejected") List<DocumentKind> outstanding,
            @Schema(required = true) List<DocumentView> documents) {
    }

    @Schema(name = "KycApproval")
    public record ApprovalRequest(
            @Schema(description = "For a PAN card: the PAN as the reviewer reads it on the document; it must be the PAN the member "
                    + "entered, which then becomes operative for TDS", example = "ABCPK1234F") String pan,
            @Size(max = 500) @Schema(description = "Optional note", example = "Matches the registration details") String note) {
    }

    @Schema(name = "KycRejection")
    public record RejectionRequest(
            @NotBlank @Size(max = 500) @Schema(description = "Shown to the member", example = "The photo is blurred; upload a sharper scan")
            String reason) {
    }

    @Schema(name = "KycDocumentRead", description = "One read of a document's content")
    public record ReadView(
            @Schema(required = true, example = "5521") long id,
            @Schema(required = true, example = "812") long documentId,
            @Schema(required = true) DocumentKind kind,
            @Schema(required = true, example = "support-asha") String reader,
            @Schema(required = true, example = "support") String readerRoles,
            @Schema(required = true, example = "Reviewing the uploaded PAN card") String purpose,
            @Schema(required = true, example = "2026-11-30T12:38:00Z") Instant readAt) {
    }

    /** A document's decrypted content, for the resource to send. */
    public record Content(byte[] bytes, String contentType, String fileName) {
    }
}
