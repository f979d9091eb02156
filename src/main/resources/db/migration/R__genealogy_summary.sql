-- Downline volume: the open period's personal PV/BV kept on the tree rows (V14__genealogy_open_volume.sql) by triggers
-- on personal_volume, and the downline sums that read them. Owned by genealogy; see docs/genealogy.md.

-- A period's place in time: twice the days from 1970 to its first day, plus one for a week ("2026-W47"), so that
-- monthly and weekly periods order by their start and never share a key. Null for anything else.
create or replace function genealogy.period_key(p_period text) returns integer
language sql immutable as $$
    select case
        when p_period ~ '^\d{4}-\d{2}$' then 2 * (make_date(left(p_period, 4)::int, right(p_period, 2)::int, 1) - date '1970-01-01')
        when p_period ~ '^\d{4}-W\d{2}$' then 2 * (make_date(left(p_period, 4)::int, 1, 4)
            - (extract(isodow from make_date(left(p_period, 4)::int, 1, 4))::int - 1) + 7 * (right(p_period, 2)::int - 1)
            - date '1970-01-01') + 1
    end
$$;

-- After each statement that changes personal_volume: its net change per member, for the open period only, added to the
-- member's rows in both trees. A change in a newer period first makes that period the open one (genealogy.volume_period
-- moves only forward); a row still carrying an older period's figures starts again from zero. Changes in older periods
-- stay in personal_volume alone, which the sums read for those periods.
-- Locks: personal_volume's rows (the statement itself), then the members' sponsor-tree rows in id order, then their
-- placement-tree rows. So volume writers never deadlock with each other (given a statement's own rows in one order),
-- and tree_insert, which takes the sponsor-tree row before copying a member's volume onto a new placement row, never
-- misses a recording.
create or replace function genealogy.volume_on_tree() returns trigger
language plpgsql as $$
declare
    periods text[];
    ids bigint[];
    pvs numeric[];
    bvs numeric[];
    newest text;
    newest_key integer;
    open_key integer;
begin
    if tg_op = 'INSERT' then
        select array_agg(period), array_agg(distributor_id), array_agg(pv), array_agg(bv) into periods, ids, pvs, bvs from new_rows;
    elsif tg_op = 'UPDATE' then
        select array_agg(period), array_agg(distributor_id), array_agg(pv), array_agg(bv) into periods, ids, pvs, bvs
          from (select period, distributor_id, sum(pv) as pv, sum(bv) as bv
                  from (select period, distributor_id, pv, bv from new_rows
                        union all
                        select period, distributor_id, -pv, -bv from old_rows) c
                 group by period, distributor_id) d;
    else
        select array_agg(period), array_agg(distributor_id), array_agg(-pv), array_agg(-bv) into periods, ids, pvs, bvs from old_rows;
    end if;
    if ids is null then
        return null;
    end if;
    select p.period, genealogy.period_key(p.period) into newest, newest_key
      from (select distinct u.period from unnest(periods) u(period)) p
     order by 2 desc nulls last limit 1;
    if newest_key is null then
        return null;
    end if;
    select period_key into open_key from genealogy.volume_period;
    if open_key is null or newest_key > open_key then
        insert into genealogy.volume_period (period, period_key) values (newest, newest_key)
        on conflict (single) do update set period = excluded.period, period_key = excluded.period_key
         where genealogy.volume_period.period_key < excluded.period_key;
        select period_key into open_key from genealogy.volume_period;
    end if;
    select array_agg(d.id order by d.id), array_agg(d.pv order by d.id), array_agg(d.bv order by d.id) into ids, pvs, bvs
      from (select u.id, sum(u.pv) as pv, sum(u.bv) as bv
              from unnest(periods, ids, pvs, bvs) u(period, id, pv, bv)
             where genealogy.period_key(u.period) = open_key
             group by u.id) d;
    if ids is null then
        return null;
    end if;
    perform 1 from genealogy.tree_node where tree = 1 and node_id = any(ids) order by node_id for no key update;
    -- a new statement, so it sees a placement row committed while this one waited for the sponsor-tree lock
    update genealogy.tree_node t
       set pv = case when t.vol_period = open_key then t.pv else 0 end + d.pv,
           bv = case when t.vol_period = open_key then t.bv else 0 end + d.bv,
           vol_period = open_key
      from unnest(ids, pvs, bvs) d(id, pv, bv)
     where t.tree in (1, 2) and t.node_id = d.id;
    return null;
end $$;

-- personal_volume emptied: so are the tree rows' figures. The open period may then start again earlier than before,
-- which the buckets' fold (it keeps the newest period it has seen) cannot follow, so they are counted afresh.
create or replace function genealogy.volume_off_tree() returns trigger
language plpgsql as $$
begin
    -- the rebuild below needs tree_node's writers out: in-flight ones finish first, new ones wait for the commit
    lock table genealogy.tree_node in share mode;
    update genealogy.tree_node set vol_period = 0, pv = 0, bv = 0 where vol_period <> 0;
    delete from genealogy.volume_period;
    perform genealogy.tree_bucket_rebuild(t.tree, 'genealogy.tree_node') from genealogy.tree_bucket_shift t;
    return null;
end $$;

create or replace trigger personal_volume_inserted after insert on genealogy.personal_volume
    referencing new table as new_rows for each statement execute function genealogy.volume_on_tree();
create or replace trigger personal_volume_updated after update on genealogy.personal_volume
    referencing old table as old_rows new table as new_rows for each statement execute function genealogy.volume_on_tree();
create or replace trigger personal_volume_deleted after delete on genealogy.personal_volume
    referencing old table as old_rows for each statement execute function genealogy.volume_on_tree();
create or replace trigger personal_volume_truncated after truncate on genealogy.personal_volume
    for each statement execute function genealogy.volume_off_tree();

-- Whether a period's figures are on the tree rows: the open period and any later one (nothing recorded there yet).
create or replace function genealogy.volume_on_tree_rows(p_key integer) returns boolean
language sql stable as $$
    select p_key >= coalesce((select period_key from genealogy.volume_period), 0)
$$;

-- Downline sums are genealogy.downline_totals (R__genealogy_buckets.sql), which reads the label buckets.
drop function if exists genealogy.tree_volume(smallint, bigint, bigint, text);

-- The downline of the node with labels (p_lo, p_hi) at depth p_depth, in a period, grouped by level below the node
-- (levels past p_levels together as p_levels + 1) and binary leg (0 for the left child's interval, 1 for the right's,
-- null otherwise). For the open period it is one index-only range scan of tree_node_lo, for another it joins
-- personal_volume; EXECUTE plans each call for its own range (a cached generic plan cannot suit both a thousand and a
-- million rows).
create or replace function genealogy.tree_summary(p_tree smallint, p_lo bigint, p_hi bigint, p_depth integer, p_levels integer,
        p_period text, p_left_lo bigint, p_left_hi bigint, p_right_lo bigint, p_right_hi bigint)
returns table (level integer, leg integer, members bigint, pv numeric, bv numeric)
language plpgsql stable as $$
declare
    key integer := genealogy.period_key(p_period);
begin
    if genealogy.volume_on_tree_rows(key) then
        return query execute $q$
            select least(t.depth - $4, $5 + 1), case when t.lo between $7 and $8 then 0 when t.lo between $9 and $10 then 1 end,
                   count(*), coalesce(sum(t.pv) filter (where t.vol_period = $6), 0.00), coalesce(sum(t.bv) filter (where t.vol_period = $6), 0.00)
              from genealogy.tree_node t
             where t.tree = $1 and t.lo > $2 and t.lo < $3
             group by 1, 2 $q$
            using p_tree, p_lo, p_hi, p_depth, p_levels, key, p_left_lo, p_left_hi, p_right_lo, p_right_hi;
    else
        return query execute $q$
            select least(t.depth - $4, $5 + 1), case when t.lo between $7 and $8 then 0 when t.lo between $9 and $10 then 1 end,
                   count(*), coalesce(sum(v.pv), 0.00), coalesce(sum(v.bv), 0.00)
              from genealogy.tree_node t
              left join genealogy.personal_volume v on v.period = $6 and v.distributor_id = t.node_id
             where t.tree = $1 and t.lo > $2 and t.lo < $3
             group by 1, 2 $q$
            using p_tree, p_lo, p_hi, p_depth, p_levels, p_period, p_left_lo, p_left_hi, p_right_lo, p_right_hi;
    end if;
end $$;
