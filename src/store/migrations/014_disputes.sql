-- Disputes and mediation (矛盾纠纷, DOMAIN §7), the core: the dispute with its
-- tracking code (一案一码), source, type from a versioned dictionary, risk
-- level and the tier of the ladder it stands on; parties with role and
-- consent; the risk history and the hand-offs of the ladder; mediators
-- (the 1+3+N) assigned to disputes; sessions with their record in three
-- parts. Disputes began in 002 as converted incidents: those rows are kept and
-- completed here.

ALTER TABLE disputes ADD COLUMN tracking_code TEXT;
ALTER TABLE disputes ADD COLUMN source TEXT NOT NULL DEFAULT 'incident';
ALTER TABLE disputes ADD COLUMN referral_body TEXT;
ALTER TABLE disputes ADD COLUMN type TEXT NOT NULL DEFAULT 'other';
ALTER TABLE disputes ADD COLUMN type_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE disputes ADD COLUMN claims TEXT;
ALTER TABLE disputes ADD COLUMN amount_fen BIGINT;
ALTER TABLE disputes ADD COLUMN risk TEXT NOT NULL DEFAULT 'blue';
ALTER TABLE disputes ADD COLUMN risk_due_at BIGINT;
ALTER TABLE disputes ADD COLUMN tier TEXT NOT NULL DEFAULT 'onsite';
ALTER TABLE disputes ADD COLUMN tier_since BIGINT;
ALTER TABLE disputes ADD COLUMN tier_due_at BIGINT;
ALTER TABLE disputes ADD COLUMN outcome TEXT;
ALTER TABLE disputes ADD COLUMN outcome_reason TEXT;
ALTER TABLE disputes ADD COLUMN concluded_at BIGINT;
ALTER TABLE disputes ADD COLUMN concluded_by BIGINT REFERENCES users(id);

-- Rows of 002: a tracking code from random hex with 0 and 1 written as Z and
-- Y (no character to misread), the incident's subcategory as the type.
-- sqlite:begin
UPDATE disputes SET tracking_code = replace(replace(hex(randomblob(5)), '0', 'Z'), '1', 'Y');
-- sqlite:end
-- postgresql:begin
UPDATE disputes SET tracking_code = replace(replace(upper(substr(md5(random()::text || id::text), 1, 10)), '0', 'Z'), '1', 'Y');
-- postgresql:end
UPDATE disputes SET tier_since = created_at,
	type = CASE category
		WHEN 'neighbour' THEN 'neighbours'
		WHEN 'family' THEN 'marriage_family'
		WHEN 'marriage' THEN 'marriage_family'
		WHEN 'debt' THEN 'contract'
		WHEN 'labour' THEN 'labour'
		WHEN 'property_management' THEN 'property_management'
		WHEN 'land' THEN 'forest_land'
		WHEN 'traffic_accident' THEN 'road_traffic'
		WHEN 'consumer' THEN 'consumer'
		ELSE 'other' END;
CREATE UNIQUE INDEX disputes_tracking_code ON disputes(tracking_code);
-- The list's filters, each then newest first.
CREATE INDEX disputes_tier ON disputes(tier, id);
CREATE INDEX disputes_risk ON disputes(risk, id);
CREATE INDEX disputes_type ON disputes(type, id);
CREATE INDEX disputes_created ON disputes(created_at, id);
CREATE INDEX disputes_concluded ON disputes(concluded_at) WHERE concluded_at IS NOT NULL;
CREATE INDEX disputes_source_incident ON disputes(source_incident_id);

-- Parties: the incident's roles of 002 become the dispute's.
ALTER TABLE dispute_parties ADD COLUMN consent TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE dispute_parties ADD COLUMN consent_at BIGINT;
ALTER TABLE dispute_parties ADD COLUMN added_at BIGINT;
UPDATE dispute_parties SET role = CASE role
	WHEN 'suspect' THEN 'respondent'
	WHEN 'witness' THEN 'third_party'
	ELSE 'applicant' END;

-- Every change of the risk level, with its reason (the first one too).
CREATE TABLE dispute_risks (
	id {id},
	dispute_id BIGINT NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
	from_level TEXT,
	to_level TEXT NOT NULL,
	reason TEXT NOT NULL,
	by_user BIGINT REFERENCES users(id),
	at BIGINT NOT NULL
);
CREATE INDEX dispute_risks_dispute ON dispute_risks(dispute_id, id);

-- The ladder: each hand-off from one tier to another.
CREATE TABLE dispute_handoffs (
	id {id},
	dispute_id BIGINT NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
	from_tier TEXT NOT NULL,
	to_tier TEXT NOT NULL,
	reason TEXT NOT NULL,
	by_user BIGINT REFERENCES users(id),
	at BIGINT NOT NULL,
	due_at BIGINT NOT NULL
);
CREATE INDEX dispute_handoffs_dispute ON dispute_handoffs(dispute_id, id);

-- Mediators of the 1+3+N: the organisation each belongs to.
CREATE TABLE mediator_profiles (
	user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,               -- police, judicial, committee, lawyer, community, department
	organisation TEXT,
	updated_at BIGINT NOT NULL
);

-- Assignments: active while released_at is NULL; a replacement keeps the
-- old row with the reason and, when a party asked for it, that party.
CREATE TABLE dispute_mediators (
	id {id},
	dispute_id BIGINT NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users(id),
	assigned_by BIGINT REFERENCES users(id),
	assigned_at BIGINT NOT NULL,
	released_at BIGINT,
	released_by BIGINT REFERENCES users(id),
	release_reason TEXT,
	requested_by_person BIGINT REFERENCES persons(id)
);
CREATE INDEX dispute_mediators_dispute ON dispute_mediators(dispute_id, id);
-- A mediator's disputes (scope, the work queue, the list's mediator filter).
CREATE INDEX dispute_mediators_user ON dispute_mediators(user_id, dispute_id) WHERE released_at IS NULL;

-- Sessions and their record in three parts.
CREATE TABLE dispute_sessions (
	id {id},
	dispute_id BIGINT NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
	starts_at BIGINT NOT NULL,
	place TEXT NOT NULL,
	attendees TEXT NOT NULL DEFAULT '',
	accounts TEXT,                    -- 群众先说理: the parties' own accounts
	summary TEXT,                     -- 民警后梳理: the officer's summary of facts and issues
	discussion TEXT,                  -- 警民共谈理: the joint discussion and its result
	result TEXT,                      -- agreed, partly, not_agreed, adjourned; NULL: not held yet
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX dispute_sessions_dispute ON dispute_sessions(dispute_id, starts_at);
CREATE INDEX dispute_sessions_start ON dispute_sessions(starts_at, id);

-- Per-type checklists the station configures (its own method for, say,
-- medical disputes with the hospital as a party), ticked in the dispute's
-- record. An item replaced by a new list is kept inactive, so the ticks
-- made against it still read.
CREATE TABLE dispute_checklist_items (
	id {id},
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	type TEXT NOT NULL,
	seq BIGINT NOT NULL,
	text TEXT NOT NULL,
	active BIGINT NOT NULL DEFAULT 1,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX dispute_checklist_items_type ON dispute_checklist_items(station_id, type, active, seq);
CREATE TABLE dispute_checks (
	dispute_id BIGINT NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
	item_id BIGINT NOT NULL REFERENCES dispute_checklist_items(id),
	checked_by BIGINT REFERENCES users(id),
	checked_at BIGINT NOT NULL,
	PRIMARY KEY (dispute_id, item_id)
);
