-- Users of every role. Distributors get their network rows in later migrations; this table holds only identity.
create table app_user (
    id            uuid primary key,
    username      text not null,
    display_name  text not null,
    email         text,
    -- null until the person sets a password (accounts opened by registration start with an activation code)
    password_hash text,
    roles         text not null,
    status        text not null default 'ACTIVE',
    status_reason text,
    -- "<issuer>|<subject>" of the account at an external OpenID Connect provider, when the company uses one
    external_subject text,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    version       integer not null default 0,
    constraint app_user_username_format check (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
    constraint app_user_status_known check (status in ('ACTIVE', 'LOCKED', 'DISABLED')),
    constraint app_user_roles_known check (roles ~ '^(distributor|admin|finance|support)(,(distributor|admin|finance|support))*$')
);
create unique index app_user_username_key on app_user (username);
create unique index app_user_email_key on app_user (lower(email)) where email is not null;
create unique index app_user_external_subject_key on app_user (external_subject) where external_subject is not null;

-- One row per login. The refresh token is "<session id>.<secret>"; only the secret's SHA-256 is kept. Rotation
-- replaces the hash and keeps the one before: that one presented again means the token was copied, and the session
-- is revoked.
create table auth_session (
    id                 uuid primary key,
    user_id            uuid not null references app_user (id),
    refresh_hash       text not null,
    previous_hash      text,
    refresh_expires_at timestamptz not null,
    created_at         timestamptz not null default now(),
    refreshed_at       timestamptz,
    revoked_at         timestamptz,
    revoked_reason     text,
    client_address     text,
    user_agent         text
);
create index auth_session_user_idx on auth_session (user_id) where revoked_at is null;

-- Fixed-window counters that throttle logins per client address and failed logins per account, shared by all replicas.
create table login_throttle (
    bucket            text primary key,
    window_started_at timestamptz not null,
    attempts          integer not null
);

-- Idempotency-Key records, per caller. A claim holds a short lease so that a crashed request does not block its key.
create table idempotency_key (
    caller            text not null,
    idempotency_key   text not null,
    request_hash      text not null,
    lease_until       timestamptz not null,
    status_code       integer,
    response_body     text,
    response_location text,
    created_at        timestamptz not null default now(),
    completed_at      timestamptz,
    primary key (caller, idempotency_key)
);
create index idempotency_key_created_idx on idempotency_key (created_at);
