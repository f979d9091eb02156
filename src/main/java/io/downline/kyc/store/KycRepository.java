package io.downline.kyc.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.kyc.api.DocumentKind;
import io.downline.kyc.api.DocumentStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** All SQL of the KYC vault (schema {@code kyc}). Methods taking a SqlClient run inside the caller's transaction. */
@ApplicationScoped
public class KycRepository {

    /** Advisory lock class of a member's KYC writes: uploads and decisions of one member run one at a time. */
    private static final int MEMBER_LOCK = 7311;

    public record Document(long id, long distributorId, DocumentKind kind, String contentType, int sizeBytes, byte[] sha256,
            String storageRef, byte[] wrappedKey, String masterKeyId, DocumentStatus status, String uploadedBy, Instant uploadedAt,
            String reviewedBy, Instant reviewedAt, String reviewReason, boolean current) {
    }

    public record NewDocument(long distributorId, DocumentKind kind, String contentType, int sizeBytes, byte[] sha256, String storageRef,
            byte[] wrappedKey, String masterKeyId, String uploadedBy) {
    }

    public record AadhaarRow(long distributorId, byte[] ciphertext, byte[] wrappedKey, String masterKeyId, String last4) {
    }

    public record Read(long id, long documentId, DocumentKind kind, String reader, String readerRoles, String purpose, Instant readAt) {
    }

    /** A wrapped data key, for re-wrapping under a new master key. */
    public record WrappedKey(long distributorId, long documentId, String storageRef, byte[] wrappedKey, String masterKeyId) {
    }

    private static final String DOCUMENT_COLUMNS = """
            d.id, d.distributor_id, d.kind, d.content_type, d.size_bytes, d.sha256, d.storage_ref, d.wrapped_key, d.master_key_id,
            d.status, d.uploaded_by, d.uploaded_at, d.reviewed_by, d.reviewed_at, d.review_reason,
            not exists (select 1 from kyc.document later
                         where later.distributor_id = d.distributor_id and later.kind = d.kind and later.id > d.id) as current""";

    private final Pool pool;

    public KycRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public Uni<Void> lockMember(SqlClient conn, long distributorId) {
        return conn.preparedQuery("select pg_advisory_xact_lock($1, hashint8($2))").execute(Tuple.of(MEMBER_LOCK, distributorId))
                .replaceWithVoid();
    }

    /** Inserts the document; a pending one of the same kind that it replaces becomes SUPERSEDED. */
    public Uni<Long> insert(SqlClient conn, NewDocument d) {
        return conn.preparedQuery("""
                insert into kyc.document (distributor_id, kind, content_type, size_bytes, sha256, storage_ref, wrapped_key, master_key_id,
                                          uploaded_by)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id""")
                .execute(Tuple.from(List.of(d.distributorId(), d.kind().name(), d.contentType(), d.sizeBytes(), Buffer.buffer(d.sha256()),
                        d.storageRef(), Buffer.buffer(d.wrappedKey()), d.masterKeyId(), d.uploadedBy())))
                .map(rows -> rows.iterator().next().getLong("id"))
                .call(id -> conn.preparedQuery("""
                        update kyc.document set status = 'SUPERSEDED'
                         where distributor_id = $1 and kind = $2 and status = 'PENDING' and id < $3""")
                        .execute(Tuple.of(d.distributorId(), d.kind().name(), id)));
    }

    public Uni<Void> saveAadhaar(SqlClient conn, AadhaarRow a) {
        return conn.preparedQuery("""
                insert into kyc.aadhaar (distributor_id, ciphertext, wrapped_key, master_key_id, last4) values ($1, $2, $3, $4, $5)
                on conflict (distributor_id) do update
                   set ciphertext = excluded.ciphertext, wrapped_key = excluded.wrapped_key, master_key_id = excluded.master_key_id,
                       last4 = excluded.last4, updated_at = now()""")
                .execute(Tuple.of(a.distributorId(), Buffer.buffer(a.ciphertext()), Buffer.buffer(a.wrappedKey()), a.masterKeyId(), a.last4()))
                .replaceWithVoid();
    }

