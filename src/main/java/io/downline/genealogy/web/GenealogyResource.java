package io.downline.genealogy.web;

import io.downline.identity.api.Caller;

import java.time.Duration;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.common.http.ClientAddress;
import io.downline.common.http.NoStore;
import io.downline.common.idempotency.IdempotencyService;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.security.Roles;
import io.downline.genealogy.api.GenealogyModels.MemberView;
import io.downline.genealogy.api.GenealogyModels.MyMembershipView;
import io.downline.genealogy.api.GenealogyModels.ProfileUpdate;
import io.downline.genealogy.api.GenealogyModels.NodeView;
import io.downline.genealogy.api.GenealogyModels.RegistrationRequest;
import io.downline.genealogy.api.GenealogyModels.RegistrationView;
import io.downline.genealogy.api.GenealogyModels.SummaryView;
import io.downline.genealogy.api.GenealogyModels.UplineView;
import io.downline.genealogy.api.GenealogyModels.VolumeEntryRequest;
import io.downline.genealogy.api.GenealogyModels.VolumeView;
import io.downline.identity.api.Throttle;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.downline.genealogy.api.GenealogyModels;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.app.GenealogyService;
import io.downline.genealogy.app.HoldingTank;
import io.downline.genealogy.app.ProfileService;
import io.downline.genealogy.app.RegistrationService;

@Path("/")
@Tag(name = "Genealogy")
public class GenealogyResource {

    private static final String CODE_EXAMPLE = "DL00000017";
    private static final int ANONYMOUS_REGISTRATIONS_PER_MINUTE = 20;

    private final RegistrationService registrations;
    private final HoldingTank holdingTank;
    private final GenealogyService genealogy;
    private final ProfileService profiles;
    private final IdempotencyService idempotency;
    private final Throttle throttle;
    private final SecurityIdentity identity;
    private final CurrentIdentityAssociation identities;

    public GenealogyResource(RegistrationService registrations, HoldingTank holdingTank, GenealogyService genealogy,
            ProfileService profiles, IdempotencyService idempotency, Throttle throttle, SecurityIdentity identity, CurrentIdentityAssociation identities) {
        this.registrations = registrations;
        this.holdingTank = holdingTank;
        this.genealogy = genealogy;
        this.profiles = profiles;
        this.idempotency = idempotency;
        this.throttle = throttle;
        this.identity = identity;
        this.identities = identities;
    }

