package io.downline.genealogy.app;
import io.downline.genealogy.api.NetworkPlans.PlanVersion;

import io.downline.genealogy.api.NetworkPlans;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.genealogy.api.Plan;

/** Reads and publishes plan versions. The placement structure is fixed once the network has members. */
@ApplicationScoped
public class PlanService implements NetworkPlans {

    private final Pool pool;
    private final ObjectMapper mapper;
    private final AuditTrail audit;

    public PlanService(Pool pool, ObjectMapper mapper, AuditTrail audit) {
        this.pool = pool;
        this.mapper = mapper;
        this.audit = audit;
    }

    @Override
    public Uni<PlanVersion> current() {
        return current(pool);
    }

    /** The plan in effect, read through the given client so a transaction sees its own snapshot. */
    Uni<PlanVersion> current(SqlClient client) {
        return client.query("select * from genealogy.comp_plan where effective_from <= now() order by version desc limit 1").execute()
                .map(rows -> toVersion(rows.iterator().next()));
    }

    /** Plan versions, newest first. */
    public Uni<Page<PlanVersion>> versions(PageRequest page) {
        Long before = page.afterNumber();
        return pool.preparedQuery("select * from genealogy.comp_plan where version < $1::bigint order by version desc limit $2")
                .execute(Tuple.of(before == null ? Long.MAX_VALUE : before, page.limit + 1))
                .map(rows -> {
                    List<PlanVersion> versions = new java.util.ArrayList<>();
                    rows.forEach(row -> versions.add(toVersion(row)));
                    return page.page(versions, version -> List.of(Integer.toString(version.version())));
                });
    }

    public Uni<PlanVersion> publish(Plan plan, String reason, String actor) {
        if (plan.structure() == Plan.Structure.MATRIX && (plan.matrixWidth() == null || plan.matrixDepth() == null)) {
            throw ProblemException.invalidField("matrixWidth", "a forced matrix needs matrixWidth and matrixDepth");
        }
        if (plan.defaultPlacement() == Plan.Placement.EXPLICIT) {
            throw ProblemException.invalidField("defaultPlacement", "must be a rule the service can apply on its own, not EXPLICIT");
        }
        if (plan.structure() != Plan.Structure.MATRIX && (plan.matrixWidth() != null || plan.matrixDepth() != null)) {
            throw ProblemException.invalidField("matrixWidth", "only a forced matrix has a width and depth");
        }
        return pool.withTransaction(conn -> conn.query("lock table genealogy.comp_plan in exclusive mode").execute()
                .chain(() -> current(conn))
                .chain(previous -> conn.query("select exists (select 1 from genealogy.tree_node where tree = 2) as placed").execute()
                        .map(rows -> rows.iterator().next().getBoolean("placed"))
                        .invoke(placed -> {
                            if (placed && !sameShape(previous.plan(), plan)) {
                                throw new ProblemException(ProblemType.CONFLICT,
                                        "The placement structure cannot change once distributors are placed.");
                            }
                        })
                        .chain(() -> conn.preparedQuery("""
                                insert into genealogy.comp_plan (version, config, created_by, reason) values ($1, $2, $3, $4) returning *""")
                                .execute(Tuple.of(previous.version() + 1, JsonObject.mapFrom(plan), actor, reason)))
                        .map(rows -> toVersion(rows.iterator().next()))
                        .call(published -> audit.record(conn, AuditEvent.of(actor, "PLAN_PUBLISHED", AuditSubjects.PLAN, published.version(),
                                previous, published, reason)))));
    }

    private static boolean sameShape(Plan a, Plan b) {
        return a.structure() == b.structure() && java.util.Objects.equals(a.width(), b.width())
                && java.util.Objects.equals(a.matrixDepth(), b.matrixDepth());
    }

    private PlanVersion toVersion(Row row) {
        Plan plan = mapper.convertValue(row.getJsonObject("config").getMap(), Plan.class);
        return new PlanVersion(row.getInteger("version"), row.getOffsetDateTime("effective_from").toInstant(), plan,
                row.getString("created_by"), row.getString("reason"));
    }
}
