package io.downline.genealogy.app;


import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.GenealogyModels.PlacementChoice;
import io.downline.genealogy.api.GenealogyModels.PlacementView;
import io.downline.genealogy.api.GenealogyModels.Side;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.GenealogyRepository;
import io.downline.genealogy.store.TreeNode;

/**
 * Chooses a recruit's slot in the placement tree and inserts it. Runs inside the caller's transaction and takes the
 * placement tree's lock first, so concurrent placements see each other's results and land in a deterministic order.
 */
@ApplicationScoped
public class PlacementService {

    private final GenealogyRepository repository;

    public PlacementService(GenealogyRepository repository) {
        this.repository = repository;
    }

    record Slot(long parent, Integer position) {
    }

    Uni<PlacementView> place(SqlClient conn, Plan plan, long recruit, Long sponsorId, PlacementChoice choice) {
        if (sponsorId == null) {
            return repository.lockTree(conn, Tree.PLACEMENT)
                    .chain(() -> repository.insertNode(conn, Tree.PLACEMENT, recruit, null, null, plan.width()))
                    .replaceWith(new PlacementView(null, null, null, 0));
        }
        return repository.lockTree(conn, Tree.PLACEMENT)
                .chain(() -> repository.nodeById(conn, Tree.PLACEMENT, sponsorId))
                .chain(sponsor -> {
                    if (sponsor == null) {
                        throw new ProblemException(ProblemType.CONFLICT,
                                "The sponsor is not placed yet (still in the holding tank); place the sponsor first.");
                    }
                    return slot(conn, plan, sponsor, choice);
                })
                .chain(slot -> repository.insertNode(conn, Tree.PLACEMENT, recruit, slot.parent(), slot.position(), plan.width())
                        .chain(position -> repository.nodeById(conn, Tree.PLACEMENT, slot.parent())
                                .map(parent -> new PlacementView(parent.memberCode(), position,
                                        plan.structure() == Plan.Structure.BINARY ? (position == 0 ? Side.LEFT : Side.RIGHT) : null,
                                        parent.depth() + 1))));
    }

    private Uni<Slot> slot(SqlClient conn, Plan plan, TreeNode sponsor, PlacementChoice choice) {
        switch (plan.structure()) {
            case UNILEVEL:
                return Uni.createFrom().item(new Slot(sponsor.id(), null));
            case MATRIX:
                return repository.firstOpen(conn, sponsor, sponsor.depth() + plan.matrixDepth() - 1).map(open -> {
                    if (open == null) {
                        throw new ProblemException(ProblemType.CONFLICT, "The sponsor's " + plan.matrixWidth() + "x" + plan.matrixDepth()
                                + " matrix is full.");
                    }
                    return new Slot(open.node(), open.position());
                });
            default:
                return binarySlot(conn, plan, sponsor, choice == null ? plan.defaultPlacement() : choice.mode(), choice);
        }
    }

    private Uni<Slot> binarySlot(SqlClient conn, Plan plan, TreeNode sponsor, Plan.Placement mode, PlacementChoice choice) {
        return switch (mode) {
            case EXTREME_LEFT -> repository.extremeLeft(conn, sponsor).map(parent -> new Slot(parent, 0));
            case EXTREME_RIGHT -> repository.extremeRight(conn, sponsor).map(parent -> new Slot(parent, 1));
            case BALANCED -> repository.firstOpen(conn, sponsor, Integer.MAX_VALUE - 1).map(open -> new Slot(open.node(), open.position()));
            case WEAKER_LEG -> weakerLeg(conn, plan, sponsor);
            case EXPLICIT -> explicit(conn, sponsor, choice);
        };
    }

    /** The leg with less volume (or fewer members), then its outer line: left leg extreme-left, right leg extreme-right. */
    private Uni<Slot> weakerLeg(SqlClient conn, Plan plan, TreeNode sponsor) {
        return repository.childAt(conn, Tree.PLACEMENT, sponsor.id(), 0).chain(left -> repository.childAt(conn, Tree.PLACEMENT, sponsor.id(), 1)
                .chain(right -> {
                    if (left == null) {
                        return Uni.createFrom().item(new Slot(sponsor.id(), 0));
                    }
                    if (right == null) {
                        return Uni.createFrom().item(new Slot(sponsor.id(), 1));
                    }
                    Uni<Boolean> leftWeaker = plan.weakerLegMeasure() == Plan.LegMeasure.MEMBER_COUNT
                            ? repository.subtreeSize(conn, Tree.PLACEMENT, left).chain(l -> repository.subtreeSize(conn, Tree.PLACEMENT, right)
                                    .map(r -> l <= r))
                            : repository.subtreeVolume(conn, Tree.PLACEMENT, left, plan.currentPeriod())
                                    .chain(l -> repository.subtreeVolume(conn, Tree.PLACEMENT, right, plan.currentPeriod())
                                            .map(r -> l.compareTo(r) <= 0));
                    return leftWeaker.chain(weakerIsLeft -> weakerIsLeft
                            ? repository.extremeLeft(conn, left).map(parent -> new Slot(parent, 0))
                            : repository.extremeRight(conn, right).map(parent -> new Slot(parent, 1)));
                }));
    }

    private Uni<Slot> explicit(SqlClient conn, TreeNode sponsor, PlacementChoice choice) {
        if (choice == null || choice.parent() == null || choice.side() == null) {
            throw ProblemException.invalidField("placement.parent", "an EXPLICIT placement names a parent and a side");
        }
        return repository.nodeByCode(conn, Tree.PLACEMENT, choice.parent()).map(parent -> {
            if (parent == null || !sponsor.contains(parent)) {
                throw ProblemException.invalidField("placement.parent", "must be a placed member of the sponsor's placement downline");
            }
            int position = choice.side() == Side.LEFT ? 0 : 1;
            if ((parent.freeMask() & (1 << position)) == 0) {
                throw new ProblemException(ProblemType.CONFLICT, "The " + choice.side() + " position under " + choice.parent() + " is taken.");
            }
            return new Slot(parent.id(), position);
        });
    }
}
