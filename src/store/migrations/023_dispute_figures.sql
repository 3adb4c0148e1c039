-- "Escalations prevented" (store/dispute_watch_store.c
-- fq_store_watch_prevented, on the chief's overview and with every figures
-- request) reads the disputes that once crossed the watch's threshold: a few
-- in a hundred. Without this index it walked every dispute of the scope
-- (1.25 s at 100,000 disputes on SQLite; docs/PERFORMANCE.md, "Disputes at
-- 100,000").
CREATE INDEX dispute_watch_first_above ON dispute_watch(first_above_at)
	WHERE first_above_at IS NOT NULL;
