package io.downline.commerce.web;

import io.downline.identity.api.Caller;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.commerce.api.CommerceModels.CheckoutRequest;
import io.downline.commerce.api.CommerceModels.GatewayNotice;
import io.downline.commerce.api.CommerceModels.OrderView;
import io.downline.commerce.api.CommerceModels.PaymentRequest;
import io.downline.commerce.api.CommerceModels.ReturnRequest;
import io.downline.commerce.api.CommerceModels.ReturnView;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.Problem;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemMappers;
import io.downline.common.problem.ProblemType;
import io.downline.common.security.Roles;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.commerce.api.CommerceModels;
import io.downline.commerce.app.CommerceConfig;
import io.downline.commerce.app.OrderService;
import io.downline.commerce.app.ReturnService;

@Path("/")
@Tag(name = "Commerce")
public class OrderResource {

    static final String SIGNATURE_HEADER = "X-Signature";
    private static final String ORDER_ID = "0b9c7f56-0d6e-4c43-9a57-2b8f3f1e6d10";

    private final OrderService orders;
    private final ReturnService returns;
    private final IdempotencyService idempotency;
    private final SecurityIdentity identity;
    private final CurrentIdentityAssociation identities;
    private final CommerceConfig config;
    private final ObjectMapper mapper;
    private final Validator validator;

    public OrderResource(OrderService orders, ReturnService returns, IdempotencyService idempotency, SecurityIdentity identity,
            CurrentIdentityAssociation identities, CommerceConfig config, ObjectMapper mapper, Validator validator) {
        this.orders = orders;
        this.returns = returns;
        this.idempotency = idempotency;
        this.identity = identity;
        this.identities = identities;
        this.config = config;
        this.mapper = mapper;
        this.validator = validator;
    }

