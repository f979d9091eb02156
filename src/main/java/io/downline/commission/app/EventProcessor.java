package io.downline.commission.app;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.downline.commerce.api.CommerceOutbox;
import io.downline.commerce.api.CommerceOutbox.OutboxEvent;
import io.downline.commission.engine.Clawback;
import io.downline.commission.store.DeadLetterStore;
import io.downline.commission.store.EventStore;
import io.downline.commission.store.LineStore;
import io.downline.commission.store.LineStore.NewLine;
import io.downline.common.db.Transactions;
import io.downline.common.money.Money;
import io.downline.genealogy.api.NetworkReads;
import io.downline.genealogy.api.NetworkReads.MemberStanding;
import io.downline.genealogy.api.NetworkReads.UplineQuery;
import io.downline.kyc.api.KycChecks;
import io.downline.tds.api.CommissionCredits;
import io.downline.ledger.api.LedgerModels.CreditRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One batch of the real-time engine, in one database transaction: claim the outbox consumer (skipping it when another
 * worker, here or in another instance, holds it), read the next events, write their commission lines, credit them
 * through the ledger's batch service (which applies TDS) and acknowledge the events. A crash anywhere rolls all of it
 * back and the events come again; a line's reference is the ledger credit's source reference, so nothing is paid twice.
 */
@ApplicationScoped
public class EventProcessor {

    static final String CONSUMER = "commission";
    static final String ACTOR = "commission-engine";
    /** How far up the sponsor line compression may look for qualified members. */
    static final int MAX_UPLINE = 200;

    private static final Logger LOG = Logger.getLogger(EventProcessor.class);

    private final Pool pool;
    private final CommerceOutbox outbox;
    private final NetworkReads network;
    private final CommissionCredits credits;
    private final EventStore events;
    private final LineStore lines;
    private final OpenPeriods periods;
    private final InstantBonuses instant;
    private final ZoneId companyZone;
    private final KycChecks kyc;
    private final DeadLetterStore deadLetters;

    public EventProcessor(EnginePool pool, CommerceOutbox outbox, NetworkReads network, CommissionCredits credits, EventStore events,
            LineStore lines, OpenPeriods periods, InstantBonuses instant,
            @ConfigProperty(name = "downline.ledger.company-zone") ZoneId companyZone, KycChecks kyc, DeadLetterStore deadLetters) {
        this.kyc = kyc;
        this.deadLetters = deadLetters;
        this.pool = pool.pool();
        this.outbox = outbox;
        this.network = network;
        this.credits = credits;
        this.events = events;
        this.lines = lines;
        this.periods = periods;
        this.instant = instant;
        this.companyZone = companyZone;
    }

    /**
     * Handles up to {@code limit} events; answers how many (0 when there were none or another worker holds the consumer).
     * A batch that fails because of one of its events is handled one event at a time, and that event is dead-lettered.
     */
    public Uni<Integer> processBatch(int limit) {
        return DeadLetters.tolerating(limit, this::attempt, this::deadLetter);
    }

    private Uni<Integer> attempt(int limit) {
        return Transactions.retrying(() -> pool.withTransaction(conn -> outbox.claim(conn, CONSUMER).chain(claimed -> claimed
                ? outbox.next(conn, CONSUMER, limit).chain(batch -> handle(conn, batch)
                        .onFailure(failure -> batch.size() == 1 && !Transactions.isTransient(failure) && !CommissionCredits.isReferenceRace(failure))
                        .transform(failure -> new DeadLetters.EventFailed(batch.get(0).id(), failure)))
                : Uni.createFrom().item(0))), CommissionCredits::isReferenceRace);
    }

    /** Sets the event aside with the reason and acknowledges it, if it is still the consumer's next one. */
    private Uni<Integer> deadLetter(DeadLetters.EventFailed failure) {
        return Transactions.retrying(() -> pool.withTransaction(conn -> outbox.claim(conn, CONSUMER).chain(claimed -> claimed
                ? outbox.next(conn, CONSUMER, 1).chain(next -> {
                    if (next.isEmpty() || !next.get(0).id().equals(failure.eventId())) {
                        return Uni.createFrom().item(0); // another worker got past it meanwhile
                    }
                    OutboxEvent event = next.get(0);
                    return deadLetters.record(conn, event.id(), "commerce", event.type(), event.payload(), DeadLetters.reason(failure))
                            .chain(() -> events.markProcessed(conn, event.id(), event.type(), null, null, "dead-lettered"))
                            .chain(() -> outbox.ack(conn, CONSUMER, event))
                            .replaceWith(1);
                })
                : Uni.createFrom().item(0))));
    }

    /** What one batch collects before paying: lines to credit, lines written, and the periods resolved so far. */
    private static final class Batch {
        final List<NewLine> toPay = new ArrayList<>();
        final List<NewLine> written = new ArrayList<>();
        final Map<String, Optional<OpenPeriods.ActivePeriod>> periods = new HashMap<>();
    }

