package io.downline.grievance.app;

import io.downline.common.security.Roles;
import io.downline.identity.api.Caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.commerce.api.Purchases;
import io.downline.common.Hashing;
import io.downline.common.db.Transactions;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.grievance.app.GrievanceModels.Category;
import io.downline.grievance.app.GrievanceModels.FiledCustomerGrievance;
import io.downline.grievance.app.GrievanceModels.GrievanceView;
import io.downline.grievance.app.GrievanceModels.NewCustomerGrievance;
import io.downline.grievance.app.GrievanceModels.NewGrievance;
import io.downline.grievance.app.GrievanceModels.Reply;
import io.downline.grievance.app.GrievanceModels.StaffStep;
import io.downline.grievance.app.GrievanceModels.StepView;
import io.downline.grievance.store.GrievanceRepository;
import io.downline.grievance.store.GrievanceRepository.Stored;
import io.downline.identity.api.Throttle;
import io.smallrye.mutiny.Uni;

/**
 * Grievances under the Consumer Protection (Direct Selling) Rules, 2021: acknowledged within 48 hours and resolved within
 * one month of filing. Deadlines are fixed at filing; every step is recorded on the grievance and in the audit log.
 */
@ApplicationScoped
public class GrievanceService {

    static final Duration ACKNOWLEDGE_WITHIN = Duration.ofHours(48);
    private static final String CUSTOMER = "customer";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GrievanceRepository repository;
    private final AuditTrail audit;
    private final Purchases orders;
    private final Throttle throttle;
    private final Clock clock;
    private final ZoneId zone;
    private final int customerFilingsPerHour;

    public GrievanceService(GrievanceRepository repository, AuditTrail audit, Purchases orders, Throttle throttle, Clock clock,
            @ConfigProperty(name = "downline.grievance.zone") ZoneId zone,
            @ConfigProperty(name = "downline.grievance.customer-filings-per-hour") int customerFilingsPerHour) {
        this.repository = repository;
        this.audit = audit;
        this.orders = orders;
        this.throttle = throttle;
        this.clock = clock;
        this.zone = zone;
        this.customerFilingsPerHour = customerFilingsPerHour;
    }

    public Uni<GrievanceView> file(Caller caller, NewGrievance request) {
        return insert(new GrievanceRepository.NewGrievance("DISTRIBUTOR", caller.userId(), null, null, null, null,
                request.category().name(), request.subject().trim(), request.description().trim(), null, null, null),
                caller.name()).chain(stored -> view(stored));
    }

    /** A customer files by the purchase and a contact; the answer carries the follow-up token, which only its hash outlives. */
    public Uni<FiledCustomerGrievance> fileAsCustomer(NewCustomerGrievance request, String clientAddress) {
        String number = request.purchaseNumber().trim();
        return throttle.hit("grievance:" + clientAddress, customerFilingsPerHour, Duration.ofHours(1))
                .invoke(wait -> Throttle.refuseIfThrottled(wait, "Too many grievances filed from this address."))
                .chain(() -> orders.isPurchase(number))
                .chain(found -> {
                    if (!found) {
                        throw ProblemException.invalidField("purchaseNumber", "names no invoice or paid order of this company");
                    }
                    byte[] secret = new byte[32];
                    RANDOM.nextBytes(secret);
                    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
                    return insert(new GrievanceRepository.NewGrievance("CUSTOMER", null, number, request.contactName().trim(),
                            request.contact().trim(), Hashing.sha256Hex(token), request.category().name(), request.subject().trim(),
                            request.description().trim(), null, null, null), CUSTOMER)
                            .chain(this::view).map(view -> new FiledCustomerGrievance(view, token));
                });
    }

