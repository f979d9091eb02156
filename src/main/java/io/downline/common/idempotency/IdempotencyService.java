package io.downline.common.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

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
    /** The keys of the requests that {@link #exclusive} runs now, as (caller, key). */
    private final Set<List<String>> running = ConcurrentHashMap.newKeySet();

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

    /** A request's Idempotency-Key, checked, with its owner and the request's fingerprint: what a batch claims. */
    public record Keyed(String caller, String key, String hash) {
    }

    /** A key's claim in a batch: owned (the request runs), or else the answer the request gets instead (a replay or a refusal). */
    public record Claim(boolean owned, Response replay, RuntimeException refusal) {

        static final Claim OWNED = new Claim(true, null, null);
    }

    /**
     * The key of a request that a group commit records in its batch's own transaction ({@link #claimAll},
     * {@link #settleAll}) instead of around it: null when the caller sent none.
     */
    public Uni<Keyed> keyed(String key, String operation, Object body) {
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        requireValidKey(key);
        String hash = fingerprint(operation, body);
        return caller().map(caller -> new Keyed(caller, key, hash));
    }

    /**
     * Runs a request whose key a batch will claim, refusing it at once as in progress while this instance still runs
     * another with the same key, as {@link #run} does: queued behind that one's batch, it would otherwise be claimed
     * only after that batch committed, and replay instead. (Between instances the batch's claim decides.)
     */
    public <T> Uni<T> exclusive(Keyed key, Supplier<Uni<T>> action) {
        if (key == null) {
            return action.get();
        }
        List<String> running = List.of(key.caller(), key.key());
        if (!this.running.add(running)) {
            return Uni.createFrom().failure(inProgress());
        }
        return Uni.createFrom().<T>deferred(action::get).onTermination().invoke(() -> this.running.remove(running));
    }

    /**
     * Claims a batch's keys in its transaction, one statement: one claim per key in order (a null key is owned). The
     * answers are those of {@link #run}: a key completed earlier replays its response or, with another request, is
     * refused; a key claimed by a request still running is refused as in progress. A key twice in one batch is refused
     * the same way: the claim statement needs distinct keys (one conflict per row), though over HTTP {@link #exclusive}
     * already answers a second request with a key in flight before it is queued. The claims commit with the batch, so
     * each owned key must be settled by {@link #settleAll} before the commit.
     */
    public Uni<List<Claim>> claimAll(SqlClient conn, List<Keyed> keys) {
        List<Claim> claims = new ArrayList<>(Collections.nCopies(keys.size(), Claim.OWNED));
        Set<List<String>> seen = new HashSet<>();
        List<Integer> asked = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Keyed keyed = keys.get(i);
            if (keyed == null) {
                continue;
            }
            if (seen.add(List.of(keyed.caller(), keyed.key()))) {
                asked.add(i);
            } else {
                claims.set(i, new Claim(false, null, inProgress()));
            }
        }
        if (asked.isEmpty()) {
            return Uni.createFrom().item(claims);
        }
        return repository.claimAll(conn, asked.stream().map(i -> keys.get(i).caller()).toArray(String[]::new),
                asked.stream().map(i -> keys.get(i).key()).toArray(String[]::new), asked.stream().map(i -> keys.get(i).hash()).toArray(String[]::new))
                .map(rows -> {
                    for (int k = 0; k < asked.size(); k++) {
                        Row row = rows.get(k);
                        if (!row.getBoolean("owned")) {
                            // no record before the statement: a concurrent request claimed the key (and may have committed since)
                            IdempotencyRepository.StoredResponse stored = row.getString("request_hash") == null ? null
                                    : IdempotencyRepository.toStored(row);
                            claims.set(asked.get(k), answer(stored, keys.get(asked.get(k)).hash()));
                        }
                    }
                    return claims;
                });
    }

    /**
     * In the batch's transaction, one statement: records the responses of the owned keys whose requests succeeded and
     * frees those whose requests failed (a retry may run them again, as with {@link #run}).
     */
    public Uni<Void> settleAll(SqlClient conn, List<Keyed> completed, List<Response> responses, List<Keyed> released) {
        if (completed.isEmpty() && released.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return repository.settleAll(conn, completed.stream().map(Keyed::caller).toArray(String[]::new),
                completed.stream().map(Keyed::key).toArray(String[]::new), responses.stream().map(Response::getStatus).toArray(Integer[]::new),
                responses.stream().map(this::body).toArray(String[]::new),
                responses.stream().map(response -> response.getHeaderString(HttpHeaders.LOCATION)).toArray(String[]::new),
                released.stream().map(Keyed::caller).toArray(String[]::new), released.stream().map(Keyed::key).toArray(String[]::new));
    }

    private Claim answer(IdempotencyRepository.StoredResponse stored, String hash) {
        try {
            return new Claim(false, replay(stored, hash), null);
        } catch (ProblemException refusal) {
            return new Claim(false, null, refusal);
        }
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
            throw inProgress();
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

    private static ProblemException inProgress() {
        return ProblemException.retryAfter(ProblemType.IDEMPOTENCY_IN_PROGRESS, "A request with this Idempotency-Key is still being processed.",
                Duration.ofSeconds(1));
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
