package io.downline.genealogy.app;

import io.downline.identity.api.DistributorAccounts;

import io.downline.genealogy.app.PlanService;

import io.downline.identity.api.Caller;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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
        // one batch at a time: every registration takes the tree locks, so a second batch would only wait for them
        this.registrations = groupCommits.create("registration", repository.pool(), 1, GroupCommit.eachInSavepoint(this::register));
    }

    private record Registration(RegistrationRequest request, Caller caller, String registrationKey) {
    }

    /**
     * @param registrationKey the caller's Idempotency-Key, stored on the member in this transaction: even if the key's
     *                        record were lost after the commit, a retry could not create a second member
     */
    public Uni<Registered> register(RegistrationRequest request, Caller caller, String registrationKey) {
        return registrations.submit(new Registration(request, caller, registrationKey));
    }

    /**
     * One registration inside a group commit: the batch holds the tree locks from its first placement to its commit, so
     * many placements share one lock hold and one commit.
     */
    private Uni<Registered> register(SqlConnection conn, Registration registration) {
        RegistrationRequest request = registration.request();
        return plans.current(conn).chain(version -> sponsorOf(conn, request, registration.caller())
                .chain(sponsorId -> create(conn, version.plan(), request, registration.caller(), sponsorId, registration.registrationKey())));
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

    private Uni<Registered> create(SqlClient conn, Plan plan, RegistrationRequest request, Caller caller, Long sponsorId,
            String registrationKey) {
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
            // account, activation and distributor rows before the tree locks, to keep the serial part short
            return accounts.open(conn, userId, username, name, request.email())
                    .chain(() -> activationCodes.issue(conn, userId, username, name, request.email()))
                    .call(() -> repository.insertDistributor(conn, number, userId, memberCode, referralCode, sponsorId,
                            request.details(), placementDue, registrationKey))
                    .call(() -> repository.lockTree(conn, Tree.SPONSOR))
                    .call(() -> repository.insertNode(conn, Tree.SPONSOR, number, sponsorId, null, null))
                    .chain(activation -> (hold ? Uni.createFrom().<PlacementView>nullItem()
                            : placement.place(conn, plan, number, sponsorId, request.placement()))
                            .chain(placed -> sponsorCode(conn, sponsorId).call(sponsorCode -> registeredEvent(conn, plan, number, memberCode,
                                    sponsorId, sponsorCode)).map(sponsorCode -> new Registered(new RegistrationView(memberCode,
                                    referralCode, sponsorCode, placed, placementDue == null ? null : placementDue.toInstant(), username,
                                    activation.sent(), activation.expiresAt()), activation.code()))));
        });
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
