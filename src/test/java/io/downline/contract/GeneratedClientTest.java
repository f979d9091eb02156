package io.downline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.downline.client.ApiClient;
import io.downline.client.ApiException;
import io.downline.client.api.AuthApi;
import io.downline.client.api.UsersApi;
import io.downline.client.model.NewUser;
import io.downline.client.model.TokenRequest;
import io.downline.client.model.TokenResponse;
import io.downline.client.model.User;
import io.downline.client.model.UserStatus;
import io.downline.support.Accounts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Drives the API through the Java client generated from the committed contract, as an integrator would. */
@QuarkusTest
class GeneratedClientTest {

    @TestHTTPResource("/")
    URI root;

    @Test
    void logInReadTheCurrentUserAndGetAProblemForABadRequest() throws Exception {
        String username = Accounts.uniqueName("client");
        Accounts.insert(username, "admin");

        ApiClient client = new ApiClient();
        client.updateBaseUri(root.toString().replaceAll("/$", ""));
        TokenResponse tokens = new AuthApi(client).createToken(new TokenRequest().username(username).password(Accounts.PASSWORD));
        assertEquals(TokenResponse.TokenTypeEnum.BEARER, tokens.getTokenType());

        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + tokens.getAccessToken()));
        UsersApi users = new UsersApi(client);
        User me = users.getCurrentUser();
        assertEquals(username, me.getUsername());
        assertEquals(UserStatus.ACTIVE, me.getStatus());

        ApiException bad = assertThrows(ApiException.class, () -> users.createUser(
                new NewUser().username("X").displayName("").password("short").roles(Set.of("finance")), UUID.randomUUID().toString()));
        assertEquals(400, bad.getCode());
        JsonNode problem = new ObjectMapper().readTree(bad.getResponseBody());
        assertEquals("urn:downline:problem:validation-failed", problem.path("type").asText());
        assertTrue(problem.path("errors").size() >= 3, bad.getResponseBody());
        assertTrue(bad.getResponseHeaders().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }
}
