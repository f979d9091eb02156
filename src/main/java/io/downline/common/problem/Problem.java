package io.downline.common.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem details body; {@code errors} lists field errors of a validation problem. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(required = true, description = "Stable identifier of the problem type", example = "urn:downline:problem:validation-failed")
        String type,
        @Schema(required = true, description = "Short summary of the problem type", example = "Validation failed")
        String title,
        @Schema(required = true, description = "HTTP status code", example = "400")
        int status,
        @Schema(required = true, description = "Explanation specific to this occurrence", example = "The request has 1 invalid field.")
        String detail,
        @Schema(description = "The request path this occurrence belongs to", example = "/api/v1/users")
        String instance,
        @Schema(description = "Request id, also sent as X-Request-Id", example = "5f0c2a9e-3c2b-4f0e-9a57-1c9b1f1a2d33")
        String requestId,
        @Schema(description = "Field errors, for validation problems")
        List<FieldError> errors) {

    @Schema(name = "FieldError", description = "One invalid field of a request")
    public record FieldError(
            @Schema(required = true, description = "Path of the field in the request", example = "password") String field,
            @Schema(required = true, description = "What is wrong with it", example = "size must be between 10 and 72") String message) {
    }

    public Problem withContext(String instance, String requestId) {
        return new Problem(type, title, status, detail, instance, requestId, errors);
    }
}
