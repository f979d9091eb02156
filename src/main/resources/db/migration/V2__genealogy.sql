-- Genealogy: distributors, the sponsor and placement trees with gapped pre-order interval labels, the plan, volumes.
-- See docs/genealogy.md for the design, its invariants and its costs.

-- The company's compensation plan, versioned: the newest version in effect decides. Its JSON is validated by the service.
create table comp_plan (
    version        integer primary key,
    effective_from timestamptz not null default now(),
    config         jsonb not null,
    created_at     timestamptz not null default now(),
    created_by     text not null,
    reason         text not null
);

create sequence member_number_seq;

create table distributor (
    id             bigint primary key,
    user_id        uuid not null unique references app_user (id),
    member_code    text not null unique,
    referral_code  text not null unique,
    -- deferrable: an import may list a member before their sponsor
    sponsor_id     bigint references distributor (id) deferrable initially immediate,
    full_name      text not null,
    email          text,
    phone          text,
    state_code     text,
    status         text not null default 'ACTIVE' check (status in ('ACTIVE', 'SUSPENDED', 'TERMINATED')),
    rank           text not null default 'MEMBER',
    joined_at      timestamptz not null default now(),
    -- set while the recruit waits in the holding tank for a manual placement; auto-placed when it passes
    placement_due  timestamptz,
    search_name    text not null,
    -- "<caller>|<Idempotency-Key>" of the registration: a retry after a lost response can never create a second member
    registration_key text unique
);
create index distributor_sponsor_idx on distributor (sponsor_id);
create index distributor_placement_due_idx on distributor (placement_due) where placement_due is not null;

-- One row per node per tree (1 = sponsor tree, 2 = placement tree). parent_id is the truth; lo/hi are pre-order
-- interval labels: a node's descendants are exactly the nodes whose lo lies strictly between its lo and hi.
-- free_mask has bit k set while position k of a fixed-width node (binary, matrix) is free; 0 for unlimited width.
create table tree_node (
    tree       smallint not null check (tree in (1, 2)),
    node_id    bigint not null references distributor (id),
    parent_id  bigint,
    position   integer,
    depth      integer not null,
    lo         bigint not null,
    hi         bigint not null,
    children   integer not null default 0,
    free_mask  integer not null default 0,
    primary key (tree, node_id),
    constraint tree_node_parent_fk foreign key (tree, parent_id) references tree_node (tree, node_id) deferrable initially immediate,
    constraint tree_node_one_child_per_position unique (tree, parent_id, position),
    constraint tree_node_interval check (lo < hi),
    constraint tree_node_root_shape check ((parent_id is null) = (position is null) and (parent_id is null) = (depth = 0))
);
create unique index tree_node_one_root on tree_node (tree) where parent_id is null;
create index tree_node_lo on tree_node (tree, lo) include (hi, depth, node_id);
create index tree_node_hi on tree_node (tree, hi);
-- extreme-left: first node in pre-order with a free left slot; extreme-right: last by hi with a free right slot
create index tree_node_left_open on tree_node (tree, lo) where free_mask & 1 <> 0;
create index tree_node_right_open on tree_node (tree, hi) where free_mask & 2 <> 0;
-- breadth-first spillover: shallowest, then leftmost node with any free slot
create index tree_node_open on tree_node (tree, depth, lo) where free_mask <> 0;

-- Personal volume per distributor per period ("2026-11" monthly, "2026-W47" weekly); orders add to it later.
create table personal_volume (
    period         text not null,
    distributor_id bigint not null references distributor (id),
    pv             numeric(14, 2) not null default 0,
    bv             numeric(14, 2) not null default 0,
    primary key (period, distributor_id)
);
create index personal_volume_distributor_idx on personal_volume (distributor_id, period) include (pv, bv);

create table volume_entry (
    id             bigint generated always as identity primary key,
    period         text not null,
    distributor_id bigint not null references distributor (id),
    pv             numeric(14, 2) not null,
    bv             numeric(14, 2) not null,
    source         text not null,
    reference      text,
    recorded_by    text not null,
    recorded_at    timestamptz not null default now()
);

create table genealogy_audit (
    id          bigint generated always as identity primary key,
    action      text not null,
    node_id     bigint not null references distributor (id),
    detail      jsonb not null,
    reason      text not null,
    actor       text not null,
    at          timestamptz not null default now()
);

