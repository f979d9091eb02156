-- Commerce and tax: the catalogue, dated tax rates, warehouses and stock, orders, invoices and credit notes, returns,
-- and the transactional outbox. See docs/commerce.md for the design and its invariants.

-- Tax rates are data with effective dates. A rate applies to every HSN code that starts with hsn_prefix (the longest
-- matching prefix wins; '' is the country's default) from valid_from until the next row of the same key.
create table tax_rate (
    country     text not null check (country ~ '^[A-Z]{2}$'),
    hsn_prefix  text not null check (hsn_prefix ~ '^([0-9]{2,8})?$'),
    valid_from  date not null,
    rate        numeric(6, 3) not null check (rate >= 0 and rate <= 100),
    created_by  text not null,
    created_at  timestamptz not null default now(),
    primary key (country, hsn_prefix, valid_from)
);

-- Kazakhstan VAT is one rate for all goods: 12% until 31 Dec 2025, 16% from 1 Jan 2026.
insert into tax_rate (country, hsn_prefix, valid_from, rate, created_by) values
    ('KZ', '', '2009-01-01', 12, 'system'),
    ('KZ', '', '2026-01-01', 16, 'system');

create table product (
    id          bigint generated always as identity primary key,
    sku         text not null unique,
    name        text not null,
    description text not null,
    hsn         text not null check (hsn ~ '^[0-9]{4}([0-9]{2}([0-9]{2})?)?$'),
    unit        text not null,
    pv          numeric(14, 2) not null check (pv >= 0),
    bv          numeric(14, 2) not null check (bv >= 0),
    active      boolean not null default true,
    created_at  timestamptz not null default now()
);

-- The taxable unit price (tax excluded) in each country where the product is sold, in that country's currency.
create table product_price (
    product_id  bigint not null references product (id),
    country     text not null check (country ~ '^[A-Z]{2}$'),
    currency    text not null check (currency ~ '^[A-Z]{3}$'),
    price       numeric(14, 2) not null check (price >= 0),
    primary key (product_id, country)
);

create table warehouse (
    id             bigint generated always as identity primary key,
    code           text not null unique,
    name           text not null,
    address        text not null,
    city           text not null,
    postal_code    text not null,
    region         text not null,
    country        text not null check (country ~ '^[A-Z]{2}$'),
    -- the seller's registration in the warehouse's state (GSTIN in India, BIN in Kazakhstan)
    tax_id         text not null,
    -- prefix of the warehouse's invoice numbers; credit notes use the prefix followed by C
    -- never ending in C: credit notes number in the series + C, which must not be another warehouse's series
    invoice_series text not null unique check (invoice_series ~ '^[A-Z][A-Z0-9]{0,2}$' and invoice_series !~ 'C$'),
    active         boolean not null default true,
    created_at     timestamptz not null default now()
);

-- Regional representatives: staff accounts who may move the stock of a warehouse.
create table warehouse_employee (
    warehouse_id bigint not null references warehouse (id),
    user_id      uuid not null references app_user (id),
    primary key (warehouse_id, user_id)
);

create table stock (
    warehouse_id bigint not null references warehouse (id),
    product_id   bigint not null references product (id),
    quantity     integer not null default 0 constraint stock_never_negative check (quantity >= 0),
    primary key (warehouse_id, product_id)
);

-- Every change of stock is a row; balance is the warehouse's quantity of the product right after it.
create table stock_movement (
    id           bigint generated always as identity primary key,
    warehouse_id bigint not null references warehouse (id),
    product_id   bigint not null references product (id),
    kind         text not null check (kind in ('RECEIPT', 'TRANSFER_OUT', 'TRANSFER_IN', 'SALE', 'RETURN', 'ADJUSTMENT')),
    quantity     integer not null check (quantity <> 0),
    balance      integer not null check (balance >= 0),
    -- cost of a receipt (what the warehouse paid for the goods), for the receipts and expenses report
    unit_cost    numeric(14, 2),
    cost_currency text,
    reason       text not null,
    actor        text not null,
    order_id     uuid,
    created_at   timestamptz not null default now()
);
create index stock_movement_warehouse_idx on stock_movement (warehouse_id, id);
create index stock_movement_actor_idx on stock_movement (actor, created_at);

create table warehouse_expense (
    id           bigint generated always as identity primary key,
    warehouse_id bigint not null references warehouse (id),
    amount       numeric(14, 2) not null check (amount > 0),
    currency     text not null,
    description  text not null,
    actor        text not null,
    spent_on     date not null,
    created_at   timestamptz not null default now()
);
create index warehouse_expense_idx on warehouse_expense (warehouse_id, spent_on);

create table customer_order (
    id                uuid primary key,
    distributor_id    bigint not null references distributor (id),
    buyer_name        text not null,
    buyer_gstin       text,
    for_customer      boolean not null,
    delivery          jsonb not null,
    delivery_country  text not null,
    delivery_region   text not null,
    warehouse_id      bigint not null references warehouse (id),
    currency          text not null,
    supply_type       text not null,
    taxable_total     numeric(14, 2) not null,
    tax_total         numeric(14, 2) not null,
    round_off         numeric(14, 2) not null,
    grand_total       numeric(14, 2) not null,
    pv_total          numeric(14, 2) not null,
    bv_total          numeric(14, 2) not null,
    status            text not null check (status in ('PENDING', 'PAID')),
    created_by        text not null,
    created_at        timestamptz not null default now(),
    paid_at           timestamptz,
    payment_reference text unique,
    volume_period     text
);
create index customer_order_distributor_idx on customer_order (distributor_id, created_at desc, id);
create index customer_order_created_idx on customer_order (created_at desc, id);

create table order_line (
    order_id          uuid not null references customer_order (id),
    line_no           integer not null,
    product_id        bigint not null references product (id),
    sku               text not null,
    name              text not null,
    hsn               text not null,
    unit              text not null,
    quantity          integer not null check (quantity > 0),
    returned_quantity integer not null default 0,
    unit_price        numeric(14, 2) not null,
    taxable           numeric(14, 2) not null,
    rate              numeric(6, 3) not null,
    cgst              numeric(14, 2) not null,
    sgst              numeric(14, 2) not null,
    utgst             numeric(14, 2) not null,
    igst              numeric(14, 2) not null,
    vat               numeric(14, 2) not null,
    pv                numeric(14, 2) not null,
    bv                numeric(14, 2) not null,
    primary key (order_id, line_no),
    constraint order_line_returned check (returned_quantity between 0 and quantity)
);

-- One counter per invoice series per financial year. It is incremented inside the transaction that issues the document,
-- so a rolled-back payment rolls its number back too: numbers have no gaps and no duplicates.
create table invoice_counter (
    series         text not null,
    financial_year text not null,
    last_number    integer not null,
    primary key (series, financial_year)
);

-- Tax invoices (INV) and credit notes (CRN). document is the complete, immutable document as issued.
create table invoice (
    id              uuid primary key,
    doc_type        text not null check (doc_type in ('INV', 'CRN')),
    number          text not null check (number ~ '^[A-Z1-9][A-Z0-9/-]{0,15}$'),
    financial_year  text not null,
    order_id        uuid not null references customer_order (id),
    original_id     uuid references invoice (id),
    distributor_id  bigint not null references distributor (id),
    warehouse_id    bigint not null references warehouse (id),
    country         text not null,
    region          text not null,
    currency        text not null,
    issued_at       timestamptz not null,
    invoice_date    date not null,
    taxable         numeric(14, 2) not null,
    cgst            numeric(14, 2) not null,
    sgst            numeric(14, 2) not null,
    utgst           numeric(14, 2) not null,
    igst            numeric(14, 2) not null,
    vat             numeric(14, 2) not null,
    total           numeric(14, 2) not null,
    irn             text,
    document        jsonb not null,
    e_invoice       jsonb,
    unique (financial_year, number)
);
create index invoice_order_idx on invoice (order_id);
create index invoice_date_idx on invoice (invoice_date);

create table order_return (
    id              uuid primary key,
    order_id        uuid not null references customer_order (id),
    warehouse_id    bigint not null references warehouse (id),
    credit_note_id  uuid not null references invoice (id),
    refund_amount   numeric(14, 2) not null,
    currency        text not null,
    refund_status   text not null check (refund_status in ('RECORDED')),
    reason          text not null,
    volume_period   text not null,
    -- [{"lineNo": 1, "quantity": 2}, ...]: the order lines and units that came back
    lines           jsonb not null,
    created_by      text not null,
    created_at      timestamptz not null default now()
);
create index order_return_order_idx on order_return (order_id);

-- Money the gateway captured for a payment this service refused (amount wrong, order already paid by another payment,
-- rate changed or stock gone since checkout): the gateway has the money, so finance must refund or settle it by hand.
create table payment_exception (
    reference   text primary key,
    order_id    uuid,
    amount      numeric(14, 2) not null,
    currency    text not null,
    reason      text not null,
    received_at timestamptz not null default now()
);

-- The transactional outbox: events written in the transaction of the change they describe; rows are never deleted.
-- position is drawn at insert but transactions commit in another order, so a reader going by position alone could pass
-- an event whose transaction commits later. Readers therefore go by (txid, position) and only below the oldest
-- transaction still running (outbox_next): no event can appear there any more.
create table outbox_event (
    position   bigint generated always as identity unique,
    id         uuid primary key,
    type       text not null,
    payload    jsonb not null,
    txid       xid8 not null default pg_current_xact_id(),
    created_at timestamptz not null default now()
);
create index outbox_event_read_idx on outbox_event (txid, position);

create table outbox_consumer (
    consumer      text primary key,
    last_txid     xid8 not null default '0',
    last_position bigint not null default 0,
    updated_at    timestamptz not null default now()
);

-- The next events for a consumer, in commit-safe order; the consumer records the last (txid, position) it handled
-- with outbox_ack in the same transaction as its own effects.
create function outbox_next(p_consumer text, p_limit integer) returns setof outbox_event language sql stable as $$
    select e.*
      from outbox_event e
      left join outbox_consumer c on c.consumer = p_consumer
     where (e.txid, e.position) > (coalesce(c.last_txid, '0'::xid8), coalesce(c.last_position, 0))
       and e.txid < pg_snapshot_xmin(pg_current_snapshot())
     order by e.txid, e.position
     limit p_limit
$$;

create function outbox_ack(p_consumer text, p_txid xid8, p_position bigint) returns void language sql as $$
    insert into outbox_consumer (consumer, last_txid, last_position) values (p_consumer, p_txid, p_position)
    on conflict (consumer) do update
       set last_txid = excluded.last_txid, last_position = excluded.last_position, updated_at = now()
     where (outbox_consumer.last_txid, outbox_consumer.last_position) < (excluded.last_txid, excluded.last_position)
$$;
