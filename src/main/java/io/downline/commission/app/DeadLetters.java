package io.downline.commission.app;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.commerce.api.CommerceOutbox.OutboxEvent;
import io.downline.commission.api.CommissionModels.DeadLetterView;
import io.downline.commission.store.DeadLetterStore;
import io.downline.commission.store.DeadLetterStore.DeadLetter;
import io.downline.commission.store.EventStore;
import io.downline.common.db.Outbox;
import io.downline.common.db.Transactions;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * Events the engine cannot handle (a poison event: the ledger refuses its credits, its payload is broken) must not stop
 * the consumer forever. When a batch fails for such a reason, its events are handled one at a time; the one that fails
 * alone is recorded here with the reason and acknowledged, and the consumer goes on. Failures that say nothing about the
 * event (the database unreachable or shutting down, serialization failures) are not poison: the batch runs again later.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    /** SQLSTATE classes of failures of the database or the connection, not of the event. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "55", "57", "58", "XX");

    /** The failure of a transaction that handled exactly one event. */
    public static final class EventFailed extends RuntimeException {
        private final UUID eventId;

        EventFailed(UUID eventId, Throwable cause) {
            super("event " + eventId + ": " + reason(cause), cause);
            this.eventId = eventId;
        }

        public UUID eventId() {
            return eventId;
        }
    }

    private final Pool pool;
    private final DeadLetterStore store;
    private final EventStore events;
    private final EventProcessor orders;
    private final GenealogyEventProcessor members;
    private final AuditTrail audit;

    public DeadLetters(Pool pool, DeadLetterStore store, EventStore events, EventProcessor orders, GenealogyEventProcessor members,
            AuditTrail audit) {
        this.pool = pool;
        this.store = store;
        this.events = events;
        this.orders = orders;
        this.members = members;
        this.audit = audit;
    }

    /** Dead letters, newest first. */
    public Uni<Page<DeadLetterView>> list(PageRequest page) {
        return store.list(pool, page.afterNumber(), page.limit + 1).map(found -> page.page(found.stream().map(DeadLetters::view).toList(),
                view -> List.of(Long.toString(view.id()))));
    }

    /**
     * Handles a dead-lettered event again, after its cause was fixed, through the path of normal processing and in one
     * transaction with the letter locked: its outcome is recorded in processed_event and its lines are credited by their
     * references, so a replay pays at most once, however often it is asked for and by how many instances at once (the
     * second waits for the letter's lock and then finds it replayed). When it fails again, nothing of it stays: the
     * letter keeps the new reason and the attempt, and the caller gets a problem.
     */
    public Uni<DeadLetterView> replay(long id, String actor) {
        return Transactions.retrying(() -> pool.withTransaction(conn -> store.lock(conn, id).chain(letter -> {
            if (letter == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No dead letter " + id + ".");
            }
            if (letter.replayedAt() != null) {
                throw new ProblemException(ProblemType.ALREADY_REPLAYED, "Dead letter " + id + " was replayed by " + letter.replayedBy() + " at "
                        + letter.replayedAt() + ".");
            }
            return events.forgetDeadLettered(conn, letter.eventId())
                    .chain(() -> handle(conn, letter))
                    .onFailure(failure -> isPoison(failure) && !Transactions.isTransient(failure))
                    .transform(failure -> new FailedAgain(reason(failure), failure))
                    .chain(() -> store.replayed(conn, id, actor))
                    .call(replayed -> audit.record(conn, AuditEvent.of(actor, "COMMISSION_DEAD_LETTER_REPLAYED", AuditSubjects.COMMISSION_DEAD_LETTER,
                            id, view(letter), view(replayed), null)));
        }))).onFailure(FailedAgain.class).recoverWithUni(failure -> failedAgain(id, actor, (FailedAgain) failure)).map(DeadLetters::view);
    }

    private Uni<Void> handle(SqlConnection conn, DeadLetter letter) {
        return switch (letter.source()) {
            case "commerce" -> orders.replay(conn, new OutboxEvent(letter.eventId(), letter.type(), letter.payload(), null, 0));
            case "genealogy" -> members.replay(conn, new Outbox.Event(letter.eventId(), letter.type(), letter.payload(), null, 0));
            default -> throw new IllegalStateException("dead letter " + letter.id() + " of an unknown source " + letter.source());
        };
    }

    /** A replay that failed for the event's own reason. */
    private static final class FailedAgain extends RuntimeException {
        FailedAgain(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** Keeps the failed attempt and its reason (audited), then answers the problem. */
    private Uni<DeadLetter> failedAgain(long id, String actor, FailedAgain failure) {
        LOG.warnf(failure.getCause(), "replay of dead letter %d failed again", id);
        return Transactions.retrying(() -> pool.withTransaction(conn -> store.lock(conn, id).chain(before -> store
                .failedAgain(conn, id, actor, failure.getMessage())
                .call(after -> after == null ? Uni.createFrom().nullItem()
                        : audit.record(conn, AuditEvent.of(actor, "COMMISSION_DEAD_LETTER_REPLAY_FAILED", AuditSubjects.COMMISSION_DEAD_LETTER, id,
                                view(before), view(after), null))))))
                .map(after -> {
                    if (after == null) {
                        throw new ProblemException(ProblemType.ALREADY_REPLAYED, "Dead letter " + id + " was replayed meanwhile.");
                    }
                    throw new ProblemException(ProblemType.REPLAY_FAILED, "Dead letter " + id + " still fails and stays dead-lettered: "
                            + failure.getMessage());
                });
    }

    static DeadLetterView view(DeadLetter l) {
        return new DeadLetterView(l.id(), l.eventId(), l.source(), l.type(), l.payload().getMap(), l.reason(), l.failedAt(), l.attempts(),
                l.lastAttemptAt(), l.lastAttemptBy(), l.replayedAt(), l.replayedBy());
    }

    /**
     * Runs {@code attempt(limit)}; when it fails with a poison failure, runs {@code attempt(1)} as many times as the batch
     * could hold, handing each event that fails alone to {@code deadLetter} (which answers how many it acknowledged).
     * {@code attempt} must wrap the failure of a one-event transaction in {@link EventFailed}.
     */
    static Uni<Integer> tolerating(int limit, IntFunction<Uni<Integer>> attempt, Function<EventFailed, Uni<Integer>> deadLetter) {
        return attempt.apply(limit).onFailure(DeadLetters::isPoison).recoverWithUni(failure -> {
            LOG.warnf("a batch of up to %d events failed (%s); handling them one at a time", limit, reason(failure));
            return oneByOne(limit, attempt, deadLetter);
        });
    }

    private static Uni<Integer> oneByOne(int remaining, IntFunction<Uni<Integer>> attempt, Function<EventFailed, Uni<Integer>> deadLetter) {
        return attempt.apply(1)
                .onFailure(failure -> failure instanceof EventFailed && isPoison(failure)).recoverWithUni(failure -> {
                    LOG.errorf(failure, "dead-lettering %s", failure.getMessage());
                    return deadLetter.apply((EventFailed) failure);
                })
                .chain(handled -> handled == 0 || remaining <= 1 ? Uni.createFrom().item(handled)
                        : oneByOne(remaining - 1, attempt, deadLetter).map(more -> handled + more));
    }

    /** Whether the failure is the event's own (running it again would fail again), not the database's or the network's. */
    static boolean isPoison(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                String state = pg.getSqlState();
                return state == null || !TRANSIENT_CLASSES.contains(state.substring(0, 2));
            }
            if (cause instanceof VertxException || cause instanceof IOException || cause instanceof TimeoutException) {
                return false;
            }
        }
        return true;
    }

    /** The reason an admin reads: the problem's detail and field errors, the database's message, or the exception's. */
    static String reason(Throwable failure) {
        Throwable cause = failure instanceof EventFailed && failure.getCause() != null ? failure.getCause() : failure;
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof ProblemException problem) {
                String errors = problem.problem().errors() == null ? "" : problem.problem().errors().stream()
                        .map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ", ": ", ""));
                return problem.problem().title() + " - " + problem.problem().detail() + errors;
            }
            if (c instanceof PgException pg) {
                return "database refused (" + pg.getSqlState() + "): " + pg.getErrorMessage();
            }
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
