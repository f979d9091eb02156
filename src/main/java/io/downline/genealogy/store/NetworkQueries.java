package io.downline.genealogy.store;
import io.downline.genealogy.api.NetworkReads.MemberRef;
import io.downline.genealogy.api.NetworkReads.PlacementColumns;
import io.downline.genealogy.api.NetworkReads.MemberStanding;

import io.downline.genealogy.api.NetworkReads;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Set-based reads of the network for other modules (the commission engine): a member's sponsor upline with what
 * qualification needs, the whole placement tree in pre-order with a period's volumes, and members' identities. Each
 * runs in the caller's transaction or on the pool.
 */
@ApplicationScoped
public class NetworkQueries implements NetworkReads {

    /**
     * The sponsor upline above each member, nearest first (the sponsor, the sponsor's sponsor, ...), at most
     * {@code levels} members, each with their personal volume in the query's period: one statement for all the queries
     * (walking parent pointers, one primary-key lookup per level).
     */
    @Override
    public Uni<Map<UplineQuery, List<MemberStanding>>> sponsorUplines(SqlClient conn, Collection<UplineQuery> queries, int levels) {
        List<UplineQuery> distinct = List.copyOf(new LinkedHashSet<>(queries));
        Map<UplineQuery, List<MemberStanding>> uplines = new HashMap<>();
        distinct.forEach(query -> uplines.put(query, new ArrayList<>()));
        if (distinct.isEmpty()) {
            return Uni.createFrom().item(uplines);
        }
        return conn.preparedQuery("""
                select q.n, d.id, d.member_code, d.status, d.rank, coalesce(v.pv, 0) as pv, coalesce(v.bv, 0) as bv
                  from unnest($1::bigint[], $2::text[]) with ordinality as q(member_id, period, n)
                 cross join lateral genealogy.tree_upline(1::smallint, q.member_id, $3, null) u
                  join genealogy.distributor d on d.id = u.node_id
                  left join genealogy.personal_volume v on v.period = q.period and v.distributor_id = u.node_id
                 where u.node_id <> q.member_id
                 order by q.n, u.depth desc""")
                .execute(Tuple.of(distinct.stream().map(UplineQuery::memberId).toArray(Long[]::new),
                        distinct.stream().map(UplineQuery::period).toArray(String[]::new), levels + 1))
                .map(rows -> {
                    for (Row row : rows) {
                        uplines.get(distinct.get((int) (row.getLong("n") - 1))).add(new MemberStanding(row.getLong("id"), row.getString("member_code"),
                                row.getString("status"), row.getString("rank"), row.getBigDecimal("pv"), row.getBigDecimal("bv")));
                    }
                    return uplines;
                });
    }

    @Override
    public Uni<PlacementColumns> placementColumns(SqlClient conn, String period) {
        // hash joins and one sort by label; the aggregates read the sorted rows in order, and lo comes along so the order
        // is checked rather than assumed
        return conn.preparedQuery("""
                select array_agg(lo) as lo, array_agg(node_id) as ids, array_agg(member_code) as codes, array_agg(parent_id) as parents,
                       array_agg(position) as positions, array_agg(sponsor_id) as sponsors, array_agg(status) as statuses,
                       array_agg(pv) as pv, array_agg(bv) as bv
                  from (select t.lo, t.node_id, d.member_code, t.parent_id, t.position, d.sponsor_id, d.status,
                               coalesce(v.pv, 0) as pv, coalesce(v.bv, 0) as bv
                          from genealogy.tree_node t
                          join genealogy.distributor d on d.id = t.node_id
                          left join genealogy.personal_volume v on v.period = $1 and v.distributor_id = t.node_id
                         where t.tree = 2
                         order by t.lo) s""")
                .execute(Tuple.of(period))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getValue("ids") == null) {
                        return new PlacementColumns(new Long[0], new String[0], new Long[0], new Integer[0], new Long[0], new String[0],
                                new BigDecimal[0], new BigDecimal[0]);
                    }
                    Long[] lo = row.getArrayOfLongs("lo");
                    for (int i = 1; i < lo.length; i++) {
                        if (lo[i - 1] >= lo[i]) {
                            throw new IllegalStateException("placement rows came out of label order at " + i);
                        }
                    }
                    return new PlacementColumns(row.getArrayOfLongs("ids"), row.getArrayOfStrings("codes"), row.getArrayOfLongs("parents"),
                            row.getArrayOfIntegers("positions"), row.getArrayOfLongs("sponsors"), row.getArrayOfStrings("statuses"),
                            row.getArrayOfBigDecimals("pv"), row.getArrayOfBigDecimals("bv"));
                });
    }

    /** The member with this code (case-insensitive), or null. */
    @Override
    public Uni<MemberRef> byCode(SqlClient conn, String memberCode) {
        return conn.preparedQuery("select id, member_code, sponsor_id from genealogy.distributor where member_code = upper($1)")
                .execute(Tuple.of(memberCode))
                .map(rows -> rows.size() == 0 ? null : toRef(rows.iterator().next()));
    }

    /** The member with this id, or null. */
    @Override
    public Uni<MemberRef> byId(SqlClient conn, long id) {
        return conn.preparedQuery("select id, member_code, sponsor_id from genealogy.distributor where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : toRef(rows.iterator().next()));
    }

    /** The distributor whose login this is, or null (staff have none). */
    @Override
    public Uni<MemberRef> byUser(SqlClient conn, UUID userId) {
        return conn.preparedQuery("select id, member_code, sponsor_id from genealogy.distributor where user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> rows.size() == 0 ? null : toRef(rows.iterator().next()));
    }

    private static MemberRef toRef(Row row) {
        return new MemberRef(row.getLong("id"), row.getString("member_code"), row.getLong("sponsor_id"));
    }
}
