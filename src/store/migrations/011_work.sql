-- My work queue (我的待办) and in-app notifications (issue 10).
-- Times are BIGINT milliseconds since the Unix epoch (UTC).

-- A notification belongs to one user and only they see it. It is written in
-- the transaction of the change that causes it (or by the background sweep
-- for the time-driven kinds); dedup makes it idempotent: a second server, a
-- restart or a sweep run twice finds the row there and adds none.
CREATE TABLE notifications (
	id {id},
	user_id BIGINT NOT NULL REFERENCES users(id),
	kind TEXT NOT NULL,               -- dispatched, arrival_overdue, shift_approval, handover_sign, shift_soon
	object_type TEXT NOT NULL,        -- incident, shift, handover: what a click opens
	object_id BIGINT NOT NULL,
	params TEXT NOT NULL,             -- JSON object: what the text names (number, shift name …)
	dedup TEXT NOT NULL,              -- "dispatched:17": unique per user
	created_at BIGINT NOT NULL,
	read_at BIGINT
);
CREATE UNIQUE INDEX notifications_dedup ON notifications(user_id, dedup);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;

-- A shift below its template that an officer submitted for a chief's
-- approval: 'pending' until a chief approves it (then NULL again, with the
-- override fields set as if the chief had saved it).
ALTER TABLE shifts ADD COLUMN approval TEXT;
CREATE INDEX shifts_pending ON shifts(start_at, id) WHERE approval = 'pending';

-- The work queue's walks: a responder's calls in order of dispatch (the
-- index of 002 without its order), responders not yet on scene (the sweep) and the
-- incidents an officer closed (follow-up calls due). Handovers waiting for a
-- signature use handovers_status_time (open: the outgoing leader's, few)
-- and handovers_leaders (the incoming leader's); an index on the outgoing
-- leader would turn the handover list's OR of leaders into a sort.
DROP INDEX incident_responders_user;
CREATE INDEX incident_responders_user ON incident_responders(user_id, released_at, dispatched_at);
CREATE INDEX incident_responders_waiting ON incident_responders(dispatched_at)
	WHERE arrived_at IS NULL AND released_at IS NULL;
CREATE INDEX incidents_closed_by ON incidents(closed_by, closed_at);
