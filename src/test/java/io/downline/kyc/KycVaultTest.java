package io.downline.kyc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.downline.common.Hashing;
import io.downline.support.Accounts;
import io.downline.support.Kyc;
import io.downline.support.Network;
import io.downline.support.Wallets;
import io.downline.support.Wallets.Member;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The KYC vault: uploads by content type, encryption at rest, Aadhaar masking, review rules and the access log. */
@QuarkusTest
class KycVaultTest {

    private static final Path VAULT = Path.of("target/kyc-vault-test");

    @Test
    void everyAllowedTypeIsAcceptedByContentAndDisguisedOrOversizedFilesAreRefused() {
        Accounts.Account admin = Accounts.create("admin");
        Member m = Wallets.member(admin, "Uma Uploads");
        byte[] png = Kyc.png();
        // the name and declared type say PDF; the content is PNG, and that is what counts
        Kyc.upload(m, "PHOTO", png, "photo.pdf", "application/pdf", null).then().statusCode(201)
                .body("contentType", equalTo("image/png")).body("status", equalTo("PENDING")).body("memberCode", equalTo(m.code()))
                .body("sizeBytes", equalTo(png.length)).body("sha256", equalTo(HexFormat.of().formatHex(Hashing.sha256(png))));
        Kyc.upload(m, "PHOTO", Kyc.jpeg(), "photo.jpg", "image/jpeg", null).then().statusCode(201).body("contentType", equalTo("image/jpeg"));
        Kyc.upload(m, "BANK_PROOF", Kyc.pdf(), "cheque.pdf", "application/pdf", null).then().statusCode(201)
                .body("contentType", equalTo("application/pdf"));
        long stored = documents();

        byte[] html = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8);
        Kyc.upload(m, "PAN", html, "pan.pdf", "application/pdf", null).then().statusCode(415)
                .body("type", equalTo("urn:downline:problem:unsupported-media-type")).body("detail", containsString("text/html"));
        byte[] elf = new byte[256];
        System.arraycopy(new byte[] { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 }, 0, elf, 0, 8);
        Kyc.upload(m, "PAN", elf, "pan.jpg", "image/jpeg", null).then().statusCode(415);
        byte[] exe = new byte[256];
        exe[0] = 'M';
        exe[1] = 'Z';
        Kyc.upload(m, "PAN", exe, "pan.png", "image/png", null).then().statusCode(415);

        // over the per-document limit (64K in tests) but within the upload body limit: the service says 413
        byte[] big = new byte[80 * 1024];
        System.arraycopy(Kyc.pdf(), 0, big, 0, 8);
        Kyc.upload(m, "PAN", big, "pan.pdf", "application/pdf", null).then().statusCode(413)
                .body("type", equalTo("urn:downline:problem:payload-too-large"));
        // over the upload body limit: refused before it is read
        Kyc.upload(m, "PAN", new byte[200 * 1024], "pan.pdf", "application/pdf", null).then().statusCode(413)
                .body("type", equalTo("urn:downline:problem:payload-too-large"));
        Kyc.upload(m, "PAN", new byte[0], "pan.pdf", "application/pdf", null).then().statusCode(400);
        Kyc.upload(m, "PASSPORT", png, "p.png", "image/png", null).then().statusCode(400).body("errors[0].field", equalTo("kind"));
        given().header("Authorization", m.bearer()).multiPart("kind", "PAN").post("/api/v1/kyc/documents").then().statusCode(400)
                .body("errors[0].field", equalTo("file"));
        assertEquals(stored, documents(), "nothing refused was stored");

