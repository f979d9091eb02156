package io.downline.commission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * {@code GET /commission/earnings/stream} read as a client does: a real HTTP connection reading the server-sent events
 * line by line. A paid order's lines arrive on an open stream; {@code after=} resumes after the last line received, with
 * what was credited while disconnected.
 */
@QuarkusTest
class EarningsStreamTest {

    /** The data lines of one open event stream, as they arrive. */
    private static final class EventStream implements AutoCloseable {
        final BlockingQueue<JsonPath> events = new LinkedBlockingQueue<>();
        final CompletableFuture<HttpResponse<Stream<String>>> response;

        EventStream(HttpClient client, String bearer, Long after) {
            URI uri = URI.create("http://localhost:" + RestAssured.port + "/api/v1/commission/earnings/stream" + (after == null ? "" : "?after=" + after));
            response = client.sendAsync(HttpRequest.newBuilder(uri).header("Authorization", bearer).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(r -> {
                assertEquals(200, r.statusCode());
                assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
                r.body().filter(line -> line.startsWith("data:")).forEach(line -> events.add(new JsonPath(line.substring(5).trim())));
            });
        }

        JsonPath next() throws InterruptedException {
            JsonPath event = events.poll(60, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no event within 60 s");
            }
            return event;
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void paidLinesArriveOnTheStreamAndAfterResumes() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        CommissionFixtures.plan(admin);
        CommissionFixtures.Store store = CommissionFixtures.store(admin);
        JsonPath sponsor = Network.join(admin, Network.root(admin), "Sana Streamer");
        String bearer = Network.activate(sponsor);
        CommissionFixtures.buy(admin, bearer, store, store.small(), 1);
        String first = Network.activate(Network.join(admin, sponsor.getString("memberCode"), "Tara First"));
        String second = Network.activate(Network.join(admin, sponsor.getString("memberCode"), "Uma Second"));
        CommissionFixtures.awaitConsumerCaughtUp();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        long lastSeen;
        try (EventStream stream = new EventStream(client, bearer, null)) {
            stream.response.get(30, TimeUnit.SECONDS); // connected before the order is paid
            String order = CommissionFixtures.buy(admin, first, store, store.large(), 1);
            JsonPath one = stream.next();
            JsonPath two = stream.next();
            assertEquals(order, one.getString("sourceOrder"));
            assertEquals(order, two.getString("sourceOrder"));
            assertEquals(Set.of("SPONSOR_BONUS:33.33", "LEVEL:16.66"), Set.of(one.getString("rule") + ":" + one.getString("amount.amount"),
                    two.getString("rule") + ":" + two.getString("amount.amount")));
            assertEquals(sponsor.getString("memberCode"), one.getString("memberCode"));
            lastSeen = Math.max(one.getLong("id"), two.getLong("id"));
            assertNull(stream.events.poll(500, TimeUnit.MILLISECONDS), "nothing else was credited");
        }

        // credited while no stream is open: a stream resuming after the last line received gets exactly those lines
        String missed = CommissionFixtures.buy(admin, second, store, store.large(), 1);
        CommissionFixtures.awaitOrderLines(admin, sponsor.getString("memberCode"), missed, 2);
        try (EventStream resumed = new EventStream(client, bearer, lastSeen)) {
            Set<String> orders = new HashSet<>();
            List<JsonPath> received = List.of(resumed.next(), resumed.next());
            received.forEach(line -> orders.add(line.getString("sourceOrder")));
            assertEquals(Set.of(missed), orders);
            received.forEach(line -> assertEquals(true, line.getLong("id") > lastSeen));
            assertNull(resumed.events.poll(500, TimeUnit.MILLISECONDS), "nothing from before the resume point");
        }
    }
}
