package io.downline.commission.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.commission.api.CommissionModels.PlanVersionView;
import io.downline.commission.engine.CompPlan;
import io.downline.commission.engine.PlanValidator;
import io.downline.commission.engine.PlanViolation;
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
import io.downline.genealogy.api.NetworkPlans;
import io.downline.tds.api.CommissionCredits;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;

/** Compensation plan versions: upload (JSON or YAML, validated), list, read, and the parsed plan of a version. */
@ApplicationScoped
public class CommissionPlans {

    /** A stored version with its parsed plan; versions never change, so they are cached by number. */
    public record LoadedPlan(int version, Instant effectiveFrom, JsonObject document, CompPlan plan) {
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
    private final NetworkPlans genealogyPlan;
    private final CommissionCredits credits;
    private final AuditTrail audit;
    private final Map<Integer, LoadedPlan> loaded = new ConcurrentHashMap<>();

    public CommissionPlans(Pool pool, PlanStore plans, PeriodStore periods, ObjectMapper json, NetworkPlans genealogyPlan,
            CommissionCredits credits, AuditTrail audit) {
        this.pool = pool;
        this.audit = audit;
        this.plans = plans;
        this.periods = periods;
        this.json = json;
        this.genealogyPlan = genealogyPlan;
        this.credits = credits;
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
     * a period keeps the version it started with. The version label inside the document is the stored version number.
     */
    public Uni<StoredPlan> upload(JsonNode document, Format format, Instant effectiveFrom, String note, String actor) {
        CompPlan plan = validate(document);
        return genealogyPlan.current().chain(structure -> Transactions.retrying(() -> pool.withTransaction(conn -> credits.currency(conn)
                .chain(currency -> {
                    List<Problem.FieldError> mismatches = new ArrayList<>();
                    if (!currency.equals(plan.currency())) {
                        mismatches.add(new Problem.FieldError("currency", "must be " + currency + ", the currency the wallets are kept in"));
                    }
                    if (!structure.plan().periodType().name().equals(plan.periodKind().name())) {
                        mismatches.add(new Problem.FieldError("periodKind", "must be " + structure.plan().periodType()
                                + ", the period type of the network's plan, which decides the volume periods"));
                    }
                    if (!mismatches.isEmpty()) {
                        throw new ProblemException(ProblemMappers.validationProblem(mismatches), null);
                    }
                    return periods.latestStart(conn);
                })
                .chain(latest -> {
                    if (latest != null && !effectiveFrom.isAfter(latest)) {
                        throw new ProblemException(ProblemType.CONFLICT, "The period starting " + latest + " already runs under an earlier "
                                + "version; a new version may take effect only after that.");
                    }
                    return plans.insert(conn, effectiveFrom, new JsonObject(json.convertValue(document, Map.class)), format.name(), note, actor);
                })
                .call(stored -> audit.record(conn, AuditEvent.of(actor, "COMMISSION_PLAN_PUBLISHED", AuditSubjects.PLAN,
                        "commission:" + stored.version(), null, view(stored), note)))), CommissionPlans::isVersionRace));
    }

    private static boolean isVersionRace(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    /**
     * Reads the document as the engine's plan model and checks it with the engine's validator: every violation is a
     * field error naming the rule it breaks.
     */
    CompPlan validate(JsonNode document) {
        ObjectNode labelled = document.deepCopy();
        if (!labelled.hasNonNull("version")) {
            labelled.put("version", "draft");
        }
        CompPlan plan;
        try {
            plan = json.treeToValue(labelled, CompPlan.class);
        } catch (JsonMappingException e) {
            throw ProblemException.invalidField(path(e), "is not what the plan model expects here: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The plan document does not match the plan model.");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (PlanViolation violation : PlanValidator.validate(plan)) {
            errors.add(new Problem.FieldError(violation.field(), violation.rule().name() + " (" + violation.rule().description() + "): "
                    + violation.message()));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemMappers.validationProblem(errors), null);
        }
        return plan;
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
        try {
            return new LoadedPlan(stored.version(), stored.effectiveFrom(), stored.document(),
                    json.treeToValue(json.valueToTree(stored.document().getMap()), CompPlan.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored plan version " + stored.version() + " no longer reads as a plan", e);
        }
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
