-- Period close (issue 10): lines staged by a close before the ledger pays them, clawbacks netted at a close, the first-pair
-- flag carried with the binary volume, and the snapshot every close ran over (the what-if simulator replays it exactly).
-- See docs/commission-runtime.md.

-- PENDING: computed by a close and not yet credited (a close that crashed resumes from these). CARRIED: an outstanding
-- clawback that the member's earnings at a close did not cover; a copy of it is outstanding in the next period.
alter table commission.line drop constraint line_status_check;
alter table commission.line add constraint line_status_check
    check (status in ('PENDING', 'PAID', 'OUTSTANDING', 'RECOVERED', 'CARRIED'));
alter table commission.line add column withheld bigint not null default 0 check (withheld >= 0);
alter table commission.line add column settled_in text references commission.period (period);
comment on column commission.line.withheld is 'period bonus: the part kept back at the close to recover the member''s outstanding clawbacks; credited = amount - withheld';
comment on column commission.line.settled_in is 'clawback: the period whose close recovered it (RECOVERED) or carried it on (CARRIED)';
create index line_pending_idx on commission.line (period, id) where status = 'PENDING';

-- whether the member has had a binary pair before (a 1:2 / 2:1 first pair happens once)
alter table commission.carry_forward add column paired boolean not null default false;

-- The tree, volumes and state a close computed from, as the engine's arrays (compressed): the what-if simulator replays
-- a closed period over exactly this, so the same plan reproduces the close to the paisa.
create table commission.close_snapshot (
    period     text primary key references commission.period (period),
    members    integer not null,
    data       bytea not null,
    created_at timestamptz not null default now()
);

-- a member with a highest rank but none paid-as in the period has no paid-as rank
alter table commission.rank_history alter column paid_as drop not null;
alter table commission.rank_history alter column highest drop not null;
