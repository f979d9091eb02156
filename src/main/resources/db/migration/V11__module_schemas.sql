-- One schema per module: each module owns the tables of its schema and writes only them (docs/architecture.md).
-- Tables keep their names, data, indexes, constraints, grants and triggers; functions move here and get their
-- schema-qualified bodies from the module's repeatable migration (R__<module>_*.sql), which runs right after.
create schema if not exists identity;
create schema if not exists common;
create schema if not exists genealogy;
create schema if not exists ledger;
create schema if not exists tds;
create schema if not exists tax;
create schema if not exists commerce;

alter table public.app_user set schema identity;
alter table public.auth_session set schema identity;
alter table public.login_throttle set schema identity;
alter table public.account_activation set schema identity;
alter table public.password_reset set schema identity;

alter table public.idempotency_key set schema common;

alter table public.comp_plan set schema genealogy;
alter sequence public.member_number_seq set schema genealogy;
alter table public.distributor set schema genealogy;
alter table public.tree_node set schema genealogy;
alter table public.personal_volume set schema genealogy;
alter table public.volume_entry set schema genealogy;
alter table public.genealogy_audit set schema genealogy;
alter table public.import_job set schema genealogy;

-- The entry table's monthly partitions are tables of their own and move one by one.
do $$
declare
    part regclass;
begin
    for part in select inhrelid::regclass from pg_inherits where inhparent = 'public.ledger_entry'::regclass loop
        execute format('alter table %s set schema ledger', part);
    end loop;
end $$;
alter table public.ledger_entry set schema ledger;
alter table public.ledger_account set schema ledger;
alter table public.ledger_txn set schema ledger;
alter table public.ledger_checkpoint set schema ledger;
alter table public.ledger_request set schema ledger;
alter table public.ledger_hold set schema ledger;
alter table public.ledger_settings set schema ledger;
alter table public.ledger_audit set schema ledger;
alter table public.bank_account set schema ledger;
alter table public.payout_batch set schema ledger;
alter table public.withdrawal set schema ledger;

alter table public.commission_credit set schema tds;
alter table public.tax_profile set schema tds;
alter table public.tds_year set schema tds;
alter table public.tds_deduction set schema tds;

alter table public.invoice_counter set schema tax;
alter table public.invoice set schema tax;

alter table public.tax_rate set schema commerce;
alter table public.product set schema commerce;
alter table public.product_price set schema commerce;
alter table public.warehouse set schema commerce;
alter table public.warehouse_employee set schema commerce;
alter table public.stock set schema commerce;
alter table public.stock_movement set schema commerce;
alter table public.warehouse_expense set schema commerce;
alter table public.customer_order set schema commerce;
alter table public.order_line set schema commerce;
alter table public.order_return set schema commerce;
alter table public.payment_exception set schema commerce;
alter table public.outbox_event set schema commerce;
alter table public.outbox_consumer set schema commerce;

-- Functions keep their identity (the triggers that call them stay attached).
do $$
declare
    fn record;
begin
    for fn in select p.oid::regprocedure as signature, p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
              where n.nspname = 'public' and (p.proname like 'tree\_%' or p.proname like 'ledger\_%' or p.proname like 'outbox\_%') loop
        execute format('alter function %s set schema %I', fn.signature,
                       case when fn.proname like 'tree\_%' then 'genealogy' when fn.proname like 'ledger\_%' then 'ledger' else 'commerce' end);
    end loop;
end $$;

-- The ledger's runtime role reaches its tables through the new schema.
do $$
begin
    if exists (select from pg_roles where rolname = 'downline_ledger_writer') then
        grant usage on schema ledger to downline_ledger_writer;
    end if;
end $$;
