-- Issue 12, security and bad input.

-- A captured gateway payment is kept whatever amount the notice claims, so that none goes unrecorded; the column
-- takes every amount the API accepts (18 integer digits, 4 decimals) instead of failing on the largest.
alter table payment_exception alter column amount type numeric;

-- Four eyes on every payout: whoever approved a withdrawal (or requested it) does not also confirm it paid or failed.
-- NOT VALID: rows settled before this rule are left as they were; every new settlement is checked.
alter table withdrawal add constraint withdrawal_settled_by_another
    check (settled_by is null or (settled_by <> decided_by and settled_by <> requested_by)) not valid;

-- Login throttling lets an account's known places (addresses it logged in from) through while strangers are slowed.
create index auth_session_user_address_idx on auth_session (user_id, client_address, created_at);
