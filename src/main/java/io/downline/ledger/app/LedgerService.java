package io.downline.ledger.app;

import io.downline.ledger.api.LedgerErrors;

import io.downline.common.money.MinorUnits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.common.db.GroupCommit;
import io.downline.common.db.GroupCommits;
import io.downline.common.db.Transactions;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.money.Money;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.ledger.api.LedgerModels.AdjustmentRequest;
import io.downline.ledger.api.LedgerModels.BalanceView;
import io.downline.ledger.api.LedgerModels.LegView;
import io.downline.ledger.api.LedgerModels.Mismatch;
import io.downline.ledger.api.LedgerModels.ReversalRequest;
import io.downline.ledger.api.LedgerModels.SettingsRequest;
import io.downline.ledger.api.LedgerModels.SettingsView;
import io.downline.ledger.api.LedgerModels.StatementEntry;
import io.downline.ledger.api.LedgerModels.TransactionType;
import io.downline.ledger.api.LedgerModels.TransactionView;
import io.downline.ledger.api.LedgerModels.TransferRequest;
import io.downline.ledger.api.LedgerModels.TransferView;
import io.downline.ledger.store.LedgerRepository.Account;
import io.downline.ledger.store.LedgerRepository.Member;
import io.downline.ledger.store.LedgerRepository.TransferOrder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.downline.ledger.api.LedgerModels;
import io.downline.ledger.store.LedgerRepository;

/**
 * Wallets, transfers, adjustments and reversals. Every posting is a single call of ledger_execute, which claims the
 * Idempotency-Key, writes the transaction and its entries and moves the balances atomically; the reads around it are
 * outside the posting, so a posting holds its account locks for one statement only.
 */
@ApplicationScoped
public class LedgerService {

    static final String FEES = "FEES";
    static final String ADJUSTMENTS = "ADJUSTMENTS";
    private static final java.util.Set<String> REVERSIBLE = java.util.Set.of("TRANSFER", "ADJUSTMENT");

    private final LedgerRepository repository;
    private final IdempotencyService idempotency;
    private final AuditTrail audit;
    private final GroupCommit<TransferOrder, LedgerRepository.PostedTransfer> transfers;

    public LedgerService(LedgerRepository repository, IdempotencyService idempotency, AuditTrail audit, GroupCommits groupCommits) {
        this.repository = repository;
        // grouped only when GROUP_COMMIT_KINDS names them; then two batches may run at once, since each locks every account
        // up front in one order
        this.transfers = groupCommits.create("transfer", repository.pool(), 2, repository::transfers);
        this.idempotency = idempotency;
        this.audit = audit;
    }

    /** Runs a posting with the shared retry of transient failures, then turns the ledger's own SQLSTATEs into problems. */
    static <T> Uni<T> retrying(Supplier<Uni<? extends T>> work) {
        return Transactions.<T>retrying(work).onFailure().transform(LedgerErrors::translate);
    }

    public Uni<BalanceView> myBalance(UUID userId) {
        return me(userId).chain(member -> balance(member));
    }

    public Uni<BalanceView> balanceOf(String memberCode) {
        return member(memberCode).chain(this::balance);
    }

    private Uni<BalanceView> balance(Member member) {
        return repository.settings(repository.pool()).chain(settings -> repository.walletOf(repository.pool(), member, settings.currency()))
                .map(LedgerService::balanceView);
    }

    public Uni<Page<StatementEntry>> myStatement(UUID userId, List<String> types, Instant from, Instant to, PageRequest page) {
        return me(userId).chain(member -> statement(member, types, from, to, page));
    }

    public Uni<Page<StatementEntry>> statementOf(String memberCode, List<String> types, Instant from, Instant to, PageRequest page) {
        return member(memberCode).chain(member -> statement(member, types, from, to, page));
    }

    private Uni<Page<StatementEntry>> statement(Member member, List<String> types, Instant from, Instant to, PageRequest page) {
        return entries(member, types, from, to, page.afterNumber(), page.limit + 1)
                .map(entries -> page.page(entries, entry -> List.of(Long.toString(entry.sequence()))));
    }

