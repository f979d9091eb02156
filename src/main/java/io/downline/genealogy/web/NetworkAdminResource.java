package io.downline.genealogy.web;

import io.downline.identity.api.Caller;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.downline.common.security.Roles;
import io.downline.genealogy.app.NetworkImport.ImportView;
import io.downline.genealogy.app.TreeMaintenance.RelabelResult;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.genealogy.api.GenealogyModels;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.app.NetworkCorrections;
import io.downline.genealogy.app.NetworkImport;
import io.downline.genealogy.app.TreeMaintenance;

/** Admin tools for the network as a whole: migrating an existing network in, and the full relabel. */
@Path("/")
@Tag(name = "Genealogy")
@RolesAllowed(Roles.ADMIN)
public class NetworkAdminResource {

    private final NetworkImport imports;
    private final TreeMaintenance maintenance;
    private final NetworkCorrections corrections;
    private final SecurityIdentity identity;

    public NetworkAdminResource(NetworkImport imports, TreeMaintenance maintenance, NetworkCorrections corrections,
            SecurityIdentity identity) {
        this.imports = imports;
        this.maintenance = maintenance;
        this.corrections = corrections;
        this.identity = identity;
    }

    @POST
    @Path("members/{code}/move")
    @Operation(operationId = "moveMember", summary = "Move a member with their whole downline in the placement tree (a correction)",
            description = "The sponsor stays; the move and its reason go into the genealogy audit.")
    @APIResponse(responseCode = "200", description = "The member's new placement")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<GenealogyModels.PlacementView> moveMember(@PathParam("code") @Parameter(example = "DL00000421") String code,
            @Valid @NotNull NetworkCorrections.MoveRequest move) {
        return corrections.move(code, move, Caller.of(identity));
    }

    @POST
    @Path("imports")
    @Consumes({ "text/csv", "application/x-ndjson", "text/plain" })
    @Operation(operationId = "startImport", summary = "Import an existing network into an empty one, all or nothing",
            description = "CSV with a header line, or JSON lines, with the fields memberCode, sponsor, parent, side (LEFT/RIGHT, binary) "
                    + "or position (matrix), joinedAt, fullName, email, phone, stateCode. Every line is validated first (one root, "
                    + "sponsors and parents present, no cycles, no position filled twice); then everything is written in one "
                    + "transaction. Poll the job for progress.")
    @APIResponse(responseCode = "202", description = "Started",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ImportView.class)))
    public Uni<Response> startImport(
            @QueryParam("format") @DefaultValue("CSV") @Parameter(description = "CSV or JSONL", example = "CSV",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "CSV", "JSONL" })) NetworkImport.Format format,
            @NotBlank @Schema(example = "memberCode,sponsor,parent,side,joinedAt,fullName\nAB001,,,,2019-04-01T00:00:00Z,Founder\n") String content,
            @Context UriInfo uri) {
        return imports.start(content, format, identity.getPrincipal().getName())
                .map(job -> Response.accepted(job).location(uri.getBaseUriBuilder().path("imports").path(job.id().toString()).build()).build());
    }

    @GET
    @Path("imports/{id}")
    @Operation(operationId = "getImport", summary = "How far an import got, and its problems if it failed")
    @APIResponse(responseCode = "200", description = "The import job")
    public Uni<ImportView> getImport(@PathParam("id") @Parameter(example = "5b1f0c7e-9a43-4d2b-8f8e-1c2d3e4f5a6b") UUID id) {
        return imports.job(id);
    }

    @POST
    @Path("trees/{tree}/relabel")
    @Operation(operationId = "relabelTree", summary = "Rebuild a tree's labels from its parent pointers (maintenance)",
            description = "Takes the tree's lock for the duration: placements in that tree wait. Readers are not blocked.")
    @APIResponse(responseCode = "200", description = "Relabelled")
    public Uni<RelabelResult> relabelTree(@PathParam("tree") @Parameter(example = "PLACEMENT",
            schema = @Schema(type = SchemaType.STRING, enumeration = { "SPONSOR", "PLACEMENT" })) Tree tree) {
        return maintenance.relabel(tree);
    }
}
