package io.downline.genealogy.app;

import io.downline.identity.api.DistributorAccounts;

import io.downline.genealogy.app.PlanService;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.downline.common.RandomCodes;
import io.downline.common.TimeOrderedUuids;
import io.downline.common.db.Outbox;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.GenealogyEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.BulkLoads;
import io.downline.genealogy.store.GenealogyRepository;

/**
 * Migrates a company's existing network into an empty one: every line validated first (one root, sponsors and parents
 * present, no cycles, no position filled twice), then everything written in one transaction, or nothing. A job row
 * reports the progress.
 */
@ApplicationScoped
public class NetworkImport {

    private final DistributorAccounts accounts;
    private static final Logger LOG = Logger.getLogger(NetworkImport.class);
    static final int MAX_REPORTED_ERRORS = 100;
    private static final Pattern MEMBER_CODE = Pattern.compile("[A-Z0-9][A-Z0-9._-]{2,19}");
    private static final Pattern POSITION = Pattern.compile("\\d{1,6}");

    @Schema(name = "ImportFormat", description = "CSV with a header line, or one JSON object per line")
    public enum Format {
        CSV, JSONL
    }

    @Schema(name = "ImportLineError", description = "Why one line of an import was refused")
    public record LineError(@Schema(required = true, example = "17") int line, @Schema(required = true, example = "parent DL0000099 is not in the file") String message) {
    }

    @Schema(name = "ImportStatus", description = "VALIDATING, then IMPORTING, then COMPLETED; FAILED when the file has errors or writing failed")
    public enum Status {
        VALIDATING, IMPORTING, COMPLETED, FAILED
    }

    @Schema(name = "ImportJob", description = "A bulk import and how far it got")
    public record ImportView(
            @Schema(required = true, example = "5b1f0c7e-9a43-4d2b-8f8e-1c2d3e4f5a6b") UUID id,
            @Schema(required = true, example = "IMPORTING") Status status,
            @Schema(required = true, example = "CSV") Format format,
            @Schema(required = true, description = "Members in the file", example = "1000000") int total,
            @Schema(required = true, description = "Members written so far", example = "250000") int processed,
            @Schema(required = true, description = "The first problems found; nothing is imported when there are any") List<LineError> errors,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant createdAt,
            @Schema(example = "2026-11-21T09:30:42Z") Instant finishedAt) {
    }

    /** One member as the file describes them. */
    record Line(int number, String memberCode, String sponsor, String parent, Integer position, OffsetDateTime joinedAt,
            String fullName, String email, String phone, String stateCode) {
    }

    private final Pool pool;
    private final PlanService plans;
    private final ObjectMapper mapper;
    private final Outbox outbox = GenealogyOutbox.OUTBOX;
    private final BulkLoads bulk;

    public NetworkImport(DistributorAccounts accounts, Pool pool, PlanService plans, ObjectMapper mapper, BulkLoads bulk) {
        this.accounts = accounts;
        this.pool = pool;
        this.plans = plans;
        this.mapper = mapper;
        this.bulk = bulk;
    }

    /** Records the job and starts it in the background; the caller polls {@link #job(UUID)}. */
    public Uni<ImportView> start(String content, Format format, String actor) {
        UUID id = UUID.randomUUID();
        return pool.preparedQuery("insert into genealogy.import_job (id, status, format, created_by) values ($1, 'VALIDATING', $2, $3)")
                .execute(Tuple.of(id, format.name(), actor))
                .invoke(() -> run(id, content, format).subscribe().with(
                        done -> LOG.infof("Import %s finished", id),
                        failure -> LOG.errorf(failure, "Import %s failed", id)))
                .chain(() -> job(id));
    }

