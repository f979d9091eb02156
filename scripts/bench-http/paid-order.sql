-- pgbench: the database work of paying a checked-out order (one line of one unit), as OrderService.settle does it but
-- without HTTP, JWT, validation, tax computation or JSON: lock the order, take the stock and write its movement,
-- record the volume, mark the order paid, take the series' next number and write the invoice (one statement; a stored
-- document of the same size), the outbox event; durable commit.
select nextval('bench.raw_pick') as pick \gset
begin;
select o.warehouse_id as wid, o.distributor_id as did, l.product_id as pid, o.grand_total as total
  from commerce.customer_order o join commerce.order_line l on l.order_id = o.id
 where o.id = (select order_id from bench.raw_order where n = :pick) for update of o \gset
update commerce.stock set quantity = quantity - 1 where warehouse_id = :wid and product_id = :pid and quantity - 1 >= 0 returning quantity as balance \gset
insert into commerce.stock_movement (warehouse_id, product_id, kind, quantity, balance, reason, actor, order_id)
values (:wid, :pid, 'SALE', -1, :balance, 'bench', 'bench', (select order_id from bench.raw_order where n = :pick));
insert into genealogy.volume_entry (period, distributor_id, pv, bv, source, reference, recorded_by)
values (to_char(now() at time zone 'UTC', 'YYYY-MM'), :did, 10, 333.33, 'order', 'raw-' || :pick, 'bench');
insert into genealogy.personal_volume (period, distributor_id, pv, bv) values (to_char(now() at time zone 'UTC', 'YYYY-MM'), :did, 10, 333.33)
    on conflict (period, distributor_id) do update set pv = personal_volume.pv + excluded.pv, bv = personal_volume.bv + excluded.bv;
update commerce.customer_order set status = 'PAID', payment_reference = 'raw-' || :pick, paid_at = now(),
       volume_period = to_char(now() at time zone 'UTC', 'YYYY-MM')
 where id = (select order_id from bench.raw_order where n = :pick);
with c as (
    insert into tax.invoice_counter (series, financial_year, last_number)
    select w.invoice_series, to_char(y, 'YYYY') || '-' || to_char(y + interval '1 year', 'YY'), 1
      from commerce.warehouse w, date_trunc('year', (now() at time zone 'Asia/Kolkata') - interval '3 months') y
     where w.id = :wid
        on conflict (series, financial_year) do update set last_number = invoice_counter.last_number + 1
    returning series, financial_year, last_number)
insert into tax.invoice (id, doc_type, number, financial_year, order_id, distributor_id, warehouse_id, country, region, currency,
                         issued_at, invoice_date, taxable, cgst, sgst, utgst, igst, vat, total, document)
select gen_random_uuid(), 'INV', c.series || '/' || replace(substr(c.financial_year, 3), '-', '') || '/' || lpad(c.last_number::text, 6, '0'),
       c.financial_year, (select order_id from bench.raw_order where n = :pick), :did, :wid, 'IN', w.region, 'INR', now(), current_date,
       500.00, 45.00, 45.00, 0, 0, 0, :total, (select document from bench.sample_document)
  from c, commerce.warehouse w where w.id = :wid;
insert into commerce.outbox_event (id, type, payload)
values (gen_random_uuid(), 'order.paid', jsonb_build_object('orderId', (select order_id from bench.raw_order where n = :pick), 'pv', '10.00', 'bv', '333.33'));
commit;
