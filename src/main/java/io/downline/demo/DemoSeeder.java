package io.downline.demo;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.downline.commerce.app.DemoCatalogue;
import io.downline.common.money.Money;
import io.downline.common.security.Roles;
import io.downline.genealogy.app.DemoNetwork;
import io.downline.identity.api.UserModels.NewUser;
import io.downline.identity.store.UserRepository;
import io.downline.identity.app.UserService;
import io.downline.tds.api.CommissionCredits;
import io.downline.ledger.api.LedgerModels.CreditBatchRequest;
import io.downline.ledger.api.LedgerModels.CreditRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;

/**
 * Seeds a demo company into an empty database when DEMO_SEED is on (the local run): staff accounts, a small network
 * of distributors who can log in, something in their wallets, and a shop (rates, warehouse, products, stock). Tests
 * never rely on it: they create what they need.
 */
@ApplicationScoped
public class DemoSeeder {

    private static final Logger LOG = Logger.getLogger(DemoSeeder.class);

    record DemoUser(String username, String displayName, String password, String role) {
    }

    static final List<DemoUser> STAFF = List.of(
            new DemoUser("admin", "Demo Admin", "admin-demo-pass", Roles.ADMIN),
            new DemoUser("finance", "Demo Finance", "finance-demo-pass", Roles.FINANCE),
            new DemoUser("support", "Demo Support", "support-demo-pass", Roles.SUPPORT));

    static final String DISTRIBUTOR_PASSWORD = "distributor-demo";
    static final List<String> DISTRIBUTORS = List.of("Asha Rao", "Ravi Kumar", "Meera Iyer", "Vikram Singh", "Priya Nair", "Kabir Das");

    private final boolean enabled;
    private final int port;
    private final int managementPort;
    private final UserRepository userRepository;
    private final UserService users;
    private final DemoNetwork network;
    private final CommissionCredits credits;
    private final DemoCatalogue catalogue;

    public DemoSeeder(@ConfigProperty(name = "downline.demo.seed") boolean enabled,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port,
            @ConfigProperty(name = "quarkus.management.port", defaultValue = "9000") int managementPort,
            UserRepository userRepository, UserService users, DemoNetwork network, CommissionCredits credits,
            DemoCatalogue catalogue) {
        this.enabled = enabled;
        this.port = port;
        this.managementPort = managementPort;
        this.userRepository = userRepository;
        this.users = users;
        this.network = network;
        this.credits = credits;
        this.catalogue = catalogue;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (!enabled) {
            return;
        }
        long existing = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(userRepository::count));
        List<String> memberCodes;
        if (existing == 0) {
            VertxContextSupport.subscribeAndAwait(() -> Multi.createFrom().iterable(STAFF)
                    .onItem().transformToUniAndConcatenate(u -> users.create(
                            new NewUser(u.username(), u.displayName(), null, u.password(), Set.of(u.role()), null), "demo-seed"))
                    .collect().asList());
            memberCodes = VertxContextSupport.subscribeAndAwait(() -> network.seed(DISTRIBUTORS, DISTRIBUTOR_PASSWORD));
            // something in every demo wallet, so statements, transfers and withdrawals can be tried at once
            List<CreditRequest> welcome = memberCodes.stream().map(code -> new CreditRequest("demo:welcome:" + code, code,
                    Money.of("1250.00", "INR"), LocalDate.now())).toList();
            VertxContextSupport.subscribeAndAwait(() -> credits.post(new CreditBatchRequest(welcome), "demo-seed"));
            VertxContextSupport.subscribeAndAwait(catalogue::seed);
            LOG.info("Seeded the demo company");
        } else {
            memberCodes = VertxContextSupport.subscribeAndAwait(() -> network.memberCodes(DISTRIBUTORS.size()));
        }
        StringBuilder banner = new StringBuilder("\n\nDownline demo ready. Log in with POST /api/v1/auth/token:\n");
        STAFF.forEach(u -> banner.append(String.format("  %-14s %-18s (%s)%n", u.username(), u.password(), u.role())));
        memberCodes.forEach(code -> banner.append(String.format("  %-14s %-18s (distributor)%n", code.toLowerCase(), DISTRIBUTOR_PASSWORD)));
        banner.append("API: http://localhost:").append(port).append("/api/v1\n");
        banner.append("Swagger UI: http://localhost:").append(managementPort).append("/q/swagger-ui\n");
        LOG.info(banner);
    }
}
