package io.downline.kyc.web;

import io.downline.identity.api.Caller;

import java.util.Locale;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.security.Roles;
import io.downline.kyc.api.DocumentKind;
import io.downline.kyc.api.DocumentStatus;
import io.downline.kyc.app.KycModels.ApprovalRequest;
import io.downline.kyc.app.KycModels.DocumentView;
import io.downline.kyc.app.KycModels.KycStatusView;
import io.downline.kyc.app.KycModels.ReadView;
import io.downline.kyc.app.KycModels.RejectionRequest;
import io.downline.kyc.app.KycService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path("/")
@Tag(name = "KYC")
public class KycResource {

    private static final String CONTENT_DESCRIPTION = "The document as uploaded (JPEG, PNG or PDF); the read is logged";

    private final KycService kyc;
    private final SecurityIdentity identity;

    public KycResource(KycService kyc, SecurityIdentity identity) {
        this.kyc = kyc;
        this.identity = identity;
    }

    // ---- the distributor ------------------------------------------------------------------------------------------

    @POST
    @Path("kyc/documents")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "uploadKycDocument", summary = "Upload one of the caller's KYC documents (Aadhaar, PAN, bank proof, photo)",
            description = "Multipart form. The type is decided by the content: JPEG, PNG or PDF, anything else 415; larger than the "
                    + "document limit (5 MB by default) 413. The file is encrypted before it is stored. A new upload replaces a pending "
                    + "document of the same kind; an AADHAAR document carries the Aadhaar number.")
    @APIResponse(responseCode = "201", description = "Stored, awaiting review",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = DocumentView.class)))
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    public Uni<Response> uploadKycDocument(
            @RestForm("kind") @PartType(MediaType.TEXT_PLAIN) @Schema(required = true, enumeration = { "AADHAAR", "PAN", "BANK_PROOF",
                    "PHOTO" }, example = "PAN") String kind,
            @RestForm("file") @Schema(required = true, type = SchemaType.STRING, format = "binary",
                    description = "JPEG, PNG or PDF, decided by the content (not the name or declared type)") FileUpload file,
            @RestForm("aadhaarNumber") @PartType(MediaType.TEXT_PLAIN) @Schema(description = "With an AADHAAR document only, and then "
                    + "required: the 12-digit number (spaces allowed); stored only encrypted and shown as XXXX XXXX 1234",
                    example = "2345 6789 0124") String aadhaarNumber) {
        if (file == null) {
            throw ProblemException.invalidField("file", "is required");
        }
        return kyc.upload(userId(), actor(), kind(kind), file.uploadedFile(), file.size(), aadhaarNumber)
                .map(view -> Response.status(Response.Status.CREATED).entity(view).build());
    }

    @GET
    @Path("kyc/me")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "getMyKyc", summary = "The caller's KYC: each document's status and the reasons of rejections")
    @APIResponse(responseCode = "200", description = "The KYC status")
    public Uni<KycStatusView> getMyKyc() {
        return kyc.myStatus(userId());
    }

    @GET
    @Path("kyc/me/documents/{id}/content")
    @Produces({ "application/pdf", "image/jpeg", "image/png" })
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "getMyKycDocumentContent", summary = "One of the caller's own documents")
    @APIResponse(responseCode = "200", description = CONTENT_DESCRIPTION,
            content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Uni<Response> getMyKycDocumentContent(@PathParam("id") @Parameter(example = "812") long id) {
        return kyc.myContent(userId(), actor(), id).map(KycResource::content);
    }

    @GET
    @Path("kyc/me/reads")
    @RolesAllowed(Roles.DISTRIBUTOR)
    @Operation(operationId = "listMyKycDocumentReads", summary = "Who read the caller's documents, when and why; newest first")
    @APIResponse(responseCode = "200", description = "A page of reads")
    public Uni<Page<ReadView>> listMyKycDocumentReads(
            @QueryParam("documentId") @Parameter(description = "Only reads of this document", example = "812") Long documentId,
            @Valid @BeanParam PageRequest page) {
        return kyc.myReads(userId(), documentId, page);
    }

    // ---- staff ----------------------------------------------------------------------------------------------------

    @GET
    @Path("kyc/documents")
    @RolesAllowed({ Roles.SUPPORT, Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "listKycDocuments", summary = "KYC documents, oldest first: with status=PENDING, the review queue")
    @APIResponse(responseCode = "200", description = "A page of documents")
    public Uni<Page<DocumentView>> listKycDocuments(
            @QueryParam("status") @Parameter(description = "Only documents in this status", example = "PENDING") DocumentStatus status,
            @QueryParam("kind") @Parameter(description = "Only documents of this kind", example = "PAN") DocumentKind kind,
            @QueryParam("memberCode") @Parameter(description = "Only this member's documents", example = "DL00000421") String memberCode,
            @Valid @BeanParam PageRequest page) {
        return kyc.list(memberCode, status, kind, page);
    }

    @GET
    @Path("kyc/documents/{id}")
    @RolesAllowed({ Roles.SUPPORT, Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "getKycDocument", summary = "A KYC document's metadata and review state")
    @APIResponse(responseCode = "200", description = "The document")
    public Uni<DocumentView> getKycDocument(@PathParam("id") @Parameter(example = "812") long id) {
        return kyc.find(id);
    }

    @GET
    @Path("kyc/documents/{id}/content")
    @Produces({ "application/pdf", "image/jpeg", "image/png" })
    @RolesAllowed({ Roles.SUPPORT, Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "getKycDocumentContent", summary = "Read a member's document, saying why",
            description = "The reader, time and reason are logged before the content is decrypted; the member can list them.")
    @APIResponse(responseCode = "200", description = CONTENT_DESCRIPTION,
            content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Uni<Response> getKycDocumentContent(@PathParam("id") @Parameter(example = "812") long id,
            @QueryParam("reason") @Parameter(required = true, description = "Why the document is read (up to 500 characters)",
                    example = "Reviewing the uploaded PAN card") String reason) {
        return kyc.content(id, actor(), identity.getRoles(), reason).map(KycResource::content);
    }

    @POST
    @Path("kyc/documents/{id}/approval")
    @RolesAllowed({ Roles.SUPPORT, Roles.ADMIN })
    @Operation(operationId = "approveKycDocument", summary = "Approve a pending document (never one's own)",
            description = "A PAN card needs the PAN read on it: 409 unless it is the PAN the member entered, which then becomes "
                    + "operative for TDS. 409 when the document was decided already or a newer one replaced it.")
    @APIResponse(responseCode = "200", description = "Approved")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<DocumentView> approveKycDocument(@PathParam("id") @Parameter(example = "812") long id, @Valid @NotNull ApprovalRequest request) {
        return kyc.approve(id, userId(), actor(), request);
    }

    @POST
    @Path("kyc/documents/{id}/rejection")
    @RolesAllowed({ Roles.SUPPORT, Roles.ADMIN })
    @Operation(operationId = "rejectKycDocument", summary = "Reject a pending document with a reason the member sees (never one's own)")
    @APIResponse(responseCode = "200", description = "Rejected")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<DocumentView> rejectKycDocument(@PathParam("id") @Parameter(example = "812") long id, @Valid @NotNull RejectionRequest request) {
        return kyc.reject(id, userId(), actor(), request.reason());
    }

    @GET
    @Path("members/{code}/kyc")
    @RolesAllowed({ Roles.SUPPORT, Roles.ADMIN, Roles.FINANCE })
    @Operation(operationId = "getMemberKyc", summary = "A member's KYC status")
    @APIResponse(responseCode = "200", description = "The KYC status")
    public Uni<KycStatusView> getMemberKyc(@PathParam("code") @Parameter(example = "DL00000421") String code) {
        return kyc.statusOf(code);
    }

    private static Response content(io.downline.kyc.app.KycModels.Content content) {
        return Response.ok(content.bytes(), content.contentType())
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + content.fileName() + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private static DocumentKind kind(String text) {
        try {
            return DocumentKind.valueOf(text == null ? "" : text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("kind", "must be one of AADHAAR, PAN, BANK_PROOF, PHOTO");
        }
    }

    private UUID userId() {
        return Caller.of(identity).userId();
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
