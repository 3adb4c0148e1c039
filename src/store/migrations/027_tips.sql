-- Tips (线索, DOMAIN §8, issue 12): what volunteers (signed in) and residents
-- (the public page, anonymous allowed) report, the officer's triage — linked
-- to an incident or a dispute, or dismissed with a reason — and the outcome
-- recorded later (valid or not, arrests, dispute resolved, hazard removed).
-- The reporter's phone is sealed (fq_seal) with its mask beside it, as a
-- person's. The tracking code lets the reporter read the status, nothing more.
-- The public page's rate limit counts in track_attempts (020) under keys of
-- its own ('tip:addr:<address>').
CREATE TABLE tips (
	id {id},
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	org_id BIGINT NOT NULL REFERENCES org_units(id), -- the grid (or unit) it belongs to
	org_path {ctext} NOT NULL,                        -- that unit's path, for data scope
	text TEXT NOT NULL,
	place_text TEXT,
	address_id BIGINT REFERENCES addresses(id),
	lat DOUBLE PRECISION,
	lng DOUBLE PRECISION,
	source TEXT NOT NULL,                 -- volunteer resident anonymous
	reporter_id BIGINT REFERENCES users(id),
	reporter_name TEXT,
	reporter_phone_enc {blob},
	reporter_phone_mask TEXT,
	tracking_code TEXT NOT NULL,
	status TEXT NOT NULL,                 -- new incident dispute dismissed
	incident_id BIGINT REFERENCES incidents(id),
	dispute_id BIGINT REFERENCES disputes(id),
	dismiss_reason TEXT,
	triaged_by BIGINT REFERENCES users(id),
	triaged_at BIGINT,
	outcome TEXT,                         -- valid not_valid; NULL: not recorded
	arrests BIGINT NOT NULL DEFAULT 0,
	dispute_resolved BIGINT NOT NULL DEFAULT 0,
	hazard_removed BIGINT NOT NULL DEFAULT 0,
	outcome_note TEXT,
	outcome_by BIGINT REFERENCES users(id),
	outcome_at BIGINT,
	-- The public page's photos: the hash of the token its answer gave
	-- (fq_token_hash), until when it may add them and how many it added.
	photo_token_hash TEXT,
	photo_until BIGINT,
	photos_public BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX tips_tracking_code ON tips(tracking_code);
-- The staff list (scope, newest first) and the figures' walk of a period.
CREATE INDEX tips_scope ON tips(org_path, id);
CREATE INDEX tips_created ON tips(created_at, id);
-- A volunteer's own tips, newest first.
CREATE INDEX tips_reporter ON tips(reporter_id, id);
-- The work queue: the untriaged ones.
CREATE INDEX tips_new ON tips(station_id, id) WHERE status = 'new';
CREATE UNIQUE INDEX tips_photo_token ON tips(photo_token_hash) WHERE photo_token_hash IS NOT NULL;
CREATE INDEX tips_incident ON tips(incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX tips_dispute ON tips(dispute_id) WHERE dispute_id IS NOT NULL;
