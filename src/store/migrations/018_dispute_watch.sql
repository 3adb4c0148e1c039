-- The escalation watch (民转刑, issue 11): each dispute's risk score with
-- its reasons, when it was computed, since when it stands at or above the
-- threshold (NULL: below; set again at each new crossing, which is what
-- tells the chiefs once per crossing) and when it first did (kept, for the
-- figure "escalations prevented").
CREATE TABLE dispute_watch (
	dispute_id BIGINT PRIMARY KEY REFERENCES disputes(id) ON DELETE CASCADE,
	score BIGINT NOT NULL,
	reasons TEXT NOT NULL,            -- JSON: [{what, count, weight, points, detail}]
	computed_at BIGINT NOT NULL,
	above_threshold_since BIGINT,
	first_above_at BIGINT
);
-- The watch list: highest score first.
CREATE INDEX dispute_watch_score ON dispute_watch(score, dispute_id);
-- The sweep's refresh: the oldest computed first.
CREATE INDEX dispute_watch_computed ON dispute_watch(computed_at);
-- The sweep finds the disputes at the address of a new incident.
CREATE INDEX disputes_address ON disputes(address_id);
