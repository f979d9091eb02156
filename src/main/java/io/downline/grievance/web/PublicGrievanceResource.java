package io.downline.grievance.web;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.common.http.ClientAddress;
import io.downline.grievance.app.GrievanceModels.FiledCustomerGrievance;
import io.downline.grievance.app.GrievanceModels.GrievanceView;
import io.downline.grievance.app.GrievanceModels.NewCustomerGrievance;
import io.downline.grievance.app.GrievanceModels.Reply;
import io.downline.grievance.app.GrievanceService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Customers without an account: they file by purchase and contact, and follow up with the reference and a secret token. */
@Path("public/grievances")
@Tag(name = "Grievances")
public class PublicGrievanceResource {

    static final String TOKEN_HEADER = "X-Grievance-Token";

    private final GrievanceService grievances;

    public PublicGrievanceResource(GrievanceService grievances) {
        this.grievances = grievances;
    }

    @POST
    @PermitAll
    @Operation(operationId = "fileCustomerGrievance", summary = "File a customer's grievance about a purchase (no account needed)",
            description = "Identified by the invoice number (or order id) and a contact. The answer holds the reference and a follow-up "
                    + "token, shown only once. Throttled per client address.")
    @APIResponse(responseCode = "201", description = "Filed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = FiledCustomerGrievance.class)))
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    public Uni<Response> fileCustomerGrievance(@Valid @NotNull NewCustomerGrievance request, HttpServerRequest http) {
        return grievances.fileAsCustomer(request, ClientAddress.of(http))
                .map(filed -> Response.status(Response.Status.CREATED).entity(filed).build());
    }

    @GET
    @Path("{reference}")
    @PermitAll
    @Operation(operationId = "getCustomerGrievance", summary = "A customer's grievance, by its reference and follow-up token")
    @APIResponse(responseCode = "200", description = "The grievance with every step")
    public Uni<GrievanceView> getCustomerGrievance(@PathParam("reference") @Parameter(example = "GRV-0000042") String reference,
            @HeaderParam(TOKEN_HEADER) @Parameter(required = true, description = "The follow-up token given at filing") String token) {
        return grievances.getAsCustomer(reference, token);
    }

    @POST
    @Path("{reference}/replies")
    @PermitAll
    @Operation(operationId = "replyToCustomerGrievance", summary = "The customer's reply on their open grievance")
    @APIResponse(responseCode = "200", description = "The grievance after the reply")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<GrievanceView> replyToCustomerGrievance(@PathParam("reference") @Parameter(example = "GRV-0000042") String reference,
            @HeaderParam(TOKEN_HEADER) @Parameter(required = true, description = "The follow-up token given at filing") String token,
            @Valid @NotNull Reply reply) {
        return grievances.replyAsCustomer(reference, token, reply);
    }
}
