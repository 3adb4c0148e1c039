-- Failed sign-ins under user names that do not exist (src/auth/session.c):
-- counted and locked like a user's failed_logins and locked_until, so that
-- the answers to a run of wrong passwords do not tell whether the name exists.
-- The name is kept only as a keyed hash: what was typed as a name may be a
-- password. A row whose lock has run out is deleted (the name is as new).
CREATE TABLE login_name_failures (
	name_hash TEXT PRIMARY KEY,
	failed_logins BIGINT NOT NULL DEFAULT 0,
	locked_until BIGINT,
	updated_at BIGINT NOT NULL
);
CREATE INDEX login_name_failures_locked ON login_name_failures(locked_until);
