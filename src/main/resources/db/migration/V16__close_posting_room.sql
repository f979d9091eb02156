-- Period close speed (issue 10): every row a commission batch creates here is updated again in the same transaction
-- (a new wallet gets its chain head when the credits post; a new TDS year row gets its running totals). Room left on
-- each page lets that update stay on the page (a HOT update) instead of writing a new entry into every index.
-- Applies to pages written from now on. See docs/benchmarks.md, "Close speed: set-based posting".
alter table ledger.ledger_account set (fillfactor = 80);
alter table tds.tds_year set (fillfactor = 80);
