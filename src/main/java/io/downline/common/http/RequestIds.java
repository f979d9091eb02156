package io.downline.common.http;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is sane, otherwise a new UUID. The id is echoed in
 * the response, put in the logging context and written back into the request headers so that later stages read it.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String offered = ctx.request().getHeader(HEADER);
            String id = offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
            ctx.request().headers().set(HEADER, id);
            ctx.response().putHeader(HEADER, id);
            MDC.put("requestId", id);
            ctx.next();
        });
    }

    public static String of(HttpServerRequest request) {
        return request.getHeader(HEADER);
    }
}
