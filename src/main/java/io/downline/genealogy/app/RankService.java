package io.downline.genealogy.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.genealogy.api.GenealogyEvents;
import io.downline.genealogy.api.MemberRanks;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Rank changes for other modules: one set-based update, then one event per member whose rank changed. */
@ApplicationScoped
public class RankService implements MemberRanks {

    private static final int MAX_RANK_LENGTH = 60;

    private final GenealogyOutbox outbox;

    public RankService(GenealogyOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public Uni<List<RankChange>> change(SqlConnection conn, Map<Long, String> ranks, String reason) {
        if (ranks.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // in id order, like every lock: two callers changing overlapping members never wait on each other in a circle
        TreeMap<Long, String> ordered = new TreeMap<>(ranks);
        ordered.forEach((id, rank) -> {
            if (rank == null || rank.isBlank() || rank.length() > MAX_RANK_LENGTH || !rank.equals(rank.strip())) {
                throw new IllegalArgumentException("not a rank name for member " + id + ": " + rank);
            }
        });
        return conn.preparedQuery("""
                with wanted as (select * from unnest($1::bigint[], $2::text[]) with ordinality as w(id, rank, n)),
                     locked as (select d.id, d.rank as previous from genealogy.distributor d join wanted w on w.id = d.id
                                 where d.rank <> w.rank order by d.id for update of d)
                update genealogy.distributor d set rank = w.rank
                  from wanted w join locked l on l.id = w.id
                 where d.id = w.id
                returning d.id, d.member_code, l.previous, d.rank""")
                .execute(Tuple.of(ordered.keySet().toArray(Long[]::new), ordered.values().toArray(String[]::new)))
                .chain(rows -> {
                    List<RankChange> changes = new ArrayList<>(rows.rowCount());
                    for (Row row : rows) {
                        changes.add(new RankChange(row.getLong("id"), row.getString("member_code"), row.getString("previous"), row.getString("rank")));
                    }
                    changes.sort((a, b) -> Long.compare(a.memberId(), b.memberId()));
                    String at = Instant.now().toString();
                    List<JsonObject> payloads = changes.stream().map(c -> new JsonObject().put("memberId", c.memberId())
                            .put("memberCode", c.memberCode()).put("previous", c.previous()).put("rank", c.rank()).put("reason", reason)
                            .put("changedAt", at)).toList();
                    return outbox.publish(conn, Collections.nCopies(changes.size(), GenealogyEvents.RANK_CHANGED), payloads)
                            .replaceWith(changes);
                });
    }
}