    public Uni<ImportView> job(UUID id) {
        return pool.preparedQuery("select * from genealogy.import_job where id = $1").execute(Tuple.of(id)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such import.");
            }
            Row row = rows.iterator().next();
            List<LineError> errors = new ArrayList<>();
            for (Object error : row.getJsonArray("errors")) {
                JsonObject e = (JsonObject) error;
                errors.add(new LineError(e.getInteger("line"), e.getString("message")));
            }
            return new ImportView(row.getUUID("id"), Status.valueOf(row.getString("status")), Format.valueOf(row.getString("format")),
                    row.getInteger("total"), row.getInteger("processed"), errors, row.getOffsetDateTime("created_at").toInstant(),
                    row.getOffsetDateTime("finished_at") == null ? null : row.getOffsetDateTime("finished_at").toInstant());
        });
    }

    private Uni<Void> run(UUID id, String content, Format format) {
        return plans.current().chain(version -> Uni.createFrom().item(() -> {
            Steps steps = new Steps();
            List<Line> lines = parse(content, format);
            steps.done("parse");
            Checked checked = validate(lines, version.plan());
            steps.done("validate");
            LOG.infof("Import %s of %d lines: %s", id, lines.size(), steps);
            return checked;
        })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(checked -> checked.errors().isEmpty()
                        ? progress(id, Status.IMPORTING, checked.lines().size(), 0).chain(() -> write(id, checked, version.plan()))
                                .chain(() -> finish(id, Status.COMPLETED, List.of()))
                        : finish(id, Status.FAILED, checked.errors())))
                .onFailure().call(failure -> finish(id, Status.FAILED, List.of(new LineError(0, failure instanceof ProblemException p
                        ? p.problem().detail() : "The import failed; nothing was written."))));
    }

    // ---- parsing and validation -------------------------------------------------------------------------------

    List<Line> parse(String content, Format format) {
        List<Line> lines = new ArrayList<>();
        if (format == Format.CSV) {
            try {
                for (CSVRecord record : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                        .setTrim(true).build().parse(new StringReader(content))) {
                    Map<String, String> fields = record.toMap();
                    lines.add(line((int) record.getRecordNumber() + 1, fields::get));
                }
            } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                throw ProblemException.invalidField("body", "is not CSV with a header line: " + e.getMessage());
            }
        } else {
            String[] rows = content.split("\r?\n");
            for (int i = 0; i < rows.length; i++) {
                if (rows[i].isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = mapper.readTree(rows[i]);
                    lines.add(line(i + 1, field -> node.hasNonNull(field) ? node.get(field).asText() : null));
                } catch (IOException e) {
                    throw ProblemException.invalidField("body", "line " + (i + 1) + " is not a JSON object");
                }
            }
        }
        return lines;
    }

    private static Line line(int number, java.util.function.Function<String, String> field) {
        String position = blankToNull(field.apply("position"));
        String side = blankToNull(field.apply("side"));
        Integer pos = null;
        if (side != null) {
            pos = switch (side.toUpperCase(Locale.ROOT)) {
                case "LEFT", "L" -> 0;
                case "RIGHT", "R" -> 1;
                default -> -1;
            };
        } else if (position != null) {
            pos = POSITION.matcher(position).matches() ? Integer.parseInt(position) : -1;
        }
        OffsetDateTime joined = null;
        String joinedAt = blankToNull(field.apply("joinedAt"));
        if (joinedAt != null) {
            try {
                joined = OffsetDateTime.parse(joinedAt);
            } catch (DateTimeParseException e) {
                joined = OffsetDateTime.MIN;
            }
        }
        return new Line(number, upper(field.apply("memberCode")), upper(field.apply("sponsor")), upper(field.apply("parent")), pos, joined,
                blankToNull(field.apply("fullName")), blankToNull(field.apply("email")), blankToNull(field.apply("phone")),
                blankToNull(field.apply("stateCode")));
    }

    /** The lines as member indexes, and both trees' labels when the file has no errors. */
    record Checked(List<Line> lines, int[] sponsor, int[] parent, int[] position, List<LineError> errors, TreeLabeler.Labels placement,
            TreeLabeler.Labels sponsorTree) {
    }

    Checked validate(List<Line> lines, Plan plan) {
        int n = lines.size();
        List<LineError> errors = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            Line line = lines.get(i);
            if (line.memberCode() == null || !MEMBER_CODE.matcher(line.memberCode()).matches()) {
                error(errors, line, "memberCode must be 3 to 20 of A-Z, 0-9, '.', '_' or '-'");
            } else if (index.putIfAbsent(line.memberCode(), i) != null) {
                error(errors, line, "member code " + line.memberCode() + " appears twice");
            }
            if (line.joinedAt() == OffsetDateTime.MIN) {
                error(errors, line, "joinedAt must be an ISO 8601 date-time such as 2024-04-01T10:00:00Z");
            }
        }
        int[] sponsor = new int[n];
        int[] parent = new int[n];
        int[] position = new int[n];
        int roots = 0;
        Map<Long, Integer> taken = new HashMap<>();
        Integer width = plan.width();
        for (int i = 0; i < n; i++) {
            Line line = lines.get(i);
            sponsor[i] = resolve(errors, line, "sponsor", line.sponsor(), index);
            parent[i] = resolve(errors, line, "parent", line.parent(), index);
            if (line.sponsor() == null && line.parent() == null) {
                roots++;
                sponsor[i] = -1;
                parent[i] = -1;
                continue;
            }
            if (line.sponsor() == null || line.parent() == null) {
                error(errors, line, "only the root has no sponsor and no parent");
                continue;
            }
            if (plan.structure() == Plan.Structure.UNILEVEL) {
                if (!line.sponsor().equals(line.parent())) {
                    error(errors, line, "in a unilevel plan the parent is the sponsor");
                }
                position[i] = line.position() == null ? i : line.position();
            } else if (line.position() == null || line.position() < 0 || line.position() >= width) {
                error(errors, line, plan.structure() == Plan.Structure.BINARY ? "side must be LEFT or RIGHT"
                        : "position must be 0 to " + (width - 1));
                continue;
            } else {
                position[i] = line.position();
            }
            if (parent[i] >= 0 && taken.putIfAbsent(((long) parent[i] << 32) | (position[i] & 0xffffffffL), i) != null) {
                error(errors, line, "position " + position[i] + " under " + line.parent() + " is filled twice");
            }
        }
        if (roots != 1 && errors.size() < MAX_REPORTED_ERRORS) {
            errors.add(new LineError(0, "the file must have exactly one root (a member without sponsor and parent); it has " + roots));
        }
        TreeLabeler.Labels placement = null;
        TreeLabeler.Labels sponsorTree = null;
        if (errors.isEmpty()) {
            placement = labelTree(errors, "placement", parent, position);
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            sponsorTree = labelTree(errors, "sponsor", sponsor, order);
        }
        return new Checked(lines, sponsor, parent, position, errors, placement, sponsorTree);
    }

    /** The tree's labels, which also proves it a tree; null (and an error) when it is not one. */
    private static TreeLabeler.Labels labelTree(List<LineError> errors, String name, int[] parent, int[] position) {
        try {
            return TreeLabeler.label(parent, position);
        } catch (IllegalArgumentException e) {
            errors.add(new LineError(0, "the " + name + " tree is not a tree: " + e.getMessage()));
            return null;
        }
    }

    private static int resolve(List<LineError> errors, Line line, String field, String code, Map<String, Integer> index) {
        if (code == null) {
            return -1;
        }
        Integer target = index.get(code);
        if (target == null) {
            error(errors, line, field + " " + code + " is not in the file");
            return -1;
        }
        if (code.equals(line.memberCode())) {
            error(errors, line, field + " cannot be the member themselves");
        }
        return target;
    }

    private static void error(List<LineError> errors, Line line, String message) {
        if (errors.size() < MAX_REPORTED_ERRORS) {
            errors.add(new LineError(line.number(), message));
        }
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    private Uni<Void> write(UUID job, Checked checked, Plan plan) {
        // JDBC and COPY block: on a worker, never the event loop
        return Uni.createFrom().item(() -> {
            load(job, checked, plan);
            return true;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).replaceWithVoid();
    }

    /**
     * Everything in one JDBC transaction: both trees' locks, the empty-network check, the member numbers, then accounts,
     * members, both trees and the registration events through COPY, with genealogy's keys and indexes built once after
     * the load (genealogy.bulk_load_begin / _end). Any failure rolls all of it back.
     */
    private void load(UUID job, Checked checked, Plan plan) {
        int n = checked.lines().size();
        Steps steps = new Steps();
        TreeLabeler.Labels placement = checked.placement();
        TreeLabeler.Labels sponsorTree = checked.sponsorTree();
        int fullMask = plan.width() == null ? 0 : (1 << plan.width()) - 1;
        int[] occupied = occupiedPositions(checked.parent(), checked.position());
        // in the order they are copied: app_user's primary key and the member rows' foreign key probes go in key order
        UUID[] userIds = TimeOrderedUuids.batch(n);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection conn = bulk.transaction()) {
            try {
                bulk.lockMembersAgainstWrites(conn);
                bulk.lockTree(conn, Tree.SPONSOR);
                bulk.lockTree(conn, Tree.PLACEMENT);
                if (!bulk.networkEmpty(conn)) {
                    throw new ProblemException(ProblemType.CONFLICT, "An import goes into an empty network only.");
                }
                long first = bulk.reserveMemberNumbers(conn, n);
                steps.done("user ids, locks and member numbers");
                accounts.copyAll(conn, n, i -> {
                    Line line = checked.lines().get(i);
                    return new DistributorAccounts.NewAccount(userIds[i], line.memberCode().toLowerCase(Locale.ROOT), name(line), line.email());
                });
                steps.done("accounts");
                bulk.beginLoad(conn);
                steps.done("drop keys and indexes");
                bulk.copyMembers(conn, n, i -> {
                    Line line = checked.lines().get(i);
                    return new BulkLoads.Member(first + i, userIds[i], line.memberCode(), RandomCodes.typeable(10), sponsorId(checked, first, i),
                            name(line), line.email(), line.phone(), line.stateCode(), joined(line, now), GenealogyRepository.searchable(name(line)));
                });
                steps.done("members");
                bulk.copyNodes(conn, Tree.SPONSOR, n, i -> new BulkLoads.Node(first + i, sponsorId(checked, first, i),
                        checked.sponsor()[i] < 0 ? null : i, sponsorTree.depth()[i], sponsorTree.lo()[i], sponsorTree.hi()[i],
                        sponsorTree.children()[i], 0));
                bulk.copyNodes(conn, Tree.PLACEMENT, n, i -> new BulkLoads.Node(first + i,
                        checked.parent()[i] < 0 ? null : first + checked.parent()[i], checked.parent()[i] < 0 ? null : checked.position()[i],
                        placement.depth()[i], placement.lo()[i], placement.hi()[i], placement.children()[i], fullMask & ~occupied[i]));
                steps.done("tree rows");
                // imported members are registrations like any other for the modules that follow genealogy's events
                outbox.copy(conn, GenealogyEvents.REGISTERED, n, i -> {
                    Long sponsor = sponsorId(checked, first, i);
                    OffsetDateTime joined = joined(checked.lines().get(i), now);
                    return GenealogyOutbox.registered(first + i, checked.lines().get(i).memberCode(), sponsor,
                            sponsor == null ? null : checked.lines().get(checked.sponsor()[i]).memberCode(), joined.toInstant(),
                            plan.periodOf(joined.atZoneSameInstant(ZoneOffset.UTC).toLocalDate()));
                });
                steps.done("events");
                progress(job, Status.IMPORTING, n, n).await().indefinitely();
                bulk.endLoad(conn);
                steps.done("keys and indexes");
                conn.commit();
                steps.done("commit");
                LOG.infof("Import %s of %d members written: %s", job, n, steps);
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The import failed; nothing was written.", e);
        }
    }

    private static String name(Line line) {
        return line.fullName() == null ? line.memberCode() : line.fullName();
    }

    private static OffsetDateTime joined(Line line, OffsetDateTime now) {
        return line.joinedAt() == null ? now : line.joinedAt();
    }

    private static Long sponsorId(Checked checked, long first, int i) {
        return checked.sponsor()[i] < 0 ? null : first + checked.sponsor()[i];
    }

    /** Bit k set for each node when its position k is taken. */
    private static int[] occupiedPositions(int[] parent, int[] position) {
        int[] occupied = new int[parent.length];
        for (int i = 0; i < parent.length; i++) {
            if (parent[i] >= 0 && position[i] < 30) {
                occupied[parent[i]] |= 1 << position[i];
            }
        }
        return occupied;
    }

    private Uni<Void> progress(UUID job, Status status, int total, int processed) {
        return pool.preparedQuery("update genealogy.import_job set status = $2, total = $3, processed = $4 where id = $1")
                .execute(Tuple.of(job, status.name(), total, processed)).replaceWithVoid();
    }

    private Uni<Void> finish(UUID job, Status status, List<LineError> errors) {
        JsonArray json = new JsonArray();
        errors.forEach(e -> json.add(JsonObject.of("line", e.line(), "message", e.message())));
        return pool.preparedQuery("update genealogy.import_job set status = $2, errors = $3, finished_at = now() where id = $1")
                .execute(Tuple.of(job, status.name(), json)).replaceWithVoid();
    }

    private static String upper(String value) {
        String text = blankToNull(value);
        return text == null ? null : text.toUpperCase(Locale.ROOT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** How long each step of an import took, for the log: the import's costs, measured where they happen. */
    private static final class Steps {
        private final StringBuilder text = new StringBuilder();
        private long since = System.nanoTime();

        void done(String step) {
            long now = System.nanoTime();
            text.append(text.length() == 0 ? "" : ", ").append(step).append(' ').append((now - since) / 1_000_000).append(" ms");
            since = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
