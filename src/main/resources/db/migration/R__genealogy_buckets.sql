-- Label buckets: downline sums that read per-bucket totals instead of every member (docs/genealogy.md, "Label
-- buckets"). Tables in V17__genealogy_label_buckets.sql. Owned by genealogy.
-- A bucket is the range of 2^shift labels with the same lo >> shift (the shift per tree, in tree_bucket_shift). Its
-- state is its base row (tree_bucket) plus its delta rows (tree_bucket_delta): every statement that changes tree_node
-- appends, through the triggers below, one delta row per bucket and period it changed; the compactor folds the deltas
-- into the base rows. Writers never update a shared row, so volume recordings and placements in one bucket neither wait
-- for each other nor deadlock over it; a reader sums base and deltas in one statement, one snapshot, so it is exact.
-- Advisory lock (7131, 0): one compactor or rebuild at a time.

-- After each statement on tree_node: the net change per (tree, bucket, period) of member count and PV/BV, old rows out
-- and new rows in. A row that moves to another bucket (a relabel) or another period (a recording in a new period)
-- counts out of the old and into the new; an update that changes neither (children, free_mask) nets to nothing and
-- writes nothing.
create or replace function genealogy.tree_bucket_track() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into genealogy.tree_bucket_delta (tree, bucket, vol_period, d_members, d_pv, d_bv)
        select n.tree, n.lo >> s.shift, n.vol_period, count(*), sum(n.pv), sum(n.bv)
          from new_rows n join genealogy.tree_bucket_shift s on s.tree = n.tree
         group by 1, 2, 3;
    elsif tg_op = 'UPDATE' then
        insert into genealogy.tree_bucket_delta (tree, bucket, vol_period, d_members, d_pv, d_bv)
        select c.tree, c.lo >> s.shift, c.vol_period, sum(c.members), sum(c.pv), sum(c.bv)
          from (select tree, lo, vol_period, 1 as members, pv, bv from new_rows
                union all
                select tree, lo, vol_period, -1, -pv, -bv from old_rows) c
          join genealogy.tree_bucket_shift s on s.tree = c.tree
         group by 1, 2, 3
        having sum(c.members) <> 0 or sum(c.pv) <> 0 or sum(c.bv) <> 0;
    else
        insert into genealogy.tree_bucket_delta (tree, bucket, vol_period, d_members, d_pv, d_bv)
        select o.tree, o.lo >> s.shift, o.vol_period, -count(*), -sum(o.pv), -sum(o.bv)
          from old_rows o join genealogy.tree_bucket_shift s on s.tree = o.tree
         group by 1, 2, 3;
    end if;
    return null;
end $$;

-- tree_node emptied: so are its buckets.
create or replace function genealogy.tree_bucket_clear() returns trigger
language plpgsql as $$
begin
    perform pg_advisory_xact_lock(7131, 0); -- a fold running now would otherwise write base rows this delete misses
    delete from genealogy.tree_bucket;
    delete from genealogy.tree_bucket_delta;
    return null;
end $$;

create or replace trigger tree_node_bucket_inserted after insert on genealogy.tree_node
    referencing new table as new_rows for each statement execute function genealogy.tree_bucket_track();
create or replace trigger tree_node_bucket_updated after update on genealogy.tree_node
    referencing old table as old_rows new table as new_rows for each statement execute function genealogy.tree_bucket_track();
create or replace trigger tree_node_bucket_deleted after delete on genealogy.tree_node
    referencing old table as old_rows for each statement execute function genealogy.tree_bucket_track();
create or replace trigger tree_node_bucket_truncated after truncate on genealogy.tree_node
    for each statement execute function genealogy.tree_bucket_clear();

-- Folds every committed delta row into its bucket's base row, in one statement and one transaction, and drops empty
-- buckets. Per bucket: members add up; the base keeps the newest period among its own and the deltas', with the PV/BV
-- of that period only (older periods are read from genealogy.personal_volume, never from the buckets). Answers the
-- number of delta rows folded, or null when another compactor or a rebuild holds the lock.
create or replace function genealogy.tree_bucket_compact() returns bigint
language plpgsql as $$
declare
    folded bigint;
begin
    if not pg_try_advisory_xact_lock(7131, 0) then
        return null;
    end if;
    with moved as (
        delete from genealogy.tree_bucket_delta returning tree, bucket, vol_period, d_members, d_pv, d_bv
    ), per_period as (
        select tree, bucket, vol_period, sum(d_members) as members, sum(d_pv) as pv, sum(d_bv) as bv, count(*) as n
          from moved group by 1, 2, 3
    ), per_bucket as (
        select b.tree, b.bucket, b.members, b.top, p.pv, p.bv, b.n
          from (select tree, bucket, sum(members) as members, max(vol_period) as top, sum(n) as n from per_period group by 1, 2) b
          join per_period p on p.tree = b.tree and p.bucket = b.bucket and p.vol_period = b.top
    ), upserted as (
        insert into genealogy.tree_bucket as t (tree, bucket, members, vol_period, pv, bv)
        select tree, bucket, members, top, pv, bv from per_bucket
        on conflict (tree, bucket) do update
           set members = t.members + excluded.members,
               vol_period = greatest(t.vol_period, excluded.vol_period),
               pv = case when excluded.vol_period > t.vol_period then excluded.pv
                         when excluded.vol_period = t.vol_period then t.pv + excluded.pv else t.pv end,
               bv = case when excluded.vol_period > t.vol_period then excluded.bv
                         when excluded.vol_period = t.vol_period then t.bv + excluded.bv else t.bv end
    )
    select coalesce(sum(n), 0) into folded from per_bucket;
    delete from genealogy.tree_bucket where members = 0;
    return folded;
end $$;

-- The shift that gives about bucket_members (512) members a bucket when p_members labels are spread evenly (a full
-- relabel, an import): 2^63 labels / (n / 512) = 2^(72 - log2 n).
create or replace function genealogy.tree_bucket_fit(p_tree smallint, p_members bigint) returns integer
language sql stable as $$
    select least(62, greatest(0, 63 + floor(log(2, coalesce(max(s.bucket_members), 512)::numeric))::integer
                                    - ceil(log(2, greatest(p_members, 1)::numeric))::integer))
      from genealogy.tree_bucket_shift s where s.tree = p_tree
$$;

-- Counts a tree's buckets afresh from p_source (tree_node, or the relabel's tree_node_swap before it is swapped in),
-- with the shift tree_bucket_fit gives. The caller keeps tree_node's writers out (a full relabel's or an import's
-- locks); the compactor waits. Answers the shift.
create or replace function genealogy.tree_bucket_rebuild(p_tree smallint, p_source regclass) returns integer
language plpgsql as $$
declare
    members bigint;
    new_shift integer;
