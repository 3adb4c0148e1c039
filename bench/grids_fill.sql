-- A city district in bulk for bench/grids.sh (docs/PERFORMANCE.md, "Grids at
-- district size"), the same statements on SQLite and PostgreSQL: a station of
-- its own (code BENCH-GRIDS, under the demo's branch) whose areas tile a box of
-- 0.20 x 0.10 degrees (about 19 x 11 km) north-east of the demo's map: 4 police
-- rooms (columns of 0.05), 8 beats (a room's lower and upper half), 40
-- communities (one column of 0.01 by half the height; the fifth of each beat a
-- village) and 200 grids of 0.01 x 0.01 (about 1 km square), each a box
-- drawn as a GeoJSON polygon; its chief bench.grids.chief (the demo chief's
-- password hash); :addresses addresses with coordinates spread over the grids
-- (1 in 997 placed in the next grid's area: "elsewhere"; 1 in 1009 south of
-- the district: "outside"; 1 in 1013 without coordinates), :places places at
-- every fifth address with inspection intervals and due dates so that their
-- statuses vary, and :incidents incidents at the addresses, received evenly
-- over the 365 days up to :now, the last 1,000 still open.
--
-- Parameters: :now (ms), :off (the station's UTC offset, minutes),
-- :addresses, :places, :incidents (psql -v, or named parameters of Python's
-- sqlite3). Statements end with ";" at the end of a line (bench/lib.sh splits
-- them so for SQLite). Ids are fixed (org units from 3000000, addresses from
-- 5000000, places from 6000000, incidents from 7000000; bench/lib.sh moves
-- PostgreSQL's identity sequences past them afterwards). Values that look
-- random come from one multiplicative hash of the row number, so both stores
-- get the same rows. Coordinates are computed in units of 1e-4 degree.

-- One row per org unit: id, parent, kind, name, code, area type and box
-- (west, south, east, north in 1e-4 degree).
CREATE TEMP TABLE bench_units AS
 SELECT 3000000 AS id, 0 AS parent, 0 AS level, 'station' AS kind, '压测派出所' AS name,
	'BENCH-GRIDS' AS code, 'urban' AS area_type, 1067000 AS w, 298000 AS s, 1069000 AS e,
	299000 AS n;
INSERT INTO bench_units
 SELECT 3000010 + r.n, 3000000, 1, 'police_room', '压测警务室' || (r.n + 1),
	'BENCH-GRIDS-P' || (r.n + 1), 'urban', 1067000 + 500 * r.n, 298000,
	1067500 + 500 * r.n, 299000
 FROM (WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < 3)
	SELECT n FROM c) r;
INSERT INTO bench_units
 SELECT 3000020 + b.n, 3000010 + b.n / 2, 2, 'beat', '压测片区' || (b.n + 1),
	'BENCH-GRIDS-B' || (b.n + 1), 'urban', 1067000 + 500 * (b.n / 2), 298000 + 500 * (b.n % 2),
	1067500 + 500 * (b.n / 2), 298500 + 500 * (b.n % 2)
 FROM (WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < 7)
	SELECT n FROM c) b;
-- Community k: column k % 20, half k / 20; its beat (k % 20 / 5) * 2 + k / 20.
INSERT INTO bench_units
 SELECT 3000100 + k.n, 3000020 + (k.n % 20 / 5) * 2 + k.n / 20, 3,
	CASE WHEN k.n % 5 = 4 THEN 'village' ELSE 'community' END,
	CASE WHEN k.n % 5 = 4 THEN '压测' || (k.n + 1) || '村' ELSE '压测' || (k.n + 1) || '社区' END,
	'BENCH-GRIDS-C' || (k.n + 1), CASE WHEN k.n % 5 = 4 THEN 'suburban' ELSE 'urban' END,
	1067000 + 100 * (k.n % 20), 298000 + 500 * (k.n / 20),
	1067100 + 100 * (k.n % 20), 298500 + 500 * (k.n / 20)
 FROM (WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < 39)
	SELECT n FROM c) k;
-- Grid g: column g % 20, row g / 20; its community g % 20 + 20 * (g / 100).
INSERT INTO bench_units
 SELECT 3001000 + g.n, 3000100 + g.n % 20 + 20 * (g.n / 100), 4, 'grid',
	'压测' || (g.n % 20 + 20 * (g.n / 100) + 1) || '第' || (g.n / 20 % 5 + 1) || '网格',
	'BENCH-GRIDS-G' || (g.n + 1), NULL,
	1067000 + 100 * (g.n % 20), 298000 + 100 * (g.n / 20),
	1067100 + 100 * (g.n % 20), 298100 + 100 * (g.n / 20)
 FROM (WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < 199)
	SELECT n FROM c) g;
-- Degrees as text: 1067100 -> '106.7100'.
CREATE TEMP TABLE bench_deg AS
 SELECT id, CAST(w / 10000 AS TEXT) || '.' || substr(CAST(10000 + w % 10000 AS TEXT), 2) AS w,
	CAST(s / 10000 AS TEXT) || '.' || substr(CAST(10000 + s % 10000 AS TEXT), 2) AS s,
	CAST(e / 10000 AS TEXT) || '.' || substr(CAST(10000 + e % 10000 AS TEXT), 2) AS e,
	CAST(n / 10000 AS TEXT) || '.' || substr(CAST(10000 + n % 10000 AS TEXT), 2) AS n
 FROM bench_units;

INSERT INTO org_units (id, parent_id, kind, name, code, path, area_type, number_prefix, created_at,
	updated_at)
SELECT 3000000, b.id, 'station', u.name, u.code, b.path || '3000000/', u.area_type, 'BG', :now, :now
FROM bench_units u, org_units b
WHERE u.level = 0 AND b.id = (SELECT min(id) FROM org_units WHERE kind = 'branch');
-- The units under the station, each with its path (its parent's and its id)
-- and its box as a GeoJSON polygon.
INSERT INTO org_units (id, parent_id, kind, name, code, path, area_type, polygon, created_at,
	updated_at)
SELECT u.id, u.parent, u.kind, u.name, u.code, t.path, u.area_type,
	'{"type":"Polygon","coordinates":[[[' || d.w || ',' || d.s || '],[' || d.e || ',' || d.s
	|| '],[' || d.e || ',' || d.n || '],[' || d.w || ',' || d.n || '],[' || d.w || ',' || d.s
	|| ']]]}', :now, :now
FROM (WITH RECURSIVE t(id, path) AS (
		SELECT id, path FROM org_units WHERE id = 3000000
		UNION ALL
		SELECT u.id, t.path || u.id || '/' FROM bench_units u JOIN t ON u.parent = t.id)
	SELECT id, path FROM t) t
JOIN bench_units u ON u.id = t.id JOIN bench_deg d ON d.id = u.id
WHERE u.level > 0 ORDER BY u.level, u.id;
INSERT INTO users (username, display_name, role, org_id, password_hash, created_at, updated_at)
SELECT 'bench.grids.chief', '压测所长', 'chief', 3000000, password_hash, :now, :now
FROM users WHERE username = 'demo.chief';

-- The grids, numbered 0..199, with their boxes and paths.
CREATE TEMP TABLE bench_grids AS
 SELECT u.id - 3001000 AS k, u.id, o.path, u.w, u.s FROM bench_units u
 JOIN org_units o ON o.id = u.id WHERE u.level = 4;

-- Address n: grid n % 200, at a point of the grid's box (8% to 92% across
-- and up) from the hash h; the exceptions of the coverage check as above.
CREATE TEMP TABLE bench_a AS
 SELECT x.n, 5000000 + x.n AS id, x.h, x.n % 200 AS k
 FROM (WITH RECURSIVE c(n) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT n + 1 FROM c
	WHERE n < :addresses - 1)
	SELECT n, (n * 2654435761) % 4294967296 AS h FROM c) x;
