-- The raw-SQL baselines' inputs, in a schema of the benchmark's own (bench) in the benchmark's database; run by
-- scripts/bench-http.sh with psql -v members=N -v raw_orders_from=K after the service has migrated and been seeded.
drop schema if exists bench cascade;
create schema bench;

-- bare placement: placed members to place under, and unplaced distributors (account and member rows, no tree nodes)
create table bench.sponsor (n integer primary key, node_id bigint not null);
insert into bench.sponsor select row_number() over (order by node_id), node_id from genealogy.tree_node where tree = 2;
create table bench.recruit (n bigint primary key, id bigint not null);
with u as (
    insert into identity.app_user (id, username, display_name, roles)
    select gen_random_uuid(), 'bench-bare-' || g, 'Bench Bare ' || g, 'distributor' from generate_series(1, :recruits) g
    returning id, username)
insert into genealogy.distributor (id, user_id, member_code, referral_code, full_name, search_name)
select nextval('genealogy.member_number_seq'), id, upper(username), 'BB' || substr(username, 12), 'Bench Bare', 'bench bare' from u;
insert into bench.recruit select row_number() over (order by id), id from genealogy.distributor where member_code like 'BENCH-BARE-%';
create sequence bench.recruit_pick;

-- raw paid order: the checked-out orders of the second half of orders.tsv, loaded by the script
create table bench.raw_order (n bigint primary key, order_id uuid not null);
create sequence bench.raw_pick;
create table bench.sample_document (document jsonb not null);
insert into bench.sample_document select document from tax.invoice order by issued_at desc limit 1;
