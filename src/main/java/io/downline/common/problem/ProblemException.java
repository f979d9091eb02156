package io.downline.common.problem;

import java.time.Duration;
import java.util.List;

/** A failure the caller can act on; answered as problem+json by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Duration retryAfter;

    public ProblemException(ProblemType type, String detail) {
        this(type.problem(detail), null);
    }

    public ProblemException(Problem problem, Duration retryAfter) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public static ProblemException retryAfter(ProblemType type, String detail, Duration retryAfter) {
        return new ProblemException(type.problem(detail), retryAfter);
    }

    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(new Problem(ProblemType.VALIDATION_FAILED.uri(), ProblemType.VALIDATION_FAILED.title(),
                400, "The request has 1 invalid field.", null, null, List.of(new Problem.FieldError(field, message))), null);
    }

    public Problem problem() {
        return problem;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
