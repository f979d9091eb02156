package io.downline.genealogy.app;

import io.downline.genealogy.app.PlanService;

import io.downline.identity.api.Caller;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.GenealogyModels.LegView;
import io.downline.genealogy.api.GenealogyModels.LevelView;
import io.downline.genealogy.api.GenealogyModels.MemberStatus;
import io.downline.genealogy.api.GenealogyModels.MemberView;
import io.downline.genealogy.api.GenealogyModels.NodeView;
import io.downline.genealogy.api.GenealogyModels.Side;
import io.downline.genealogy.api.GenealogyModels.SummaryView;
import io.downline.genealogy.api.GenealogyModels.UplineView;
import io.downline.genealogy.api.GenealogyModels.VolumeEntryRequest;
import io.downline.genealogy.api.GenealogyModels.VolumeView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.GenealogyRepository;
import io.downline.genealogy.store.TreeNode;

/**
 * Downline questions, each answered by range scans over the tree's interval labels. A distributor may ask only about
 * their own downline in that tree; anything else answers 404, exactly as for a member code that does not exist.
 */
@ApplicationScoped
public class GenealogyService {

    public static final int MAX_LEVELS = 10;

    private final GenealogyRepository repository;
    private final PlanService plans;
    private final Pool pool;

    public GenealogyService(GenealogyRepository repository, PlanService plans, Pool pool) {
        this.repository = repository;
        this.plans = plans;
        this.pool = pool;
    }

    /**
     * Runs a read in one repeatable-read snapshot, so the access check and the range scans see the same labels even if
     * a relabel commits meanwhile.
     */
    private <T> Uni<T> snapshot(java.util.function.Function<SqlClient, Uni<T>> read) {
        return pool.withTransaction(conn -> conn.query("set transaction isolation level repeatable read, read only").execute()
                .chain(() -> read.apply(conn)));
    }

    /** The node the caller may see, or 404: staff see every node, a distributor only their own downline. */
    Uni<TreeNode> visible(SqlClient conn, Caller caller, Tree tree, String memberCode) {
        return repository.nodeByCode(conn, tree, memberCode.toUpperCase(Locale.ROOT)).chain(node -> {
            if (node != null && caller.staff()) {
                return Uni.createFrom().item(node);
            }
            if (node == null || caller.userId() == null) {
                return Uni.createFrom().failure(notFound());
            }
            return repository.nodeOfUser(conn, tree, caller.userId()).map(own -> {
                if (own == null || !own.contains(node)) {
                    throw notFound();
                }
                return node;
            });
        });
    }

    public Uni<MemberView> member(Caller caller, String memberCode) {
        return snapshot(conn -> visible(conn, caller, Tree.SPONSOR, memberCode).chain(node -> conn.preparedQuery("""
                select d.member_code, d.full_name, d.rank, d.status, s.member_code as sponsor, d.joined_at
                  from genealogy.distributor d left join genealogy.distributor s on s.id = d.sponsor_id where d.id = $1""")
                .execute(Tuple.of(node.id()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return member(row, row.getString("sponsor"));
                })));
    }

    /**
     * The node and its downline to the given number of levels, in pre-order, a page at a time. The cursor names the last
     * node served; its label is read afresh, so a relabel between two pages neither skips nor repeats anyone, and a
     * cursor for a node outside this downline yields nothing. One scan per level of the (tree, depth, lo) index; team
     * sizes are one genealogy.downline_totals per listed node (label buckets and two partial ones).
     */
    public Uni<Page<NodeView>> treeView(Caller caller, Tree tree, String memberCode, int levels, String period, PageRequest page) {
        List<String> after = page.after();
        Long afterNode = after == null ? null : PageRequest.number(after.get(0));
        return periodOrCurrent(period).chain(p -> snapshot(conn -> visible(conn, caller, tree, memberCode).chain(root -> conn.preparedQuery("""
                select d.id, d.member_code, d.full_name, d.rank, d.status, t.depth, pd.member_code as parent, t.position, t.children,
                       coalesce(v.pv, 0) as pv,
                       (select c.members from genealogy.downline_totals(t.tree, t.lo, t.hi, null) c) as team
                  from genealogy.tree_node t
                  join genealogy.distributor d on d.id = t.node_id
                  left join genealogy.distributor pd on pd.id = t.parent_id
                  left join genealogy.personal_volume v on v.period = $6 and v.distributor_id = t.node_id
                 where t.tree = $1 and t.depth between $2 and $3 and t.lo <= $5
                   and t.lo > case when $8::bigint is null then $4::bigint - 1
                                   else (select c.lo from genealogy.tree_node c where c.tree = $1 and c.node_id = $8 and c.lo between $4 and $5) end
                 order by t.lo limit $7""")
                .execute(Tuple.tuple().addShort(tree.id).addInteger(root.depth()).addInteger(root.depth() + levels).addLong(root.lo())
                        .addLong(root.hi()).addString(p).addInteger(page.limit + 1).addLong(afterNode))
                .map(rows -> page.page(GenealogyRepository.list(rows, row -> new Labelled<>(row.getLong("id"), new NodeView(
                        row.getString("member_code"), row.getString("full_name"), row.getString("rank"),
                        MemberStatus.valueOf(row.getString("status")), row.getInteger("depth") - root.depth(), row.getString("parent"), row.getInteger("position"),
                        row.getBigDecimal("pv"), row.getInteger("children"), row.getLong("team")))), l -> List.of(String.valueOf(l.label()))))
                .map(labelled -> new Page<>(labelled.items().stream().map(Labelled::value).toList(), labelled.next())))));
    }

