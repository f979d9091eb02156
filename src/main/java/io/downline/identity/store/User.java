package io.downline.identity.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import io.downline.identity.api.UserStatus;

/** A person who can log in. Roles are kept as a sorted comma-separated list, checked by the database. */
@Entity
@Table(name = "app_user", schema = "identity")
public class User {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String username;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    public String email;

    @Column(name = "password_hash")
    public String passwordHash;

    @Column(nullable = false)
    String roles;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public UserStatus status;

    @Column(name = "status_reason")
    public String statusReason;

    @Column(name = "external_subject")
    public String externalSubject;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public int version;

    public Set<String> roles() {
        return new TreeSet<>(Arrays.asList(roles.split(",")));
    }

    public void roles(Set<String> names) {
        roles = String.join(",", new TreeSet<>(names));
    }
}
