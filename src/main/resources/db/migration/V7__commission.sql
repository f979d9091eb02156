-- Commission engine: plan versions, periods, commission lines with their trace, consumed events, binary carry-forward
-- and rank history. See docs/commission.md. Other modules' data (members, volumes, orders, money) is reached only
-- through their Java services; the ledger holds the money, these tables hold why it was paid.
create schema if not exists commission;

-- A compensation plan version: the validated document as uploaded (JSON or YAML, stored as JSON). A period uses the
-- version in force at its start: the one with the latest effective_from at or before that instant (then the highest).
create table commission.plan_version (
    version        integer primary key,
    effective_from timestamptz not null,
    document       jsonb not null,
    source_format  text not null check (source_format in ('JSON', 'YAML')),
    note           text,
    created_by     text not null,
    created_at     timestamptz not null default now()
);
create index plan_version_effective_idx on commission.plan_version (effective_from, version);

-- A commission period ("2026-12" monthly, "2026-W49" weekly: the genealogy's volume period). Created when its first
-- event arrives, with the plan version in force at its start. A close moves it OPEN -> CLOSING -> CLOSED; while
-- CLOSING, close_state records what the run computed and which batches it posted, so a crash resumes it.
create table commission.period (
    period        text primary key,
    starts_at     timestamptz not null,
    ends_at       timestamptz not null,
    plan_version  integer not null references commission.plan_version (version),
    status        text not null default 'OPEN' check (status in ('OPEN', 'CLOSING', 'CLOSED')),
    close_state   jsonb,
    closed_at     timestamptz,
    closed_by     text,
    check (starts_at < ends_at)
);

-- One commission line: what a member earned, from which source, by which rule and rate, under which plan version.
-- reference is the ledger's source reference of the credit that paid it (unique there too), so a line is paid at most
-- once whatever is re-run. Clawbacks are negative lines that point at the line they take back.
create table commission.line (
    id              bigint generated always as identity primary key,
    reference       text not null unique,
    period          text not null references commission.period (period),
    member_id       bigint not null,
    member_code     text not null,
    rule            text not null check (rule in ('SPONSOR_BONUS', 'LEVEL', 'BINARY', 'MATCHING', 'RANK', 'POOL', 'CLAWBACK')),
    level           integer,
    rate            numeric(12, 6),
    base            bigint,
    amount          bigint not null,
    currency        text not null,
    plan_version    integer not null references commission.plan_version (version),
    source_event    uuid,
    source_order    uuid,
    source_member   text,
    reverses_line   bigint references commission.line (id),
    trace           jsonb not null,
    status          text not null check (status in ('PAID', 'OUTSTANDING', 'RECOVERED')),
    ledger_txn      bigint,
    created_at      timestamptz not null default now()
);
comment on column commission.line.base is 'the volume the rate applied to, in minor units';
comment on column commission.line.amount is 'minor units; negative for a clawback';
comment on column commission.line.status is 'PAID: credited to the wallet; OUTSTANDING: a clawback not yet recovered; RECOVERED: a clawback netted off later earnings';
create index line_member_idx on commission.line (member_id, id desc);
create index line_order_idx on commission.line (source_order) where source_order is not null;
create index line_period_idx on commission.line (period, member_id);
create index line_outstanding_idx on commission.line (member_id) where status = 'OUTSTANDING';

-- Every outbox event the engine consumed, with what it did: a redelivered event is recognised and does nothing.
create table commission.processed_event (
    event_id     uuid primary key,
    type         text not null,
    source_order uuid,
    -- BV a refund took back (cumulative refunds of an order decide its clawbacks)
    returned_bv  numeric(14, 2),
    outcome      text not null,
    processed_at timestamptz not null default now()
);
create index processed_event_order_idx on commission.processed_event (source_order) where source_order is not null;

-- A recruit's first paid order, which alone carries the sponsor bonus.
create table commission.first_order (
    member_id bigint primary key,
    order_id  uuid not null unique,
    period    text not null
);

-- Binary volume carried out of a closed period into the next one, per member and leg (minor units of BV).
create table commission.carry_forward (
    period       text not null references commission.period (period),
    member_id    bigint not null,
    left_volume  bigint not null check (left_volume >= 0),
    right_volume bigint not null check (right_volume >= 0),
    primary key (period, member_id)
);

-- Ranks evaluated at each close: paid-as for the period, and the highest ever achieved (never demoted).
create table commission.rank_history (
    period       text not null references commission.period (period),
    member_id    bigint not null,
    paid_as      text not null,
    highest      text not null,
    primary key (period, member_id)
);
