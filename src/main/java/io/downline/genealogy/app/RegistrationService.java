package io.downline.genealogy.app;

import io.downline.identity.api.DistributorAccounts;

import io.downline.genealogy.app.PlanService;

import io.downline.identity.api.Caller;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.RandomCodes;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.GenealogyModels.PlacementView;
import io.downline.genealogy.api.GenealogyModels.RegistrationRequest;
import io.downline.genealogy.api.GenealogyModels.Registered;
import io.downline.genealogy.api.GenealogyModels.RegistrationView;
import io.downline.genealogy.api.GenealogyEvents;
import io.downline.identity.api.ActivationCodes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.downline.common.db.GroupCommit;
import io.downline.common.db.GroupCommits;
import io.downline.common.db.GroupCommit.Outcome;
import io.downline.common.db.Transactions;
import io.downline.genealogy.api.GenealogyModels.PlacementChoice;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.GenealogyRepository;
import io.downline.genealogy.store.TreeNode;

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
        // two batches at a time: one prepares its members (no tree lock) while the other places its own
        this.registrations = groupCommits.create("registration", repository.pool(), 2, this::registerAll);
    }

    private record Registration(RegistrationRequest request, Caller caller, String registrationKey) {
    }

    /** A registration's rows written before the tree locks: account, activation code, distributor. */
    private record Prepared(Registration registration, Plan plan, Long sponsorId, long number, String memberCode, String referralCode,
            String username, ActivationCodes.Issued activation, OffsetDateTime placementDue) {
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
     * savepoint: a refusal there is that registration's alone), then every placement under the locks, which the batch
     * holds from its first placement to its commit. A placement that fails undoes the batch (the rows of its first phase
     * are in identity's tables too, so they cannot be taken back one by one) and the batch runs again without it.
     */
    private Uni<List<Outcome<Registered>>> registerAll(SqlConnection conn, List<Registration> items) {
        // one plan for the whole batch: the plan in force when it starts
        return plans.current(conn).chain(version -> {
            Plan plan = version.plan();
            if (items.size() == 1) {
                return prepare(conn, plan, items.get(0)).chain(prepared -> place(conn, prepared))
                        .map(registered -> List.of(Outcome.of(registered)));
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
        })).chain(() -> placeFrom(conn, new ArrayList<>(prepared.entrySet()), 0, new TreeMap<>())).chain(placed -> {
            if (placed.failed() == null) {
                placed.registered().forEach((i, registered) -> outcomes.set(i, Outcome.of(registered)));
                return Uni.createFrom().item(outcomes);
            }
            outcomes.set(placed.failed(), Outcome.failed(placed.failure()));
            return conn.query("rollback to savepoint registrations").execute().chain(() -> bothPhases(conn, plan, items, outcomes));
        });
    }

    private record Placed(Map<Integer, Registered> registered, Integer failed, Throwable failure) {
    }

    /** Places the prepared registrations in order, stopping at the first that fails (a transient failure fails the batch). */
    private Uni<Placed> placeFrom(SqlConnection conn, List<Map.Entry<Integer, Prepared>> prepared, int next, Map<Integer, Registered> done) {
        if (next == prepared.size()) {
            return Uni.createFrom().item(new Placed(done, null, null));
        }
        Map.Entry<Integer, Prepared> item = prepared.get(next);
        return Uni.createFrom().deferred(() -> place(conn, item.getValue()))
                .chain(registered -> {
                    done.put(item.getKey(), registered);
                    return placeFrom(conn, prepared, next + 1, done);
                })
                .onFailure(failure -> !Transactions.isTransient(failure))
                .recoverWithItem(failure -> new Placed(done, item.getKey(), failure));
    }

    private Uni<Prepared> prepare(SqlConnection conn, Plan plan, Registration registration) {
        return sponsorOf(conn, registration.request(), registration.caller()).chain(sponsorId -> prepare(conn, plan, registration, sponsorId));
    }

    private Uni<Long> sponsorOf(SqlClient conn, RegistrationRequest request, Caller caller) {
        if (request.placement() != null && !caller.admin() && !caller.distributor()) {
            throw onlySponsorPlaces();
        }
        Uni<Long> callerNode = caller.distributor() && caller.userId() != null
                ? repository.nodeOfUser(conn, Tree.SPONSOR, caller.userId()).map(node -> node == null ? null : node.id())
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
            return repository.sponsorId(conn, request.sponsor().trim().toUpperCase(Locale.ROOT)).map(sponsor -> {
                if (sponsor == null) {
                    throw ProblemException.invalidField("sponsor", "no distributor has this member or referral code");
                }
                if (!caller.admin() && own != null && !own.equals(sponsor)) {
                    throw new ProblemException(ProblemType.FORBIDDEN, "A distributor registers only recruits they sponsor themselves.");
                }
                if (request.placement() != null && !caller.admin() && !sponsor.equals(own)) {
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

    private Uni<Prepared> prepare(SqlClient conn, Plan plan, Registration registration, Long sponsorId) {
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
        boolean hold = sponsorId != null && plan.holdingTankDays() > 0 && request.placement() == null;
        OffsetDateTime placementDue = hold ? OffsetDateTime.now(ZoneOffset.UTC).plusDays(plan.holdingTankDays()) : null;
        UUID userId = UUID.randomUUID();
        return repository.nextMemberNumber(conn).chain(number -> {
            String memberCode = MemberCodes.memberCode(plan.memberCodePrefix(), number);
            String referralCode = RandomCodes.typeable(8);
            String username = memberCode.toLowerCase(Locale.ROOT);
            String name = request.fullName().trim();
            return accounts.open(conn, userId, username, name, request.email())
                    .chain(() -> activationCodes.issue(conn, userId, username, name, request.email()))
                    .call(() -> repository.insertDistributor(conn, number, userId, memberCode, referralCode, sponsorId,
                            request.details(), placementDue, registration.registrationKey()))
                    .map(activation -> new Prepared(registration, plan, sponsorId, number, memberCode, referralCode, username, activation,
                            placementDue));
        });
    }

    /** The serial part: both trees under their locks, and member.registered. */
    private Uni<Registered> place(SqlClient conn, Prepared p) {
        PlacementChoice choice = p.registration().request().placement();
        return repository.lockTree(conn, Tree.SPONSOR)
                .call(() -> repository.insertNode(conn, Tree.SPONSOR, p.number(), p.sponsorId(), null, null))
                .chain(() -> p.placementDue() != null ? Uni.createFrom().<PlacementView>nullItem()
                        : placement.place(conn, p.plan(), p.number(), p.sponsorId(), choice))
                .chain(placed -> sponsorCode(conn, p.sponsorId())
                        .call(sponsorCode -> registeredEvent(conn, p.plan(), p.number(), p.memberCode(), p.sponsorId(), sponsorCode))
                        .map(sponsorCode -> new Registered(new RegistrationView(p.memberCode(), p.referralCode(), sponsorCode, placed,
                                p.placementDue() == null ? null : p.placementDue().toInstant(), p.username(), p.activation().sent(),
                                p.activation().expiresAt()), p.activation().code())));
    }

    /** member.registered, in the registration's transaction: it exists exactly when the member does. */
    private Uni<Void> registeredEvent(SqlClient conn, Plan plan, long memberId, String memberCode, Long sponsorId, String sponsorCode) {
        Instant now = Instant.now();
        return outbox.publish(conn, List.of(GenealogyEvents.REGISTERED), List.of(GenealogyOutbox.registered(memberId, memberCode, sponsorId,
                sponsorCode, now, plan.periodOf(LocalDate.ofInstant(now, ZoneOffset.UTC)))));
    }

    private Uni<String> sponsorCode(SqlClient conn, Long sponsorId) {
        return sponsorId == null ? Uni.createFrom().nullItem()
                : repository.nodeById(conn, Tree.SPONSOR, sponsorId).map(TreeNode::memberCode);
    }
}
