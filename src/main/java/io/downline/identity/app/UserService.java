package io.downline.identity.app;

import io.downline.identity.app.LoginThrottle;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.identity.api.UserModels.NewUser;
import io.downline.identity.api.UserModels.PasswordChange;
import io.downline.identity.api.UserModels.StatusChange;
import io.downline.identity.api.UserModels.UserView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.downline.identity.api.UserStatus;
import io.downline.identity.store.User;
import io.downline.identity.store.UserRepository;

/** Accounts: creation by admins, status changes that cut off access at once, and password changes. */
@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final LoginThrottle throttle;
    private final PasswordHasher hasher;
    private final AuditTrail audit;

    public UserService(UserRepository users, LoginThrottle throttle, PasswordHasher hasher, AuditTrail audit) {
        this.users = users;
        this.throttle = throttle;
        this.hasher = hasher;
        this.audit = audit;
    }

    /** Creates an account; {@code actor} (the admin, or the demo seeder) is audited with it. */
    @WithTransaction
    public Uni<UserView> create(NewUser request, String actor) {
        String username = request.username().toLowerCase(Locale.ROOT);
        return users.usernameOrEmailTaken(username, request.email())
                .invoke(taken -> {
                    if (taken) {
                        throw new ProblemException(ProblemType.CONFLICT, "The username or email is already in use.");
                    }
                })
                .chain(() -> hasher.hash(request.password()))
                .chain(hash -> {
                    User user = new User();
                    user.id = UUID.randomUUID();
                    user.username = username;
                    user.displayName = request.displayName().trim();
                    user.email = request.email();
                    user.passwordHash = hash;
                    user.roles(request.roles());
                    user.externalSubject = request.externalSubject();
                    user.status = UserStatus.ACTIVE;
                    user.createdAt = Instant.now();
                    user.updatedAt = user.createdAt;
                    return users.persist(user);
                })
                .map(UserService::view)
                .call(view -> audited(AuditEvent.of(actor, "USER_CREATED", AuditSubjects.USER, view.id(), null, view, null)));
    }

    private Uni<Long> audited(AuditEvent event) {
        return Panache.getSession().chain(session -> audit.record(session, event));
    }

    @WithSession
    public Uni<UserView> get(UUID id) {
        return users.findById(id).map(user -> view(required(user)));
    }


    @WithSession
    public Uni<Page<UserView>> list(PageRequest page, String role, UserStatus status) {
        List<String> after = page.after();
        return users.page(after == null ? null : after.get(0), role, status, page.limit + 1)
                .map(found -> page.page(found.stream().map(UserService::view).toList(), user -> List.of(user.username())));
    }

    /** Anything but ACTIVE also ends every session in the same transaction, so refresh tokens stop working too. */
    @WithTransaction
    public Uni<UserView> changeStatus(UUID id, StatusChange change, UUID actingUserId, String actor) {
        return users.findById(id).chain(found -> {
            User user = required(found);
            if (user.id.equals(actingUserId)) {
                throw new ProblemException(ProblemType.CONFLICT, "You cannot change the status of your own account.");
            }
            UserView before = view(user);
            user.status = change.status();
            user.statusReason = change.reason();
            user.updatedAt = Instant.now();
            Uni<Integer> ended = change.status() == UserStatus.ACTIVE
                    ? Uni.createFrom().item(0)
                    : users.endSessions(user.id, null, "status " + change.status() + ": " + change.reason());
            UserView after = view(user);
            return ended.chain(() -> audited(AuditEvent.of(actor, "USER_STATUS_CHANGED", AuditSubjects.USER, user.id, before, after,
                    change.reason()))).replaceWith(after);
        });
    }

    /**
     * Other sessions end with the change (a password change is often a response to a leak); the calling session goes on.
     * The current password check is throttled like a login, so a stolen access token cannot be used to guess it.
     */
    @WithTransaction
    public Uni<Void> changePassword(UUID userId, UUID currentSession, PasswordChange change, String clientAddress) {
        return users.findById(userId).chain(found -> {
            User user = required(found);
            return throttle.beforePasswordCheck(user.username, clientAddress)
                    .chain(() -> hasher.matches(change.currentPassword(), user.passwordHash))
                    .chain(matches -> {
                        if (!matches) {
                            return Uni.createFrom().<String>failure(ProblemException.invalidField("currentPassword", "is not your current password"));
                        }
                        return throttle.afterCorrectPassword(user.username, clientAddress).chain(() -> hasher.hash(change.newPassword()));
                    })
                    .chain(hash -> {
                        user.passwordHash = hash;
                        user.updatedAt = Instant.now();
                        return users.endSessions(user.id, currentSession, "password changed")
                                .chain(() -> users.forgetPasswordResets(user.id));
                    })
                    .replaceWithVoid();
        });
    }

    private static User required(User user) {
        if (user == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such user.");
        }
        return user;
    }

    private static UserView view(User user) {
        return new UserView(user.id, user.username, user.displayName, user.email, user.roles(), user.status, user.createdAt, user.updatedAt);
    }
}
