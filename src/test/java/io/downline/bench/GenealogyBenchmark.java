package io.downline.bench;

import static io.downline.bench.BenchReport.ms;
import static io.downline.bench.BenchReport.num;
import static io.downline.bench.BenchReport.progress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The genealogy benchmark (docs/benchmarks.md): a spillover network of {@code bench.nodes} members (default 1M) is
 * generated in memory and brought in through the bulk import endpoint; then downline sums, containment, upline and
 * slot queries are timed over JDBC and HTTP, both trees are relabelled through the API, and registrations run through
 * the HTTP API with 32 clients against two raw-SQL baselines of the same duration.
 *
 * <p>Run it with {@code scripts/bench.sh} (its own database, downline_bench). It asserts nothing about speed: it fails
 * only when something functionally breaks (a failed import, a wrong answer, an error response, a broken invariant).
 * System properties: bench.nodes, bench.seed, bench.clients, bench.seconds, bench.warmup, bench.reps.
 *
 * <p>Surefire runs only classes named like {@code *Test} (the pom keeps its default includes), so this class is abstract
 * and {@link GenealogyBenchmarkTest} is the one that runs; its methods run in order and share the static state.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(BenchProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class GenealogyBenchmark {

    static final int NODES = Integer.getInteger("bench.nodes", 1_000_000);
    static final long SEED = Long.getLong("bench.seed", 7130L);
    static final int CLIENTS = Integer.getInteger("bench.clients", 32);
    static final boolean FULL = NODES >= 1_000_000;
    static final int SECONDS = Integer.getInteger("bench.seconds", FULL ? 60 : 15);
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", FULL ? 10 : 5);
    static final int POINT_REPS = Integer.getInteger("bench.reps", 10_000);
    static final int VOLUME_MEMBERS = Math.min(200_000, Math.max(1, NODES / 5));
    /** Pre-created distributor rows of the bare-placement baseline: more than it can place at 5,000/s. */
    static final int BASELINE_ROWS = Math.max(20_000, (SECONDS + WARMUP_SECONDS) * 5_000);
    static final short PLACEMENT = 2;
    static final short SPONSOR = 1;
    static final Path REPORT_FILE = Path.of("target", "benchmark-report.md");

    /** The downline sum of the open period by label buckets: whole buckets plus the two partial ones at the edges. */
    static final String BUCKET_SUM = "select members, pv from genealogy.downline_totals(?::smallint, ?, ?, ?)";
    /** The downline sum before the buckets: one index-only range scan of tree_node_lo, which carries pv and bv. */
    static final String RAW_SUM = """
            select count(*), sum(pv) filter (where vol_period = genealogy.period_key(?)) from genealogy.tree_node
             where tree = ? and lo > ? and lo < ?""";
    /** The sum as it was before volume lived on the tree rows (the baseline): the range joined to personal_volume. */
    static final String JOIN_SUM = """
            select count(*), sum(v.pv) from genealogy.tree_node t
              left join genealogy.personal_volume v on v.period = ? and v.distributor_id = t.node_id
             where t.tree = ? and t.lo > ? and t.lo < ?""";
    static final String TEAM_COUNT = "select count(*) from genealogy.tree_node where tree = ? and lo > ? and lo < ?";
    /** GenealogyService.summary's query, as it is: the function plans its query for each call. */
    static final String SUMMARY_SQL = "select * from genealogy.tree_summary(?::smallint, ?, ?, ?, 5, ?, ?, ?, ?, ?)";
    static final List<String> PLANS = java.util.Collections.synchronizedList(new ArrayList<>());

    static final BenchReport report = new BenchReport();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper json = new ObjectMapper();

    static SpilloverNetwork net;
    static long firstId;
    static String period;
    static boolean imported;
    static LoadResult api;
    static LoadResult barePlacement;
    static LoadResult rawRegistration;

    @TestHTTPResource("/")
    URI base;

    // ---- 1. generate and import --------------------------------------------------------------------------------

    @Test
    @Order(1)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void importTheNetwork() throws Exception {
        describeSetup();
        progress("generating a spillover network of " + NODES + " members");
        long started = System.nanoTime();
        net = SpilloverNetwork.generate(NODES, SEED);
        long generated = System.nanoTime() - started;
        byte[] csv = net.csv();
        long built = System.nanoTime() - started - generated;
        describeNetwork(generated, built, csv.length);

        String bearer = Accounts.create("admin").bearer();
        progress("importing " + csv.length / 1_000_000 + " MB of CSV");
        long start = System.nanoTime();
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(base.resolve("api/v1/imports?format=CSV"))
                .header("Authorization", bearer).header("Content-Type", "text/csv").timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(csv)).build(), HttpResponse.BodyHandlers.ofString());
        long acceptedAfter = System.nanoTime() - start;
        csv = null;
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = json.readTree(accepted.body()).get("id").asText();
        JsonNode job;
        long lastReport = 0;
        while (true) {
            job = json.readTree(get(bearer, "api/v1/imports/" + id).body());
            String status = job.get("status").asText();
            if (status.equals("COMPLETED") || status.equals("FAILED")) {
                break;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                progress("import " + status + " " + job.get("processed").asInt() + "/" + job.get("total").asInt());
            }
            assertTrue(System.nanoTime() - start < TimeUnit.MINUTES.toNanos(25), "the import did not finish in 25 minutes");
            Thread.sleep(100);
        }
        long wall = System.nanoTime() - start;
        assertEquals("COMPLETED", job.get("status").asText(), job.toString());
        assertEquals(NODES, job.get("total").asInt());
        assertEquals(NODES, job.get("processed").asInt());
        double serverSeconds = Duration.between(Instant.parse(job.get("createdAt").asText()), Instant.parse(job.get("finishedAt").asText()))
                .toMillis() / 1000.0;

        firstId = Long.parseLong(Network.query("select id from genealogy.distributor where member_code = ?", net.code(0)));
        assertEquals(firstId + NODES - 1, Long.parseLong(Network.query("select id from genealogy.distributor where member_code = ?", net.code(NODES - 1))),
                "member i has id firstId + i");
        assertEquals(String.valueOf(2L * NODES), Network.query("select count(*) from genealogy.tree_node"));
        imported = true;

        report.section("Bulk import (POST /api/v1/imports?format=CSV, then polling GET /api/v1/imports/{id} every 100 ms)");
        report.tableHeader("Step", "Time");
        report.row("request until 202 (upload and job row)", String.format(Locale.ROOT, "%.1f s", acceptedAfter / 1e9));
        report.row("request until COMPLETED seen (wall)", String.format(Locale.ROOT, "**%.1f s**", wall / 1e9));
        report.row("job createdAt to finishedAt (server)", String.format(Locale.ROOT, "%.1f s", serverSeconds));
        report.target("Bulk import of " + label(NODES) + " nodes (wall, HTTP request to COMPLETED)", "<= 60 s",
                String.format(Locale.ROOT, "%.1f s", wall / 1e9), BenchReport.atMostVerdict(wall / 1e9, 60, "s"));

        // A bulk load leaves no statistics and no visibility map; autovacuum would get to it within a minute or so.
        long vacuum = timed(() -> execute("vacuum (analyze) identity.app_user, genealogy.distributor, genealogy.tree_node"));
        report.row("then `vacuum (analyze)` of app_user, distributor, tree_node (not part of the import)",
                String.format(Locale.ROOT, "%.1f s", vacuum / 1e9));
        report.line("");
        report.line("Sizes after the import: " + Network.query("""
                select string_agg(relname || ' ' || pg_size_pretty(pg_total_relation_size(oid)), ', ' order by relname)
                  from pg_class where oid in ('genealogy.tree_node'::regclass, 'genealogy.distributor'::regclass, 'identity.app_user'::regclass)""")
                + " (tables with their indexes).");
    }

    // ---- 2. volumes and downline sums ----------------------------------------------------------------------------

    @Test
    @Order(2)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void downlineVolumeSums() throws Exception {
        assertTrue(imported, "the network was not imported");
        period = YearMonth.now(ZoneOffset.UTC).toString();
        long inserted = timed(() -> {
            try (Connection c = TestDatabase.connect(); PreparedStatement insert = c.prepareStatement("""
                    insert into genealogy.personal_volume (period, distributor_id, pv, bv)
                    select ?, id, round((10 + random() * 190)::numeric, 2), round((5 + random() * 150)::numeric, 2)
                      from genealogy.distributor where id between ? and ? order by random() limit ?""")) {
                insert.setString(1, period);
                insert.setLong(2, firstId);
                insert.setLong(3, firstId + NODES - 1);
                insert.setInt(4, VOLUME_MEMBERS);
                assertEquals(VOLUME_MEMBERS, insert.executeUpdate());
            }
        });
        long vacuumed = timed(() -> execute("vacuum (analyze) genealogy.personal_volume, genealogy.tree_node"));
        String bearer = Accounts.create("admin").bearer();

        report.section("Downline volume sums");
        report.line(String.format(Locale.ROOT, "Personal volume for period %s recorded for %,d random members (%.0f%%) with one set-based insert "
                + "into personal_volume, whose trigger copies it onto both trees' rows (%.1f s in all), then `vacuum (analyze) personal_volume, "
                + "tree_node` (%.1f s; autovacuum would do it within a minute with tree_node's settings).", period, VOLUME_MEMBERS,
                100.0 * VOLUME_MEMBERS / NODES, inserted / 1e9, vacuumed / 1e9));
        report.line("");
        report.line("- **raw SQL, buckets** (the measure of the goal): JDBC, one connection, `select members, pv from "
                + "genealogy.downline_totals($t, X.lo, X.hi, $p)`: the label buckets wholly inside the interval with their deltas not folded "
                + "yet, plus index-only scans of `tree_node_lo` over the two partial buckets at its edges (docs/genealogy.md, \"Label buckets\").");
        report.line("- **raw SQL, range scan (before the buckets)**: the same with `plan_cache_mode = force_custom_plan` so each execution is "
                + "planned for its own range: `select count(*), sum(pv) filter (where vol_period = genealogy.period_key($p)) from "
                + "genealogy.tree_node where tree = $t and lo > X.lo and lo < X.hi`, an index-only scan of `tree_node_lo`.");
        report.line("- **raw SQL, join (baseline)**: the sum as it was before volume lived on the tree rows: the same range left-joined to "
                + "`personal_volume` for the period.");
        report.line("- **raw count only**: the same range without the volume join, `select count(*) from genealogy.tree_node where tree = $t and lo > X.lo "
                + "and lo < X.hi` (an index-only scan): what the range scan alone costs.");
        report.line("- **summary SQL, custom plan**: the statement of GenealogyService.summary as it is, `select * from genealogy.tree_summary(...)` "
                + "(grouped by level and binary leg, with pv and bv; the function plans its query with EXECUTE on each call), over JDBC.");
        report.line("- **summary SQL, generic plan**: the same with `plan_cache_mode = force_generic_plan`, the plan PostgreSQL may switch a "
                + "cached prepared statement to after five executions (the application's reactive client caches them): it should make no "
                + "difference now, since only the function call is cached.");
        report.line("- **HTTP summary**: `GET /api/v1/members/{code}/summary?levels=5[&tree=SPONSOR]` as an admin, one client, sequential: "
                + "the summary SQL plus the member lookup, plan, legs, a repeatable-read transaction, JWT, JSON and HTTP.");
        report.line("");
        report.line("Several nodes of about the same team size are used in turn (team = downline without the member).");
        report.line("");
        report.tableHeader("Tree", "Downline", "Nodes used (team sizes)", "How", "Runs", "Median ms", "p99 ms", "Max ms", "Goal");

        int[] sizeClasses = { NODES, NODES / 10, NODES / 1000 };
        double[] goals = { 150, 20, 2 };
        for (short tree : new short[] { PLACEMENT, SPONSOR }) {
            int[] sizes = tree == PLACEMENT ? net.placementSize : net.sponsorSize;
            for (int k = 0; k < sizeClasses.length; k++) {
                int[] nodes = nodesOfSize(sizes, sizeClasses[k], 8, new SplittableRandom(SEED + k));
                Map<Long, long[]> labels = labels(tree, ids(nodes));
                int warmup = sizeClasses[k] >= 500_000 ? 3 : sizeClasses[k] >= 50_000 ? 10 : 100;
                int runs = sizeClasses[k] >= 500_000 ? 30 : sizeClasses[k] >= 50_000 ? 200 : 2000;
                String teams = teams(nodes, sizes);
                Samples.Summary buckets;
                Samples.Summary raw;
                Samples.Summary joined;
                Samples.Summary count;
                Samples.Summary summarySql;
                try (Connection c = TestDatabase.connect()) {
                    execute(c, "set plan_cache_mode = force_custom_plan");
                    try (PreparedStatement sum = c.prepareStatement(RAW_SUM); PreparedStatement teamCount = c.prepareStatement(TEAM_COUNT);
                            PreparedStatement summary = c.prepareStatement(SUMMARY_SQL); PreparedStatement joinSum = c.prepareStatement(JOIN_SUM);
                            PreparedStatement bucketSum = c.prepareStatement(BUCKET_SUM)) {
                        bucketSum.setShort(1, tree);
                        bucketSum.setString(4, period);
                        sum.setString(1, period);
                        sum.setShort(2, tree);
                        joinSum.setString(1, period);
                        joinSum.setShort(2, tree);
                        teamCount.setShort(1, tree);
                        Map<Long, long[]> legs = new HashMap<>();
                        for (int node : nodes) { // the right answer first
                            long[] l = labels.get(firstId + node);
                            sum.setLong(3, l[0]);
                            sum.setLong(4, l[1]);
                            joinSum.setLong(3, l[0]);
                            joinSum.setLong(4, l[1]);
                            try (ResultSet rs = sum.executeQuery(); ResultSet before = joinSum.executeQuery()) {
                                rs.next();
                                before.next();
                                assertEquals(sizes[node] - 1, rs.getLong(1), "team of " + net.code(node) + " in tree " + tree);
                                assertEquals(before.getBigDecimal(2), rs.getBigDecimal(2), "volume of " + net.code(node) + " in tree " + tree);
                                bucketSum.setLong(2, l[0]);
                                bucketSum.setLong(3, l[1]);
                                try (ResultSet b = bucketSum.executeQuery()) {
                                    b.next();
                                    assertEquals(sizes[node] - 1, b.getLong(1), "bucket team of " + net.code(node) + " in tree " + tree);
                                    assertEquals(0, java.util.Objects.requireNonNullElse(before.getBigDecimal(2), java.math.BigDecimal.ZERO).compareTo(b.getBigDecimal(2)),
                                            "bucket volume of " + net.code(node));
                                }
                            }
                            legs.put(firstId + node, legs(c, tree, firstId + node));
                        }
                        buckets = measure(warmup, runs, i -> {
                            long[] l = labels.get(firstId + nodes[i % nodes.length]);
                            bucketSum.setLong(2, l[0]);
                            bucketSum.setLong(3, l[1]);
                            try (ResultSet rs = bucketSum.executeQuery()) {
                                rs.next();
                            }
                        });
                        raw = measure(warmup, runs, i -> {
                            long[] l = labels.get(firstId + nodes[i % nodes.length]);
                            sum.setLong(3, l[0]);
                            sum.setLong(4, l[1]);
                            try (ResultSet rs = sum.executeQuery()) {
                                rs.next();
                            }
                        });
                        joined = measure(warmup, runs, i -> {
                            long[] l = labels.get(firstId + nodes[i % nodes.length]);
                            joinSum.setLong(3, l[0]);
                            joinSum.setLong(4, l[1]);
                            try (ResultSet rs = joinSum.executeQuery()) {
                                rs.next();
                            }
                        });
                        count = measure(warmup, runs, i -> {
                            long[] l = labels.get(firstId + nodes[i % nodes.length]);
                            teamCount.setLong(2, l[0]);
                            teamCount.setLong(3, l[1]);
                            try (ResultSet rs = teamCount.executeQuery()) {
                                rs.next();
                            }
                        });
                        summarySql = measure(warmup, runs, i -> {
                            long id = firstId + nodes[i % nodes.length];
                            bindSummary(summary, tree, labels.get(id), legs.get(id));
                            try (ResultSet rs = summary.executeQuery()) {
                                while (rs.next()) {
                                    rs.getLong(3);
                                }
                            }
                        });
                        if (k != 1) { // plans of the largest and the smallest downline
                            long id = firstId + nodes[0];
                            long[] l = labels.get(id);
                            String title = treeName(tree) + " tree, " + (k == 0 ? "root" : "a ~" + label(sizeClasses[k]) + " downline");
                            try (PreparedStatement explain = c.prepareStatement("explain (analyze, buffers) " + RAW_SUM)) {
                                explain.setString(1, period);
                                explain.setShort(2, tree);
                                explain.setLong(3, l[0]);
                                explain.setLong(4, l[1]);
                                PLANS.add("Raw sum, " + title + ":\n" + plan(explain));
                            }
                            try (PreparedStatement explain = c.prepareStatement("""
                                    explain (analyze, buffers) select * from genealogy.tree_bucket_delta where tree = ?""")) {
                                explain.setShort(1, tree);
                                PLANS.add("Bucket deltas not folded yet, " + title + ":\n" + plan(explain));
                            }
                            try (PreparedStatement explain = c.prepareStatement("explain (analyze, buffers) " + JOIN_SUM)) {
                                explain.setString(1, period);
                                explain.setShort(2, tree);
                                explain.setLong(3, l[0]);
                                explain.setLong(4, l[1]);
                                PLANS.add("Baseline join sum, " + title + ":\n" + plan(explain));
                            }
                        }
                    }
                }
                // The application's reactive client caches prepared statements (Quarkus' default for PostgreSQL), so after five
                // executions on a connection PostgreSQL may switch a statement to its generic plan, made without the range.
                Samples.Summary summaryGeneric;
                try (Connection c = TestDatabase.connect()) {
                    execute(c, "set plan_cache_mode = force_generic_plan");
                    Map<Long, long[]> legs = new HashMap<>();
                    for (int node : nodes) {
                        legs.put(firstId + node, legs(c, tree, firstId + node));
                    }
                    try (PreparedStatement summary = c.prepareStatement(SUMMARY_SQL)) {
                        summaryGeneric = measure(warmup, runs, i -> {
                            long id = firstId + nodes[i % nodes.length];
                            bindSummary(summary, tree, labels.get(id), legs.get(id));
                            try (ResultSet rs = summary.executeQuery()) {
                                while (rs.next()) {
                                    rs.getLong(3);
                                }
                            }
                        });
                    }
                }
                String treeParam = tree == SPONSOR ? "&tree=SPONSOR" : "";
                for (int node : nodes) {
                    HttpResponse<String> response = get(bearer, "api/v1/members/" + net.code(node) + "/summary?levels=5" + treeParam);
                    assertEquals(200, response.statusCode(), response.body());
                    assertEquals(sizes[node] - 1, json.readTree(response.body()).get("teamSize").asLong());
                }
                Samples.Summary viaHttp = measure(warmup, runs, i -> {
                    HttpResponse<String> response = get(bearer, "api/v1/members/" + net.code(nodes[i % nodes.length]) + "/summary?levels=5" + treeParam);
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("summary answered " + response.statusCode() + ": " + response.body());
                    }
                });
                String what = (k == 0 ? "root, " : "~") + label(sizeClasses[k]);
                String goal = "<= " + num(goals[k]) + " ms";
                report.row(treeName(tree), what, teams, "raw SQL, buckets", buckets.count(), ms(buckets.median()), ms(buckets.p99()),
                        ms(buckets.max()), goal);
                report.row(treeName(tree), what, teams, "raw SQL, range scan (before the buckets)", raw.count(), ms(raw.median()), ms(raw.p99()),
                        ms(raw.max()), String.format(Locale.ROOT, "this p99 / buckets p99 = %.2f", (double) raw.p99() / buckets.p99()));
                report.row(treeName(tree), what, teams, "raw SQL, join (baseline)", joined.count(), ms(joined.median()), ms(joined.p99()),
                        ms(joined.max()), String.format(Locale.ROOT, "this p99 / raw SQL p99 = %.2f", (double) joined.p99() / raw.p99()));
                report.row(treeName(tree), what, teams, "raw count only", count.count(), ms(count.median()), ms(count.p99()), ms(count.max()), "-");
                report.row(treeName(tree), what, teams, "summary SQL, custom plan", summarySql.count(), ms(summarySql.median()),
                        ms(summarySql.p99()), ms(summarySql.max()), "-");
                report.row(treeName(tree), what, teams, "summary SQL, generic plan", summaryGeneric.count(), ms(summaryGeneric.median()),
                        ms(summaryGeneric.p99()), ms(summaryGeneric.max()), "-");
                report.row(treeName(tree), what, teams, "HTTP summary", viaHttp.count(), ms(viaHttp.median()), ms(viaHttp.p99()),
                        ms(viaHttp.max()), String.format(Locale.ROOT, "%s; p99 / summary SQL p99 = %.2f (goal <= 1.3)", goal,
                                (double) viaHttp.p99() / summarySql.p99()));
                report.target("Downline volume sum, " + what + ", " + treeName(tree) + " tree, raw SQL, buckets", goal, median(buckets),
                        BenchReport.latencyVerdict(buckets, goals[k]));
                report.target("Downline volume sum, " + what + ", " + treeName(tree) + " tree, raw SQL, range scan", goal, median(raw),
                        BenchReport.latencyVerdict(raw, goals[k]));
                report.target("Downline volume sum, " + what + ", " + treeName(tree) + " tree, HTTP summary", goal, median(viaHttp),
                        BenchReport.latencyVerdict(viaHttp, goals[k]));
                progress("sums " + treeName(tree) + " " + what + ": buckets " + ms(buckets.median()) + " ms, range scan " + ms(raw.median()) + " ms, http " + ms(viaHttp.median()) + " ms");
            }
        }
    }

    // ---- 3. point queries --------------------------------------------------------------------------------------

    @Test
    @Order(3)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void pointQueries() throws Exception {
        assertTrue(imported, "the network was not imported");
        int reps = POINT_REPS;
        int warmup = Math.max(100, reps / 5);
        report.section("Point queries (JDBC, one connection, prepared statements, sequential)");
        report.line(String.format(Locale.ROOT, "%,d timed runs each after %,d warm-up runs, over random members (uniform).", reps, warmup));
        report.line("");
        report.tableHeader("Query", "Tree", "Median ms", "p99 ms", "Max ms", "ops/s", "Goal", "Check");
        SplittableRandom random = new SplittableRandom(SEED ^ 0x5eed);
        try (Connection c = TestDatabase.connect()) {
            for (short tree : new short[] { PLACEMENT, SPONSOR }) {
                int[] up = tree == PLACEMENT ? net.parent : net.sponsor;
                int[] depth = tree == PLACEMENT ? net.depth : net.sponsorDepth;
                // is A in B's downline: half the pairs have B an ancestor of A, half are random pairs
                int pairs = warmup + reps;
                long[] a = new long[pairs];
                long[] b = new long[pairs];
                boolean[] expected = new boolean[pairs];
                for (int i = 0; i < pairs; i++) {
                    int x = random.nextInt(NODES);
                    int y;
                    if (i % 2 == 0 && depth[x] > 0) {
                        y = x;
                        for (int s = 1 + random.nextInt(Math.min(depth[x], 50)); s > 0; s--) {
                            y = up[y];
                        }
                    } else {
                        y = random.nextInt(NODES);
                    }
                    a[i] = firstId + x;
                    b[i] = firstId + y;
                    expected[i] = isBelow(x, y, up, depth);
                }
                AtomicInteger wrong = new AtomicInteger();
                AtomicInteger yes = new AtomicInteger();
                Samples.Summary contains;
                try (PreparedStatement q = c.prepareStatement("""
                        select b.lo < a.lo and a.lo < b.hi from genealogy.tree_node a, genealogy.tree_node b
                         where a.tree = ? and a.node_id = ? and b.tree = ? and b.node_id = ?""")) {
                    q.setShort(1, tree);
                    q.setShort(3, tree);
                    contains = measure(warmup, reps, i -> {
                        q.setLong(2, a[i]);
                        q.setLong(4, b[i]);
                        try (ResultSet rs = q.executeQuery()) {
                            rs.next();
                            boolean answer = rs.getBoolean(1);
                            if (answer != expected[i]) {
                                wrong.incrementAndGet();
                            }
                            if (answer) {
                                yes.incrementAndGet();
                            }
                        }
                    });
                }
                assertEquals(0, wrong.get(), "is-in-downline answers that disagree with the generated tree");
                pointRow("is A in B's downline (two PK lookups)", tree, contains, 1, yes.get() * 100 / (warmup + reps) + "% true, all correct");

                // upline walk of 20 levels from members at depth >= 19 (so that all 20 rows exist)
                int[] deep = java.util.stream.IntStream.range(0, NODES).filter(i -> depth[i] >= 19).toArray();
                if (deep.length == 0) {
                    report.row("upline, 20 levels", treeName(tree), "-", "-", "-", "-", "<= 5 ms", "no member at depth 19");
                } else {
                    long[] from = new long[pairs];
                    for (int i = 0; i < pairs; i++) {
                        from[i] = firstId + deep[random.nextInt(deep.length)];
                    }
                    AtomicInteger short20 = new AtomicInteger();
                    Samples.Summary upline;
                    try (PreparedStatement q = c.prepareStatement("select * from genealogy.tree_upline(?::smallint, ?, 20, null)")) {
                        q.setShort(1, tree);
                        upline = measure(warmup, reps, i -> {
                            q.setLong(2, from[i]);
                            int rows = 0;
                            try (ResultSet rs = q.executeQuery()) {
                                while (rs.next()) {
                                    rows++;
                                }
                            }
                            if (rows != 20) {
                                short20.incrementAndGet();
                            }
                        });
                    }
                    assertEquals(0, short20.get(), "upline walks that did not return 20 rows");
                    pointRow("upline, 20 levels (`genealogy.tree_upline(t, node, 20, null)`)", tree, upline, 5,
                            String.format(Locale.ROOT, "20 rows each; from %,d members at depth >= 19", deep.length));
                }
            }

            // next free slot, binary placement tree only (the sponsor tree has unlimited width)
            int pairs = warmup + reps;
            int[] sponsors = new int[pairs];
            for (int i = 0; i < pairs; i++) {
                sponsors[i] = random.nextInt(NODES);
            }
            Map<Long, long[]> labels = labels(PLACEMENT, ids(sponsors));
            long[] rootLabels = labels(PLACEMENT, new long[] { firstId }).get(firstId);
            int[] rootOnly = new int[pairs];
            int[] leftBottom = net.lineBottoms(0);
            int[] rightBottom = net.lineBottoms(1);
            for (String mode : new String[] { "extreme-left", "extreme-right", "BFS" }) {
                int[] bottoms = mode.equals("extreme-left") ? leftBottom : rightBottom;
                for (int[] who : new int[][] { sponsors, rootOnly }) {
                    Map<Long, long[]> l = who == rootOnly ? Map.of(firstId, rootLabels) : labels;
                    AtomicInteger wrong = new AtomicInteger();
                    String sql = switch (mode) {
                        case "extreme-left" -> "select node_id from genealogy.tree_node where tree = 2 and free_mask & 1 <> 0 and lo between ? and ? order by lo limit 1";
                        case "extreme-right" -> "select node_id from genealogy.tree_node where tree = 2 and free_mask & 2 <> 0 and hi between ? and ? order by hi desc limit 1";
                        default -> "select node_id, free_mask from genealogy.tree_first_open(2::smallint, ?, ?, ?, " + (Integer.MAX_VALUE - 1) + ")";
                    };
                    Samples.Summary slot;
                    try (PreparedStatement q = c.prepareStatement(sql)) {
                        slot = measure(warmup, reps, i -> {
                            long[] s = l.get(firstId + who[i]);
                            q.setLong(1, s[0]);
                            q.setLong(2, s[1]);
                            if (mode.equals("BFS")) {
                                q.setInt(3, (int) s[2]);
                            }
                            try (ResultSet rs = q.executeQuery()) {
                                if (!rs.next()) {
                                    wrong.incrementAndGet();
                                } else if (!mode.equals("BFS") && rs.getLong(1) != firstId + bottoms[who[i]]) {
                                    wrong.incrementAndGet();
                                }
                            }
                        });
                    }
                    assertEquals(0, wrong.get(), mode + " slots that disagree with the generated tree");
                    String name = "next free slot, " + mode + (who == rootOnly ? " under the root" : " under a random member");
                    String check = mode.equals("BFS") ? (who == rootOnly ? "first open level " + firstOpenLevel(0) : "a slot found each time")
                            : "same node as the generated tree's line bottom";
                    pointRow(name, PLACEMENT, slot, 2, check);
                }
            }
        }
    }

    private static void pointRow(String name, short tree, Samples.Summary s, double goalMs, String check) {
        report.row(name, treeName(tree), ms(s.median()), ms(s.p99()), ms(s.max()), num(s.opsPerSecond()), "<= " + num(goalMs) + " ms", check);
        report.target(name + ", " + treeName(tree) + " tree", "<= " + num(goalMs) + " ms", median(s), BenchReport.latencyVerdict(s, goalMs));
        progress(name + " " + treeName(tree) + ": median " + ms(s.median()) + " ms, p99 " + ms(s.p99()) + " ms");
    }

    /** Whether x is in y's downline (strictly below y), by walking x's line up to y's depth. */
    private static boolean isBelow(int x, int y, int[] up, int[] depth) {
        if (depth[x] <= depth[y]) {
            return false;
        }
        int z = x;
        while (depth[z] > depth[y]) {
            z = up[z];
        }
        return z == y;
    }

    /** The shallowest depth with a free position in the generated placement tree (under the root). */
    private static int firstOpenLevel(int root) {
        int[] children = new int[NODES];
        for (int i = 1; i < NODES; i++) {
            children[net.parent[i]]++;
        }
        int best = Integer.MAX_VALUE;
        for (int i = 0; i < NODES; i++) {
            if (children[i] < 2) {
                best = Math.min(best, net.depth[i]);
            }
        }
        return best;
    }

    // ---- 4. full relabel ---------------------------------------------------------------------------------------

    @Test
    @Order(4)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void fullRelabel() throws Exception {
        assertTrue(imported, "the network was not imported");
        String bearer = Accounts.create("admin").bearer();
        report.section("Full relabel (POST /api/v1/trees/{tree}/relabel)");
        report.line("On the imported network, before any registration. The labels it computes are the ones the import wrote (same tree, same "
                + "order), so the relabel, which rewrites only rows whose labels change, writes none: this measures reading the tree, "
                + "labelling it and copying and comparing the labels. A relabel that changes nearly every label runs after the writes (below).");
        report.line("");
        report.tableHeader("Tree", "Nodes", "Server millis", "Wall (HTTP)", "tree_node size before -> after", "Goal");
        for (String tree : new String[] { "PLACEMENT", "SPONSOR" }) {
            relabel(bearer, tree, NODES, "unchanged labels");
        }
        long vacuum = timed(() -> execute("vacuum (analyze) genealogy.tree_node"));
        report.line("");
        report.line(String.format(Locale.ROOT, "Then `vacuum (analyze) tree_node` (%.1f s) to clear the dead row versions of the relabels before the "
                + "write tests; autovacuum would do the same, later.", vacuum / 1e9));
    }

    private void relabel(String bearer, String tree, long nodes, String what) throws Exception {
        String before = Network.query("select pg_size_pretty(pg_total_relation_size('genealogy.tree_node'))");
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("api/v1/trees/" + tree + "/relabel"))
                .header("Authorization", bearer).timeout(Duration.ofMinutes(25)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        long wall = System.nanoTime() - start;
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = json.readTree(response.body());
        assertEquals(nodes, result.get("nodes").asLong());
        String after = Network.query("select pg_size_pretty(pg_total_relation_size('genealogy.tree_node'))");
        report.row(tree + " (" + what + ")", String.format(Locale.ROOT, "%,d", nodes), String.format(Locale.ROOT, "%,d", result.get("millis").asLong()),
                String.format(Locale.ROOT, "**%.1f s**", wall / 1e9), before + " -> " + after, "<= 30 s");
        report.target("Full relabel of " + label((int) nodes) + " nodes, " + tree.toLowerCase(Locale.ROOT) + " tree, " + what + " (wall)", "<= 30 s",
                String.format(Locale.ROOT, "%.1f s", wall / 1e9), BenchReport.atMostVerdict(wall / 1e9, 30, "s"));
        progress("relabel " + tree + " (" + what + "): " + ms(wall) + " ms");
    }

    // ---- 5. registrations through the HTTP API -----------------------------------------------------------------

    @Test
    @Order(5)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void registrationsThroughTheApi() throws Exception {
        assertTrue(imported, "the network was not imported");
        String bearer = Accounts.create("admin").bearer();
        URI registrations = base.resolve("api/v1/registrations");
        long before = Long.parseLong(Network.query("select count(*) from genealogy.distributor"));
        AtomicLong created = new AtomicLong();
        api = load("registrations via HTTP", t -> {
            SplittableRandom random = new SplittableRandom(SEED * 31 + t);
            return new Worker() {
                @Override
                public boolean once() throws Exception {
                    String body = "{\"sponsor\":\"" + net.code(random.nextInt(NODES)) + "\",\"fullName\":\"Bench Recruit\"}";
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(registrations).header("Authorization", bearer)
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("HTTP " + response.statusCode() + ": "
                                + response.body().substring(0, Math.min(300, response.body().length())));
                    }
                    created.incrementAndGet();
                    return true;
                }
            };
        });
        long after = Long.parseLong(Network.query("select count(*) from genealogy.distributor"));
        report.section("Writes: registrations and raw-SQL baselines (" + CLIENTS + " concurrent clients)");
        report.line(String.format(Locale.ROOT, "Each phase: %d s warm-up, then %d s measured; throughput = transactions completed in the measured "
                + "window / its length; latency = per transaction, client side, for those completed in the window.", WARMUP_SECONDS, SECONDS));
        report.line("");
        report.line("- **API**: `POST /api/v1/registrations` with `{\"sponsor\": <random imported member>, \"fullName\": ...}` as an admin (JWT), "
                + "the plan's default placement (binary, extreme-left); java.net.http.HttpClient (HTTP/1.1), " + CLIENTS + " platform threads, "
                + "each sending its next request when the last one answers. Client, application and PostgreSQL share the 2 cores. "
                + "The application's reactive pool has its default size (20 connections).");
        report.line("- **Bare placement (raw SQL)**: JDBC, " + CLIENTS + " threads, one connection each, autocommit off; per transaction: "
                + "`select pg_advisory_xact_lock(7130, 2)`; the random sponsor's `lo, hi` (primary key); the extreme-left probe (`select node_id "
                + "from genealogy.tree_node where tree = 2 and free_mask & 1 <> 0 and lo between $lo and $hi order by lo limit 1`); `select genealogy.tree_insert(2::smallint, "
                + "<pre-created distributor id>, <that node>, 0, 2)`; `commit` (durable). That is PlacementService's locked part alone: only the "
                + "placement tree, no user, no distributor row, no sponsor tree.");
        report.line("- **Registration SQL (raw SQL)**: JDBC, " + CLIENTS + " threads: the statements RegistrationService and PlacementService run "
                + "for this request, in the same order, one round trip each (plan, sponsor lookup, nextval, insert app_user, account_activation, "
                + "distributor, lock sponsor tree, `tree_insert` sponsor tree, lock placement tree, sponsor node, extreme-left probe, `tree_insert` "
                + "placement tree, parent node, sponsor code; `commit`): the database work of a registration without HTTP, JSON, JWT and the "
                + "reactive stack.");
        report.line("");
        report.tableHeader("Phase", "Completed in window", "Throughput /s", "Median ms", "p99 ms", "Max ms", "Errors");
        reportLoad("API: POST /api/v1/registrations", api);
        assertEquals(created.get(), after - before, "every 201 created exactly one distributor");
        assertEquals(0, api.errors(), "registrations answered with errors: " + api.errorSamples());
    }

    // ---- 6. raw-SQL baselines ----------------------------------------------------------------------------------

    @Test
    @Order(6)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void barePlacementBaseline() throws Exception {
        assertTrue(imported, "the network was not imported");
        long[] ids = new long[BASELINE_ROWS];
        long prepared = timed(() -> {
            try (Connection c = TestDatabase.connect(); PreparedStatement insert = c.prepareStatement("""
                    with u as (
                        insert into identity.app_user (id, username, display_name, roles)
                        select gen_random_uuid(), 'baseline-' || g, 'Baseline ' || g, 'distributor' from generate_series(1, ?) g
                        returning id, username)
                    insert into genealogy.distributor (id, user_id, member_code, referral_code, full_name, search_name)
                    select nextval('genealogy.member_number_seq'), id, upper(username), 'BL' || substr(username, 10), 'Baseline', 'baseline' from u
                    returning id""")) {
                insert.setInt(1, BASELINE_ROWS);
                int k = 0;
                try (ResultSet rs = insert.executeQuery()) {
                    while (rs.next()) {
                        ids[k++] = rs.getLong(1);
                    }
                }
                assertEquals(BASELINE_ROWS, k);
            }
            execute("vacuum (analyze) identity.app_user, genealogy.distributor");
        });
        progress(String.format(Locale.ROOT, "pre-created %,d distributors in %.1f s", BASELINE_ROWS, prepared / 1e9));
        AtomicInteger next = new AtomicInteger();
        barePlacement = load("bare placement (raw SQL)", t -> {
            SplittableRandom random = new SplittableRandom(SEED * 37 + t);
            Connection c = TestDatabase.connect();
            c.setAutoCommit(false);
            PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(7130, 2)");
            PreparedStatement sponsor = c.prepareStatement("select lo, hi from genealogy.tree_node where tree = 2 and node_id = ?");
            PreparedStatement extremeLeft = c.prepareStatement(
                    "select node_id from genealogy.tree_node where tree = 2 and free_mask & 1 <> 0 and lo between ? and ? order by lo limit 1");
            PreparedStatement insert = c.prepareStatement("select genealogy.tree_insert(2::smallint, ?, ?, 0, 2)");
            return new Worker() {
                @Override
                public boolean once() throws Exception {
                    int k = next.getAndIncrement();
                    if (k >= ids.length) {
                        return false;
                    }
                    try {
                        lock.executeQuery().close();
                        sponsor.setLong(1, firstId + random.nextInt(NODES));
                        try (ResultSet rs = sponsor.executeQuery()) {
                            rs.next();
                            extremeLeft.setLong(1, rs.getLong(1));
                            extremeLeft.setLong(2, rs.getLong(2));
                        }
                        long parent;
                        try (ResultSet rs = extremeLeft.executeQuery()) {
                            rs.next();
                            parent = rs.getLong(1);
                        }
                        insert.setLong(1, ids[k]);
                        insert.setLong(2, parent);
                        insert.executeQuery().close();
                        c.commit();
                        return true;
                    } catch (SQLException e) {
                        c.rollback();
                        throw e;
                    }
                }

                @Override
                public void close() throws SQLException {
                    c.close();
                }
            };
        });
        reportLoad("Bare placement (raw SQL)", barePlacement);
        if (barePlacement.exhausted()) {
            report.line("(the pre-created rows ran out before the end: the window was cut short there)");
        }
        assertEquals(0, barePlacement.errors(), "baseline errors: " + barePlacement.errorSamples());
    }

    @Test
    @Order(7)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void registrationSqlBaseline() throws Exception {
        assertTrue(imported, "the network was not imported");
        rawRegistration = load("registration SQL (raw SQL)", t -> {
            SplittableRandom random = new SplittableRandom(SEED * 41 + t);
            Connection c = TestDatabase.connect();
            c.setAutoCommit(false);
            PreparedStatement plan = c.prepareStatement("select * from genealogy.comp_plan where effective_from <= now() order by version desc limit 1");
            PreparedStatement sponsorId = c.prepareStatement("select id from genealogy.distributor where member_code = ? or referral_code = ?");
            PreparedStatement nextval = c.prepareStatement("select nextval('genealogy.member_number_seq') as n");
            PreparedStatement user = c.prepareStatement(
                    "insert into identity.app_user (id, username, display_name, email, roles) values (?, ?, ?, ?, 'distributor')");
            PreparedStatement activation = c.prepareStatement("insert into identity.account_activation (user_id, code_hash, expires_at) values (?, ?, ?)");
            PreparedStatement distributor = c.prepareStatement("""
                    insert into genealogy.distributor (id, user_id, member_code, referral_code, sponsor_id, full_name, email, phone, state_code,
                                             placement_due, search_name, registration_key)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
            PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(7130, ?)");
            PreparedStatement insert = c.prepareStatement("select genealogy.tree_insert(?::smallint, ?, ?, ?, ?) as position");
            PreparedStatement node = c.prepareStatement("""
                    select d.id, d.member_code, t.parent_id, t.position, t.depth, t.lo, t.hi, t.children, t.free_mask
                      from genealogy.distributor d join genealogy.tree_node t on t.node_id = d.id and t.tree = ? where d.id = ?""");
            PreparedStatement extremeLeft = c.prepareStatement(
                    "select node_id from genealogy.tree_node where tree = 2 and free_mask & 1 <> 0 and lo between ? and ? order by lo limit 1");
            return new Worker() {
                @Override
                public boolean once() throws Exception {
                    try {
                        plan.executeQuery().close();
                        String code = net.code(random.nextInt(NODES));
                        sponsorId.setString(1, code);
                        sponsorId.setString(2, code);
                        long sponsor;
                        try (ResultSet rs = sponsorId.executeQuery()) {
                            rs.next();
                            sponsor = rs.getLong(1);
                        }
                        long number;
                        try (ResultSet rs = nextval.executeQuery()) {
                            rs.next();
                            number = rs.getLong(1);
                        }
                        UUID userId = UUID.randomUUID();
                        String memberCode = "RB" + number;
                        user.setObject(1, userId);
                        user.setString(2, memberCode.toLowerCase(Locale.ROOT));
                        user.setString(3, "Raw Baseline");
                        user.setNull(4, Types.VARCHAR);
                        user.executeUpdate();
                        activation.setObject(1, userId);
                        activation.setString(2, UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", ""));
                        activation.setObject(3, OffsetDateTime.now(ZoneOffset.UTC).plusDays(14));
                        activation.executeUpdate();
                        distributor.setLong(1, number);
                        distributor.setObject(2, userId);
                        distributor.setString(3, memberCode);
                        distributor.setString(4, "RR" + number);
                        distributor.setLong(5, sponsor);
                        distributor.setString(6, "Raw Baseline");
                        distributor.setNull(7, Types.VARCHAR);
                        distributor.setNull(8, Types.VARCHAR);
                        distributor.setNull(9, Types.VARCHAR);
                        distributor.setNull(10, Types.TIMESTAMP_WITH_TIMEZONE);
                        distributor.setString(11, "raw baseline");
                        distributor.setNull(12, Types.VARCHAR);
                        distributor.executeUpdate();
                        lock.setInt(1, 1);
                        lock.executeQuery().close();
                        insert.setShort(1, SPONSOR);
                        insert.setLong(2, number);
                        insert.setLong(3, sponsor);
                        insert.setNull(4, Types.INTEGER);
                        insert.setNull(5, Types.INTEGER);
                        insert.executeQuery().close();
                        lock.setInt(1, 2);
                        lock.executeQuery().close();
                        long lo;
                        long hi;
                        node.setShort(1, PLACEMENT);
                        node.setLong(2, sponsor);
                        try (ResultSet rs = node.executeQuery()) {
                            rs.next();
                            lo = rs.getLong("lo");
                            hi = rs.getLong("hi");
                        }
                        long parent;
                        extremeLeft.setLong(1, lo);
                        extremeLeft.setLong(2, hi);
                        try (ResultSet rs = extremeLeft.executeQuery()) {
                            rs.next();
                            parent = rs.getLong(1);
                        }
                        insert.setShort(1, PLACEMENT);
                        insert.setLong(2, number);
                        insert.setLong(3, parent);
                        insert.setInt(4, 0);
                        insert.setInt(5, 2);
                        insert.executeQuery().close();
                        node.setLong(2, parent);
                        node.executeQuery().close();
                        node.setShort(1, SPONSOR);
                        node.setLong(2, sponsor);
                        node.executeQuery().close();
                        c.commit();
                        return true;
                    } catch (SQLException e) {
                        c.rollback();
                        throw e;
                    }
                }

                @Override
                public void close() throws SQLException {
                    c.close();
                }
            };
        });
        reportLoad("Registration SQL (raw SQL)", rawRegistration);
        ratios();
        assertEquals(0, rawRegistration.errors(), "baseline errors: " + rawRegistration.errorSamples());
    }

    // ---- 7. invariants -----------------------------------------------------------------------------------------

    @Test
    @Order(8)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void fullRelabelAfterTheWrites() throws Exception {
        assertTrue(imported, "the network was not imported");
        String bearer = Accounts.create("admin").bearer();
        execute("vacuum (analyze) genealogy.tree_node");
        long nodes = Long.parseLong(Network.query("select count(*) from genealogy.tree_node where tree = 2"));
        report.section("Full relabel after the writes");
        report.line("The registrations above added members all over the tree, so its evenly spread labels differ for nearly every row "
                + "(`vacuum (analyze) tree_node` first, not timed).");
        report.line("");
        report.tableHeader("Tree", "Nodes", "Server millis", "Wall (HTTP)", "tree_node size before -> after", "Goal");
        relabel(bearer, "PLACEMENT", nodes, "most labels change");
    }

    @Test
    @Order(9)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void invariantsHoldAfterwards() {
        assertTrue(imported, "the network was not imported");
        long start = System.nanoTime();
        List<String> violations = Network.invariantViolations();
        report.section("Invariants");
        report.line(String.format(Locale.ROOT, "After all writes, the label invariants of both trees (as the test suite checks them): %s (%.1f s). "
                + "Members: %s.", violations.isEmpty() ? "all hold" : "**VIOLATED** " + violations, (System.nanoTime() - start) / 1e9,
                Network.query("select count(*) from genealogy.distributor")));
        assertTrue(violations.isEmpty(), violations.toString());
    }

    @AfterAll
    static void publish() {
        if (api != null) {
            report.target("Registrations via HTTP API, " + CLIENTS + " clients, sustained " + SECONDS + " s: throughput", ">= 1,000/s",
                    num(api.throughput()) + "/s", BenchReport.atLeastVerdict(api.throughput(), 1000, "/s"));
            report.target("Registrations via HTTP API: p99 latency", "<= 50 ms", ms(api.summary().p99()) + " ms",
                    BenchReport.atMostVerdict(api.summary().p99() / 1e6, 50, "ms"));
        }
        if (!PLANS.isEmpty()) {
            report.section("Appendix: query plans (EXPLAIN (ANALYZE, BUFFERS), custom plans, after the timed runs)");
            for (String plan : PLANS) {
                String[] lines = plan.split("\n");
                report.line(lines[0]);
                report.line("");
                for (int i = 1; i < lines.length; i++) {
                    report.line(lines[i]);
                }
                report.line("");
            }
        }
        report.line("");
        report.line("Load average at the end: " + loadAverage());
        report.publish(REPORT_FILE);
    }

    // ---- load runner -------------------------------------------------------------------------------------------

    interface Worker extends AutoCloseable {
        /** One transaction; false when there is nothing left to do. */
        boolean once() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    interface WorkerFactory {
        Worker create(int thread) throws Exception;
    }

    record LoadResult(Samples.Summary summary, double throughput, long errors, long totalOk, List<String> errorSamples, boolean exhausted,
            String sessions) {
    }

    /** CLIENTS platform threads, each looping its worker: WARMUP_SECONDS of warm-up, then SECONDS measured. */
    static LoadResult load(String name, WorkerFactory factory) throws Exception {
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            workers.add(factory.create(t));
        }
        progress(name + ": " + CLIENTS + " clients, " + WARMUP_SECONDS + " s warm-up, " + SECONDS + " s measured");
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
        long until = measureFrom + TimeUnit.SECONDS.toNanos(SECONDS);
        Samples[] samples = new Samples[CLIENTS];
        AtomicLong errors = new AtomicLong();
        AtomicLong totalOk = new AtomicLong();
        AtomicLong exhaustedAt = new AtomicLong(Long.MAX_VALUE);
        List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[CLIENTS];
        for (int t = 0; t < CLIENTS; t++) {
            Samples mine = samples[t] = new Samples();
            Worker worker = workers.get(t);
            threads[t] = new Thread(() -> {
                try (worker) {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= until) {
                            break;
                        }
                        boolean ok;
                        try {
                            if (!worker.once()) {
                                exhaustedAt.accumulateAndGet(System.nanoTime(), Math::min);
                                break;
                            }
                            ok = true;
                        } catch (Exception e) {
                            ok = false;
                            if (errorSamples.size() < 5) {
                                errorSamples.add(e.toString());
                            }
                        }
                        long t1 = System.nanoTime();
                        if (ok) {
                            totalOk.incrementAndGet();
                        }
                        if (t1 >= measureFrom && t1 <= until) {
                            if (ok) {
                                mine.add(t1 - t0);
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                    }
                } catch (Exception e) {
                    errorSamples.add("closing: " + e);
                }
            }, "bench-client-" + t);
            threads[t].start();
        }
        SessionSampler sampler = new SessionSampler(measureFrom, until);
        sampler.start();
        for (Thread thread : threads) {
            thread.join();
        }
        sampler.join();
        Samples all = new Samples();
        for (Samples s : samples) {
            all.addAll(s);
        }
        boolean exhausted = exhaustedAt.get() != Long.MAX_VALUE;
        long windowEnd = Math.min(until, exhaustedAt.get());
        long window = Math.max(1, windowEnd - measureFrom);
        Samples.Summary summary = all.summary(window);
        LoadResult result = new LoadResult(summary, summary.count() * 1e9 / window, errors.get(), totalOk.get(), List.copyOf(errorSamples), exhausted,
                sampler.averages());
        progress(name + ": " + num(result.throughput()) + "/s, median " + ms(summary.median()) + " ms, p99 " + ms(summary.p99()) + " ms, errors "
                + result.errors() + (errorSamples.isEmpty() ? "" : " " + errorSamples));
        return result;
    }

    private static void ratios() {
        if (api != null && (barePlacement != null || rawRegistration != null)) {
            report.line("");
            report.line("Ratios of the API's registration throughput:");
            report.line("");
            if (barePlacement != null) {
                report.line(String.format(Locale.ROOT, "- to the bare placement baseline: **%.2f** (%s/s vs %s/s)",
                        api.throughput() / barePlacement.throughput(), num(api.throughput()), num(barePlacement.throughput())));
            }
            if (rawRegistration != null) {
                report.line(String.format(Locale.ROOT, "- to the registration SQL baseline: **%.2f** (%s/s vs %s/s)",
                        api.throughput() / rawRegistration.throughput(), num(api.throughput()), num(rawRegistration.throughput())));
            }
        }
        report.line("");
        report.line("Database sessions of the benchmark database during each measured window, by state / wait event (average count per "
                + "sample of pg_stat_activity every 200 ms):");
        report.line("");
        for (var phase : List.of(Map.entry("API", java.util.Optional.ofNullable(api)),
                Map.entry("Bare placement", java.util.Optional.ofNullable(barePlacement)),
                Map.entry("Registration SQL", java.util.Optional.ofNullable(rawRegistration)))) {
            phase.getValue().ifPresent(r -> report.line("- " + phase.getKey() + ": " + r.sessions()));
        }
    }

    /** What the database's sessions are doing during a measured window: sampled from pg_stat_activity every 200 ms. */
    static final class SessionSampler extends Thread {
        private final long from;
        private final long until;
        private final Map<String, Long> totals = new HashMap<>();
        private int samples;

        SessionSampler(long from, long until) {
            super("bench-session-sampler");
            this.from = from;
            this.until = until;
        }

        @Override
        public void run() {
            try (Connection c = TestDatabase.connect(); PreparedStatement q = c.prepareStatement("""
                    select coalesce(state, '?') || coalesce(' / ' || wait_event_type || ':' || wait_event, '') as what, count(*)
                      from pg_stat_activity
                     where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
                     group by 1""")) {
                while (System.nanoTime() < until) {
                    if (System.nanoTime() >= from) {
                        try (ResultSet rs = q.executeQuery()) {
                            while (rs.next()) {
                                totals.merge(rs.getString(1), rs.getLong(2), Long::sum);
                            }
                        }
                        samples++;
                    }
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                totals.put("sampling failed: " + e, 0L);
            }
        }

        String averages() {
            if (samples == 0) {
                return "no samples";
            }
            StringBuilder out = new StringBuilder();
            totals.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8).forEach(e -> out
                    .append(out.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%.1f", e.getValue() / (double) samples)));
            return out + " (" + samples + " samples)";
        }
    }

    private static void reportLoad(String phase, LoadResult r) {
        report.row(phase, String.format(Locale.ROOT, "%,d", r.summary().count()), "**" + num(r.throughput()) + "**", ms(r.summary().median()),
                ms(r.summary().p99()), ms(r.summary().max()), r.errors() + (r.errorSamples().isEmpty() ? "" : " " + r.errorSamples()));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    interface Op {
        void run(int i) throws Exception;
    }

    /** Runs op(0..warmup-1) untimed, then op(warmup..warmup+runs-1) timed one by one. */
    static Samples.Summary measure(int warmup, int runs, Op op) throws Exception {
        for (int i = 0; i < warmup; i++) {
            op.run(i);
        }
        Samples samples = new Samples();
        long start = System.nanoTime();
        for (int i = warmup; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            op.run(i);
            samples.add(System.nanoTime() - t0);
        }
        return samples.summary(System.nanoTime() - start);
    }

    interface Action {
        void run() throws Exception;
    }

    static long timed(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    HttpResponse<String> get(String bearer, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", bearer).timeout(Duration.ofMinutes(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void execute(String sql) throws SQLException {
        try (Connection c = TestDatabase.connect()) {
            execute(c, sql);
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Binds SUMMARY_SQL as GenealogyService.summary does: node labels {lo, hi, depth}, legs {left lo, hi, right lo, hi}. */
    static void bindSummary(PreparedStatement q, short tree, long[] node, long[] legs) throws SQLException {
        q.setShort(1, tree);
        q.setLong(2, node[0]);
        q.setLong(3, node[1]);
        q.setInt(4, (int) node[2]);
        q.setString(5, period);
        q.setLong(6, legs[0]);
        q.setLong(7, legs[1]);
        q.setLong(8, legs[2]);
        q.setLong(9, legs[3]);
    }

    /** The summary's leg intervals: the children at positions 0 and 1 in the binary placement tree, else the empty (1, 0). */
    static long[] legs(Connection c, short tree, long node) throws SQLException {
        long[] legs = { 1, 0, 1, 0 };
        if (tree != PLACEMENT) {
            return legs;
        }
        try (PreparedStatement q = c.prepareStatement("select position, lo, hi from genealogy.tree_node where tree = 2 and parent_id = ? and position in (0, 1)")) {
            q.setLong(1, node);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    legs[2 * rs.getInt(1)] = rs.getLong(2);
                    legs[2 * rs.getInt(1) + 1] = rs.getLong(3);
                }
            }
        }
        return legs;
    }

    static String plan(PreparedStatement explain) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = explain.executeQuery()) {
            while (rs.next()) {
                plan.append("    ").append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    /** lo, hi and depth of the given nodes of a tree. */
    static Map<Long, long[]> labels(short tree, long[] ids) throws SQLException {
        Map<Long, long[]> labels = new HashMap<>();
        try (Connection c = TestDatabase.connect();
                PreparedStatement q = c.prepareStatement("select node_id, lo, hi, depth from genealogy.tree_node where tree = ? and node_id = any(?)")) {
            Long[] boxed = new Long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                boxed[i] = ids[i];
            }
            Array array = c.createArrayOf("bigint", boxed);
            q.setShort(1, tree);
            q.setArray(2, array);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    labels.put(rs.getLong(1), new long[] { rs.getLong(2), rs.getLong(3), rs.getInt(4) });
                }
            }
        }
        return labels;
    }

    static long[] ids(int[] nodes) {
        long[] ids = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            ids[i] = firstId + nodes[i];
        }
        return ids;
    }

    /** Up to count nodes whose subtree size is within 20% of target (random among them), else the closest one. */
    static int[] nodesOfSize(int[] sizes, int target, int count, SplittableRandom random) {
        if (target >= NODES) {
            return new int[] { 0 };
        }
        List<Integer> near = new ArrayList<>();
        int closest = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (Math.abs(sizes[i] - target) < Math.abs(sizes[closest] - target)) {
                closest = i;
            }
            if (sizes[i] >= target * 0.8 && sizes[i] <= target * 1.2) {
                near.add(i);
            }
        }
        if (near.isEmpty()) {
            return new int[] { closest };
        }
        java.util.Collections.shuffle(near, new java.util.Random(random.nextLong()));
        return near.subList(0, Math.min(count, near.size())).stream().mapToInt(Integer::intValue).toArray();
    }

    static String teams(int[] nodes, int[] sizes) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int node : nodes) {
            min = Math.min(min, sizes[node] - 1);
            max = Math.max(max, sizes[node] - 1);
        }
        return nodes.length + (min == max ? String.format(Locale.ROOT, " (%,d)", min) : String.format(Locale.ROOT, " (%,d-%,d)", min, max));
    }

    static String median(Samples.Summary s) {
        return "median " + ms(s.median()) + " ms, p99 " + ms(s.p99()) + " ms";
    }

    static String treeName(short tree) {
        return tree == PLACEMENT ? "placement" : "sponsor";
    }

    static String label(int n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return n / 1_000_000 + "M";
        }
        if (n >= 1000 && n % 1000 == 0) {
            return n / 1000 + "k";
        }
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void describeSetup() {
        report.line("# Genealogy benchmark");
        report.line("");
        report.line(String.format(Locale.ROOT, "- Run: %s UTC; `bench.nodes=%d`, seed %d, %d clients, %d s measured after %d s warm-up per load phase",
                java.time.LocalDateTime.now(ZoneOffset.UTC).withNano(0), NODES, SEED, CLIENTS, SECONDS, WARMUP_SECONDS));
        report.line(String.format(Locale.ROOT, "- Machine: %d cores seen by the JVM, Java %s, max heap %,d MB; load average at the start: %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, loadAverage()));
        report.line("- PostgreSQL: " + Network.query("select split_part(version(), ' on ', 1)") + "; shared_buffers "
                + Network.query("show shared_buffers") + ", synchronous_commit " + Network.query("show synchronous_commit") + ", work_mem "
                + Network.query("show work_mem") + "; database " + Network.query("select current_database()"));
        report.line("- Application, load generator and PostgreSQL run on the same machine; the application runs in the test JVM (@QuarkusTest).");
    }

    private static void describeNetwork(long generatedNanos, long csvNanos, int csvBytes) {
        int maxDepth = SpilloverNetwork.max(net.depth);
        int maxSponsorDepth = SpilloverNetwork.max(net.sponsorDepth);
        int[] rootChildren = new int[1];
        for (int i = 1; i < NODES; i++) {
            if (net.sponsor[i] == 0) {
                rootChildren[0]++;
            }
        }
        report.section("Network");
        report.line(String.format(Locale.ROOT, "%,d members, generated in memory (%.1f s) and written as CSV (%.1f s, %,d bytes): "
                + "member i picks a sponsor **uniformly at random** among the members who joined before, and is placed extreme-left or "
                + "extreme-right (50/50) under the sponsor, at the bottom of the sponsor's outermost left (right) line.",
                NODES, generatedNanos / 1e9, csvNanos / 1e9, csvBytes));
        report.line("");
        report.tableHeader("Tree", "Max depth", "Mean depth", "Notes");
        report.row("placement (binary, tree = 2)", String.format(Locale.ROOT, "**%,d**", maxDepth), String.format(Locale.ROOT, "%,.0f",
                SpilloverNetwork.mean(net.depth)), "root's left leg " + String.format(Locale.ROOT, "%,d", net.leftLeg()) + " members");
        report.row("sponsor (unilevel, tree = 1)", maxSponsorDepth, String.format(Locale.ROOT, "%.1f", SpilloverNetwork.mean(net.sponsorDepth)),
                "root has " + rootChildren[0] + " direct recruits");
        progress("network: placement max depth " + maxDepth + ", sponsor max depth " + maxSponsorDepth);
    }
}
