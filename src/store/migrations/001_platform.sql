-- Platform: organisation, accounts, sessions, tokens, audit, addresses, persons.
-- Portable DDL: {id} is the backend's auto-increment primary key, {blob} its
-- byte-string type, {ctext} text compared byte by byte (searched by range).
-- Times are BIGINT milliseconds since the Unix epoch (UTC).

-- Facts about the installation, e.g. a value sealed with the key file, so a
-- wrong key file is refused at start-up.
CREATE TABLE meta (
	name TEXT PRIMARY KEY,
	value {blob} NOT NULL
);

CREATE TABLE org_units (
	id {id},
	parent_id BIGINT REFERENCES org_units(id),
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	code TEXT NOT NULL UNIQUE,
	path {ctext} NOT NULL,            -- '/1/4/9/': the ids from the root, for data scope
	area_type TEXT,
	leader_id BIGINT,
	resident_aux_id BIGINT,
	polygon TEXT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX org_units_parent ON org_units(parent_id);
CREATE INDEX org_units_path ON org_units(path);

CREATE TABLE users (
	id {id},
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	role TEXT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES org_units(id),
	password_hash TEXT NOT NULL,
	must_change_password BIGINT NOT NULL DEFAULT 0,
	totp_secret {blob},               -- encrypted
	totp_enrolled BIGINT NOT NULL DEFAULT 0,
	totp_last_step BIGINT NOT NULL DEFAULT 0, -- refuses a code used twice
	failed_logins BIGINT NOT NULL DEFAULT 0,
	locked_until BIGINT,
	disabled BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE sessions (
	id {id},
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	client_addr TEXT,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id {id},
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	label TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	scopes TEXT NOT NULL,             -- space-separated permission names
	created_at BIGINT NOT NULL,
	expires_at BIGINT,
	revoked_at BIGINT,
	last_used_at BIGINT
);

CREATE TABLE login_attempts (
	client_addr TEXT NOT NULL,
	minute BIGINT NOT NULL,
	count BIGINT NOT NULL,
	PRIMARY KEY (client_addr, minute)
);

CREATE TABLE audit_log (
	id {id},
	time BIGINT NOT NULL,
	user_id BIGINT,
	username TEXT,
	client_addr TEXT,
	action TEXT NOT NULL,
	object_type TEXT,
	object_id TEXT,
	outcome TEXT NOT NULL,
	detail TEXT,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_time ON audit_log(time);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_action ON audit_log(action);
CREATE INDEX audit_log_user ON audit_log(user_id);

CREATE TABLE addresses (
	id {id},
	division_code TEXT NOT NULL,
	street TEXT NOT NULL,
	door_no TEXT NOT NULL,
	building TEXT,
	unit TEXT,
	floor TEXT,
	room TEXT,
	full_text TEXT NOT NULL,
	lat DOUBLE PRECISION,
	lng DOUBLE PRECISION,
	grid_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,        -- the grid's path, for data scope
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX addresses_grid ON addresses(grid_id);
CREATE INDEX addresses_scope ON addresses(org_path, id);
-- One address, one row: the parts, not the display text, which joins them.
CREATE UNIQUE INDEX addresses_unique ON addresses(division_code, street, door_no,
	COALESCE(building, ''), COALESCE(unit, ''), COALESCE(floor, ''), COALESCE(room, ''));
CREATE INDEX addresses_text ON addresses(full_text);

CREATE TABLE persons (
	id {id},
	name {ctext} NOT NULL,
	doc_type TEXT NOT NULL,
	id_number_enc {blob},             -- encrypted (nonce + ciphertext)
	id_number_hash TEXT,              -- keyed hash, for exact look-up
	id_number_mask TEXT,
	sex TEXT,
	birth_date TEXT,
	phone_enc {blob},
	phone_mask TEXT,
	address_id BIGINT REFERENCES addresses(id),
	org_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,
	tags TEXT NOT NULL DEFAULT '',    -- space-separated
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX persons_doc ON persons(doc_type, id_number_hash);
CREATE INDEX persons_scope ON persons(org_path, id);
CREATE INDEX persons_name ON persons(name);
CREATE INDEX persons_address ON persons(address_id);

-- One person, one file: every module appends what happened to a person here.
CREATE TABLE person_events (
	id {id},
	person_id BIGINT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
	time BIGINT NOT NULL,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	object_type TEXT,
	object_id BIGINT
);
CREATE INDEX person_events_person ON person_events(person_id, time);
