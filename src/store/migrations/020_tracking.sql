-- 一案一码: the public tracking page's rate limit. One row per key and
-- fixed window: 'code:<CODE>' counts tries of one tracking code per
-- track_code_window_minutes, 'addr:<address>' tries from one client address
-- per hour. A table, not a counter in memory, so that the limit holds across
-- every server on one PostgreSQL database; old windows are deleted as new
-- tries come.
CREATE TABLE track_attempts (
	key TEXT NOT NULL,
	window_start BIGINT NOT NULL,     -- ms since the epoch, the window's start
	count BIGINT NOT NULL,
	PRIMARY KEY (key, window_start)
);
CREATE INDEX track_attempts_window ON track_attempts(window_start);