begin
    perform pg_advisory_xact_lock(7131, 0);
    execute format('select count(*) from %s where tree = $1', p_source) into members using p_tree;
    new_shift := genealogy.tree_bucket_fit(p_tree, members);
    insert into genealogy.tree_bucket_shift (tree, shift) values (p_tree, new_shift)
    on conflict (tree) do update set shift = excluded.shift;
    delete from genealogy.tree_bucket where tree = p_tree;
    delete from genealogy.tree_bucket_delta where tree = p_tree;
    execute format($q$
        insert into genealogy.tree_bucket (tree, bucket, members, vol_period, pv, bv)
        select $1, b.bucket, count(*), max(b.top), coalesce(sum(b.pv) filter (where b.vol_period = b.top), 0),
               coalesce(sum(b.bv) filter (where b.vol_period = b.top), 0)
          from (select t.lo >> $2 as bucket, t.vol_period, t.pv, t.bv, max(t.vol_period) over (partition by t.lo >> $2) as top
                  from %s t where t.tree = $1) b
         group by b.bucket $q$, p_source) using p_tree, new_shift;
    return new_shift;
end $$;

-- A tree whose labels are already spread evenly (a full relabel that changed none) but whose buckets were sized for
-- another member count, as after growing by registrations from an empty tree: rebuilt with the fitting shift. Same
-- caller's duty as tree_bucket_rebuild. Answers whether it rebuilt.
create or replace function genealogy.tree_bucket_refit(p_tree smallint) returns boolean
language plpgsql as $$
declare
    members bigint := (select count(*) from genealogy.tree_node where tree = p_tree);
