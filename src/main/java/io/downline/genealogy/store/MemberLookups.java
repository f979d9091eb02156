package io.downline.genealogy.store;
import io.downline.genealogy.api.MemberDirectory.MemberRef;

import io.downline.genealogy.api.MemberDirectory;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Who a member is, for other modules (the KYC vault): by login, by member code, or by id. Belongs in the genealogy
 * module's api package once modules have one.
 */
@ApplicationScoped
public class MemberLookups implements MemberDirectory {

    private static final String COLUMNS = "select id, member_code, full_name, user_id from genealogy.distributor";

    private final GenealogyRepository repository;

    public MemberLookups(GenealogyRepository repository) {
        this.repository = repository;
    }

    /** The caller's own membership; 403 for a login that is no distributor. */
    @Override
    public Uni<MemberRef> byUser(UUID userId) {
        return repository.pool().preparedQuery(COLUMNS + " where user_id = $1").execute(Tuple.of(userId)).map(rows -> {
            MemberRef member = first(rows);
            if (member == null) {
                throw new ProblemException(ProblemType.FORBIDDEN, "Only distributors have this.");
            }
            return member;
        });
    }

    /** A member by code (case and spaces forgiven); 404 when there is none. */
    @Override
    public Uni<MemberRef> byCode(String code) {
        String normalized = code == null ? "" : code.trim().toUpperCase(Locale.ROOT);
        return repository.pool().preparedQuery(COLUMNS + " where member_code = $1").execute(Tuple.of(normalized)).map(rows -> {
            MemberRef member = first(rows);
            if (member == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such member.");
            }
            return member;
        });
    }

    /** Members by id, for lists; ids without a member are simply absent. */
    @Override
    public Uni<Map<Long, MemberRef>> byIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return repository.pool().preparedQuery(COLUMNS + " where id = any ($1)").execute(Tuple.of(ids.toArray(Long[]::new))).map(rows -> {
            Map<Long, MemberRef> members = new HashMap<>();
            for (Row row : rows) {
                MemberRef member = ref(row);
                members.put(member.distributorId(), member);
            }
            return members;
        });
    }

    private static MemberRef first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? null : ref(rows.iterator().next());
    }

    private static MemberRef ref(Row row) {
        return new MemberRef(row.getLong("id"), row.getString("member_code"), row.getString("full_name"), row.getUUID("user_id"));
    }
}
