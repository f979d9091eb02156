-- The open period's personal PV/BV on the tree rows, inside the covering (tree, lo) index, so that a downline's volume
-- is one index-only range scan (docs/genealogy.md, "Volume on the tree rows"). personal_volume stays the truth for
-- every period; a trigger on it (R__genealogy_tree.sql) keeps the tree rows in step in the recording transaction.

-- vol_period is genealogy.period_key of the period pv/bv belong to (0: none). A row whose vol_period is not the open
-- period's key has no volume in the open period, so a period change needs no mass update: the next recording of a
-- member overwrites the old period's figures.
alter table genealogy.tree_node
    add column vol_period integer not null default 0,
    add column pv numeric(14, 2) not null default 0,
    add column bv numeric(14, 2) not null default 0;

drop index genealogy.tree_node_lo;
create index tree_node_lo on genealogy.tree_node (tree, lo) include (hi, depth, node_id, vol_period, pv, bv);

-- Every volume recording rewrites two tree rows and their index entries (not HOT: pv/bv are indexed). Vacuum them
-- early, so dead tuples go and the visibility map stays current for index-only scans.
alter table genealogy.tree_node set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01,
                                     autovacuum_analyze_scale_factor = 0.02);

-- The open period: the newest period any volume was recorded in. One row; it moves only forward.
create table genealogy.volume_period (
    single     boolean primary key default true check (single),
    period     text not null,
    period_key integer not null
);

-- Existing volume: the newest period becomes the open one and its figures go onto the tree rows. The key is
-- genealogy.period_key (R__genealogy_tree.sql, which Flyway runs after this): twice the days from 1970 to the period's
-- first day, plus one for a week.
insert into genealogy.volume_period (period, period_key)
select period, key
  from (select distinct period from genealogy.personal_volume) p
 cross join lateral (select case
        when p.period ~ '^\d{4}-\d{2}$' then 2 * (make_date(left(p.period, 4)::int, right(p.period, 2)::int, 1) - date '1970-01-01')
        when p.period ~ '^\d{4}-W\d{2}$' then 2 * (make_date(left(p.period, 4)::int, 1, 4)
            - (extract(isodow from make_date(left(p.period, 4)::int, 1, 4))::int - 1) + 7 * (right(p.period, 2)::int - 1)
            - date '1970-01-01') + 1 end as key) k
 where k.key is not null
 order by k.key desc
 limit 1;

update genealogy.tree_node t set vol_period = o.period_key, pv = v.pv, bv = v.bv
  from genealogy.volume_period o
  join genealogy.personal_volume v on v.period = o.period
 where v.distributor_id = t.node_id;