begin
    if genealogy.tree_bucket_fit(p_tree, members) is distinct from (select shift from genealogy.tree_bucket_shift where tree = p_tree) then
        perform genealogy.tree_bucket_rebuild(p_tree, 'genealogy.tree_node');
        return true;
    end if;
    return false;
end $$;

-- Members and PV/BV of the nodes whose lo lies strictly inside (p_lo, p_hi) (a node's downline: its lo and hi; a whole
-- leg with its head: lo - 1 and hi + 1), in a period. For the open period (and any later one): the buckets wholly inside
-- with their deltas, plus a range scan of tree_node_lo over the two partial buckets at the edges, all in one statement
-- so that a fold or rebuild that commits meanwhile is either wholly seen or not at all. For an older period it joins
-- genealogy.personal_volume over the whole range, as before. A null period counts members only (PV and BV 0), from the
-- buckets.
create or replace function genealogy.downline_totals(p_tree smallint, p_lo bigint, p_hi bigint, p_period text)
returns table (members bigint, pv numeric, bv numeric)
language plpgsql stable as $$
declare
    key integer := genealogy.period_key(p_period);
    bucket_shift integer := (select shift from genealogy.tree_bucket_shift where tree = p_tree);
begin
    if (p_period is null or genealogy.volume_on_tree_rows(key)) and (p_hi >> bucket_shift) - (p_lo >> bucket_shift) < 2 then
        -- no bucket wholly inside: the range scan alone, without reading the buckets (a small downline)
        return query
        select count(*), coalesce(sum(t.pv) filter (where t.vol_period = key), 0.00), coalesce(sum(t.bv) filter (where t.vol_period = key), 0.00)
          from genealogy.tree_node t
         where t.tree = p_tree and t.lo > p_lo and t.lo < p_hi;
    elsif p_period is null or genealogy.volume_on_tree_rows(key) then
        -- first and last: the buckets wholly inside; the edges (p_lo, first) and [last + 1, p_hi) are scanned
        return query
        with s as (
            select shift, (p_lo >> shift) + 1 as first, (p_hi >> shift) - 1 as last from genealogy.tree_bucket_shift where tree = p_tree
        ), parts as (
            select count(*) as members, sum(t.pv) filter (where t.vol_period = key) as pv, sum(t.bv) filter (where t.vol_period = key) as bv
              from genealogy.tree_node t
             where t.tree = p_tree and t.lo > p_lo and t.lo < least(p_hi, (select first << shift from s))
            union all
            select count(*), sum(t.pv) filter (where t.vol_period = key), sum(t.bv) filter (where t.vol_period = key)
              from genealogy.tree_node t
             where t.tree = p_tree and t.lo >= (select greatest(first, last + 1) << shift from s) and t.lo < p_hi
            union all
            select sum(b.members), sum(b.pv) filter (where b.vol_period = key), sum(b.bv) filter (where b.vol_period = key)
              from genealogy.tree_bucket b
             where b.tree = p_tree and b.bucket between (select first from s) and (select last from s)
            union all
            select sum(d.d_members), sum(d.d_pv) filter (where d.vol_period = key), sum(d.d_bv) filter (where d.vol_period = key)
              from genealogy.tree_bucket_delta d
             where d.tree = p_tree and d.bucket between (select first from s) and (select last from s)
        )
        select coalesce(sum(parts.members), 0)::bigint, coalesce(sum(parts.pv), 0.00), coalesce(sum(parts.bv), 0.00) from parts;
    else
        return query execute $q$
            select count(*), coalesce(sum(v.pv), 0.00), coalesce(sum(v.bv), 0.00)
              from genealogy.tree_node t
              left join genealogy.personal_volume v on v.period = $4 and v.distributor_id = t.node_id
             where t.tree = $1 and t.lo > $2 and t.lo < $3 $q$
            using p_tree, p_lo, p_hi, p_period;
    end if;
end $$;
