package io.downline.commission.app;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.downline.commission.api.CommissionModels.PlanVersionView;
import io.downline.commission.store.PeriodStore;
import io.downline.commission.store.PlanStore;
import io.downline.commission.store.PlanStore.StoredPlan;
import io.downline.common.db.Transactions;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.Problem;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemMappers;
import io.downline.common.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;

/** Compensation plan versions: upload (JSON or YAML, validated), list, read, and the parsed plan of a version. */
@ApplicationScoped
public class CommissionPlans {

    /** A stored version with its parsed plan; versions never change, so they are cached by number. */
    public record LoadedPlan(int version, Instant effectiveFrom, JsonObject document, PlanRules.InstantPlan instant) {
    }

    /** What an upload carries besides the document. */
    public enum Format {
        JSON, YAML
    }

    private static final YAMLMapper YAML = new YAMLMapper();

    private final Pool pool;
    private final PlanStore plans;
    private final PeriodStore periods;
    private final ObjectMapper json;
    private final Map<Integer, LoadedPlan> loaded = new ConcurrentHashMap<>();

    public CommissionPlans(Pool pool, PlanStore plans, PeriodStore periods, ObjectMapper json) {
        this.pool = pool;
        this.plans = plans;
        this.periods = periods;
        this.json = json;
    }

    /** Parses the uploaded text into a document tree; malformed text is a 400 naming the line. */
    public JsonNode read(String body, Format format) {
        if (body == null || body.isBlank()) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The plan document is empty.");
        }
        try {
            JsonNode tree = (format == Format.YAML ? YAML : json).readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The plan document must be an object.");
            }
            return tree;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The plan document is not well-formed " + format + where + ".");
        }
    }

    /**
     * Validates and stores a new version. It may take effect only after the start of every period that exists already:
     * a period keeps the version it started with.
     */
    public Uni<StoredPlan> upload(JsonNode document, Format format, Instant effectiveFrom, String note, String actor) {
        JsonObject validated = validate(document);
        return Transactions.retrying(() -> pool.withTransaction(conn -> periods.latestStart(conn).chain(latest -> {
            if (latest != null && !effectiveFrom.isAfter(latest)) {
                throw new ProblemException(ProblemType.CONFLICT, "Period starting " + latest + " already runs under an earlier version; "
                        + "a new version may take effect only after " + latest + ".");
            }
            return plans.insert(conn, effectiveFrom, validated, format.name(), note, actor);
        })), failure -> failure instanceof PgException pg && "23505".equals(pg.getSqlState()));
    }

    /** The document as the engine's plan model reads it, checked by the engine's validator; violations name the rule. */
    JsonObject validate(JsonNode document) {
        List<Problem.FieldError> violations = PlanRules.violations(document);
        if (!violations.isEmpty()) {
            throw new ProblemException(ProblemMappers.validationProblem(violations), null);
        }
        return new JsonObject(json.convertValue(document, Map.class));
    }

    public Uni<PlanVersionView> get(int version) {
        return plans.get(pool, version).map(plan -> {
            if (plan == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No plan version " + version + ".");
            }
            return view(plan);
        });
    }

    public Uni<Page<PlanVersionView>> list(PageRequest page) {
        return plans.list(pool, page.afterNumber(), page.limit + 1)
                .map(found -> page.page(found.stream().map(CommissionPlans::view).toList(), v -> List.of(Integer.toString(v.version()))));
    }

    public Uni<LoadedPlan> load(SqlClient conn, int version) {
        LoadedPlan cached = loaded.get(version);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return plans.get(conn, version).map(stored -> loaded.computeIfAbsent(version, v -> parse(stored)));
    }

    private LoadedPlan parse(StoredPlan stored) {
        return new LoadedPlan(stored.version(), stored.effectiveFrom(), stored.document(),
                PlanRules.instant(json.valueToTree(stored.document().getMap())));
    }

    public static PlanVersionView view(StoredPlan plan) {
        return new PlanVersionView(plan.version(), plan.effectiveFrom(), plan.document().getMap(), plan.sourceFormat(), plan.note(),
                plan.createdBy(), plan.createdAt());
    }

    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
