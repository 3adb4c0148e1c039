-- Incidents (警情): intake, lifecycle, dispatch, closure, on-site record,
-- repeats, follow-up, daily clear; the start of disputes (converted incidents).
-- Times are BIGINT milliseconds since the Unix epoch (UTC).

-- A short prefix for the numbers of a station's records ("LL" in LL-2026-000123);
-- the station's code when empty.
ALTER TABLE org_units ADD COLUMN number_prefix TEXT;

-- The last number given per station, kind of record and year. Taking a number
-- updates the row, so the row lock keeps numbers gapless across processes.
CREATE TABLE record_numbers (
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	kind TEXT NOT NULL,               -- 'incident', 'dispute'
	year BIGINT NOT NULL,
	last_no BIGINT NOT NULL,
	PRIMARY KEY (station_id, kind, year)
);

CREATE TABLE incidents (
	id {id},
	number TEXT NOT NULL UNIQUE,
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	org_id BIGINT NOT NULL REFERENCES org_units(id), -- the address's grid, or the station
	org_path {ctext} NOT NULL,
	received_at BIGINT NOT NULL,
	day BIGINT NOT NULL,              -- local date as YYYYMMDD, for the daily clear and figures
	hour BIGINT NOT NULL,             -- local hour 0–23, for figures
	channel TEXT NOT NULL,
	caller_id BIGINT REFERENCES persons(id),
	caller_name TEXT,                 -- as given on the phone, when no person is linked
	caller_phone_enc {blob},
	caller_phone_mask TEXT,
	caller_phone_hash TEXT,           -- keyed hash: repeat detection by caller number
	address_id BIGINT REFERENCES addresses(id),
	address_text TEXT,                -- the standard address's text, or a place described
	area_type TEXT NOT NULL,          -- urban / suburban / rural, at intake
	category TEXT NOT NULL,
	subcategory TEXT,
	is_case BIGINT NOT NULL DEFAULT 0, -- case-type: needs a case reference or a reason to close
	emergency BIGINT NOT NULL DEFAULT 0,
	narrative TEXT NOT NULL,
	status TEXT NOT NULL,
	target_minutes BIGINT,            -- arrival target; NULL = as fast as possible
	dispatched_at BIGINT,
	arrived_at BIGINT,
	arrival_late BIGINT NOT NULL DEFAULT 0,
	handling_at BIGINT,
	closed_at BIGINT,
	closed_by BIGINT REFERENCES users(id),
	co_closer_id BIGINT REFERENCES users(id), -- the officer closing with an aux
	reviewed_at BIGINT,
	disposal TEXT,
	disposal_note TEXT,
	case_ref TEXT,
	no_case_reason TEXT,
	repeat_count BIGINT NOT NULL DEFAULT 0, -- earlier incidents linked as repeats
	dispute_id BIGINT,                -- set when converted to a dispute
	carried_over_to BIGINT,           -- day (YYYYMMDD) the daily clear carried it to
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX incidents_scope ON incidents(org_path, id);
CREATE INDEX incidents_status ON incidents(status, id);
CREATE INDEX incidents_day ON incidents(day, status);
CREATE INDEX incidents_address ON incidents(address_id, received_at);
CREATE INDEX incidents_caller ON incidents(caller_id, received_at);
CREATE INDEX incidents_caller_phone ON incidents(caller_phone_hash, received_at);
CREATE INDEX incidents_updated ON incidents(updated_at);

-- Every lifecycle step and action, with time and actor.
CREATE TABLE incident_steps (
	id {id},
	incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	at BIGINT NOT NULL,
	action TEXT NOT NULL,             -- received, dispatched, on_scene, handling, closed, reviewed, note …
	status TEXT NOT NULL,             -- the status after the step
	user_id BIGINT REFERENCES users(id),
	user_name TEXT,
	note TEXT
);
CREATE INDEX incident_steps_incident ON incident_steps(incident_id, id);

-- Responders sent to an incident.
CREATE TABLE incident_responders (
	incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users(id),
	dispatched_at BIGINT NOT NULL,
	dispatched_by BIGINT REFERENCES users(id),
	arrived_at BIGINT,
	released_at BIGINT,               -- free again (incident closed or responder released)
	PRIMARY KEY (incident_id, user_id)
);
CREATE INDEX incident_responders_user ON incident_responders(user_id, released_at);

-- Persons involved: caller, party, victim, suspect, witness.
CREATE TABLE incident_parties (
	incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	person_id BIGINT NOT NULL REFERENCES persons(id),
	role TEXT NOT NULL,
	PRIMARY KEY (incident_id, person_id)
);
CREATE INDEX incident_parties_person ON incident_parties(person_id);

-- Repeats: an incident linked to an earlier one by address, caller or party.
CREATE TABLE incident_links (
	incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	earlier_id BIGINT NOT NULL REFERENCES incidents(id),
	reason TEXT NOT NULL,             -- 'address caller party', space-separated
	PRIMARY KEY (incident_id, earlier_id)
);
CREATE INDEX incident_links_earlier ON incident_links(earlier_id);

-- On-site closure record (处警现场处结备案单): sealed once, never changed.
CREATE TABLE onsite_records (
	incident_id BIGINT PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
	facts TEXT NOT NULL,
	disposal TEXT NOT NULL,
	seal TEXT NOT NULL,               -- hex SHA-256 over the record and its signatures
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE TABLE onsite_signatures (
	incident_id BIGINT NOT NULL REFERENCES onsite_records(incident_id) ON DELETE CASCADE,
	role TEXT NOT NULL,               -- party, officer, witness
	seq BIGINT NOT NULL,              -- 1, 2 … within a role
	name TEXT NOT NULL,
	signed_at BIGINT NOT NULL,
	image {blob} NOT NULL,            -- PNG of the drawn signature
	image_sha256 TEXT NOT NULL,
	PRIMARY KEY (incident_id, role, seq)
);

-- Follow-up call (回访).
CREATE TABLE incident_followups (
	id {id},
	incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	at BIGINT NOT NULL,
	user_id BIGINT REFERENCES users(id),
	reached BIGINT NOT NULL,
	satisfaction TEXT,                -- very_satisfied, satisfied, basically_satisfied, dissatisfied
	note TEXT
);
CREATE INDEX incident_followups_incident ON incident_followups(incident_id);

-- Daily clear (日清): an incident of a day not disposed, carried over with a reason.
CREATE TABLE incident_carryovers (
	id {id},
	incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	from_day BIGINT NOT NULL,
	to_day BIGINT NOT NULL,
	reason TEXT NOT NULL,
	user_id BIGINT REFERENCES users(id),
	at BIGINT NOT NULL
);
CREATE INDEX incident_carryovers_incident ON incident_carryovers(incident_id);

-- Disputes start here as converted incidents; the dispute module (issue 5)
-- builds on these tables.
CREATE TABLE disputes (
	id {id},
	number TEXT NOT NULL UNIQUE,
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	org_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,
	source_incident_id BIGINT REFERENCES incidents(id),
	address_id BIGINT REFERENCES addresses(id),
	address_text TEXT,
	category TEXT,
	facts TEXT NOT NULL,
	status TEXT NOT NULL,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX disputes_scope ON disputes(org_path, id);
CREATE INDEX disputes_status ON disputes(status, id);
CREATE TABLE dispute_parties (
	dispute_id BIGINT NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
	person_id BIGINT NOT NULL REFERENCES persons(id),
	role TEXT NOT NULL,
	PRIMARY KEY (dispute_id, person_id)
);
CREATE INDEX dispute_parties_person ON dispute_parties(person_id);