    public Uni<String> aadhaarLast4(SqlClient client, long distributorId) {
        return client.preparedQuery("select last4 from kyc.aadhaar where distributor_id = $1").execute(Tuple.of(distributorId))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString("last4"));
    }

    public Uni<AadhaarRow> aadhaar(SqlClient client, long distributorId) {
        return client.preparedQuery("select distributor_id, ciphertext, wrapped_key, master_key_id, last4 from kyc.aadhaar where distributor_id = $1")
                .execute(Tuple.of(distributorId)).map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new AadhaarRow(r.getLong("distributor_id"), r.getBuffer("ciphertext").getBytes(), r.getBuffer("wrapped_key").getBytes(),
                            r.getString("master_key_id"), r.getString("last4"));
                });
    }

    public Uni<Document> find(SqlClient client, long id) {
        return client.preparedQuery("select " + DOCUMENT_COLUMNS + " from kyc.document d where d.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? null : document(rows.iterator().next()));
    }

    /** Each member's latest document of each kind (of the given members, optionally of one kind). */
    public Uni<List<Document>> current(SqlClient client, Long[] distributorIds, DocumentKind kind) {
        return client.preparedQuery("select " + DOCUMENT_COLUMNS + """
                  from (select distinct on (distributor_id, kind) * from kyc.document
                         where distributor_id = any ($1) and ($2::text is null or kind = $2)
                         order by distributor_id, kind, id desc) d
                 order by d.distributor_id, d.kind""")
                .execute(Tuple.of(distributorIds, kind == null ? null : kind.name())).map(KycRepository::documents);
    }

    /** Documents for staff, oldest first (a review queue), optionally of one member, status or kind. */
    public Uni<List<Document>> list(SqlClient client, Long distributorId, DocumentStatus status, DocumentKind kind, Long afterId, int limit) {
        return client.preparedQuery("select " + DOCUMENT_COLUMNS + """
                  from kyc.document d
                 where ($1::bigint is null or d.distributor_id = $1) and ($2::text is null or d.status = $2)
                   and ($3::text is null or d.kind = $3) and d.id > coalesce($4, 0)
                 order by d.id limit $5""")
                .execute(Tuple.from(Arrays.asList(distributorId, status == null ? null : status.name(), kind == null ? null : kind.name(),
                        afterId, limit)))
                .map(KycRepository::documents);
    }

    /** Decides a pending document that is still its member's latest of its kind; null when it is not (any more). */
    public Uni<Document> decide(SqlClient conn, long id, DocumentStatus outcome, String reviewer, String reason) {
        return conn.preparedQuery("""
                update kyc.document d set status = $2, reviewed_by = $3, reviewed_at = now(), review_reason = $4
                 where d.id = $1 and d.status = 'PENDING'
                   and not exists (select 1 from kyc.document later
                                    where later.distributor_id = d.distributor_id and later.kind = d.kind and later.id > d.id)
                """ + " returning " + DOCUMENT_COLUMNS)
                .execute(Tuple.of(id, outcome.name(), reviewer, reason))
                .map(rows -> rows.rowCount() == 0 ? null : document(rows.iterator().next()));
    }

    public Uni<Void> logRead(SqlClient conn, Document document, String reader, String readerRoles, String purpose) {
        return conn.preparedQuery("""
                insert into kyc.document_read (document_id, owner_id, reader, reader_roles, purpose) values ($1, $2, $3, $4, $5)""")
                .execute(Tuple.of(document.id(), document.distributorId(), reader, readerRoles, purpose)).replaceWithVoid();
    }

    /** Reads of a member's documents, newest first. */
    public Uni<List<Read>> reads(SqlClient client, long ownerId, Long documentId, Long beforeId, int limit) {
        return client.preparedQuery("""
                select r.id, r.document_id, d.kind, r.reader, r.reader_roles, r.purpose, r.read_at
                  from kyc.document_read r join kyc.document d on d.id = r.document_id
                 where r.owner_id = $1 and ($2::bigint is null or r.document_id = $2) and ($3::bigint is null or r.id < $3)
                 order by r.id desc limit $4""")
                .execute(Tuple.from(Arrays.asList(ownerId, documentId, beforeId, limit))).map(rows -> {
                    List<Read> reads = new ArrayList<>();
                    for (Row r : rows) {
                        reads.add(new Read(r.getLong("id"), r.getLong("document_id"), DocumentKind.valueOf(r.getString("kind")),
                                r.getString("reader"), r.getString("reader_roles"), r.getString("purpose"), r.getOffsetDateTime("read_at").toInstant()));
                    }
                    return reads;
                });
    }

    // ---- master key rotation --------------------------------------------------------------------------------------

    /** Documents whose data key another master key wrapped, in id order. */
    public Uni<List<WrappedKey>> documentKeysNotUnder(SqlClient client, String masterKeyId, long afterId, int limit) {
        return client.preparedQuery("""
                select distributor_id, id, storage_ref, wrapped_key, master_key_id from kyc.document
                 where master_key_id <> $1 and id > $2 order by id limit $3""")
                .execute(Tuple.of(masterKeyId, afterId, limit))
                .map(rows -> wrappedKeys(rows, r -> r.getLong("id"), r -> r.getString("storage_ref")));
    }

    public Uni<List<WrappedKey>> aadhaarKeysNotUnder(SqlClient client, String masterKeyId, long afterId, int limit) {
        return client.preparedQuery("""
                select distributor_id, wrapped_key, master_key_id from kyc.aadhaar
                 where master_key_id <> $1 and distributor_id > $2 order by distributor_id limit $3""")
                .execute(Tuple.of(masterKeyId, afterId, limit))
                .map(rows -> wrappedKeys(rows, r -> 0L, r -> null));
    }

    /** Replaces a wrapped key, unless someone else replaced it meanwhile; whether it did. */
    public Uni<Boolean> rewrapDocument(SqlClient conn, long id, String oldKeyId, byte[] wrappedKey, String newKeyId) {
        return conn.preparedQuery("update kyc.document set wrapped_key = $3, master_key_id = $4 where id = $1 and master_key_id = $2")
                .execute(Tuple.of(id, oldKeyId, Buffer.buffer(wrappedKey), newKeyId)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> rewrapAadhaar(SqlClient conn, long distributorId, String oldKeyId, byte[] wrappedKey, String newKeyId) {
        return conn.preparedQuery("update kyc.aadhaar set wrapped_key = $3, master_key_id = $4 where distributor_id = $1 and master_key_id = $2")
                .execute(Tuple.of(distributorId, oldKeyId, Buffer.buffer(wrappedKey), newKeyId)).map(rows -> rows.rowCount() == 1);
    }

    private static List<WrappedKey> wrappedKeys(RowSet<Row> rows, java.util.function.Function<Row, Long> documentId,
            java.util.function.Function<Row, String> ref) {
        List<WrappedKey> keys = new ArrayList<>();
        for (Row r : rows) {
            keys.add(new WrappedKey(r.getLong("distributor_id"), documentId.apply(r), ref.apply(r), r.getBuffer("wrapped_key").getBytes(),
                    r.getString("master_key_id")));
        }
        return keys;
    }

    private static List<Document> documents(RowSet<Row> rows) {
        List<Document> documents = new ArrayList<>();
        for (Row r : rows) {
            documents.add(document(r));
        }
        return documents;
    }

    private static Document document(Row r) {
        return new Document(r.getLong("id"), r.getLong("distributor_id"), DocumentKind.valueOf(r.getString("kind")), r.getString("content_type"),
                r.getInteger("size_bytes"), r.getBuffer("sha256").getBytes(), r.getString("storage_ref"), r.getBuffer("wrapped_key").getBytes(),
                r.getString("master_key_id"), DocumentStatus.valueOf(r.getString("status")), r.getString("uploaded_by"),
                r.getOffsetDateTime("uploaded_at").toInstant(), r.getString("reviewed_by"),
                r.getOffsetDateTime("reviewed_at") == null ? null : r.getOffsetDateTime("reviewed_at").toInstant(), r.getString("review_reason"),
                r.getBoolean("current"));
    }
}