    private Uni<Stored> insert(GrievanceRepository.NewGrievance draft, String author) {
        Instant now = clock.instant();
        // "within one month": the same day of the next month in the company's zone (the last day when it has no such day)
        Instant resolveBy = now.atZone(zone).plusMonths(1).toInstant();
        GrievanceRepository.NewGrievance g = new GrievanceRepository.NewGrievance(draft.complainant(), draft.filedByUser(),
                draft.purchaseNumber(), draft.contactName(), draft.contact(), draft.tokenHash(), draft.category(), draft.subject(),
                draft.description(), now, now.plus(ACKNOWLEDGE_WITHIN), resolveBy);
        return Transactions.retrying(repository.pool(), conn -> repository.insert(conn, g)
                .call(stored -> repository.addStep(conn, stored.id(), "FILED", author, stored.subject(), now))
                .call(stored -> audit.record(conn, AuditEvent.of(author, "GRIEVANCE_FILED", AuditSubjects.GRIEVANCE, stored.reference(),
                        null, state(stored), null))));
    }

    public Uni<GrievanceView> get(String reference, Caller caller) {
        return repository.byReference(repository.pool(), reference, false).map(stored -> own(stored, caller)).chain(this::view);
    }

    public Uni<GrievanceView> getAsCustomer(String reference, String token) {
        return repository.byReference(repository.pool(), reference, false).map(stored -> customers(stored, token)).chain(this::view);
    }

    /** A staff step: the status moves as the action says, deadlines stay as they were fixed at filing. */
    public Uni<GrievanceView> act(String reference, StaffStep step, String actor) {
        return change(reference, stored -> stored, stored -> {
            Instant now = clock.instant();
            Instant acknowledgedAt = stored.acknowledgedAt() == null ? now : stored.acknowledgedAt();
            return switch (step.action()) {
                case ACKNOWLEDGE -> {
                    if (stored.acknowledgedAt() != null) {
                        throw new ProblemException(ProblemType.CONFLICT, "Grievance " + reference + " was already acknowledged.");
                    }
                    yield new Transition("ACKNOWLEDGED", "ACKNOWLEDGED", acknowledgedAt, null, null);
                }
                case RESPOND -> new Transition("ACKNOWLEDGED", "RESPONDED", acknowledgedAt, null, null);
                case RESOLVE -> new Transition("RESOLVED", "RESOLVED", acknowledgedAt, now, step.message().trim());
                case REJECT -> new Transition("REJECTED", "REJECTED", acknowledgedAt, now, step.message().trim());
            };
        }, step.message().trim(), actor);
    }

    public Uni<GrievanceView> reply(String reference, Caller caller, Reply reply) {
        return change(reference, stored -> own(stored, caller), GrievanceService::complainantReply, reply.message().trim(), caller.name());
    }

    public Uni<GrievanceView> replyAsCustomer(String reference, String token, Reply reply) {
        return change(reference, stored -> customers(stored, token), GrievanceService::complainantReply, reply.message().trim(), CUSTOMER);
    }

    private static Transition complainantReply(Stored stored) {
        return new Transition(stored.status(), "COMPLAINANT_REPLIED", stored.acknowledgedAt(), null, null);
    }

    private record Transition(String status, String stepKind, Instant acknowledgedAt, Instant closedAt, String outcome) {
    }

    private Uni<GrievanceView> change(String reference, UnaryOperator<Stored> access,
            Function<Stored, Transition> transition, String message, String author) {
        return Transactions.retrying(repository.pool(), conn -> repository.byReference(conn, reference, true).chain(found -> {
            Stored stored = access.apply(found);
            if (stored == null) {
                throw unknown();
            }
            if (stored.closedAt() != null) {
                throw new ProblemException(ProblemType.CONFLICT, "Grievance " + reference + " is " + stored.status().toLowerCase()
                        + "; file a new one if the matter is not settled.");
            }
            Transition next = transition.apply(stored);
            Instant now = clock.instant();
            return repository.update(conn, stored.id(), next.status(), next.acknowledgedAt(), next.closedAt(), next.outcome())
                    .call(updated -> repository.addStep(conn, stored.id(), next.stepKind(), author, message, now))
                    .call(updated -> audit.record(conn, AuditEvent.of(author, "GRIEVANCE_" + next.stepKind(), AuditSubjects.GRIEVANCE,
                            reference, state(stored), state(updated), message)));
        })).chain(this::view);
    }

