package io.downline.ledger.app;

import io.downline.common.Masks;

import io.downline.common.money.MinorUnits;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.common.CsvFiles;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.kyc.api.KycChecks;
import io.downline.ledger.api.LedgerModels.BankAccountRequest;
import io.downline.ledger.api.LedgerModels.BankAccountView;
import io.downline.ledger.api.LedgerModels.BankVerificationRequest;
import io.downline.ledger.api.LedgerModels.PayoutBatchView;
import io.downline.ledger.api.LedgerModels.WithdrawalRequest;
import io.downline.ledger.api.LedgerModels.WithdrawalView;
import io.downline.ledger.store.LedgerRepository.Member;
import io.downline.ledger.store.WithdrawalRepository.BankAccount;
import io.downline.ledger.store.WithdrawalRepository.Withdrawal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.downline.ledger.store.LedgerRepository;
import io.downline.ledger.store.WithdrawalRepository;

/**
 * Withdrawals in two phases, only by members whose KYC is approved: the request holds the amount at once; finance approves or rejects it (never the person who
 * asked for it), sends approved ones to the bank in a payout batch, and then another finance person than the approver
 * marks each paid (the hold is posted) or failed (the hold is voided and the money is available again).
 */
@ApplicationScoped
public class WithdrawalService {

    static final String PAYOUT_CLEARING = "PAYOUT_CLEARING";

    private final LedgerService ledger;
    private final LedgerRepository ledgerRepository;
    private final WithdrawalRepository repository;
    private final IdempotencyService idempotency;
    private final KycChecks kyc;
    private final ZoneId companyZone;
    private final AuditTrail audit;

    public WithdrawalService(LedgerService ledger, LedgerRepository ledgerRepository, WithdrawalRepository repository,
            IdempotencyService idempotency, KycChecks kyc, @ConfigProperty(name = "downline.ledger.company-zone") ZoneId companyZone,
            AuditTrail audit) {
        this.audit = audit;
        this.ledger = ledger;
        this.ledgerRepository = ledgerRepository;
        this.repository = repository;
        this.idempotency = idempotency;
        this.kyc = kyc;
        this.companyZone = companyZone;
    }

    public Uni<BankAccountView> saveMyBankAccount(UUID userId, BankAccountRequest request) {
        return ledger.me(userId).chain(member -> repository.saveBankAccount(ledgerRepository.pool(), member.distributorId(),
                request.holderName().trim(), request.accountNumber(), request.ifsc()).chain(() -> bankAccount(member)));
    }

    public Uni<BankAccountView> myBankAccount(UUID userId) {
        return ledger.me(userId).chain(this::bankAccount);
    }

    public Uni<BankAccountView> bankAccountOf(String code) {
        return ledger.member(code).chain(this::bankAccount);
    }

    public Uni<BankAccountView> verifyBankAccount(String code, BankVerificationRequest checked, UUID verifierId, String verifier) {
        return ledger.member(code).chain(member -> {
            if (member.userId().equals(verifierId)) {
                throw new ProblemException(ProblemType.FORBIDDEN, "Nobody verifies their own bank account.");
            }
            return ledgerRepository.pool().withTransaction(conn -> repository.verifyBankAccount(conn, member.distributorId(),
                    checked.accountNumber(), checked.ifsc(), verifier).chain(verified -> {
                if (!verified) {
                    throw new ProblemException(ProblemType.CONFLICT, "No pending bank account on file matches the number and IFSC checked.");
                }
                Map<String, Object> account = Map.of("memberCode", member.memberCode(), "accountNumber", Masks.accountNumber(checked.accountNumber()),
                        "ifsc", checked.ifsc());
                return audit.record(conn, AuditEvent.of(verifier, "BANK_ACCOUNT_VERIFIED", AuditSubjects.BANK_ACCOUNT, member.memberCode(),
                        with(account, "status", "PENDING"), with(account, "status", "VERIFIED"), null));
            })).chain(() -> bankAccount(member));
        });
    }

