package io.downline.common.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import org.hibernate.JDBCException;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.downline.common.json.StrictJson;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgException;

/** Maps every failure that reaches a resource to RFC 9457 problem+json, never leaking internals. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final ProblemResponses responses;

    public ProblemMappers(ProblemResponses responses) {
        this.responses = responses;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return responses.response(e.problem(), request, e.retryAfter());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpServerRequest request) {
        boolean returnValue = e.getConstraintViolations().stream()
                .anyMatch(v -> v.getPropertyPath().toString().contains("<return value>"));
        if (returnValue) {
            return serverFault(e, request);
        }
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return responses.response(validationProblem(errors), request, null);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        String duplicate = duplicateKey(e);
        if (duplicate != null) {
            return responses.response(validationProblem(List.of(new Problem.FieldError(duplicate, "appears more than once"))), request, null);
        }
        if (e instanceof JsonParseException) {
            return responses.response(ProblemType.MALFORMED_REQUEST.problem("The request body is not well-formed JSON."), request, null);
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping.getPath());
            String message;
            if (e instanceof UnrecognizedPropertyException) {
                message = "unknown field";
            } else if (e instanceof StrictJson.ControlCharacterException) {
                message = "must not contain control characters";
            } else if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
                message = cause.getMessage();
            } else if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null && invalid.getTargetType().isEnum()) {
                message = "must be one of " + List.of(invalid.getTargetType().getEnumConstants());
            } else if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
                message = "must be " + describe(mismatched.getTargetType());
            } else {
                message = "has an invalid value";
            }
            return responses.response(validationProblem(List.of(new Problem.FieldError(field, message))), request, null);
        }
        return responses.response(ProblemType.MALFORMED_REQUEST.problem("The request body does not match the expected JSON shape."), request, null);
    }

    /** Declared apart because the REST layer has its own, more specific mapper for this type. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, request);
        }
        int status = e.getResponse().getStatus();
        Problem problem;
        if (e instanceof NotFoundException && e.getCause() != null) {
            // The REST layer reports a path or query parameter it could not convert (a malformed id, a number) as 404.
            problem = ProblemType.MALFORMED_REQUEST.problem("A path or query parameter has a value of the wrong type or format.");
        } else if (e instanceof NotFoundException) {
            problem = ProblemType.NOT_FOUND.problem("No resource matches " + request.method() + " " + request.path() + ".");
        } else if (e instanceof NotAllowedException) {
            problem = ProblemType.METHOD_NOT_ALLOWED.problem("Method " + request.method() + " is not allowed here.");
        } else if (e instanceof NotSupportedException) {
            problem = ProblemType.UNSUPPORTED_MEDIA_TYPE.problem("Content type '" + request.getHeader(HttpHeaders.CONTENT_TYPE)
                    + "' is not supported; send application/json.");
        } else if (e instanceof NotAcceptableException) {
            problem = ProblemType.NOT_ACCEPTABLE.problem("None of the accepted media types can be produced.");
        } else if (status >= 500) {
            return serverFault(e, request);
        } else {
            ProblemType type = ProblemType.forStatus(status);
            problem = new Problem(type.uri(), type.title(), status, "The request cannot be processed.", null, null, null);
        }
        Response mapped = responses.response(problem, request, null);
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        return allow == null ? mapped : Response.fromResponse(mapped).header(HttpHeaders.ALLOW, allow).build();
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthenticated(RuntimeException e, HttpServerRequest request) {
        boolean presentedToken = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        Problem problem = presentedToken
                ? ProblemType.INVALID_TOKEN.problem("The access token is invalid, expired or revoked.")
                : ProblemType.UNAUTHENTICATED.problem("This operation needs a bearer access token.");
        return responses.response(problem, request, null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return responses.response(ProblemType.FORBIDDEN.problem("Your roles do not allow this operation."), request, null);
    }

    @ServerExceptionMapper
    public Response serverFault(Throwable e, HttpServerRequest request) {
        Problem race = databaseProblem(e);
        if (race != null) {
            return responses.response(race, request, race.status() == 503 ? java.time.Duration.ofSeconds(1) : null);
        }
        LOG.errorf(e, "Unhandled failure on %s %s", request.method(), request.path());
        return responses.response(ProblemType.INTERNAL_ERROR.problem("An unexpected error occurred; quote the request id when reporting it."),
                request, null);
    }

    /**
     * What the database decided that the caller can act on: a unique key taken meanwhile or a row changed meanwhile is a
     * conflict; a serialization failure or deadlock that reached here means "try again"; a number out of its column's
     * range is bad input.
     */
    static Problem databaseProblem(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String sqlState = cause instanceof PgException pg ? pg.getSqlState()
                    : cause instanceof JDBCException jdbc ? jdbc.getSQLState() : null;
            if (sqlState != null) {
                switch (sqlState) {
                    case "23505":
                        return ProblemType.CONFLICT.problem("That already exists; it was created by another request.");
                    case "22003":
                        return ProblemType.VALIDATION_FAILED.problem("A number in the request, or one computed from it, is larger "
                                + "than this service stores.");
                    case "40001", "40P01":
                        return ProblemType.SERVICE_UNAVAILABLE.problem("The request collided with a concurrent one; retry it.");
                    default:
                        return null;
                }
            }
            if (cause instanceof OptimisticLockException || cause instanceof StaleStateException) {
                return ProblemType.CONFLICT.problem("The resource was changed by another request; read it again and retry.");
            }
        }
        return null;
    }

    public static Problem validationProblem(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1 ? "The request has 1 invalid field." : "The request has " + errors.size() + " invalid fields.";
        return new Problem(ProblemType.VALIDATION_FAILED.uri(), ProblemType.VALIDATION_FAILED.title(), 400, detail, null, null, errors);
    }

    /** "create.request.password" becomes "password"; a query parameter keeps its own name. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() != ElementKind.METHOD && node.getName() != null) {
                names.add(node.getIndex() != null ? node.getName() + "[" + node.getIndex() + "]" : node.getName());
            } else if (node.getKind() == ElementKind.CONTAINER_ELEMENT && node.getIndex() != null) {
                names.add("[" + node.getIndex() + "]");
            }
        }
        if (names.isEmpty()) {
            return parameter == null ? "body" : parameter;
        }
        return String.join(".", names);
    }

    /**
     * The key a strict parser found twice, qualified by the object it is in; Jackson reports it only in its message
     * ("Duplicate field 'amount'"), with the enclosing object still current.
     */
    private static String duplicateKey(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null || !message.startsWith(DUPLICATE_FIELD)) {
            return null;
        }
        String key = message.substring(DUPLICATE_FIELD.length(), Math.max(DUPLICATE_FIELD.length(), message.lastIndexOf('\'')));
        String parent = e.getProcessor() instanceof JsonParser parser ? objectPath(parser.getParsingContext().getParent()) : "";
        return parent.isEmpty() ? key : parent + "." + key;
    }

    private static final String DUPLICATE_FIELD = "Duplicate field '";

    private static String objectPath(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            parts.add(0, c.inArray() ? "[" + c.getCurrentIndex() + "]" : c.getCurrentName());
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
