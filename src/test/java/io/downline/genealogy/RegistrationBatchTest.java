package io.downline.genealogy;

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
