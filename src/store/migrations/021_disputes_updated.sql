-- The overview's long poll reads the disputes written in the last minutes
-- (store/dispute_store.c fq_store_dispute_stamp): an index range, not the
-- station's disputes.
CREATE INDEX disputes_updated ON disputes(updated_at, id);