    private Uni<BankAccountView> bankAccount(Member member) {
        return repository.bankAccount(ledgerRepository.pool(), member.distributorId()).map(account -> {
            if (account == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No bank account on file.");
            }
            return new BankAccountView(member.memberCode(), account.holderName(), Masks.accountNumber(account.accountNumber()), account.ifsc(),
                    account.status(), account.verifiedBy(), account.verifiedAt());
        });
    }

    public Uni<LedgerService.Posted<WithdrawalView>> request(UUID userId, String caller, String key, WithdrawalRequest request) {
        IdempotencyService.requireValidKey(key);
        String hash = idempotency.fingerprint("withdraw", request);
        return ledgerRepository.settings(ledgerRepository.pool()).chain(settings -> {
            long amount = MinorUnits.positive(request.amount(), settings.currency(), "amount");
            if (amount < settings.minWithdrawal()) {
                throw ProblemException.invalidField("amount", "must be at least "
                        + MinorUnits.money(settings.minWithdrawal(), settings.currency()).amountText() + " " + settings.currency());
            }
            return ledger.me(userId).chain(member -> LedgerService.retrying(() -> ledgerRepository.pool().withTransaction(conn -> repository
                    .nextWithdrawalId(conn).chain(id -> repository.claim(conn, caller, key, hash, id).chain(earlier -> {
                        if (earlier != null) {
                            return Uni.createFrom().item(new Claimed(earlier, true));
                        }
                        return kyc.complete(member.distributorId()).invoke(complete -> {
                            if (!complete) {
                                throw new ProblemException(ProblemType.CONFLICT, "Withdrawals need approved KYC: upload your Aadhaar, PAN "
                                        + "card, bank proof and photo and wait for their approval (GET /api/v1/kyc/me).");
                            }
                        }).chain(() -> repository.bankAccount(conn, member.distributorId())).chain(bank -> {
                            if (bank == null || !"VERIFIED".equals(bank.status())) {
                                throw new ProblemException(ProblemType.CONFLICT, "Withdrawals go to a verified bank account; add one and "
                                        + "wait for finance to verify it.");
                            }
                            return ledgerRepository.wallet(conn, member.distributorId(), settings.currency())
                                    .call(wallet -> repository.lockWallet(conn, wallet))
                                    .call(wallet -> repository.requestedSince(conn, member.distributorId(),
                                            LocalDate.now(companyZone).atStartOfDay(companyZone).toOffsetDateTime()).invoke(today -> {
                                                if (today + amount > settings.dailyWithdrawalLimit()) {
                                                    throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "This would exceed the daily "
                                                            + "withdrawal limit of " + MinorUnits.money(settings.dailyWithdrawalLimit(),
                                                                    settings.currency()).amountText() + " " + settings.currency() + ".");
                                                }
                                            }))
                                    .chain(wallet -> repository.placeHold(conn, wallet, amount)
                                            .chain(hold -> repository.insert(conn, id, member.distributorId(), wallet, hold, amount,
                                                    settings.withdrawalFee(), settings.currency(), bank, caller)))
                                    .replaceWith(new Claimed(id, false));
                        });
                    })))))
                    .chain(claimed -> find(claimed.id()).map(view -> new LedgerService.Posted<>(view, claimed.replayed())));
        });
    }

    public Uni<WithdrawalView> approve(long id, String actor) {
        return decide(id, actor, "APPROVED", null);
    }

    public Uni<WithdrawalView> reject(long id, String actor, String reason) {
        if (reason == null || reason.isBlank()) {
            throw ProblemException.invalidField("reason", "is required for a rejection");
        }
        return decide(id, actor, "REJECTED", reason);
    }

    /** Maker-checker: whoever requested a withdrawal never decides it; a rejection releases the hold in the same transaction. */
    private Uni<WithdrawalView> decide(long id, String actor, String outcome, String reason) {
        return existing(id).chain(current -> {
            if (current.requestedBy().equals(actor)) {
                throw new ProblemException(ProblemType.FORBIDDEN, "The person who requested a withdrawal cannot decide it.");
            }
            return LedgerService.retrying(() -> ledgerRepository.pool().withTransaction(conn -> repository
                    .transition(conn, id, "REQUESTED", outcome, actor, reason, null)
                    .call(changed -> {
                        if (changed == null) {
                            throw new ProblemException(ProblemType.CONFLICT, "The withdrawal was already decided.");
                        }
                        return "REJECTED".equals(outcome) ? repository.voidHold(conn, changed.holdId(), actor) : Uni.createFrom().voidItem();
                    })
                    .call(changed -> audited(conn, actor, "WITHDRAWAL_" + outcome, current, changed, reason))))
                    .map(WithdrawalService::view);
        });
    }

    public Uni<PayoutBatchView> createBatch(String actor) {
        return LedgerService.retrying(() -> ledgerRepository.pool().withTransaction(conn -> repository.createBatch(conn, actor)
                .call(batch -> repository.fillBatch(conn, batch).invoke(lines -> {
                    if (lines == 0) {
                        throw new ProblemException(ProblemType.CONFLICT, "No approved withdrawals are waiting for a payout batch.");
                    }
                }).chain(lines -> audit.record(conn, AuditEvent.of(actor, "PAYOUT_BATCH_CREATED", AuditSubjects.PAYOUT_BATCH, batch, null,
                        Map.of("withdrawals", lines), null))))))
                .chain(this::batch);
    }

    public Uni<PayoutBatchView> batch(long batchId) {
        return ledgerRepository.pool().withTransaction(conn -> repository.batch(conn, batchId).chain(row -> {
            if (row == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such payout batch.");
            }
            return repository.inBatch(conn, batchId).map(lines -> {
                String currency = lines.isEmpty() ? "INR" : lines.get(0).currency();
                long total = lines.stream().mapToLong(w -> w.amount() - w.fee()).sum();
                return new PayoutBatchView(row.getLong("id"), row.getString("created_by"), row.getOffsetDateTime("created_at").toInstant(),
                        lines.size(), MinorUnits.money(total, currency), lines.stream().map(WithdrawalService::view).toList());
            });
        }));
    }

    /** The bank's bulk-transfer upload: one row per payout, with the withdrawal id as the reference that comes back. */
    public Uni<String> batchFile(long batchId) {
        return ledgerRepository.pool().withTransaction(conn -> repository.batch(conn, batchId).chain(row -> {
            if (row == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such payout batch.");
            }
            return repository.inBatch(conn, batchId);
        })).map(lines -> CsvFiles.write(List.of("PaymentType", "BeneficiaryName", "BeneficiaryAccount", "IFSC", "Amount", "Currency", "Reference",
                "Narration"), lines.stream().<List<?>>map(w -> List.of("NEFT", w.holderName(), w.accountNumber(), w.ifsc(),
                        MinorUnits.money(w.amount() - w.fee(), w.currency()).amountText(), w.currency(), "WD" + w.id(),
                        "Downline payout " + w.memberCode())).toList()));
    }

    /** Paid: the hold is posted; the wallet pays the amount, the bank transfer carries amount - fee, the fee stays with the company. */
    public Uni<WithdrawalView> markPaid(long id, String actor, String bankReference) {
        return settledByAnother(id, actor).chain(() -> LedgerService.retrying(() -> ledgerRepository.pool().withTransaction(conn -> repository
                .transition(conn, id, "IN_BATCH", "PAID", actor, null, bankReference)
                .call(w -> {
                    if (w == null) {
                        return notInBatch(id);
                    }
                    Uni<long[]> accounts = w.fee() > 0
                            ? Uni.combine().all().unis(ledgerRepository.companyAccount(conn, PAYOUT_CLEARING, w.currency()),
                                    ledgerRepository.companyAccount(conn, LedgerService.FEES, w.currency()))
                                    .with((clearing, fees) -> new long[] { w.accountId(), clearing, fees })
                            : ledgerRepository.companyAccount(conn, PAYOUT_CLEARING, w.currency()).map(clearing -> new long[] { w.accountId(), clearing });
                    long[] amounts = w.fee() > 0 ? new long[] { -w.amount(), w.amount() - w.fee(), w.fee() }
                            : new long[] { -w.amount(), w.amount() };
                    return accounts.chain(ids -> repository.postHold(conn, w.holdId(), "withdrawal:" + id,
                            new JsonObject().put("note", "Payout " + bankReference), actor, ids, amounts))
                            .call(() -> audited(conn, actor, "WITHDRAWAL_PAID", null, w, bankReference));
                }))))
                .map(WithdrawalService::view);
    }

    public Uni<WithdrawalView> markFailed(long id, String actor, String reason) {
        if (reason == null || reason.isBlank()) {
            throw ProblemException.invalidField("reason", "is required when a payout failed");
        }
        return settledByAnother(id, actor).chain(() -> LedgerService.retrying(() -> ledgerRepository.pool().withTransaction(conn -> repository
                .transition(conn, id, "IN_BATCH", "FAILED", actor, reason, null)
                .call(w -> w == null ? notInBatch(id) : repository.voidHold(conn, w.holdId(), actor)
                        .call(() -> audited(conn, actor, "WITHDRAWAL_FAILED", null, w, reason))))))
                .map(WithdrawalService::view);
    }

    /**
     * Maker-checker all the way: whoever requested a withdrawal settles it no more than they approve it, and whoever
     * approved it does not also confirm the payout, so no single finance person moves money out alone.
     */
    private Uni<Void> settledByAnother(long id, String actor) {
        return existing(id).invoke(w -> {
            if (w.requestedBy().equals(actor)) {
                throw new ProblemException(ProblemType.FORBIDDEN, "The person who requested a withdrawal cannot settle it.");
            }
            if (actor.equals(w.decidedBy())) {
                throw new ProblemException(ProblemType.FORBIDDEN, "The person who approved a withdrawal cannot also settle it; "
                        + "another finance person confirms the payout.");
            }
        }).replaceWithVoid();
    }

    private Uni<Void> notInBatch(long id) {
        return existing(id).map(w -> {
            throw new ProblemException(ProblemType.CONFLICT, "Withdrawal " + id + " is " + w.status() + ", not in a payout batch.");
        });
    }

    public Uni<Page<WithdrawalView>> mine(UUID userId, String status, PageRequest page) {
        return ledger.me(userId).chain(member -> list(member.distributorId(), status, page));
    }

    public Uni<Page<WithdrawalView>> all(String status, PageRequest page) {
        return list(null, status, page);
    }

    public Uni<WithdrawalView> mineById(UUID userId, long id) {
        return ledger.me(userId).chain(member -> existing(id).map(w -> {
            if (w.distributorId() != member.distributorId()) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such withdrawal.");
            }
            return view(w);
        }));
    }

    public Uni<WithdrawalView> find(long id) {
        return existing(id).map(WithdrawalService::view);
    }

    private Uni<Page<WithdrawalView>> list(Long distributorId, String status, PageRequest page) {
        return repository.list(ledgerRepository.pool(), distributorId, status, page.afterNumber(), page.limit + 1)
                .map(rows -> page.page(rows.stream().map(WithdrawalService::view).toList(), w -> List.of(Long.toString(w.id()))));
    }

    /** A withdrawal's step in the audit log; before is null where the step only moves a row known to be in its from-state. */
    private Uni<Long> audited(SqlClient conn, String actor, String action, Withdrawal before, Withdrawal after, String reason) {
        return audit.record(conn, AuditEvent.of(actor, action, AuditSubjects.WITHDRAWAL, after.id(), before == null ? null : view(before),
                view(after), reason));
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private Uni<Withdrawal> existing(long id) {
        return repository.find(ledgerRepository.pool(), id).map(w -> {
            if (w == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such withdrawal.");
            }
            return w;
        });
    }

    static WithdrawalView view(Withdrawal w) {
        return new WithdrawalView(w.id(), w.memberCode(), MinorUnits.money(w.amount(), w.currency()), MinorUnits.money(w.fee(), w.currency()),
                MinorUnits.money(w.amount() - w.fee(), w.currency()), w.status(), Masks.accountNumber(w.accountNumber()), w.ifsc(), w.requestedBy(),
                w.requestedAt(), w.decidedBy(), w.decidedAt(), w.reason(), w.batchId(), w.settledAt(), w.bankReference());
    }

    private record Claimed(long id, boolean replayed) {
    }
}
