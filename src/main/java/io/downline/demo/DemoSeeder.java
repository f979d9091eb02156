package io.downline.demo;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.downline.common.security.Roles;
import io.downline.identity.UserModels.NewUser;
import io.downline.identity.UserRepository;
import io.downline.identity.UserService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;

/**
 * Seeds a demo company into an empty database when DEMO_SEED is on (the local run), and tells how to get in. Tests never
 * rely on it: they create what they need.
 */
@ApplicationScoped
public class DemoSeeder {

    private static final Logger LOG = Logger.getLogger(DemoSeeder.class);

    record DemoUser(String username, String displayName, String password, String role) {
    }

    static final List<DemoUser> USERS = List.of(
            new DemoUser("admin", "Demo Admin", "admin-demo-pass", Roles.ADMIN),
            new DemoUser("finance", "Demo Finance", "finance-demo-pass", Roles.FINANCE),
            new DemoUser("support", "Demo Support", "support-demo-pass", Roles.SUPPORT),
            new DemoUser("asha.rao", "Asha Rao", "distributor-demo", Roles.DISTRIBUTOR),
            new DemoUser("ravi.kumar", "Ravi Kumar", "distributor-demo", Roles.DISTRIBUTOR),
            new DemoUser("meera.iyer", "Meera Iyer", "distributor-demo", Roles.DISTRIBUTOR),
            new DemoUser("vikram.singh", "Vikram Singh", "distributor-demo", Roles.DISTRIBUTOR),
            new DemoUser("priya.nair", "Priya Nair", "distributor-demo", Roles.DISTRIBUTOR));

    private final boolean enabled;
    private final int port;
    private final UserRepository userRepository;
    private final UserService users;

    public DemoSeeder(@ConfigProperty(name = "downline.demo.seed") boolean enabled,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port,
            UserRepository userRepository, UserService users) {
        this.enabled = enabled;
        this.port = port;
        this.userRepository = userRepository;
        this.users = users;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (!enabled) {
            return;
        }
        long existing = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(userRepository::count));
        if (existing == 0) {
            VertxContextSupport.subscribeAndAwait(() -> Multi.createFrom().iterable(USERS)
                    .onItem().transformToUniAndConcatenate(u -> users.create(
                            new NewUser(u.username(), u.displayName(), null, u.password(), Set.of(u.role()), null)))
                    .collect().asList());
            LOG.info("Seeded the demo company");
        }
        StringBuilder banner = new StringBuilder("\n\nDownline demo ready. Log in with POST /api/v1/auth/token:\n");
        USERS.forEach(u -> banner.append(String.format("  %-14s %-18s (%s)%n", u.username(), u.password(), u.role())));
        banner.append("Swagger UI: http://localhost:").append(port).append("/q/swagger-ui\n");
        LOG.info(banner);
    }
}
