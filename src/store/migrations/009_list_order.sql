-- Lists whose order an index serves, so that a page costs the same with 20
-- matching rows or 200,000 (docs/internals.md, "Lists: order served by an
-- index, keyset paging"): each list's filter and ORDER BY are the columns of
-- one index, walked in order and stopped at the page's LIMIT, never a sort of
-- every match. tests/unit/store/test_list_plans.c fails when a list query's
-- SQLite plan sorts (a temporary B-tree for ORDER BY) or scans a table.

-- Open incidents: partial indexes of the rows whose status is not closed or
-- reviewed. The queries write the test exactly as here (OPEN_STATUS in
-- store/incident_store.c), which is how both planners see that a partial
-- index holds every row they need; NOT IN, because no other index can use it,
-- so SQLite without statistics does not prefer incidents_status and a sort.
-- The indexes hold only the open rows: the many closed ones cost nothing.
CREATE INDEX incidents_open ON incidents(id)
	WHERE status NOT IN ('closed', 'reviewed');
-- The board: emergency first, then oldest.
CREATE INDEX incidents_open_board ON incidents(emergency DESC, received_at, id)
	WHERE status NOT IN ('closed', 'reviewed');
-- The daily clear: received that day, or carried over to it; oldest first.
CREATE INDEX incidents_open_day ON incidents(day, received_at, id)
	WHERE status NOT IN ('closed', 'reviewed');
CREATE INDEX incidents_open_carried ON incidents(carried_over_to, received_at, id)
	WHERE status NOT IN ('closed', 'reviewed');
-- A day's incidents, newest first (the list's day filter).
DROP INDEX incidents_day;
CREATE INDEX incidents_day ON incidents(day, id);
-- Open disputes (a handover's open items), oldest first.
CREATE INDEX disputes_open ON disputes(id) WHERE status <> 'closed';

-- Duty: shifts, handovers and patrols are listed in time order, walked
-- through these and filtered by unit and scope (store/duty_store.c); with a
-- status, its own index. The running shifts are a range of start times (a
-- shift lasts at most 48 hours).
CREATE INDEX shifts_start ON shifts(start_at, id);
CREATE INDEX handovers_time ON handovers(handover_at, id);
CREATE INDEX handovers_status_time ON handovers(status, handover_at, id);
CREATE INDEX patrols_started ON patrols(started_at, id);
CREATE INDEX patrols_status_started ON patrols(status, started_at, id);

-- postgresql:begin
-- The scope test of the lists, (org_path || '') >= ? AND (org_path || '') < ?
-- (a filter on the walk, not an index range), is an expression PostgreSQL
-- keeps no statistics of: it guessed 1 row in 200 in scope, and for a
-- station's board planned to read every open incident and sort them. With
-- statistics of the expression its guess is the scope's real share.
CREATE STATISTICS incidents_scope_text ON ((org_path || '')) FROM incidents;
CREATE STATISTICS shifts_scope_text ON ((org_path || '')) FROM shifts;
CREATE STATISTICS handovers_scope_text ON ((org_path || '')) FROM handovers;
CREATE STATISTICS patrols_scope_text ON ((org_path || '')) FROM patrols;
ANALYZE incidents, shifts, handovers, patrols;
-- postgresql:end

-- The live board's version (fq_store_incident_version) without reading the
-- open incidents: a counter per org path, moved by every change of an open
-- incident there (made, changed, closed, moved away or in), in the same
-- transaction. A scope's version digests the counters of its paths: O(units
-- in scope), and a change elsewhere moves no counter of the scope. Derived
-- data (never exported; import makes it as the incidents go in): dump.c.
CREATE TABLE board_versions (
	org_path {ctext} PRIMARY KEY,
	n BIGINT NOT NULL
);
INSERT INTO board_versions (org_path, n)
	SELECT org_path, count(*) FROM incidents
	WHERE status NOT IN ('closed', 'reviewed') GROUP BY org_path;

-- sqlite:begin
CREATE TRIGGER board_version_insert AFTER INSERT ON incidents
WHEN new.status NOT IN ('closed', 'reviewed') BEGIN
	INSERT INTO board_versions (org_path, n) VALUES (new.org_path, 1)
	ON CONFLICT (org_path) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER board_version_update AFTER UPDATE ON incidents
WHEN old.status NOT IN ('closed', 'reviewed') OR new.status NOT IN ('closed', 'reviewed') BEGIN
	INSERT INTO board_versions (org_path, n) VALUES (old.org_path, 1)
	ON CONFLICT (org_path) DO UPDATE SET n = n + 1;
	INSERT INTO board_versions (org_path, n) SELECT new.org_path, 1
	WHERE new.org_path <> old.org_path
	ON CONFLICT (org_path) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER board_version_delete AFTER DELETE ON incidents
WHEN old.status NOT IN ('closed', 'reviewed') BEGIN
	INSERT INTO board_versions (org_path, n) VALUES (old.org_path, 1)
	ON CONFLICT (org_path) DO UPDATE SET n = n + 1;
END;
-- sqlite:end

-- postgresql:begin
-- Two paths (an incident moved) are taken in path order, so that two
-- transactions moving incidents between the same units cannot deadlock.
CREATE FUNCTION board_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	a TEXT COLLATE "C";
	b TEXT COLLATE "C";
BEGIN
	IF TG_OP = 'INSERT' THEN
		a := NEW.org_path;
	ELSIF TG_OP = 'DELETE' THEN
		a := OLD.org_path;
	ELSE
		a := least(OLD.org_path, NEW.org_path);
		b := NULLIF(greatest(OLD.org_path, NEW.org_path), a);
	END IF;
	INSERT INTO board_versions (org_path, n) VALUES (a, 1)
	ON CONFLICT (org_path) DO UPDATE SET n = board_versions.n + 1;
	IF b IS NOT NULL THEN
		INSERT INTO board_versions (org_path, n) VALUES (b, 1)
		ON CONFLICT (org_path) DO UPDATE SET n = board_versions.n + 1;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER board_version_insert AFTER INSERT ON incidents FOR EACH ROW
	WHEN (NEW.status NOT IN ('closed', 'reviewed')) EXECUTE FUNCTION board_version_bump();
CREATE TRIGGER board_version_update AFTER UPDATE ON incidents FOR EACH ROW
	WHEN (OLD.status NOT IN ('closed', 'reviewed') OR NEW.status NOT IN ('closed', 'reviewed'))
	EXECUTE FUNCTION board_version_bump();
CREATE TRIGGER board_version_delete AFTER DELETE ON incidents FOR EACH ROW
	WHEN (OLD.status NOT IN ('closed', 'reviewed')) EXECUTE FUNCTION board_version_bump();
-- postgresql:end
