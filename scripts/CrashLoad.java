import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP client of scripts/crash-test.sh, run as a single-file source program (java scripts/CrashLoad.java ...).
 *
 * <pre>
 *   register BASE_URL ADMIN_USER ADMIN_PASSWORD SPONSOR_CODE COUNT REGISTERED_FILE
 *       registers COUNT distributors under SPONSOR_CODE, each with an email address (their activation codes wait in the
 *       notification outbox: the crash test's instance sends no mail); writes "code TAB username" per member
 *   setup BASE_URL ADMIN_USER ADMIN_PASSWORD REGISTERED_FILE CODES_FILE FUND_AMOUNT MEMBERS_FILE
 *       enables transfers, activates every registered login with its code (CODES_FILE: "username TAB code"), credits
 *       each wallet with FUND_AMOUNT; writes "code TAB username TAB accessToken" per member
 *   load BASE_URL MEMBERS_FILE WORKERS MAX_SECONDS STOP_FILE OUT_DIR
 *       WORKERS clients each post transfers back to back between random members, every one with a fresh
 *       Idempotency-Key (also carried in the note, so the database can be asked about each intent), until STOP_FILE
 *       exists, MAX_SECONDS pass or the client's connection fails. Writes to OUT_DIR:
 *         acked.tsv     key, sender username, from, to, amount (minor units), transactionId    (a 2xx arrived)
 *         rejected.tsv  key, sender username, HTTP status, problem excerpt                   (a definite 4xx refusal)
 *         unknown.tsv   key, member index, outcome, request body                             (no answer, or a 5xx)
 *       outcome is "in-flight" (the connection broke with the request sent), "refused" (no connection: never sent)
 *       or "http-5xx".
 *   retry BASE_URL MEMBERS_FILE OUT_DIR
 *       sends every request of unknown.tsv once more with the same key and body; writes retried.tsv:
 *         key, sender username, from, to, amount, outcome, HTTP status, transactionId (or -), replayed (true/false)
 * </pre>
 */
public class CrashLoad {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    record Member(String code, String username, String token) {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "register" -> register(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]), Path.of(args[6]));
            case "setup" -> setup(args[1], args[2], args[3], Path.of(args[4]), Path.of(args[5]), args[6], Path.of(args[7]));
            case "load" -> load(args[1], readMembers(Path.of(args[2])), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Path.of(args[5]), Path.of(args[6]));
            case "retry" -> retry(args[1], readMembers(Path.of(args[2])), Path.of(args[3]));
            default -> {
                System.err.println("usage: java CrashLoad.java register|setup|load|retry ... (see the class comment)");
                System.exit(2);
            }
        }
    }

    // --- setup -------------------------------------------------------------------------------------------------------

    static void register(String base, String adminUser, String adminPassword, String sponsor, int count, Path out) throws Exception {
        String admin = adminToken(base, adminUser, adminPassword);
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String registration = expect(post(base + "/registrations", admin, UUID.randomUUID().toString(), "{\"sponsor\":\"" + sponsor
                    + "\",\"fullName\":\"Crash Member " + i + "\",\"email\":\"" + UUID.randomUUID() + "@example.com\"}"), 201, "registration " + i);
            lines.add(field(registration, "memberCode") + "\t" + field(registration, "username"));
        }
        Files.write(out, lines);
        System.out.println("register: " + count + " distributors registered");
    }

    static void setup(String base, String adminUser, String adminPassword, Path registered, Path codesFile, String fund, Path out)
            throws Exception {
        String admin = adminToken(base, adminUser, adminPassword);
        expect(send(HttpRequest.newBuilder(URI.create(base + "/ledger/settings")).header("Authorization", admin)
                .header("Content-Type", "application/json").timeout(REQUEST_TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"transfersEnabled\":true,\"transferFee\":" + inr("0.00")
                        + ",\"minimumWithdrawal\":" + inr("500.00") + ",\"withdrawalFee\":" + inr("0.00")
                        + ",\"dailyWithdrawalLimit\":" + inr("50000.00") + "}"))
                .build()), 200, "enable transfers");
        java.util.Map<String, String> codes = new java.util.HashMap<>();
        for (String line : Files.readAllLines(codesFile)) {
            String[] f = line.split("\t");
            codes.put(f[0], f[1]);
        }
        List<String> lines = new ArrayList<>();
        String password = "crash-test-" + UUID.randomUUID();
        for (String line : Files.readAllLines(registered)) {
            String[] member = line.split("\t");
            String code = member[0];
            String username = member[1];
            String token = field(expect(post(base + "/auth/activate", null, null, "{\"username\":\"" + username
                    + "\",\"activationCode\":\"" + codes.get(username) + "\",\"password\":\"" + password + "\"}"),
                    200, "activation of " + username), "accessToken");
            expect(post(base + "/ledger/adjustments", admin, UUID.randomUUID().toString(), "{\"memberCode\":\"" + code
                    + "\",\"direction\":\"CREDIT\",\"amount\":" + inr(fund) + ",\"reason\":\"crash test funding\"}"), 201,
                    "funding of " + code);
            lines.add(code + "\t" + username + "\t" + token);
        }
        Files.write(out, lines);
        System.out.println("setup: " + lines.size() + " distributors activated and funded with " + fund + " INR each");
    }

    private static String adminToken(String base, String adminUser, String adminPassword) throws Exception {
        return "Bearer " + field(expect(post(base + "/auth/token", null, null,
                "{\"username\":\"" + adminUser + "\",\"password\":\"" + adminPassword + "\"}"), 200, "admin login"), "accessToken");
    }

    // --- load --------------------------------------------------------------------------------------------------------

    static void load(String base, List<Member> members, int workers, int maxSeconds, Path stopFile, Path outDir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger unknown = new AtomicInteger();
        try (PrintWriter ackedOut = writer(outDir.resolve("acked.tsv")); PrintWriter rejectedOut = writer(outDir.resolve("rejected.tsv"));
                PrintWriter unknownOut = writer(outDir.resolve("unknown.tsv"))) {
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            for (int w = 0; w < workers; w++) {
                pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() < deadline && !Files.exists(stopFile)) {
                        int from = random.nextInt(members.size());
                        int to = (from + 1 + random.nextInt(members.size() - 1)) % members.size();
                        long minor = 1 + random.nextInt(9_999);
                        String key = UUID.randomUUID().toString();
                        String body = transferBody(members.get(to).code(), minor, key);
                        Member sender = members.get(from);
                        try {
                            HttpResponse<String> response = post(base + "/wallet/transfers", "Bearer " + sender.token(), key, body);
                            int status = response.statusCode();
                            if (status / 100 == 2) {
                                line(ackedOut, key, sender.username(), sender.code(), members.get(to).code(), Long.toString(minor),
                                        field(response.body(), "transactionId"));
                                acked.incrementAndGet();
                            } else if (status >= 500) {
                                line(unknownOut, key, Integer.toString(from), "http-" + status, body);
                                unknown.incrementAndGet();
                            } else {
                                line(rejectedOut, key, sender.username(), Integer.toString(status), excerpt(response.body()));
                                rejected.incrementAndGet();
                            }
                        } catch (IOException | InterruptedException e) {
                            // The service is gone: this client records the request it could not settle and stops.
                            line(unknownOut, key, Integer.toString(from), e instanceof ConnectException ? "refused" : "in-flight", body);
                            unknown.incrementAndGet();
                            return;
                        }
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(maxSeconds + 60L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("load workers did not stop");
            }
        }
        System.out.println("load: " + acked + " acknowledged, " + rejected + " rejected, " + unknown + " without an answer");
    }

    // --- retry -------------------------------------------------------------------------------------------------------

    static void retry(String base, List<Member> members, Path outDir) throws Exception {
        List<String> unknown = Files.readAllLines(outDir.resolve("unknown.tsv"));
        List<String> results = new ArrayList<>();
        for (String row : unknown) {
            String[] f = row.split("\t", 4);
            Member sender = members.get(Integer.parseInt(f[1]));
            String body = f[3];
            HttpResponse<String> response = post(base + "/wallet/transfers", "Bearer " + sender.token(), f[0], body);
            int status = response.statusCode();
            boolean ok = status / 100 == 2;
            String replayed = response.headers().firstValue("Idempotent-Replayed").orElse("false");
            results.add(String.join("\t", f[0], sender.username(), sender.code(), field(body, "toMemberCode"),
                    Long.toString(minorOf(field(field(body, "amount", true), "amount"))), f[2], Integer.toString(status),
                    ok ? field(response.body(), "transactionId") : "-", ok ? replayed : "false"));
        }
        Files.write(outDir.resolve("retried.tsv"), results);
        System.out.println("retry: " + unknown.size() + " requests sent again");
    }

    // --- plumbing ----------------------------------------------------------------------------------------------------

    static String transferBody(String to, long minor, String key) {
        return "{\"toMemberCode\":\"" + to + "\",\"amount\":" + inr(String.format("%d.%02d", minor / 100, minor % 100))
                + ",\"note\":\"crash " + key + "\"}";
    }

    static long minorOf(String amount) {
        return new java.math.BigDecimal(amount).movePointRight(2).longValueExact();
    }

    static String inr(String amount) {
        return "{\"amount\":\"" + amount + "\",\"currency\":\"INR\"}";
    }

    static HttpResponse<String> post(String url, String bearer, String key, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return send(request.build());
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + ": HTTP " + response.statusCode() + " " + excerpt(response.body()));
        }
        return response.body();
    }

    /** A top-level string or number field of a flat JSON object (the bodies here are the service's own). */
    static String field(String json, String name) {
        return field(json, name, false);
    }

    static String field(String json, String name, boolean object) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*" + (object ? "(\\{[^}]*\\})" : "(?:\"([^\"]*)\"|(-?[0-9]+))"))
                .matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + excerpt(json));
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    static String excerpt(String body) {
        String flat = body.replaceAll("[\\s\\\\]+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) : flat;
    }

    static PrintWriter writer(Path path) throws IOException {
        return new PrintWriter(Files.newBufferedWriter(path), true);
    }

    static void line(PrintWriter out, String... fields) {
        synchronized (out) {
            out.println(String.join("\t", fields));
        }
    }

    static List<Member> readMembers(Path file) throws IOException {
        List<Member> members = new ArrayList<>();
        for (String row : Files.readAllLines(file)) {
            String[] f = row.split("\t");
            members.add(new Member(f[0], f[1], f[2]));
        }
        return members;
    }
}
