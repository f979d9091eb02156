package io.downline.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;

import io.downline.support.Accounts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The conventions every endpoint shares: problem+json errors, request ids, ETags and compression. */
@QuarkusTest
class ApiConventionsTest {

    static Accounts.Account admin;

    @TestHTTPResource("/")
    URI root;

    @BeforeEach
    void accounts() {
        if (admin == null) {
            admin = Accounts.create("admin");
        }
    }

    @Test
    void malformedJsonIsAProblem() {
        given().contentType(ContentType.JSON).body("{\"username\": ").post("/api/v1/auth/token")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:malformed-request"))
                .body("status", equalTo(400))
                .body("title", notNullValue())
                .body("instance", equalTo("/api/v1/auth/token"))
                .body("requestId", notNullValue());
    }

    @Test
    void wrongTypeNamesTheField() {
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"username\":\"x-user\",\"displayName\":\"X\",\"password\":\"0123456789\",\"roles\":\"admin\"}")
                .post("/api/v1/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:validation-failed"))
                .body("errors.field", hasItem("roles"));
    }

    @Test
    void missingAndInvalidFieldsAreListed() {
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"username\":\"A\",\"password\":\"short\",\"roles\":[\"emperor\"]}")
                .post("/api/v1/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:validation-failed"))
                .body("errors.field", hasItem("username"))
                .body("errors.field", hasItem("displayName"))
                .body("errors.field", hasItem("password"))
                .body("errors.field", hasItem(containsString("roles")))
                .body("detail", equalTo("The request has 4 invalid fields."));
    }

    @Test
    void unknownFieldIsRejected() {
        given().contentType(ContentType.JSON).body("{\"username\":\"a\",\"password\":\"b\",\"remember\":true}")
                .post("/api/v1/auth/token")
                .then().statusCode(400).body("errors[0].field", equalTo("remember")).body("errors[0].message", equalTo("unknown field"));
    }

    @Test
    void missingBodyIsAValidationProblem() {
        given().contentType(ContentType.JSON).post("/api/v1/auth/token")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:validation-failed"));
    }

    @Test
    void oversizedBodyIs413() {
        String huge = "{\"username\":\"" + "a".repeat(1_200_000) + "\",\"password\":\"x\"}";
        given().contentType(ContentType.JSON).body(huge).post("/api/v1/auth/token")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:payload-too-large"));
    }

    @Test
    void oversizedChunkedBodyIs413() throws Exception {
        // A raw socket: the server answers before the upload ends, which HTTP client libraries report as a send error.
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread sender = new Thread(() -> {
                try {
                    byte[] chunk = "a".repeat(65_536).getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < 20; i++) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closedByServer) {
                    // expected once the limit is passed
                }
            });
            sender.start();
            socket.setSoTimeout(10_000);
            String response = readResponse(socket.getInputStream());
            sender.interrupt();
            org.hamcrest.MatcherAssert.assertThat(response, containsString("HTTP/1.1 413"));
            org.hamcrest.MatcherAssert.assertThat(response, containsString("application/problem+json"));
            org.hamcrest.MatcherAssert.assertThat(response, containsString("urn:downline:problem:payload-too-large"));
        }
    }

    @Test
    void unsupportedMediaTypeIs415() {
        given().contentType(ContentType.TEXT).body("username=a").post("/api/v1/auth/token")
                .then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:unsupported-media-type"));
    }

    @Test
    void unknownRoutesAre404Problems() {
        given().get("/api/v1/no-such-thing").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:not-found"));
        given().get("/no-such-page").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:not-found"))
                .body("instance", equalTo("/no-such-page"));
    }

    @Test
    void parametersOfTheWrongTypeAre400() {
        given().header("Authorization", admin.bearer()).queryParam("limit", "many").get("/api/v1/users")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:malformed-request"));
        given().header("Authorization", admin.bearer()).get("/api/v1/users/not-a-uuid")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        String expired = io.smallrye.jwt.build.Jwt.issuer("https://downline.local").audience("downline-api")
                .subject(admin.id().toString()).upn(admin.username()).groups("admin")
                .claim("dl_session", "00000000-0000-0000-0000-000000000000")
                .issuedAt(java.time.Instant.now().minusSeconds(3600)).expiresAt(java.time.Instant.now().minusSeconds(1800))
                .sign(io.smallrye.jwt.util.KeyUtils.readPrivateKey("test-keys/jwt-private.pem"));
        given().header("Authorization", "Bearer " + expired).get("/api/v1/me")
                .then().statusCode(401).body("type", equalTo("urn:downline:problem:invalid-token"));
    }

    @Test
    void wrongMethodIs405Problem() {
        given().get("/api/v1/auth/token").then().statusCode(405).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:method-not-allowed"));
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        given().header("X-Request-Id", "mobile-42.abc").get("/api/v1/no-such-thing")
                .then().header("X-Request-Id", "mobile-42.abc").body("requestId", equalTo("mobile-42.abc"));
        given().header("X-Request-Id", "bad id with spaces").get("/api/v1/no-such-thing")
                .then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().get("/api/v1/auth/token").then().statusCode(405).header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void readsCarryAnETagAndAnswer304() {
        String etag = given().header("Authorization", admin.bearer()).get("/api/v1/me")
                .then().statusCode(200).header("ETag", matchesPattern("W/\"[A-Za-z0-9_-]+\"")).extract().header("ETag");
        given().header("Authorization", admin.bearer()).header("If-None-Match", etag).get("/api/v1/me")
                .then().statusCode(304).header("ETag", equalTo(etag));
        given().header("Authorization", admin.bearer()).header("If-None-Match", "W/\"stale\"").get("/api/v1/me")
                .then().statusCode(200).body("username", equalTo(admin.username()));
    }

    @Test
    void jsonIsCompressedWithGzipAndBrotli() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String url = root.resolve("/api/v1/users?limit=50").toString();

        HttpResponse<byte[]> gzip = client.send(request(url, "gzip"), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, gzip.statusCode());
        assertEquals("gzip", gzip.headers().firstValue("Content-Encoding").orElse(null));
        String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes());
        org.hamcrest.MatcherAssert.assertThat(unzipped, containsString("\"items\""));

        Brotli4jLoader.ensureAvailability();
        HttpResponse<byte[]> brotli = client.send(request(url, "br"), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("br", brotli.headers().firstValue("Content-Encoding").orElse(null));
        DirectDecompress decoded = Decoder.decompress(brotli.body());
        assertEquals(DecoderJNI.Status.DONE, decoded.getResultStatus());
        org.hamcrest.MatcherAssert.assertThat(new String(decoded.getDecompressedData()), containsString("\"items\""));

        HttpResponse<byte[]> plain = client.send(request(url, "identity"), HttpResponse.BodyHandlers.ofByteArray());
        assertNotEquals("gzip", plain.headers().firstValue("Content-Encoding").orElse("identity"));
    }

    @Test
    void problemsNeverLeakInternals() {
        given().contentType(ContentType.JSON).body("{\"username\": [1,2], \"password\": {}}").post("/api/v1/auth/token")
                .then().statusCode(400)
                .body(not(containsString("com.fasterxml")))
                .body(not(containsString("Exception")))
                .body(not(containsString("at io.")));
    }

    @Test
    void anOverlongRequestLineIsA414Problem() throws Exception {
        String response = raw("GET /api/v1/users?q=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        org.hamcrest.MatcherAssert.assertThat(response, containsString("HTTP/1.1 414"));
        org.hamcrest.MatcherAssert.assertThat(response, containsString("application/problem+json"));
        org.hamcrest.MatcherAssert.assertThat(response, containsString("\"status\":414"));
    }

    @Test
    void oversizedHeadersAreA431Problem() throws Exception {
        String response = raw("GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(30_000) + "\r\n\r\n");
        org.hamcrest.MatcherAssert.assertThat(response, containsString("HTTP/1.1 431"));
        org.hamcrest.MatcherAssert.assertThat(response, containsString("application/problem+json"));
        org.hamcrest.MatcherAssert.assertThat(response, containsString("\"status\":431"));
    }

    @Test
    void malformedPercentEncodingIsA400Problem() throws Exception {
        for (String target : new String[] { "/api/v1/users/%zz", "/api/v1/users?role=%E0%A4" , "/api/v1/users?role=%" }) {
            String response = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + admin.bearer() + "\r\n\r\n");
            org.hamcrest.MatcherAssert.assertThat(target, response, containsString("HTTP/1.1 400"));
            org.hamcrest.MatcherAssert.assertThat(target, response, containsString("urn:downline:problem:malformed-request"));
        }
    }

    @Test
    void anUnacceptableAcceptIs406BeforeAnythingHappens() {
        String username = Accounts.uniqueName("xml");
        String body = "{\"username\":\"" + username + "\",\"displayName\":\"X\",\"password\":\"0123456789\",\"roles\":[\"support\"]}";
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).accept("application/xml").body(body)
                .post("/api/v1/users")
                .then().statusCode(406).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:not-acceptable"));
        // the account was not created: the same name is still free
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(body).post("/api/v1/users")
                .then().statusCode(201);
    }

    @Test
    void securityHeadersAreSet() {
        given().header("Authorization", admin.bearer()).get("/api/v1/me")
                .then().statusCode(200).header("X-Content-Type-Options", "nosniff").header("Vary", containsString("Accept-Encoding"));
        given().get("/api/v1/no-such-thing").then().statusCode(404).header("X-Content-Type-Options", "nosniff");
        given().get("/no-such-page").then().statusCode(404).header("X-Content-Type-Options", "nosniff");
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.77")
                .body("{\"username\":\"" + admin.username() + "\",\"password\":\"" + Accounts.PASSWORD + "\"}")
                .post("/api/v1/auth/token")
                .then().statusCode(200).header("Cache-Control", containsString("no-store")).header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void anIdempotencyKeyIsFreeAgainAfterTheOperationRefusedTheRequest() {
        String key = java.util.UUID.randomUUID().toString();
        for (int attempt = 0; attempt < 2; attempt++) {
            given().header("Authorization", admin.bearer()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                    .body("{\"kind\":\"RECEIPT\",\"sku\":\"NONE\",\"quantity\":0,\"reason\":\"count\"}")
                    .post("/api/v1/warehouses/NOWHERE/stock-movements")
                    .then().statusCode(400).body("errors[0].field", equalTo("quantity"));
        }
    }

    @Test
    void datesOutsideTheStorableRangeAre400() {
        given().header("Authorization", admin.bearer()).queryParam("from", "-999999999-01-01T00:00:00Z")
                .get("/api/v1/members/DL00000001/wallet/statement")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("from"));
        given().header("Authorization", admin.bearer()).queryParam("from", "2026-01-01").queryParam("to", "+999999999-12-31")
                .get("/api/v1/reports/sales")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("to"));
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.setSoTimeout(10_000);
            return readResponse(socket.getInputStream());
        }
    }

    /** Status line, headers and a Content-Length body; the server need not close the connection. */
    private static String readResponse(java.io.InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return head + new String(body, StandardCharsets.UTF_8);
    }

    private HttpRequest request(String url, String encoding) throws IOException {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", admin.bearer())
                .header("Accept-Encoding", encoding).GET().build();
    }
}