    private Uni<Integer> handle(SqlConnection conn, List<OutboxEvent> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return process(conn, batch).chain(() -> outbox.ack(conn, CONSUMER, batch.get(batch.size() - 1))).map(done -> batch.size());
    }

    /**
     * Handles one dead-lettered event again, in the caller's transaction, exactly as a batch would (its outcome recorded in
     * processed_event, its lines credited by reference); the consumer's cursor is past it already, so nothing is acknowledged.
     */
    Uni<Void> replay(SqlConnection conn, OutboxEvent event) {
        return process(conn, List.of(event));
    }

    /** The batch's lines written and credited; the caller acknowledges. */
    private Uni<Void> process(SqlConnection conn, List<OutboxEvent> batch) {
        Batch state = new Batch();
        // paid orders first, all at once; a refund in the batch then finds the lines of an order paid in it
        List<OutboxEvent> paid = batch.stream().filter(e -> "order.paid".equals(e.type())).toList();
        List<OutboxEvent> refunds = batch.stream().filter(e -> "order.refunded".equals(e.type())).toList();
        return paid(conn, paid, state)
                .chain(() -> Transactions.each(refunds, event -> payPendingOf(conn, event.payload().getString("orderId"), state.toPay, state.written)
                        .chain(() -> refunded(conn, event, event.payload(), state.written))))
                .chain(() -> pay(conn, state.toPay))
                .chain(() -> {
                    state.written.addAll(state.toPay);
                    return lines.announce(conn, state.written.stream().mapToLong(NewLine::memberId).distinct().toArray());
                });
    }

    /** The open period of each volume period the events name (null: no plan in force), resolved once per batch. */
    private Uni<Void> resolvePeriods(SqlConnection conn, List<OutboxEvent> paid, Batch state) {
        List<String> names = paid.stream().map(e -> e.payload().getString("period")).distinct().toList();
        return Transactions.each(names, name -> state.periods.containsKey(name) ? Uni.createFrom().voidItem()
                : periods.forEvent(conn, name).invoke(period -> state.periods.put(name, Optional.ofNullable(period))).replaceWithVoid())
                .replaceWithVoid();
    }

