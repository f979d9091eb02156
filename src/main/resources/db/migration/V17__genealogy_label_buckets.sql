-- Label buckets (docs/genealogy.md, "Label buckets"): each tree's label space cut into buckets of 2^shift labels, with
-- the member count and the open period's PV/BV of each, so that a downline sum reads the buckets inside the interval
-- and scans only the two partial buckets at its edges. Writers of tree_node only append delta rows (a trigger,
-- R__genealogy_buckets.sql); a compactor folds them into the base rows. No writer ever updates a shared row.

-- A tree's bucket width: bucket = lo >> shift. genealogy.tree_bucket_rebuild chooses it from the tree's size so that a
-- bucket holds about bucket_members members when the labels are spread evenly.
create table genealogy.tree_bucket_shift (
    tree           smallint primary key,
    shift          integer not null check (shift between 0 and 62),
    bucket_members integer not null default 512 check (bucket_members between 1 and 1048576)
);

-- The folded state of a bucket: its members, and the PV/BV of its rows whose vol_period is this row's vol_period,
-- which is at least every period on its rows when it was folded.
create table genealogy.tree_bucket (
    tree       smallint not null,
    bucket     bigint not null,
    members    bigint not null,
    vol_period integer not null,
    pv         numeric(16, 2) not null,
    bv         numeric(16, 2) not null,
    primary key (tree, bucket)
);

-- Changes since the last fold, appended by the statements that change tree_node: per bucket and period, the change in
-- members and in the PV/BV of the rows carrying that period.
create table genealogy.tree_bucket_delta (
    tree       smallint not null,
    bucket     bigint not null,
    vol_period integer not null,
    d_members  bigint not null,
    d_pv       numeric(16, 2) not null,
    d_bv       numeric(16, 2) not null
);

-- The existing trees, with a shift giving about 512 members a bucket when labels are spread evenly (the same rule as
-- genealogy.tree_bucket_rebuild, which Flyway creates after this).
insert into genealogy.tree_bucket_shift (tree, shift)
select t.tree, least(62, greatest(0, 72 - ceil(log(2, greatest(coalesce(n.members, 0), 1)::numeric))::integer))
  from (values (1::smallint), (2::smallint)) t(tree)
  left join (select tree, count(*) as members from genealogy.tree_node group by tree) n on n.tree = t.tree;

insert into genealogy.tree_bucket (tree, bucket, members, vol_period, pv, bv)
select b.tree, b.bucket, count(*), max(b.top), coalesce(sum(b.pv) filter (where b.vol_period = b.top), 0),
       coalesce(sum(b.bv) filter (where b.vol_period = b.top), 0)
  from (select t.tree, t.lo >> s.shift as bucket, t.vol_period, t.pv, t.bv,
               max(t.vol_period) over (partition by t.tree, t.lo >> s.shift) as top
          from genealogy.tree_node t join genealogy.tree_bucket_shift s on s.tree = t.tree) b
 group by b.tree, b.bucket;
