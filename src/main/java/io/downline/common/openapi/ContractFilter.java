package io.downline.common.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.downline.common.problem.ProblemResponses;
import io.downline.common.problem.ProblemType;

/**
 * Adds to every operation the problem responses it can answer, so that generated clients know every error shape:
 * 400/413/415 where a body is read, 400 where parameters are, 404 where a path names a resource, 401/403 where a token is
 * needed, 500 everywhere. Operations without a security requirement are marked public explicitly ({@code security: []}).
 */
public class ContractFilter implements OASFilter {

    private enum Standard {
        BadRequest(ProblemType.VALIDATION_FAILED, "The request has 1 invalid field."),
        Unauthorized(ProblemType.UNAUTHENTICATED, "This operation needs a bearer access token."),
        Forbidden(ProblemType.FORBIDDEN, "Your roles do not allow this operation."),
        NotFound(ProblemType.NOT_FOUND, "No such user."),
        Conflict(ProblemType.CONFLICT, "The username or email is already in use."),
        PayloadTooLarge(ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than this server accepts."),
        UnsupportedMediaType(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content type 'text/plain' is not supported; send application/json."),
        IdempotencyKeyReused(ProblemType.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was already used with a different request."),
        InsufficientFunds(ProblemType.INSUFFICIENT_FUNDS, "The wallet's available balance does not cover this."),
        TooManyRequests(ProblemType.TOO_MANY_REQUESTS, "Too many failed logins for this account. Try again later."),
        InternalError(ProblemType.INTERNAL_ERROR, "An unexpected error occurred; quote the request id when reporting it.");

        final ProblemType type;
        final String detail;

        Standard(ProblemType type, String detail) {
            this.type = type;
            this.detail = detail;
        }
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        for (Standard standard : Standard.values()) {
            openAPI.getComponents().addResponse(standard.name(), OASFactory.createAPIResponse()
                    .description(standard.type.title())
                    .content(OASFactory.createContent().addMediaType(ProblemResponses.MEDIA_TYPE, OASFactory.createMediaType()
                            .schema(OASFactory.createSchema().ref("Problem"))
                            .example(example(standard)))));
        }
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Operation operation : path.getValue().getOperations().values()) {
                describeProblems(operation, path.getValue().getParameters());
            }
        }
    }

    private static void describeProblems(Operation operation, List<Parameter> pathLevelParameters) {
        APIResponses responses = operation.getResponses();
        List<Parameter> parameters = new ArrayList<>();
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        if (pathLevelParameters != null) {
            parameters.addAll(pathLevelParameters);
        }
        if (operation.getRequestBody() != null) {
            responses.addAPIResponse("400", ref(Standard.BadRequest));
            add(responses, "413", Standard.PayloadTooLarge);
            add(responses, "415", Standard.UnsupportedMediaType);
        }
        if (!parameters.isEmpty()) {
            responses.addAPIResponse("400", ref(Standard.BadRequest));
        }
        if (parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.PATH)) {
            add(responses, "404", Standard.NotFound);
        }
        if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
            operation.setSecurity(new ArrayList<>());
        } else {
            responses.addAPIResponse("401", ref(Standard.Unauthorized));
            responses.addAPIResponse("403", ref(Standard.Forbidden));
        }
        add(responses, "500", Standard.InternalError);
    }

    private static void add(APIResponses responses, String status, Standard standard) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, ref(standard));
        }
    }

    private static org.eclipse.microprofile.openapi.models.responses.APIResponse ref(Standard standard) {
        return OASFactory.createAPIResponse().ref(standard.name());
    }

    private static Map<String, Object> example(Standard standard) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", standard.type.uri());
        example.put("title", standard.type.title());
        example.put("status", standard.type.status());
        example.put("detail", standard.detail);
        example.put("instance", "/api/v1/users");
        example.put("requestId", "5f0c2a9e-3c2b-4f0e-9a57-1c9b1f1a2d33");
        if (standard == Standard.BadRequest) {
            // insertion-ordered: Map.of iterates in a different order on every JVM start, and the contract must not flap
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("field", "password");
            error.put("message", "size must be between 10 and 72");
            example.put("errors", List.of(error));
        }
        return example;
    }
}
