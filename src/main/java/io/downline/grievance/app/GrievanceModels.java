package io.downline.grievance.app;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

public final class GrievanceModels {

    private GrievanceModels() {
    }

    @Schema(name = "GrievanceCategory")
    public enum Category {
        PRODUCT, ORDER_OR_DELIVERY, RETURN_OR_REFUND, PAYMENT, COMMISSION_OR_WALLET, DISTRIBUTOR_CONDUCT, ACCOUNT, OTHER
    }

    /** What staff do with a grievance: RESPOND keeps it open; RESOLVE and REJECT close it (each acknowledges an open one). */
    @Schema(name = "GrievanceAction")
    public enum StaffAction {
        ACKNOWLEDGE, RESPOND, RESOLVE, REJECT
    }

    @Schema(name = "NewGrievance", description = "A distributor's grievance")
    public record NewGrievance(
            @NotNull @Schema(example = "COMMISSION_OR_WALLET") Category category,
            @NotBlank @Size(max = 200) @Schema(example = "October commission missing") String subject,
            @NotBlank @Size(max = 5000) @Schema(example = "My October commission was not credited to my wallet.") String description) {
    }

    @Schema(name = "NewCustomerGrievance", description = "A customer's grievance about a purchase, filed without an account")
    public record NewCustomerGrievance(
            @NotBlank @Size(max = 64) @Schema(description = "The tax invoice number, or the order id", example = "KL2627-000042")
            String purchaseNumber,
            @NotBlank @Size(max = 200) @Schema(example = "Lakshmi Menon") String contactName,
            @NotBlank @Size(max = 254)
            @Pattern(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+|\\+?[0-9]{10,15}", message = "must be an email address or a phone number")
            @Schema(description = "Email address or phone number to reach the customer", example = "lakshmi@example.com") String contact,
            @NotNull @Schema(example = "PRODUCT") Category category,
            @NotBlank @Size(max = 200) @Schema(example = "Damaged bottle") String subject,
            @NotBlank @Size(max = 5000) @Schema(example = "The bottle arrived cracked.") String description) {
    }

    @Schema(name = "GrievanceStep", description = "What staff do: acknowledge, respond, resolve or reject, with a message")
    public record StaffStep(
            @NotNull @Schema(example = "RESOLVE") StaffAction action,
            @NotBlank @Size(max = 5000) @Schema(description = "The message to the complainant; for RESOLVE and REJECT the outcome and its reason",
                    example = "A replacement was shipped on 3 December.") String message) {
    }

    @Schema(name = "GrievanceReply", description = "The complainant's reply")
    public record Reply(@NotBlank @Size(max = 5000) @Schema(example = "The replacement arrived, thank you.") String message) {
    }

    @Schema(name = "Grievance")
    public record GrievanceView(
            @Schema(required = true, example = "GRV-0000042") String reference,
            @Schema(required = true, example = "DISTRIBUTOR", enumeration = { "DISTRIBUTOR", "CUSTOMER" }) String complainant,
            @Schema(required = true, example = "ACKNOWLEDGED", enumeration = { "OPEN", "ACKNOWLEDGED", "RESOLVED", "REJECTED" }) String status,
            @Schema(required = true) Category category,
            @Schema(required = true, example = "October commission missing") String subject,
            @Schema(required = true, example = "My October commission was not credited to my wallet.") String description,
            @Schema(description = "Customers: the purchase the grievance is about", example = "KL2627-000042") String purchaseNumber,
            @Schema(description = "Customers: their name", example = "Lakshmi Menon") String contactName,
            @Schema(description = "Customers: how to reach them", example = "lakshmi@example.com") String contact,
            @Schema(required = true, example = "2026-12-01T10:15:00Z") Instant filedAt,
            @Schema(required = true, example = "2026-12-03T10:15:00Z", description = "Acknowledgement due (48 hours after filing)") Instant acknowledgeBy,
            @Schema(required = true, example = "2027-01-01T10:15:00Z", description = "Resolution due (one month after filing)") Instant resolveBy,
            @Schema(example = "2026-12-01T14:02:00Z") Instant acknowledgedAt,
            @Schema(example = "2026-12-09T11:30:00Z") Instant closedAt,
            @Schema(description = "The resolution, or the reason for the rejection", example = "Credited on 2 December.") String outcome,
            @Schema(required = true, description = "Deadlines missed so far: ACKNOWLEDGEMENT (not acknowledged in 48 hours) and RESOLUTION (not closed in a month)",
                    example = "[]") List<String> overdue,
            @Schema(required = true) List<StepView> steps) {
    }

    @Schema(name = "GrievanceHistoryEntry", description = "One step in a grievance's history")
    public record StepView(
            @Schema(required = true, example = "RESPONDED", enumeration = { "FILED", "ACKNOWLEDGED", "RESPONDED", "COMPLAINANT_REPLIED", "RESOLVED", "REJECTED" })
            String kind,
            @Schema(required = true, description = "Who: a staff username, the distributor's username, or \"customer\"", example = "support.anil") String author,
            @Schema(example = "We are looking into it.") String message,
            @Schema(required = true, example = "2026-12-01T10:15:00Z") Instant at) {
    }

    @Schema(name = "FiledCustomerGrievance", description = "The customer's grievance and the secret to follow it up with (shown only once)")
    public record FiledCustomerGrievance(
            @Schema(required = true) GrievanceView grievance,
            @Schema(required = true, description = "Send as X-Grievance-Token with the reference to read and reply; keep it, it is not shown again",
                    example = "q3J8x0u1Wc5f3Kx9Yh2mZlP0aB7dE4rT6sV8wX1yZ2A") String followUpToken) {
    }
}
