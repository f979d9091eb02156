-- Placements of registrations in one call per group-commit batch (RegistrationService), and the plan's placement rules
-- that the batch and the holding tank share. Owned by genealogy.

-- Chooses a member's slot in the placement tree by the plan's rules and inserts the member there; answers the parent's
-- member code, the position and the member's depth (the root: nulls and depth 0). p_mode is the binary placement mode
-- (the plan's default or the recruit's choice; ignored by unilevel and matrix plans), p_parent_code and p_side (0 left,
-- 1 right) an explicit choice. Refusals carry genealogy's own SQLSTATEs: DLSNP the sponsor waits in the holding tank,
-- DLMXF the sponsor's matrix is full, DLPAR the chosen parent is not in the sponsor's downline, DLTKN the chosen side is
-- taken. Takes the placement tree's lock (callers that also write the sponsor tree take that one first).
create or replace function genealogy.place_member(p_member bigint, p_sponsor bigint, p_structure text, p_width integer,
                                                  p_matrix_depth integer, p_mode text, p_parent_code text, p_side integer,
                                                  p_leg_measure text, p_period text,
                                                  out placed_under text, out placed_at integer, out placed_depth integer)
language plpgsql as $$
declare
    -- records, not genealogy.tree_node: a full relabel may swap a new tree_node in, and a session's compiled function
    -- would keep the dropped table's row type ("cache lookup failed for type")
    sponsor record;
    chosen record;
    left_leg record;
    right_leg record;
    slot_parent bigint;
    slot_position integer;
    open_mask integer;
    left_weaker boolean;
begin
    perform pg_advisory_xact_lock(7130, 2);
    if p_sponsor is null then
        perform genealogy.tree_insert(2::smallint, p_member, null, null, p_width);
        placed_depth := 0;
        return;
    end if;
    select * into sponsor from genealogy.tree_node where tree = 2 and node_id = p_sponsor;
    if not found then
        raise exception 'The sponsor is not placed yet (still in the holding tank); place the sponsor first.' using errcode = 'DLSNP';
    end if;
    if p_structure = 'UNILEVEL' then
        slot_parent := p_sponsor;
    elsif p_structure = 'MATRIX' or p_mode = 'BALANCED' then
        -- breadth-first inside the sponsor's subtree: a matrix down to its depth, balanced binary as deep as it takes
        select f.node_id, f.free_mask into slot_parent, open_mask
          from genealogy.tree_first_open(2::smallint, sponsor.lo, sponsor.hi, sponsor.depth,
                                         case when p_structure = 'MATRIX' then sponsor.depth + p_matrix_depth - 1 else 2147483646 end) f;
        if slot_parent is null then
            raise exception 'The sponsor''s %x% matrix is full.', p_width, p_matrix_depth using errcode = 'DLMXF';
        end if;
        slot_position := 0;
        while open_mask & (1 << slot_position) = 0 loop
            slot_position := slot_position + 1;
        end loop;
    elsif p_mode = 'EXPLICIT' then
        select t.* into chosen from genealogy.distributor d join genealogy.tree_node t on t.tree = 2 and t.node_id = d.id
         where d.member_code = p_parent_code;
        if not found or chosen.lo not between sponsor.lo and sponsor.hi then
            raise exception 'must be a placed member of the sponsor''s placement downline' using errcode = 'DLPAR';
        end if;
        if chosen.free_mask & (1 << p_side) = 0 then
            raise exception 'The % position under % is taken.', case p_side when 0 then 'LEFT' else 'RIGHT' end, p_parent_code
                using errcode = 'DLTKN';
        end if;
        slot_parent := chosen.node_id;
        slot_position := p_side;
    else
        left_leg := sponsor;
        right_leg := sponsor;
        if p_mode = 'WEAKER_LEG' then
            select * into left_leg from genealogy.tree_node where tree = 2 and parent_id = p_sponsor and position = 0;
            select * into right_leg from genealogy.tree_node where tree = 2 and parent_id = p_sponsor and position = 1;
            if left_leg.node_id is null then
                slot_parent := p_sponsor;
                slot_position := 0;
            elsif right_leg.node_id is null then
                slot_parent := p_sponsor;
                slot_position := 1;
            elsif p_leg_measure = 'MEMBER_COUNT' then
                -- a leg is its head and the head's downline: the labels strictly inside (lo - 1, hi + 1)
                left_weaker := (select v.members from genealogy.downline_totals(2::smallint, left_leg.lo - 1, left_leg.hi + 1, null) v)
                            <= (select v.members from genealogy.downline_totals(2::smallint, right_leg.lo - 1, right_leg.hi + 1, null) v);
            else
                left_weaker := (select v.pv from genealogy.downline_totals(2::smallint, left_leg.lo - 1, left_leg.hi + 1, p_period) v)
                            <= (select v.pv from genealogy.downline_totals(2::smallint, right_leg.lo - 1, right_leg.hi + 1, p_period) v);
            end if;
        end if;
        if slot_parent is null then
            -- extreme-left (of the sponsor, or of the weaker left leg) or extreme-right: the bottom of the outer line
            if p_mode = 'EXTREME_LEFT' or left_weaker then
                select node_id into slot_parent from genealogy.tree_node
                 where tree = 2 and free_mask & 1 <> 0 and lo between left_leg.lo and left_leg.hi order by lo limit 1;
                slot_position := 0;
            else
                select node_id into slot_parent from genealogy.tree_node
                 where tree = 2 and free_mask & 2 <> 0 and hi between right_leg.lo and right_leg.hi order by hi desc limit 1;
                slot_position := 1;
            end if;
        end if;
    end if;
    placed_at := genealogy.tree_insert(2::smallint, p_member, slot_parent, slot_position, p_width);
    select d.member_code, t.depth + 1 into placed_under, placed_depth
      from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id where t.tree = 2 and t.node_id = slot_parent;
