-- A full relabel that moves most labels writes the tree into a new table and swaps it in (docs/genealogy.md, "Full
-- relabel"): rewriting a million rows in place puts new entries into all of tree_node's indexes row by row, while a
-- new table gets its indexes built once. The new table is made from the catalogue, as the migrations left tree_node:
-- columns, defaults, checks and comments (LIKE), storage parameters, owner, grants, keys, indexes, foreign keys and
-- triggers, under the same names once swapped. All but the drop of the old table happens in the relabel's transaction:
-- a failed relabel leaves tree_node as it was.
-- The caller holds the locks (distributor, both trees, tree_node in share mode) and fills the new table with COPY FREEZE,
-- so a reader whose snapshot is older than the swap sees every row of the new table, not an empty one.

-- Creates genealogy.tree_node_swap without indexes, keys or foreign keys, and notes what tree_swap_build and
-- tree_swap_in will need. Refuses what it could not carry over: policies, rules, foreign keys from other tables.
create or replace function genealogy.tree_swap_begin() returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
    old regclass := 'genealogy.tree_node';
    item record;
begin
    if exists (select 1 from pg_constraint where contype = 'f' and confrelid = old and conrelid <> old)
       or exists (select 1 from pg_policy where polrelid = old)
       or exists (select 1 from pg_rewrite where ev_class = old) then
        raise exception 'tree_node has foreign keys from other tables, policies or rules, which a swap would not carry over';
    end if;
    create temp table tree_swap_definition (step integer, name text, swap_name text, is_unique boolean, definition text) on commit drop;
    -- step 1: primary and unique keys (built first: the foreign keys need them), step 2: the other indexes, under
    -- temporary names while the old table still holds theirs; step 3: foreign keys, step 4: triggers, under their own names
    insert into tree_swap_definition
    select 1, c.conname, 'tree_node_swap_k' || row_number() over (order by c.conname), true, pg_get_constraintdef(c.oid)
      from pg_constraint c where c.conrelid = old and c.contype in ('p', 'u');
    insert into tree_swap_definition
    select 2, x.relname, 'tree_node_swap_i' || row_number() over (order by x.relname), i.indisunique,
           substring(pg_get_indexdef(i.indexrelid) from ' USING .*$')
      from pg_index i join pg_class x on x.oid = i.indexrelid
     where i.indrelid = old and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = old);
    insert into tree_swap_definition
    select 3, c.conname, c.conname, false,
           case when c.confrelid = old
                then replace(pg_get_constraintdef(c.oid), 'REFERENCES genealogy.tree_node(', 'REFERENCES genealogy.tree_node_swap(')
                else pg_get_constraintdef(c.oid) end
      from pg_constraint c where c.conrelid = old and c.contype = 'f';
    insert into tree_swap_definition
    select 4, t.tgname, t.tgname, false, replace(pg_get_triggerdef(t.oid), ' ON genealogy.tree_node ', ' ON genealogy.tree_node_swap ')
      from pg_trigger t where t.tgrelid = old and not t.tgisinternal;

    create table genealogy.tree_node_swap (like genealogy.tree_node including all excluding indexes);
    for item in select c.relowner::regrole::text as owner, array_to_string(c.reloptions, ', ') as options,
                       obj_description(c.oid, 'pg_class') as comment
                  from pg_class c where c.oid = old loop
        if item.owner <> current_user then
            execute format('alter table genealogy.tree_node_swap owner to %s', item.owner);
        end if;
        if item.options is not null then
            execute format('alter table genealogy.tree_node_swap set (%s)', item.options);
        end if;
        if item.comment is not null then
            execute format('comment on table genealogy.tree_node_swap is %L', item.comment);
        end if;
    end loop;
    for item in select a.privilege_type, a.is_grantable, case when a.grantee = 0 then 'public' else a.grantee::regrole::text end as grantee
                  from pg_class c cross join lateral aclexplode(c.relacl) a where c.oid = old loop
        execute format('grant %s on genealogy.tree_node_swap to %s%s', item.privilege_type, item.grantee,
                       case when item.is_grantable then ' with grant option' else '' end);
    end loop;
end $$;

-- Builds the keys, indexes, foreign keys (each checked with one join) and triggers of the filled tree_node_swap. Readers
-- still read the old table meanwhile.
create or replace function genealogy.tree_swap_build() returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
    item record;
begin
    set local maintenance_work_mem = '256MB';
    for item in select * from pg_temp.tree_swap_definition order by step, name loop
        case item.step
            when 1 then execute format('alter table genealogy.tree_node_swap add constraint %I %s', item.swap_name, item.definition);
            when 2 then execute format('create %sindex %I on genealogy.tree_node_swap%s', case when item.is_unique then 'unique ' end,
                                       item.swap_name, item.definition);
            when 3 then execute format('alter table genealogy.tree_node_swap add constraint %I %s', item.name, item.definition);
            else execute item.definition;
        end case;
    end loop;
end $$;

-- The swap: takes tree_node from its readers, renames it and its indexes out of the way (dropping it here would also
-- need distributor in access exclusive mode, for the foreign key's triggers there), and gives the new table and its
-- indexes the old names. Readers that arrive meanwhile wait for the commit and then read the new table. It waits at
-- most lock_timeout for the readers: the caller rolls back to a savepoint and tries again, so that readers never queue
-- behind it for long and a transaction that waits for one of the relabel's locks while holding tree_node cannot stall it.
create or replace function genealogy.tree_swap_in() returns void
language plpgsql set search_path = pg_catalog, pg_temp set lock_timeout = '200ms' as $$
declare
    item record;
    n integer := 0;
begin
    lock table genealogy.tree_node in access exclusive mode;
    for item in select x.relname from pg_index i join pg_class x on x.oid = i.indexrelid where i.indrelid = 'genealogy.tree_node'::regclass loop
        n := n + 1;
        execute format('alter index genealogy.%I rename to %I', item.relname, 'tree_node_old_' || n);
    end loop;
    alter table genealogy.tree_node rename to tree_node_old;
    alter table genealogy.tree_node_swap rename to tree_node;
    for item in select * from pg_temp.tree_swap_definition where step in (1, 2) loop
        execute format('alter index genealogy.%I rename to %I', item.swap_name, item.name);
    end loop;
    drop table pg_temp.tree_swap_definition;
end $$;

-- Drops the table a swap took out, in a transaction of its own after the swap's commit: it needs distributor (for the
-- foreign key's triggers) and the old table in access exclusive mode, so it waits at most lock_timeout and the caller
-- tries again.
create or replace function genealogy.tree_swap_drop_old() returns void
language plpgsql set search_path = pg_catalog, pg_temp set lock_timeout = '200ms' as $$
begin
    drop table if exists genealogy.tree_node_old;
end $$;
