package io.downline.genealogy.app;

import io.downline.genealogy.app.PlanService;

import io.downline.identity.api.Caller;

import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.db.Transactions;
import io.downline.genealogy.api.GenealogyModels.Address;
import io.downline.genealogy.api.GenealogyModels.MemberRef;
import io.downline.genealogy.api.GenealogyModels.MemberStatus;
import io.downline.genealogy.api.GenealogyModels.MyMembershipView;
import io.downline.genealogy.api.GenealogyModels.ProfileUpdate;
import io.downline.genealogy.api.GenealogyModels.Side;
import io.downline.identity.api.AccountContacts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.genealogy.api.Plan;
import io.downline.genealogy.store.GenealogyRepository;

/**
 * A distributor's own record: codes, profile, sponsor and placement parent. Profile edits change the distributor and
 * the account's name and email in one transaction, so the address messages go to is always the one the profile shows.
 */
@ApplicationScoped
public class ProfileService {

    private final Pool pool;
    private final PlanService plans;
    private final AccountContacts contacts;

    public ProfileService(Pool pool, PlanService plans, AccountContacts contacts) {
        this.pool = pool;
        this.plans = plans;
        this.contacts = contacts;
    }

    public Uni<MyMembershipView> me(Caller caller) {
        if (caller.userId() == null) {
            return Uni.createFrom().failure(GenealogyService.notFound());
        }
        return read(pool, caller.userId());
    }

    public Uni<MyMembershipView> update(Caller caller, ProfileUpdate update) {
        if (caller.userId() == null) {
            return Uni.createFrom().failure(GenealogyService.notFound());
        }
        String name = update.fullName().trim();
        String email = update.email().trim();
        Address address = update.address();
        return Transactions.retrying(pool, conn -> conn.preparedQuery("""
                update genealogy.distributor set full_name = $2, email = $3, phone = $4, address_line1 = $5, address_line2 = $6, city = $7,
                       postal_code = $8, state_code = coalesce($9, state_code), search_name = $10, updated_at = now()
                 where user_id = $1""")
                .execute(Tuple.tuple().addUUID(caller.userId()).addString(name).addString(email).addString(update.phone())
                        .addString(address == null ? null : address.line1().trim())
                        .addString(address == null || address.line2() == null ? null : address.line2().trim())
                        .addString(address == null ? null : address.city().trim())
                        .addString(address == null ? null : address.postalCode().trim().toUpperCase(Locale.ROOT))
                        .addString(address == null ? null : address.stateCode())
                        .addString(GenealogyRepository.searchable(name)))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().failure(GenealogyService.notFound())
                        : contacts.update(conn, caller.userId(), name, email))
                .chain(() -> read(conn, caller.userId())));
    }

    private Uni<MyMembershipView> read(SqlClient conn, UUID userId) {
        return plans.current().chain(version -> conn.preparedQuery("""
                select d.member_code, d.referral_code, d.full_name, d.rank, d.status, d.joined_at, d.email, d.phone,
                       d.address_line1, d.address_line2, d.city, d.postal_code, d.state_code,
                       s.member_code as sponsor_code, s.full_name as sponsor_name,
                       p.member_code as parent_code, p.full_name as parent_name, t.position
                  from genealogy.distributor d
                  left join genealogy.distributor s on s.id = d.sponsor_id
                  left join genealogy.tree_node t on t.tree = 2 and t.node_id = d.id
                  left join genealogy.distributor p on p.id = t.parent_id
                 where d.user_id = $1""")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw GenealogyService.notFound();
                    }
                    return toView(rows.iterator().next(), version.plan().structure() == Plan.Structure.BINARY);
                }));
    }

    private static MyMembershipView toView(Row row, boolean binary) {
        String parent = row.getString("parent_code");
        Address address = row.getString("address_line1") == null ? null : new Address(row.getString("address_line1"),
                row.getString("address_line2"), row.getString("city"), row.getString("postal_code"), row.getString("state_code"));
        return new MyMembershipView(row.getString("member_code"), row.getString("referral_code"), row.getString("full_name"),
                row.getString("rank"), MemberStatus.valueOf(row.getString("status")), row.getOffsetDateTime("joined_at").toInstant(), row.getString("email"),
                row.getString("phone"), address,
                row.getString("sponsor_code") == null ? null : new MemberRef(row.getString("sponsor_code"), row.getString("sponsor_name")),
                parent == null ? null : new MemberRef(parent, row.getString("parent_name")),
                parent != null && binary ? Side.values()[row.getInteger("position")] : null);
    }
}