    @POST
    @Path("orders")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "checkout", summary = "Check out: the server prices and taxes the lines and picks the warehouse",
            description = "For the distributor or for a retail customer. The order waits for payment; stock is taken when it is paid.")
    @APIResponse(responseCode = "201", description = "The order, awaiting payment",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "409", description = "Out of stock, or no tax rate for a product", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> checkout(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe", example = "5d0f3c2a-8b1e-4f6d-9a7c-3e2b1d0c9f8a") String idempotencyKey,
            @Valid @NotNull CheckoutRequest request, @Context UriInfo uri) {
        Caller actor = Caller.of(identity);
        return idempotency.run(idempotencyKey, "checkout", request, () -> orders.checkout(request, actor)
                .map(order -> Response.created(uri.getBaseUriBuilder().path("orders").path(order.id().toString()).build())
                        .entity(order).build()));
    }

    @GET
    @Path("orders")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "listOrders", summary = "Orders, newest first: a distributor's own, or everyone's for staff")
    @APIResponse(responseCode = "200", description = "A page of orders (without their lines)")
    public Uni<Page<OrderView>> listOrders(@Valid @BeanParam PageRequest page) {
        return orders.orders(Caller.of(identity), page);
    }

    @GET
    @Path("orders/{id}")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "getOrder", summary = "An order with its lines, taxes and invoice")
    @APIResponse(responseCode = "200", description = "The order")
    public Uni<OrderView> getOrder(@PathParam("id") @Parameter(example = ORDER_ID) UUID id) {
        return orders.order(id, Caller.of(identity));
    }

    @POST
    @Path("orders/{id}/payment")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "payOrder", summary = "Record the order's payment: takes stock, issues the invoice, credits volume",
            description = "Idempotent: the same reference again answers the paid order; another reference for a paid order is a conflict.")
    @APIResponse(responseCode = "200", description = "The paid order with its invoice")
    @APIResponse(responseCode = "409", description = "Out of stock, already paid otherwise, or the tax rate changed", ref = "Conflict")
    public Uni<OrderView> payOrder(@PathParam("id") @Parameter(example = ORDER_ID) UUID id, @Valid @NotNull PaymentRequest payment) {
        return orders.pay(id, payment.reference(), payment.amount(), Caller.of(identity));
    }

    @POST
    @Path("payment-webhooks")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "receivePaymentWebhook", summary = "The payment gateway's signed notice that an order was paid",
            description = "Authenticated by the X-Signature header: hex HMAC-SHA256 of the raw body with the shared webhook secret. "
                    + "Repeated deliveries are harmless. A notice refused here is kept as a payment exception for finance.")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = GatewayNotice.class)))
    @APIResponse(responseCode = "200", description = "The paid order",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "403", description = "Wrong signature", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<OrderView> receivePaymentWebhook(
            @HeaderParam(SIGNATURE_HEADER) @Parameter(description = "Hex HMAC-SHA256 of the body", example = "9b2f4c0e1d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c") String signature,
            String body) {
        // the gateway has no token: its signature is the authentication, checked before the body is even parsed
        return identities.getDeferredIdentity().chain(anonymous -> {
            if (signature == null) {
                throw ProblemException.invalidField(SIGNATURE_HEADER, "is required");
            }
            if (!signatureMatches(signature, body == null ? "" : body)) {
                throw new ProblemException(ProblemType.FORBIDDEN, "The webhook signature does not match.");
            }
            GatewayNotice notice = parse(body);
            return orders.payFromGateway(notice.orderId(), notice.reference(), notice.amount());
        });
    }

    @GET
    @Path("payment-exceptions")
    @RolesAllowed({ Roles.FINANCE, Roles.ADMIN })
    @Operation(operationId = "listPaymentExceptions", summary = "Gateway payments that were captured but refused here, to refund or settle",
            description = "Newest first. A notice the service refused (wrong amount, order already paid by another payment, rate or "
                    + "stock changed since checkout, unknown order) still moved the customer's money at the gateway.")
    @APIResponse(responseCode = "200", description = "A page of exceptions")
    public Uni<Page<CommerceModels.PaymentExceptionView>> listPaymentExceptions(@Valid @BeanParam PageRequest page) {
        return orders.paymentExceptions(page);
    }

    @POST
    @Path("orders/{id}/returns")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPPORT })
    @Operation(operationId = "createReturn", summary = "Take goods back within the return window and refund them",
            description = "Full or partial: restocks, reverses the volume in the current period, issues a credit note, records the refund "
                    + "and writes order.refunded to the outbox.")
    @APIResponse(responseCode = "201", description = "The return",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ReturnView.class)))
    @APIResponse(responseCode = "409", description = "Outside the return window, or nothing left to return", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> createReturn(@PathParam("id") @Parameter(example = ORDER_ID) UUID id,
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe", example = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d") String idempotencyKey,
            @Valid @NotNull ReturnRequest request) {
        Caller actor = Caller.of(identity);
        return idempotency.run(idempotencyKey, "createReturn:" + id, request,
                () -> returns.create(id, request, actor).map(view -> Response.status(201).entity(view).build()));
    }

    @GET
    @Path("orders/{id}/returns")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "listReturns", summary = "The returns of an order")
    @APIResponse(responseCode = "200", description = "The returns, oldest first, as one whole page")
    public Uni<Page<ReturnView>> listReturns(@PathParam("id") @Parameter(example = ORDER_ID) UUID id) {
        return returns.returns(id, Caller.of(identity));
    }

    private boolean signatureMatches(String signature, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.webhookSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
            byte[] given;
            try {
                given = HexFormat.of().parseHex(signature.trim().toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(expected, given);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private GatewayNotice parse(String body) {
        GatewayNotice notice;
        try {
            notice = mapper.readValue(body, GatewayNotice.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The webhook body is not a payment notice.");
        }
        if (notice == null) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The webhook body is not a payment notice.");
        }
        var violations = validator.validate(notice);
        if (!violations.isEmpty()) {
            List<Problem.FieldError> errors = violations.stream()
                    .map((ConstraintViolation<GatewayNotice> v) -> new Problem.FieldError(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(java.util.Comparator.comparing(Problem.FieldError::field)).toList();
            throw new ProblemException(ProblemMappers.validationProblem(errors), null);
        }
        return notice;
    }
}
