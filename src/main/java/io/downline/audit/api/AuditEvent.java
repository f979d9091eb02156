package io.downline.audit.api;

import java.util.Objects;

import org.jboss.logging.MDC;

/**
 * One staff action for the audit log: who did what to which subject, the subject before and after (any value Jackson
 * serialises; null when there was none), the reason given and the request it came with.
 */
public record AuditEvent(String actor, String action, String subjectType, String subjectId, Object before, Object after,
        String reason, String requestId) {

    public AuditEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subjectType, "subjectType");
        Objects.requireNonNull(subjectId, "subjectId");
    }

    /** The event of the request being served: its id is taken from the logging context, where RequestIds put it. */
    public static AuditEvent of(String actor, String action, String subjectType, Object subjectId, Object before, Object after,
            String reason) {
        Object requestId = MDC.get("requestId");
        return new AuditEvent(actor, action, subjectType, String.valueOf(subjectId), before, after, reason,
                requestId == null ? null : requestId.toString());
    }
}