    public Uni<Page<GrievanceView>> list(Caller caller, String status, PageRequest page) {
        return repository.list(handlesGrievances(caller) ? null : caller.userId(), status, page.afterNumber(), page.limit + 1)
                .chain(this::views).map(views -> page.page(views, view -> List.of(view.reference().substring(4))));
    }

    /** Grievances past a deadline now, oldest first: support's work queue. */
    public Uni<Page<GrievanceView>> overdue(PageRequest page) {
        return repository.overdue(clock.instant(), page.afterNumber(), page.limit + 1)
                .chain(this::views).map(views -> page.page(views, view -> List.of(view.reference().substring(4))));
    }

    private Uni<List<GrievanceView>> views(List<Stored> found) {
        // at most a page: the steps of each are one indexed read
        Uni<List<GrievanceView>> all = Uni.createFrom().item(new ArrayList<>());
        for (Stored stored : found) {
            all = all.chain(done -> view(stored).map(view -> {
                done.add(view);
                return done;
            }));
        }
        return all;
    }

    private Uni<GrievanceView> view(Stored s) {
        return repository.steps(repository.pool(), s.id()).map(steps -> new GrievanceView(s.reference(), s.complainant(), s.status(),
                Category.valueOf(s.category()), s.subject(), s.description(), s.purchaseNumber(), s.contactName(), s.contact(), s.filedAt(),
                s.acknowledgeBy(), s.resolveBy(), s.acknowledgedAt(), s.closedAt(), s.outcome(), overdue(s),
                steps.stream().map(step -> new StepView(step.kind(), step.author(), step.message(), step.at())).toList()));
    }

    /** The deadlines missed: by the step's own time when it was taken late, by now while it is still awaited. */
    private List<String> overdue(Stored s) {
        Instant now = clock.instant();
        List<String> missed = new ArrayList<>(2);
        Instant acknowledged = s.acknowledgedAt() == null ? now : s.acknowledgedAt();
        if (acknowledged.isAfter(s.acknowledgeBy())) {
            missed.add("ACKNOWLEDGEMENT");
        }
        Instant closed = s.closedAt() == null ? now : s.closedAt();
        if (closed.isAfter(s.resolveBy())) {
            missed.add("RESOLUTION");
        }
        return missed;
    }

    /** What the audit log keeps of a grievance: its state, never the complainant's contact details. */
    private static Object state(Stored s) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", s.status());
        state.put("complainant", s.complainant());
        state.put("category", s.category());
        state.put("acknowledgeBy", s.acknowledgeBy().toString());
        state.put("resolveBy", s.resolveBy().toString());
        state.put("acknowledgedAt", s.acknowledgedAt() == null ? null : s.acknowledgedAt().toString());
        state.put("closedAt", s.closedAt() == null ? null : s.closedAt().toString());
        state.put("outcome", s.outcome());
        return state;
    }

    /** Support and admins handle grievances; anyone else (a distributor) reaches only their own. */
    private static boolean handlesGrievances(Caller caller) {
        return caller.admin() || caller.hasRole(Roles.SUPPORT);
    }

    private static Stored own(Stored stored, Caller caller) {
        if (stored == null || !(handlesGrievances(caller) || caller.userId().equals(stored.filedByUser()))) {
            throw unknown();
        }
        return stored;
    }

    /** A customer's grievance with the right token; anything else is the same 404, so references cannot be probed. */
    private static Stored customers(Stored stored, String token) {
        if (stored == null || stored.tokenHash() == null || token == null || !MessageDigest.isEqual(
                stored.tokenHash().getBytes(StandardCharsets.US_ASCII), Hashing.sha256Hex(token).getBytes(StandardCharsets.US_ASCII))) {
            throw unknown();
        }
        return stored;
    }

    private static ProblemException unknown() {
        return new ProblemException(ProblemType.NOT_FOUND, "No such grievance.");
    }
}
