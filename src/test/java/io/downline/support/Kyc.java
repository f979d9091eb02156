package io.downline.support;

import static io.restassured.RestAssured.given;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ThreadLocalRandom;

import javax.imageio.ImageIO;

import org.apache.commons.validator.routines.checkdigit.CheckDigitException;
import org.apache.commons.validator.routines.checkdigit.VerhoeffCheckDigit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** KYC documents as a distributor uploads them, and a member's KYC taken to approved. */
public final class Kyc {

    public static final String PAN = "ABCPK1234F";

    private Kyc() {
    }

    /** The member's PAN entered, all four documents uploaded and approved by a new support reviewer. */
    public static void approve(Wallets.Member member) {
        Accounts.Account support = Accounts.create("support");
        given().header("Authorization", member.bearer()).contentType(ContentType.JSON).body("{\"pan\":\"" + PAN + "\"}")
                .put("/api/v1/wallet/tax-profile").then().statusCode(200);
        int aadhaar = upload(member, "AADHAAR", jpeg(), "photo.jpg", "image/jpeg", aadhaarNumber()).then().statusCode(201).extract().path("id");
        int pan = upload(member, "PAN", pdf(), "pan.pdf", "application/pdf", null).then().statusCode(201).extract().path("id");
        int bank = upload(member, "BANK_PROOF", png(), "cheque.png", "image/png", null).then().statusCode(201).extract().path("id");
        int photo = upload(member, "PHOTO", jpeg(), "me.jpg", "image/jpeg", null).then().statusCode(201).extract().path("id");
        approve(support, aadhaar, "{}").then().statusCode(200);
        approve(support, pan, "{\"pan\":\"" + PAN + "\"}").then().statusCode(200);
        approve(support, bank, "{}").then().statusCode(200);
        approve(support, photo, "{}").then().statusCode(200);
    }

    public static Response upload(Wallets.Member member, String kind, byte[] file, String fileName, String declaredType, String aadhaarNumber) {
        var request = given().header("Authorization", member.bearer()).multiPart("kind", kind).multiPart("file", fileName, file, declaredType);
        if (aadhaarNumber != null) {
            request.multiPart("aadhaarNumber", aadhaarNumber);
        }
        return request.post("/api/v1/kyc/documents");
    }

    public static Response approve(Accounts.Account reviewer, long id, String body) {
        return given().header("Authorization", reviewer.bearer()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/kyc/documents/" + id + "/approval");
    }

    /** A random valid Aadhaar number: first digit 2 to 9, Verhoeff check digit last. */
    public static String aadhaarNumber() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String body = (2 + random.nextInt(8)) + String.format("%010d", random.nextLong(10_000_000_000L));
        try {
            return body + VerhoeffCheckDigit.VERHOEFF_CHECK_DIGIT.calculate(body);
        } catch (CheckDigitException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] jpeg() {
        return image("jpg");
    }

    public static byte[] png() {
        return image("png");
    }

    /** A real one-page PDF. */
    public static byte[] pdf() {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            document.addPage(new PDPage());
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] image(String format) {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 5, ThreadLocalRandom.current().nextInt(0xFFFFFF));
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
