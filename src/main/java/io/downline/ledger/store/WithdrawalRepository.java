package io.downline.ledger.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of bank accounts, withdrawals and payout batches; holds are placed and settled by the ledger functions. */
@ApplicationScoped
public class WithdrawalRepository {

    public record BankAccount(long distributorId, String holderName, String accountNumber, String ifsc, String status, String verifiedBy,
            Instant verifiedAt) {
    }

    public record Withdrawal(long id, long distributorId, String memberCode, long accountId, long holdId, long amount, long fee, String currency,
            String status, String holderName, String accountNumber, String ifsc, String requestedBy, Instant requestedAt, String decidedBy,
            Instant decidedAt, String reason, Long batchId, Instant settledAt, String bankReference) {
    }

    private static final String COLUMNS = """
            w.id, w.distributor_id, d.member_code, w.account_id, w.hold_id, w.amount, w.fee, w.currency, w.status, w.holder_name,
            w.account_number, w.ifsc, w.requested_by, w.requested_at, w.decided_by, w.decided_at, w.decision_reason, w.batch_id,
            w.settled_at, w.bank_reference""";

    public Uni<BankAccount> bankAccount(SqlClient client, long distributorId) {
        return client.preparedQuery("""
                select distributor_id, holder_name, account_number, ifsc, status, verified_by, verified_at
                  from ledger.bank_account where distributor_id = $1""").execute(Tuple.of(distributorId))
                .map(rows -> rows.rowCount() == 0 ? null : bankAccount(rows.iterator().next()));
    }

    /** A new or changed account starts unverified again. */
    public Uni<Void> saveBankAccount(SqlClient client, long distributorId, String holderName, String accountNumber, String ifsc) {
        return client.preparedQuery("""
                insert into ledger.bank_account (distributor_id, holder_name, account_number, ifsc) values ($1, $2, $3, $4)
                on conflict (distributor_id) do update
                   set holder_name = excluded.holder_name, account_number = excluded.account_number, ifsc = excluded.ifsc,
                       status = 'PENDING', submitted_at = now(), verified_by = null, verified_at = null""")
                .execute(Tuple.of(distributorId, holderName, accountNumber, ifsc)).replaceWithVoid();
    }