        // staff cannot upload in a member's name; a distributor cannot use staff endpoints
        given().header("Authorization", admin.bearer()).multiPart("kind", "PAN").multiPart("file", "p.png", png, "image/png")
                .post("/api/v1/kyc/documents").then().statusCode(403);
        given().header("Authorization", m.bearer()).get("/api/v1/kyc/documents").then().statusCode(403);
    }

    @Test
    void documentsAreEncryptedAtRestAndAChangedByteFailsDecryption() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account support = Accounts.create("support");
        Member m = Wallets.member(admin, "Esha Encrypted");
        byte[] pdf = Kyc.pdf();
        int id = Kyc.upload(m, "BANK_PROOF", pdf, "cheque.pdf", "application/pdf", null).then().statusCode(201).extract().path("id");

        Path file = VAULT.resolve(Network.query("select storage_ref from kyc.document where id = ?", (long) id));
        byte[] atRest = Files.readAllBytes(file);
        assertNotEquals(pdf.length, atRest.length, "ciphertext carries an IV and a tag");
        assertFalse(new String(atRest, StandardCharsets.ISO_8859_1).contains("%PDF"), "the stored bytes are not the plaintext");

        byte[] read = given().header("Authorization", support.bearer()).queryParam("reason", "Checking the cancelled cheque")
                .get("/api/v1/kyc/documents/" + id + "/content").then().statusCode(200).contentType("application/pdf")
                .header("Cache-Control", "no-store").extract().asByteArray();
        assertArrayEquals(pdf, read);

        byte[] flipped = atRest.clone();
        flipped[flipped.length / 2] ^= 0x01;
        Files.write(file, flipped);
        try {
            given().header("Authorization", support.bearer()).queryParam("reason", "Checking the cancelled cheque again")
                    .get("/api/v1/kyc/documents/" + id + "/content").then().statusCode(500)
                    .contentType("application/problem+json").body("type", equalTo("urn:downline:problem:document-damaged"));
        } finally {
            Files.write(file, atRest);
        }
        // another member's ciphertext does not decrypt under this record either (associated data binds it)
        int other = Kyc.upload(m, "PHOTO", Kyc.png(), "p.png", "image/png", null).then().statusCode(201).extract().path("id");
        Path otherFile = VAULT.resolve(Network.query("select storage_ref from kyc.document where id = ?", (long) other));
        Files.copy(otherFile, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try {
            given().header("Authorization", support.bearer()).queryParam("reason", "Checking the cancelled cheque once more")
                    .get("/api/v1/kyc/documents/" + id + "/content").then().statusCode(500)
                    .body("type", equalTo("urn:downline:problem:document-damaged"));
        } finally {
            Files.write(file, atRest);
        }
    }

    @Test
    void theAadhaarNumberIsCheckedStoredEncryptedAndShownMaskedInEveryResponse() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account support = Accounts.create("support");
        Member m = Wallets.member(admin, "Anil Aadhaar");
        String number = Kyc.aadhaarNumber();
        String wrongCheck = number.substring(0, 11) + ((number.charAt(11) - '0' + 1) % 10);
        String spaced = number.substring(0, 4) + " " + number.substring(4, 8) + " " + number.substring(8);
        String masked = "XXXX XXXX " + number.substring(8);

        Kyc.upload(m, "AADHAAR", Kyc.jpeg(), "a.jpg", "image/jpeg", wrongCheck).then().statusCode(400)
                .body("errors[0].field", equalTo("aadhaarNumber")).body("errors[0].message", containsString("check digit"));
        Kyc.upload(m, "AADHAAR", Kyc.jpeg(), "a.jpg", "image/jpeg", "1" + number.substring(1)).then().statusCode(400);
        Kyc.upload(m, "AADHAAR", Kyc.jpeg(), "a.jpg", "image/jpeg", null).then().statusCode(400);
        Kyc.upload(m, "PHOTO", Kyc.jpeg(), "a.jpg", "image/jpeg", number).then().statusCode(400);

        List<String> bodies = new ArrayList<>();
        Response upload = Kyc.upload(m, "AADHAAR", Kyc.jpeg(), "a.jpg", "image/jpeg", spaced);
        upload.then().statusCode(201);
        bodies.add(upload.asString());
        int id = upload.path("id");
        Response mine = given().header("Authorization", m.bearer()).get("/api/v1/kyc/me");
        mine.then().statusCode(200).body("aadhaarNumber", equalTo(masked)).body("complete", equalTo(false));
        bodies.add(mine.asString());
        Response staff = given().header("Authorization", support.bearer()).get("/api/v1/members/" + m.code() + "/kyc");
        staff.then().statusCode(200).body("aadhaarNumber", equalTo(masked));
        bodies.add(staff.asString());
        bodies.add(given().header("Authorization", support.bearer()).queryParam("memberCode", m.code()).get("/api/v1/kyc/documents").asString());
        bodies.add(given().header("Authorization", support.bearer()).get("/api/v1/kyc/documents/" + id).asString());
        bodies.add(Kyc.approve(support, id, "{}").asString());
        bodies.add(given().header("Authorization", m.bearer()).get("/api/v1/kyc/me/reads").asString());
        for (String body : bodies) {
            assertFalse(body.contains(number) || body.contains(spaced) || body.contains(number.substring(0, 8)), body);
        }
        // at rest: neither the number nor its first eight digits appear anywhere in the vault's tables
        assertEquals("0", Network.query("""
                select count(*)::text from kyc.aadhaar a
                 where position(convert_to(?, 'UTF8') in a.ciphertext) > 0 or position(convert_to(?, 'UTF8') in a.wrapped_key) > 0
                    or (a.distributor_id = (select id from genealogy.distributor where member_code = ?) and a.last4 <> ?)""", number, number.substring(0, 8),
                m.code(), number.substring(8)));
    }

    @Test
    void supportReviewsOthersDocumentsWithReasonsAndAnApprovedPanCardMakesThePanOperative() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account support = Accounts.create("support");
        Member m = Wallets.member(admin, "Ravi Reviewed");
        int photo = Kyc.upload(m, "PHOTO", Kyc.jpeg(), "p.jpg", "image/jpeg", null).then().statusCode(201).extract().path("id");

        given().header("Authorization", m.bearer()).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/kyc/documents/" + photo + "/approval").then().statusCode(403);
        given().header("Authorization", support.bearer()).contentType(ContentType.JSON).body("{\"reason\":\" \"}")
                .post("/api/v1/kyc/documents/" + photo + "/rejection").then().statusCode(400);
        given().header("Authorization", support.bearer()).contentType(ContentType.JSON).body("{\"reason\":\"The photo is blurred\"}")
                .post("/api/v1/kyc/documents/" + photo + "/rejection").then().statusCode(200).body("status", equalTo("REJECTED"))
                .body("reviewedBy", equalTo(support.username())).body("reason", equalTo("The photo is blurred"));
        Kyc.approve(support, photo, "{}").then().statusCode(409); // decided already
        given().header("Authorization", m.bearer()).get("/api/v1/kyc/me").then().statusCode(200)
                .body("documents.find { it.kind == 'PHOTO' }.status", equalTo("REJECTED"))
                .body("documents.find { it.kind == 'PHOTO' }.reason", equalTo("The photo is blurred"))
                .body("outstanding", hasItems("AADHAAR", "PAN", "BANK_PROOF", "PHOTO"));

        // a newer upload replaces a pending one, which can then no longer be decided
        int first = Kyc.upload(m, "PHOTO", Kyc.jpeg(), "p.jpg", "image/jpeg", null).then().statusCode(201).extract().path("id");
        int second = Kyc.upload(m, "PHOTO", Kyc.png(), "p.png", "image/png", null).then().statusCode(201).extract().path("id");
        given().header("Authorization", support.bearer()).get("/api/v1/kyc/documents/" + first).then()
                .body("status", equalTo("SUPERSEDED")).body("current", equalTo(false));
        Kyc.approve(support, first, "{}").then().statusCode(409);
        given().header("Authorization", support.bearer()).queryParam("status", "PENDING").queryParam("memberCode", m.code())
                .get("/api/v1/kyc/documents").then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(second));
        Kyc.approve(support, second, "{\"pan\":\"ABCPK1234F\"}").then().statusCode(400).body("errors[0].field", equalTo("pan"));
        Kyc.approve(support, second, "{\"note\":\"Clear likeness\"}").then().statusCode(200).body("status", equalTo("APPROVED"));
        // both decisions are in the company's audit log, with the reviewer, the reason and the states before and after
        given().header("Authorization", admin.bearer()).queryParam("subjectType", "kyc-document").queryParam("subjectId", photo)
                .get("/api/v1/audit/events").then().statusCode(200).body("items.action", contains("KYC_DOCUMENT_REJECTED"))
                .body("items[0].actor", equalTo(support.username())).body("items[0].reason", equalTo("The photo is blurred"))
                .body("items[0].before.status", equalTo("PENDING")).body("items[0].after.status", equalTo("REJECTED"));
        given().header("Authorization", admin.bearer()).queryParam("subjectType", "kyc-document").queryParam("subjectId", second)
                .get("/api/v1/audit/events").then().statusCode(200).body("items.action", contains("KYC_DOCUMENT_APPROVED"))
                .body("items[0].reason", equalTo("Clear likeness")).body("items[0].after.kind", equalTo("PHOTO"));

        // nobody reviews their own documents, whatever roles they hold
        Network.query("update identity.app_user set roles = 'distributor,support' where username = ? returning 1", m.username());
        String both = "Bearer " + Accounts.login(m.username(), Accounts.PASSWORD).getString("accessToken");
        int bank = Kyc.upload(m, "BANK_PROOF", Kyc.pdf(), "c.pdf", "application/pdf", null).then().statusCode(201).extract().path("id");
        given().header("Authorization", both).contentType(ContentType.JSON).body("{}").post("/api/v1/kyc/documents/" + bank + "/approval")
                .then().statusCode(403);

        // the PAN card: the PAN read on it must be the one the member entered; then it is operative for TDS
        int pan = Kyc.upload(m, "PAN", Kyc.pdf(), "pan.pdf", "application/pdf", null).then().statusCode(201).extract().path("id");
        Kyc.approve(support, pan, "{}").then().statusCode(400).body("errors[0].field", equalTo("pan"));
        Kyc.approve(support, pan, "{\"pan\":\"ABCPK1234F\"}").then().statusCode(409); // no PAN entered yet
        given().header("Authorization", m.bearer()).contentType(ContentType.JSON).body("{\"pan\":\"ABCPK1234F\"}")
                .put("/api/v1/wallet/tax-profile").then().statusCode(200).body("panOperative", equalTo(false));
        Kyc.approve(support, pan, "{\"pan\":\"ABCPK9999F\"}").then().statusCode(409).body("detail", containsString("not the PAN"));
        given().header("Authorization", support.bearer()).get("/api/v1/kyc/documents/" + pan).then().body("status", equalTo("PENDING"));
        Kyc.approve(support, pan, "{\"pan\":\"abcpk1234f\"}").then().statusCode(200).body("status", equalTo("APPROVED"));
        given().header("Authorization", m.bearer()).get("/api/v1/wallet/tax-profile").then().statusCode(200)
                .body("panOperative", equalTo(true)).body("currentRatePercent", equalTo(2.0f));
    }

    @Test
    void everyReadIsLoggedWithItsReasonAndTheOwnerSeesWhoReadTheirs() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account support = Accounts.create("support");
        Accounts.Account finance = Accounts.create("finance");
        Member m = Wallets.member(admin, "Leela Logged");
        Member other = Wallets.member(admin, "Omar Other");
        byte[] png = Kyc.png();
        int id = Kyc.upload(m, "BANK_PROOF", png, "c.png", "image/png", null).then().statusCode(201).extract().path("id");

        given().header("Authorization", support.bearer()).get("/api/v1/kyc/documents/" + id + "/content").then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        given().header("Authorization", other.bearer()).get("/api/v1/kyc/me/documents/" + id + "/content").then().statusCode(404);
        given().header("Authorization", other.bearer()).queryParam("reason", "curious").get("/api/v1/kyc/documents/" + id + "/content")
                .then().statusCode(403);
        assertArrayEquals(png, given().header("Authorization", support.bearer()).queryParam("reason", "Reviewing the bank proof")
                .get("/api/v1/kyc/documents/" + id + "/content").then().statusCode(200).contentType("image/png").extract().asByteArray());
        given().header("Authorization", finance.bearer()).queryParam("reason", "Verifying the bank account number")
                .get("/api/v1/kyc/documents/" + id + "/content").then().statusCode(200);
        assertArrayEquals(png, given().header("Authorization", m.bearer()).get("/api/v1/kyc/me/documents/" + id + "/content").then()
                .statusCode(200).extract().asByteArray());

        given().header("Authorization", m.bearer()).get("/api/v1/kyc/me/reads").then().statusCode(200).body("items", hasSize(3))
                .body("items[0].reader", equalTo(m.username())).body("items[0].readerRoles", equalTo("distributor"))
                .body("items[1].reader", equalTo(finance.username())).body("items[1].purpose", equalTo("Verifying the bank account number"))
                .body("items[2].reader", equalTo(support.username())).body("items[2].purpose", equalTo("Reviewing the bank proof"))
                .body("items[2].documentId", equalTo(id)).body("items[2].kind", equalTo("BANK_PROOF"));
        given().header("Authorization", m.bearer()).queryParam("limit", 2).get("/api/v1/kyc/me/reads").then().body("items", hasSize(2))
                .body("next", org.hamcrest.Matchers.notNullValue());
        given().header("Authorization", other.bearer()).get("/api/v1/kyc/me/reads").then().statusCode(200).body("items", hasSize(0));
        // the log is append-only
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Network.query("delete from kyc.document_read where document_id = ? returning 1", (long) id));
    }

    @Test
    void financeSeesPansAndBankAccountsWaitingWithTheirDocuments() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account support = Accounts.create("support");
        Accounts.Account finance = Accounts.create("finance");
        Member m = Wallets.member(admin, "Farah Queued");
        given().header("Authorization", m.bearer()).contentType(ContentType.JSON).body("{\"pan\":\"" + Kyc.PAN + "\"}")
                .put("/api/v1/wallet/tax-profile").then().statusCode(200);
        given().header("Authorization", m.bearer()).contentType(ContentType.JSON)
                .body("{\"holderName\":\"Farah Khan\",\"accountNumber\":\"50100234567890\",\"ifsc\":\"HDFC0001234\"}")
                .put("/api/v1/wallet/bank-account").then().statusCode(200);
        Map<String, Object> pan = waiting(finance, "PAN", m.code());
        assertEquals("XXXXX1234F", pan.get("value"));
        assertEquals(null, pan.get("document"));
        assertEquals("XXXXXXXXXX7890 HDFC0001234", waiting(finance, "BANK_ACCOUNT", m.code()).get("value"));
        given().header("Authorization", m.bearer()).queryParam("kind", "PAN").get("/api/v1/verification-queue").then().statusCode(403);
        given().header("Authorization", finance.bearer()).get("/api/v1/verification-queue").then().statusCode(400);

        int card = Kyc.upload(m, "PAN", Kyc.pdf(), "pan.pdf", "application/pdf", null).then().statusCode(201).extract().path("id");
        int proof = Kyc.upload(m, "BANK_PROOF", Kyc.png(), "cheque.png", "image/png", null).then().statusCode(201).extract().path("id");
        assertEquals(Map.of("id", card, "kind", "PAN", "status", "PENDING"), withoutTime(waiting(finance, "PAN", m.code()).get("document")));
        assertEquals(Map.of("id", proof, "kind", "BANK_PROOF", "status", "PENDING"),
                withoutTime(waiting(finance, "BANK_ACCOUNT", m.code()).get("document")));

        Kyc.approve(support, card, "{\"pan\":\"" + Kyc.PAN + "\"}").then().statusCode(200);
        assertEquals(null, waiting(finance, "PAN", m.code()), "an approved PAN card made the PAN operative");
        Kyc.approve(support, proof, "{}").then().statusCode(200);
        given().header("Authorization", finance.bearer()).contentType(ContentType.JSON)
                .body("{\"accountNumber\":\"50100234567890\",\"ifsc\":\"HDFC0001234\"}")
                .post("/api/v1/members/" + m.code() + "/bank-account/verification").then().statusCode(200);
        assertEquals(null, waiting(finance, "BANK_ACCOUNT", m.code()));
    }

    /** The member's item in the queue, walking every page; null when they are not waiting. */
    private static Map<String, Object> waiting(Accounts.Account finance, String kind, String memberCode) {
        String cursor = null;
        do {
            var request = given().header("Authorization", finance.bearer()).queryParam("kind", kind).queryParam("limit", 200);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            io.restassured.path.json.JsonPath page = request.get("/api/v1/verification-queue").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            for (Map<String, Object> item : items) {
                if (memberCode.equals(item.get("memberCode"))) {
                    return item;
                }
            }
            cursor = page.getString("next");
        } while (cursor != null);
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutTime(Object document) {
        Map<String, Object> copy = new java.util.HashMap<>((Map<String, Object>) document);
        copy.remove("uploadedAt");
        return copy;
    }

    private static long documents() {
        return Long.parseLong(Network.query("select count(*)::text from kyc.document"));
    }
}
