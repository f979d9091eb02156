package io.downline.commerce.web;

import io.downline.identity.api.Caller;

import java.time.LocalDate;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.commerce.api.CommerceModels.EmployeeRequest;
import io.downline.commerce.api.CommerceModels.ExpenseRequest;
import io.downline.commerce.api.CommerceModels.ExpenseView;
import io.downline.commerce.api.CommerceModels.StockMovementRequest;
import io.downline.commerce.api.CommerceModels.StockMovementView;
import io.downline.commerce.api.CommerceModels.StockView;
import io.downline.commerce.api.CommerceModels.WarehouseRequest;
import io.downline.commerce.api.CommerceModels.WarehouseView;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.downline.common.validation.StorableDate;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.commerce.app.WarehouseService;

@Path("/warehouses")
@Tag(name = "Commerce")
public class WarehouseResource {

    private static final String CODE = "MUM-1";

    private final WarehouseService warehouses;
    private final IdempotencyService idempotency;
    private final SecurityIdentity identity;

    public WarehouseResource(WarehouseService warehouses, IdempotencyService idempotency, SecurityIdentity identity) {
        this.warehouses = warehouses;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "createWarehouse", summary = "Add a warehouse with the company's tax registration in its region")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WarehouseView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<Response> createWarehouse(@Valid @NotNull WarehouseRequest warehouse) {
        return warehouses.create(warehouse, identity.getPrincipal().getName()).map(view -> Response.status(201).entity(view).build());
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "listWarehouses", summary = "All warehouses with their representatives")
    @APIResponse(responseCode = "200", description = "A page of warehouses, by code")
    public Uni<Page<WarehouseView>> listWarehouses(@Valid @BeanParam PageRequest page) {
        return warehouses.warehouses(page);
    }

    @POST
    @Path("{code}/employees")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "addWarehouseEmployee", summary = "Make a staff account a regional representative of the warehouse")
    @APIResponse(responseCode = "200", description = "The warehouse with its representatives")
    public Uni<WarehouseView> addWarehouseEmployee(@PathParam("code") @Parameter(example = CODE) String code,
            @Valid @NotNull EmployeeRequest employee) {
        return warehouses.addEmployee(code, employee.username(), identity.getPrincipal().getName());
    }

    @POST
    @Path("{code}/stock-movements")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPPORT })
    @Operation(operationId = "moveStock", summary = "Receive goods, adjust stock, or transfer it to another warehouse",
            description = "Admins, or the warehouse's representatives. Stock never goes below zero.")
    @APIResponse(responseCode = "201", description = "The movements made (two for a transfer), as one whole page",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "StockMovementPage")))
    @APIResponse(responseCode = "409", description = "Not enough stock", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> moveStock(@PathParam("code") @Parameter(example = CODE) String code,
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe", example = "9d2e4f60-1a3b-4c5d-8e7f-0a1b2c3d4e5f") String idempotencyKey,
            @Valid @NotNull StockMovementRequest movement) {
        Caller actor = Caller.of(identity);
        return idempotency.run(idempotencyKey, "moveStock:" + code, movement,
                () -> warehouses.move(code, movement, actor).map(made -> Response.status(201).entity(made).build()));
    }

    @GET
    @Path("{code}/stock-movements")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "listStockMovements", summary = "The warehouse's stock movements, newest first")
    @APIResponse(responseCode = "200", description = "A page of movements")
    public Uni<Page<StockMovementView>> listStockMovements(@PathParam("code") @Parameter(example = CODE) String code,
            @Valid @BeanParam PageRequest page) {
        return warehouses.movements(code, page);
    }

    @GET
    @Path("{code}/stock")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT })
    @Operation(operationId = "getStock", summary = "The warehouse's quantity of each product")
    @APIResponse(responseCode = "200", description = "A page of stock levels, by SKU")
    public Uni<Page<StockView>> getStock(@PathParam("code") @Parameter(example = CODE) String code, @Valid @BeanParam PageRequest page) {
        return warehouses.stock(code, page);
    }

    @POST
    @Path("{code}/expenses")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPPORT })
    @Operation(operationId = "addWarehouseExpense", summary = "Record money the warehouse spent")
    @APIResponse(responseCode = "201", description = "Recorded",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ExpenseView.class)))
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> addWarehouseExpense(@PathParam("code") @Parameter(example = CODE) String code,
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe", example = "2b7c9d1e-3f4a-4b5c-9d6e-7f8a9b0c1d2e") String idempotencyKey,
            @Valid @NotNull ExpenseRequest expense) {
        Caller actor = Caller.of(identity);
        return idempotency.run(idempotencyKey, "addWarehouseExpense:" + code, expense,
                () -> warehouses.addExpense(code, expense, actor).map(view -> Response.status(201).entity(view).build()));
    }

    @GET
    @Path("{code}/activity")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "getWarehouseActivity", summary = "Receipts and expenses of the warehouse per employee in a date range")
    @APIResponse(responseCode = "200", description = "The report")
    public Uni<WarehouseService.ActivityView> getWarehouseActivity(@PathParam("code") @Parameter(example = CODE) String code,
            @QueryParam("from") @StorableDate @NotNull @Parameter(description = "First day, inclusive", example = "2026-11-01") LocalDate from,
            @QueryParam("to") @StorableDate @NotNull @Parameter(description = "Last day, inclusive", example = "2026-11-30") LocalDate to) {
        return warehouses.activity(code, from, to);
    }
}
