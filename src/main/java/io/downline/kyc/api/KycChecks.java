package io.downline.kyc.api;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** What other modules may ask the KYC vault. */
public interface KycChecks {

    /** The current (latest) document of one kind of a member, as a staff queue shows it. */
    record DocumentSummary(@Schema(required = true, example = "812") long id, @Schema(required = true) DocumentKind kind, @Schema(required = true) DocumentStatus status,
            @Schema(required = true, example = "2026-11-30T10:15:00Z") Instant uploadedAt) {
    }

    /** Whether the member's current document of every kind is approved. */
    Uni<Boolean> complete(long distributorId);

    /**
     * Which of the members have KYC complete (the current document of every kind approved), read in the caller's
     * transaction with one query for all of them.
     */
    Uni<Set<Long>> completeAmong(SqlClient conn, Collection<Long> distributorIds);

    /** The current document of the kind for each member that has one. */
    Uni<Map<Long, DocumentSummary>> current(Collection<Long> distributorIds, DocumentKind kind);
}
