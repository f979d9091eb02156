package io.downline.genealogy.app;

import io.downline.identity.api.Caller;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.genealogy.api.GenealogyModels.RegistrationRequest;
import io.downline.identity.api.AuthModels.ActivationRequest;
import io.downline.identity.api.Activations;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.genealogy.store.GenealogyRepository;

/** The demo company's network: a root and a few distributors under it, registered and activated like real ones. */
@ApplicationScoped
public class DemoNetwork {

    private static final Caller SEEDER = Caller.system("demo-seed");

    private final RegistrationService registrations;
    private final Activations auth;
    private final Pool pool;

    public DemoNetwork(RegistrationService registrations, Activations auth, Pool pool) {
        this.registrations = registrations;
        this.auth = auth;
        this.pool = pool;
    }

    /** Registers the first name as the root and the others below it (by the plan's default placement). */
    public Uni<List<String>> seed(List<String> names, String password) {
        List<String> codes = new ArrayList<>();
        return Multi.createFrom().iterable(names).onItem().transformToUniAndConcatenate(name -> registrations
                .register(new RegistrationRequest(codes.isEmpty() ? null : codes.get(codes.size() / 2), name, null, null, null, null), SEEDER, null)
                .call(made -> auth.activate(new ActivationRequest(made.view().username(), made.activationCode(), password), "127.0.0.1", "demo-seed"))
                .invoke(made -> codes.add(made.view().memberCode())))
                .collect().last().replaceWith(codes);
    }

    public Uni<List<String>> memberCodes(int limit) {
        return pool.preparedQuery("select member_code from genealogy.distributor order by id limit $1").execute(Tuple.of(limit))
                .map(rows -> GenealogyRepository.list(rows, row -> row.getString("member_code")));
    }
}
