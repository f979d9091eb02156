package io.downline.audit.web;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.audit.app.AuditModels.AuditEventView;
import io.downline.audit.app.AuditModels.VerificationView;
import io.downline.audit.app.AuditService;
import io.downline.audit.app.AuditService.Query;
import io.downline.common.CsvFiles;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path("audit")
@Tag(name = "Audit")
public class AuditResource {

    private static final int CSV_ROWS = 50_000;

    private final AuditService audit;
    private final SecurityIdentity identity;

    public AuditResource(AuditService audit, SecurityIdentity identity) {
        this.audit = audit;
        this.identity = identity;
    }

    @GET
    @Path("events")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "listAuditEvents", summary = "Staff actions, newest first",
            description = "Admins see every event; finance the money subjects (ledger transactions and settings, withdrawals, bank "
                    + "accounts, payout batches, PANs); support grievances and KYC documents.")
    @APIResponse(responseCode = "200", description = "A page of events")
    public Uni<Page<AuditEventView>> listAuditEvents(@BeanParam AuditFilter filter, @Valid @BeanParam PageRequest page) {
        return audit.events(filter.query(), identity.getRoles(), page);
    }

    @GET
    @Path("events/csv")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Produces("text/csv")
    @Operation(operationId = "exportAuditEvents", summary = "The matching staff actions as CSV, newest first (at most 50,000 rows)")
    @APIResponse(responseCode = "200", description = "CSV with a header row",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING,
                    example = "position,occurredAt,actor,action,subjectType,subjectId,before,after,reason,requestId,hash\n")))
    public Uni<Response> exportAuditEvents(@BeanParam AuditFilter filter) {
        return audit.export(filter.query(), identity.getRoles(), CSV_ROWS).map(events -> Response.ok(csv(events))
                .header("Content-Disposition", "attachment; filename=\"audit.csv\"").build());
    }

    @POST
    @Path("verification")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "verifyAuditChain", summary = "Recompute the whole audit chain and report every break by position")
    @APIResponse(responseCode = "200", description = "The verification result")
    public Uni<VerificationView> verifyAuditChain() {
        return audit.verify();
    }

    /** The query parameters of the list and the export. */
    public static class AuditFilter {
        @QueryParam("actor")
        @Parameter(description = "Only this actor (username)", example = "finance.priya")
        public String actor;
        @QueryParam("action")
        @Parameter(description = "Only this action", example = "WITHDRAWAL_APPROVED")
        public String action;
        @QueryParam("subjectType")
        @Parameter(description = "Only subjects of this kind", example = "withdrawal")
        public String subjectType;
        @QueryParam("subjectId")
        @Parameter(description = "Only this subject (with subjectType)", example = "88")
        public String subjectId;
        @QueryParam("from")
        @Parameter(description = "At or after (ISO 8601)", example = "2026-11-01T00:00:00Z")
        public Instant from;
        @QueryParam("to")
        @Parameter(description = "Before (ISO 8601)", example = "2026-12-01T00:00:00Z")
        public Instant to;

        Query query() {
            return new Query(actor, action, subjectType, subjectId, from, to);
        }
    }

    private static String csv(List<AuditEventView> events) {
        return CsvFiles.write(List.of("position", "occurredAt", "actor", "action", "subjectType", "subjectId", "before", "after", "reason",
                "requestId", "hash"),
                events.stream().<List<?>>map(e -> Arrays.asList(e.position(), e.occurredAt().toString(), e.actor(), e.action(),
                        e.subjectType(), e.subjectId(), text(e.before()), text(e.after()), e.reason(), e.requestId(), e.hash())).toList());
    }

    /** The JSON text of a before or after value (a JsonNode, whose toString is its JSON). */
    private static String text(Object json) {
        return json == null ? "" : json.toString();
    }
}
