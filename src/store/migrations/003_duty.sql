-- Duty (勤务): shifts with positions (the "1+3+2" template), handovers
-- (交接班) with a snapshot of the open incidents and disputes, patrols with
-- check-ins, and the posture per hour (peak: post 站岗; off-peak: line patrol 巡线).
-- Times are BIGINT milliseconds since the Unix epoch (UTC).

-- The staffing template of a station; 1 call-taker, 3 responders and 2
-- patrollers when a station has no row.
CREATE TABLE duty_templates (
	station_id BIGINT PRIMARY KEY REFERENCES org_units(id),
	call_taker BIGINT NOT NULL,
	responder BIGINT NOT NULL,
	patroller BIGINT NOT NULL,
	updated_by BIGINT REFERENCES users(id),
	updated_at BIGINT NOT NULL
);

-- Posture of a station per local hour (0–23): 'post' or 'line_patrol'. A
-- station without rows has the default plan (07–09 and 17–19 post).
CREATE TABLE duty_posture (
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	hour BIGINT NOT NULL,
	mode TEXT NOT NULL,
	updated_by BIGINT REFERENCES users(id),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (station_id, hour)
);

CREATE TABLE shifts (
	id {id},
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,        -- the station's path, for data scope
	name TEXT NOT NULL,
	day BIGINT NOT NULL,              -- local date of the start as YYYYMMDD
	start_at BIGINT NOT NULL,
	end_at BIGINT NOT NULL,
	leader_id BIGINT NOT NULL REFERENCES users(id),
	need_call_taker BIGINT NOT NULL,  -- the shift's template
	need_responder BIGINT NOT NULL,
	need_patroller BIGINT NOT NULL,
	override_reason TEXT,             -- why a chief accepted it below its template
	override_by BIGINT REFERENCES users(id),
	override_at BIGINT,
	note TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX shifts_scope ON shifts(org_path, start_at);
CREATE INDEX shifts_day ON shifts(day, id);
CREATE INDEX shifts_station ON shifts(station_id, end_at);

-- Who holds which position (the leader too). The shift's times are copied
-- here so that "is this user on a shift now" and the overlap check are one
-- index range per user.
CREATE TABLE shift_positions (
	shift_id BIGINT NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users(id),
	position TEXT NOT NULL,           -- leader, call_taker, responder, patroller
	seq BIGINT NOT NULL,              -- order within the shift
	start_at BIGINT NOT NULL,
	end_at BIGINT NOT NULL,
	PRIMARY KEY (shift_id, user_id)
);
CREATE INDEX shift_positions_user ON shift_positions(user_id, end_at);

CREATE TABLE handovers (
	id {id},
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,
	from_shift_id BIGINT REFERENCES shifts(id),
	to_shift_id BIGINT REFERENCES shifts(id),
	outgoing_leader_id BIGINT NOT NULL REFERENCES users(id),
	incoming_leader_id BIGINT NOT NULL REFERENCES users(id),
	handover_at BIGINT NOT NULL,
	place TEXT,
	notes TEXT,
	status TEXT NOT NULL,             -- open, outgoing_signed, locked
	outgoing_signed_at BIGINT,
	incoming_signed_at BIGINT,
	incoming_note TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX handovers_scope ON handovers(org_path, handover_at);
CREATE INDEX handovers_leaders ON handovers(incoming_leader_id, status);

-- The equipment checklist of a handover.
CREATE TABLE handover_items (
	handover_id BIGINT NOT NULL REFERENCES handovers(id) ON DELETE CASCADE,
	seq BIGINT NOT NULL,
	item TEXT NOT NULL,
	status TEXT NOT NULL,             -- ok, missing, damaged
	note TEXT,
	PRIMARY KEY (handover_id, seq)
);

-- The open incidents and disputes as they stood at the handover (a copy:
-- later changes to them do not change what was handed over).
CREATE TABLE handover_open_items (
	id {id},
	handover_id BIGINT NOT NULL REFERENCES handovers(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,               -- incident, dispute
	object_id BIGINT NOT NULL,        -- no reference: the copy outlives a change of the record
	number TEXT NOT NULL,
	status TEXT NOT NULL,
	summary TEXT,
	opened_at BIGINT
);
CREATE UNIQUE INDEX handover_open_items_object ON handover_open_items(handover_id, kind, object_id);

CREATE TABLE patrols (
	id {id},
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,
	shift_id BIGINT REFERENCES shifts(id),
	team TEXT,                        -- a team's name, or NULL for officers on their own
	route TEXT,
	checkpoints TEXT,                 -- JSON array of the places to check in at
	status TEXT NOT NULL,             -- active, ended
	started_at BIGINT NOT NULL,
	ended_at BIGINT,
	findings TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX patrols_scope ON patrols(org_path, started_at);
CREATE INDEX patrols_status ON patrols(status, id);

CREATE TABLE patrol_members (
	patrol_id BIGINT NOT NULL REFERENCES patrols(id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users(id),
	PRIMARY KEY (patrol_id, user_id)
);
CREATE INDEX patrol_members_user ON patrol_members(user_id);

-- Check-ins with time and place: the start (check-in), points on the way,
-- the end (check-out).
CREATE TABLE patrol_checkins (
	id {id},
	patrol_id BIGINT NOT NULL REFERENCES patrols(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,               -- start, checkpoint, end
	checked_at BIGINT NOT NULL,
	user_id BIGINT REFERENCES users(id),
	place TEXT,
	address_id BIGINT REFERENCES addresses(id),
	lat DOUBLE PRECISION,
	lng DOUBLE PRECISION,
	note TEXT
);
CREATE INDEX patrol_checkins_patrol ON patrol_checkins(patrol_id, id);
