package io.downline.common.openapi;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.downline.common.problem.ProblemResponses;
import io.downline.common.problem.ProblemType;

/**
 * Adds to every operation the problem responses it can answer, so that generated clients know every error shape:
 * 400/413/415 where a body is read, 400 where parameters are, 404 where a path names a resource, 401/403 where a token is
 * needed, 500 everywhere. Operations without a security requirement are marked public explicitly ({@code security: []}).
 * It also gives the document its servers, its problem type catalogue, API names for schemas the code names after Java
 * types, and an example for every JSON success response.
 */
public class ContractFilter implements OASFilter {

    /**
     * The problem responses operations refer to by name. Each problem type the server sends has exactly one home here,
     * as a named example of the response for its status, so the contract lists them all.
     */
    private enum Standard {
        BadRequest(Map.of(
                ProblemType.VALIDATION_FAILED, "The request has 1 invalid field.",
                ProblemType.MALFORMED_REQUEST, "The request body is not valid JSON.",
                ProblemType.INVALID_CURSOR, "The cursor is not one this API issued; start again without it.")),
        Unauthorized(Map.of(
                ProblemType.UNAUTHENTICATED, "This operation needs a bearer access token.",
                ProblemType.INVALID_CREDENTIALS, "The username or password is wrong.",
                ProblemType.INVALID_TOKEN, "The token is invalid or has expired.")),
        Forbidden(Map.of(
                ProblemType.FORBIDDEN, "Your roles do not allow this operation.",
                ProblemType.ACCOUNT_LOCKED, "This account is locked.",
                ProblemType.ACCOUNT_DISABLED, "This account is disabled.",
                ProblemType.LOCAL_LOGIN_DISABLED, "Log in through the company's identity provider.")),
        NotFound(Map.of(ProblemType.NOT_FOUND, "No such user.")),
        MethodNotAllowed(Map.of(ProblemType.METHOD_NOT_ALLOWED, "This path does not accept DELETE.")),
        NotAcceptable(Map.of(ProblemType.NOT_ACCEPTABLE, "This operation answers application/json only.")),
        Conflict(Map.of(
                ProblemType.CONFLICT, "The username or email is already in use.",
                ProblemType.IDEMPOTENCY_IN_PROGRESS, "A request with this Idempotency-Key is still running; retry in a moment.",
                ProblemType.OUT_OF_STOCK, "Warehouse MUM-1 has fewer than 3 units of NUT-PROT-500.",
                ProblemType.RETURN_WINDOW_CLOSED, "The return window of this order closed on 2026-12-21.",
                ProblemType.ALREADY_REPLAYED, "Dead letter 7 was replayed by admin at 2026-12-01T10:15:00Z.",
                ProblemType.REPLAY_FAILED, "Dead letter 7 still fails and stays dead-lettered: database refused (23514): ...")),
        PayloadTooLarge(Map.of(ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than this server accepts.")),
        UriTooLong(Map.of(ProblemType.URI_TOO_LONG, "The request URI is longer than this server accepts (4096 characters).")),
        HeadersTooLarge(Map.of(ProblemType.HEADERS_TOO_LARGE, "The request headers are larger than this server accepts (20480 bytes).")),
        UnsupportedMediaType(Map.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content type 'text/plain' is not supported; send application/json.")),
        IdempotencyKeyReused(Map.of(ProblemType.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was already used with a different request.")),
        InsufficientFunds(Map.of(ProblemType.INSUFFICIENT_FUNDS, "The wallet's available balance does not cover this.")),
        LimitExceeded(Map.of(ProblemType.LIMIT_EXCEEDED, "This would exceed the daily withdrawal limit.")),
        TooManyRequests(Map.of(ProblemType.TOO_MANY_REQUESTS, "Too many failed logins for this account. Try again later.")),
        InternalError(Map.of(ProblemType.INTERNAL_ERROR, "An unexpected error occurred; quote the request id when reporting it.")),
        ServiceUnavailable(Map.of(ProblemType.SERVICE_UNAVAILABLE, "The request collided with a concurrent one; retry it."));

        /** Problem types in declaration order of {@link ProblemType}, the first one being the response's main type. */
        final Map<ProblemType, String> details;

        Standard(Map<ProblemType, String> details) {
            this.details = new EnumMap<>(details);
        }

        ProblemType main() {
            return details.keySet().iterator().next();
        }
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.servers(List.of(
                OASFactory.createServer().url("http://localhost:8080").description("Local: scripts/run.sh"),
                OASFactory.createServer().url("https://{host}").description("A deployment")
                        .variables(Map.of("host", OASFactory.createServerVariable().defaultValue("api.example.com")
                                .description("Host name of the deployment's API")))));
        SchemaNames.apply(openAPI);
        describeProblemTypes(openAPI);
        for (Map.Entry<Standard, Map<ProblemType, String>> entry : catalogue().entrySet()) {
            Standard standard = entry.getKey();
            MediaType media = OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"));
            entry.getValue().forEach((type, detail) -> media.addExample(exampleName(type), OASFactory.createExample()
                    .summary(type.title()).value(example(type, detail))));
            openAPI.getComponents().addResponse(standard.name(), OASFactory.createAPIResponse()
                    .description(standard.main().title())
                    .content(OASFactory.createContent().addMediaType(ProblemResponses.MEDIA_TYPE, media)));
        }
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Operation operation : path.getValue().getOperations().values()) {
                describeProblems(operation, path.getValue().getParameters());
            }
        }
        ResponseExamples.apply(openAPI);
    }

    /**
     * The problem types of each standard response: those listed with an example detail, and any other type in the first
     * response of its status (so that a new type is never left out of the contract).
     */
    private static Map<Standard, Map<ProblemType, String>> catalogue() {
        Map<Standard, Map<ProblemType, String>> catalogue = new EnumMap<>(Standard.class);
        for (Standard standard : Standard.values()) {
            catalogue.put(standard, new EnumMap<>(standard.details));
        }
        for (ProblemType type : ProblemType.values()) {
            if (catalogue.values().stream().noneMatch(types -> types.containsKey(type))) {
                for (Standard standard : Standard.values()) {
                    if (standard.main().status() == type.status()) {
                        catalogue.get(standard).put(type, type.title() + ".");
                        break;
                    }
                }
            }
        }
        return catalogue;
    }

    /** Lists every problem type on Problem.type, for readers of generated clients' documentation. */
    private static void describeProblemTypes(OpenAPI openAPI) {
        Schema problem = openAPI.getComponents().getSchemas().get("Problem");
        if (problem == null) {
            return;
        }
        StringBuilder description = new StringBuilder("Stable identifier of the problem type; clients branch on it. One of:");
        for (ProblemType type : ProblemType.values()) {
            description.append("\n- `").append(type.uri()).append("` (").append(type.status()).append(") ").append(type.title());
        }
        description.append("\n\nNew types may be added: treat an unknown one by its status.");
        problem.getProperties().get("type").setDescription(description.toString());
    }

    private static String exampleName(ProblemType type) {
        return type.uri().substring(type.uri().lastIndexOf(':') + 1);
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

    private static Map<String, Object> example(ProblemType type, String detail) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", type.uri());
        example.put("title", type.title());
        example.put("status", type.status());
        example.put("detail", detail);
        example.put("instance", "/api/v1/users");
        example.put("requestId", "5f0c2a9e-3c2b-4f0e-9a57-1c9b1f1a2d33");
        if (type == ProblemType.VALIDATION_FAILED) {
            // insertion-ordered: Map.of iterates in a different order on every JVM start, and the contract must not flap
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("field", "password");
            error.put("message", "size must be between 10 and 72");
            example.put("errors", List.of(error));
        }
        return example;
    }
}
