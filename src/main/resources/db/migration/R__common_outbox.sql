-- How far a transactional outbox may be read (commerce.outbox_next, io.downline.common.db.Outbox): events of
-- transactions below the oldest one still running, so that a transaction committing late is never passed. "Running"
-- counts only transactions of this database: PostgreSQL's snapshot lists those of every database of the cluster, and a
-- long transaction in another database (a test, a report, another service) would otherwise hold every consumer here
-- for its whole duration. A running transaction whose database cannot be told (it ended meanwhile) still counts.
create or replace function common.outbox_read_bound() returns xid8 language sql stable as $$
    select coalesce(
               (select min(x) from pg_snapshot_xip(s.snap) as x
                 where (x::text::bigint % 4294967296)::text::xid not in (
                           select a.backend_xid from pg_stat_activity a
                            where a.backend_xid is not null and a.datname is distinct from current_database())),
               pg_snapshot_xmax(s.snap))
      from (select pg_current_snapshot() as snap) s
$$;
