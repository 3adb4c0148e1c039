-- The responsibility registry (责任清单, DOMAIN §2 and §8, issue 12: "盆栽也
--有责任人"): every thing, room, vehicle, piece of equipment, place or task
-- of a station has one owning unit (its org path is the item's scope) and one
-- responsible person, a deputy optionally, and, when it is checked on a
-- schedule, the interval, what to check, and the checks themselves. The
-- item carries what the work queue and the list's overdue filter need: the
-- last check and when the next one is due.

CREATE TABLE registry_items (
	id {id},
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	code TEXT NOT NULL,                 -- short label, unique per station
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	location TEXT,
	place_id BIGINT REFERENCES places(id),
	unit_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,          -- the owning unit's path: data scope
	responsible_id BIGINT NOT NULL REFERENCES users(id),
	deputy_id BIGINT REFERENCES users(id),
	interval_days BIGINT,               -- NULL: not checked on a schedule
	check_what TEXT,
	last_checked_at BIGINT,
	last_result TEXT,                   -- ok, problem
	next_due_at BIGINT,                 -- ms; NULL without an interval
	created_by BIGINT NOT NULL REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX registry_items_code ON registry_items(station_id, code);
CREATE INDEX registry_items_scope ON registry_items(org_path, id);
CREATE INDEX registry_items_due ON registry_items(responsible_id, next_due_at);
CREATE INDEX registry_items_deputy ON registry_items(deputy_id);

CREATE TABLE registry_checks (
	id {id},
	item_id BIGINT NOT NULL REFERENCES registry_items(id),
	checked_on BIGINT NOT NULL,         -- YYYYMMDD, station time
	checked_by BIGINT NOT NULL REFERENCES users(id),
	result TEXT NOT NULL,               -- ok, problem
	note TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX registry_checks_item ON registry_checks(item_id, id);

-- Items in full-text search (type 'registry', code 26) are indexed from C as
-- they are written (domain/registry.c); the table is new, so nothing is to be
-- indexed now. Items are not deleted: no trigger.
