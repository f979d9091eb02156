-- The placement tree's set-based operations (labels, relabelling, insert, move, upline). Owned by genealogy.

-- How many labels (lo or hi) of the tree fall in the aligned range of size 2^level around the label.
create or replace function genealogy.tree_label_count(p_tree smallint, p_label bigint, p_level integer) returns bigint
language plpgsql stable as $$
declare
    range_lo bigint := -4611686018427387904 + (((p_label + 4611686018427387904) >> p_level) << p_level);
    range_hi bigint := range_lo + ((1::bigint << p_level) - 1);
    los bigint;
    his bigint;
begin
    select count(*) into los from genealogy.tree_node where tree = p_tree and lo between range_lo and range_hi;
    select count(*) into his from genealogy.tree_node where tree = p_tree and hi between range_lo and range_hi;
    return los + his;
end $$;

-- A range of 2^level labels holding n labels is sparse enough when (n + 2) * max(4, 1.4^level) <= 2^level.
create or replace function genealogy.tree_range_sparse(p_count bigint, p_level integer) returns boolean
language sql immutable as $$
    select (p_count + 2) * greatest(4.0, power(1.4, p_level)) <= power(2.0, p_level)
$$;

-- Relabels around p_label so that at least p_need labels of room follow it; returns the number of labels moved. The
-- level is found by doubling, then bisection, so a relabel costs a handful of index counts whatever the level.
create or replace function genealogy.tree_relabel_around(p_tree smallint, p_label bigint, p_need bigint) returns bigint
language plpgsql as $$
declare
    -- the insertion point receives half the range, so levels whose half is below p_need never do
    low integer := ceil(log(2, greatest(p_need, 2)::numeric))::integer;
    high integer := low + 1;
    mid integer;
    range_lo bigint;
    tokens bigint;
    step bigint;
    half bigint;
begin
    while not genealogy.tree_range_sparse(genealogy.tree_label_count(p_tree, p_label, high), high) loop
        if high = 62 then
            raise exception 'tree % has no room left around label %', p_tree, p_label using errcode = 'P0003';
        end if;
        low := high;
        high := least(62, high * 2);
    end loop;
    while high - low > 1 loop
        mid := (low + high) / 2;
        if genealogy.tree_range_sparse(genealogy.tree_label_count(p_tree, p_label, mid), mid) then
            high := mid;
        else
            low := mid;
        end if;
    end loop;
    tokens := genealogy.tree_label_count(p_tree, p_label, high);
    range_lo := -4611686018427387904 + (((p_label + 4611686018427387904) >> high) << high);
    half := 1::bigint << (high - 1);
    step := half / (tokens + 2);
    if half < p_need then
        raise exception 'tree % has no room for % labels around %', p_tree, p_need, p_label using errcode = 'P0003';
    end if;
    with labels as (
        select node_id, true as is_lo, lo as label from genealogy.tree_node where tree = p_tree and lo between range_lo and range_lo + (2 * half - 1)
        union all
        select node_id, false, hi from genealogy.tree_node where tree = p_tree and hi between range_lo and range_lo + (2 * half - 1)
    ), placed as (
        select node_id, is_lo,
               range_lo + step * row_number() over (order by label) + case when label > p_label then half else 0 end as label
          from labels
    ), per_node as (
        select node_id, max(label) filter (where is_lo) as new_lo, max(label) filter (where not is_lo) as new_hi
          from placed group by node_id
    )
    update genealogy.tree_node t
       set lo = coalesce(p.new_lo, t.lo), hi = coalesce(p.new_hi, t.hi)
      from per_node p
     where t.tree = p_tree and t.node_id = p.node_id;
    return tokens;
end $$;

-- The labels on either side of a position under a parent: the previous sibling's hi (or the parent's lo) and the next
-- sibling's lo (or the parent's hi), with those siblings' positions; p_exclude is left out (a node being moved).
create or replace function genealogy.tree_neighbours(p_tree smallint, p_parent bigint, p_position integer, p_exclude bigint,
                                out prev_label bigint, out prev_pos integer, out next_label bigint, out next_pos integer)
language plpgsql stable as $$
begin
    select hi, position into prev_label, prev_pos from genealogy.tree_node
     where tree = p_tree and parent_id = p_parent and position < p_position and node_id is distinct from p_exclude
     order by position desc limit 1;
    select lo, position into next_label, next_pos from genealogy.tree_node
     where tree = p_tree and parent_id = p_parent and position > p_position and node_id is distinct from p_exclude
     order by position limit 1;
    if prev_label is null or next_label is null then
        select coalesce(prev_label, lo), coalesce(next_label, hi) into prev_label, next_label
          from genealogy.tree_node where tree = p_tree and node_id = p_parent;
    end if;
end $$;

