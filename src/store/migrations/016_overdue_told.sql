-- When the station's outside channels (the outbox) were told that a call's
-- responders are late (event incident.arrival_overdue): once per incident,
-- set by the first sweep that finds it late; NULL = not told.
ALTER TABLE incidents ADD COLUMN overdue_told_at BIGINT;
