-- The background sweep tells a place's responsible officer when its
-- rectification deadline passes (domain/place_work.c fq_place_sweep): it asks
-- for the deadlines of the last days across all officers, so it needs them
-- in order of the deadline alone (places_rectify_due leads with the officer).
CREATE INDEX places_rectify_lapsed ON places(rectify_due_at);
