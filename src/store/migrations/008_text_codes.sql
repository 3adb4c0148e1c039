-- Texts the server writes for people are stored as a code and its parameters
-- (JSON text), and the browser says them in the reader's language: the steps
-- of an incident and the events of a person's timeline ("one person, one
-- file"). What a person typed stays in incident_steps.note as they wrote it.
-- The codes and their parameters: docs/api.md, "Texts as codes". Names of
-- people in the parameters are {"id": …, "name": …}, the name as it was.
--
-- Existing rows are converted: the generated part of a step's note becomes
-- the parameters, the typed part stays the note; the Chinese titles of
-- person events become codes (a title no code matches is kept as the
-- parameter of the code "legacy").
ALTER TABLE incident_steps ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE incident_steps ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
ALTER TABLE person_events ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE person_events ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
UPDATE incident_steps SET code = action;

-- sqlite:begin
-- Dispatch: the note was "名1、名2" or "名1、名2: typed note". The responders
-- are those sent at the step's time or named in the note; when none is found,
-- the names as written.
UPDATE incident_steps SET params = json_object('responders', json(COALESCE(
    (SELECT json_group_array(json_object('id', id, 'name', display_name))
     FROM (SELECT u.id, u.display_name
           FROM incident_responders r JOIN users u ON u.id = r.user_id
           WHERE r.incident_id = incident_steps.incident_id
             AND (r.dispatched_at = incident_steps.at
                  OR '、' || (CASE WHEN instr(incident_steps.note, ': ') > 0
                                   THEN substr(incident_steps.note, 1, instr(incident_steps.note, ': ') - 1)
                                   ELSE incident_steps.note END) || '、'
                     LIKE '%、' || u.display_name || '、%')
           ORDER BY u.id)
     HAVING count(*) > 0),
    json_array(json_object('id', NULL, 'name', CASE WHEN instr(note, ': ') > 0
                                                    THEN substr(note, 1, instr(note, ': ') - 1)
                                                    ELSE COALESCE(note, '') END)))))
WHERE action = 'dispatched';
UPDATE incident_steps SET note = CASE WHEN instr(note, ': ') > 0
                                      THEN substr(note, instr(note, ': ') + 2) END
WHERE action = 'dispatched';
-- An arrival recorded by someone else: the note was "user N".
UPDATE incident_steps SET code = 'arrived_for', params = json_object('responder', json_object(
    'id', CAST(substr(note, 6) AS INTEGER),
    'name', (SELECT display_name FROM users WHERE id = CAST(substr(incident_steps.note, 6) AS INTEGER)))),
  note = NULL
WHERE action = 'arrived' AND note LIKE 'user %';
UPDATE incident_steps SET params = json_object('disposal', note), note = NULL
WHERE action = 'closed' AND note IS NOT NULL;
UPDATE incident_steps SET params = json_object('satisfaction', note), note = NULL
WHERE action = 'reviewed' AND note IS NOT NULL;
UPDATE incident_steps SET params = json_object('seal', note), note = NULL
WHERE action = 'onsite_record' AND note IS NOT NULL;
UPDATE incident_steps SET params = json_object('dispute', json_object(
    'id', (SELECT dispute_id FROM incidents WHERE id = incident_steps.incident_id),
    'number', note)), note = NULL
WHERE action = 'converted' AND note IS NOT NULL;
-- A party added: the note was "name (role)".
UPDATE incident_steps SET params = (
    SELECT json_object('person', json_object('id',
             (SELECT p.person_id FROM incident_parties p JOIN persons s ON s.id = p.person_id
              WHERE p.incident_id = incident_steps.incident_id AND p.role = x.role
                AND s.name = substr(incident_steps.note, 1, length(incident_steps.note) - length(x.role) - 3)
              LIMIT 1),
             'name', substr(incident_steps.note, 1, length(incident_steps.note) - length(x.role) - 3)),
           'role', x.role)
    FROM (SELECT 'party' AS role UNION ALL SELECT 'victim' UNION ALL SELECT 'suspect'
          UNION ALL SELECT 'witness' UNION ALL SELECT 'reporter') x
    WHERE incident_steps.note LIKE '% (' || x.role || ')'),
  note = NULL
WHERE action = 'party_added' AND note LIKE '% (%)'
  AND (note LIKE '% (party)' OR note LIKE '% (victim)' OR note LIKE '% (suspect)'
       OR note LIKE '% (witness)' OR note LIKE '% (reporter)');

