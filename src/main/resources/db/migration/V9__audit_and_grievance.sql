-- Issue 11: one append-only, hash-chained audit log of staff actions (schema audit) and consumer grievances under the
-- Consumer Protection (Direct Selling) Rules, 2021 (schema grievance). Functions and triggers: R__audit_chain.sql.

create schema if not exists audit;

-- The chain's head: one row, locked by every append, so appends are serialised and positions have no gaps.
create table audit.chain_head (
    singleton boolean primary key default true check (singleton),
    position  bigint not null check (position >= 0),
    hash      bytea not null check (length(hash) = 32)
);
insert into audit.chain_head (position, hash) values (0, '\x0000000000000000000000000000000000000000000000000000000000000000');

-- One row per staff action, written in the action's own transaction. hash = SHA-256(previous hash, canonical fields),
-- where the canonical fields are a JSON array of position, time and every column below (audit.event_hash).
create table audit.event (
    position      bigint primary key check (position > 0),
    occurred_at   timestamptz not null,
    actor         text not null,
    action        text not null,
    subject_type  text not null,
    subject_id    text not null,
    before        jsonb,
    after         jsonb,
    reason        text,
    request_id    text,
    previous_hash bytea not null,
    hash          bytea not null
);
create index event_actor_idx on audit.event (actor, position);
create index event_action_idx on audit.event (action, position);
create index event_subject_idx on audit.event (subject_type, subject_id, position);
create index event_time_idx on audit.event (occurred_at, position);

create schema if not exists grievance;

-- A grievance from a distributor (filed_by_user) or a customer without an account (identified by the invoice or order
-- number and a contact, following up with the reference and a secret token whose SHA-256 alone is kept).
create sequence grievance.grievance_seq;
create table grievance.grievance (
    id                bigint primary key,
    -- GRV-0000123: what the complainant quotes; drawn from the same sequence as the id
    reference         text not null unique,
    complainant       text not null check (complainant in ('DISTRIBUTOR', 'CUSTOMER')),
    filed_by_user     uuid,
    purchase_number   text,
    contact_name      text,
    contact           text,
    token_hash        text,
    category          text not null,
    subject           text not null,
    description       text not null,
    status            text not null check (status in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'REJECTED')),
    filed_at          timestamptz not null,
    acknowledge_by    timestamptz not null,
    resolve_by        timestamptz not null,
    acknowledged_at   timestamptz,
    closed_at         timestamptz,
    outcome           text,
    constraint grievance_who check (
        (complainant = 'DISTRIBUTOR' and filed_by_user is not null)
        or (complainant = 'CUSTOMER' and purchase_number is not null and contact is not null and token_hash is not null))
);
create index grievance_user_idx on grievance.grievance (filed_by_user, id) where filed_by_user is not null;
create index grievance_status_idx on grievance.grievance (status, id);
create index grievance_ack_due_idx on grievance.grievance (acknowledge_by) where status = 'OPEN';
create index grievance_resolve_due_idx on grievance.grievance (resolve_by) where status in ('OPEN', 'ACKNOWLEDGED');

-- Every step of a grievance in order: filing, acknowledgement, responses (either side), resolution or rejection.
create table grievance.step (
    id           bigint generated always as identity primary key,
    grievance_id bigint not null references grievance.grievance (id),
    kind         text not null check (kind in ('FILED', 'ACKNOWLEDGED', 'RESPONDED', 'COMPLAINANT_REPLIED', 'RESOLVED', 'REJECTED')),
    author       text not null,
    message      text not null,
    at           timestamptz not null
);
create index step_grievance_idx on grievance.step (grievance_id, id);
