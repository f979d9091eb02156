package io.downline.commission.app;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.downline.commerce.api.CommerceOutbox;
import io.downline.commerce.api.CommerceOutbox.OutboxEvent;
import io.downline.commission.engine.Clawback;
import io.downline.commission.store.EventStore;
import io.downline.commission.store.LineStore;
import io.downline.commission.store.LineStore.NewLine;
import io.downline.common.db.Transactions;
import io.downline.common.money.Money;
import io.downline.genealogy.api.NetworkReads;
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

    public EventProcessor(Pool pool, CommerceOutbox outbox, NetworkReads network, CommissionCredits credits, EventStore events,
            LineStore lines, OpenPeriods periods, InstantBonuses instant,
            @ConfigProperty(name = "downline.ledger.company-zone") ZoneId companyZone) {
        this.pool = pool;
        this.outbox = outbox;
        this.network = network;
        this.credits = credits;
        this.events = events;
        this.lines = lines;
        this.periods = periods;
        this.instant = instant;
        this.companyZone = companyZone;
    }

    /** Handles up to {@code limit} events; answers how many (0 when there were none or another worker holds the consumer). */
    public Uni<Integer> processBatch(int limit) {
        return Transactions.retrying(() -> pool.withTransaction(conn -> outbox.claim(conn, CONSUMER).chain(claimed -> claimed
                ? outbox.next(conn, CONSUMER, limit).chain(batch -> handle(conn, batch))
                : Uni.createFrom().item(0))), CommissionCredits::isReferenceRace);
    }

    private Uni<Integer> handle(SqlConnection conn, List<OutboxEvent> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<NewLine> toPay = new ArrayList<>();
        List<NewLine> written = new ArrayList<>();
        return Transactions.each(batch, event -> handleOne(conn, event, toPay, written))
                .chain(() -> pay(conn, toPay))
                .chain(() -> {
                    written.addAll(toPay);
                    return lines.announce(conn, written.stream().mapToLong(NewLine::memberId).distinct().toArray());
                })
                .chain(() -> outbox.ack(conn, CONSUMER, batch.get(batch.size() - 1)))
                .map(done -> batch.size());
    }

    private Uni<Void> handleOne(SqlConnection conn, OutboxEvent event, List<NewLine> toPay, List<NewLine> written) {
        JsonObject payload = event.payload();
        return switch (event.type()) {
            case "order.paid" -> paid(conn, event, payload, toPay);
            case "order.refunded" -> payPendingOf(conn, payload.getString("orderId"), toPay, written)
                    .chain(() -> refunded(conn, event, payload, written));
            default -> Uni.createFrom().voidItem(); // other events of the outbox are not the engine's
        };
    }

    private Uni<Void> paid(SqlConnection conn, OutboxEvent event, JsonObject payload, List<NewLine> toPay) {
        UUID orderId = UUID.fromString(payload.getString("orderId"));
        long buyer = payload.getLong("distributorId");
        String buyerCode = payload.getString("memberCode");
        long bv = minorUnits(new BigDecimal(payload.getString("bv")));
        long pv = minorUnits(new BigDecimal(payload.getString("pv")));
        return periods.forEvent(conn, payload.getString("period")).chain(period -> {
            if (period == null) {
                return events.markProcessed(conn, event.id(), event.type(), orderId, null, "no plan in force").replaceWithVoid();
            }
            return events.markProcessed(conn, event.id(), event.type(), orderId, null, "paid").chain(fresh -> {
                if (!fresh) {
                    return Uni.createFrom().voidItem();
                }
                return events.firstOrder(conn, buyer, orderId, period.name())
                        .chain(first -> network.sponsorUpline(conn, buyer, period.volumePeriod(), MAX_UPLINE)
                                .map(upline -> instant.awards(period.plan(), new InstantBonuses.Sale(orderId, buyer, buyerCode, bv, pv, first), upline)))
                        .map(awards -> {
                            for (InstantBonuses.Award award : awards) {
                                JsonObject trace = award.trace().copy().put("orderBv", bv).put("event", event.id().toString())
                                        .put("invoice", payload.getString("invoiceNumber"));
                                toPay.add(new NewLine(orderReference(orderId, award.rule(), award.level()), period.name(), award.memberId(),
                                        award.memberCode(), award.rule(), award.level(), award.rate(), award.base(), award.amount(), period.currency(),
                                        period.plan().version(), event.id(), orderId, buyerCode, null, trace, "PAID"));
                            }
                            return null;
                        });
            }).replaceWithVoid();
        });
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
