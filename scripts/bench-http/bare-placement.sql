-- pgbench: the bare placement, PlacementService's locked part alone (lock, sponsor, extreme-left probe, tree_insert,
-- commit): no account, no member row, no sponsor tree, no HTTP.
\set sponsor random(1, :sponsors)
select nextval('bench.recruit_pick') as pick \gset
begin;
select pg_advisory_xact_lock(7130, 2);
select t.lo, t.hi from genealogy.tree_node t join bench.sponsor s on s.node_id = t.node_id where t.tree = 2 and s.n = :sponsor \gset
select node_id as parent from genealogy.tree_node where tree = 2 and free_mask & 1 <> 0 and lo between :lo and :hi order by lo limit 1 \gset
select genealogy.tree_insert(2::smallint, (select id from bench.recruit where n = :pick), :parent, 0, 2);
commit;
