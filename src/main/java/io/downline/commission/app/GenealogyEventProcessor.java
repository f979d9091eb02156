package io.downline.commission.app;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.db.Outbox;
import io.downline.common.db.Transactions;
import io.downline.commission.store.DeadLetterStore;
import io.downline.commission.store.EventStore;
import io.downline.commission.store.MemberEventStore;
import io.downline.commission.store.MemberEventStore.Enrolment;
import io.downline.commission.store.MemberEventStore.RankChange;
import io.downline.genealogy.api.GenealogyEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Genealogy's events for the engine, with the guarantees of the order events: one batch is one transaction that claims
 * the consumer (SKIP LOCKED), records each event in processed_event (a redelivered one does nothing), writes what the
 * engine keeps and acknowledges the last event. Nothing is paid here: money enters only from product sales. A
 * registration is kept as an enrolment (who sponsored whom, in which period: what qualifications counting personally
 * enrolled members read); a rank change as the member's current (paid-as) rank.
 */
@ApplicationScoped
public class GenealogyEventProcessor {

    private final Pool pool;
    private final GenealogyEvents genealogy;
    private final EventStore events;
    private final MemberEventStore members;
    private final DeadLetterStore deadLetters;

    public GenealogyEventProcessor(EnginePool pool, GenealogyEvents genealogy, EventStore events, MemberEventStore members, DeadLetterStore deadLetters) {
        this.pool = pool.pool();
        this.genealogy = genealogy;
        this.events = events;
        this.members = members;
        this.deadLetters = deadLetters;
    }

    /** The channel that wakes the worker for these events. */
    public String channel() {
        return genealogy.channel();
    }

    /** Handles up to {@code limit} events; answers how many (0 when there were none or another worker holds the consumer). */
    public Uni<Integer> processBatch(int limit) {
        return DeadLetters.tolerating(limit, this::attempt, this::deadLetter);
    }

    private Uni<Integer> attempt(int limit) {
        return Transactions.retrying(() -> pool.withTransaction(conn -> genealogy.claim(conn, EventProcessor.CONSUMER).chain(claimed -> claimed
                ? genealogy.next(conn, EventProcessor.CONSUMER, limit).chain(batch -> handle(conn, batch)
                        .onFailure(failure -> batch.size() == 1 && !Transactions.isTransient(failure))
                        .transform(failure -> new DeadLetters.EventFailed(batch.get(0).id(), failure)))
                : Uni.createFrom().item(0))));
    }

    private Uni<Integer> deadLetter(DeadLetters.EventFailed failure) {
        return Transactions.retrying(() -> pool.withTransaction(conn -> genealogy.claim(conn, EventProcessor.CONSUMER).chain(claimed -> claimed
                ? genealogy.next(conn, EventProcessor.CONSUMER, 1).chain(next -> {
                    if (next.isEmpty() || !next.get(0).id().equals(failure.eventId())) {
                        return Uni.createFrom().item(0); // another worker got past it meanwhile
                    }
                    Outbox.Event event = next.get(0);
                    return deadLetters.record(conn, event.id(), "genealogy", event.type(), event.payload(), DeadLetters.reason(failure))
                            .chain(() -> events.markProcessed(conn, event.id(), event.type(), null, null, "dead-lettered"))
                            .chain(() -> genealogy.ack(conn, EventProcessor.CONSUMER, event))
                            .replaceWith(1);
                })
                : Uni.createFrom().item(0))));
    }

    private Uni<Integer> handle(SqlConnection conn, List<Outbox.Event> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return process(conn, batch).chain(() -> genealogy.ack(conn, EventProcessor.CONSUMER, batch.get(batch.size() - 1)))
                .map(done -> batch.size());
    }

    /** Handles one dead-lettered event again in the caller's transaction, as a batch would; nothing is acknowledged. */
    Uni<Void> replay(SqlConnection conn, Outbox.Event event) {
        return process(conn, List.of(event));
    }

    private Uni<Void> process(SqlConnection conn, List<Outbox.Event> batch) {
        List<Outbox.Event> known = batch.stream()
                .filter(e -> GenealogyEvents.REGISTERED.equals(e.type()) || GenealogyEvents.RANK_CHANGED.equals(e.type())).toList();
        List<String> outcomes = known.stream().map(e -> GenealogyEvents.REGISTERED.equals(e.type()) ? "enrolment recorded" : "rank recorded").toList();
        return events.markProcessed(conn, known.stream().map(Outbox.Event::id).toList(), known.stream().map(Outbox.Event::type).toList(),
                Collections.nCopies(known.size(), null), outcomes)
                .chain(fresh -> record(conn, known, fresh));
    }

    private Uni<Void> record(SqlConnection conn, List<Outbox.Event> known, Set<java.util.UUID> fresh) {
        List<Enrolment> enrolments = new ArrayList<>();
        // the latest change of each member in the batch (events come in commit order)
        Map<Long, RankChange> ranks = new LinkedHashMap<>();
        for (Outbox.Event event : known) {
            if (!fresh.contains(event.id())) {
                continue;
            }
            JsonObject p = event.payload();
            if (GenealogyEvents.REGISTERED.equals(event.type())) {
                enrolments.add(new Enrolment(p.getLong("memberId"), p.getString("memberCode"), p.getLong("sponsorId"), p.getString("period"),
                        OffsetDateTime.parse(p.getString("registeredAt")), event.id()));
            } else {
                ranks.put(p.getLong("memberId"), new RankChange(p.getLong("memberId"), p.getString("rank"), p.getString("previous"),
                        OffsetDateTime.parse(p.getString("changedAt")), event.id()));
            }
        }
        return members.enrol(conn, enrolments).chain(() -> members.ranks(conn, List.copyOf(ranks.values())));
    }
}
