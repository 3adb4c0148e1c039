-- Places and inspections (单位场所 and 检查, DOMAIN §2 and §8, issue 12): a
-- place at a standard address (its grid and scope follow the address), its
-- owner with a sealed phone, the responsible officer, licences as a small JSON
-- list, the inspection interval; the station's checklist per place kind; the
-- inspections with their answers and hazards (JSON lists, the item texts
-- copied so an answer always names what it was given against), inspectors,
-- result and rectification deadline. The place carries what its status and
-- the work queue need: when the next inspection is due and the pending
-- rectification's deadline.

CREATE TABLE places (
	id {id},
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	address_id BIGINT NOT NULL REFERENCES addresses(id),
	grid_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,          -- the address's grid path: data scope
	owner_name TEXT,
	owner_phone_enc {blob},             -- sealed (auth/secret.h)
	owner_phone_mask TEXT,
	officer_id BIGINT REFERENCES users(id),
	licences TEXT NOT NULL DEFAULT '[]', -- [{"name","number","valid_until"}]
	interval_days BIGINT,               -- NULL: no schedule
	last_inspected_at BIGINT,
	next_due_at BIGINT,                 -- the next inspection (interval), ms
	rectify_inspection_id BIGINT,       -- the inspection whose rectification is pending
	rectify_due_at BIGINT,              -- its deadline: the end of the deadline day, ms
	created_by BIGINT NOT NULL REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX places_scope ON places(org_path, id);
CREATE INDEX places_kind ON places(kind, id);
CREATE INDEX places_officer ON places(officer_id, id);
CREATE INDEX places_address ON places(address_id);
CREATE INDEX places_next_due ON places(officer_id, next_due_at);
CREATE INDEX places_rectify_due ON places(officer_id, rectify_due_at);

CREATE TABLE place_checklist_items (
	id {id},
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	kind TEXT NOT NULL,
	position BIGINT NOT NULL,
	text TEXT NOT NULL,
	active BIGINT NOT NULL DEFAULT 1,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX place_checklist_station ON place_checklist_items(station_id, kind, active, position);

CREATE TABLE place_inspections (
	id {id},
	place_id BIGINT NOT NULL REFERENCES places(id),
	org_path {ctext} NOT NULL,
	inspected_on BIGINT NOT NULL,       -- YYYYMMDD, station time
	answers TEXT NOT NULL DEFAULT '[]', -- [{"item_id","text","answer","note"}]
	findings TEXT,
	hazards TEXT NOT NULL DEFAULT '[]', -- [{"description","level"}]
	result TEXT NOT NULL,               -- passed, rectify, escalated
	rectify_due_on BIGINT,              -- YYYYMMDD
	rectify_due_at BIGINT,              -- the end of that day, ms
	rectification TEXT,                 -- a re-inspection: done, not_done
	follows_id BIGINT REFERENCES place_inspections(id),
	notice_number TEXT,                 -- 责令限期整改通知书's number
	created_by BIGINT NOT NULL REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX place_inspections_place ON place_inspections(place_id, id);

CREATE TABLE place_inspectors (
	inspection_id BIGINT NOT NULL REFERENCES place_inspections(id),
	user_id BIGINT NOT NULL REFERENCES users(id),
	PRIMARY KEY (inspection_id, user_id)
);
CREATE INDEX place_inspectors_user ON place_inspectors(user_id);

-- Places in full-text search (type 'place', code 25) are indexed from C as
-- they are written (domain/place.c); the table is new, so nothing is there to
-- index now and no rebuild is asked for. Places are not deleted: no trigger.
