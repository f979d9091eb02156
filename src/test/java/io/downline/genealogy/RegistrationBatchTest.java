package io.downline.genealogy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Mailbox;
import io.downline.support.Network;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Registrations that queue while the batches in flight wait for the tree locks share one transaction: each is answered alone, and one
 * refused after its account, member and sponsor edge were written leaves none of them behind.
 */
@QuarkusTest
class RegistrationBatchTest {

    /** The sponsor tree's lock (GenealogyRepository: pg_advisory_xact_lock(7130, tree id)). */
    private static final String SPONSOR_TREE_LOCK = "7130, 1";

    @Test
    void registrationsQueuedBehindTheTreeLockCommitTogetherAndARefusedOneLeavesNothing() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        String sponsor = Network.join(admin, Network.root(admin), "Batch Sponsor " + UUID.randomUUID()).getString("memberCode");
        String takenEmail = Network.query("select email from genealogy.distributor where member_code = ?", sponsor);
        String taken = Network.join(admin, sponsor, "Batch Left " + UUID.randomUUID(),
                "{\"mode\":\"EXPLICIT\",\"parent\":\"" + sponsor + "\",\"side\":\"LEFT\"}").getString("memberCode");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("first", body(sponsor, "Gated " + tag, null));
        bodies.put("first-too", body(sponsor, "Gated Too " + tag, null));
        bodies.put("second", body(sponsor, "Second " + tag, null));
        bodies.put("taken-slot", body(sponsor, "Refused " + tag, "{\"mode\":\"EXPLICIT\",\"parent\":\"" + sponsor + "\",\"side\":\"LEFT\"}"));
        bodies.put("third", body(sponsor, "Third " + tag, null));
        // refused by the database itself (the address is taken), inside the batch's transaction
        bodies.put("email-taken", "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"Refused " + tag + "\",\"email\":\""
                + takenEmail + "\"}");

        ExecutorService clients = Executors.newFixedThreadPool(6);
        Map<String, Future<Response>> answers = new LinkedHashMap<>();
        try (Connection holder = TestDatabase.connect(); Statement statement = holder.createStatement()) {
            statement.execute("select pg_advisory_lock(" + SPONSOR_TREE_LOCK + ")");
            // two batches may run at once: both wait at the lock, so the rest queue for the next batch
            answers.put("first", clients.submit(() -> Network.register(admin.bearer(), bodies.get("first"))));
            awaitTreeLockWaits(1);
            answers.put("first-too", clients.submit(() -> Network.register(admin.bearer(), bodies.get("first-too"))));
            awaitTreeLockWaits(2);
            for (String name : List.of("second", "taken-slot", "third", "email-taken")) {
                answers.put(name, clients.submit(() -> Network.register(admin.bearer(), bodies.get(name))));
            }
            // the queued registrations reach the service and wait behind the first batch
            Thread.sleep(1500);
            statement.execute("select pg_advisory_unlock(" + SPONSOR_TREE_LOCK + ")");
        }
        Map<String, Integer> statuses = new LinkedHashMap<>();
        for (Map.Entry<String, Future<Response>> answer : answers.entrySet()) {
            statuses.put(answer.getKey(), answer.getValue().get(60, TimeUnit.SECONDS).statusCode());
        }
        clients.shutdownNow();

