package io.downline.genealogy.app;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.db.Outbox;
import io.downline.genealogy.api.GenealogyEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Genealogy's outbox (schema genealogy): written in the transactions that register members or change ranks. */
@ApplicationScoped
public class GenealogyOutbox implements GenealogyEvents {

    /** Genealogy's outbox; the import writes to it over JDBC as well. */
    static final Outbox OUTBOX = new Outbox("genealogy");

    private final Outbox outbox = OUTBOX;

    @Override
    public String channel() {
        return outbox.channel();
    }

    @Override
    public Uni<Boolean> claim(SqlConnection conn, String consumer) {
        return outbox.claim(conn, consumer);
    }

    @Override
    public Uni<List<Outbox.Event>> next(SqlConnection conn, String consumer, int limit) {
        return outbox.next(conn, consumer, limit);
    }

    @Override
    public Uni<Void> ack(SqlConnection conn, String consumer, Outbox.Event last) {
        return outbox.ack(conn, consumer, last);
    }

    /** The payload of a registration; sponsor null for the network's first member. */
    static JsonObject registered(long memberId, String memberCode, Long sponsorId, String sponsorCode, Instant at, String period) {
        JsonObject payload = new JsonObject().put("memberId", memberId).put("memberCode", memberCode).put("registeredAt", at.toString())
                .put("period", period);
        if (sponsorId != null) {
            payload.put("sponsorId", sponsorId).put("sponsorCode", sponsorCode);
        }
        return payload;
    }

    Uni<Void> publish(SqlClient conn, List<String> types, List<JsonObject> payloads) {
        return outbox.publish(conn, types, payloads);
    }
}