    @POST
    @NoStore
    @Path("registrations")
    @PermitAll
    @Operation(operationId = "register", summary = "Register a distributor under a sponsor; joining is free",
            description = "Anyone may register through a sponsor's member or referral code (throttled per address); a distributor "
                    + "registers their own recruits and, if the plan allows, chooses their placement; admins may do both for anyone "
                    + "and create the root member; support and finance register for anyone but leave the placement to the plan.")
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = RegistrationView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    public Uni<Response> register(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe: a repeat returns the first response",
                    example = "5b1f0c7e-9a43-4d2b-8f8e-1c2d3e4f5a6b") String idempotencyKey,
            @Valid @NotNull RegistrationRequest request, @Context UriInfo uri, HttpServerRequest http) {
        String address = ClientAddress.of(http);
        return identities.getDeferredIdentity().map(Caller::of).chain(caller -> {
            Uni<Void> throttled = caller.anonymous()
                    ? throttle.hit("register:" + address, ANONYMOUS_REGISTRATIONS_PER_MINUTE, Duration.ofMinutes(1))
                            .invoke(wait -> Throttle.refuseIfThrottled(wait, "Too many registrations from this address."))
                            .replaceWithVoid()
                    : Uni.createFrom().voidItem();
            // the key is claimed and its response recorded in the registration's own transaction (RegistrationService)
            UriBuilder members = uri.getBaseUriBuilder().path("members");
            return throttled.chain(() -> idempotency.keyed(idempotencyKey, "register", request)).chain(keyed -> registrations.register(request,
                    caller, keyed, registered -> Response.created(members.clone().path(registered.view().memberCode()).build())
                            .entity(registered.view()).build()));
        });
    }

    @POST
    @Path("members/{code}/placement")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN })
    @Operation(operationId = "placeFromHoldingTank", summary = "Place a recruit who waits in the holding tank",
            description = "The recruit's sponsor or an admin; without a body the plan's default placement is used.")
    @APIResponse(responseCode = "200", description = "Where the recruit was placed")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<GenealogyModels.PlacementView> placeFromHoldingTank(@PathParam("code") @Parameter(example = "DL00000421") String code,
            @Valid GenealogyModels.PlacementChoice choice) {
        return holdingTank.place(code, choice, Caller.of(identity));
    }

    @GET
    @Path("members/me")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "getMyMembership", summary = "The caller's own distributor record",
            description = "Member and referral codes, profile, and the sponsor and placement parent (their name and member code only).")
    @APIResponse(responseCode = "200", description = "The caller as a member")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<MyMembershipView> getMyMembership() {
        return profiles.me(Caller.of(identity));
    }

    @PUT
    @Path("members/me/profile")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "updateMyProfile", summary = "Change the caller's own name, email address, phone and postal address",
            description = "The email address is also the account's: activation and password reset messages go there.")
    @APIResponse(responseCode = "200", description = "The caller as a member, after the change")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<MyMembershipView> updateMyProfile(@Valid @NotNull ProfileUpdate update) {
        return profiles.update(Caller.of(identity), update);
    }

    @GET
    @Path("members/{code}")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.SUPPORT, Roles.FINANCE })
    @Operation(operationId = "getMember", summary = "A member of the caller's sponsor downline (any member, for staff)")
    @APIResponse(responseCode = "200", description = "The member")
    public Uni<MemberView> getMember(@PathParam("code") @Parameter(example = CODE_EXAMPLE) String code) {
        return genealogy.member(Caller.of(identity), code);
    }

    @GET
    @Path("members/{code}/tree")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.SUPPORT, Roles.FINANCE })
    @Operation(operationId = "getTree", summary = "A member and their downline to a few levels, in pre-order, a page at a time",
            description = "Each node carries member code, name, rank, status, personal volume of the period and team size.")
    @APIResponse(responseCode = "200", description = "A page of the tree")
    public Uni<Page<NodeView>> getTree(@PathParam("code") @Parameter(example = CODE_EXAMPLE) String code,
            @QueryParam("tree") @DefaultValue("PLACEMENT") @Parameter(description = "Which tree", example = "PLACEMENT", schema = @Schema(type = SchemaType.STRING, enumeration = { "SPONSOR", "PLACEMENT" })) Tree tree,
            @QueryParam("levels") @DefaultValue("3") @Min(0) @Max(GenealogyService.MAX_LEVELS)
            @Parameter(description = "Levels below the member, 0 to 10", example = "3") int levels,
            @QueryParam("period") @Parameter(description = "Volume period; the current one when absent", example = "2026-11") String period,
            @Valid @BeanParam PageRequest page) {
        return genealogy.treeView(Caller.of(identity), tree, code, levels, period, page);
    }

    @GET
    @Path("members/{code}/summary")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.SUPPORT, Roles.FINANCE })
    @Operation(operationId = "getDownlineSummary", summary = "Team size, per-level counts and volumes, group volume and binary legs")
    @APIResponse(responseCode = "200", description = "The summary")
    public Uni<SummaryView> getDownlineSummary(@PathParam("code") @Parameter(example = CODE_EXAMPLE) String code,
            @QueryParam("tree") @DefaultValue("PLACEMENT") @Parameter(description = "Which tree", example = "PLACEMENT", schema = @Schema(type = SchemaType.STRING, enumeration = { "SPONSOR", "PLACEMENT" })) Tree tree,
            @QueryParam("period") @Parameter(description = "Volume period; the current one when absent", example = "2026-11") String period,
            @QueryParam("levels") @DefaultValue("5") @Min(1) @Max(GenealogyService.MAX_LEVELS)
            @Parameter(description = "Levels listed one by one, 1 to 10", example = "5") int levels) {
        return genealogy.summary(Caller.of(identity), tree, code, period, levels);
    }

    @GET
    @Path("members/{code}/upline")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.SUPPORT, Roles.FINANCE })
    @Operation(operationId = "getUpline", summary = "The path from a member towards the root, the member first",
            description = "A distributor sees the path only up to themselves. Each page continues towards the root.")
    @APIResponse(responseCode = "200", description = "A page of the path")
    public Uni<Page<UplineView>> getUpline(@PathParam("code") @Parameter(example = CODE_EXAMPLE) String code,
            @QueryParam("tree") @DefaultValue("PLACEMENT") @Parameter(description = "Which tree", example = "SPONSOR", schema = @Schema(type = SchemaType.STRING, enumeration = { "SPONSOR", "PLACEMENT" })) Tree tree,
            @Valid @BeanParam PageRequest page) {
        return genealogy.upline(Caller.of(identity), tree, code, page);
    }

    @GET
    @Path("members/{code}/recruits")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.SUPPORT, Roles.FINANCE })
    @Operation(operationId = "listRecruits", summary = "A member's direct recruits (sponsor tree), in joining order")
    @APIResponse(responseCode = "200", description = "A page of recruits")
    public Uni<Page<MemberView>> listRecruits(@PathParam("code") @Parameter(example = CODE_EXAMPLE) String code,
            @Valid @BeanParam PageRequest page) {
        return genealogy.recruits(Caller.of(identity), code, page);
    }

    @GET
    @Path("members/{code}/search")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.SUPPORT, Roles.FINANCE })
    @Operation(operationId = "searchDownline", summary = "Members of a downline by any part of the name, or by member code",
            description = "Parts of three characters or more use a trigram index.")
    @APIResponse(responseCode = "200", description = "A page of matching members, by name")
    public Uni<Page<MemberView>> searchDownline(@PathParam("code") @Parameter(example = CODE_EXAMPLE) String code,
            @QueryParam("q") @NotBlank @Size(min = 2, max = 60) @Parameter(description = "Any part of the name, or a member code", example = "meno") String q,
            @QueryParam("tree") @DefaultValue("SPONSOR") @Parameter(description = "Which tree", example = "SPONSOR", schema = @Schema(type = SchemaType.STRING, enumeration = { "SPONSOR", "PLACEMENT" })) Tree tree,
            @Valid @BeanParam PageRequest page) {
        return genealogy.search(Caller.of(identity), tree, code, q, page);
    }

    @GET
    @Path("members/{code}/volume")
    @RolesAllowed({ Roles.DISTRIBUTOR, Roles.ADMIN, Roles.SUPPORT, Roles.FINANCE })
    @Operation(operationId = "getPersonalVolume", summary = "A member's personal volume in a period")
    @APIResponse(responseCode = "200", description = "The volume")
    public Uni<VolumeView> getPersonalVolume(@PathParam("code") @Parameter(example = CODE_EXAMPLE) String code,
            @QueryParam("period") @Parameter(description = "Volume period; the current one when absent", example = "2026-11") String period) {
        return genealogy.volume(Caller.of(identity), code, period);
    }

    @POST
    @Path("volumes")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "recordVolume", summary = "Add personal volume to a member's period (orders will do this; admins can now)")
    @APIResponse(responseCode = "201", description = "The member's new period total",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = VolumeView.class)))
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
    public Uni<Response> recordVolume(
            @HeaderParam(IdempotencyService.HEADER) @Parameter(description = "Makes retries safe", example = "0e7c1d52-1b9a-4a1e-8f37-6f1f5e2b9c10") String idempotencyKey,
            @Valid @NotNull VolumeEntryRequest entry) {
        return idempotency.run(idempotencyKey, "recordVolume", entry, () -> genealogy.recordVolume(entry, identity.getPrincipal().getName())
                .map(view -> Response.status(201).entity(view).build()));
    }
}