        assertEquals(Map.of("first", 201, "first-too", 201, "second", 201, "taken-slot", 409, "third", 201, "email-taken", 409), statuses);
        assertEquals("0", Network.query("select count(*) from genealogy.distributor where full_name = ?", "Refused " + tag));
        assertEquals("1", Network.query("select count(*) from identity.app_user where email = ?", takenEmail));
        assertEquals("4", Network.query("select count(*) from genealogy.distributor where full_name like ?", "% " + tag));
        assertEquals("1", Network.query("select count(distinct joined_at) from genealogy.distributor where full_name in (?, ?)",
                "Second " + tag, "Third " + tag), "the queued registrations committed in one transaction");
        assertEquals(taken, Network.query("""
                select d.member_code from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id
                  join genealogy.distributor p on p.id = t.parent_id where t.tree = 2 and p.member_code = ? and t.position = 0""", sponsor));
        assertEquals(List.of(), Network.invariantViolations());
    }

    @Test
    void idempotencyKeysAreClaimedAndCompletedInTheBatchAndAnswerAsAlone() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        String sponsor = Network.join(admin, Network.root(admin), "Keyed Sponsor " + UUID.randomUUID()).getString("memberCode");
        String takenEmail = Network.query("select email from genealogy.distributor where member_code = ?", sponsor);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String gatedKey = "gated-" + tag;
        String queuedKey = "queued-" + tag;
        String refusedKey = "refused-" + tag;
        String gated = body(sponsor, "Keyed Gated " + tag, null);
        String queued = body(sponsor, "Keyed Queued " + tag, null);
        String refused = "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"Keyed Refused " + tag + "\",\"email\":\"" + takenEmail + "\"}";

        ExecutorService clients = Executors.newFixedThreadPool(6);
        Map<String, Future<Response>> answers = new LinkedHashMap<>();
        try (Connection holder = TestDatabase.connect(); Statement statement = holder.createStatement()) {
            statement.execute("select pg_advisory_lock(" + SPONSOR_TREE_LOCK + ")");
            answers.put("gated", clients.submit(() -> keyed(admin, gatedKey, gated)));
            awaitTreeLockWaits(1);
            answers.put("gated-too", clients.submit(() -> Network.register(admin.bearer(), body(sponsor, "Keyed Gated Too " + tag, null))));
            awaitTreeLockWaits(2);
            // the next batch: a repeat of a key whose batch is still running, a key sent twice while in flight (refused at
            // once by the instance's in-flight check, before it can join the batch), a refused one
            answers.put("gated-repeat", clients.submit(() -> keyed(admin, gatedKey, gated)));
            answers.put("queued", clients.submit(() -> keyed(admin, queuedKey, queued)));
            answers.put("queued-repeat", clients.submit(() -> keyed(admin, queuedKey, queued)));
            answers.put("refused", clients.submit(() -> keyed(admin, refusedKey, refused)));
            Thread.sleep(1500);
            statement.execute("select pg_advisory_unlock(" + SPONSOR_TREE_LOCK + ")");
        }
        Map<String, Response> done = new LinkedHashMap<>();
        for (Map.Entry<String, Future<Response>> answer : answers.entrySet()) {
            done.put(answer.getKey(), answer.getValue().get(60, TimeUnit.SECONDS));
        }
        clients.shutdownNow();

        assertEquals(201, done.get("gated").statusCode());
        assertEquals(201, done.get("gated-too").statusCode());
        assertEquals(409, done.get("refused").statusCode());
        // which of the two same-key requests ran is the order they arrived in; the other was told to retry
        Response ran = done.get("queued").statusCode() == 201 ? done.get("queued") : done.get("queued-repeat");
        Response toldToRetry = ran == done.get("queued") ? done.get("queued-repeat") : done.get("queued");
        assertEquals(201, ran.statusCode());
        for (Response inProgress : List.of(done.get("gated-repeat"), toldToRetry)) {
            assertEquals(409, inProgress.statusCode());
            assertEquals("urn:downline:problem:idempotency-in-progress", inProgress.jsonPath().getString("type"));
            assertEquals("1", inProgress.header("Retry-After"));
        }

        // after the commit: a repeat replays the first answer, another body is refused, a refused registration's key is free
        Response replay = keyed(admin, queuedKey, queued);
        assertEquals(201, replay.statusCode());
        assertEquals("true", replay.header("Idempotent-Replayed"));
        assertEquals(ran.jsonPath().getString("memberCode"), replay.jsonPath().getString("memberCode"));
        assertEquals(ran.header("Location"), replay.header("Location"));
        assertEquals(done.get("gated").jsonPath().getString("memberCode"), keyed(admin, gatedKey, gated).jsonPath().getString("memberCode"));
        assertEquals(422, keyed(admin, queuedKey, body(sponsor, "Keyed Other " + tag, null)).statusCode());
        assertEquals(201, keyed(admin, refusedKey, body(sponsor, "Keyed Refused " + tag, null)).statusCode());

        assertEquals("1", Network.query("select count(*) from genealogy.distributor where full_name = ?", "Keyed Queued " + tag));
        assertEquals("1", Network.query("select count(*) from genealogy.distributor where full_name = ?", "Keyed Gated " + tag));
        assertEquals("1", Network.query("select count(*) from genealogy.distributor where full_name = ?", "Keyed Refused " + tag));
        assertEquals("3", Network.query("select count(*) from common.idempotency_key where idempotency_key in (?, ?, ?) and status_code = 201",
                gatedKey, queuedKey, refusedKey));
        assertEquals(List.of(), Network.invariantViolations());
    }

    private static Response keyed(Accounts.Account admin, String key, String body) {
        return given().contentType(ContentType.JSON).header("Authorization", admin.bearer()).header("Idempotency-Key", key).body(body)
                .post("/api/v1/registrations");
    }

    private static String body(String sponsor, String name, String placement) {
        return "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"" + name + "\",\"email\":\"" + Mailbox.address(name) + "\""
                + (placement == null ? "" : ",\"placement\":" + placement) + "}";
    }

    /** Until that many sessions wait for the sponsor tree's advisory lock: the gated batches. */
    private static void awaitTreeLockWaits(int sessions) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (Integer.toString(sessions).equals(Network.query("""
                    select count(*) from pg_locks where locktype = 'advisory' and classid = 7130 and objid = 1 and objsubid = 2 and not granted"""))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the gated registrations never waited for the tree lock");
    }
}
