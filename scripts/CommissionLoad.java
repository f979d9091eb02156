import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load driver of scripts/commission-latency-bench.sh, a separate process driving the packaged service over HTTP,
 * run as a single-file source program (java scripts/CommissionLoad.java ...).
 *
 * <pre>
 *   register BASE_URL ADMIN_USER ADMIN_PASSWORD ROOT_CODE SPONSORS BUYERS_PER_SPONSOR OUT_DIR
 *       registers SPONSORS distributors under ROOT_CODE with BUYERS_PER_SPONSOR recruits each, every one with an email
 *       address (their activation codes wait in the notification outbox, which the benchmark's instance does not send);
 *       writes OUT_DIR/members.tsv (member code, username, S for a sponsor or B for a recruit)
 *   setup BASE_URL ADMIN_USER ADMIN_PASSWORD ORDERS CLIENTS OUT_DIR
 *       activates every member with its code from OUT_DIR/codes.tsv (username, code), creates a product (500.00, 10 PV,
 *       333.33 BV) and a Maharashtra warehouse stocked for ORDERS, then ORDERS checkouts by the recruits in turn, CLIENTS
 *       at a time. Writes OUT_DIR/sponsors.tsv (code, bearer), OUT_DIR/tokens.tsv (code, bearer; every member) and
 *       OUT_DIR/orders.tsv (order id, grand total).
 *   run BASE_URL ADMIN_USER ADMIN_PASSWORD OUT_DIR RATE MAX_IN_FLIGHT
 *       opens one earnings stream (server-sent events) per sponsor, then pays the orders open-loop at RATE per second
 *       (each payment is due at start + i / RATE, whatever the answers before it; at most MAX_IN_FLIGHT unanswered),
 *       and waits until every paid order's first commission line has arrived on its sponsor's stream (or 60 s more).
 *       Latency of an order: from the payment's 200 answer to the arrival of its first line on the stream, i.e. the
 *       line is committed with its ledger credit (visible in the wallet) and pushed to the distributor. Prints the rates
 *       and percentiles; writes OUT_DIR/latencies.tsv (order, due ms, answered ms, seen ms; relative to the start).
 * </pre>
 */
public class CommissionLoad {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern ORDER_IN_LINE = Pattern.compile("\"sourceOrder\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "register" -> register(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                    Path.of(args[7]));
            case "setup" -> setup(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]), Path.of(args[6]));
            case "run" -> run(args[1], args[2], args[3], Path.of(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            default -> {
                System.err.println("usage: java CommissionLoad.java register|setup|run ... (see the class comment)");
                System.exit(2);
            }
        }
    }

    // --- setup -------------------------------------------------------------------------------------------------------

    static void register(String base, String adminUser, String adminPassword, String root, int sponsors, int buyersEach, Path out) {
        String admin = login(base, adminUser, adminPassword);
        List<String> members = new ArrayList<>();
        for (int s = 0; s < sponsors; s++) {
            String sponsor = join(base, admin, root, "Bench Sponsor " + s);
            members.add(sponsor + "\tS");
            for (int b = 0; b < buyersEach; b++) {
                members.add(join(base, admin, sponsor.split("\t")[0], "Bench Buyer " + s + "-" + b) + "\tB");
            }
        }
        try {
            Files.write(out.resolve("members.tsv"), members);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.println("register: " + sponsors + " sponsors with " + buyersEach + " recruits each");
    }

    /** Registers a distributor under the sponsor; answers "member code TAB username". */
    private static String join(String base, String admin, String sponsor, String name) {
        String registration = expect(post(base + "/registrations", admin, UUID.randomUUID().toString(), "{\"sponsor\":\"" + sponsor
                + "\",\"fullName\":\"" + name + "\",\"email\":\"" + UUID.randomUUID() + "@example.com\"}"), 201, "registration of " + name);
        return field(registration, "memberCode") + "\t" + field(registration, "username");
    }

    static void setup(String base, String adminUser, String adminPassword, int orders, int clients, Path out) throws Exception {
        String admin = login(base, adminUser, adminPassword);
        Map<String, String> codes = new java.util.HashMap<>();
        for (String line : Files.readAllLines(out.resolve("codes.tsv"))) {
            String[] f = line.split("\t");
            codes.put(f[0], f[1]);
        }
        String password = "bench-" + UUID.randomUUID();
        List<String> sponsorLines = new ArrayList<>();
        List<String> buyerTokens = new ArrayList<>();
        List<String> tokenLines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("members.tsv"))) {
            String[] member = line.split("\t");
            String bearer = "Bearer " + field(expect(post(base + "/auth/activate", null, null, "{\"username\":\"" + member[1]
                    + "\",\"activationCode\":\"" + codes.get(member[1]) + "\",\"password\":\"" + password + "\"}"),
                    200, "activation of " + member[1]), "accessToken");
            tokenLines.add(member[0] + "\t" + bearer);
            if ("S".equals(member[2])) {
                sponsorLines.add(member[0] + "\t" + bearer);
            } else {
                buyerTokens.add(bearer);
            }
        }
        Files.write(out.resolve("sponsors.tsv"), sponsorLines);
        Files.write(out.resolve("tokens.tsv"), tokenLines);
        System.out.println("setup: " + (sponsorLines.size() + buyerTokens.size()) + " members activated");
        expectOneOf(post(base + "/tax-rates", admin, null,
                "{\"country\":\"IN\",\"hsnPrefix\":\"21069011\",\"validFrom\":\"2017-07-01\",\"rate\":18}"), "tax rate", 201, 409);
        String sku = "BENCH-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        expect(post(base + "/products", admin, null, "{\"sku\":\"" + sku + "\",\"name\":\"Bench product\",\"description\":\"Load\","
                + "\"hsn\":\"21069011\",\"unit\":\"NOS\",\"pv\":\"10.00\",\"bv\":\"333.33\",\"prices\":[{\"country\":\"IN\","
                + "\"price\":{\"amount\":\"500.00\",\"currency\":\"INR\"}}]}"), 201, "product");
        String warehouse = "WH-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        expect(post(base + "/warehouses", admin, null, "{\"code\":\"" + warehouse + "\",\"name\":\"Bench warehouse\",\"address\":\"1 Depot Road\","
                + "\"city\":\"Depot\",\"postalCode\":\"400001\",\"region\":\"27\",\"country\":\"IN\",\"taxId\":\"27AAPFU0939F1ZV\","
                + "\"invoiceSeries\":\"BZ" + "ABDEFGHJKLMNPQRSTUVWXYZ".charAt((int) (Math.random() * 23)) + "\"}"), 201, "warehouse");
        expect(post(base + "/warehouses/" + warehouse + "/stock-movements", admin, null, "{\"kind\":\"RECEIPT\",\"sku\":\"" + sku
                + "\",\"quantity\":" + (orders + 100) + ",\"reason\":\"Goods in\",\"unitCost\":{\"amount\":\"10.00\",\"currency\":\"INR\"}}"),
                201, "stock");

        String[] orderLines = new String[orders];
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < orders; i++) {
            int n = i;
            pool.submit(() -> {
                String buyer = buyerTokens.get(n % buyerTokens.size());
                String order = expect(post(base + "/orders", buyer, null, "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}],"
                        + "\"delivery\":{\"name\":\"Asha Rao\",\"line1\":\"2 Park Street\",\"city\":\"Town\",\"postalCode\":\"400001\","
                        + "\"region\":\"27\",\"country\":\"IN\"}}"), 201, "checkout " + n);
                orderLines[n] = field(order, "id") + "\t" + field(order.substring(order.indexOf("\"grandTotal\"")), "amount");
                done.incrementAndGet();
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        if (done.get() != orders) {
            throw new IllegalStateException("only " + done.get() + " of " + orders + " checkouts succeeded");
        }
        Files.write(out.resolve("orders.tsv"), Arrays.asList(orderLines));
        System.out.printf("setup: %d orders checked out in %.1f s%n", orders, (System.nanoTime() - start) / 1e9);
    }

    // --- run ---------------------------------------------------------------------------------------------------------

    static void run(String base, String adminUser, String adminPassword, Path out, int rate, int maxInFlight) throws Exception {
        String admin = login(base, adminUser, adminPassword);
        List<String[]> orders = Files.readAllLines(out.resolve("orders.tsv")).stream().map(l -> l.split("\t")).toList();
        List<String[]> sponsors = Files.readAllLines(out.resolve("sponsors.tsv")).stream().map(l -> l.split("\t")).toList();
        Map<String, Long> answered = new ConcurrentHashMap<>();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        long[] due = new long[orders.size()];

        // one stream per sponsor, open before the first payment
        List<InputStream> bodies = new ArrayList<>();
        for (String[] sponsor : sponsors) {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/commission/earnings/stream"))
                    .header("Authorization", sponsor[1]).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("stream of " + sponsor[0] + ": HTTP " + response.statusCode());
            }
            bodies.add(response.body());
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            long now = System.nanoTime();
                            Matcher m = ORDER_IN_LINE.matcher(line);
                            if (m.find()) {
                                seen.putIfAbsent(m.group(1), now);
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    // the stream is closed at the end of the run
                }
            });
            reader.setDaemon(true);
            reader.start();
        }
        System.out.println("run: " + sponsors.size() + " earnings streams open; paying " + orders.size() + " orders at " + rate + "/s");

        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicInteger failed = new AtomicInteger();
        AtomicLong late = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < orders.size(); i++) {
            long dueAt = start + (long) (i * 1e9 / rate);
            due[i] = dueAt;
            long wait = dueAt - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.acquire();
            if (System.nanoTime() - dueAt > 50_000_000L) {
                late.incrementAndGet();
            }
            String[] order = orders.get(i);
            HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/orders/" + order[0] + "/payment")).timeout(REQUEST_TIMEOUT)
                    .header("Authorization", admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reference\":\"bench-" + order[0] + "\",\"amount\":{\"amount\":\"" + order[1]
                            + "\",\"currency\":\"INR\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> {
                        long now = System.nanoTime();
                        inFlight.release();
                        if (failure == null && response.statusCode() == 200) {
                            answered.put(order[0], now);
                        } else {
                            failed.incrementAndGet();
                            System.err.println("payment of " + order[0] + " failed: "
                                    + (failure != null ? failure : response.statusCode() + " " + response.body()));
                        }
                    });
        }
        inFlight.acquire(maxInFlight); // every payment answered
        long paidEnd = System.nanoTime();
        long deadline = paidEnd + TimeUnit.SECONDS.toNanos(60);
        while (!seen.keySet().containsAll(answered.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        for (InputStream body : bodies) {
            body.close();
        }

        long firstAnswer = answered.values().stream().mapToLong(Long::longValue).min().orElse(start);
        long lastAnswer = answered.values().stream().mapToLong(Long::longValue).max().orElse(start);
        List<String> rows = new ArrayList<>();
        long[] latencies = new long[answered.size()];
        long[] fromDue = new long[answered.size()];
        int k = 0;
        int missing = 0;
        for (int i = 0; i < orders.size(); i++) {
            String id = orders.get(i)[0];
            Long a = answered.get(id);
            if (a == null) {
                continue;
            }
            Long s = seen.get(id);
            if (s == null) {
                missing++;
                continue;
            }
            latencies[k] = Math.max(0, s - a);
            fromDue[k] = s - due[i];
            k++;
            rows.add(id + "\t" + ms(due[i] - start) + "\t" + ms(a - start) + "\t" + ms(s - start));
        }
        Files.write(out.resolve("latencies.tsv"), rows);
        long[] measured = Arrays.copyOf(latencies, k);
        long[] measuredFromDue = Arrays.copyOf(fromDue, k);
        Arrays.sort(measured);
        Arrays.sort(measuredFromDue);
        double paySeconds = (paidEnd - start) / 1e9;
        System.out.println("== Commissions: order paid -> commission line in the wallet, pushed on the earnings stream ==");
        System.out.printf("offered %d paid orders/s; %d payments answered 200 in %.1f s = %.0f paid orders/s (first to last answer: %.0f/s); %d failed; "
                + "%d sent more than 50 ms late%n", rate, answered.size(), paySeconds, answered.size() / paySeconds,
                answered.size() / Math.max(1e-9, (lastAnswer - firstAnswer) / 1e9), failed.get(), late.get());
        System.out.printf("commission seen for %d of %d paid orders (%d missing after 60 s)%n", k, answered.size(), missing);
        if (k > 0) {
            System.out.printf("latency paid (200) -> line on the stream: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    pct(measured, 50), pct(measured, 90), pct(measured, 99), measured[k - 1] / 1e6);
            System.out.printf("latency payment due -> line on the stream (includes the payment's own time and queueing): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    pct(measuredFromDue, 50), pct(measuredFromDue, 99), measuredFromDue[k - 1] / 1e6);
        }
        if (failed.get() > 0 || missing > 0) {
            System.exit(1);
        }
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    // --- HTTP --------------------------------------------------------------------------------------------------------

    private static String login(String base, String user, String password) {
        return "Bearer " + field(expect(post(base + "/auth/token", null, null, "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"),
                200, "login of " + user), "accessToken");
    }

    private static HttpResponse<String> post(String url, String bearer, String idempotencyKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String expect(HttpResponse<String> response, int status, String what) {
        return expectOneOf(response, what, status);
    }

    private static String expectOneOf(HttpResponse<String> response, String what, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return response.body();
            }
        }
        throw new IllegalStateException(what + ": HTTP " + response.statusCode() + " " + response.body());
    }

    /** The first string value of the JSON field (enough for the flat answers read here). */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
