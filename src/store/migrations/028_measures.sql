-- Prevention measures (技防物防, DOMAIN §8, issue 12): a physical or technical
-- measure at a place or at a home (an address), its status and checks; a
-- camera also has where it stands, where it looks and how wide, whose it is
-- and whether the station's video platform has it. The address is stored for
-- both (a place's own address), so coverage of homes and the map read one
-- column; org_path is the address's grid path: data scope.

CREATE TABLE measures (
	id {id},
	kind TEXT NOT NULL,                 -- anti_theft_door, anti_climb, alarm, b_lock, camera, infrared_alarm
	category TEXT NOT NULL,             -- physical, technical: follows from kind
	place_id BIGINT REFERENCES places(id), -- NULL: at a home (the address)
	address_id BIGINT NOT NULL REFERENCES addresses(id),
	org_path {ctext} NOT NULL,
	installed_on BIGINT,                -- YYYYMMDD
	status TEXT NOT NULL,               -- working, faulty, removed
	note TEXT,
	lat DOUBLE PRECISION,               -- a camera's tagged location
	lng DOUBLE PRECISION,
	direction BIGINT,                   -- a camera: 0–359 degrees, 0 = north
	view_angle BIGINT,                  -- a camera: 10–360 degrees
	owner_kind TEXT,                    -- a camera: public (公安), social (社会)
	linked BIGINT,                      -- a camera: 1 when on the video platform
	label TEXT,
	last_checked_at BIGINT,
	last_checked_by BIGINT REFERENCES users(id),
	created_by BIGINT NOT NULL REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX measures_scope ON measures(org_path, id);
CREATE INDEX measures_address ON measures(address_id, kind, status);
CREATE INDEX measures_place ON measures(place_id, id);
CREATE INDEX measures_kind ON measures(kind, status, address_id);

CREATE TABLE measure_checks (
	id {id},
	measure_id BIGINT NOT NULL REFERENCES measures(id),
	checked_on BIGINT NOT NULL,         -- YYYYMMDD, station time
	result TEXT NOT NULL,               -- working, faulty
	note TEXT,
	checked_by BIGINT NOT NULL REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX measure_checks_measure ON measure_checks(measure_id, id);
