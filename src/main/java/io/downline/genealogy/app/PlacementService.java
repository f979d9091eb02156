package io.downline.genealogy.app;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.db.GroupCommit.Outcome;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.GenealogyModels.PlacementChoice;
import io.downline.genealogy.api.GenealogyModels.PlacementView;
import io.downline.genealogy.api.GenealogyModels.Side;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.store.GenealogyRepository;
import io.downline.genealogy.store.GenealogyRepository.Placed;
import io.downline.genealogy.store.GenealogyRepository.PlacementOrder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;

/**
 * Places recruits in the placement tree by the plan's rules, which live in genealogy.place_member (R__genealogy_group_commit.sql):
 * one member from the holding tank, or a whole batch of registrations with their sponsor-tree edges in one call. Runs in
 * the caller's transaction and takes the trees' locks there, so concurrent placements see each other's results and land
 * in a deterministic order.
 */
@ApplicationScoped
public class PlacementService {

    private final GenealogyRepository repository;

    public PlacementService(GenealogyRepository repository) {
        this.repository = repository;
    }

    /** Places a member who waits in the holding tank (their sponsor-tree edge exists already). */
    Uni<PlacementView> place(SqlClient conn, Plan plan, long recruit, Long sponsorId, PlacementChoice choice) {
        return Uni.createFrom().deferred(() -> repository.placeMember(conn, plan, order(plan, recruit, sponsorId, true, choice)))
                .map(placed -> view(plan, placed))
                .onFailure(PgException.class).transform(failure -> refusal((PgException) failure));
    }

    /**
     * The serial part of a batch of registrations: each member's sponsor-tree edge and, unless {@code place} is false for
     * it, its placement, under both trees' locks in one round trip. One outcome per order: a refused registration's tree
     * writes are rolled back alone.
     */
    Uni<List<Outcome<PlacementView>>> placeAll(SqlClient conn, Plan plan, List<PlacementOrder> orders) {
        return repository.registerPlacements(conn, plan, orders).map(rows -> {
            List<Outcome<PlacementView>> outcomes = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Placed placed = rows.get(i);
                outcomes.add(placed.errorState() != null
                        ? Outcome.failed(refusal(new PgException(placed.errorMessage(), "ERROR", placed.errorState(), null)))
                        // a recruit left in the holding tank has no placement yet
                        : Outcome.of(orders.get(i).place() ? view(plan, placed) : null));
            }
            return outcomes;
        });
    }

    /** An EXPLICIT choice names its parent and side: checked before anything is written. */
    static void checkChoice(PlacementChoice choice) {
        if (choice != null && choice.mode() == Plan.Placement.EXPLICIT && (choice.parent() == null || choice.side() == null)) {
            throw ProblemException.invalidField("placement.parent", "an EXPLICIT placement names a parent and a side");
        }
    }

    /** A placement as the database takes it. */
    static PlacementOrder order(Plan plan, long recruit, Long sponsorId, boolean place, PlacementChoice choice) {
        checkChoice(choice);
        String mode = plan.structure() != Plan.Structure.BINARY ? null : (choice == null ? plan.defaultPlacement() : choice.mode()).name();
        boolean explicit = choice != null && choice.mode() == Plan.Placement.EXPLICIT;
        return new PlacementOrder(recruit, sponsorId, place, mode, explicit ? choice.parent() : null,
                explicit ? (choice.side() == Side.LEFT ? 0 : 1) : null);
    }

    private static PlacementView view(Plan plan, Placed placed) {
        Side side = plan.structure() == Plan.Structure.BINARY && placed.position() != null ? (placed.position() == 0 ? Side.LEFT : Side.RIGHT)
                : null;
        return new PlacementView(placed.parentCode(), placed.position(), side, placed.depth());
    }

    /** genealogy's own refusals (SQLSTATEs of place_member) as problems; anything else stays a database failure. */
    private static RuntimeException refusal(PgException failure) {
        return switch (failure.getSqlState()) {
            case "DLSNP", "DLMXF", "DLTKN" -> new ProblemException(ProblemType.CONFLICT, failure.getErrorMessage());
            case "DLPAR" -> ProblemException.invalidField("placement.parent", failure.getErrorMessage());
            default -> failure;
        };
    }
}