-- Inserts a leaf under p_parent at p_position (null: after the last child), or the root when p_parent is null.
-- p_width is the plan's fixed width (2 for binary, W for a matrix) or null for unlimited width. The gap between the
-- neighbouring labels is shared among the new node and the free positions on either side of it (one share for "after
-- the last child" of an unlimited node), so a chain or a run of appends halves its room per insert rather than
-- thirding it. The caller holds the tree's advisory lock. A taken position fails with 23505.
create or replace function genealogy.tree_insert(p_tree smallint, p_node bigint, p_parent bigint, p_position integer, p_width integer)
returns integer
language plpgsql as $$
declare
    parent_depth integer;
    pos integer := p_position;
    prev_label bigint;
    prev_pos integer;
    next_label bigint;
    next_pos integer;
    shares bigint;
    share bigint;
    slot bigint;
    new_mask integer := case when p_width is null then 0 else (1 << p_width) - 1 end;
    open_key integer := 0;
    node_pv numeric := 0;
    node_bv numeric := 0;
begin
    -- callers lock already (sponsor tree before placement tree); taking it here too keeps any new caller safe
    perform pg_advisory_xact_lock(7130, p_tree);
    -- A member placed after recording volume (from the holding tank) brings the open period's figures along (see
    -- volume_on_tree in R__genealogy_summary.sql, which takes the sponsor-tree row first as well). A sponsor-tree node
    -- is always a new member, without volume.
    if p_tree = 2 then
        perform 1 from genealogy.tree_node where tree = 1 and node_id = p_node for no key update;
        select o.period_key, coalesce(v.pv, 0), coalesce(v.bv, 0) into open_key, node_pv, node_bv
          from genealogy.volume_period o
          left join genealogy.personal_volume v on v.period = o.period and v.distributor_id = p_node;
        open_key := coalesce(open_key, 0);
        node_pv := coalesce(node_pv, 0);
        node_bv := coalesce(node_bv, 0);
    end if;
    if p_parent is null then
        insert into genealogy.tree_node (tree, node_id, parent_id, position, depth, lo, hi, free_mask, vol_period, pv, bv)
        values (p_tree, p_node, null, null, 0, -4611686018427387904, 4611686018427387903, new_mask, open_key, node_pv, node_bv);
        return null;
    end if;
    if pos is null then
        select coalesce(max(position) + 1, 0) into pos from genealogy.tree_node where tree = p_tree and parent_id = p_parent;
    end if;
    if p_width is not null and (pos < 0 or pos >= p_width) then
        raise exception 'position % outside width %', pos, p_width using errcode = '22023';
    end if;
    for attempt in 1..3 loop
        select depth into parent_depth from genealogy.tree_node where tree = p_tree and node_id = p_parent;
        if not found then
            raise exception 'no node % in tree %', p_parent, p_tree using errcode = 'P0002';
        end if;
        select * into prev_label, prev_pos, next_label, next_pos from genealogy.tree_neighbours(p_tree, p_parent, pos, null);
        shares := (pos - coalesce(prev_pos, -1) - 1) + 1
                + coalesce(next_pos - pos - 1, case when p_width is null then 1 else p_width - pos - 1 end);
        share := (next_label - prev_label) / shares;
        exit when share >= 3;
        if attempt = 3 then
            raise exception 'no room under node % of tree %', p_parent, p_tree using errcode = 'P0003';
        end if;
        perform genealogy.tree_relabel_around(p_tree, prev_label, 3 * shares);
    end loop;
    slot := prev_label + (pos - coalesce(prev_pos, -1) - 1) * share;
    insert into genealogy.tree_node (tree, node_id, parent_id, position, depth, lo, hi, free_mask, vol_period, pv, bv)
    values (p_tree, p_node, p_parent, pos, parent_depth + 1, slot + 1, slot + share - 1, new_mask, open_key, node_pv, node_bv);
    update genealogy.tree_node set children = children + 1, free_mask = free_mask & ~(1 << least(pos, 30))
     where tree = p_tree and node_id = p_parent;
    return pos;
end $$;

-- Shallowest, then leftmost node with a free position in the subtree [p_lo, p_hi] from depth p_from to p_to:
-- one index probe per level of the partial index of open nodes.
create or replace function genealogy.tree_first_open(p_tree smallint, p_lo bigint, p_hi bigint, p_from integer, p_to integer)
returns table (node_id bigint, free_mask integer)
language plpgsql stable as $$
begin
    for d in p_from..p_to loop
        return query select t.node_id, t.free_mask from genealogy.tree_node t
          where t.tree = p_tree and t.free_mask <> 0 and t.depth = d and t.lo between p_lo and p_hi
          order by t.lo limit 1;
        if found then
            return;
        end if;
    end loop;
end $$;

-- The path from a node towards the root by parent pointers (the node first), at most p_limit nodes, stopping after
-- p_stop when that node is on the path.
create or replace function genealogy.tree_upline(p_tree smallint, p_node bigint, p_limit integer, p_stop bigint)
returns table (node_id bigint, depth integer)
language plpgsql stable as $$
declare
    current_id bigint := p_node;
    parent bigint;
    current_depth integer;
