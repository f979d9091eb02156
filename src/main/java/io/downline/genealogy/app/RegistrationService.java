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
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import io.downline.common.RandomCodes;
import io.downline.common.db.GroupCommit;
import io.downline.common.db.GroupCommit.Outcome;
import io.downline.common.db.GroupCommits;
import io.downline.common.db.Transactions;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.GenealogyEvents;
import io.downline.genealogy.api.GenealogyModels.Registered;
import io.downline.genealogy.api.GenealogyModels.RegistrationRequest;
import io.downline.genealogy.api.GenealogyModels.RegistrationView;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.GenealogyRepository;
import io.downline.genealogy.store.GenealogyRepository.NewMember;
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

    private final IdempotencyService idempotency;

    private final GroupCommit<Registration, Answered> registrations;

    public RegistrationService(DistributorAccounts accounts, GenealogyRepository repository, PlanService plans, PlacementService placement,
            ActivationCodes activationCodes, GenealogyOutbox outbox, IdempotencyService idempotency, GroupCommits groupCommits) {
        this.accounts = accounts;
        this.repository = repository;
        this.plans = plans;
        this.placement = placement;
        this.activationCodes = activationCodes;
        this.outbox = outbox;
        this.idempotency = idempotency;
        // two batches at a time: one prepares its members (no tree lock) while the other places its own; each
        // registration takes two subtransactions (its first phase's savepoint, its placement's exception block)
        this.registrations = groupCommits.create("registration", repository.pool(), 2, 2, this::registerAll);
    }

    /**
     * @param key    the Idempotency-Key to claim and complete in the batch's transaction, or null
     * @param answer the HTTP response to a registration, recorded for the key; null when nobody asks over HTTP
     */
    private record Registration(RegistrationRequest request, Caller caller, String registrationKey, IdempotencyService.Keyed key,
            Function<Registered, Response> answer) {
    }

    /** A registration's result, or for a request with a key the response it gets: the registration's, or the key's replay. */
    private record Answered(Registered registered, Response response) {
    }

    /** A registration checked, with its sponsor, number and codes: what its first phase writes, and its placement to make. */
    private record Draft(Registration registration, Sponsor sponsor, long number, UUID userId, String memberCode, String referralCode,
            OffsetDateTime placementDue, PlacementOrder placement) {

        String username() {
            return memberCode.toLowerCase(Locale.ROOT);
        }
    }

    /** A registration whose rows are written (account, activation code, distributor), waiting for its placement. */
    private record Prepared(Draft draft, ActivationCodes.Issued activation) {
    }

    /**
     * @param registrationKey the caller's Idempotency-Key, stored on the member in this transaction: even if the key's
     *                        record were lost after the commit, a retry could not create a second member
     */
    public Uni<Registered> register(RegistrationRequest request, Caller caller, String registrationKey) {
        return registrations.submit(new Registration(request, caller, registrationKey, null, null)).map(Answered::registered);
    }

    /**
     * A registration asked for over HTTP: its Idempotency-Key (null when none was sent) is claimed in the batch's
     * transaction and its response recorded there, before the same commit as the registration (so a crash can never
     * separate the two, and a registration pays no commit of its own for its key); the answers are those of
     * {@link IdempotencyService#run}.
     *
     * @param answer the response to a registration, built in the batch: what the key records and the caller gets
     */
    public Uni<Response> register(RegistrationRequest request, Caller caller, IdempotencyService.Keyed key, Function<Registered, Response> answer) {
        String registrationKey = key == null ? null : key.caller() + "|" + key.key();
        return idempotency.exclusive(key, () -> registrations.submit(new Registration(request, caller, registrationKey, key, answer)))
                .map(Answered::response);
    }

    /**
     * A group commit of registrations in two phases: first every member's rows outside the tree locks, one statement per
     * table for the whole batch, and their member.registered events; then every placement under the locks in one call,
     * which holds them from there to the commit. A refusal by the database in the first phase (an address or a key
     * taken) undoes that phase, which then runs again one registration at a time, each in a savepoint, so that only the
     * refused one fails. A refused placement undoes the batch (the rows of its first phase are in identity's tables too,
     * so they cannot be taken back one by one) and the batch runs again without it.
     */
    private Uni<List<Outcome<Answered>>> registerAll(SqlConnection conn, List<Registration> items) {
        // one plan for the whole batch: the plan in force when it starts; the keys claimed before any member is written
        return plans.current(conn).chain(version -> idempotency.claimAll(conn, items.stream().map(Registration::key).toList()).chain(claims -> {
            List<Outcome<Answered>> answers = new ArrayList<>(Collections.nCopies(items.size(), null));
            List<Integer> owned = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                IdempotencyService.Claim claim = claims.get(i);
                if (claim.owned()) {
                    owned.add(i);
                } else {
                    answers.set(i, claim.refusal() != null ? Outcome.failed(claim.refusal()) : Outcome.of(new Answered(null, claim.replay())));
                }
            }
            if (owned.isEmpty()) {
                return Uni.createFrom().item(answers);
            }
            List<Registration> running = owned.stream().map(items::get).toList();
            return registerOwned(conn, version.plan(), running, items.size() == 1)
                    .chain(outcomes -> settle(conn, running, outcomes))
                    .map(settled -> {
                        for (int k = 0; k < owned.size(); k++) {
                            answers.set(owned.get(k), settled.get(k));
                        }
                        return answers;
                    });
        }));
    }

    /** The registrations whose keys (if any) this batch owns; alone: the batch's only item, whose refusal may fail the transaction. */
    private Uni<List<Outcome<Registered>>> registerOwned(SqlConnection conn, Plan plan, List<Registration> items, boolean alone) {
        if (alone) {
            // nothing to protect: a refusal fails the transaction, which takes the first phase's rows and the key's claim with it
            return prepareOne(conn, plan, items.get(0)).chain(prepared -> publishAndPlace(conn, plan, List.of(prepared)))
                    .map(outcomes -> List.of(Outcome.of(outcomes.get(0).orThrow())));
        }
        List<Outcome<Registered>> outcomes = new ArrayList<>(Collections.nCopies(items.size(), null));
        return conn.query("savepoint registrations").execute().chain(() -> bothPhases(conn, plan, items, outcomes));
    }

    /** Each registration's answer, and its key's record: the response of a registration made, the claim of one refused freed. */
    private Uni<List<Outcome<Answered>>> settle(SqlConnection conn, List<Registration> items, List<Outcome<Registered>> outcomes) {
        List<Outcome<Answered>> answers = new ArrayList<>(items.size());
        List<IdempotencyService.Keyed> completed = new ArrayList<>();
        List<Response> responses = new ArrayList<>();
        List<IdempotencyService.Keyed> released = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            Registration item = items.get(k);
            Outcome<Registered> outcome = outcomes.get(k);
            if (outcome.failure() != null) {
                answers.add(Outcome.failed(outcome.failure()));
                if (item.key() != null) {
                    released.add(item.key());
                }
                continue;
            }
            Response response = item.answer() == null ? null : item.answer().apply(outcome.result());
            answers.add(Outcome.of(new Answered(outcome.result(), response)));
            if (item.key() != null) {
                completed.add(item.key());
                responses.add(response);
            }
        }
        return idempotency.settleAll(conn, completed, responses, released).replaceWith(answers);
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
        Uni<Void> firstPhase = prepareAll(conn, plan, open.stream().map(items::get).toList()).invoke(results -> {
            for (int k = 0; k < results.size(); k++) {
                record(open.get(k), results.get(k), outcomes, prepared);
            }
        }).replaceWithVoid().onFailure(failure -> !Transactions.isTransient(failure)).recoverWithUni(() -> {
            prepared.clear();
            return conn.query("rollback to savepoint registrations").execute()
                    .chain(() -> Transactions.each(open, i -> GroupCommit.inSavepoint(conn, () -> prepareOne(conn, plan, items.get(i)))
                            .invoke(outcome -> record(i, outcome, outcomes, prepared))))
                    .replaceWithVoid();
        });
        return firstPhase.chain(() -> {
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

    /** A refused registration is answered with its refusal; a prepared one waits for its placement. */
    private static void record(int index, Outcome<Prepared> outcome, List<Outcome<Registered>> outcomes, Map<Integer, Prepared> prepared) {
        if (outcome.failure() != null) {
            outcomes.set(index, Outcome.failed(outcome.failure()));
        } else {
            prepared.put(index, outcome.result());
        }
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
        List<JsonObject> events = prepared.stream().map(Prepared::draft).map(d -> GenealogyOutbox.registered(d.number(), d.memberCode(),
                d.sponsor() == null ? null : d.sponsor().id(), d.sponsor() == null ? null : d.sponsor().memberCode(), now, period)).toList();
        return outbox.publish(conn, Collections.nCopies(events.size(), GenealogyEvents.REGISTERED), events)
                .chain(() -> placement.placeAll(conn, plan, prepared.stream().map(p -> p.draft().placement()).toList()))
                .map(placed -> {
                    List<Outcome<Registered>> outcomes = new ArrayList<>(placed.size());
                    for (int k = 0; k < placed.size(); k++) {
                        Draft d = prepared.get(k).draft();
                        ActivationCodes.Issued activation = prepared.get(k).activation();
                        outcomes.add(placed.get(k).failure() != null ? Outcome.failed(placed.get(k).failure())
                                : Outcome.of(new Registered(new RegistrationView(d.memberCode(), d.referralCode(),
                                        d.sponsor() == null ? null : d.sponsor().memberCode(), placed.get(k).result(),
                                        d.placementDue() == null ? null : d.placementDue().toInstant(), d.username(), activation.sent(),
                                        activation.expiresAt()), activation.code())));
                    }
                    return outcomes;
                });
    }

    /** The first phase of one registration: its refusal fails the Uni. */
    private Uni<Prepared> prepareOne(SqlConnection conn, Plan plan, Registration registration) {
        return prepareAll(conn, plan, List.of(registration)).map(outcomes -> outcomes.get(0).orThrow());
    }

    /**
     * The first phase of many registrations: the sponsors they name are found in one statement, then each is checked
     * alone (reads only, so a refusal there is its own outcome and writes nothing), then the accepted ones' accounts,
     * activation codes with their messages, and members are written together, one statement per table. A refusal by
     * the database fails the whole Uni.
     */
    private Uni<List<Outcome<Prepared>>> prepareAll(SqlConnection conn, Plan plan, List<Registration> registrations) {
        String[] codes = registrations.stream().map(r -> r.request().sponsor()).filter(Objects::nonNull).map(RegistrationService::sponsorCode)
                .distinct().toArray(String[]::new);
        Uni<Map<String, Sponsor>> named = codes.length == 0 ? Uni.createFrom().item(Map.of()) : repository.sponsors(conn, codes);
        return named.chain(sponsors -> prepareAll(conn, plan, registrations, sponsors));
    }

    private Uni<List<Outcome<Prepared>>> prepareAll(SqlConnection conn, Plan plan, List<Registration> registrations, Map<String, Sponsor> named) {
        return Transactions.each(registrations, registration -> Uni.createFrom()
                .deferred(() -> sponsorOf(conn, registration.request(), registration.caller(), named))
                .invoke(sponsor -> check(plan, registration))
                .map(Outcome::of)
                .onFailure(failure -> !Transactions.isTransient(failure)).recoverWithItem(Outcome::<Sponsor>failed))
                .chain(sponsors -> {
                    List<Integer> accepted = new ArrayList<>();
                    for (int i = 0; i < sponsors.size(); i++) {
                        if (sponsors.get(i).failure() == null) {
                            accepted.add(i);
                        }
                    }
                    List<Outcome<Prepared>> outcomes = new ArrayList<>(Collections.nCopies(registrations.size(), null));
                    for (int i = 0; i < sponsors.size(); i++) {
                        if (sponsors.get(i).failure() != null) {
                            outcomes.set(i, Outcome.failed(sponsors.get(i).failure()));
                        }
                    }
                    if (accepted.isEmpty()) {
                        return Uni.createFrom().item(outcomes);
                    }
                    return repository.nextMemberNumbers(conn, accepted.size()).chain(numbers -> {
                        List<Draft> drafts = new ArrayList<>(accepted.size());
                        for (int k = 0; k < accepted.size(); k++) {
                            int i = accepted.get(k);
                            drafts.add(draft(plan, registrations.get(i), sponsors.get(i).result(), numbers.get(k)));
                        }
                        return write(conn, drafts).map(prepared -> {
                            for (int k = 0; k < accepted.size(); k++) {
                                outcomes.set(accepted.get(k), Outcome.of(prepared.get(k)));
                            }
                            return outcomes;
                        });
                    });
                });
    }

    /** The drafts' accounts, activation codes (and their messages) and members, one statement per table. */
    private Uni<List<Prepared>> write(SqlConnection conn, List<Draft> drafts) {
        return accounts.openAll(conn, drafts.stream().map(Draft::userId).toArray(UUID[]::new), drafts.stream().map(Draft::username).toArray(String[]::new),
                        drafts.stream().map(d -> d.registration().request().details().fullName()).toArray(String[]::new),
                        drafts.stream().map(d -> d.registration().request().email()).toArray(String[]::new))
                .chain(() -> activationCodes.issueAll(conn, drafts.stream().map(d -> new ActivationCodes.Recipient(d.userId(), d.username(),
                        d.registration().request().details().fullName(), d.registration().request().email())).toList()))
                .call(() -> repository.insertDistributors(conn, drafts.stream().map(d -> new NewMember(d.number(), d.userId(), d.memberCode(),
                        d.referralCode(), d.sponsor() == null ? null : d.sponsor().id(), d.registration().request().details(), d.placementDue(),
                        d.registration().registrationKey())).toList()))
                .map(issued -> {
                    List<Prepared> prepared = new ArrayList<>(drafts.size());
                    for (int k = 0; k < drafts.size(); k++) {
                        prepared.add(new Prepared(drafts.get(k), issued.get(k)));
                    }
                    return prepared;
                });
    }

    private static String sponsorCode(String named) {
        return named.trim().toUpperCase(Locale.ROOT);
    }

    /** @param named the sponsors the batch's registrations name, by their code as named (a code absent: no such sponsor) */
    private Uni<Sponsor> sponsorOf(SqlClient conn, RegistrationRequest request, Caller caller, Map<String, Sponsor> named) {
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
            Sponsor sponsor = named.get(sponsorCode(request.sponsor()));
            if (sponsor == null) {
                throw ProblemException.invalidField("sponsor", "no distributor has this member or referral code");
            }
            if (!caller.admin() && own != null && own.id() != sponsor.id()) {
                throw new ProblemException(ProblemType.FORBIDDEN, "A distributor registers only recruits they sponsor themselves.");
            }
            if (request.placement() != null && !caller.admin() && (own == null || own.id() != sponsor.id())) {
                throw onlySponsorPlaces();
            }
            return Uni.createFrom().item(sponsor);
        });
    }

    /** Support and finance register on a member's behalf but leave the placement to the plan, the sponsor or an admin. */
    private static ProblemException onlySponsorPlaces() {
        return ProblemException.invalidField("placement", "only the sponsor or an admin may choose a placement");
    }

    /** What a registration may ask for, before anything of it is written. */
    private static void check(Plan plan, Registration registration) {
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
            PlacementService.checkChoice(request.placement());
        }
    }

    private static Draft draft(Plan plan, Registration registration, Sponsor sponsor, long number) {
        RegistrationRequest request = registration.request();
        Long sponsorId = sponsor == null ? null : sponsor.id();
        boolean hold = sponsorId != null && plan.holdingTankDays() > 0 && request.placement() == null;
        OffsetDateTime placementDue = hold ? OffsetDateTime.now(ZoneOffset.UTC).plusDays(plan.holdingTankDays()) : null;
        return new Draft(registration, sponsor, number, UUID.randomUUID(), MemberCodes.memberCode(plan.memberCodePrefix(), number),
                RandomCodes.typeable(8), placementDue, PlacementService.order(plan, number, sponsorId, !hold, request.placement()));
    }
}
