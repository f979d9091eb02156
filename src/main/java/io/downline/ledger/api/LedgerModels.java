package io.downline.ledger.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.common.money.Money;

/** Request and response bodies of the wallet, ledger and withdrawal endpoints. */
public final class LedgerModels {

    private LedgerModels() {
    }

    public enum Direction {
        CREDIT, DEBIT
    }

    @Schema(name = "WalletBalance", description = "A wallet: posted balance, what open holds reserve, and what may be spent")
    public record BalanceView(
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true) Money posted,
            @Schema(required = true) Money held,
            @Schema(required = true) Money available) {
    }

    /** What a journal transaction records; the ledger's schema accepts exactly these. */
    public enum TransactionType {
        TRANSFER, ADJUSTMENT, COMMISSION, WITHDRAWAL, REVERSAL
    }

    @Schema(name = "StatementEntry", description = "One entry of a wallet, with the balance after it")
    public record StatementEntry(
            @Schema(required = true, description = "Position in the wallet's chain: 1, 2, 3, ...", example = "42") long sequence,
            @Schema(required = true, example = "1187") long transactionId,
            @Schema(required = true, example = "TRANSFER") TransactionType type,
            @Schema(description = "The source reference of the transaction, if any", example = "order:5512") String reference,
            @Schema(description = "Free text of the transaction (transfer note, adjustment reason)", example = "Share for the team event") String note,
            @Schema(required = true) Money amount,
            @Schema(required = true) Money balanceAfter,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant postedAt) {
    }

    @Schema(name = "TransferRequest", description = "Money from the caller's wallet to another distributor's wallet")
    public record TransferRequest(
            @NotBlank @Size(max = 20) @Schema(example = "DL00000434") String toMemberCode,
            @NotNull Money amount,
            @Size(max = 140) @Schema(example = "Share for the team event") String note) {
    }

    @Schema(name = "Transfer", description = "A posted transfer")
    public record TransferView(
            @Schema(required = true, example = "1187") long transactionId,
            @Schema(required = true, example = "DL00000421") String fromMemberCode,
            @Schema(required = true, example = "DL00000434") String toMemberCode,
            @Schema(required = true) Money amount,
            @Schema(required = true) Money fee,
            @Schema(required = true, description = "The sender's posted balance right after the transfer") Money senderBalanceAfter,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant postedAt) {
    }

    @Schema(name = "AdjustmentRequest", description = "A manual credit or debit of a wallet by an admin, with the reason")
    public record AdjustmentRequest(
            @NotBlank @Size(max = 20) @Schema(example = "DL00000421") String memberCode,
            @NotNull @Schema(example = "CREDIT") Direction direction,
            @NotNull Money amount,
            @NotBlank @Size(max = 500) @Schema(example = "Goodwill credit for the delayed October payout") String reason) {
    }

    @Schema(name = "ReversalRequest", description = "Why a transaction is reversed")
    public record ReversalRequest(
            @NotBlank @Size(max = 500) @Schema(example = "Adjustment posted to the wrong member") String reason) {
    }

    @Schema(name = "LedgerLeg", description = "One entry of a transaction")
    public record LegView(
            @Schema(required = true, description = "Account code: WALLET:<distributor id>:<currency> or a company account", example = "WALLET:421:INR") String account,
            @Schema(description = "Member code for a wallet", example = "DL00000421") String memberCode,
            @Schema(required = true, example = "42") long sequence,
            @Schema(required = true) Money amount,
            @Schema(required = true) Money balanceAfter) {
    }

    @Schema(name = "LedgerTransaction", description = "A journal transaction; its legs sum to zero per currency")
    public record TransactionView(
            @Schema(required = true, example = "1187") long id,
            @Schema(required = true, example = "ADJUSTMENT") TransactionType type,
            @Schema(example = "order:5512") String reference,
            @Schema(description = "The transaction this one reverses", example = "1100") Long reverses,
            @Schema(description = "The transaction that reverses this one, if any", example = "1190") Long reversedBy,
            @Schema(example = "Goodwill credit for the delayed October payout") String note,
            @Schema(required = true, example = "admin") String createdBy,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant createdAt,
            @Schema(required = true) List<LegView> legs) {
    }

    @Schema(name = "CommissionCredit", description = "One commission to credit; the source reference makes it idempotent")
    public record CreditRequest(
            @NotBlank @Size(max = 120) @Schema(example = "run:2026-11:level:5512:421") String sourceReference,
            @NotBlank @Size(max = 20) @Schema(example = "DL00000421") String memberCode,
            @NotNull @Schema(description = "Gross commission, excluding GST") Money amount,
            @NotNull @Schema(description = "The date the commission is credited (decides the TDS rate and financial year)", example = "2026-11-21") LocalDate creditedOn) {
    }

    @Schema(name = "CommissionCreditBatch", description = "Commission credits posted together in one transaction")
    public record CreditBatchRequest(
            @NotEmpty @Size(max = 20000) List<@Valid @NotNull CreditRequest> credits) {
    }

    @Schema(name = "CommissionCreditResult", description = "What a batch posted; credits seen before are skipped")
    public record CreditBatchView(
            @Schema(required = true, example = "5000") int received,
            @Schema(required = true, example = "4990") int posted,
            @Schema(required = true, description = "Credits whose source reference was already posted", example = "10") int alreadyPosted,
            @Schema(description = "The transaction that holds the new credits; absent when nothing was new", example = "1201") Long transactionId,
            @Schema(required = true, description = "Gross of the new credits") Money gross,
            @Schema(required = true, description = "TDS deducted from the new credits' wallets") Money tdsDeducted,
            @Schema(required = true, description = "TDS lines written to the tax ledger", example = "12") int tdsLines) {
    }

    @Schema(name = "LedgerMismatch", description = "A place where the ledger does not add up")
    public record Mismatch(
            @Schema(example = "421") Long accountId,
            @Schema(example = "42") Long sequence,
            @Schema(required = true, example = "hash does not match its fields, its transaction and its predecessor") String problem) {
    }

    @Schema(name = "LedgerVerification", description = "Every chain, balance and transaction recomputed")
    public record VerificationView(
            @Schema(required = true, example = "true") boolean consistent,
            @Schema(required = true, example = "1000412") long entriesChecked,
            @Schema(required = true, example = "20004") long accountsChecked,
            @Schema(description = "The first mismatch, if any") Mismatch firstMismatch,
            @Schema(required = true, description = "How many mismatches were found", example = "0") long mismatches,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant checkedAt) {
    }

    @Schema(name = "LedgerSettings", description = "The company's money rules")
    public record SettingsView(
            @Schema(required = true, description = "Whether distributors may transfer to each other", example = "true") boolean transfersEnabled,
            @Schema(required = true, description = "Flat fee the sender pays per transfer") Money transferFee,
            @Schema(required = true) Money minimumWithdrawal,
            @Schema(required = true, description = "Flat fee kept from each withdrawal") Money withdrawalFee,
            @Schema(required = true, description = "Most a distributor may request per calendar day (company time zone)") Money dailyWithdrawalLimit,
            @Schema(example = "admin") String updatedBy,
            @Schema(example = "2026-11-21T09:30:00Z") Instant updatedAt) {
    }

    @Schema(name = "LedgerSettingsUpdate", description = "New money rules")
    public record SettingsRequest(
            @NotNull @Schema(example = "true") Boolean transfersEnabled,
            @NotNull Money transferFee,
            @NotNull Money minimumWithdrawal,
            @NotNull Money withdrawalFee,
            @NotNull Money dailyWithdrawalLimit) {
    }

    @Schema(name = "BankAccountRequest", description = "The bank account payouts go to; finance verifies it before use")
    public record BankAccountRequest(
            @NotBlank @Size(max = 120) @Schema(example = "Kavya Menon") String holderName,
            @NotBlank @Pattern(regexp = "[0-9]{9,18}", message = "must be 9 to 18 digits") @Schema(example = "50100234567890") String accountNumber,
            @NotBlank @Pattern(regexp = "[A-Z]{4}0[A-Z0-9]{6}", message = "must be an IFSC such as HDFC0001234") @Schema(example = "HDFC0001234") String ifsc) {
    }

    @Schema(name = "BankAccountVerification", description = "The account as the verifier read it from the member's documents "
            + "(cancelled cheque, bank letter): it must match what is on file, so what gets verified is what was checked")
    public record BankVerificationRequest(
            @NotBlank @Pattern(regexp = "[0-9]{9,18}", message = "must be 9 to 18 digits") @Schema(example = "50100234567890") String accountNumber,
            @NotBlank @Pattern(regexp = "[A-Z]{4}0[A-Z0-9]{6}", message = "must be an IFSC such as HDFC0001234") @Schema(example = "HDFC0001234") String ifsc) {
    }

    @Schema(name = "BankAccount", description = "A payout account; the number is masked")
    public record BankAccountView(
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true, example = "Kavya Menon") String holderName,
            @Schema(required = true, example = "XXXXXXXXXX7890") String accountNumber,
            @Schema(required = true, example = "HDFC0001234") String ifsc,
            @Schema(required = true, example = "VERIFIED", enumeration = { "PENDING", "VERIFIED" }) String status,
            @Schema(example = "finance.officer") String verifiedBy,
            @Schema(example = "2026-11-21T09:30:00Z") Instant verifiedAt) {
    }

    @Schema(name = "WithdrawalRequest", description = "Money out of the caller's wallet to their verified bank account")
    public record WithdrawalRequest(@NotNull Money amount) {
    }

    @Schema(name = "Withdrawal", description = "A withdrawal and where it stands")
    public record WithdrawalView(
            @Schema(required = true, example = "77") long id,
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true, description = "Held from the wallet and debited when paid") Money amount,
            @Schema(required = true) Money fee,
            @Schema(required = true, description = "What the bank transfer pays: amount - fee") Money payout,
            @Schema(required = true, example = "APPROVED", enumeration = { "REQUESTED", "APPROVED", "REJECTED", "IN_BATCH", "PAID", "FAILED" }) String status,
            @Schema(required = true, example = "XXXXXXXXXX7890") String accountNumber,
            @Schema(required = true, example = "HDFC0001234") String ifsc,
            @Schema(required = true, example = "dl00000421") String requestedBy,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant requestedAt,
            @Schema(example = "finance.officer") String decidedBy,
            @Schema(example = "2026-11-21T10:00:00Z") Instant decidedAt,
            @Schema(example = "Bank details do not match the PAN holder") String reason,
            @Schema(example = "12") Long batchId,
            @Schema(example = "2026-11-22T06:00:00Z") Instant settledAt,
            @Schema(example = "UTR0000123456") String bankReference) {
    }

    @Schema(name = "WithdrawalDecision", description = "Why a withdrawal is rejected or failed, or the bank's reference for a paid one")
    public record DecisionRequest(
            @Size(max = 500) @Schema(example = "Bank details do not match the PAN holder") String reason) {
    }

    @Schema(name = "PayoutConfirmation", description = "The bank's reference for a paid withdrawal")
    public record PaidRequest(
            @NotBlank @Size(max = 64) @Schema(example = "UTR0000123456") String bankReference) {
    }

    @Schema(name = "PayoutBatch", description = "Approved withdrawals sent to the bank together")
    public record PayoutBatchView(
            @Schema(required = true, example = "12") long id,
            @Schema(required = true, example = "finance.officer") String createdBy,
            @Schema(required = true, example = "2026-11-22T05:00:00Z") Instant createdAt,
            @Schema(required = true, example = "37") int lines,
            @Schema(required = true, description = "Sum of the payouts") Money total,
            @Schema(required = true) List<WithdrawalView> withdrawals) {
    }

    @Schema(name = "TaxProfileRequest", description = "The PAN that decides the TDS rate")
    public record TaxProfileRequest(
            @NotBlank @Pattern(regexp = "[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z]", message = "must be a PAN such as ABCPK1234F")
            @Schema(example = "ABCPK1234F") String pan,
            @Schema(description = "Staff only: false when the PAN is inoperative (20% TDS); distributors cannot set it", example = "true") Boolean panOperative) {
    }

    @Schema(name = "TaxProfile", description = "A deductee's PAN (masked) and whether it is operative")
    public record TaxProfileView(
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(example = "XXXXX1234F") String pan,
            @Schema(required = true, example = "true") boolean panOperative,
            @Schema(required = true, description = "The rate that applies now", example = "2.00") BigDecimal currentRatePercent,
            @Schema(example = "2026-11-21T09:30:00Z") Instant updatedAt) {
    }

    @Schema(name = "TdsReturnRow", description = "One deduction as the quarterly return (Form 26Q) lists it")
    public record Form26QRow(
            @Schema(example = "ABCPK1234F") String pan,
            @Schema(required = true, example = "Kavya Menon") String deducteeName,
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true, example = "194H") String section,
            @Schema(required = true, description = "Date the commission was paid or credited", example = "2026-11-21") LocalDate creditedOn,
            @Schema(required = true, description = "Date the tax was deducted", example = "2026-11-21") LocalDate deductedOn,
            @Schema(required = true, description = "Amount paid or credited") Money amount,
            @Schema(required = true, example = "2.00") BigDecimal ratePercent,
            @Schema(required = true, description = "Tax deducted") Money tax,
            @Schema(required = true, description = "Deducted late on a credit of earlier in the year, when the year's total crossed the threshold", example = "false") boolean catchUp,
            @Schema(description = "Reason code C (higher rate, no valid PAN) or blank", example = "") String remark) {
    }

    @Schema(name = "TdsReturn", description = "A quarter's deductions (Form 26Q, deductee details)")
    public record Form26QView(
            @Schema(required = true, example = "2026-27") String financialYear,
            @Schema(required = true, example = "3") int quarter,
            @Schema(required = true) Money totalAmount,
            @Schema(required = true) Money totalTax,
            @Schema(required = true) List<Form26QRow> deductees) {
    }

    @Schema(name = "TdsCertificate", description = "A deductee's quarter (the data of Form 16A)")
    public record Form16AView(
            @Schema(required = true, example = "DL00000421") String memberCode,
            @Schema(required = true, example = "Kavya Menon") String deducteeName,
            @Schema(example = "ABCPK1234F") String pan,
            @Schema(required = true, example = "2026-27") String financialYear,
            @Schema(required = true, example = "3") int quarter,
            @Schema(required = true, example = "2026-10-01") LocalDate periodFrom,
            @Schema(required = true, example = "2026-12-31") LocalDate periodTo,
            @Schema(required = true) Money amountCredited,
            @Schema(required = true) Money taxDeducted,
            @Schema(required = true) List<Form26QRow> deductions) {
    }
}
