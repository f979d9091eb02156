-- KYC vault (docs/kyc.md). The files themselves live encrypted in the document store, never here: a row keeps the
-- metadata, the store reference, the SHA-256 of the plaintext and the document's data key wrapped by the master key.
-- Distributors are referred to by the genealogy module's id; their rows are that module's business.
create schema if not exists kyc;

create table kyc.document (
    id             bigint generated always as identity primary key,
    distributor_id bigint not null,
    kind           text not null check (kind in ('AADHAAR', 'PAN', 'BANK_PROOF', 'PHOTO')),
    content_type   text not null check (content_type in ('image/jpeg', 'image/png', 'application/pdf')),
    size_bytes     integer not null check (size_bytes > 0),
    sha256         bytea not null check (length(sha256) = 32),
    storage_ref    text not null unique,
    wrapped_key    bytea not null,
    master_key_id  text not null,
    -- SUPERSEDED: a later upload of the same kind replaced it while it was still pending
    status         text not null default 'PENDING' check (status in ('PENDING', 'APPROVED', 'REJECTED', 'SUPERSEDED')),
    uploaded_by    text not null,
    uploaded_at    timestamptz not null default now(),
    reviewed_by    text,
    reviewed_at    timestamptz,
    review_reason  text,
    check ((status in ('APPROVED', 'REJECTED')) = (reviewed_by is not null and reviewed_at is not null)),
    check (status <> 'REJECTED' or review_reason is not null)
);

-- A member's documents by kind, newest first: the current one of each kind is the first.
create index kyc_document_member on kyc.document (distributor_id, kind, id desc);
create index kyc_document_pending on kyc.document (id) where status = 'PENDING';
create index kyc_document_master_key on kyc.document (master_key_id);

-- The Aadhaar number, only encrypted (its own data key, bound to the distributor); the last four digits are what
-- every response shows.
create table kyc.aadhaar (
    distributor_id bigint primary key,
    ciphertext     bytea not null,
    wrapped_key    bytea not null,
    master_key_id  text not null,
    last4          text not null check (last4 ~ '^[0-9]{4}$'),
    updated_at     timestamptz not null default now()
);

-- Every read of a document's content: who, when, why. Append-only.
create table kyc.document_read (
    id             bigint generated always as identity primary key,
    document_id    bigint not null references kyc.document (id),
    owner_id       bigint not null,
    reader         text not null,
    reader_roles   text not null,
    purpose        text not null,
    read_at        timestamptz not null default now()
);

create index kyc_document_read_owner on kyc.document_read (owner_id, id desc);
create index kyc_document_read_document on kyc.document_read (document_id, id desc);
-- Append-only: the trigger is in R__kyc_append_only.sql.
