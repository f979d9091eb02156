-- The access log of the KYC vault is append-only: no read is ever erased or rewritten.
create or replace function kyc.refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_schema || '.' || tg_table_name using errcode = 'DLRO1';
end;
$$;

drop trigger if exists kyc_document_read_append_only on kyc.document_read;
create trigger kyc_document_read_append_only before update or delete on kyc.document_read
    for each row execute function kyc.refuse_change();
drop trigger if exists kyc_document_read_no_truncate on kyc.document_read;
create trigger kyc_document_read_no_truncate before truncate on kyc.document_read
    for each statement execute function kyc.refuse_change();