begin
    for i in 1..p_limit loop
        select t.parent_id, t.depth into parent, current_depth from genealogy.tree_node t where t.tree = p_tree and t.node_id = current_id;
        exit when not found;
        node_id := current_id;
        depth := current_depth;
        return next;
        exit when current_id = p_stop or parent is null;
        current_id := parent;
    end loop;
end $$;

-- Moves a node with its whole subtree under another parent (an admin correction). The subtree's labels are spread
-- evenly into the gap at the new position, after relabelling around it if the gap is too small; depths shift by the
-- difference. Costs O(subtree) plus, at most, one local relabel. Returns the new position.
create or replace function genealogy.tree_move(p_tree smallint, p_node bigint, p_parent bigint, p_position integer, p_width integer)
returns integer
language plpgsql as $$
declare
    node_lo bigint;
    node_hi bigint;
    node_depth integer;
    old_parent bigint;
    old_pos integer;
    parent_lo bigint;
    parent_depth integer;
    pos integer := p_position;
    size bigint;
    prev_label bigint;
    prev_pos integer;
    next_label bigint;
    next_pos integer;
    shares bigint;
    share bigint;
    slot bigint;
    step bigint;
begin
    perform pg_advisory_xact_lock(7130, p_tree);
    select lo, hi, depth, parent_id, position into node_lo, node_hi, node_depth, old_parent, old_pos
      from genealogy.tree_node where tree = p_tree and node_id = p_node;
    if not found then
        raise exception 'no node % in tree %', p_node, p_tree using errcode = 'P0002';
    end if;
    if old_parent is null then
        raise exception 'the root cannot move' using errcode = '22023';
    end if;
    select lo, depth into parent_lo, parent_depth from genealogy.tree_node where tree = p_tree and node_id = p_parent;
    if not found then
        raise exception 'no node % in tree %', p_parent, p_tree using errcode = 'P0002';
    end if;
    if parent_lo between node_lo and node_hi then
        raise exception 'a node cannot move into its own downline' using errcode = '22023';
    end if;
    if pos is null then
        select coalesce(max(position) + 1, 0) into pos from genealogy.tree_node where tree = p_tree and parent_id = p_parent and node_id <> p_node;
    end if;
    if p_width is not null and (pos < 0 or pos >= p_width) then
        raise exception 'position % outside width %', pos, p_width using errcode = '22023';
    end if;
    if exists (select 1 from genealogy.tree_node where tree = p_tree and parent_id = p_parent and position = pos and node_id <> p_node) then
        raise exception 'position % under % is taken', pos, p_parent using errcode = '23505';
    end if;
    select count(*) into size from genealogy.tree_node where tree = p_tree and lo between node_lo and node_hi;
    for attempt in 1..3 loop
        select depth into parent_depth from genealogy.tree_node where tree = p_tree and node_id = p_parent;
        select lo, hi into node_lo, node_hi from genealogy.tree_node where tree = p_tree and node_id = p_node;
        select * into prev_label, prev_pos, next_label, next_pos from genealogy.tree_neighbours(p_tree, p_parent, pos, p_node);
        shares := (pos - coalesce(prev_pos, -1) - 1) + 1
                + coalesce(next_pos - pos - 1, case when p_width is null then 1 else p_width - pos - 1 end);
        share := (next_label - prev_label) / shares;
        -- room for the subtree's 2 x size labels, each with a gap of at least 3 around it for later inserts
        exit when share >= 8 * size + 8;
        if attempt = 3 then
            raise exception 'no room under node % of tree %', p_parent, p_tree using errcode = 'P0003';
        end if;
        perform genealogy.tree_relabel_around(p_tree, prev_label, shares * (8 * size + 8));
    end loop;
    slot := prev_label + (pos - coalesce(prev_pos, -1) - 1) * share;
    step := (share - 2) / (2 * size + 1);
    with labels as (
        select node_id, true as is_lo, lo as label from genealogy.tree_node where tree = p_tree and lo between node_lo and node_hi
        union all
        select node_id, false, hi from genealogy.tree_node where tree = p_tree and lo between node_lo and node_hi
    ), placed as (
        select node_id, is_lo, slot + 1 + step * row_number() over (order by label) as label from labels
    ), per_node as (
        select node_id, max(label) filter (where is_lo) as new_lo, max(label) filter (where not is_lo) as new_hi from placed group by node_id
    )
    update genealogy.tree_node t set lo = p.new_lo, hi = p.new_hi, depth = t.depth + (parent_depth + 1 - node_depth)
      from per_node p where t.tree = p_tree and t.node_id = p.node_id;
    update genealogy.tree_node set children = children - 1,
           free_mask = case when p_width is null then 0 else free_mask | (1 << least(old_pos, 30)) end
     where tree = p_tree and node_id = old_parent;
    update genealogy.tree_node set parent_id = p_parent, position = pos where tree = p_tree and node_id = p_node;
    update genealogy.tree_node set children = children + 1, free_mask = free_mask & ~(1 << least(pos, 30))
     where tree = p_tree and node_id = p_parent;
    return pos;
end $$;
