package io.downline.common.problem;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.downline.common.http.RequestIds;
import io.vertx.core.http.HttpServerRequest;

/** Writes problems as {@code application/problem+json}, stamped with the request path and request id. */
@ApplicationScoped
public class ProblemResponses {

    public static final String MEDIA_TYPE = "application/problem+json";

    private final ObjectMapper mapper;

    public ProblemResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Response response(Problem problem, HttpServerRequest request, Duration retryAfter) {
        Response.ResponseBuilder builder = Response.status(problem.status())
                .type(MEDIA_TYPE)
                .entity(json(problem, request));
        if (retryAfter != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Math.max(1, retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0)));
        }
        if (problem.status() == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.build();
    }

    public String json(Problem problem, HttpServerRequest request) {
        Problem stamped = request == null ? problem : problem.withContext(request.path(), RequestIds.of(request));
        try {
            return mapper.writeValueAsString(stamped);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem body must always serialize", e);
        }
    }
}
