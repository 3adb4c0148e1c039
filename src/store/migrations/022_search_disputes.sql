-- Disputes in full-text search (domain/dispute_search.c, type 'dispute',
-- code 3): the rows are made in C, so this migration only leaves the meta
-- flag 'search_rebuild', and fq_store_migrate rebuilds the index once every
-- migration is applied (as 007_search_all.sql does): the disputes registered
-- before are indexed on the first start with this binary. A dispute deleted
-- leaves the index, as an incident or a person does.

-- sqlite:begin
CREATE TRIGGER search_forget_dispute AFTER DELETE ON disputes BEGIN
	INSERT INTO search_index (search_index, rowid, head, body, keys)
	SELECT 'delete', key, head, body, keys FROM search_docs WHERE key = 3298534883328 + old.id;
	DELETE FROM search_docs WHERE key = 3298534883328 + old.id;
END;
INSERT INTO meta (name, value) VALUES ('search_rebuild', X'01')
	ON CONFLICT (name) DO NOTHING;
-- sqlite:end

-- postgresql:begin
CREATE TRIGGER search_forget_dispute AFTER DELETE ON disputes
	FOR EACH ROW EXECUTE FUNCTION search_forget('dispute');
INSERT INTO meta (name, value) VALUES ('search_rebuild', '\x01')
	ON CONFLICT (name) DO NOTHING;
-- postgresql:end
