-- The audit log as several hash chains (src/audit/audit.c): an entry belongs
-- to chain `chain` and is entry number `seq` of it (1, 2, 3 …), linking to the
-- entry before it in that chain. Writers that extend different chains do not
-- wait for one another (on PostgreSQL each chain has its own advisory lock,
-- held until COMMIT). The entries written before this migration are chain 0,
-- numbered by their ids. `id` orders the whole log and is no longer
-- chosen by the writer: the store makes it.
ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
UPDATE audit_log SET seq = id;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log(chain, seq);
-- postgresql:begin
-- The identity column made no values while ids were given: it starts after them.
SELECT setval(pg_get_serial_sequence('audit_log', 'id'), COALESCE(max(id), 0) + 1, false)
FROM audit_log;
-- postgresql:end
