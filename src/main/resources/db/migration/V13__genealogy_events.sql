-- Genealogy events for other modules (member.registered, member.rank_changed) and what the commission engine keeps of
-- them, plus the engine's dead letters. See docs/commission-runtime.md.
create schema if not exists genealogy;

-- Genealogy's transactional outbox: the same shape and reading rules as commerce's outbox_event (commit-safe order by
-- (txid, position), read only below the oldest running transaction), read through io.downline.common.db.Outbox.
create table genealogy.outbox_event (
    position   bigint generated always as identity unique,
    id         uuid primary key,
    type       text not null,
    payload    jsonb not null,
    txid       xid8 not null default pg_current_xact_id(),
    created_at timestamptz not null default now()
);
create index outbox_event_read_idx on genealogy.outbox_event (txid, position);

create table genealogy.outbox_consumer (
    consumer      text primary key,
    last_txid     xid8 not null default '0',
    last_position bigint not null default 0,
    updated_at    timestamptz not null default now()
);

-- Who enrolled whom and when, as the engine learnt it from member.registered: the plan's qualifications that count
-- personally enrolled (active) members read it. Nothing is paid for an enrolment.
create table commission.enrolment (
    member_id     bigint primary key,
    member_code   text not null,
    sponsor_id    bigint,
    period        text not null,
    registered_at timestamptz not null,
    source_event  uuid not null
);
create index enrolment_sponsor_idx on commission.enrolment (sponsor_id, period);

-- A member's current rank as the engine learnt it from member.rank_changed (the paid-as rank rank-dependent rules use).
create table commission.member_rank (
    member_id    bigint primary key,
    rank         text not null,
    previous     text not null,
    changed_at   timestamptz not null,
    source_event uuid not null
);

-- An event the engine could not handle (e.g. the ledger refused its credits): kept with the reason for an admin, and
-- acknowledged so that the events after it are paid. processed_event records it too (outcome 'dead-lettered').
create table commission.dead_letter (
    id          bigint generated always as identity primary key,
    event_id    uuid not null unique,
    source      text not null check (source in ('commerce', 'genealogy')),
    type        text not null,
    payload     jsonb not null,
    reason      text not null,
    failed_at   timestamptz not null default now()
);