    /** Verifies the pending account only if it is the one the verifier checked. */
    public Uni<Boolean> verifyBankAccount(SqlClient client, long distributorId, String accountNumber, String ifsc, String verifier) {
        return client.preparedQuery("""
                update ledger.bank_account set status = 'VERIFIED', verified_by = $4, verified_at = now()
                 where distributor_id = $1 and status = 'PENDING' and account_number = $2 and ifsc = $3""")
                .execute(Tuple.of(distributorId, accountNumber, ifsc, verifier)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Long> nextWithdrawalId(SqlClient client) {
        return client.query("select nextval('ledger.withdrawal_id_seq')").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Null when the key is new; otherwise the id of the withdrawal the key already made. */
    public Uni<Long> claim(SqlClient client, String caller, String key, String requestHash, long withdrawalId) {
        return client.preparedQuery("select ledger.ledger_claim_request($1, $2, 'withdraw', decode($3, 'hex'), $4)")
                .execute(Tuple.of(caller, key, requestHash, withdrawalId)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** Locks the wallet so that the day's total and the hold are decided one request at a time. */
    public Uni<Void> lockWallet(SqlClient client, long accountId) {
        return client.preparedQuery("select 1 from ledger.ledger_account where id = $1 for update").execute(Tuple.of(accountId)).replaceWithVoid();
    }

    public Uni<Long> requestedSince(SqlClient client, long distributorId, OffsetDateTime since) {
        return client.preparedQuery("""
                select coalesce(sum(amount), 0) from ledger.withdrawal
                 where distributor_id = $1 and requested_at >= $2 and status not in ('REJECTED', 'FAILED')""")
                .execute(Tuple.of(distributorId, since)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Long> placeHold(SqlClient client, long accountId, long amount) {
        return client.preparedQuery("select ledger.ledger_place_hold($1, $2, 'withdrawal')").execute(Tuple.of(accountId, amount))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Void> insert(SqlClient client, long id, long distributorId, long accountId, long holdId, long amount, long fee, String currency,
            BankAccount bank, String requestedBy) {
        return client.preparedQuery("""
                insert into ledger.withdrawal (id, distributor_id, account_id, hold_id, amount, fee, currency, holder_name, account_number, ifsc,
                                        requested_by)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
                .execute(Tuple.from(new Object[] { id, distributorId, accountId, holdId, amount, fee, currency, bank.holderName(),
                        bank.accountNumber(), bank.ifsc(), requestedBy }))
                .replaceWithVoid();
    }

    public Uni<Withdrawal> find(SqlClient client, long id) {
        return client.preparedQuery("select " + COLUMNS + " from ledger.withdrawal w join genealogy.distributor d on d.id = w.distributor_id where w.id = $1")
                .execute(Tuple.of(id)).map(WithdrawalRepository::first);
    }

    /** Moves a withdrawal from one status to another exactly once; null when it was not in the expected status. */
    public Uni<Withdrawal> transition(SqlClient client, long id, String from, String to, String actor, String reason, String bankReference) {
        boolean decision = "REQUESTED".equals(from);
        return client.preparedQuery("""
                with changed as (
                    update ledger.withdrawal w
                       set status = $3,
                           decided_by = case when $6 then $4 else w.decided_by end,
                           decided_at = case when $6 then now() else w.decided_at end,
                           decision_reason = coalesce($5, w.decision_reason),
                           settled_by = case when $6 then w.settled_by else $4 end,
                           settled_at = case when $6 then w.settled_at else now() end,
                           bank_reference = coalesce($7, w.bank_reference)
                     where w.id = $1 and w.status = $2
                    returning w.*)
                select\s""" + COLUMNS + " from changed w join genealogy.distributor d on d.id = w.distributor_id")
                .execute(Tuple.from(new Object[] { id, from, to, actor, reason, decision, bankReference }))
                .map(WithdrawalRepository::first);
    }

    public Uni<Void> voidHold(SqlClient client, long holdId, String actor) {
        return client.preparedQuery("select ledger.ledger_settle_hold($1, null, null, null, null, $2, null, null)")
                .execute(Tuple.of(holdId, actor)).replaceWithVoid();
    }

    public Uni<Long> postHold(SqlClient client, long holdId, String reference, JsonObject metadata, String actor, long[] accounts, long[] amounts) {
        return client.preparedQuery("""
                with txn as (select nextval('ledger.ledger_txn_id_seq') as id)
                select id, ledger.ledger_settle_hold($1, id, 'WITHDRAWAL', $2, $3, $4, $5, $6) from txn""")
                .execute(Tuple.from(new Object[] { holdId, reference, metadata, actor, LedgerRepository.boxed(accounts),
                        LedgerRepository.boxed(amounts) }))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Long> createBatch(SqlClient client, String actor) {
        return client.preparedQuery("insert into ledger.payout_batch (created_by) values ($1) returning id").execute(Tuple.of(actor))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Integer> fillBatch(SqlClient client, long batchId) {
        return client.preparedQuery("update ledger.withdrawal set status = 'IN_BATCH', batch_id = $1 where status = 'APPROVED'")
                .execute(Tuple.of(batchId)).map(RowSet::rowCount);
    }

    public Uni<Row> batch(SqlClient client, long batchId) {
        return client.preparedQuery("select id, created_by, created_at from ledger.payout_batch where id = $1").execute(Tuple.of(batchId))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next());
    }

    public Uni<List<Withdrawal>> inBatch(SqlClient client, long batchId) {
        return client.preparedQuery("select " + COLUMNS + " from ledger.withdrawal w join genealogy.distributor d on d.id = w.distributor_id where w.batch_id = $1 order by w.id")
                .execute(Tuple.of(batchId)).map(WithdrawalRepository::all);
    }

    /** Newest first, below the cursor id; of one member and/or in one status when given. */
    public Uni<List<Withdrawal>> list(SqlClient client, Long distributorId, String status, Long beforeId, int limit) {
        return client.preparedQuery("select " + COLUMNS + " from ledger.withdrawal w join genealogy.distributor d on d.id = w.distributor_id " + """
                 where ($1::bigint is null or w.distributor_id = $1) and ($2::text is null or w.status = $2)
                   and ($3::bigint is null or w.id < $3)
                 order by w.id desc limit $4""")
                .execute(Tuple.of(distributorId, status, beforeId, limit)).map(WithdrawalRepository::all);
    }

    private static List<Withdrawal> all(RowSet<Row> rows) {
        List<Withdrawal> result = new ArrayList<>(rows.rowCount());
        rows.forEach(r -> result.add(withdrawal(r)));
        return result;
    }

    private static Withdrawal first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? null : withdrawal(rows.iterator().next());
    }

    private static Withdrawal withdrawal(Row r) {
        return new Withdrawal(r.getLong("id"), r.getLong("distributor_id"), r.getString("member_code"), r.getLong("account_id"),
                r.getLong("hold_id"), r.getLong("amount"), r.getLong("fee"), r.getString("currency"), r.getString("status"),
                r.getString("holder_name"), r.getString("account_number"), r.getString("ifsc"), r.getString("requested_by"),
                instant(r.getOffsetDateTime("requested_at")), r.getString("decided_by"), instant(r.getOffsetDateTime("decided_at")),
                r.getString("decision_reason"), r.getLong("batch_id"), instant(r.getOffsetDateTime("settled_at")), r.getString("bank_reference"));
    }

    private static BankAccount bankAccount(Row r) {
        return new BankAccount(r.getLong("distributor_id"), r.getString("holder_name"), r.getString("account_number"), r.getString("ifsc"),
                r.getString("status"), r.getString("verified_by"), instant(r.getOffsetDateTime("verified_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