end $$;

-- The serial part of a batch of registrations, in one call: under both trees' locks (sponsor tree first), each member's
-- sponsor-tree edge and, where p_place says so (not for the holding tank), its placement by place_member. Each
-- registration runs in its own exception block (a subtransaction) and gets its own row: the placement, or the SQLSTATE
-- and message of its refusal, whose writes are rolled back while the others' stay. A deadlock or serialization
-- failure fails the whole batch, which the caller runs again.
create or replace function genealogy.register_placements(p_member bigint[], p_sponsor bigint[], p_place boolean[], p_mode text[],
                                                         p_parent_code text[], p_side integer[], p_structure text, p_width integer,
                                                         p_matrix_depth integer, p_leg_measure text, p_period text)
returns table (ord integer, error_state text, error_message text, placed_under text, placed_at integer, placed_depth integer)
language plpgsql as $$
declare
    placed record;
    state text;
    message text;
begin
    perform pg_advisory_xact_lock(7130, 1);
    if true = any(p_place) then
        perform pg_advisory_xact_lock(7130, 2);
    end if;
    for i in 1 .. coalesce(array_length(p_member, 1), 0) loop
        begin
            perform genealogy.tree_insert(1::smallint, p_member[i], p_sponsor[i], null, null);
            if p_place[i] then
                select * into placed from genealogy.place_member(p_member[i], p_sponsor[i], p_structure, p_width, p_matrix_depth,
                                                                 p_mode[i], p_parent_code[i], p_side[i], p_leg_measure, p_period);
                return query select i, null::text, null::text, placed.placed_under, placed.placed_at, placed.placed_depth;
            else
                return query select i, null::text, null::text, null::text, null::integer, null::integer;
            end if;
        exception when others then
            get stacked diagnostics state = returned_sqlstate, message = message_text;
            if state in ('40001', '40P01') then
                raise;
            end if;
            return query select i, state, message, null::text, null::integer, null::integer;
        end;
    end loop;
end $$;
