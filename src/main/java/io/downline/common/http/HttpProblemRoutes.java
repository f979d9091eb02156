package io.downline.common.http;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.downline.common.problem.Problem;
import io.downline.common.problem.ProblemResponses;
import io.downline.common.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Problem+json for what fails before a resource is reached: bodies, URIs and headers over their limits, malformed
 * %-encoding, paths no route serves, and faults in the HTTP layer itself. Also the headers every response carries.
 */
@ApplicationScoped
public class HttpProblemRoutes {

    private static final Logger LOG = Logger.getLogger(HttpProblemRoutes.class);

    static final String NOSNIFF_HEADER = "X-Content-Type-Options";
    /** The system property that stops Quarkus from refusing a malformed URI with an empty 400 before any route runs. */
    public static final String QUARKUS_URI_CHECK_OFF = "vertx.disableURIValidation";
    private static final String MALFORMED_ENCODING = "The request path or query is not a valid URI, or its %-escapes are not UTF-8.";

    private final ProblemResponses responses;
    private final long maxBodySize;
    private final int maxUriLength;
    private final long maxHeaderSize;
    private final BodyHandler chunkedBodies;

    /**
     * Bulk requests (network imports, commission credit batches of up to 20,000 credits) may be as large as the HTTP layer
     * admits; every other request is held to the API limit. Both are staff-only operations.
     */
    static final List<String> BULK_PATHS = List.of("/api/v1/imports", "/api/v1/ledger/commission-credits");

    /** Document uploads (multipart) have a limit of their own: one document and a few form fields. */
    static final String UPLOAD_PATH = "/api/v1/kyc/documents";

    private final long maxUploadSize;

    /**
     * @param maxUriLength  and {@code maxHeaderSize}: the limits this service holds requests to, answered with 414 and
     *                      431 problems; the HTTP layer's own (higher) limits answer with empty bodies
     */
    public HttpProblemRoutes(ProblemResponses responses,
            @ConfigProperty(name = "downline.http.max-body-size") MemorySize maxBodySize,
            @ConfigProperty(name = "downline.http.max-upload-size") MemorySize maxUploadSize,
            @ConfigProperty(name = "downline.http.max-uri-length") int maxUriLength,
            @ConfigProperty(name = "downline.http.max-header-size") MemorySize maxHeaderSize) {
        this.responses = responses;
        this.maxBodySize = maxBodySize.asLongValue();
        this.maxUploadSize = maxUploadSize.asLongValue();
        this.maxUriLength = maxUriLength;
        this.maxHeaderSize = maxHeaderSize.asLongValue();
        this.chunkedBodies = BodyHandler.create(false).setBodyLimit(this.maxBodySize);
    }

    void install(@Observes Router router) {
        // Ahead of the HTTP layer's own size check, which answers 413 with an empty body.
        router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
            ctx.response().putHeader(NOSNIFF_HEADER, "nosniff").headers().add(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
            String path = ctx.request().path();
            long limit = path.equals(UPLOAD_PATH) ? maxUploadSize : maxBodySize;
            String refusal = requestLineProblem(ctx.request());
            if (refusal != null) {
                send(ctx, ProblemType.MALFORMED_REQUEST.problem(refusal));
            } else if (ctx.request().uri().length() > maxUriLength) {
                send(ctx, ProblemType.URI_TOO_LONG.problem("The request URI is longer than this server accepts (" + maxUriLength + " characters)."));
            } else if (headerSize(ctx.request()) > maxHeaderSize) {
                send(ctx, ProblemType.HEADERS_TOO_LARGE.problem(
                        "The request headers are larger than this server accepts (" + maxHeaderSize + " bytes)."));
            } else if (BULK_PATHS.stream().anyMatch(path::startsWith)) {
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
        // A path the router cannot even decode for matching fails before any route runs.
        router.errorHandler(400, ctx -> {
            ctx.response().putHeader(NOSNIFF_HEADER, "nosniff");
            send(ctx, ProblemType.MALFORMED_REQUEST.problem(MALFORMED_ENCODING));
        });
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
            case 400 -> ProblemType.MALFORMED_REQUEST.problem("The request is malformed; the HTTP layer could not read it.");
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

    /**
     * A URI that is not valid URI syntax (a bare %, a space), or whose %-escapes do not decode to UTF-8; the layers after
     * this one would otherwise fail on them with an empty 400 or a 500.
     */
    static String requestLineProblem(HttpServerRequest request) {
        String uri = request.uri();
        try {
            // the check Quarkus makes ahead of every route, where it answers with an empty body; Main turns that one off
            new URI(uri);
        } catch (URISyntaxException e) {
            return MALFORMED_ENCODING;
        }
        int query = uri.indexOf('?');
        if (!strictlyDecodable(query < 0 ? uri : uri.substring(0, query), false)
                || query >= 0 && !strictlyDecodable(uri.substring(query + 1), true)) {
            return MALFORMED_ENCODING;
        }
        return null;
    }

    private static boolean strictlyDecodable(String part, boolean query) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                if (i + 2 >= part.length() || !HexFormat.isHexDigit(part.charAt(i + 1)) || !HexFormat.isHexDigit(part.charAt(i + 2))) {
                    return false;
                }
                bytes.write(HexFormat.fromHexDigits(part, i + 1, i + 3));
                i += 2;
            } else if (query && (c == '&' || c == '=')) {
                // each name and value is decoded apart: a separator ends a multi-byte sequence
                if (!utf8(bytes.toByteArray())) {
                    return false;
                }
                bytes.reset();
            } else {
                bytes.write(c);
            }
        }
        return utf8(bytes.toByteArray());
    }

    private static boolean utf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static long headerSize(HttpServerRequest request) {
        long size = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        return size;
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
