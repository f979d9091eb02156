package io.downline.genealogy.app;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.RandomCodes;
import io.downline.common.db.GroupCommit;
import io.downline.common.db.GroupCommit.Outcome;
import io.downline.common.db.GroupCommits;
import io.downline.common.db.Transactions;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.GenealogyEvents;
import io.downline.genealogy.api.GenealogyModels.Registered;
import io.downline.genealogy.api.GenealogyModels.RegistrationRequest;
import io.downline.genealogy.api.GenealogyModels.RegistrationView;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.GenealogyRepository;
import io.downline.genealogy.store.GenealogyRepository.PlacementOrder;
import io.downline.genealogy.store.GenealogyRepository.Sponsor;
import io.downline.identity.api.ActivationCodes;
import io.downline.identity.api.Caller;
import io.downline.identity.api.DistributorAccounts;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A registration in one transaction: the account, the distributor with a member code, the sponsor-tree edge, the
 * placement (or a place in the holding tank) and the activation code's email to the recruit's own address. Nothing is
 * charged. The new account has no password yet: the recruit sets one with the code, which is never in the response (the
 * registrant may be the sponsor, not the recruit).
 */
@ApplicationScoped
public class RegistrationService {

    private final DistributorAccounts accounts;
    private final GenealogyRepository repository;
    private final PlanService plans;
    private final PlacementService placement;
    private final ActivationCodes activationCodes;
    private final GenealogyOutbox outbox;

    private final GroupCommit<Registration, Registered> registrations;

    public RegistrationService(DistributorAccounts accounts, GenealogyRepository repository, PlanService plans, PlacementService placement,
            ActivationCodes activationCodes, GenealogyOutbox outbox, GroupCommits groupCommits) {
        this.accounts = accounts;
        this.repository = repository;
        this.plans = plans;
        this.placement = placement;
        this.activationCodes = activationCodes;
        this.outbox = outbox;
        // two batches at a time: one prepares its members (no tree lock) while the other places its own; each
        // registration takes two subtransactions (its first phase's savepoint, its placement's exception block)
        this.registrations = groupCommits.create("registration", repository.pool(), 2, 2, this::registerAll);
    }

    private record Registration(RegistrationRequest request, Caller caller, String registrationKey) {
    }

    /** A registration's rows written before the tree locks (account, activation code, distributor) and its placement to make. */
    private record Prepared(Sponsor sponsor, String memberCode, String referralCode, String username, ActivationCodes.Issued activation,
            OffsetDateTime placementDue, PlacementOrder placement) {
    }

    /**
     * @param registrationKey the caller's Idempotency-Key, stored on the member in this transaction: even if the key's
     *                        record were lost after the commit, a retry could not create a second member
     */
    public Uni<Registered> register(RegistrationRequest request, Caller caller, String registrationKey) {
        return registrations.submit(new Registration(request, caller, registrationKey));
    }

    /**
     * A group commit of registrations in two phases: first every member's rows outside the tree locks (each in a
     * savepoint: a refusal there is that registration's alone) and their member.registered events, then every
     * placement under the locks in one call, which holds them from there to the commit. A placement that is refused
     * undoes the batch (the rows of its first phase are in identity's tables too, so they cannot be taken back one by
     * one) and the batch runs again without it.
     */
    private Uni<List<Outcome<Registered>>> registerAll(SqlConnection conn, List<Registration> items) {
        // one plan for the whole batch: the plan in force when it starts
        return plans.current(conn).chain(version -> {
            Plan plan = version.plan();
            if (items.size() == 1) {
                // nothing to protect: a refusal fails the transaction, which takes the first phase's rows with it
                return prepare(conn, plan, items.get(0)).chain(prepared -> publishAndPlace(conn, plan, List.of(prepared)))
                        .map(outcomes -> {
                            if (outcomes.get(0).failure() != null) {
                                throw outcomes.get(0).failure() instanceof RuntimeException refusal ? refusal
                                        : new IllegalStateException(outcomes.get(0).failure());
                            }
                            return outcomes;
                        });
            }
            List<Outcome<Registered>> outcomes = new ArrayList<>(Collections.nCopies(items.size(), null));
            return conn.query("savepoint registrations").execute().chain(() -> bothPhases(conn, plan, items, outcomes));
        });
    }

