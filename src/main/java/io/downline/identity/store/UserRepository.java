package io.downline.identity.store;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.downline.identity.api.UserStatus;

@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    public Uni<User> findByUsername(String username) {
        return find("username", username).firstResult();
    }

    public Uni<Boolean> usernameOrEmailTaken(String username, String email) {
        Uni<Long> count = email == null
                ? count("username", username)
                : count("username = :username or lower(email) = lower(:email)", Parameters.with("username", username).and("email", email));
        return count.map(n -> n > 0);
    }

    /** Users ordered by username after {@code afterUsername}; fetches one row more than asked to tell if a page follows. */
    public Uni<List<User>> page(String afterUsername, String role, UserStatus status, int fetch) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        if (afterUsername != null) {
            where.append(" and username > :after");
            parameters.and("after", afterUsername);
        }
        if (role != null) {
            // roles is a comma-separated list of known names, none a prefix of another
            where.append(" and concat(',', roles, ',') like :role");
            parameters.and("role", "%," + role + ",%");
        }
        if (status != null) {
            where.append(" and status = :status");
            parameters.and("status", status);
        }
        return find(where + " order by username", parameters).range(0, fetch - 1).list();
    }

    /** Ends the user's sessions inside the caller's transaction, so they end exactly when the change commits. */
    public Uni<Integer> endSessions(UUID userId, UUID except, String reason) {
        String sql = "update identity.auth_session set revoked_at = now(), revoked_reason = :reason"
                + " where user_id = :user and revoked_at is null" + (except == null ? "" : " and id <> :except");
        return getSession().chain(session -> {
            var query = session.createNativeQuery(sql).setParameter("reason", reason).setParameter("user", userId);
            if (except != null) {
                query.setParameter("except", except);
            }
            return query.executeUpdate();
        });
    }

    /** Outstanding password reset tokens stop working once the password changes. */
    public Uni<Integer> forgetPasswordResets(UUID userId) {
        return getSession().chain(session -> session.createNativeQuery("delete from identity.password_reset where user_id = :user")
                .setParameter("user", userId).executeUpdate());
    }
}