    private static MemberView member(Row row, String sponsor) {
        return new MemberView(row.getString("member_code"), row.getString("full_name"), row.getString("rank"),
                MemberStatus.valueOf(row.getString("status")), sponsor, row.getOffsetDateTime("joined_at").toInstant());
    }

    /** A row's view with the sort key its cursor is made of. */
    private record Labelled<K, T>(K label, T value) {
    }

    /**
     * One range scan over the node's interval, grouped by level and (binary) leg: team size, per-level counts and
     * volumes, group volume, and the left and right legs. For the open period the volume comes from the covering label
     * index alone (genealogy.tree_summary, planned for each call).
     */
    public Uni<SummaryView> summary(Caller caller, Tree tree, String memberCode, String period, int levels) {
        // one plan read serves both the period check and the structure
        return snapshot(conn -> visible(conn, caller, tree, memberCode).chain(node -> plans.current()
                .chain(version -> {
                    String p = periodOf(version.plan(), period);
                    boolean binary = tree == Tree.PLACEMENT && version.plan().structure() == Plan.Structure.BINARY;
                    Uni<TreeNode> left = binary ? repository.childAt(conn, tree, node.id(), 0) : Uni.createFrom().nullItem();
                    Uni<TreeNode> right = binary ? repository.childAt(conn, tree, node.id(), 1) : Uni.createFrom().nullItem();
                    return Uni.combine().all().unis(left, right).asTuple()
                            .chain(legs -> repository.summary(conn, tree, node, levels, p, legs.getItem1(), legs.getItem2())
                                    .map(rows -> summarize(node, tree, p, levels, binary, legs.getItem1(), legs.getItem2(), rows)));
                })));
    }

    private static SummaryView summarize(TreeNode node, Tree tree, String period, int levels, boolean binary, TreeNode left,
            TreeNode right, io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        long[] levelMembers = new long[levels + 1];
        BigDecimal[] levelPv = zeros(levels + 1);
        BigDecimal[] levelBv = zeros(levels + 1);
        long[] legMembers = new long[2];
        BigDecimal[] legPv = zeros(2);
        BigDecimal[] legBv = zeros(2);
        long deeperMembers = 0;
        BigDecimal deeperPv = BigDecimal.ZERO;
        BigDecimal deeperBv = BigDecimal.ZERO;
        for (Row row : rows) {
            int level = row.getInteger("level");
            long members = row.getLong("members");
            BigDecimal pv = row.getBigDecimal("pv");
            BigDecimal bv = row.getBigDecimal("bv");
            if (level <= levels) {
                levelMembers[level] += members;
                levelPv[level] = levelPv[level].add(pv);
                levelBv[level] = levelBv[level].add(bv);
            } else {
                deeperMembers += members;
                deeperPv = deeperPv.add(pv);
                deeperBv = deeperBv.add(bv);
            }
            Integer leg = row.getInteger("leg");
            if (leg != null) {
                legMembers[leg] += members;
                legPv[leg] = legPv[leg].add(pv);
                legBv[leg] = legBv[leg].add(bv);
            }
        }
        List<LevelView> levelViews = new ArrayList<>();
        long team = deeperMembers;
        BigDecimal groupPv = deeperPv;
        BigDecimal groupBv = deeperBv;
        for (int level = 1; level <= levels; level++) {
            levelViews.add(new LevelView(level, levelMembers[level], levelPv[level], levelBv[level]));
            team += levelMembers[level];
            groupPv = groupPv.add(levelPv[level]);
            groupBv = groupBv.add(levelBv[level]);
        }
        List<LegView> legs = binary ? List.of(
                new LegView(Side.LEFT, left == null ? null : left.memberCode(), legMembers[0], legPv[0], legBv[0]),
                new LegView(Side.RIGHT, right == null ? null : right.memberCode(), legMembers[1], legPv[1], legBv[1])) : null;
        return new SummaryView(node.memberCode(), tree, period, team, groupPv, groupBv, levelViews,
                new LevelView(levels + 1, deeperMembers, deeperPv, deeperBv), legs);
    }

