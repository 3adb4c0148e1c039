-- Volunteer teams and volunteers (群防群治, DOMAIN §8; issue 12): teams of a
-- grid, their members, trainings, and the patrols a team walks (the duty
-- module's patrols) with the volunteers on each, from which hours accrue.
-- Times are BIGINT milliseconds UTC; days are local YYYYMMDD.

CREATE TABLE volunteers (
	id {id},
	name TEXT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES org_units(id), -- the grid (or unit) they belong to
	org_path {ctext} NOT NULL,
	id_number_enc {blob} NOT NULL,    -- encrypted (nonce + ciphertext)
	id_number_hash TEXT NOT NULL,     -- keyed hash: one volunteer per ID number
	id_number_mask TEXT NOT NULL,
	sex TEXT NOT NULL,
	birth_date TEXT NOT NULL,         -- YYYY-MM-DD, from the ID number
	phone_enc {blob},
	phone_mask TEXT,
	skills TEXT NOT NULL,             -- JSON array of texts
	status TEXT NOT NULL,             -- active, left
	joined_day BIGINT NOT NULL,
	minor BIGINT NOT NULL,            -- 1: under 18 on joined_day
	guardian_name TEXT,               -- a minor's guardian and the recorded consent
	guardian_phone_enc {blob},
	guardian_phone_mask TEXT,
	guardian_relation TEXT,
	consent_day BIGINT,
	user_id BIGINT REFERENCES users(id), -- the account they sign in with (role volunteer)
	note TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX volunteers_id_hash ON volunteers(id_number_hash);
CREATE UNIQUE INDEX volunteers_user ON volunteers(user_id);
CREATE INDEX volunteers_scope ON volunteers(org_path, id);

CREATE TABLE volunteer_teams (
	id {id},
	name TEXT NOT NULL,
	kind TEXT NOT NULL,               -- patrol, neighbourhood, guard, armband, factory, other
	grid_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,        -- the grid's
	station_id BIGINT NOT NULL REFERENCES org_units(id), -- the station above the grid: its patrols' unit
	leader_id BIGINT REFERENCES volunteers(id),
	officer_id BIGINT REFERENCES users(id), -- the contact officer
	officer_phone TEXT,               -- the number the team calls (a work phone, users have none)
	founded_day BIGINT,
	note TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX volunteer_teams_name ON volunteer_teams(station_id, name);
CREATE INDEX volunteer_teams_scope ON volunteer_teams(org_path, id);

CREATE TABLE volunteer_team_members (
	team_id BIGINT NOT NULL REFERENCES volunteer_teams(id),
	volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
	joined_at BIGINT NOT NULL,
	PRIMARY KEY (team_id, volunteer_id)
);
CREATE INDEX volunteer_team_members_volunteer ON volunteer_team_members(volunteer_id);

CREATE TABLE volunteer_trainings (
	id {id},
	volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
	course TEXT NOT NULL,
	day BIGINT NOT NULL,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX volunteer_trainings_volunteer ON volunteer_trainings(volunteer_id, day);

-- A team's patrols: a patrol of the duty module that a team walks.
CREATE TABLE volunteer_patrols (
	patrol_id BIGINT PRIMARY KEY REFERENCES patrols(id),
	team_id BIGINT NOT NULL REFERENCES volunteer_teams(id)
);
CREATE INDEX volunteer_patrols_team ON volunteer_patrols(team_id, patrol_id);

-- The volunteers on a patrol (with or without an account): hours accrue to
-- each from an ended patrol, ended_at − started_at.
CREATE TABLE patrol_volunteers (
	patrol_id BIGINT NOT NULL REFERENCES patrols(id),
	volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
	PRIMARY KEY (patrol_id, volunteer_id)
);
CREATE INDEX patrol_volunteers_volunteer ON patrol_volunteers(volunteer_id, patrol_id);
