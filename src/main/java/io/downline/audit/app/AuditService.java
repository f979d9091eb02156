package io.downline.audit.app;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.audit.app.AuditModels.AuditEventView;
import io.downline.audit.app.AuditModels.BreakView;
import io.downline.audit.app.AuditModels.VerificationView;
import io.downline.audit.store.AuditRepository;
import io.downline.audit.store.AuditRepository.EventRow;
import io.downline.audit.store.AuditRepository.Filter;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.common.security.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The audit log: appends (for every module, through {@link AuditTrail}), and the staff's reading of it. Admins read
 * everything; finance reads the money subjects, support the grievances and KYC documents.
 */
@ApplicationScoped
public class AuditService implements AuditTrail {

    static final List<String> FINANCE_AREA = List.of(AuditSubjects.LEDGER_TRANSACTION, AuditSubjects.LEDGER_SETTINGS,
            AuditSubjects.WITHDRAWAL, AuditSubjects.BANK_ACCOUNT, AuditSubjects.PAYOUT_BATCH, AuditSubjects.PAN,
            AuditSubjects.COMMISSION_DEAD_LETTER);
    static final List<String> SUPPORT_AREA = List.of(AuditSubjects.GRIEVANCE, AuditSubjects.KYC_DOCUMENT);
    private static final int MAX_BREAKS = 100;

    private final AuditRepository repository;
    private final ObjectMapper mapper;

    public AuditService(AuditRepository repository, ObjectMapper mapper) {
        this.repository = repository;
        this.mapper = mapper;
    }

    @Override
    public Uni<Long> record(SqlClient connection, AuditEvent event) {
        return Uni.createFrom().item(() -> json(event)).chain(json -> repository.append(connection, json));
    }

    @Override
    public Uni<Long> record(Mutiny.Session session, AuditEvent event) {
        return Uni.createFrom().item(() -> json(event)).chain(json -> repository.append(session, json));
    }

    private String json(AuditEvent event) {
        ObjectNode node = mapper.createObjectNode()
                .put("actor", event.actor()).put("action", event.action())
                .put("subjectType", event.subjectType()).put("subjectId", event.subjectId())
                .put("reason", event.reason()).put("requestId", event.requestId());
        node.set("before", mapper.valueToTree(event.before()));
        node.set("after", mapper.valueToTree(event.after()));
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree of JSON nodes always serialises", e);
        }
    }

    /** The query a caller with these roles may run: a subject type outside their area finds nothing rather than leaking. */
    public record Query(String actor, String action, String subjectType, String subjectId, Instant from, Instant to) {
    }

    public Uni<Page<AuditEventView>> events(Query query, Set<String> roles, PageRequest page) {
        Filter filter = filter(query, roles);
        return repository.events(filter, page.afterNumber(), page.limit + 1)
                .map(rows -> page.page(rows.stream().map(this::view).toList(), event -> List.of(Long.toString(event.position()))));
    }

    /** Every matching event newest first, for the CSV export (at most {@code cap}). */
    public Uni<List<AuditEventView>> export(Query query, Set<String> roles, int cap) {
        return repository.events(filter(query, roles), null, cap + 1).map(rows -> {
            if (rows.size() > cap) {
                throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "More than " + cap + " events match; export a shorter time range.");
            }
            return rows.stream().map(this::view).toList();
        });
    }

    public Uni<VerificationView> verify() {
        return repository.verify(MAX_BREAKS).map(result -> new VerificationView(result.breaks().isEmpty(), result.events(),
                result.headPosition(), result.breaks().stream().map(b -> new BreakView(b.position(), b.problem())).toList()));
    }

    private static Filter filter(Query query, Set<String> roles) {
        if (query.from() != null && query.to() != null && !query.from().isBefore(query.to())) {
            throw ProblemException.invalidField("to", "must be after from");
        }
        return new Filter(query.actor(), query.action(), query.subjectType(), query.subjectId(), query.from(), query.to(), area(roles));
    }

    /** The subject types the roles may read, or null for all of them. */
    static String[] area(Set<String> roles) {
        if (roles.contains(Roles.ADMIN)) {
            return null;
        }
        Set<String> area = new LinkedHashSet<>();
        if (roles.contains(Roles.FINANCE)) {
            area.addAll(FINANCE_AREA);
        }
        if (roles.contains(Roles.SUPPORT)) {
            area.addAll(SUPPORT_AREA);
        }
        return area.toArray(String[]::new);
    }

    private AuditEventView view(EventRow row) {
        return new AuditEventView(row.position(), row.occurredAt(), row.actor(), row.action(), row.subjectType(), row.subjectId(),
                tree(row.before()), tree(row.after()), row.reason(), row.requestId(), row.hash());
    }

    private JsonNode tree(String json) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("jsonb text is JSON", e);
        }
    }
}