    private Uni<List<Outcome<Registered>>> bothPhases(SqlConnection conn, Plan plan, List<Registration> items,
            List<Outcome<Registered>> outcomes) {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (outcomes.get(i) == null) {
                open.add(i);
            }
        }
        Map<Integer, Prepared> prepared = new TreeMap<>();
        return Transactions.each(open, i -> GroupCommit.inSavepoint(conn, () -> prepare(conn, plan, items.get(i))).invoke(outcome -> {
            if (outcome.failure() != null) {
                outcomes.set(i, Outcome.failed(outcome.failure()));
            } else {
                prepared.put(i, outcome.result());
            }
        })).chain(() -> {
            List<Integer> indexes = new ArrayList<>(prepared.keySet());
            return publishAndPlace(conn, plan, new ArrayList<>(prepared.values())).chain(placed -> {
                boolean refused = false;
                for (int k = 0; k < placed.size(); k++) {
                    if (placed.get(k).failure() != null) {
                        outcomes.set(indexes.get(k), placed.get(k));
                        refused = true;
                    }
                }
                if (!refused) {
                    for (int k = 0; k < placed.size(); k++) {
                        outcomes.set(indexes.get(k), placed.get(k));
                    }
                    return Uni.createFrom().item(outcomes);
                }
                return conn.query("rollback to savepoint registrations").execute().chain(() -> bothPhases(conn, plan, items, outcomes));
            });
        });
    }

    /**
     * The prepared registrations' member.registered events (one statement, before the locks), then their tree edges and
     * placements in one call under the locks: one outcome each, in order.
     */
    private Uni<List<Outcome<Registered>>> publishAndPlace(SqlConnection conn, Plan plan, List<Prepared> prepared) {
        if (prepared.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Instant now = Instant.now();
        String period = plan.periodOf(LocalDate.ofInstant(now, ZoneOffset.UTC));
        List<JsonObject> events = prepared.stream().map(p -> GenealogyOutbox.registered(p.placement().member(), p.memberCode(),
                p.placement().sponsor(), p.sponsor() == null ? null : p.sponsor().memberCode(), now, period)).toList();
        return outbox.publish(conn, Collections.nCopies(events.size(), GenealogyEvents.REGISTERED), events)
                .chain(() -> placement.placeAll(conn, plan, prepared.stream().map(Prepared::placement).toList()))
                .map(placed -> {
                    List<Outcome<Registered>> outcomes = new ArrayList<>(placed.size());
                    for (int k = 0; k < placed.size(); k++) {
                        Prepared p = prepared.get(k);
                        outcomes.add(placed.get(k).failure() != null ? Outcome.failed(placed.get(k).failure())
                                : Outcome.of(new Registered(new RegistrationView(p.memberCode(), p.referralCode(),
                                        p.sponsor() == null ? null : p.sponsor().memberCode(), placed.get(k).result(),
                                        p.placementDue() == null ? null : p.placementDue().toInstant(), p.username(), p.activation().sent(),
                                        p.activation().expiresAt()), p.activation().code())));
                    }
                    return outcomes;
                });
    }

    private Uni<Prepared> prepare(SqlConnection conn, Plan plan, Registration registration) {
        return sponsorOf(conn, registration.request(), registration.caller()).chain(sponsor -> prepare(conn, plan, registration, sponsor));
    }

    private Uni<Sponsor> sponsorOf(SqlClient conn, RegistrationRequest request, Caller caller) {
        if (request.placement() != null && !caller.admin() && !caller.distributor()) {
            throw onlySponsorPlaces();
        }
        Uni<Sponsor> callerNode = caller.distributor() && caller.userId() != null
                ? repository.nodeOfUser(conn, Tree.SPONSOR, caller.userId()).map(node -> node == null ? null : new Sponsor(node.id(), node.memberCode()))
                : Uni.createFrom().nullItem();
        return callerNode.chain(own -> {
            if (request.sponsor() == null) {
                if (own != null) {
                    return Uni.createFrom().item(own);
                }
                if (!caller.admin()) {
                    throw ProblemException.invalidField("sponsor", "is required");
                }
                // Only the company's first member, created by an admin, has no sponsor.
                return repository.treeEmpty(conn, Tree.SPONSOR).map(empty -> {
                    if (!empty) {
                        throw ProblemException.invalidField("sponsor", "is required once the network has its root member");
                    }
                    return null;
                });
            }
            return repository.sponsor(conn, request.sponsor().trim().toUpperCase(Locale.ROOT)).map(sponsor -> {
                if (sponsor == null) {
                    throw ProblemException.invalidField("sponsor", "no distributor has this member or referral code");
                }
                if (!caller.admin() && own != null && own.id() != sponsor.id()) {
                    throw new ProblemException(ProblemType.FORBIDDEN, "A distributor registers only recruits they sponsor themselves.");
                }
                if (request.placement() != null && !caller.admin() && (own == null || own.id() != sponsor.id())) {
                    throw onlySponsorPlaces();
                }
                return sponsor;
            });
        });
    }

    /** Support and finance register on a member's behalf but leave the placement to the plan, the sponsor or an admin. */
    private static ProblemException onlySponsorPlaces() {
        return ProblemException.invalidField("placement", "only the sponsor or an admin may choose a placement");
    }

    private Uni<Prepared> prepare(SqlClient conn, Plan plan, Registration registration, Sponsor sponsor) {
        RegistrationRequest request = registration.request();
        Caller caller = registration.caller();
        if (request.email() == null && !caller.admin()) {
            // the activation code goes there: without it the recruit could never sign in
            throw ProblemException.invalidField("email", "is required: the recruit's activation code is sent there");
        }
        if (request.placement() != null) {
            if (plan.structure() != Plan.Structure.BINARY) {
                throw ProblemException.invalidField("placement", "a placement choice applies to binary plans only");
            }
            if (!caller.admin() && !plan.sponsorMayChoosePlacement()) {
                throw new ProblemException(ProblemType.FORBIDDEN, "The plan does not let sponsors choose placements.");
            }
        }
        Long sponsorId = sponsor == null ? null : sponsor.id();
        boolean hold = sponsorId != null && plan.holdingTankDays() > 0 && request.placement() == null;
        OffsetDateTime placementDue = hold ? OffsetDateTime.now(ZoneOffset.UTC).plusDays(plan.holdingTankDays()) : null;
        UUID userId = UUID.randomUUID();
        return repository.nextMemberNumber(conn).chain(number -> {
            PlacementOrder placement = PlacementService.order(plan, number, sponsorId, !hold, request.placement());
            String memberCode = MemberCodes.memberCode(plan.memberCodePrefix(), number);
            String referralCode = RandomCodes.typeable(8);
            String username = memberCode.toLowerCase(Locale.ROOT);
            String name = request.fullName().trim();
            return accounts.open(conn, userId, username, name, request.email())
                    .chain(() -> activationCodes.issue(conn, userId, username, name, request.email()))
                    .call(() -> repository.insertDistributor(conn, number, userId, memberCode, referralCode, sponsorId,
                            request.details(), placementDue, registration.registrationKey()))
                    .map(activation -> new Prepared(sponsor, memberCode, referralCode, username, activation, placementDue, placement));
        });
    }
}
