package io.downline.commission.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * One LISTEN connection per instance for the engine's channels (the outbox wake-up, new commission lines). It reconnects
 * by itself; what is missed meanwhile is caught by the periodic poll (worker) or the next notification (streams).
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private PgSubscriber subscriber;

    public Notifications(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String reactiveUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.options = PgConnectOptions.fromUri(reactiveUrl.replaceFirst("^vertx-reactive:", "")).setUser(user);
        password.ifPresent(options::setPassword);
    }

    /** Calls the listener with each notification's payload on the channel (from an event-loop thread: never block). */
    public synchronized void listen(String channel, Consumer<String> listener) {
        listeners.computeIfAbsent(channel, c -> {
            subscriber().channel(c).handler(payload -> listeners.get(c).forEach(l -> l.accept(payload)));
            return new CopyOnWriteArrayList<>();
        }).add(listener);
    }

    public void unlisten(String channel, Consumer<String> listener) {
        List<Consumer<String>> list = listeners.get(channel);
        if (list != null) {
            list.remove(listener);
        }
    }

    private PgSubscriber subscriber() {
        if (subscriber == null) {
            subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempts -> 1000L);
            subscriber.connect().subscribe().with(ok -> LOG.debug("listening for commission notifications"),
                    failure -> LOG.warn("LISTEN failed; it reconnects", failure));
        }
        return subscriber;
    }

    @PreDestroy
    synchronized void close() {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }
}
