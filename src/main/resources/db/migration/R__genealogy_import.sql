-- Bulk loading an empty network (the import, docs/genealogy.md): building the indexes and checking the foreign keys of
-- distributor and tree_node once after the rows are in is several times faster than maintaining them row by row. The
-- definitions are read from the catalogue, as the migrations left them, and kept in a temporary table of the
-- transaction; everything is transactional, so a failed load leaves the schema as it was.

-- Drops the foreign keys among distributor and tree_node, their primary and unique keys that no other foreign key
-- needs, and their other indexes. The caller holds both trees' locks and has checked that the network is empty; until
-- the commit the two tables are locked for everyone else.
create or replace function genealogy.bulk_load_begin() returns integer
language plpgsql as $$
declare
    item record;
    n integer := 0;
begin
    create temp table bulk_load_definition (step integer, tbl regclass, name text, definition text) on commit drop;
    -- step 1: foreign keys from one of the two tables to one of them (the key to identity's accounts stays)
    insert into bulk_load_definition
    select 1, c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)
      from pg_constraint c
     where c.contype = 'f' and c.conrelid in ('genealogy.distributor'::regclass, 'genealogy.tree_node'::regclass)
       and c.confrelid in ('genealogy.distributor'::regclass, 'genealogy.tree_node'::regclass);
    -- step 2: primary and unique keys no remaining foreign key refers to
    insert into bulk_load_definition
    select 2, c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)
      from pg_constraint c
     where c.contype in ('p', 'u') and c.conrelid in ('genealogy.distributor'::regclass, 'genealogy.tree_node'::regclass)
       and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.conindid = c.conindid
                          and f.conname not in (select name from bulk_load_definition where step = 1));
    -- step 3: the other indexes
    insert into bulk_load_definition
    select 3, i.indrelid::regclass, x.relname, pg_get_indexdef(i.indexrelid)
      from pg_index i join pg_class x on x.oid = i.indexrelid
     where i.indrelid in ('genealogy.distributor'::regclass, 'genealogy.tree_node'::regclass)
       and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid);
    -- the label buckets are counted once after the load (bulk_load_end), not per copied row
    alter table genealogy.tree_node disable trigger tree_node_bucket_inserted;
    for item in select * from bulk_load_definition order by step loop
        if item.step = 3 then
            execute format('drop index genealogy.%I', item.name);
        else
            execute format('alter table %s drop constraint %I', item.tbl, item.name);
        end if;
        n := n + 1;
    end loop;
    return n;
end $$;

-- Builds again what genealogy.bulk_load_begin dropped: indexes, then keys, then the foreign keys (each checked with one
-- join), and counts both trees' label buckets afresh. A duplicate or a dangling reference fails here, and the whole load
-- with it.
create or replace function genealogy.bulk_load_end() returns integer
language plpgsql as $$
declare
    item record;
    n integer := 0;
begin
    set local maintenance_work_mem = '256MB';
    -- a table loaded by COPY has no statistics yet, and the foreign keys' checking joins are planned from them
    analyze genealogy.distributor, genealogy.tree_node;
    for item in select * from bulk_load_definition order by step desc loop
        if item.step = 3 then
            execute item.definition;
        else
            execute format('alter table %s add constraint %I %s', item.tbl, item.name, item.definition);
        end if;
        n := n + 1;
    end loop;
    drop table bulk_load_definition;
    alter table genealogy.tree_node enable trigger tree_node_bucket_inserted;
    perform genealogy.tree_bucket_rebuild(1::smallint, 'genealogy.tree_node');
    perform genealogy.tree_bucket_rebuild(2::smallint, 'genealogy.tree_node');
    return n;
end $$;
