package io.downline.identity.api;

import io.smallrye.mutiny.Uni;
import java.time.Duration;

import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;

/**
 * A fixed-window counter per bucket, for rate limits in any module (logins, public grievance filings).
 */
public interface Throttle {

    /** Counts one attempt and tells whether the bucket is now over its limit. */
    Uni<Duration> hit(String bucket, int limit, Duration window);

    static void refuseIfThrottled(Duration wait, String detail) {
        if (wait != null) {
            throw ProblemException.retryAfter(ProblemType.TOO_MANY_REQUESTS, detail + " Try again later.", wait);
        }
    }
}
