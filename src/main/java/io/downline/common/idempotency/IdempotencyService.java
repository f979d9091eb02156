package io.downline.common.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.downline.common.Hashing;
import io.downline.common.http.ClientAddress;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;

/**
 * Runs a creating or money-moving request at most once per (caller, Idempotency-Key): a repeat with the same body gets the
 * first response again, a repeat with another body is refused, and a repeat while the first is running is told to retry.
 */
@ApplicationScoped
public class IdempotencyService {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Pattern KEY_FORMAT = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final IdempotencyRepository repository;
    private final CurrentIdentityAssociation identities;
    private final CurrentVertxRequest request;
    private final ObjectMapper responseMapper;
    private final ObjectMapper canonicalMapper;

    public IdempotencyService(IdempotencyRepository repository, CurrentIdentityAssociation identities, CurrentVertxRequest request,
            ObjectMapper mapper) {
        this.repository = repository;
        this.identities = identities;
        this.request = request;
        this.responseMapper = mapper;
        this.canonicalMapper = JsonMapper.builder()
                .findAndAddModules()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    /**
     * @param key       the Idempotency-Key header, or null when the caller sent none (then the action simply runs)
     * @param operation names the operation, so one key cannot replay another operation's response
     * @param body      the parsed request body; its canonical JSON is what "the same body" means
     */
    public Uni<Response> run(String key, String operation, Object body, Supplier<Uni<Response>> action) {
        if (key == null) {
            return action.get();
        }
        requireValidKey(key);
        String hash = fingerprint(operation, body);
        return caller().chain(caller -> claimAndRun(caller, key, hash, action));
    }

    /**
     * Whose key space a key belongs to: the signed-in user, or for anonymous callers their address, so that one
     * anonymous client can never replay another's response. Deferred, because on a public endpoint the identity is
     * resolved lazily and must not be resolved blocking.
     */
    public Uni<String> caller() {
        String address = ClientAddress.of(request.getCurrent().request());
        return identities.getDeferredIdentity()
                .map(identity -> identity.isAnonymous() ? "anonymous@" + address : identity.getPrincipal().getName());
    }

    private Uni<Response> claimAndRun(String caller, String key, String hash, Supplier<Uni<Response>> action) {
        return repository.claim(caller, key, hash).flatMap(claimed -> claimed
                // deferred: an action that refuses the request before returning its Uni (a 400) fails the Uni, not the claim
                ? Uni.createFrom().<Response>deferred(action::get)
                        // A failed action frees the key for a retry; a failure to free it must not hide the action's error.
                        .onFailure().call(() -> repository.release(caller, key).onFailure().recoverWithNull())
                        // If recording the response fails after the action succeeded, the claim stays until its lease ends.
                        .call(response -> repository.complete(caller, key, response.getStatus(), body(response),
                                response.getHeaderString(HttpHeaders.LOCATION)))
                : repository.find(caller, key).map(stored -> replay(stored, hash)));
    }

    private Response replay(IdempotencyRepository.StoredResponse stored, String hash) {
        if (stored == null || stored.status() == null) {
            throw ProblemException.retryAfter(ProblemType.IDEMPOTENCY_IN_PROGRESS,
                    "A request with this Idempotency-Key is still being processed.", Duration.ofSeconds(1));
        }
        if (!stored.requestHash().equals(hash)) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was already used with a different request; use a new key for a new request.");
        }
        Response.ResponseBuilder builder = Response.status(stored.status()).header(REPLAYED_HEADER, "true");
        if (stored.body() != null) {
            builder.entity(stored.body()).type(MediaType.APPLICATION_JSON_TYPE);
        }
        if (stored.location() != null) {
            builder.header(HttpHeaders.LOCATION, stored.location());
        }
        return builder.build();
    }

    private String body(Response response) {
        if (!response.hasEntity()) {
            return null;
        }
        try {
            return responseMapper.writeValueAsString(response.getEntity());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Response entities must serialize", e);
        }
    }

    public static void requireValidKey(String key) {
        if (key == null) {
            throw ProblemException.invalidField(HEADER, "is required on money-moving requests");
        }
        if (!KEY_FORMAT.matcher(key).matches()) {
            throw ProblemException.invalidField(HEADER, "must be 1 to 255 visible ASCII characters");
        }
    }

    /** Hex SHA-256 of the operation and the body's canonical JSON: what "the same request" means for a key. */
    public String fingerprint(String operation, Object request) {
        try {
            MessageDigest digest = Hashing.sha256();
            digest.update(operation.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(canonicalMapper.writeValueAsBytes(request));
            return HexFormat.of().formatHex(digest.digest());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Request bodies must serialize", e);
        }
    }
}
