package io.downline.genealogy.app;

import io.downline.genealogy.app.PlanService;

import io.downline.identity.api.Caller;

import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.common.problem.ProblemException;
import io.downline.genealogy.api.GenealogyModels.PlacementView;
import io.downline.genealogy.api.GenealogyModels.Side;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.GenealogyRepository;

/** Admin corrections of the placement tree, each recorded in the genealogy audit with its reason. */
@ApplicationScoped
public class NetworkCorrections {

    @Schema(name = "Move", description = "Where a member moves, with their whole downline, and why")
    public record MoveRequest(
            @NotBlank @Size(max = 20) @Schema(description = "Member code of the new parent", example = "DL00000034") String parent,
            @Schema(description = "Side under the new parent, in a binary plan", example = "RIGHT") Side side,
            @Min(0) @Schema(description = "Position under the new parent, in a matrix (unilevel: after the last child when absent)", example = "2")
            Integer position,
            @NotBlank @Size(max = 500) @Schema(example = "Placed under the wrong upline at enrolment, ticket 4411") String reason) {
    }

    private final GenealogyRepository repository;
    private final PlanService plans;
    private final AuditTrail audit;

    public NetworkCorrections(GenealogyRepository repository, PlanService plans, AuditTrail audit) {
        this.repository = repository;
        this.plans = plans;
        this.audit = audit;
    }

    public Uni<PlacementView> move(String memberCode, MoveRequest move, Caller caller) {
        return repository.pool().withTransaction(conn -> plans.current(conn).chain(version -> {
            Plan plan = version.plan();
            Integer position = plan.structure() == Plan.Structure.BINARY
                    ? (move.side() == null ? null : move.side() == Side.LEFT ? 0 : 1)
                    : move.position();
            if (plan.structure() == Plan.Structure.BINARY && position == null) {
                throw ProblemException.invalidField("side", "a binary move names the side under the new parent");
            }
            return repository.lockTree(conn, Tree.PLACEMENT)
                    .chain(() -> repository.nodeByCode(conn, Tree.PLACEMENT, memberCode.toUpperCase(Locale.ROOT)))
                    .chain(node -> repository.nodeByCode(conn, Tree.PLACEMENT, move.parent().toUpperCase(Locale.ROOT)).chain(parent -> {
                        if (node == null) {
                            return Uni.createFrom().failure(GenealogyService.notFound());
                        }
                        if (parent == null) {
                            return Uni.createFrom().failure(ProblemException.invalidField("parent", "no placed member has this code"));
                        }
                        return repository.nodeById(conn, Tree.PLACEMENT, node.parentId()).chain(oldParent -> conn
                                .preparedQuery("select genealogy.tree_move(2::smallint, $1, $2, $3, $4) as position")
                                .execute(Tuple.tuple().addLong(node.id()).addLong(parent.id()).addInteger(position).addInteger(plan.width()))
                                .map(rows -> rows.iterator().next().getInteger("position"))
                                .onFailure(PgException.class).transform(NetworkCorrections::explain)
                                .call(newPosition -> repository.audit(conn, "moved", node.id(), JsonObject.of(
                                        "fromParent", oldParent.memberCode(), "fromPosition", node.position(),
                                        "toParent", parent.memberCode(), "toPosition", newPosition), move.reason(), caller.name())
                                        .call(() -> audit.record(conn, AuditEvent.of(caller.name(), "MEMBER_MOVED", AuditSubjects.DISTRIBUTOR,
                                                node.memberCode(), Map.of("parent", oldParent.memberCode(), "position", node.position()),
                                                Map.of("parent", parent.memberCode(), "position", newPosition), move.reason()))))
                                .map(newPosition -> new PlacementView(parent.memberCode(), newPosition,
                                        plan.structure() == Plan.Structure.BINARY ? (newPosition == 0 ? Side.LEFT : Side.RIGHT) : null,
                                        parent.depth() + 1)));
                    }));
        }));
    }

    /** The function's own refusals are the caller's mistakes; anything else stays a server fault. */
    private static Throwable explain(Throwable failure) {
        PgException pg = (PgException) failure;
        return "22023".equals(pg.getSqlState()) ? ProblemException.invalidField("parent", pg.getErrorMessage()) : failure;
    }
}