INSERT INTO addresses (id, division_code, street, door_no, full_text, lat, lng, grid_id, org_path,
	created_at, updated_at)
SELECT a.id, '500112', '压测' || (a.k + 1) || '街', (a.n / 200 + 1) || '号',
	'重庆市渝北区压测' || (a.k + 1) || '街' || (a.n / 200 + 1) || '号',
	CASE WHEN a.n % 1013 = 11 THEN NULL
		WHEN a.n % 1009 = 7 THEN (g.s - 500 + 8 + a.h % 84) / 10000.0
		ELSE (g.s + 8 + (a.h / 100) % 84) / 10000.0 + (a.h % 100) / 10000000.0 END,
	CASE WHEN a.n % 1013 = 11 THEN NULL
		WHEN a.n % 997 = 500 THEN (g.w + 100 * CASE WHEN a.k % 20 = 19 THEN -1 ELSE 1 END
			+ 8 + (a.h / 8400) % 84) / 10000.0
		ELSE (g.w + 8 + (a.h / 8400) % 84) / 10000.0 + ((a.h / 7) % 100) / 10000000.0 END,
	g.id, g.path, :now - 400 * CAST(86400000 AS BIGINT), :now - 400 * CAST(86400000 AS BIGINT)
FROM bench_a a JOIN bench_grids g ON g.k = a.k ORDER BY a.n;