    /** The path from the node towards the root by parent pointers; a distributor sees it only up to themselves. */
    /**
     * The path from the node towards the root, nearest first, stopping at a distributor caller. The cursor is the depth
     * of the last member served; since depths on one path are distinct, the next page is the walk's members above it
     * (a walk of at most depth + limit steps, one primary-key lookup each).
     */
    public Uni<Page<UplineView>> upline(Caller caller, Tree tree, String memberCode, PageRequest page) {
        Long servedDepth = page.afterNumber();
        return snapshot(conn -> visible(conn, caller, tree, memberCode).chain(node -> (caller.staff() || caller.userId() == null
                ? Uni.createFrom().<TreeNode>nullItem() : repository.nodeOfUser(conn, tree, caller.userId()))
                .chain(stop -> {
                    int above = servedDepth == null ? node.depth() + 1 : (int) Math.max(0, Math.min(servedDepth, node.depth() + 1));
                    int steps = node.depth() + 1 - above + page.limit + 1;
                    return conn.preparedQuery("""
                            select d.member_code, d.full_name, u.depth from genealogy.tree_upline($1, $2, $3, $4) u join genealogy.distributor d on d.id = u.node_id
                             where u.depth < $5 order by u.depth desc""")
                            .execute(Tuple.tuple().addShort(tree.id).addLong(node.id()).addInteger(steps)
                                    .addLong(stop == null ? null : stop.id()).addInteger(above))
                            .map(rows -> page.page(GenealogyRepository.list(rows, row -> new UplineView(row.getString("member_code"),
                                    row.getString("full_name"), row.getInteger("depth"))), member -> List.of(Integer.toString(member.depth()))));
                })));
    }

    /** Direct recruits: the node's children in the sponsor tree, in joining order. */
    public Uni<Page<MemberView>> recruits(Caller caller, String memberCode, PageRequest page) {
        return snapshot(conn -> visible(conn, caller, Tree.SPONSOR, memberCode).chain(node -> {
            List<String> after = page.after();
            int from = after == null ? -1 : (int) PageRequest.number(after.get(0));
            return conn.preparedQuery("""
                    select d.member_code, d.full_name, d.rank, d.status, d.joined_at, t.position
                      from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id
                     where t.tree = 1 and t.parent_id = $1 and t.position > $2 order by t.position limit $3""")
                    .execute(Tuple.of(node.id(), from, page.limit + 1))
                    .map(rows -> page.page(GenealogyRepository.list(rows, row -> new Labelled<>(row.getInteger("position"),
                            member(row, node.memberCode()))), l -> List.of(String.valueOf(l.label()))))
                    .map(labelled -> new Page<>(labelled.items().stream().map(Labelled::value).toList(), labelled.next()));
        }));
    }

