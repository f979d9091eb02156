package io.downline.ledger.store;

import java.util.HashMap;
import java.util.Map;
import io.downline.ledger.api.Postings;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.db.GroupCommit;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/** The ledger's SQL. Posting itself lives in the PL/pgSQL functions of V3__ledger.sql, so that a posting is one round trip. */
@ApplicationScoped
public class LedgerRepository implements Postings {

    public record Member(long distributorId, String memberCode, String fullName, String status, UUID userId) {
    }

    public record Account(long id, String code, Long distributorId, String memberCode, String currency, long balance, long held) {
        public long available() {
            return balance - held;
        }
    }

    public record Settings(String currency, boolean transfersEnabled, long transferFee, long minWithdrawal, long withdrawalFee,
            long dailyWithdrawalLimit, String updatedBy, Instant updatedAt) {
    }

    public record Posting(long txnId, boolean replayed) {
    }

    public record PostedTransfer(long txnId, boolean replayed, String fromCode, String toCode, long amount, long fee, long senderBalanceAfter,
            Instant postedAt) {
    }

    public record Leg(long accountId, String accountCode, String memberCode, String currency, long sequence, long amount, long balanceAfter) {
    }

    public record Txn(long id, String type, String reference, Long reverses, Long reversedBy, String note, String createdBy, Instant createdAt,
            List<Leg> legs) {
    }

    public record EntryRow(long sequence, long txnId, String type, String reference, String note, long amount, long balanceAfter, Instant postedAt) {
    }

    private final Pool pool;