-- Bulk imports of an existing network: one row per job, updated as it progresses; the import itself is one transaction.
create table import_job (
    id          uuid primary key,
    status      text not null check (status in ('VALIDATING', 'IMPORTING', 'COMPLETED', 'FAILED')),
    format      text not null,
    total       integer not null default 0,
    processed   integer not null default 0,
    errors      jsonb not null default '[]',
    created_by  text not null,
    created_at  timestamptz not null default now(),
    finished_at timestamptz
);

create table account_activation (
    user_id    uuid primary key references app_user (id),
    code_hash  text not null,
    expires_at timestamptz not null
);

-- Labels live in [-2^62, 2^62 - 1] (their differences fit in a bigint). When an insert finds no room between its two
-- neighbouring labels, a small aligned label range around the insertion point that is sparse enough is relabelled
-- evenly (order maintenance, after Bender et al.), giving half of that range to the insertion point, where the next
-- inserts will most likely land as well. Only that range's rows change, in the inserting transaction.

-- How many labels (lo or hi) of the tree fall in the aligned range of size 2^level around the label.
create function tree_label_count(p_tree smallint, p_label bigint, p_level integer) returns bigint
language plpgsql stable as $$
declare
    range_lo bigint := -4611686018427387904 + (((p_label + 4611686018427387904) >> p_level) << p_level);
    range_hi bigint := range_lo + ((1::bigint << p_level) - 1);
    los bigint;
    his bigint;
begin
    select count(*) into los from tree_node where tree = p_tree and lo between range_lo and range_hi;
    select count(*) into his from tree_node where tree = p_tree and hi between range_lo and range_hi;
    return los + his;
end $$;

-- A range of 2^level labels holding n labels is sparse enough when (n + 2) * max(4, 1.4^level) <= 2^level.
create function tree_range_sparse(p_count bigint, p_level integer) returns boolean
language sql immutable as $$
    select (p_count + 2) * greatest(4.0, power(1.4, p_level)) <= power(2.0, p_level)
$$;

-- Relabels around p_label so that at least p_need labels of room follow it; returns the number of labels moved. The
-- level is found by doubling, then bisection, so a relabel costs a handful of index counts whatever the level.
create function tree_relabel_around(p_tree smallint, p_label bigint, p_need bigint) returns bigint
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
    while not tree_range_sparse(tree_label_count(p_tree, p_label, high), high) loop
        if high = 62 then
            raise exception 'tree % has no room left around label %', p_tree, p_label using errcode = 'P0003';
        end if;
        low := high;
        high := least(62, high * 2);
    end loop;
    while high - low > 1 loop
        mid := (low + high) / 2;
        if tree_range_sparse(tree_label_count(p_tree, p_label, mid), mid) then
            high := mid;
        else
            low := mid;
        end if;
    end loop;
    tokens := tree_label_count(p_tree, p_label, high);
    range_lo := -4611686018427387904 + (((p_label + 4611686018427387904) >> high) << high);
    half := 1::bigint << (high - 1);
    step := half / (tokens + 2);
    if half < p_need then
        raise exception 'tree % has no room for % labels around %', p_tree, p_need, p_label using errcode = 'P0003';
    end if;
    with labels as (
        select node_id, true as is_lo, lo as label from tree_node where tree = p_tree and lo between range_lo and range_lo + (2 * half - 1)
        union all
        select node_id, false, hi from tree_node where tree = p_tree and hi between range_lo and range_lo + (2 * half - 1)
    ), placed as (
        select node_id, is_lo,
               range_lo + step * row_number() over (order by label) + case when label > p_label then half else 0 end as label
          from labels
    ), per_node as (
        select node_id, max(label) filter (where is_lo) as new_lo, max(label) filter (where not is_lo) as new_hi
          from placed group by node_id
    )
    update tree_node t
       set lo = coalesce(p.new_lo, t.lo), hi = coalesce(p.new_hi, t.hi)
      from per_node p
     where t.tree = p_tree and t.node_id = p.node_id;
    return tokens;
end $$;

-- The labels on either side of a position under a parent: the previous sibling's hi (or the parent's lo) and the next
-- sibling's lo (or the parent's hi), with those siblings' positions; p_exclude is left out (a node being moved).
create function tree_neighbours(p_tree smallint, p_parent bigint, p_position integer, p_exclude bigint,
                                out prev_label bigint, out prev_pos integer, out next_label bigint, out next_pos integer)
