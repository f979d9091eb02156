package io.downline.genealogy.app;

import io.downline.genealogy.app.PlanService;

import io.downline.identity.api.Caller;

import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.GenealogyModels.PlacementChoice;
import io.downline.genealogy.api.GenealogyModels.PlacementView;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.GenealogyRepository;

/**
 * Recruits the plan keeps unplaced for a while: their sponsor (or an admin) places them by hand; when the wait ends the
 * plan's default placement places them.
 */
@ApplicationScoped
public class HoldingTank {

    private static final Logger LOG = Logger.getLogger(HoldingTank.class);

    private final GenealogyRepository repository;
    private final PlanService plans;
    private final PlacementService placement;
    private final AuditTrail audit;

    public HoldingTank(GenealogyRepository repository, PlanService plans, PlacementService placement, AuditTrail audit) {
        this.repository = repository;
        this.plans = plans;
        this.placement = placement;
        this.audit = audit;
    }

    public Uni<PlacementView> place(String memberCode, PlacementChoice choice, Caller caller) {
        return repository.pool().withTransaction(conn -> plans.current(conn).chain(version -> repository
                .tanked(conn, memberCode.toUpperCase(Locale.ROOT))
                .chain(member -> {
                    if (member == null) {
                        return Uni.createFrom().failure(GenealogyService.notFound());
                    }
                    Uni<Boolean> allowed = caller.admin() ? Uni.createFrom().item(true)
                            : caller.userId() == null ? Uni.createFrom().item(false)
                                    : repository.nodeOfUser(conn, Tree.SPONSOR, caller.userId())
                                            .map(own -> own != null && member.sponsorId() != null && own.id() == member.sponsorId());
                    return allowed.chain(ok -> {
                        if (!ok) {
                            return Uni.createFrom().failure(GenealogyService.notFound());
                        }
                        if (member.placementDue() == null) {
                            return Uni.createFrom().failure(new ProblemException(ProblemType.CONFLICT, memberCode + " is already placed."));
                        }
                        if (choice != null && version.plan().structure() != Plan.Structure.BINARY) {
                            return Uni.createFrom().failure(ProblemException.invalidField("mode", "a placement choice applies to binary plans only"));
                        }
                        // the member's row before the tree's lock, the order a full relabel takes them in
                        return repository.clearPlacementDue(conn, member.id())
                                .chain(() -> placement.place(conn, version.plan(), member.id(), member.sponsorId(), choice))
                                .call(placed -> repository.audit(conn, "placed-from-holding-tank", member.id(),
                                        JsonObject.of("parent", placed.parent(), "position", placed.position()),
                                        choice == null ? "default placement" : "placed by hand: " + choice.mode(), caller.name()))
                                // an admin placing someone else's recruit is a staff action; the sponsor's own choice and the timer are not
                                .call(placed -> !caller.admin() || caller.userId() == null ? Uni.createFrom().voidItem()
                                        : audit.record(conn, AuditEvent.of(caller.name(), "MEMBER_PLACED_FROM_HOLDING_TANK", AuditSubjects.DISTRIBUTOR,
                                                memberCode.toUpperCase(Locale.ROOT), null, Map.of("parent", placed.parent(), "position", placed.position()),
                                                choice == null ? "default placement" : "placed by hand: " + choice.mode())));
                    });
                })));
    }

    /** Places, one transaction each, the recruits whose wait has ended, with the plan's default placement. */
    @Scheduled(every = "1m", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> placeDue() {
        Caller system = Caller.system("holding-tank");
        return repository.duePlacements(500).onItem().transformToMulti(codes -> Multi.createFrom().iterable(codes))
                .onItem().transformToUniAndConcatenate(code -> place(code, null, system)
                        .onFailure().invoke(e -> LOG.warnf("Could not auto-place %s from the holding tank: %s", code, e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }
}