    public LedgerRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public Uni<Settings> settings(SqlClient client) {
        return client.query("""
                select currency, transfers_enabled, transfer_fee, min_withdrawal, withdrawal_fee, daily_withdrawal_limit, updated_by, updated_at
                  from ledger.ledger_settings""").execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Settings(r.getString("currency"), r.getBoolean("transfers_enabled"), r.getLong("transfer_fee"),
                            r.getLong("min_withdrawal"), r.getLong("withdrawal_fee"), r.getLong("daily_withdrawal_limit"),
                            r.getString("updated_by"), r.getOffsetDateTime("updated_at").toInstant());
                });
    }

    public Uni<Void> updateSettings(SqlClient client, boolean transfersEnabled, long transferFee, long minWithdrawal, long withdrawalFee,
            long dailyLimit, String actor) {
        return client.preparedQuery("""
                update ledger.ledger_settings set transfers_enabled = $1, transfer_fee = $2, min_withdrawal = $3, withdrawal_fee = $4,
                       daily_withdrawal_limit = $5, updated_by = $6, updated_at = now()""")
                .execute(Tuple.from(List.of(transfersEnabled, transferFee, minWithdrawal, withdrawalFee, dailyLimit, actor)))
                .replaceWithVoid();
    }

    public Uni<Member> memberByUser(SqlClient client, UUID userId) {
        return client.preparedQuery("select id, member_code, full_name, status, user_id from genealogy.distributor where user_id = $1")
                .execute(Tuple.of(userId)).map(LedgerRepository::firstMember);
    }

    public Uni<Member> memberByCode(SqlClient client, String code) {
        return client.preparedQuery("select id, member_code, full_name, status, user_id from genealogy.distributor where member_code = $1")
                .execute(Tuple.of(code)).map(LedgerRepository::firstMember);
    }

    /** The member's wallet in the currency, opened on first use. */
    public Uni<Long> wallet(SqlClient client, long distributorId, String currency) {
        return client.preparedQuery("select ledger.ledger_wallet($1, $2) as id").execute(Tuple.of(distributorId, currency))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    @Override
    public Uni<Long> companyAccount(SqlClient client, String name, String currency) {
        return client.preparedQuery("select ledger.ledger_company_account($1, $2) as id").execute(Tuple.of(name, currency))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    /** The member's wallet as it stands, or a zero wallet when none was opened yet. */
    public Uni<Account> walletOf(SqlClient client, Member member, String currency) {
        return client.preparedQuery("""
                select id, code, balance, held from ledger.ledger_account where kind = 'WALLET' and distributor_id = $1 and currency = $2""")
                .execute(Tuple.of(member.distributorId(), currency))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return new Account(0, null, member.distributorId(), member.memberCode(), currency, 0, 0);
                    }
                    Row r = rows.iterator().next();
                    return new Account(r.getLong("id"), r.getString("code"), member.distributorId(), member.memberCode(), currency,
                            r.getLong("balance"), r.getLong("held"));
                });
    }

    /** One journal transaction, with its idempotency claim, in one statement (ledger_execute). */
    public Uni<Posting> execute(SqlClient client, String caller, String key, String operation, String requestHash, String type, String reference,
            JsonObject metadata, String actor, Long reverses, long[] accounts, long[] amounts) {
        return client.preparedQuery("""
                select txn_id, replayed from ledger.ledger_execute($1, $2, $3, decode($4, 'hex'), $5, $6, $7, $8, $9, $10, $11)""")
                .execute(Tuple.from(new Object[] { caller, key, operation, requestHash, type, reference, metadata, actor, reverses,
                        boxed(accounts), boxed(amounts) }))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Posting(r.getLong("txn_id"), r.getBoolean("replayed"));
                });
    }

    /** A transfer as the caller asked for it; {@code requestHash} is the hex fingerprint of its body. */
    public record TransferOrder(String caller, String key, String requestHash, UUID userId, String toCode, long amount, String currency,
            String note) {
    }

    /**
     * Runs the transfers in one call of ledger_transfer_batch: each gets its figures or, as a PgException carrying the
     * ledger's own SQLSTATE, its refusal; the refusal rolled back only that transfer.
     */
    public Uni<List<GroupCommit.Outcome<PostedTransfer>>> transfers(SqlClient client, List<TransferOrder> orders) {
        return client.preparedQuery("select * from ledger.ledger_transfer_batch($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(new Object[] {
                        orders.stream().map(TransferOrder::caller).toArray(String[]::new),
                        orders.stream().map(TransferOrder::key).toArray(String[]::new),
                        orders.stream().map(TransferOrder::requestHash).toArray(String[]::new),
                        orders.stream().map(TransferOrder::userId).toArray(UUID[]::new),
                        orders.stream().map(TransferOrder::toCode).toArray(String[]::new),
                        orders.stream().map(TransferOrder::amount).toArray(Long[]::new),
                        orders.stream().map(TransferOrder::currency).toArray(String[]::new),
                        orders.stream().map(TransferOrder::note).toArray(String[]::new) }))
                .map(rows -> {
                    List<GroupCommit.Outcome<PostedTransfer>> outcomes = new ArrayList<>(orders.size());
                    for (Row r : rows) {
                        String state = r.getString("error_state");
                        outcomes.add(state != null
                                ? GroupCommit.Outcome.failed(new PgException(r.getString("error_message"), "ERROR", state, null))
                                : GroupCommit.Outcome.of(new PostedTransfer(r.getLong("txn_id"), r.getBoolean("replayed"),
                                        r.getString("from_code"), r.getString("to_code"), r.getLong("amount"), r.getLong("fee"),
                                        r.getLong("sender_balance_after"), r.getOffsetDateTime("posted_at").toInstant())));
                    }
                    return outcomes;
                });
    }

    /** The result of an earlier request with this caller, key, operation and body; null when there is none. */
    public Uni<Long> earlierResult(SqlClient client, String caller, String key, String operation, String requestHash) {
        return client.preparedQuery("""
                select result_id from ledger.ledger_request
                 where caller = $1 and idempotency_key = $2 and operation = $3 and request_hash = decode($4, 'hex')""")
                .execute(Tuple.of(caller, key, operation, requestHash))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getLong(0));
    }

    public Uni<Txn> transaction(SqlClient client, long id) {
        return client.preparedQuery("""
                select t.id, t.type, t.reference, t.reverses_id, r.id as reversed_by, t.metadata ->> 'note' as note, t.created_by, t.created_at,
                       e.account_id, a.code, d.member_code, a.currency, e.seq, e.amount, e.balance_after
                  from ledger.ledger_txn t
                  left join ledger.ledger_txn r on r.reverses_id = t.id
                  join ledger.ledger_entry e on e.txn_id = t.id
                  join ledger.ledger_account a on a.id = e.account_id
                  left join genealogy.distributor d on d.id = a.distributor_id
                 where t.id = $1
                 order by e.account_id, e.seq""")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    List<Leg> legs = new ArrayList<>();
                    Row first = null;
                    for (Row r : rows) {
                        first = first == null ? r : first;
                        legs.add(new Leg(r.getLong("account_id"), r.getString("code"), r.getString("member_code"), r.getString("currency"),
                                r.getLong("seq"), r.getLong("amount"), r.getLong("balance_after")));
                    }
                    return new Txn(first.getLong("id"), first.getString("type"), first.getString("reference"), first.getLong("reverses_id"),
                            first.getLong("reversed_by"), first.getString("note"), first.getString("created_by"),
                            first.getOffsetDateTime("created_at").toInstant(), legs);
                });
    }

    /** A wallet's entries newest first, from below the cursor's sequence, optionally of some types and inside [from, to). */
    public Uni<List<EntryRow>> statement(SqlClient client, long accountId, Long beforeSeq, String[] types, Instant from, Instant to, int limit) {
        return client.preparedQuery("""
                select e.seq, e.txn_id, t.type, t.reference, t.metadata ->> 'note' as note, e.amount, e.balance_after, e.created_at
                  from ledger.ledger_entry e join ledger.ledger_txn t on t.id = e.txn_id
                 where e.account_id = $1 and ($2::bigint is null or e.seq < $2)
                   and ($3::text[] is null or t.type = any ($3))
                   and ($4::timestamptz is null or e.created_at >= $4) and ($5::timestamptz is null or e.created_at < $5)
                 order by e.seq desc
                 limit $6""")
                .execute(Tuple.from(new Object[] { accountId, beforeSeq, types, offset(from), offset(to), limit }))
                .map(rows -> {
                    List<EntryRow> entries = new ArrayList<>(rows.rowCount());
                    for (Row r : rows) {
                        entries.add(new EntryRow(r.getLong("seq"), r.getLong("txn_id"), r.getString("type"), r.getString("reference"),
                                r.getString("note"), r.getLong("amount"), r.getLong("balance_after"),
                                r.getOffsetDateTime("created_at").toInstant()));
                    }
                    return entries;
                });
    }

    public Uni<Void> audit(SqlClient client, String action, String actor, Long txnId, JsonObject details) {
        return client.preparedQuery("insert into ledger.ledger_audit (action, actor, txn_id, details) values ($1, $2, $3, $4)")
                .execute(Tuple.of(action, actor, txnId, details)).replaceWithVoid();
    }

    /** Every mismatch ledger_verify finds (first one first), and how much it looked at. */
    public Uni<RowSet<Row>> verify(SqlClient client) {
        return client.query("select account_id, seq, problem from ledger.ledger_verify()").execute();
    }

    public Uni<long[]> counts(SqlClient client) {
        return client.query("select (select count(*) from ledger.ledger_entry) as entries, (select count(*) from ledger.ledger_account) as accounts")
                .execute().map(rows -> {
                    Row r = rows.iterator().next();
                    return new long[] { r.getLong("entries"), r.getLong("accounts") };
                });
    }

    public static Long[] boxed(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    static java.time.OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Member firstMember(RowSet<Row> rows) {
        if (rows.rowCount() == 0) {
            return null;
        }
        Row r = rows.iterator().next();
        return new Member(r.getLong("id"), r.getString("member_code"), r.getString("full_name"), r.getString("status"), r.getUUID("user_id"));
    }

    @Override
    public Uni<String> currency(SqlClient conn) {
        return settings(conn).map(Settings::currency);
    }

    @Override
    public Uni<Map<Long, Long>> wallets(SqlClient client, long[] distributors, String currency) {
        return client.preparedQuery("select distributor_id, account_id from ledger.ledger_wallets($1, $2)")
                .execute(Tuple.of(boxed(distributors), currency)).map(rows -> {
                    Map<Long, Long> wallets = new HashMap<>();
                    rows.forEach(r -> wallets.put(r.getLong(0), r.getLong(1)));
                    return wallets;
                });
    }

    @Override
    public Uni<Long> post(SqlClient conn, String type, JsonObject metadata, String actor, long[] accounts, long[] amounts) {
        return execute(conn, null, null, null, null, type, null, metadata, actor, null, accounts, amounts).map(Posting::txnId);
    }
}