-- Place p at address 5p: a kind in turn, an inspection interval (none, 30,
-- 90 or 180 days), its last inspection up to 200 days ago, so that some are
-- due, some overdue; 1 in 50 has a rectification pending (half of those past
-- its deadline).
CREATE TEMP TABLE bench_p AS
 SELECT x.n, 6000000 + x.n AS id, 5000000 + 5 * x.n AS address_id, x.h,
	CASE x.n % 4 WHEN 0 THEN NULL WHEN 1 THEN 30 WHEN 2 THEN 90 ELSE 180 END AS iv,
	:now - ((x.h / 3) % 200) * CAST(86400000 AS BIGINT) AS last
 FROM (WITH RECURSIVE c(n) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT n + 1 FROM c
	WHERE n < :places - 1)
	SELECT n, (n * 2654435761) % 4294967296 AS h FROM c) x;
INSERT INTO places (id, kind, name, address_id, grid_id, org_path, owner_name, interval_days,
	last_inspected_at, next_due_at, rectify_due_at, created_by, created_at, updated_at)
SELECT p.id,
	CASE p.n % 9 WHEN 0 THEN 'shop' WHEN 1 THEN 'enterprise' WHEN 2 THEN 'hazardous_enterprise'
		WHEN 3 THEN 'school' WHEN 4 THEN 'hospital' WHEN 5 THEN 'rental_housing'
		WHEN 6 THEN 'hotel' WHEN 7 THEN 'internet_cafe' ELSE 'other' END,
	CASE p.n % 9 WHEN 0 THEN '便民超市' WHEN 1 THEN '科技公司' WHEN 2 THEN '加油站'
		WHEN 3 THEN '小学' WHEN 4 THEN '诊所' WHEN 5 THEN '出租屋' WHEN 6 THEN '宾馆'
		WHEN 7 THEN '网吧' ELSE '仓库' END || (p.n + 1) || '号',
	p.address_id, a.grid_id, a.org_path, '业主' || (p.n + 1), p.iv,
	CASE WHEN p.iv IS NOT NULL THEN p.last END,
	CASE WHEN p.iv IS NOT NULL THEN p.last + p.iv * CAST(86400000 AS BIGINT) END,
	CASE WHEN p.n % 50 = 1 THEN :now + (CASE WHEN p.n % 100 = 1 THEN -3 ELSE 5 END)
		* CAST(86400000 AS BIGINT) END,
	u.id, :now - 300 * CAST(86400000 AS BIGINT), :now - 300 * CAST(86400000 AS BIGINT)
FROM bench_p p JOIN addresses a ON a.id = p.address_id
JOIN users u ON u.username = 'bench.grids.chief' ORDER BY p.n;

