-- Accounts (issue 12): the notification outbox, password resets, distributor profiles and member search by any part
-- of the name.

-- The notification outbox: a message is written in the transaction of the event that causes it and delivered later
-- by NotificationSender (retries with back-off). The one-time code or token a message carries is kept in "secret" only
-- until the message is delivered, given up or expired; the tables that check codes keep only their hashes.
create schema if not exists notification;

create table notification.message (
    id              bigint generated always as identity primary key,
    kind            text not null check (kind in ('ACTIVATION_CODE', 'PASSWORD_RESET')),
    channel         text not null default 'EMAIL' check (channel in ('EMAIL')),
    recipient       text not null,
    recipient_name  text not null,
    -- the account the message is about (a reference into identity; no foreign key across modules)
    user_id         uuid,
    params          jsonb not null default '{}',
    secret          text,
    status          text not null default 'PENDING' check (status in ('PENDING', 'SENT', 'FAILED', 'EXPIRED')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    -- when what the message carries stops working; a message not delivered by then is not sent at all
    expires_at      timestamptz,
    last_error      text,
    created_at      timestamptz not null default now(),
    sent_at         timestamptz,
    constraint message_secret_only_while_pending check (status = 'PENDING' or secret is null)
);
create index message_due_idx on notification.message (next_attempt_at) where status = 'PENDING';
create index message_user_idx on notification.message (user_id, id);

-- Password reset tokens: only the SHA-256 of the token; a row is deleted when used, and with every other row of the
-- account when the password changes.
create table password_reset (
    token_hash text primary key,
    user_id    uuid not null references app_user (id),
    expires_at timestamptz not null,
    created_at timestamptz not null default now()
);
create index password_reset_user_idx on password_reset (user_id);

-- A distributor's postal address, edited by the distributor (state_code exists since V2).
alter table distributor
    add column address_line1 text,
    add column address_line2 text,
    add column city          text,
    add column postal_code   text,
    add column updated_at    timestamptz;

-- Member search by any part of the name: a trigram index serves LIKE '%part%' (three characters or more).
create extension if not exists pg_trgm;
create index distributor_search_name_trgm_idx on distributor using gin (search_name gin_trgm_ops);
-- the prefix index served the old prefix-only search; the trigram index serves prefixes too
drop index distributor_search_name_idx;
