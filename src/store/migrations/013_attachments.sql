-- Attachments (docs/internals.md, "Attachments"): photos, scans and
-- documents on a record of any module that declares the record type
-- (struct fq_module.attach). The bytes live in the store itself, so backup,
-- export/import and several servers need nothing else.
--
-- attachments holds what a list shows; attachment_contents the bytes and the
-- thumbnail, so that a list never reads them. A deleted attachment keeps its
-- row (who, when, name, SHA-256: the record's history shows a file was
-- there) and loses its bytes.
CREATE TABLE attachments (
	id {id},
	record_type TEXT NOT NULL,        -- incident … (a module's declared type)
	record_id BIGINT NOT NULL,
	kind TEXT NOT NULL,               -- file, signature
	name TEXT NOT NULL,               -- the file name as given, cleaned
	content_type TEXT NOT NULL,       -- found from the bytes: image/jpeg, image/png, application/pdf
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,             -- lower-case hex over the bytes
	width BIGINT,                     -- images: pixels
	height BIGINT,
	has_thumbnail BIGINT NOT NULL DEFAULT 0,
	uploaded_by BIGINT REFERENCES users(id),
	uploaded_at BIGINT NOT NULL,
	deleted_by BIGINT REFERENCES users(id),
	deleted_at BIGINT
);
-- A record's attachments, oldest first.
CREATE INDEX attachments_record ON attachments(record_type, record_id, id);

-- id is the attachment's (so export pages through it by id).
CREATE TABLE attachment_contents (
	id BIGINT PRIMARY KEY REFERENCES attachments(id) ON DELETE CASCADE,
	content {blob} NOT NULL,
	thumbnail {blob}                  -- JPEG, at most 320 px a side; NULL: none
);

-- Signatures of the on-site record become attachments of the incident: the
-- record refers to them, and the image column keeps nothing for new rows.
-- The seal covers the image's SHA-256, which the move leaves as it was, so
-- sealed records stay sealed.
ALTER TABLE onsite_signatures ADD COLUMN attachment_id BIGINT REFERENCES attachments(id);

INSERT INTO attachments (record_type, record_id, kind, name, content_type, size, sha256,
			 has_thumbnail, uploaded_by, uploaded_at)
SELECT 'incident', s.incident_id, 'signature',
       'signature-' || s.role || '-' || s.seq || '.png', 'image/png', length(s.image),
       s.image_sha256, 0, r.created_by, s.signed_at
FROM onsite_signatures s JOIN onsite_records r ON r.incident_id = s.incident_id
ORDER BY s.incident_id, s.role, s.seq;

UPDATE onsite_signatures SET attachment_id = (
	SELECT a.id FROM attachments a
	WHERE a.record_type = 'incident' AND a.record_id = onsite_signatures.incident_id
	  AND a.kind = 'signature'
	  AND a.name = 'signature-' || onsite_signatures.role || '-' || onsite_signatures.seq || '.png');

INSERT INTO attachment_contents (id, content)
SELECT s.attachment_id, s.image FROM onsite_signatures s WHERE s.attachment_id IS NOT NULL;

-- sqlite:begin
UPDATE onsite_signatures SET image = X'' WHERE attachment_id IS NOT NULL;
-- sqlite:end
-- postgresql:begin
UPDATE onsite_signatures SET image = '\x'::bytea WHERE attachment_id IS NOT NULL;
-- postgresql:end
