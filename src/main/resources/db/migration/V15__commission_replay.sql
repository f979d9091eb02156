-- Dead-letter replay (issue 10): an admin replays a dead letter once its cause is fixed. The letter keeps who replayed it
-- and when (a replayed letter is never replayed again) and the attempts that failed again (reason = the latest error).
-- See docs/commission-runtime.md.
alter table commission.dead_letter add column attempts integer not null default 0 check (attempts >= 0);
alter table commission.dead_letter add column last_attempt_at timestamptz;
alter table commission.dead_letter add column last_attempt_by text;
alter table commission.dead_letter add column replayed_at timestamptz;
alter table commission.dead_letter add column replayed_by text;
alter table commission.dead_letter add constraint dead_letter_replayed_check check ((replayed_at is null) = (replayed_by is null));
comment on column commission.dead_letter.attempts is 'replays tried (the successful one included)';
comment on column commission.dead_letter.replayed_at is 'when a replay handled the event (its lines paid in that transaction); null while it stays dead-lettered';
