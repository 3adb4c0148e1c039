-- Tips in full-text search (domain/tip.c, type 'tip', code 29): the rows are
-- made in C, so this migration only leaves the meta flag 'search_rebuild',
-- and fq_store_migrate rebuilds the index once every migration is applied
-- (as 022_search_disputes.sql does): the tips reported before are indexed on
-- the first start with this binary. Tips are never deleted: no trigger.

-- sqlite:begin
INSERT INTO meta (name, value) VALUES ('search_rebuild', X'01')
	ON CONFLICT (name) DO NOTHING;
-- sqlite:end

-- postgresql:begin
INSERT INTO meta (name, value) VALUES ('search_rebuild', '\x01')
	ON CONFLICT (name) DO NOTHING;
-- postgresql:end
