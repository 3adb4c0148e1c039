-- Full-text search of every record type a module declares (src/search/source.h):
-- a row per record — type, id, scope, texts — replaces the index of incidents
-- alone (004_search.sql). The rows are written by fq_search_index in the
-- record's transaction; the tokens are those of src/search/bigram.c and the
-- key tokens of store/search_store.c. Derived data: export leaves it out,
-- import rebuilds it. See docs/internals.md, "Full-text search".
--
-- The rows are made in C: this migration leaves the meta flag
-- 'search_rebuild', and fq_store_migrate rebuilds the index once every
-- migration is applied (fq_search_rebuild_pending). A migration that adds an
-- indexed type sets the flag too.

-- sqlite:begin
DROP TRIGGER incident_search_insert;
DROP TRIGGER incident_search_update;
DROP TRIGGER incident_search_delete;
DROP TABLE incident_search;
DROP VIEW incident_search_source;
-- key = (the type's code << 40) + record_id: the FTS5 rowid, so each type is
-- one rowid range walked newest first, and a token's rowids are as close as
-- the ids (FTS5 stores their gaps). scope = type || org_path, compared by
-- range; keys = char(31) || the key tokens, space-separated.
CREATE TABLE search_docs (
	key INTEGER PRIMARY KEY,
	type TEXT NOT NULL,
	record_id BIGINT NOT NULL,
	scope TEXT NOT NULL,
	head TEXT,
	body TEXT,
	keys TEXT NOT NULL
);
-- Only rowids are kept per token (detail=none): a search ANDs single tokens.
-- The tokenizer 'fq_bigram' is registered on every connection fengqiao opens.
CREATE VIRTUAL TABLE search_index USING fts5(head, body, keys,
	content = 'search_docs', content_rowid = 'key',
	tokenize = 'fq_bigram', detail = none, columnsize = 0);
-- A record deleted leaves the index (written with the values it was made of).
CREATE TRIGGER search_forget_incident AFTER DELETE ON incidents BEGIN
	INSERT INTO search_index (search_index, rowid, head, body, keys)
	SELECT 'delete', key, head, body, keys FROM search_docs WHERE key = 1099511627776 + old.id;
	DELETE FROM search_docs WHERE key = 1099511627776 + old.id;
END;
CREATE TRIGGER search_forget_person AFTER DELETE ON persons BEGIN
	INSERT INTO search_index (search_index, rowid, head, body, keys)
	SELECT 'delete', key, head, body, keys FROM search_docs WHERE key = 2199023255552 + old.id;
	DELETE FROM search_docs WHERE key = 2199023255552 + old.id;
END;
INSERT INTO meta (name, value) VALUES ('search_rebuild', X'01');
-- sqlite:end

-- postgresql:begin
DROP TABLE incident_search;
-- tokens: the text tokens, key tokens and recency keys, a tsvector built in
-- C from quoted lexemes (no text search configuration, parser or locale).
CREATE TABLE search_docs (
	type TEXT NOT NULL,
	record_id BIGINT NOT NULL,
	scope TEXT COLLATE "C" NOT NULL,
	head TEXT,
	body TEXT,
	tokens tsvector NOT NULL,
	PRIMARY KEY (type, record_id)
);
CREATE INDEX search_docs_tokens ON search_docs USING gin (tokens) WITH (fastupdate = off);
CREATE FUNCTION search_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM search_docs WHERE type = TG_ARGV[0] AND record_id = OLD.id;
	RETURN NULL;
END $$;
CREATE TRIGGER search_forget_incident AFTER DELETE ON incidents
	FOR EACH ROW EXECUTE FUNCTION search_forget('incident');
CREATE TRIGGER search_forget_person AFTER DELETE ON persons
	FOR EACH ROW EXECUTE FUNCTION search_forget('person');
INSERT INTO meta (name, value) VALUES ('search_rebuild', '\x01');
-- postgresql:end
