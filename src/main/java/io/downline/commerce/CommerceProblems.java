package io.downline.commerce;

import io.downline.common.problem.Problem;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;

/** Problems of the commerce features that a client branches on; each has its own stable type. */
public final class CommerceProblems {

    private CommerceProblems() {
    }

    public static ProblemException outOfStock(String detail) {
        return conflict("out-of-stock", "Out of stock", detail);
    }

    public static ProblemException returnWindowClosed(String detail) {
        return conflict("return-window-closed", "Return window closed", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.NOT_FOUND, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }

    private static ProblemException conflict(String name, String title, String detail) {
        return new ProblemException(new Problem("urn:downline:problem:" + name, title, 409, detail, null, null, null), null);
    }
}