language plpgsql stable as $$
begin
    select hi, position into prev_label, prev_pos from tree_node
     where tree = p_tree and parent_id = p_parent and position < p_position and node_id is distinct from p_exclude
     order by position desc limit 1;
    select lo, position into next_label, next_pos from tree_node
     where tree = p_tree and parent_id = p_parent and position > p_position and node_id is distinct from p_exclude
     order by position limit 1;
    if prev_label is null or next_label is null then
        select coalesce(prev_label, lo), coalesce(next_label, hi) into prev_label, next_label
          from tree_node where tree = p_tree and node_id = p_parent;
    end if;
end $$;

-- Inserts a leaf under p_parent at p_position (null: after the last child), or the root when p_parent is null.
-- p_width is the plan's fixed width (2 for binary, W for a matrix) or null for unlimited width. The gap between the
-- neighbouring labels is shared among the new node and the free positions on either side of it (one share for "after
-- the last child" of an unlimited node), so a chain or a run of appends halves its room per insert rather than
-- thirding it. The caller holds the tree's advisory lock. A taken position fails with 23505.
create function tree_insert(p_tree smallint, p_node bigint, p_parent bigint, p_position integer, p_width integer)
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
begin
    -- callers lock already (sponsor tree before placement tree); taking it here too keeps any new caller safe
    perform pg_advisory_xact_lock(7130, p_tree);
    if p_parent is null then
        insert into tree_node (tree, node_id, parent_id, position, depth, lo, hi, free_mask)
        values (p_tree, p_node, null, null, 0, -4611686018427387904, 4611686018427387903, new_mask);
        return null;
    end if;
    if pos is null then
        select coalesce(max(position) + 1, 0) into pos from tree_node where tree = p_tree and parent_id = p_parent;
    end if;
    if p_width is not null and (pos < 0 or pos >= p_width) then
        raise exception 'position % outside width %', pos, p_width using errcode = '22023';
    end if;
    for attempt in 1..3 loop
        select depth into parent_depth from tree_node where tree = p_tree and node_id = p_parent;
        if not found then
            raise exception 'no node % in tree %', p_parent, p_tree using errcode = 'P0002';
        end if;
        select * into prev_label, prev_pos, next_label, next_pos from tree_neighbours(p_tree, p_parent, pos, null);
        shares := (pos - coalesce(prev_pos, -1) - 1) + 1
                + coalesce(next_pos - pos - 1, case when p_width is null then 1 else p_width - pos - 1 end);
        share := (next_label - prev_label) / shares;
        exit when share >= 3;
        if attempt = 3 then
            raise exception 'no room under node % of tree %', p_parent, p_tree using errcode = 'P0003';
        end if;
        perform tree_relabel_around(p_tree, prev_label, 3 * shares);
    end loop;
    slot := prev_label + (pos - coalesce(prev_pos, -1) - 1) * share;
    insert into tree_node (tree, node_id, parent_id, position, depth, lo, hi, free_mask)
    values (p_tree, p_node, p_parent, pos, parent_depth + 1, slot + 1, slot + share - 1, new_mask);
    update tree_node set children = children + 1, free_mask = free_mask & ~(1 << least(pos, 30))
     where tree = p_tree and node_id = p_parent;
    return pos;
end $$;

-- The plan a new company starts with; admins publish new versions through the API.
insert into comp_plan (version, config, created_by, reason) values (1,
  '{"structure": "BINARY", "matrixWidth": null, "matrixDepth": null, "defaultPlacement": "EXTREME_LEFT",
    "weakerLegMeasure": "MEMBER_COUNT", "sponsorMayChoosePlacement": true, "holdingTankDays": 0,
    "periodType": "MONTHLY", "memberCodePrefix": "DL"}', 'system', 'initial plan');

-- Per-level page scans of a subtree (tree view) and name search inside a downline.
create index tree_node_depth_lo on tree_node (tree, depth, lo);
create index distributor_search_name_idx on distributor (search_name text_pattern_ops);

-- Shallowest, then leftmost node with a free position in the subtree [p_lo, p_hi] from depth p_from to p_to:
-- one index probe per level of the partial index of open nodes.
create function tree_first_open(p_tree smallint, p_lo bigint, p_hi bigint, p_from integer, p_to integer)
returns table (node_id bigint, free_mask integer)
language plpgsql stable as $$
begin
    for d in p_from..p_to loop
        return query select t.node_id, t.free_mask from tree_node t
          where t.tree = p_tree and t.free_mask <> 0 and t.depth = d and t.lo between p_lo and p_hi
          order by t.lo limit 1;
        if found then
            return;
        end if;
    end loop;
end $$;

-- The path from a node towards the root by parent pointers (the node first), at most p_limit nodes, stopping after
-- p_stop when that node is on the path.
create function tree_upline(p_tree smallint, p_node bigint, p_limit integer, p_stop bigint)
returns table (node_id bigint, depth integer)
language plpgsql stable as $$
declare
    current_id bigint := p_node;
    parent bigint;
    current_depth integer;
begin
    for i in 1..p_limit loop
        select t.parent_id, t.depth into parent, current_depth from tree_node t where t.tree = p_tree and t.node_id = current_id;
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
create function tree_move(p_tree smallint, p_node bigint, p_parent bigint, p_position integer, p_width integer)
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
      from tree_node where tree = p_tree and node_id = p_node;
    if not found then
        raise exception 'no node % in tree %', p_node, p_tree using errcode = 'P0002';
    end if;
    if old_parent is null then
        raise exception 'the root cannot move' using errcode = '22023';
    end if;
    select lo, depth into parent_lo, parent_depth from tree_node where tree = p_tree and node_id = p_parent;
    if not found then
        raise exception 'no node % in tree %', p_parent, p_tree using errcode = 'P0002';
    end if;
    if parent_lo between node_lo and node_hi then
        raise exception 'a node cannot move into its own downline' using errcode = '22023';
    end if;
    if pos is null then
        select coalesce(max(position) + 1, 0) into pos from tree_node where tree = p_tree and parent_id = p_parent and node_id <> p_node;
    end if;
    if p_width is not null and (pos < 0 or pos >= p_width) then
        raise exception 'position % outside width %', pos, p_width using errcode = '22023';
    end if;
    if exists (select 1 from tree_node where tree = p_tree and parent_id = p_parent and position = pos and node_id <> p_node) then
        raise exception 'position % under % is taken', pos, p_parent using errcode = '23505';
    end if;
    select count(*) into size from tree_node where tree = p_tree and lo between node_lo and node_hi;
    for attempt in 1..3 loop
        select depth into parent_depth from tree_node where tree = p_tree and node_id = p_parent;
        select lo, hi into node_lo, node_hi from tree_node where tree = p_tree and node_id = p_node;
        select * into prev_label, prev_pos, next_label, next_pos from tree_neighbours(p_tree, p_parent, pos, p_node);
        shares := (pos - coalesce(prev_pos, -1) - 1) + 1
                + coalesce(next_pos - pos - 1, case when p_width is null then 1 else p_width - pos - 1 end);
        share := (next_label - prev_label) / shares;
        -- room for the subtree's 2 x size labels, each with a gap of at least 3 around it for later inserts
        exit when share >= 8 * size + 8;
        if attempt = 3 then
            raise exception 'no room under node % of tree %', p_parent, p_tree using errcode = 'P0003';
        end if;
        perform tree_relabel_around(p_tree, prev_label, shares * (8 * size + 8));
    end loop;
    slot := prev_label + (pos - coalesce(prev_pos, -1) - 1) * share;
    step := (share - 2) / (2 * size + 1);
    with labels as (
        select node_id, true as is_lo, lo as label from tree_node where tree = p_tree and lo between node_lo and node_hi
        union all
        select node_id, false, hi from tree_node where tree = p_tree and lo between node_lo and node_hi
    ), placed as (
        select node_id, is_lo, slot + 1 + step * row_number() over (order by label) as label from labels
    ), per_node as (
        select node_id, max(label) filter (where is_lo) as new_lo, max(label) filter (where not is_lo) as new_hi from placed group by node_id
    )
    update tree_node t set lo = p.new_lo, hi = p.new_hi, depth = t.depth + (parent_depth + 1 - node_depth)
      from per_node p where t.tree = p_tree and t.node_id = p.node_id;
    update tree_node set children = children - 1,
           free_mask = case when p_width is null then 0 else free_mask | (1 << least(old_pos, 30)) end
     where tree = p_tree and node_id = old_parent;
    update tree_node set parent_id = p_parent, position = pos where tree = p_tree and node_id = p_node;
    update tree_node set children = children + 1, free_mask = free_mask & ~(1 << least(pos, 30))
     where tree = p_tree and node_id = p_parent;
    return pos;
end $$;