    /** Members of the node's downline whose name contains the query (names starting with it first), or whose member code is the query. */
    public Uni<Page<MemberView>> search(Caller caller, Tree tree, String memberCode, String query, PageRequest page) {
        String q = GenealogyRepository.searchable(query);
        List<String> after = page.after();
        if (after != null && (after.size() != 3 || !List.of("0", "1").contains(after.get(0)))) {
            throw PageRequest.invalidCursor();
        }
        return snapshot(conn -> visible(conn, caller, tree, memberCode).chain(node -> conn.preparedQuery("""
                select * from (
                  select d.member_code, d.full_name, d.rank, d.status, s.member_code as sponsor, d.joined_at, d.search_name,
                         case when d.search_name like $4 || '%' then 0 else 1 end as prefix_rank
                    from genealogy.distributor d
                    join genealogy.tree_node t on t.tree = $1 and t.node_id = d.id
                    left join genealogy.distributor s on s.id = d.sponsor_id
                   where (d.search_name like '%' || $4 || '%' or d.member_code = upper($5)) and t.lo > $2 and t.lo <= $3) m
                 where (m.prefix_rank, m.search_name, m.member_code) > ($7, $8, $9)
                 order by m.prefix_rank, m.search_name, m.member_code limit $6""")
                .execute(Tuple.tuple().addShort(tree.id).addLong(node.lo()).addLong(node.hi())
                        .addString(q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")).addString(query.trim())
                        .addInteger(page.limit + 1).addInteger(after == null ? -1 : Integer.parseInt(after.get(0)))
                        .addString(after == null ? "" : after.get(1)).addString(after == null ? "" : after.get(2)))
                .map(rows -> page.page(GenealogyRepository.list(rows, row -> new Labelled<>(
                        List.of(String.valueOf(row.getInteger("prefix_rank")), row.getString("search_name")),
                        member(row, row.getString("sponsor")))), l -> List.of(l.label().get(0), l.label().get(1), l.value().memberCode())))
                .map(labelled -> new Page<>(labelled.items().stream().map(Labelled::value).toList(), labelled.next()))));
    }

    public Uni<VolumeView> volume(Caller caller, String memberCode, String period) {
        return snapshot(conn -> visible(conn, caller, Tree.SPONSOR, memberCode).chain(node -> periodOrCurrent(period).chain(p -> conn.preparedQuery("""
                select coalesce(sum(pv), 0) as pv, coalesce(sum(bv), 0) as bv from genealogy.personal_volume where period = $1 and distributor_id = $2""")
                .execute(Tuple.of(p, node.id()))
                .map(rows -> new VolumeView(node.memberCode(), p, rows.iterator().next().getBigDecimal("pv"),
                        rows.iterator().next().getBigDecimal("bv"))))));
    }

    /** Adds an entry to a distributor's period volume, keeping the entry as the record of who did it and why. */
    public Uni<VolumeView> recordVolume(VolumeEntryRequest entry, String actor) {
        return plans.current().chain(version -> {
            if (!version.plan().validPeriod(entry.period())) {
                throw ProblemException.invalidField("period", version.plan().periodType() == Plan.PeriodType.MONTHLY
                        ? "must be a month like 2026-11" : "must be an ISO week like 2026-W47");
            }
            return pool.withTransaction(conn -> repository.nodeByCode(conn, Tree.SPONSOR, entry.memberCode().toUpperCase(Locale.ROOT))
                    .chain(node -> {
                        if (node == null) {
                            throw ProblemException.invalidField("memberCode", "no distributor has this member code");
                        }
                        return conn.preparedQuery("""
                                insert into genealogy.volume_entry (period, distributor_id, pv, bv, source, reference, recorded_by)
                                values ($1, $2, $3, $4, 'manual', $5, $6)""")
                                .execute(Tuple.of(entry.period(), node.id(), entry.pv(), entry.bv(), entry.reason(), actor))
                                .chain(() -> conn.preparedQuery("""
                                        insert into genealogy.personal_volume (period, distributor_id, pv, bv) values ($1, $2, $3, $4)
                                        on conflict (period, distributor_id) do update
                                           set pv = personal_volume.pv + excluded.pv, bv = personal_volume.bv + excluded.bv
                                        returning pv, bv""")
                                        .execute(Tuple.of(entry.period(), node.id(), entry.pv(), entry.bv())))
                                .map(rows -> new VolumeView(node.memberCode(), entry.period(), rows.iterator().next().getBigDecimal("pv"),
                                        rows.iterator().next().getBigDecimal("bv")));
                    }));
        });
    }

    private Uni<String> periodOrCurrent(String period) {
        return plans.current().map(version -> periodOf(version.plan(), period));
    }

    private static String periodOf(Plan plan, String period) {
        if (period == null) {
            return plan.currentPeriod();
        }
        if (!plan.validPeriod(period)) {
            throw ProblemException.invalidField("period", "is not a period of this plan");
        }
        return period;
    }

    private static BigDecimal[] zeros(int n) {
        BigDecimal[] values = new BigDecimal[n];
        java.util.Arrays.fill(values, BigDecimal.ZERO);
        return values;
    }

    static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "No such member in your downline.");
    }
}