UPDATE person_events SET code = 'registered' WHERE title = '登记人员信息';
UPDATE person_events SET code = 'incident_caller', params = json_object('number', substr(title, 6))
WHERE title LIKE '报警求助 %';
UPDATE person_events SET code = 'incident_party', params = json_object(
    'number', substr(title, 6),
    'role', COALESCE((SELECT p.role FROM incident_parties p
                      WHERE p.incident_id = person_events.object_id
                        AND p.person_id = person_events.person_id), 'party'))
WHERE title LIKE '涉及警情 %';
UPDATE person_events SET code = 'legacy', params = json_object('text', title) WHERE code = '';
-- sqlite:end

-- postgresql:begin
UPDATE incident_steps SET params = json_build_object('responders', COALESCE(
    (SELECT json_agg(json_build_object('id', u.id, 'name', u.display_name) ORDER BY u.id)
     FROM incident_responders r JOIN users u ON u.id = r.user_id
     WHERE r.incident_id = incident_steps.incident_id
       AND (r.dispatched_at = incident_steps.at
            OR '、' || (CASE WHEN strpos(incident_steps.note, ': ') > 0
                             THEN substr(incident_steps.note, 1, strpos(incident_steps.note, ': ') - 1)
                             ELSE incident_steps.note END) || '、'
               LIKE '%、' || u.display_name || '、%')),
    json_build_array(json_build_object('id', NULL, 'name', CASE WHEN strpos(note, ': ') > 0
                                                          THEN substr(note, 1, strpos(note, ': ') - 1)
                                                          ELSE COALESCE(note, '') END))))::text
WHERE action = 'dispatched';
UPDATE incident_steps SET note = CASE WHEN strpos(note, ': ') > 0
                                      THEN substr(note, strpos(note, ': ') + 2) END
WHERE action = 'dispatched';
UPDATE incident_steps SET code = 'arrived_for', params = json_build_object('responder', json_build_object(
    'id', CAST(substr(note, 6) AS BIGINT),
    'name', (SELECT display_name FROM users WHERE id = CAST(substr(incident_steps.note, 6) AS BIGINT))))::text,
  note = NULL
WHERE action = 'arrived' AND note LIKE 'user %';
UPDATE incident_steps SET params = json_build_object('disposal', note)::text, note = NULL
WHERE action = 'closed' AND note IS NOT NULL;
UPDATE incident_steps SET params = json_build_object('satisfaction', note)::text, note = NULL
WHERE action = 'reviewed' AND note IS NOT NULL;
UPDATE incident_steps SET params = json_build_object('seal', note)::text, note = NULL
WHERE action = 'onsite_record' AND note IS NOT NULL;
UPDATE incident_steps SET params = json_build_object('dispute', json_build_object(
    'id', (SELECT dispute_id FROM incidents WHERE id = incident_steps.incident_id),
    'number', note))::text, note = NULL
WHERE action = 'converted' AND note IS NOT NULL;
UPDATE incident_steps SET params = (
    SELECT json_build_object('person', json_build_object('id',
             (SELECT p.person_id FROM incident_parties p JOIN persons s ON s.id = p.person_id
              WHERE p.incident_id = incident_steps.incident_id AND p.role = x.role
                AND s.name = substr(incident_steps.note, 1, length(incident_steps.note) - length(x.role) - 3)
              LIMIT 1),
             'name', substr(incident_steps.note, 1, length(incident_steps.note) - length(x.role) - 3)),
           'role', x.role)::text
    FROM (SELECT 'party' AS role UNION ALL SELECT 'victim' UNION ALL SELECT 'suspect'
          UNION ALL SELECT 'witness' UNION ALL SELECT 'reporter') x
    WHERE incident_steps.note LIKE '% (' || x.role || ')'),
  note = NULL
WHERE action = 'party_added'
  AND (note LIKE '% (party)' OR note LIKE '% (victim)' OR note LIKE '% (suspect)'
       OR note LIKE '% (witness)' OR note LIKE '% (reporter)');

UPDATE person_events SET code = 'registered' WHERE title = '登记人员信息';
UPDATE person_events SET code = 'incident_caller',
  params = json_build_object('number', substr(title, 6))::text
WHERE title LIKE '报警求助 %';
UPDATE person_events SET code = 'incident_party', params = json_build_object(
    'number', substr(title, 6),
    'role', COALESCE((SELECT p.role FROM incident_parties p
                      WHERE p.incident_id = person_events.object_id
                        AND p.person_id = person_events.person_id), 'party'))::text
WHERE title LIKE '涉及警情 %';
UPDATE person_events SET code = 'legacy', params = json_build_object('text', title)::text
WHERE code = '';
-- postgresql:end

ALTER TABLE person_events DROP COLUMN title;
