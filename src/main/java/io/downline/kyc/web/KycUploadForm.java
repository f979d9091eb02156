package io.downline.kyc.web;

import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The multipart form of an upload. */
@Schema(name = "KycUpload")
public class KycUploadForm {

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    @Schema(required = true, enumeration = { "AADHAAR", "PAN", "BANK_PROOF", "PHOTO" }, example = "PAN")
    public String kind;

    @RestForm
    @Schema(required = true, type = SchemaType.STRING, format = "binary",
            description = "JPEG, PNG or PDF, decided by the content (not the name or declared type)")
    public FileUpload file;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    @Schema(description = "With an AADHAAR document only, and then required: the 12-digit number (spaces allowed); stored only "
            + "encrypted and shown as XXXX XXXX 1234", example = "2345 6789 0124")
    public String aadhaarNumber;
}
