package io.downline.commerce.web;

import io.downline.identity.api.Caller;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.commerce.api.CommerceModels.ProductRequest;
import io.downline.commerce.api.CommerceModels.ProductUpdate;
import io.downline.commerce.api.CommerceModels.ProductView;
import io.downline.commerce.api.CommerceModels.TaxRate;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.commerce.app.CatalogueService;

@Path("/")
@Tag(name = "Commerce")
public class CatalogueResource {

    private final CatalogueService catalogue;
    private final IdempotencyService idempotency;
    private final SecurityIdentity identity;

    public CatalogueResource(CatalogueService catalogue, IdempotencyService idempotency, SecurityIdentity identity) {
        this.catalogue = catalogue;
        this.idempotency = idempotency;
        this.identity = identity;
    }

    @POST
    @Path("tax-rates")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "addTaxRate", summary = "Add a tax rate in force from a date (e.g. the GST change of 22 Sep 2025)",
            description = "Rates are dated data: an invoice uses the rate in force on its date for its HSN code (longest prefix).")
    @APIResponse(responseCode = "201", description = "Added",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TaxRate.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<Response> addTaxRate(@Valid @NotNull TaxRate rate) {
        return catalogue.addRate(rate, identity.getPrincipal().getName()).map(added -> Response.status(201).entity(added).build());
    }

    @GET
    @Path("tax-rates")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT, Roles.DISTRIBUTOR })
    @Operation(operationId = "listTaxRates", summary = "The tax rates of a country, by HSN prefix and date")
    @APIResponse(responseCode = "200", description = "A page of rates")
    public Uni<Page<TaxRate>> listTaxRates(
            @QueryParam("country") @NotNull @Parameter(description = "ISO 3166 country code", example = "IN") String country,
            @Valid @BeanParam PageRequest page) {
        return catalogue.rates(country, page);
    }

    @POST
    @Path("products")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "createProduct", summary = "Add a product to the catalogue")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> createProduct(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe", example = "c0a8012e-7d1f-4b8e-9e2a-5f3c1d2b4a6e") String idempotencyKey,
            @Valid @NotNull ProductRequest product, @Context UriInfo uri) {
        return idempotency.run(idempotencyKey, "createProduct", product, () -> catalogue.create(product, identity.getPrincipal().getName())
                .map(view -> Response.created(uri.getBaseUriBuilder().path("products").path(view.sku()).build()).entity(view).build()));
    }

    @GET
    @Path("products")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT, Roles.DISTRIBUTOR })
    @Operation(operationId = "listProducts", summary = "The catalogue in SKU order; distributors see the products on sale")
    @APIResponse(responseCode = "200", description = "A page of products")
    public Uni<Page<ProductView>> listProducts(@Valid @BeanParam PageRequest page) {
        Caller actor = Caller.of(identity);
        return catalogue.products(page, !actor.staff());
    }

    @PATCH
    @Path("products/{sku}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "updateProduct", summary = "Change a product's name, description, volume, prices or sale status",
            description = "Orders already placed keep the price, name and volume they were placed with.")
    @APIResponse(responseCode = "200", description = "The product as it is now")
    public Uni<ProductView> updateProduct(@PathParam("sku") @Parameter(example = "NUT-PROT-500") String sku,
            @Valid @NotNull ProductUpdate change) {
        return catalogue.update(sku, change, identity.getPrincipal().getName());
    }

    @GET
    @Path("products/{sku}")
    @RolesAllowed({ Roles.ADMIN, Roles.FINANCE, Roles.SUPPORT, Roles.DISTRIBUTOR })
    @Operation(operationId = "getProduct", summary = "A product")
    @APIResponse(responseCode = "200", description = "The product")
    public Uni<ProductView> getProduct(@PathParam("sku") @Parameter(example = "NUT-PROT-500") String sku) {
        return catalogue.product(sku);
    }
}
