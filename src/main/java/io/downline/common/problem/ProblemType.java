package io.downline.common.problem;

/** The stable problem types of the API. Clients switch on {@link #uri()}, never on titles or details. */
public enum ProblemType {
    VALIDATION_FAILED(400, "Validation failed"),
    MALFORMED_REQUEST(400, "Malformed request"),
    INVALID_CURSOR(400, "Invalid cursor"),
    UNAUTHENTICATED(401, "Authentication required"),
    INVALID_CREDENTIALS(401, "Invalid credentials"),
    INVALID_TOKEN(401, "Invalid or expired token"),
    FORBIDDEN(403, "Forbidden"),
    ACCOUNT_LOCKED(403, "Account locked"),
    ACCOUNT_DISABLED(403, "Account disabled"),
    LOCAL_LOGIN_DISABLED(403, "Local login disabled"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    IDEMPOTENCY_IN_PROGRESS(409, "Request with this idempotency key is in progress"),
    OUT_OF_STOCK(409, "Out of stock"),
    RETURN_WINDOW_CLOSED(409, "Return window closed"),
    /** A dead-lettered event that a replay handled before: it is never handled twice. */
    ALREADY_REPLAYED(409, "Already replayed"),
    /** A dead-lettered event that failed again when replayed: it stays dead-lettered with the new reason. */
    REPLAY_FAILED(409, "Replay failed"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    URI_TOO_LONG(414, "URI too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused with a different request"),
    INSUFFICIENT_FUNDS(422, "Insufficient funds"),
    LIMIT_EXCEEDED(422, "Limit exceeded"),
    TOO_MANY_REQUESTS(429, "Too many requests"),
    HEADERS_TOO_LARGE(431, "Request header fields too large"),
    INTERNAL_ERROR(500, "Internal server error"),
    /** A stored (encrypted) document or its key fails authentication: changed at rest, or moved from another record. */
    DOCUMENT_DAMAGED(500, "Stored document damaged"),
    SERVICE_UNAVAILABLE(503, "Service unavailable");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return "urn:downline:problem:" + name().toLowerCase().replace('_', '-');
    }

    public Problem problem(String detail) {
        return new Problem(uri(), title, status, detail, null, null, null);
    }

    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST;
    }
}