    /**
     * The paid orders of the batch, with one statement each for: recording the events, recording first orders, reading
     * every buyer's sponsor upline with the members' volumes, and (when the plan asks for it) their KYC.
     */
    private Uni<Void> paid(SqlConnection conn, List<OutboxEvent> paid, Batch state) {
        if (paid.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return resolvePeriods(conn, paid, state).chain(() -> {
            List<UUID> orders = paid.stream().map(e -> UUID.fromString(e.payload().getString("orderId"))).toList();
            List<String> outcomes = paid.stream().map(e -> period(state, e) == null ? "no plan in force" : "paid").toList();
            return events.markProcessed(conn, paid.stream().map(OutboxEvent::id).toList(), paid.stream().map(OutboxEvent::type).toList(),
                    orders, outcomes);
        }).chain(fresh -> {
            List<OutboxEvent> toHandle = paid.stream().filter(e -> fresh.contains(e.id()) && period(state, e) != null).toList();
            if (toHandle.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<UplineQuery> queries = toHandle.stream().map(e -> new UplineQuery(e.payload().getLong("distributorId"),
                    e.payload().getString("period"))).toList();
            return events.firstOrders(conn, queries.stream().map(UplineQuery::memberId).toList(),
                    toHandle.stream().map(e -> UUID.fromString(e.payload().getString("orderId"))).toList(),
                    toHandle.stream().map(e -> period(state, e).name()).toList())
                    .chain(firsts -> network.sponsorUplines(conn, queries, MAX_UPLINE)
                            .chain(uplines -> kycApproved(conn, toHandle, state, uplines.values()).map(kyc -> {
                                for (int i = 0; i < toHandle.size(); i++) {
                                    award(toHandle.get(i), period(state, toHandle.get(i)), firsts, uplines.get(queries.get(i)), kyc, state.toPay);
                                }
                                return null;
                            })));
        }).replaceWithVoid();
    }

    private static OpenPeriods.ActivePeriod period(Batch state, OutboxEvent event) {
        return state.periods.get(event.payload().getString("period")).orElse(null);
    }

    /** The upline members whose KYC is complete, read only when a plan of the batch requires it for payment. */
    private Uni<Set<Long>> kycApproved(SqlConnection conn, List<OutboxEvent> paid, Batch state, Collection<List<MemberStanding>> uplines) {
        boolean needed = paid.stream().map(e -> period(state, e).plan().plan().qualification())
                .anyMatch(q -> q != null && q.requireKyc());
        if (!needed) {
            return Uni.createFrom().item(Set.of());
        }
        Set<Long> members = new HashSet<>();
        uplines.forEach(upline -> upline.forEach(member -> members.add(member.id())));
        return kyc.completeAmong(conn, members);
    }

    private void award(OutboxEvent event, OpenPeriods.ActivePeriod period, Set<UUID> firsts, List<MemberStanding> upline, Set<Long> kycApproved,
            List<NewLine> toPay) {
        JsonObject payload = event.payload();
        UUID orderId = UUID.fromString(payload.getString("orderId"));
        String buyerCode = payload.getString("memberCode");
        long bv = minorUnits(new BigDecimal(payload.getString("bv")));
        long pv = minorUnits(new BigDecimal(payload.getString("pv")));
        InstantBonuses.Sale sale = new InstantBonuses.Sale(orderId, payload.getLong("distributorId"), buyerCode, bv, pv, firsts.contains(orderId));
        for (InstantBonuses.Award award : instant.awards(period.plan(), sale, upline, kycApproved)) {
            JsonObject trace = award.trace().copy().put("orderBv", bv).put("event", event.id().toString())
                    .put("invoice", payload.getString("invoiceNumber"));
            toPay.add(new NewLine(orderReference(orderId, award.rule(), award.level()), period.name(), award.memberId(), award.memberCode(),
                    award.rule(), award.level(), award.rate(), award.base(), award.amount(), period.currency(), period.plan().version(),
                    event.id(), orderId, buyerCode, null, trace, "PAID"));
        }
    }

    /**
     * A refund takes back from every line the order paid the share of its BV this refund returns, by the engine's
     * cumulative rounding: the clawbacks of one line add up to exactly its amount once the whole order is refunded.
     * They are outstanding in the open period until netted against the member's earnings at its close.
     */
    private Uni<Void> refunded(SqlConnection conn, OutboxEvent event, JsonObject payload, List<NewLine> written) {
        UUID orderId = UUID.fromString(payload.getString("orderId"));
        UUID returnId = UUID.fromString(payload.getString("returnId"));
        BigDecimal returnedBv = new BigDecimal(payload.getString("bv")).negate();
        return events.markProcessed(conn, event.id(), event.type(), orderId, returnedBv, "refunded").chain(fresh -> !fresh
                ? Uni.createFrom().voidItem()
                : lines.paidForOrder(conn, orderId).chain(paidLines -> {
                    if (paidLines.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return events.returnedBv(conn, orderId).chain(totalReturned -> periods.forEvent(conn, payload.getString("period"))
                            .chain(period -> {
                                List<NewLine> clawbacks = new ArrayList<>();
                                for (LineStore.StoredLine paid : paidLines) {
                                    long orderBv = paid.trace().getLong("orderBv");
                                    long returnedNow = minorUnits(returnedBv);
                                    long now = -Clawback.amountMinor(paid.amount(), minorUnits(totalReturned) - returnedNow, returnedNow, orderBv);
                                    if (now == 0) {
                                        continue;
                                    }
                                    String clawPeriod = period == null ? paid.period() : period.name();
                                    clawbacks.add(new NewLine("clawback:" + returnId + ":" + paid.id(), clawPeriod, paid.memberId(),
                                            paid.memberCode(), "CLAWBACK", paid.level(), paid.rate(),
                                            minorUnits(returnedBv), -now, paid.currency(), paid.planVersion(), event.id(), orderId,
                                            paid.sourceMember(), paid.id(),
                                            new JsonObject().put("event", event.id().toString()).put("return", returnId.toString())
                                                    .put("creditNote", payload.getString("creditNoteNumber")).put("orderBv", orderBv)
                                                    .put("returnedBvTotal", minorUnits(totalReturned)),
                                            "OUTSTANDING"));
                                }
                                written.addAll(clawbacks);
                                return lines.insert(conn, clawbacks, null).replaceWithVoid();
                            }));
                }));
    }

    /** Pays what this batch owes so far when it includes the order's lines: a refund in the same batch must see them. */
    private Uni<Void> payPendingOf(SqlConnection conn, String orderId, List<NewLine> toPay, List<NewLine> written) {
        if (toPay.stream().noneMatch(line -> orderId.equals(String.valueOf(line.sourceOrder())))) {
            return Uni.createFrom().voidItem();
        }
        List<NewLine> now = new ArrayList<>(toPay);
        toPay.clear();
        written.addAll(now);
        return pay(conn, now);
    }

    /** Credits the new lines through the ledger and writes them with the ledger transaction that paid them. */
    private Uni<Void> pay(SqlConnection conn, List<NewLine> toPay) {
        if (toPay.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        LocalDate today = LocalDate.now(companyZone);
        List<CreditRequest> requests = new ArrayList<>(toPay.size());
        for (NewLine line : toPay) {
            requests.add(new CreditRequest(line.reference(), line.memberCode(), Money.of(BigDecimal.valueOf(line.amount(), 2), line.currency()),
                    today));
        }
        return credits.post(conn, requests, ACTOR)
                .chain(posted -> lines.insert(conn, toPay, posted.transactionId()))
                .invoke(written -> LOG.debugf("paid %d commission lines", written.size()))
                .replaceWithVoid();
    }

    static String orderReference(UUID orderId, String rule, Integer level) {
        return "order:" + orderId + ":" + rule + (level == null ? "" : ":" + level);
    }

    static long minorUnits(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY).movePointRight(2).longValueExact();
    }
}
