-- Full-text search of incidents (narrative and address) in Chinese: the
-- tokens of src/search/bigram.c (every CJK character, every pair of
-- consecutive ones, lower-case words) and the scope keys of the incident's
-- org path (/1/ /1/2/ …). Derived data: export leaves it out and import
-- rebuilds it (fq_search_rebuild). See docs/internals.md, "Full-text search".

-- sqlite:begin
-- An FTS5 index over the incidents themselves (external content: the texts
-- are not stored twice). Only rowids are kept per token (detail=none): a
-- search ANDs single tokens. The scope column is char(31) and the org path,
-- which the tokenizer reads as scope keys. The tokenizer 'fq_bigram' is
-- registered on every connection fengqiao opens: without it (the sqlite3
-- shell) these triggers fail, so change incidents through fengqiao.
CREATE VIEW incident_search_source AS
	SELECT id, narrative, address_text, char(31) || org_path AS scope FROM incidents;
CREATE VIRTUAL TABLE incident_search USING fts5(narrative, address_text, scope,
	content = 'incident_search_source', content_rowid = 'id',
	tokenize = 'fq_bigram', detail = none, columnsize = 0);
-- An external-content index must be told the old values to forget them.
CREATE TRIGGER incident_search_insert AFTER INSERT ON incidents BEGIN
	INSERT INTO incident_search (rowid, narrative, address_text, scope)
	VALUES (new.id, new.narrative, new.address_text, char(31) || new.org_path);
END;
CREATE TRIGGER incident_search_update AFTER UPDATE OF narrative, address_text, org_path
ON incidents BEGIN
	INSERT INTO incident_search (incident_search, rowid, narrative, address_text, scope)
	VALUES ('delete', old.id, old.narrative, old.address_text, char(31) || old.org_path);
	INSERT INTO incident_search (rowid, narrative, address_text, scope)
	VALUES (new.id, new.narrative, new.address_text, char(31) || new.org_path);
END;
CREATE TRIGGER incident_search_delete AFTER DELETE ON incidents BEGIN
	INSERT INTO incident_search (incident_search, rowid, narrative, address_text, scope)
	VALUES ('delete', old.id, old.narrative, old.address_text, char(31) || old.org_path);
END;
INSERT INTO incident_search (incident_search) VALUES ('rebuild');
-- sqlite:end

-- postgresql:begin
-- The tokens, scope keys and recency keys as a tsvector built in C by
-- fq_search_index_incident (quoted lexemes: no text search configuration,
-- parser or locale involved).
CREATE TABLE incident_search (
	incident_id BIGINT PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
	tokens tsvector NOT NULL
);
CREATE INDEX incident_search_tokens ON incident_search USING gin (tokens)
	WITH (fastupdate = off);
-- postgresql:end
