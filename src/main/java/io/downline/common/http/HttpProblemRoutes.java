package io.downline.common.http;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.downline.common.problem.Problem;
import io.downline.common.problem.ProblemResponses;
import io.downline.common.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Problem+json for what fails before a resource is reached: bodies over the size limit, paths no route serves, and
 * faults in the HTTP layer itself.
 */
@ApplicationScoped
public class HttpProblemRoutes {

    private static final Logger LOG = Logger.getLogger(HttpProblemRoutes.class);

    private final ProblemResponses responses;
    private final long maxBodySize;
    private final BodyHandler chunkedBodies;

    /**
     * Bulk requests (network imports, commission credit batches of up to 20,000 credits) may be as large as the HTTP layer
     * admits; every other request is held to the API limit. Both are staff-only operations.
     */
    static final List<String> BULK_PATHS = List.of("/api/v1/imports", "/api/v1/ledger/commission-credits");

    /** Document uploads (multipart) have a limit of their own: one document and a few form fields. */
    static final String UPLOAD_PATH = "/api/v1/kyc/documents";

    private final long maxUploadSize;

    public HttpProblemRoutes(ProblemResponses responses,
            @ConfigProperty(name = "downline.http.max-body-size") MemorySize maxBodySize,
            @ConfigProperty(name = "downline.http.max-upload-size") MemorySize maxUploadSize) {
        this.responses = responses;
        this.maxBodySize = maxBodySize.asLongValue();
        this.maxUploadSize = maxUploadSize.asLongValue();
        this.chunkedBodies = BodyHandler.create(false).setBodyLimit(this.maxBodySize);
    }

    void install(@Observes Router router) {
        // Ahead of the HTTP layer's own size check, which answers 413 with an empty body.
        router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
            String path = ctx.request().path();
            long limit = path.equals(UPLOAD_PATH) ? maxUploadSize : maxBodySize;
            if (BULK_PATHS.stream().anyMatch(path::startsWith)) {
                ctx.next();
            } else if (declaredLength(ctx) > limit) {
                ctx.response().putHeader("Connection", "close");
                send(ctx, ProblemType.PAYLOAD_TOO_LARGE.problem("The request body is larger than this server accepts ("
                        + limit + " bytes)."));
            } else if (ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null && ctx.request().getHeader("Transfer-Encoding") != null
                    && !path.equals(UPLOAD_PATH)) {
                // A streamed body has no declared length: buffer it under the limit, failing with 413 past it.
                chunkedBodies.handle(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(this::onFailure);
        router.route().last().handler(ctx -> send(ctx, ProblemType.NOT_FOUND.problem(
                "No resource matches " + ctx.request().method() + " " + ctx.request().path() + ".")));
    }

    private void onFailure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        Problem problem = switch (status) {
            case 413 -> {
                ctx.response().putHeader("Connection", "close");
                yield ProblemType.PAYLOAD_TOO_LARGE.problem("The request body is larger than this server accepts.");
            }
            case 404 -> ProblemType.NOT_FOUND.problem("No resource matches " + ctx.request().method() + " " + ctx.request().path() + ".");
            case 401 -> ProblemType.UNAUTHENTICATED.problem("This operation needs a bearer access token.");
            case 403 -> ProblemType.FORBIDDEN.problem("Your roles do not allow this operation.");
            default -> {
                if (status >= 500) {
                    LOG.errorf(ctx.failure(), "HTTP layer failure on %s %s", ctx.request().method(), ctx.request().path());
                    yield ProblemType.INTERNAL_ERROR.problem("An unexpected error occurred; quote the request id when reporting it.");
                }
                ProblemType type = ProblemType.forStatus(status);
                yield new Problem(type.uri(), type.title(), status, "The request cannot be processed.", null, null, null);
            }
        };
        send(ctx, problem);
    }

    private static long declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void send(RoutingContext ctx, Problem problem) {
        ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, ProblemResponses.MEDIA_TYPE);
        if (problem.status() == 401) {
            ctx.response().putHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        ctx.response().end(responses.json(problem, ctx.request()));
    }
}