-- The local calendar of the year: epoch day (local) -> YYYYMMDD, by the
-- civil-from-days arithmetic (days since 0000-03-01 in 400-year eras).
CREATE TEMP TABLE bench_days0 AS
 SELECT e, e + 719468 - ((e + 719468) / 146097) * 146097 AS doe, (e + 719468) / 146097 AS era
 FROM (WITH RECURSIVE c(e) AS (SELECT (:now + :off * 60000) / 86400000 - 370 UNION ALL
	SELECT e + 1 FROM c WHERE e < (:now + :off * 60000) / 86400000 + 1) SELECT e FROM c) x;
CREATE TEMP TABLE bench_days1 AS
 SELECT e, doe, era, (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365 AS yoe FROM bench_days0;
CREATE TEMP TABLE bench_days2 AS
 SELECT e, era, yoe, doe - (365 * yoe + yoe / 4 - yoe / 100) AS doy FROM bench_days1;
CREATE TEMP TABLE bench_days3 AS
 SELECT e, era, yoe, doy, (5 * doy + 2) / 153 AS mp FROM bench_days2;
CREATE TEMP TABLE bench_days AS
 SELECT e, (yoe + era * 400 + CASE WHEN mp >= 10 THEN 1 ELSE 0 END) * 10000
	+ (CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END) * 100
	+ doy - (153 * mp + 2) / 5 + 1 AS day
 FROM bench_days3;

-- Incident n at address h % :addresses, received at an even step over the
-- year up to :now; the last 1,000 open (received, dispatched, on scene,
-- handling in turn), the others reviewed.
CREATE TEMP TABLE bench_i AS
 SELECT x.n, 7000000 + x.n AS id, 5000000 + x.h % :addresses AS address_id, x.h,
	:now - 365 * CAST(86400000 AS BIGINT) + x.n * (365 * CAST(86400000 AS BIGINT) / :incidents)
		+ x.h % 60000 AS t,
	CASE WHEN x.n >= :incidents - 1000 THEN 1 ELSE 0 END AS open
 FROM (WITH RECURSIVE c(n) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT n + 1 FROM c
	WHERE n < :incidents - 1)
	SELECT n, (n * 2654435761) % 4294967296 AS h FROM c) x;
INSERT INTO incidents (id, number, station_id, org_id, org_path, received_at, day, hour, channel,
	address_id, address_text, area_type, category, narrative, status, disposal, closed_at,
	target_minutes, dispatched_at, created_at, updated_at)
SELECT i.id, 'BG-' || (1000000 + i.n), 3000000, a.grid_id, a.org_path, i.t, d.day,
	((i.t + :off * 60000) / 3600000) % 24, 'phone', a.id, a.full_text, 'urban',
	CASE i.h % 6 WHEN 0 THEN 'report' WHEN 1 THEN 'help' WHEN 2 THEN 'complaint'
		WHEN 3 THEN 'dispute' WHEN 4 THEN 'consultation' ELSE 'other' END,
	CASE (i.h / 6) % 6 WHEN 0 THEN '楼上住户深夜装修，噪音扰民' WHEN 1 THEN '停放在楼下的电动车被盗'
		WHEN 2 THEN '两车剐蹭，双方对责任有争议' WHEN 3 THEN '邻居占用公共通道堆放杂物'
		WHEN 4 THEN '老人外出走失，家属焦急' ELSE '小区门口有人乱停车堵路' END,
	CASE WHEN i.open = 0 THEN 'reviewed' WHEN i.n % 4 = 0 THEN 'received'
		WHEN i.n % 4 = 1 THEN 'dispatched' WHEN i.n % 4 = 2 THEN 'on_scene' ELSE 'handling' END,
	CASE WHEN i.open = 0 THEN 'on_site_mediation' END,
	CASE WHEN i.open = 0 THEN i.t + 3600000 END,
	CASE WHEN i.open = 1 THEN 15 END,
	CASE WHEN i.open = 1 AND i.n % 4 >= 1 THEN i.t + 120000 END,
	i.t, i.t
FROM bench_i i JOIN addresses a ON a.id = i.address_id
JOIN bench_days d ON d.e = (i.t + :off * 60000) / 86400000 ORDER BY i.n;
