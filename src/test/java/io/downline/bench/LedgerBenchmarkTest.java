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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.downline.common.money.Money;
import io.downline.tds.api.CommissionCredits;
import io.downline.ledger.api.LedgerModels.CreditBatchRequest;
import io.downline.ledger.api.LedgerModels.CreditBatchView;
import io.downline.ledger.api.LedgerModels.CreditRequest;
import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.Mailbox;
import io.downline.support.TestDatabase;
import io.downline.support.Wallets;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.auth.principal.JWTParser;

/**
 * The wallet ledger's benchmark (docs/benchmarks.md, "Ledger"): pgbench's tpcb-like script as the baseline on the same
 * server with the same client count; single transfers through {@code POST /api/v1/wallet/transfers} at peak (closed loop)
 * and at 70% of that peak (open loop, latency percentiles); the same transfer's SQL over JDBC (the session check and the
 * one {@code ledger_transfer(...)} statement), the posting statement alone, and each statement of the path timed on its
 * own; commission credits in batches through the API and through {@link CommissionCredits#post} directly; storage per
 * transfer; and the ledger's invariants afterwards.
 *
 * <p>Run it alone with {@code scripts/bench.sh -Dtest=LedgerBenchmarkTest}. It asserts nothing about speed: it fails only
 * when something functionally breaks (an error response, a batch that does not post all its credits, a ledger invariant).
 * System properties: bench.members (2,000 funded distributors), bench.clients (16), bench.transfers.seconds (30 s per
 * measured load phase), bench.transfers.warmup (5 s), bench.open.threads (64), bench.open.fraction (0.7),
 * bench.pgbench.scale (10), bench.pgbench.seconds (= bench.transfers.seconds), bench.pgbench.db (downline_pgbench),
 * bench.credits.batches (10), bench.credits.batch (5,000), bench.floor.reps (1,000), bench.seed (7130).
 * Access tokens live 15 minutes: keep a run's setup-to-last-transfer time below that (the default run needs about 5).
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(LedgerBenchProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerBenchmarkTest {

    static final int MEMBERS = Integer.getInteger("bench.members", 2_000);
    static final int CLIENTS = Integer.getInteger("bench.clients", 16);
    static final int SECONDS = Integer.getInteger("bench.transfers.seconds", 30);
    static final int WARMUP = Integer.getInteger("bench.transfers.warmup", 5);
    static final int OPEN_THREADS = Integer.getInteger("bench.open.threads", 64);
    static final double OPEN_FRACTION = Double.parseDouble(System.getProperty("bench.open.fraction", "0.7"));
    static final int PGBENCH_SCALE = Integer.getInteger("bench.pgbench.scale", 10);
    static final int PGBENCH_SECONDS = Integer.getInteger("bench.pgbench.seconds", SECONDS);
    static final String PGBENCH_DB = System.getProperty("bench.pgbench.db", "downline_pgbench");
    static final int CREDIT_BATCHES = Integer.getInteger("bench.credits.batches", 10);
    static final int CREDIT_BATCH = Integer.getInteger("bench.credits.batch", 5_000);
    static final int FLOOR_REPS = Integer.getInteger("bench.floor.reps", 1_000);
    static final long SEED = Long.getLong("bench.seed", 7130L);
    static final String FUNDING = "1000.00";
    static final String PGBENCH_MARKER = "created by LedgerBenchmarkTest for pgbench; dropped at its end";
    static final Path REPORT_FILE = Path.of("target", "ledger-benchmark-report.md");

    static final BenchReport report = new BenchReport();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper json = new ObjectMapper();

    /** A funded distributor with a logged-in session. */
    record Member(String code, String bearer, String caller, UUID userId, UUID sessionId, long distributorId, long walletId) {
    }

    static final List<Member> members = new ArrayList<>();
    static String adminBearer;
    static boolean ready;
    static double pgbenchTps;
    static String pgbenchSummary;
    static Map<String, Double> pgbenchCpu;
    static LedgerLoad.Result peak;
    static LedgerLoad.Result open;
    static LedgerLoad.Result single;
    static LedgerLoad.Result transferSql;
    static LedgerLoad.Result postingOnly;
    static double storagePerTransfer = -1;
    static double creditsHttp = -1;
    static double creditsService = -1;
    static long transfersBefore;
    static Map<String, long[]> sizesBefore;

    @TestHTTPResource("/")
    URI base;

    @Inject
    CommissionCredits commissionCredits;

    @Inject
    Instance<JWTParser> jwtParser;

    // ---- 1. setup: distributors with wallets and sessions ---------------------------------------------------------

    @Test
    @Order(1)
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void fundedDistributors() throws Exception {
        LedgerLoad.database = Network.query("select current_database()");
        describeSetup();
        Accounts.Account admin = Accounts.create("admin");
        adminBearer = admin.bearer();
        String root = Network.root(admin);
        Wallets.settings(admin, true, "0.00", "500.00", "0.00", "50000.00");
        progress("registering, activating and funding " + MEMBERS + " distributors");
        long start = System.nanoTime();
        List<String> codes = java.util.Collections.synchronizedList(new ArrayList<>(List.of(root)));
        List<String[]> made = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            jobs.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(SEED * 17 + thread);
                for (int i = next.getAndIncrement(); i < MEMBERS; i = next.getAndIncrement()) {
                    String sponsor = codes.get(random.nextInt(codes.size()));
                    JsonNode registration = json.readTree(expect(201, send("POST", "api/v1/registrations", adminBearer, null,
                            "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"Bench Wallet " + i + "\",\"email\":\"" + Mailbox.address("bench") + "\"}")));
                    String code = registration.get("memberCode").asText();
                    JsonNode tokens = json.readTree(expect(200, send("POST", "api/v1/auth/activate", null, null,
                            "{\"username\":\"" + registration.get("username").asText() + "\",\"activationCode\":\""
                                    + Mailbox.activationCode(registration.get("username").asText()) + "\",\"password\":\"" + Accounts.PASSWORD + "\"}")));
                    expect(201, send("POST", "api/v1/ledger/adjustments", adminBearer, UUID.randomUUID().toString(),
                            "{\"memberCode\":\"" + code + "\",\"direction\":\"CREDIT\",\"amount\":" + Wallets.inr(FUNDING)
                                    + ",\"reason\":\"benchmark funding\"}"));
                    codes.add(code);
                    made.add(new String[] { code, tokens.get("accessToken").asText() });
                }
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> job : jobs) {
            job.get();
        }
        long setup = System.nanoTime() - start;
        Map<String, long[]> ids = new java.util.HashMap<>();
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select d.member_code, d.id, a.id from genealogy.distributor d join ledger.ledger_account a on a.kind = 'WALLET' "
                        + "and a.distributor_id = d.id")) {
            while (rs.next()) {
                ids.put(rs.getString(1), new long[] { rs.getLong(2), rs.getLong(3) });
            }
        }
        for (String[] m : made) {
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(m[1].split("\\.")[1]));
            long[] id = ids.get(m[0]);
            members.add(new Member(m[0], "Bearer " + m[1], claims.get("upn").asText(), UUID.fromString(claims.get("sub").asText()),
                    UUID.fromString(claims.get("dl_session").asText()), id[0], id[1]));
        }
        members.sort(java.util.Comparator.comparing(Member::code));
        assertEquals(MEMBERS, members.size());
        execute("vacuum (analyze) ledger_account, ledger_txn, ledger_entry, ledger_request, distributor, app_user, auth_session");
        ready = true;
        report.section("Setup");
        report.line(String.format(Locale.ROOT, "%,d distributors registered (each under a random earlier one), activated (a session and an access "
                + "token each) and funded with INR %s by an adjustment, through the API with 8 threads: %.1f s. Transfers enabled with no fee.",
                MEMBERS, FUNDING, setup / 1e9));
    }

    // ---- 2. baseline: pgbench tpcb-like -------------------------------------------------------------------------

    @Test
    @Order(2)
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void pgbenchBaseline() throws Exception {
        assertTrue(ready, "setup failed");
        createPgbenchDatabase();
        try {
            progress("pgbench: initialising scale " + PGBENCH_SCALE + " in " + PGBENCH_DB);
            long start = System.nanoTime();
            pgbench("-i", "-q", "-s", Integer.toString(PGBENCH_SCALE), PGBENCH_DB);
            long init = System.nanoTime() - start;
            String loadBefore = LedgerLoad.loadAverage();
            progress("pgbench: tpcb-like, " + CLIENTS + " clients, -j 2, " + PGBENCH_SECONDS + " s; load " + loadBefore);
            CpuMeter.Sampler sampler = new CpuMeter.Sampler(PGBENCH_DB);
            String out = pgbench("-b", "tpcb-like", "-c", Integer.toString(CLIENTS), "-j", "2", "-T", Integer.toString(PGBENCH_SECONDS), PGBENCH_DB);
            CpuMeter.Snapshot cpuAfter = sampler.finish();
            String loadAfter = LedgerLoad.loadAverage();
            pgbenchTps = Double.parseDouble(find(out, "tps = ([0-9.]+) \\(without initial connection time\\)"));
            String latency = find(out, "latency average = ([0-9.]+) ms");
            String processed = find(out, "number of transactions actually processed: (\\d+)");
            pgbenchCpu = CpuMeter.perOperation(sampler.first(), cpuAfter, 0, Long.parseLong(processed));
            pgbenchSummary = String.format(Locale.ROOT, "%s/s, latency average %s ms", num(pgbenchTps), latency);
            progress("pgbench: " + pgbenchSummary);
            report.section("Baseline: pgbench");
            report.line(String.format(Locale.ROOT, "`pgbench -i -q -s %d` (%.1f s), then `pgbench -b tpcb-like -c %d -j 2 -T %d` against the same "
                    + "server, in its own database `%s` (created and dropped by the benchmark), started from the test with ProcessBuilder while "
                    + "the application idled. Durable commits (server defaults). Each tpcb-like transaction is BEGIN, three UPDATEs, a "
                    + "SELECT, an INSERT and COMMIT: 7 round trips and one commit.", PGBENCH_SCALE, init / 1e9, CLIENTS, PGBENCH_SECONDS,
                    PGBENCH_DB));
            report.line("");
            report.tableHeader("Transactions", "tps (without connection time)", "Latency average", "Load average before / after");
            report.row(processed, "**" + num(pgbenchTps) + "**", latency + " ms", loadBefore + " / " + loadAfter);
        } finally {
            dropPgbenchDatabase();
        }
    }

    // ---- 3. transfers through the API: unloaded, peak, 70% of peak ----------------------------------------------

    @Test
    @Order(3)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void transfersThroughTheApi() throws Exception {
        assertTrue(ready, "setup failed");
        URI transfers = base.resolve("api/v1/wallet/transfers");
        URI wallet = base.resolve("api/v1/wallet");
        transfersBefore = count("select count(*) from ledger.ledger_txn where type = 'TRANSFER'");
        sizesBefore = sizes();

        LedgerLoad.Result walletRead = LedgerLoad.closedLoop("GET /api/v1/wallet, 1 client", 1, 2, Math.max(5, SECONDS / 3), t -> () -> {
            Member m = members.get(ThreadLocalRandom.current().nextInt(members.size()));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(wallet).header("Authorization", m.bearer()).timeout(Duration.ofSeconds(60))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + ": " + abbreviate(r.body()));
            }
        });
        single = LedgerLoad.closedLoop("transfers via HTTP, 1 client", 1, 2, Math.max(5, SECONDS / 3), t -> () -> transfer(transfers));
        peak = LedgerLoad.closedLoop("transfers via HTTP (peak)", CLIENTS, WARMUP, SECONDS, t -> () -> transfer(transfers));
        double rate = Math.max(1, peak.throughput() * OPEN_FRACTION);
        open = LedgerLoad.openLoop("transfers via HTTP at " + Math.round(OPEN_FRACTION * 100) + "% of peak", rate, OPEN_THREADS, WARMUP, SECONDS,
                () -> transfer(transfers));

        long transfersAfter = count("select count(*) from ledger.ledger_txn where type = 'TRANSFER'");
        Map<String, long[]> sizesAfter = sizes();
        long made = transfersAfter - transfersBefore;

        report.section("Transfers through the API (`POST /api/v1/wallet/transfers`)");
        report.line(String.format(Locale.ROOT, "Each request: a random funded distributor (its own bearer token) sends INR 0.01-0.99 to another random one "
                + "of the %,d, with a fresh Idempotency-Key (UUID). Client: java.net.http.HttpClient (HTTP/1.1) on platform threads in the test JVM. "
                + "Closed loop: each client sends its next request when the last one answers. Open loop: requests started at a fixed rate, evenly "
                + "spaced, on a pool of %d threads; latency counted from the moment a request was due, so waiting for a free client thread "
                + "counts too. Warm-up %d s, then %d s measured, per phase.", MEMBERS, OPEN_THREADS, WARMUP, SECONDS));
        report.line("");
        report.tableHeader("Phase", "Completed in window", "Throughput /s", "p50 ms", "p95 ms", "p99 ms", "Max ms", "Errors", "Load before / after");
        loadRow("GET /api/v1/wallet, 1 client (auth, session check, 3 reads, no write)", walletRead);
        loadRow("Transfers, 1 client (unloaded latency)", single);
        loadRow("Transfers, " + CLIENTS + " clients, closed loop (**peak**)", peak);
        loadRow(String.format(Locale.ROOT, "Transfers, open loop at %s/s (%.0f%% of peak)", num(rate), OPEN_FRACTION * 100), open);
        report.line("");
        report.line("Open loop, service time only (from the moment a client thread started the request): " + open.serviceTimes().latencies() + ".");
        report.line(String.format(Locale.ROOT, "Ratio of the API's peak to pgbench tpcb-like: **%.2f** (%s/s vs %s/s, both with %d clients).",
                peak.throughput() / pgbenchTps, num(peak.throughput()), num(pgbenchTps), CLIENTS));

        storage(made, sizesBefore, sizesAfter);

        assertEquals(0, walletRead.errors(), "wallet reads answered with errors: " + walletRead.errorSamples());
        assertEquals(0, single.errors() + peak.errors() + open.errors(), "transfers answered with errors: " + single.errorSamples()
                + peak.errorSamples() + open.errorSamples());
        assertEquals(single.totalOk() + peak.totalOk() + open.totalOk(), made, "every 201 posted exactly one transfer");
    }

    private void storage(long made, Map<String, long[]> before, Map<String, long[]> after) {
        report.section("Storage per transfer");
        report.line(String.format(Locale.ROOT, "`pg_table_size` and `pg_indexes_size` of the ledger tables a transfer writes, before the first and "
                + "after the last transfer of the phases above, divided by the %,d transfers posted in between (2 entries, 1 transaction, 1 "
                + "idempotency row each; no fee). `ledger_entry` is the sum over its partitions (`pg_partition_tree`). Sizes include free space "
                + "in the pages written and the free-space/visibility maps; autovacuum may have run in between.", made));
        report.line("");
        report.tableHeader("Table", "Table bytes / transfer", "Index bytes / transfer", "Total bytes / transfer", "Size after (table + indexes)");
        long total = 0;
        for (String table : before.keySet()) {
            long[] b = before.get(table);
            long[] a = after.get(table);
            double tableBytes = (a[0] - b[0]) / (double) made;
            double indexBytes = (a[1] - b[1]) / (double) made;
            boolean counted = !table.equals("ledger_account");
            if (counted) {
                total += (a[0] - b[0]) + (a[1] - b[1]);
            }
            report.row(counted ? table : table + " (updated in place, not counted)", num(tableBytes), num(indexBytes), num(tableBytes + indexBytes),
                    String.format(Locale.ROOT, "%,d kB", (a[0] + a[1]) / 1024));
        }
        storagePerTransfer = total / (double) made;
        report.row("**counted total**", "", "", "**" + num(storagePerTransfer) + "**", "");
        report.line("");
        report.line("Average row sizes (`pg_column_size` of the row, including its 24-byte tuple header, excluding the 4-byte line pointer): "
                + "transfer `ledger_txn` " + Network.query("select round(avg(pg_column_size(t.*))) from ledger.ledger_txn t where type = 'TRANSFER'")
                + " B; `ledger_entry` " + Network.query("select round(avg(pg_column_size(e.*))) from ledger.ledger_entry e where e.txn_id in "
                        + "(select id from ledger.ledger_txn where type = 'TRANSFER')")
                + " B; `ledger_request` " + Network.query("select round(avg(pg_column_size(r.*))) from ledger.ledger_request r where operation = 'transfer'")
                + " B. Indexes: ledger_txn (pkey, (type, created_at)), ledger_entry ((account_id, seq, created_at) pkey, (txn_id)), "
                + "ledger_request ((caller, idempotency_key) pkey).");
        progress(String.format(Locale.ROOT, "storage: %.0f bytes per transfer over %d transfers", storagePerTransfer, made));
    }

    // ---- 4. the same transfers' SQL over JDBC, and each statement alone ----------------------------------------

    @Test
    @Order(4)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void transferSqlBaselines() throws Exception {
        assertTrue(ready, "setup failed");
        report.section("The transfer's database work alone (JDBC, no HTTP, JSON, JWT or reactive stack)");
        report.line("- **Transfer SQL**: per transfer, the statements the API runs for it, in the same order, one round trip each, autocommit "
                + "(as the application runs them): the session check of `ActiveTokenAugmentor` (`auth_session` join `app_user`), then "
                + "`select * from ledger.ledger_transfer(caller, key, hex_hash, user_id, to_code, amount_minor, currency, note)` (replay check on the "
                + "key, `ledger_settings`, both distributor rows, `ledger.ledger_wallet()` for each, `ledger.ledger_execute(...)`: idempotency claim, "
                + "transaction row, locks on both wallets, two hash-chained entries, both balances; then the read-back of the response's "
                + "figures; the durable commit). 2 round trips, one commit.");
        report.line("- **Posting only**: `ledger.ledger_execute(...)` alone, with the wallet ids known: the smallest transaction the design allows "
                + "for a transfer (one statement, one commit).");
        report.line("");
        transferSql = LedgerLoad.closedLoop("transfer SQL (JDBC)", CLIENTS, WARMUP, SECONDS, t -> new SqlTransfer(false));
        postingOnly = LedgerLoad.closedLoop("posting only (JDBC)", CLIENTS, WARMUP, SECONDS, t -> new SqlTransfer(true));
        report.tableHeader("Phase", "Completed in window", "Throughput /s", "p50 ms", "p95 ms", "p99 ms", "Max ms", "Errors", "Load before / after");
        loadRow("Transfer SQL, " + CLIENTS + " clients", transferSql);
        loadRow("Posting only, " + CLIENTS + " clients", postingOnly);
        if (peak != null) {
            report.line("");
            report.line(String.format(Locale.ROOT, "Ratios: API peak / transfer SQL **%.2f**; API peak / posting only **%.2f**; transfer SQL / "
                    + "pgbench %.2f; posting only / pgbench %.2f.", peak.throughput() / transferSql.throughput(),
                    peak.throughput() / postingOnly.throughput(), transferSql.throughput() / pgbenchTps, postingOnly.throughput() / pgbenchTps));
        }

        report.section("Each statement of a transfer, alone (one JDBC connection, sequential, no concurrent load)");
        report.line(String.format(Locale.ROOT, "%,d timed runs each after %d warm-up runs, random members. These are all the statements a "
                + "transfer runs now (the session check and `ledger_transfer`), plus the token check the application does in the JVM.",
                FLOOR_REPS, FLOOR_REPS / 5));
        report.line("");
        report.tableHeader("Step", "p50 ms", "p99 ms");
        try (SqlTransfer sql = new SqlTransfer(false)) {
            for (String step : SqlTransfer.STEPS) {
                LedgerLoad.Latencies latencies = new LedgerLoad.Latencies();
                for (int i = 0; i < FLOOR_REPS + FLOOR_REPS / 5; i++) {
                    long t = sql.step(step);
                    if (i >= FLOOR_REPS / 5) {
                        latencies.add(t);
                    }
                }
                LedgerLoad.Stats s = latencies.stats(1);
                report.row(step, ms(s.p50()), ms(s.p99()));
            }
        }
        if (jwtParser.isResolvable()) {
            JWTParser parser = jwtParser.get();
            LedgerLoad.Latencies latencies = new LedgerLoad.Latencies();
            for (int i = 0; i < FLOOR_REPS + FLOOR_REPS / 5; i++) {
                String token = members.get(i % members.size()).bearer().substring("Bearer ".length());
                long t0 = System.nanoTime();
                parser.parse(token);
                if (i >= FLOOR_REPS / 5) {
                    latencies.add(System.nanoTime() - t0);
                }
            }
            LedgerLoad.Stats s = latencies.stats(1);
            report.row("JWT parse and RS256 signature check (`JWTParser.parse`, in the application's JVM)", ms(s.p50()), ms(s.p99()));
        }
        postingProfile();
        cpuTable();
        assertEquals(0, transferSql.errors() + postingOnly.errors(), "SQL baseline errors: " + transferSql.errorSamples() + postingOnly.errorSamples());
    }

    /**
     * Where a transfer's time goes inside PostgreSQL: FLOOR_REPS {@code ledger_transfer} calls one after another on one
     * connection with {@code track_functions = 'all'}, then the per-call times of the ledger's functions from
     * pg_stat_user_functions (wall time inside each function; sequential and alone, so close to its CPU time). Best effort:
     * reported, never fatal.
     */
    private static void postingProfile() {
        List<String> tracked = List.of("ledger_transfer", "ledger_wallet", "ledger_execute", "ledger_claim_request", "ledger_post",
                "ledger_entry_hash");
        String functions = tracked.stream().map(f -> "'" + f + "'").collect(java.util.stream.Collectors.joining(", ", "(", ")"));
        try (SqlTransfer sql = new SqlTransfer(false); Connection reader = TestDatabase.connect(); Statement r = reader.createStatement()) {
            try (Statement s = sql.c.createStatement()) {
                s.execute("set track_functions = 'all'");
            }
            Map<String, double[]> before = functionStats(r, functions);
            long t0 = System.nanoTime();
            for (int i = 0; i < FLOOR_REPS; i++) {
                sql.step(SqlTransfer.STEPS[1]);
            }
            long wall = System.nanoTime() - t0;
            try (Statement s = sql.c.createStatement()) {
                s.execute("select pg_stat_force_next_flush()");
            }
            Thread.sleep(1500);
            Map<String, double[]> after = functionStats(r, functions);
            report.section("Inside a transfer (`track_functions = 'all'`, " + String.format(Locale.ROOT, "%,d", FLOOR_REPS)
                    + " `ledger_transfer` calls one after another on one connection)");
            report.line(String.format(Locale.ROOT, "Client-side time per transfer (the `ledger_transfer` statement and its durable commit, "
                    + "autocommit): %.3f ms on average. Function times are wall time inside the function as PostgreSQL measures it (no "
                    + "concurrent load here, so close to CPU time); the commit (WAL flush) comes after the function returns and is not in "
                    + "them. `ledger_transfer`'s self time is its own statements: the replay check, settings, both distributor rows and "
                    + "the read-back of the response's figures.", wall / 1e6 / FLOOR_REPS));
            report.line("");
            report.tableHeader("Function", "Calls per transfer", "Total ms per call", "Self ms per call");
            for (String f : tracked) {
                double[] a = after.get(f);
                if (a == null) {
                    report.row("`" + f + "`", "not tracked (inlined or not called)", "-", "-");
                    continue;
                }
                double[] b = before.getOrDefault(f, new double[3]);
                double calls = a[0] - b[0];
                report.row("`" + f + "`", String.format(Locale.ROOT, "%.2f", calls / FLOOR_REPS), calls == 0 ? "-"
                        : String.format(Locale.ROOT, "%.3f", (a[1] - b[1]) / calls), calls == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (a[2] - b[2]) / calls));
            }
        } catch (Exception e) {
            report.line("");
            report.line("(the posting profile could not be taken: " + e + ")");
        }
    }

    private static Map<String, double[]> functionStats(Statement s, String functions) throws SQLException {
        Map<String, double[]> stats = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery("select funcname, calls, total_time, self_time from pg_stat_user_functions where funcname in " + functions)) {
            while (rs.next()) {
                stats.put(rs.getString(1), new double[] { rs.getLong(2), rs.getDouble(3), rs.getDouble(4) });
            }
        }
        return stats;
    }

    private static void cpuTable() {
        List<Map<String, Double>> phases = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of("Category"));
        if (pgbenchCpu != null) {
            phases.add(pgbenchCpu);
            names.add("pgbench tpcb-like (" + num(pgbenchTps) + "/s; its database's backends count as \"this database\")");
        }
        for (LedgerLoad.Result r : java.util.Arrays.asList(single, peak, transferSql, postingOnly)) {
            if (r != null && r.cpuPerOperation() != null) {
                phases.add(r.cpuPerOperation());
                names.add(r.name() + " (" + num(r.throughput()) + "/s)");
            }
        }
        if (phases.isEmpty()) {
            return;
        }
        report.section("Where the CPU goes (CPU milliseconds per completed transfer or pgbench transaction, closed-loop phases, warm-up included)");
        report.line("Thread CPU times of this JVM by thread name (ThreadMXBean), on-CPU time of the PostgreSQL processes (/proc/<pid>/schedstat, "
                + "grouped by the database in their process title) and CPU ticks of the whole machine (/proc/stat). The application, the load generator and PostgreSQL "
                + "share the machine's cores; the machine is shared with other engineers too, whose work shows in the last rows.");
        report.line("");
        report.tableHeader(names.toArray(String[]::new));
        java.util.Set<String> categories = new java.util.LinkedHashSet<>();
        phases.forEach(r -> categories.addAll(r.keySet()));
        for (String category : categories) {
            Object[] row = new Object[phases.size() + 1];
            row[0] = category;
            for (int k = 0; k < phases.size(); k++) {
                Double v = phases.get(k).get(category);
                row[k + 1] = v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
            }
            report.row(row);
        }
    }

    /** One JDBC connection doing transfers the way the application's SQL does: the session check, then ledger_transfer. */
    static final class SqlTransfer implements LedgerLoad.Worker {
        static final String[] STEPS = { "session check (`auth_session` join `app_user`)",
                "`ledger.ledger_transfer(...)`, autocommit (replay check, settings, both members, both wallets, posting, read-back + durable commit)" };

        final boolean postingOnly;
        final Connection c;
        final PreparedStatement session;
        final PreparedStatement transfer;
        final PreparedStatement execute;
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");

        SqlTransfer(boolean postingOnly) throws Exception {
            this.postingOnly = postingOnly;
            c = TestDatabase.connect();
            session = c.prepareStatement("""
                    select 1 from identity.auth_session s join identity.app_user u on u.id = s.user_id
                     where s.id = ? and u.id = ? and u.status = 'ACTIVE' and s.revoked_at is null""");
            transfer = c.prepareStatement("select * from ledger.ledger_transfer(?, ?, ?, ?, ?, ?, ?, ?)");
            execute = c.prepareStatement("select txn_id, replayed from ledger.ledger_execute(?, ?, ?, decode(?, 'hex'), ?, ?, ?::jsonb, ?, ?, ?, ?)");
        }

        @Override
        public void once() throws Exception {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int i = random.nextInt(members.size());
            int j = random.nextInt(members.size() - 1);
            Member from = members.get(i);
            Member to = members.get(j >= i ? j + 1 : j);
            long amount = 1 + random.nextInt(99);
            if (postingOnly) {
                post(from, to, amount);
                return;
            }
            drain(session, from.sessionId(), from.userId());
            transfer(from, to, amount);
        }

        /** Nanoseconds of one run of the named step. */
        long step(String step) throws Exception {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int i = random.nextInt(members.size());
            Member from = members.get(i);
            Member to = members.get((i + 1 + random.nextInt(members.size() - 1)) % members.size());
            long t0 = System.nanoTime();
            switch (java.util.Arrays.asList(STEPS).indexOf(step)) {
                case 0 -> drain(session, from.sessionId(), from.userId());
                default -> transfer(from, to, 1 + random.nextInt(99));
            }
            return System.nanoTime() - t0;
        }

        /** One {@code ledger_transfer} call, as {@code LedgerRepository.transfer} sends it (autocommit). */
        long transfer(Member from, Member to, long amount) throws SQLException {
            String key = UUID.randomUUID().toString();
            transfer.setString(1, from.caller());
            transfer.setString(2, key);
            transfer.setString(3, HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8))));
            transfer.setObject(4, from.userId());
            transfer.setString(5, to.code());
            transfer.setLong(6, amount);
            transfer.setString(7, "INR");
            transfer.setString(8, "bench");
            try (ResultSet rs = transfer.executeQuery()) {
                if (!rs.next() || rs.getBoolean("replayed")) {
                    throw new IllegalStateException("ledger_transfer returned no fresh transfer");
                }
                lastTxn = rs.getLong("txn_id");
            }
            return lastTxn;
        }

        long lastTxn;

        long post(Member from, Member to, long amount) throws SQLException {
            String key = UUID.randomUUID().toString();
            execute.setString(1, from.caller());
            execute.setString(2, key);
            execute.setString(3, "transfer");
            execute.setString(4, HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8))));
            execute.setString(5, "TRANSFER");
            execute.setNull(6, Types.VARCHAR);
            execute.setString(7, "{\"note\":\"bench\",\"from\":\"" + from.code() + "\",\"to\":\"" + to.code() + "\"}");
            execute.setString(8, from.caller());
            execute.setNull(9, Types.BIGINT);
            execute.setArray(10, c.createArrayOf("bigint", new Long[] { from.walletId(), to.walletId() }));
            execute.setArray(11, c.createArrayOf("bigint", new Long[] { -amount, amount }));
            try (ResultSet rs = execute.executeQuery()) {
                rs.next();
                lastTxn = rs.getLong(1);
            }
            return lastTxn;
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }
    }

    static void drain(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int k = 0; k < parameters.length; k++) {
            statement.setObject(k + 1, parameters[k]);
        }
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }

    // ---- 5. commission credits -----------------------------------------------------------------------------------

    @Test
    @Order(5)
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void commissionCredits() throws Exception {
        assertTrue(ready, "setup failed");
        URI endpoint = base.resolve("api/v1/ledger/commission-credits");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        SplittableRandom random = new SplittableRandom(SEED * 53);
        report.section("Commission credits (the batch-credit service)");
        report.line(String.format(Locale.ROOT, "%d batches of %,d credits each way, sequential, each credit to a random one of the %,d distributors "
                + "(INR 1.00-99.99, credited today, a unique source reference), so a batch touches about %,d wallets. Through the API: "
                + "`POST /api/v1/ledger/commission-credits` as an admin, timed from sending the JSON to its 200. Through the service: "
                + "`CommissionCredits.post(request, actor)` injected into the test and awaited, with the same kind of request (no HTTP, "
                + "JSON or bean validation). Then one batch of the documented maximum of 20,000 credits each way (the endpoint is exempt "
                + "from the API's 1 MiB body limit). Last, a batch's TDS and ledger statements alone over JDBC.", CREDIT_BATCHES, CREDIT_BATCH, MEMBERS, Math.min(MEMBERS,
                        (int) Math.round(MEMBERS * (1 - Math.pow(1 - 1.0 / MEMBERS, CREDIT_BATCH))))));
        report.line("");
        report.tableHeader("Path", "Batches x credits", "Total time", "Credits/s", "Batch p50 ms", "Batch max ms", "TDS lines", "Body size");

        LedgerLoad.Latencies viaHttp = new LedgerLoad.Latencies();
        long httpNanos = 0;
        int tdsLines = 0;
        int bodyBytes = 0;
        for (int b = 0; b < CREDIT_BATCHES; b++) {
            List<CreditRequest> batch = credits("http-" + b, CREDIT_BATCH, today, random);
            byte[] body = creditsJson(batch);
            bodyBytes = body.length;
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).header("Authorization", adminBearer)
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            long t = System.nanoTime() - t0;
            assertEquals(200, r.statusCode(), abbreviate(r.body()));
            JsonNode result = json.readTree(r.body());
            assertEquals(CREDIT_BATCH, result.get("posted").asInt(), r.body());
            tdsLines += result.get("tdsLines").asInt();
            viaHttp.add(t);
            httpNanos += t;
            progress(String.format(Locale.ROOT, "credits via HTTP, batch %d: %.0f ms", b + 1, t / 1e6));
        }
        creditsHttp = CREDIT_BATCHES * (double) CREDIT_BATCH / (httpNanos / 1e9);
        LedgerLoad.Stats h = viaHttp.stats(httpNanos);
        report.row("API", CREDIT_BATCHES + " x " + String.format(Locale.ROOT, "%,d", CREDIT_BATCH), String.format(Locale.ROOT, "%.2f s", httpNanos / 1e9),
                "**" + num(creditsHttp) + "**", ms(h.p50()), ms(h.max()), tdsLines, String.format(Locale.ROOT, "%,d bytes", bodyBytes));

        LedgerLoad.Latencies viaService = new LedgerLoad.Latencies();
        long serviceNanos = 0;
        tdsLines = 0;
        for (int b = 0; b < CREDIT_BATCHES; b++) {
            CreditBatchRequest request = new CreditBatchRequest(credits("service-" + b, CREDIT_BATCH, today, random));
            long t0 = System.nanoTime();
            CreditBatchView result = commissionCredits.post(request, "ledger-benchmark").await().atMost(Duration.ofMinutes(5));
            long t = System.nanoTime() - t0;
            assertEquals(CREDIT_BATCH, result.posted());
            tdsLines += result.tdsLines();
            viaService.add(t);
            serviceNanos += t;
            progress(String.format(Locale.ROOT, "credits via the service, batch %d: %.0f ms", b + 1, t / 1e6));
        }
        creditsService = CREDIT_BATCHES * (double) CREDIT_BATCH / (serviceNanos / 1e9);
        LedgerLoad.Stats s = viaService.stats(serviceNanos);
        report.row("Service (`CommissionCredits.post`)", CREDIT_BATCHES + " x " + String.format(Locale.ROOT, "%,d", CREDIT_BATCH),
                String.format(Locale.ROOT, "%.2f s", serviceNanos / 1e9), "**" + num(creditsService) + "**", ms(s.p50()), ms(s.max()), tdsLines, "-");

        // The API documents batches of up to 20,000 credits (about 2.9 MB of JSON; the endpoint is exempt from the 1 MiB body
        // limit, HttpProblemRoutes.BULK_PATHS): one such batch each way.
        List<CreditRequest> big = credits("http-max", 20_000, today, random);
        byte[] body = creditsJson(big);
        long t0 = System.nanoTime();
        int status;
        String answer;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).header("Authorization", adminBearer)
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            answer = r.body();
        } catch (java.io.IOException e) {
            status = -1;
            answer = "the request failed: " + e;
        }
        long t = System.nanoTime() - t0;
        report.row("API, one batch of the documented maximum", "1 x 20,000", String.format(Locale.ROOT, "%.2f s", t / 1e9),
                status == 200 ? num(20_000 / (t / 1e9)) : "**refused (HTTP " + status + ")**", "-", "-", "-",
                String.format(Locale.ROOT, "%,d bytes", body.length));
        progress("credits via HTTP, one batch of 20,000: HTTP " + status + " in " + ms(t) + " ms " + abbreviate(answer));
        CreditBatchRequest bigRequest = new CreditBatchRequest(credits("service-max", 20_000, today, random));
        t0 = System.nanoTime();
        CreditBatchView bigResult = commissionCredits.post(bigRequest, "ledger-benchmark").await().atMost(Duration.ofMinutes(5));
        t = System.nanoTime() - t0;
        assertEquals(20_000, bigResult.posted());
        report.row("Service, one batch of the documented maximum", "1 x 20,000", String.format(Locale.ROOT, "%.2f s", t / 1e9),
                num(20_000 / (t / 1e9)), "-", "-", bigResult.tdsLines(), "-");
        batchStatementsAlone(today, random);
        if (status != 200) {
            report.line("");
            report.line("**Regression**: the API refused the 20,000-credit batch (" + String.format(Locale.ROOT, "%,d", body.length)
                    + " bytes of JSON) with HTTP " + status + "; the endpoint should be exempt from the body limit (HttpProblemRoutes.BULK_PATHS): "
                    + abbreviate(answer).replace("|", "/").replace("\n", " "));
        }
        assertEquals(200, status, "the API must accept a batch of the documented maximum of 20,000 credits: " + abbreviate(answer));
    }

    /**
     * A batch's TDS and ledger statements alone over JDBC, as {@code CommissionCredits} runs them, each for a batch of
     * CREDIT_BATCH random credits in one transaction: the wallet lookup (ledger_wallet per distributor); the tds_year lock
     * of {@code TdsRepository.lockYears} (insert the missing year rows, then lock them all in key order and read their
     * running totals); the untaxed-credit read of {@code TdsRepository.untaxed}, sent only for the deductee-years that this
     * batch takes over the TDS threshold (computed from the locked totals as {@code CommissionCredits} does; when none
     * cross, the service sends nothing and neither does this); and the posting (ledger_execute with one leg per credit and
     * the expense leg, then commit).
     */
    private static void batchStatementsAlone(String today, SplittableRandom random) throws SQLException {
        int batches = Math.max(1, CREDIT_BATCHES / 2);
        long expense = Long.parseLong(Network.query("select ledger.ledger_company_account('COMMISSION_EXPENSE', 'INR')"));
        io.downline.tax.api.FinancialYear financialYear = io.downline.tax.api.FinancialYear.of(LocalDate.parse(today));
        int year = financialYear.startYear();
        long thresholdPaise = io.downline.tds.api.TdsRules.india().thresholdFor(financialYear).movePointRight(2).longValueExact();
        LedgerLoad.Latencies walletTimes = new LedgerLoad.Latencies();
        LedgerLoad.Latencies lockTimes = new LedgerLoad.Latencies();
        LedgerLoad.Latencies untaxedTimes = new LedgerLoad.Latencies();
        LedgerLoad.Latencies postingTimes = new LedgerLoad.Latencies();
        long crossingDeductees = 0;
        long untaxedRows = 0;
        long maxCreditedGross = 0;
        long walletNanos = 0;
        long lockNanos = 0;
        long untaxedNanos = 0;
        long postingNanos = 0;
        try (Connection c = TestDatabase.connect();
                PreparedStatement wallets = c.prepareStatement("select d, ledger.ledger_wallet(d, 'INR') from unnest(?::bigint[]) d");
                PreparedStatement insertYears = c.prepareStatement("""
                        insert into tds.tds_year (distributor_id, financial_year)
                        select * from unnest(?::bigint[], ?::int[]) order by 1, 2
                        on conflict do nothing""");
                PreparedStatement lockYears = c.prepareStatement("""
                        select y.distributor_id, y.financial_year, y.credited_gross, y.threshold_crossed, y.outstanding_tax
                          from tds.tds_year y join unnest(?::bigint[], ?::int[]) k(d, fy) on y.distributor_id = k.d and y.financial_year = k.fy
                         order by y.distributor_id, y.financial_year
                           for update of y""");
                PreparedStatement untaxed = c.prepareStatement("""
                        select c.distributor_id, c.financial_year, c.id, c.credited_on, c.gross
                          from tds.commission_credit c join unnest(?::bigint[], ?::int[]) k(d, fy)
                            on c.distributor_id = k.d and c.financial_year = k.fy
                         where not c.tds_taxed
                         order by c.id""");
                PreparedStatement execute = c.prepareStatement(
                        "select txn_id, replayed from ledger.ledger_execute(null, null, null, null, 'COMMISSION', null, ?::jsonb, 'ledger-benchmark', null, ?, ?)")) {
            c.setAutoCommit(false);
            for (int b = 0; b < batches; b++) {
                java.util.TreeMap<Long, Long> walletOf = new java.util.TreeMap<>();
                Map<Long, Long> batchGross = new java.util.HashMap<>();
                Long[] accounts = new Long[CREDIT_BATCH + 1];
                Long[] amounts = new Long[CREDIT_BATCH + 1];
                long sum = 0;
                for (int i = 0; i < CREDIT_BATCH; i++) {
                    Member m = members.get(random.nextInt(members.size()));
                    walletOf.put(m.distributorId(), m.walletId());
                    accounts[i] = m.walletId();
                    amounts[i] = 100L + random.nextInt(9_900);
                    batchGross.merge(m.distributorId(), amounts[i], Long::sum);
                    sum += amounts[i];
                }
                accounts[CREDIT_BATCH] = expense;
                amounts[CREDIT_BATCH] = -sum;
                Long[] distributors = walletOf.keySet().toArray(Long[]::new);
                Integer[] years = new Integer[distributors.length];
                java.util.Arrays.fill(years, year);

                long t0 = System.nanoTime();
                wallets.setArray(1, c.createArrayOf("bigint", distributors));
                try (ResultSet rs = wallets.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(2);
                    }
                }
                long t1 = System.nanoTime();
                insertYears.setArray(1, c.createArrayOf("bigint", distributors));
                insertYears.setArray(2, c.createArrayOf("int4", years));
                insertYears.executeUpdate();
                lockYears.setArray(1, c.createArrayOf("bigint", distributors));
                lockYears.setArray(2, c.createArrayOf("int4", years));
                List<Long> crossing = new ArrayList<>();
                try (ResultSet rs = lockYears.executeQuery()) {
                    while (rs.next()) {
                        long d = rs.getLong(1);
                        long creditedGross = rs.getLong(3);
                        maxCreditedGross = Math.max(maxCreditedGross, creditedGross);
                        if (!rs.getBoolean(4) && creditedGross + batchGross.getOrDefault(d, 0L) > thresholdPaise) {
                            crossing.add(d);
                        }
                    }
                }
                long t2 = System.nanoTime();
                if (!crossing.isEmpty()) {
                    Integer[] crossingYears = new Integer[crossing.size()];
                    java.util.Arrays.fill(crossingYears, year);
                    untaxed.setArray(1, c.createArrayOf("bigint", crossing.toArray(Long[]::new)));
                    untaxed.setArray(2, c.createArrayOf("int4", crossingYears));
                    try (ResultSet rs = untaxed.executeQuery()) {
                        while (rs.next()) {
                            untaxedRows++;
                        }
                    }
                }
                crossingDeductees += crossing.size();
                long t3 = System.nanoTime();
                execute.setString(1, "{\"note\":\"benchmark: posting alone\"}");
                execute.setArray(2, c.createArrayOf("bigint", accounts));
                execute.setArray(3, c.createArrayOf("bigint", amounts));
                try (ResultSet rs = execute.executeQuery()) {
                    rs.next();
                }
                c.commit();
                long t4 = System.nanoTime();
                walletTimes.add(t1 - t0);
                lockTimes.add(t2 - t1);
                untaxedTimes.add(t3 - t2);
                postingTimes.add(t4 - t3);
                walletNanos += t1 - t0;
                lockNanos += t2 - t1;
                untaxedNanos += t3 - t2;
                postingNanos += t4 - t3;
            }
        }
        String size = batches + " x " + String.format(Locale.ROOT, "%,d", CREDIT_BATCH);
        double credits = batches * (double) CREDIT_BATCH;
        LedgerLoad.Stats w = walletTimes.stats(walletNanos);
        LedgerLoad.Stats l = lockTimes.stats(lockNanos);
        LedgerLoad.Stats u = untaxedTimes.stats(untaxedNanos);
        LedgerLoad.Stats p = postingTimes.stats(postingNanos);
        report.row("Alone (JDBC): `ledger_wallet` for the batch's distributors", size, String.format(Locale.ROOT, "%.2f s", walletNanos / 1e9),
                num(credits / (walletNanos / 1e9)), ms(w.p50()), ms(w.max()), "-", "-");
        report.row("Alone (JDBC): TDS's `tds_year` insert and lock (`for update`, key order) of the batch's deductee-years", size,
                String.format(Locale.ROOT, "%.2f s", lockNanos / 1e9), num(credits / (lockNanos / 1e9)), ms(l.p50()), ms(l.max()), "-", "-");
        report.row(String.format(Locale.ROOT, "Alone (JDBC): TDS's untaxed-credit read, only for deductee-years this batch takes over the "
                + "threshold (%,d crossing deductees and %,d rows in all; the statement is not sent when none cross)", crossingDeductees, untaxedRows),
                size, String.format(Locale.ROOT, "%.3f s", untaxedNanos / 1e9), untaxedNanos < 1_000_000 ? "-" : num(credits / (untaxedNanos / 1e9)),
                ms(u.p50()), ms(u.max()), "-", "-");
        report.row("Alone (JDBC): the posting, `ledger_execute` with " + String.format(Locale.ROOT, "%,d", CREDIT_BATCH + 1) + " legs, and commit", size,
                String.format(Locale.ROOT, "%.2f s", postingNanos / 1e9), num(credits / (postingNanos / 1e9)), ms(p.p50()), ms(p.max()), "-", "-");
        report.line("");
        report.line(String.format(Locale.ROOT, "TDS threshold for FY %d: INR %s. The highest running total (`tds_year.credited_gross`) of any "
                + "deductee seen by these batches was INR %s: with credits of INR 1.00-99.99 spread over %,d distributors, no deductee gets "
                + "near the threshold in this benchmark, so the untaxed-credit read is normally never sent and the TDS cost of a batch is the "
                + "`tds_year` insert and lock (plus the profile read and the year-row update, not timed here).", year,
                java.math.BigDecimal.valueOf(thresholdPaise, 2).toPlainString(), java.math.BigDecimal.valueOf(maxCreditedGross, 2).toPlainString(),
                MEMBERS));
        progress("credits, statements alone: wallets " + ms(w.p50()) + " ms, tds_year lock " + ms(l.p50()) + " ms, untaxed read " + ms(u.p50())
                + " ms (" + crossingDeductees + " crossing), posting " + ms(p.p50()) + " ms per batch");
    }

    static byte[] creditsJson(List<CreditRequest> credits) {
        StringBuilder out = new StringBuilder(credits.size() * 140).append("{\"credits\":[");
        for (int i = 0; i < credits.size(); i++) {
            CreditRequest c = credits.get(i);
            out.append(i == 0 ? "" : ",").append("{\"sourceReference\":\"").append(c.sourceReference()).append("\",\"memberCode\":\"")
                    .append(c.memberCode()).append("\",\"amount\":{\"amount\":\"").append(c.amount().amountText())
                    .append("\",\"currency\":\"INR\"},\"creditedOn\":\"").append(c.creditedOn()).append("\"}");
        }
        return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static List<CreditRequest> credits(String prefix, int n, String day, SplittableRandom random) {
        List<CreditRequest> credits = new ArrayList<>(n);
        LocalDate date = LocalDate.parse(day);
        for (int i = 0; i < n; i++) {
            long paise = 100 + random.nextInt(9_900);
            credits.add(new CreditRequest("bench:" + SEED + ":" + prefix + ":" + i, members.get(random.nextInt(members.size())).code(),
                    Money.of(java.math.BigDecimal.valueOf(paise, 2), "INR"), date));
        }
        return credits;
    }

    // ---- 6. invariants -------------------------------------------------------------------------------------------

    @Test
    @Order(6)
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void invariantsHoldAfterwards() {
        assertTrue(ready, "setup failed");
        long start = System.nanoTime();
        List<String> violations = Wallets.invariantViolations();
        report.section("Invariants");
        report.line(String.format(Locale.ROOT, "After all writes, `Wallets.invariantViolations()` (balances sum to zero, each balance is the sum of its "
                + "entries, no negative available balance, holds match, `ledger.ledger_verify()` finds no break in any hash chain): %s (%.1f s). "
                + "Ledger: %s entries, %s transactions, %s accounts.", violations.isEmpty() ? "all hold" : "**VIOLATED** " + violations,
                (System.nanoTime() - start) / 1e9, Network.query("select count(*) from ledger.ledger_entry"), Network.query("select count(*) from ledger.ledger_txn"),
                Network.query("select count(*) from ledger.ledger_account")));
        report.target("Ledger invariants after the load", "hold", violations.isEmpty() ? "hold" : "violated", violations.isEmpty() ? "met" : "**failed**");
        assertTrue(violations.isEmpty(), violations.toString());
    }

    @AfterAll
    static void publish() {
        if (peak != null && pgbenchTps > 0) {
            double ratio = peak.throughput() / pgbenchTps;
            report.target("Single transfers via HTTP, peak throughput vs pgbench tpcb-like (" + CLIENTS + " clients)", ">= 0.5x pgbench",
                    String.format(Locale.ROOT, "%.2fx (%s/s vs %s/s)", ratio, num(peak.throughput()), num(pgbenchTps)),
                    ratio >= 0.5 ? "met" : String.format(Locale.ROOT, "**missed**: %.0f%% of the goal (%s/s short)", 100 * ratio / 0.5,
                            num(0.5 * pgbenchTps - peak.throughput())));
        }
        if (open != null) {
            double p99 = open.stats().p99() / 1e6;
            report.target(String.format(Locale.ROOT, "Transfer latency p99 at %.0f%% of peak (%s/s, open loop)", OPEN_FRACTION * 100,
                    num(open.targetRate())), "<= 50 ms", String.format(Locale.ROOT, "p99 %s ms (p50 %s, p95 %s)", ms(open.stats().p99()),
                            ms(open.stats().p50()), ms(open.stats().p95())), BenchReport.atMostVerdict(p99, 50, "ms"));
        }
        if (creditsHttp > 0) {
            report.target("Commission credits via HTTP, " + CREDIT_BATCHES + " x " + CREDIT_BATCH, ">= 20,000/s", num(creditsHttp) + "/s",
                    BenchReport.atLeastVerdict(creditsHttp, 20_000, "/s"));
        }
        if (creditsService > 0) {
            report.target("Commission credits via the service, " + CREDIT_BATCHES + " x " + CREDIT_BATCH, ">= 20,000/s", num(creditsService) + "/s",
                    BenchReport.atLeastVerdict(creditsService, 20_000, "/s"));
        }
        if (storagePerTransfer >= 0) {
            report.target("Storage per transfer, tables + indexes", "<= 1 KB (1,024 bytes)", num(storagePerTransfer) + " bytes",
                    BenchReport.atMostVerdict(storagePerTransfer, 1024, "bytes"));
        }
        report.line("");
        report.line("Load average at the end: " + LedgerLoad.loadAverage());
        report.publish(REPORT_FILE);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void transfer(URI transfers) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(members.size());
        int j = random.nextInt(members.size() - 1);
        Member from = members.get(i);
        Member to = members.get(j >= i ? j + 1 : j);
        String body = "{\"toMemberCode\":\"" + to.code() + "\",\"amount\":{\"amount\":\"0." + String.format(Locale.ROOT, "%02d", 1 + random.nextInt(99))
                + "\",\"currency\":\"INR\"},\"note\":\"bench\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(transfers).header("Authorization", from.bearer())
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + abbreviate(r.body()));
        }
    }

    private HttpResponse<String> send(String method, String path, String bearer, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        return response.body();
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.substring(0, Math.min(300, text.length()));
    }

    private static void loadRow(String phase, LedgerLoad.Result r) {
        LedgerLoad.Stats s = r.stats();
        report.row(phase, String.format(Locale.ROOT, "%,d", s.count()), "**" + num(r.throughput()) + "**", ms(s.p50()), ms(s.p95()), ms(s.p99()),
                ms(s.max()), r.errors(), r.loadBefore() + " / " + r.loadAfter());
    }

    /** Table and index bytes of the tables a transfer writes (ledger_entry summed over its partitions), and ledger_account. */
    static Map<String, long[]> sizes() throws SQLException {
        Map<String, long[]> sizes = new LinkedHashMap<>();
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        select 'ledger.ledger_txn', pg_table_size('ledger.ledger_txn'), pg_indexes_size('ledger.ledger_txn')
                        union all
                        select 'ledger_entry (' || count(*) || ' partitions)', coalesce(sum(pg_table_size(relid)), 0),
                               coalesce(sum(pg_indexes_size(relid)), 0)
                          from pg_partition_tree('ledger.ledger_entry') where isleaf
                        union all
                        select 'ledger.ledger_request', pg_table_size('ledger.ledger_request'), pg_indexes_size('ledger.ledger_request')
                        union all
                        select 'ledger.ledger_account', pg_table_size('ledger.ledger_account'), pg_indexes_size('ledger.ledger_account')""")) {
            while (rs.next()) {
                sizes.put(rs.getString(1).startsWith("ledger_entry") ? "ledger_entry (all partitions)" : rs.getString(1),
                        new long[] { rs.getLong(2), rs.getLong(3) });
            }
        }
        return sizes;
    }

    static long count(String sql) {
        return Long.parseLong(Network.query(sql));
    }

    static void execute(String sql) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    // ---- pgbench -------------------------------------------------------------------------------------------------

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static Connection adminConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + env("DB_HOST", "127.0.0.1") + ":" + env("DB_PORT", "5432") + "/postgres",
                env("DB_USER", "postgres"), env("DB_PASSWORD", ""));
    }

    /** Creates the pgbench database with a marker; one left behind by an earlier run (it has the marker) is dropped first. */
    private static void createPgbenchDatabase() throws SQLException {
        if (!PGBENCH_DB.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("bench.pgbench.db must be lower-case letters, digits and _");
        }
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select shobj_description(oid, 'pg_database') from pg_database where datname = '" + PGBENCH_DB + "'")) {
                if (rs.next()) {
                    if (!PGBENCH_MARKER.equals(rs.getString(1))) {
                        throw new IllegalStateException("database " + PGBENCH_DB + " exists and is not the benchmark's own; set -Dbench.pgbench.db");
                    }
                    s.execute("drop database " + PGBENCH_DB + " with (force)");
                }
            }
            s.execute("create database " + PGBENCH_DB);
            s.execute("comment on database " + PGBENCH_DB + " is '" + PGBENCH_MARKER + "'");
        }
    }

    private static void dropPgbenchDatabase() throws SQLException {
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select shobj_description(oid, 'pg_database') from pg_database where datname = '" + PGBENCH_DB + "'")) {
                if (!rs.next() || !PGBENCH_MARKER.equals(rs.getString(1))) {
                    return;
                }
            }
            s.execute("drop database " + PGBENCH_DB + " with (force)");
            progress("pgbench: dropped " + PGBENCH_DB);
        }
    }

    private static String pgbench(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("pgbench", "-h", env("DB_HOST", "127.0.0.1"), "-p", env("DB_PORT", "5432"), "-U",
                env("DB_USER", "postgres")));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", env("DB_PASSWORD", ""));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        for (String line : out.split("\n")) {
            System.out.println("BENCH > pgbench | " + line);
        }
        assertEquals(0, exit, "pgbench " + String.join(" ", arguments) + " failed:\n" + out);
        return out;
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no match for " + regex + " in pgbench's output:\n" + text);
        }
        return m.group(1);
    }

    private static void describeSetup() {
        report.line("# Ledger benchmark");
        report.line("");
        report.line(String.format(Locale.ROOT, "- Run: %s UTC; %,d distributors, %d clients, %d s measured after %d s warm-up per load phase, "
                + "open loop at %.0f%% of peak on %d threads; pgbench scale %d; credits %d x %,d; seed %d",
                java.time.LocalDateTime.now(ZoneOffset.UTC).withNano(0), MEMBERS, CLIENTS, SECONDS, WARMUP, OPEN_FRACTION * 100, OPEN_THREADS,
                PGBENCH_SCALE, CREDIT_BATCHES, CREDIT_BATCH, SEED));
        report.line(String.format(Locale.ROOT, "- Machine: %d cores seen by the JVM, Java %s, max heap %,d MB; load average at the start: %s "
                + "(the machine is shared: other engineers' builds and tests may run at the same time)",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                LedgerLoad.loadAverage()));
        report.line("- PostgreSQL: " + Network.query("select split_part(version(), ' on ', 1)") + "; shared_buffers "
                + Network.query("show shared_buffers") + ", synchronous_commit " + Network.query("show synchronous_commit") + ", fsync "
                + Network.query("show fsync") + ", wal_sync_method " + Network.query("show wal_sync_method") + ", commit_delay "
                + Network.query("show commit_delay") + "; database " + Network.query("select current_database()"));
        report.line("- Application (reactive pool of 20 connections), load generator and PostgreSQL run on the same machine; the application "
                + "runs in the test JVM (@QuarkusTest).");
    }
}
