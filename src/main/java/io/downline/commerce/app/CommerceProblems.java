package io.downline.commerce.app;

import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;

/** Problems of the commerce features that a client branches on; each has its own stable type. */
public final class CommerceProblems {

    private CommerceProblems() {
    }

    public static ProblemException outOfStock(String detail) {
        return new ProblemException(ProblemType.OUT_OF_STOCK, detail);
    }

    public static ProblemException returnWindowClosed(String detail) {
        return new ProblemException(ProblemType.RETURN_WINDOW_CLOSED, detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.NOT_FOUND, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }
}