    /** Every entry of the caller's wallet in [from, to), newest first, for the CSV export (at most {@code cap} rows). */
    public Uni<List<StatementEntry>> myStatementRange(UUID userId, List<String> types, Instant from, Instant to, int cap) {
        return me(userId).chain(member -> entries(member, types, from, to, null, cap + 1)).invoke(entries -> {
            if (entries.size() > cap) {
                throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "The range holds more than " + cap + " entries; export a shorter date range.");
            }
        });
    }

    /** A wallet's entries newest first, below a sequence number, filtered; none for a member whose wallet was never opened. */
    private Uni<List<StatementEntry>> entries(Member member, List<String> types, Instant from, Instant to, Long beforeSeq, int limit) {
        String[] typeFilter = types == null || types.isEmpty() ? null : types.toArray(String[]::new);
        return repository.settings(repository.pool())
                .chain(settings -> repository.walletOf(repository.pool(), member, settings.currency()))
                .chain(wallet -> wallet.id() == 0 ? Uni.createFrom().item(List.<StatementEntry>of())
                        : repository.statement(repository.pool(), wallet.id(), beforeSeq, typeFilter, from, to, limit)
                                .map(rows -> rows.stream().map(row -> entryView(row, wallet.currency())).toList()));
    }

    /**
     * A transfer runs in a group commit (ledger_transfer_batch): with the transfers that arrive while another batch
     * commits, in one statement and one commit, and is answered after that commit with its own figures or refusal.
     */
    public Uni<Posted<TransferView>> transfer(UUID userId, String caller, String key, TransferRequest request) {
        IdempotencyService.requireValidKey(key);
        String hash = idempotency.fingerprint("transfer", request);
        if (request.amount().amount().signum() <= 0) {
            throw ProblemException.invalidField("amount", "must be greater than zero");
        }
        long amount = MinorUnits.bounded(request.amount(), "amount");
        String currency = request.amount().currency();
        String to = request.toMemberCode().trim().toUpperCase(java.util.Locale.ROOT);
        return transfers.submit(new TransferOrder(caller, key, hash, userId, to, amount, currency, request.note()))
                .onFailure().transform(LedgerErrors::translate)
                .map(t -> new Posted<>(new TransferView(t.txnId(), t.fromCode(), t.toCode(), MinorUnits.money(t.amount(), currency),
                        MinorUnits.money(t.fee(), currency), MinorUnits.money(t.senderBalanceAfter(), currency), t.postedAt()), t.replayed()));
    }

    public Uni<Posted<TransactionView>> adjust(String caller, String key, AdjustmentRequest request) {
        IdempotencyService.requireValidKey(key);
        String hash = idempotency.fingerprint("adjust", request);
        return repository.settings(repository.pool()).chain(settings -> {
            long amount = MinorUnits.positive(request.amount(), settings.currency(), "amount");
            long signed = request.direction() == LedgerModels.Direction.CREDIT ? amount : -amount;
            return member(request.memberCode()).chain(member -> Uni.combine().all().unis(
                    repository.wallet(repository.pool(), member.distributorId(), settings.currency()),
                    repository.companyAccount(repository.pool(), ADJUSTMENTS, settings.currency())).asTuple())
                    .chain(accounts -> retrying(() -> repository.pool().withTransaction(conn -> repository.execute(conn, caller, key,
                            "adjust", hash, "ADJUSTMENT", null,
                            new JsonObject().put("note", request.reason()).put("direction", request.direction().name()), caller, null,
                            new long[] { accounts.getItem1(), accounts.getItem2() }, new long[] { signed, -signed })
                            .call(posting -> posting.replayed() ? Uni.createFrom().voidItem()
                                    : repository.audit(conn, "ADJUSTMENT", caller, posting.txnId(), JsonObject.mapFrom(request))
                                            .call(() -> audit.record(conn, AuditEvent.of(caller, "LEDGER_ADJUSTMENT",
                                                    AuditSubjects.LEDGER_TRANSACTION, posting.txnId(), null, request,
                                                    request.reason())))))))
                    .chain(posting -> transactionView(posting.txnId()).map(view -> new Posted<>(view, posting.replayed())));
        });
    }

    public Uni<Posted<TransactionView>> reverse(String caller, String key, long txnId, ReversalRequest request) {
        IdempotencyService.requireValidKey(key);
        String hash = idempotency.fingerprint("reverse:" + txnId, request);
        // a retry of a reversal that went through gets its first answer, not "already reversed"
        return repository.earlierResult(repository.pool(), caller, key, "reverse", hash).chain(earlier -> earlier != null
                ? transactionView(earlier).map(view -> new Posted<>(view, true))
                : reverseOnce(caller, key, hash, txnId, request));
    }

    private Uni<Posted<TransactionView>> reverseOnce(String caller, String key, String hash, long txnId, ReversalRequest request) {
        return repository.transaction(repository.pool(), txnId).chain(original -> {
            if (original == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such transaction.");
            }
            if (original.reversedBy() != null) {
                throw new ProblemException(ProblemType.CONFLICT, "Transaction " + txnId + " was already reversed by " + original.reversedBy() + ".");
            }
            if (original.reverses() != null) {
                throw new ProblemException(ProblemType.CONFLICT, "A reversal is not reversed; post a new transaction instead.");
            }
            // their negation alone would leave the tax ledger or the payout records telling another story
            if (!REVERSIBLE.contains(original.type())) {
                throw new ProblemException(ProblemType.CONFLICT, original.type() + " transactions are not reversed here: commission "
                        + "credits are corrected by clawback credits, withdrawals by their own paid/failed settlement.");
            }
            long[] accounts = original.legs().stream().mapToLong(LedgerRepository.Leg::accountId).toArray();
            long[] amounts = original.legs().stream().mapToLong(leg -> -leg.amount()).toArray();
            return retrying(() -> repository.pool().withTransaction(conn -> repository.execute(conn, caller, key, "reverse", hash,
                    "REVERSAL", original.reference(), new JsonObject().put("note", request.reason()), caller, txnId, accounts, amounts)
                    .call(posting -> posting.replayed() ? Uni.createFrom().voidItem()
                            : repository.audit(conn, "REVERSAL", caller, posting.txnId(),
                                    new JsonObject().put("reverses", txnId).put("reason", request.reason()))
                                    .call(() -> audit.record(conn, AuditEvent.of(caller, "LEDGER_REVERSAL", AuditSubjects.LEDGER_TRANSACTION,
                                            txnId, Map.of("transactionId", txnId, "type", original.type()),
                                            Map.of("transactionId", txnId, "type", original.type(), "reversedBy", posting.txnId()),
                                            request.reason()))))))
                    .onFailure(LedgerService::isDuplicateReversal).transform(e -> new ProblemException(ProblemType.CONFLICT,
                            "Transaction " + txnId + " was already reversed."))
                    .chain(posting -> transactionView(posting.txnId()).map(view -> new Posted<>(view, posting.replayed())));
        });
    }

    private static boolean isDuplicateReversal(Throwable failure) {
        return failure instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState());
    }

    public Uni<TransactionView> transactionView(long id) {
        return repository.transaction(repository.pool(), id).map(txn -> {
            if (txn == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such transaction.");
            }
            List<LegView> legs = new ArrayList<>();
            for (LedgerRepository.Leg leg : txn.legs()) {
                legs.add(new LegView(leg.accountCode(), leg.memberCode(), leg.sequence(), MinorUnits.money(leg.amount(), leg.currency()),
                        MinorUnits.money(leg.balanceAfter(), leg.currency())));
            }
            return new TransactionView(txn.id(), TransactionType.valueOf(txn.type()), txn.reference(), txn.reverses(), txn.reversedBy(), txn.note(), txn.createdBy(),
                    txn.createdAt(), legs);
        });
    }

    public Uni<SettingsView> settings() {
        return repository.settings(repository.pool()).map(LedgerService::settingsView);
    }

    public Uni<SettingsView> updateSettings(SettingsRequest request, String actor) {
        return repository.settings(repository.pool()).chain(current -> {
            String currency = current.currency();
            long transferFee = nonNegative(request.transferFee(), currency, "transferFee");
            long minimum = MinorUnits.positive(request.minimumWithdrawal(), currency, "minimumWithdrawal");
            long withdrawalFee = nonNegative(request.withdrawalFee(), currency, "withdrawalFee");
            long limit = MinorUnits.positive(request.dailyWithdrawalLimit(), currency, "dailyWithdrawalLimit");
            if (withdrawalFee >= minimum) {
                throw ProblemException.invalidField("withdrawalFee", "must be below the minimum withdrawal");
            }
            if (limit < minimum) {
                throw ProblemException.invalidField("dailyWithdrawalLimit", "must be at least the minimum withdrawal");
            }
            return repository.pool().withTransaction(conn -> repository.updateSettings(conn, request.transfersEnabled(), transferFee,
                    minimum, withdrawalFee, limit, actor)
                    .call(() -> repository.audit(conn, "SETTINGS", actor, null, JsonObject.mapFrom(request)))
                    .call(() -> audit.record(conn, AuditEvent.of(actor, "LEDGER_SETTINGS_CHANGED", AuditSubjects.LEDGER_SETTINGS, "ledger",
                            settingsView(current), request, null))));
        }).chain(this::settings);
    }

    public Uni<LedgerModels.VerificationView> verify() {
        return repository.pool().withTransaction(conn -> conn.query("set transaction isolation level repeatable read, read only").execute()
                .chain(() -> repository.counts(conn))
                .chain(counts -> repository.verify(conn).map(rows -> {
                    Mismatch first = null;
                    for (Row r : rows) {
                        first = new Mismatch(r.getLong("account_id"), r.getLong("seq"), r.getString("problem"));
                        break;
                    }
                    return new LedgerModels.VerificationView(first == null, counts[0], counts[1], first, rows.rowCount(), Instant.now());
                })));
    }

    public Uni<Member> me(UUID userId) {
        return repository.memberByUser(repository.pool(), userId).map(member -> {
            if (member == null) {
                throw new ProblemException(ProblemType.FORBIDDEN, "Only distributors have a wallet.");
            }
            return member;
        });
    }

    public Uni<Member> member(String code) {
        return repository.memberByCode(repository.pool(), code == null ? null : code.trim().toUpperCase(java.util.Locale.ROOT))
                .map(member -> {
                    if (member == null) {
                        throw new ProblemException(ProblemType.NOT_FOUND, "No such member.");
                    }
                    return member;
                });
    }

    private static long nonNegative(Money money, String currency, String field) {
        if (money == null || !money.currency().equals(currency) || money.isNegative()) {
            throw ProblemException.invalidField(field, "must be zero or more " + currency);
        }
        return MinorUnits.bounded(money, field);
    }

    static BalanceView balanceView(Account account) {
        return new BalanceView(account.memberCode(), MinorUnits.money(account.balance(), account.currency()),
                MinorUnits.money(account.held(), account.currency()), MinorUnits.money(account.available(), account.currency()));
    }

    private static StatementEntry entryView(LedgerRepository.EntryRow row, String currency) {
        return new StatementEntry(row.sequence(), row.txnId(), TransactionType.valueOf(row.type()), row.reference(), row.note(), MinorUnits.money(row.amount(), currency),
                MinorUnits.money(row.balanceAfter(), currency), row.postedAt());
    }

    private static SettingsView settingsView(LedgerRepository.Settings s) {
        return new SettingsView(s.transfersEnabled(), MinorUnits.money(s.transferFee(), s.currency()),
                MinorUnits.money(s.minWithdrawal(), s.currency()), MinorUnits.money(s.withdrawalFee(), s.currency()),
                MinorUnits.money(s.dailyWithdrawalLimit(), s.currency()), s.updatedBy(), s.updatedAt());
    }

    /** A result and whether it replays an earlier request with the same Idempotency-Key. */
    public record Posted<T>(T view, boolean replayed) {
    }
}
