-- Disputes in bulk for bench/disputes.sh (docs/PERFORMANCE.md, "Disputes at
-- 100,000"), the same statements on SQLite and PostgreSQL: the demo station
-- (500112001, made by `fengqiao demo`) gets :rows disputes registered over
-- the three years up to :now (ms), the newest :open of them still open, with
-- what the domain would have written for each (domain/dispute.c,
-- dispute_agreement.c, dispute_watch.c): two parties from the station's
-- persons, the first risk row, a mediator (one of 40: demo.mediator and 39
-- bench.mediatorNN made here), sessions, for an agreed conclusion an
-- effective agreement with its follow-up visit, and the watch's score.
--
-- Parameters: :now, :rows, :open (psql -v, or named parameters of Python's
-- sqlite3). Statements end with ";" at the end of a line (bench/lib.sh splits
-- them so for SQLite). Values that look random come from one multiplicative
-- hash of the row number, so both stores get the same rows. Ids of disputes
-- and agreements are 1000000 + row number (bench/lib.sh moves PostgreSQL's
-- identity sequences past them afterwards).
--
-- Not written: signatures of agreements (they are attachments: files),
-- hand-offs between tiers (each dispute stays on the tier its risk level
-- calls for, since it was registered), procedures (people's mediation, the
-- default), the tracking page's state.

CREATE TEMP TABLE bench_station AS
 SELECT id, path FROM org_units WHERE code = '500112001';
CREATE TEMP TABLE bench_grids AS
 SELECT row_number() OVER (ORDER BY g.id) - 1 AS k, g.id, g.path
 FROM org_units g, bench_station s
 WHERE g.kind = 'grid' AND substr(g.path, 1, length(s.path)) = s.path;
CREATE TEMP TABLE bench_officers AS
 SELECT row_number() OVER (ORDER BY u.id) - 1 AS k, u.id
 FROM users u, bench_station s WHERE u.role = 'officer' AND u.org_id = s.id;
CREATE TEMP TABLE bench_persons AS
 SELECT row_number() OVER (ORDER BY p.id) - 1 AS k, p.id
 FROM persons p, bench_station s WHERE substr(p.org_path, 1, length(s.path)) = s.path;
CREATE TEMP TABLE bench_addresses AS
 SELECT row_number() OVER (ORDER BY a.id) - 1 AS k, a.id, a.full_text FROM addresses a;

-- 39 mediators of the 1+3+N besides demo.mediator (k = 0), with the demo
-- mediator's password hash; kinds in turn.
INSERT INTO users (username, display_name, role, org_id, password_hash, created_at, updated_at)
SELECT 'bench.mediator' || (10 + x.n), '调解员' || (10 + x.n), 'mediator', s.id, u.password_hash,
	:now, :now
FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 39)
	SELECT n FROM c) x, bench_station s, users u
WHERE u.username = 'demo.mediator';
INSERT INTO mediator_profiles (user_id, kind, organisation, updated_at)
SELECT u.id, CASE u.id % 6 WHEN 0 THEN 'police' WHEN 1 THEN 'judicial' WHEN 2 THEN 'committee'
	WHEN 3 THEN 'lawyer' WHEN 4 THEN 'community' ELSE 'department' END,
	'两路街道人民调解委员会', :now
FROM users u WHERE u.username LIKE 'bench.mediator%';
CREATE TEMP TABLE bench_mediators AS
 SELECT CASE WHEN username = 'demo.mediator' THEN 0
	ELSE CAST(substr(username, 15) AS BIGINT) - 10 END AS k, id
 FROM users WHERE username = 'demo.mediator' OR username LIKE 'bench.mediator%';

-- One row per dispute: its hash h and the choices made from it.
CREATE TEMP TABLE bench_d AS
 SELECT x.n, 1000000 + x.n AS id, x.h,
	:now - (:rows - x.n) * (94608000000 / :rows) + x.h % 600000 AS t,
	CASE WHEN x.n >= :rows - :open THEN 1 ELSE 0 END AS open,
	x.h % 100 AS r,
	(x.h / 7) % 100 AS o,
	(x.h / 11) % 40 AS m,
	CASE WHEN x.n >= :rows - :open AND (x.h / 13) % 5 = 0 THEN 0 ELSE 1 END AS mediated,
	(x.h / 17) % 20 AS ty,
	(x.h / 19) % 100 AS src,
	(1 + (x.h / 23) % 40) * 86400000 + (x.h / 29) % 36000000 AS took
 FROM (WITH RECURSIVE c(n) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT n + 1 FROM c
	WHERE n < :rows - 1)
	SELECT n, (n * 2654435761) % 4294967296 AS h FROM c) x;

INSERT INTO disputes (id, number, station_id, org_id, org_path, address_id, address_text, facts,
	status, created_by, created_at, updated_at, tracking_code, source, referral_body, type,
	type_version, claims, amount_fen, risk, risk_due_at, tier, tier_since, tier_due_at, outcome,
	outcome_reason, concluded_at, concluded_by)
SELECT d.id, 'BENCH-JF-' || (100000 + d.n), s.id, g.id, g.path,
	CASE WHEN d.h % 5 < 3 THEN a.id END, CASE WHEN d.h % 5 < 3 THEN a.full_text END,
	(CASE d.n % 6 WHEN 0 THEN '当事人称' WHEN 1 THEN '群众来所反映' WHEN 2 THEN '网格员排查发现'
		WHEN 3 THEN '12345转来：' WHEN 4 THEN '双方到所称' ELSE '社区转来：' END)
	|| (CASE d.ty WHEN 0 THEN '邻居装修噪音扰民，多次协商无果' WHEN 1 THEN '夫妻因家庭琐事争吵，要求调解'
		WHEN 2 THEN '借款到期未还，双方对利息有争议' WHEN 3 THEN '工地拖欠工资，工人要求结清'
		WHEN 4 THEN '物业费收取与服务质量发生争执' WHEN 5 THEN '宅基地界址不清，双方各执一词'
		WHEN 6 THEN '两车剐蹭，对责任划分有争议' WHEN 7 THEN '购买商品质量有问题，商家拒绝退换'
		WHEN 8 THEN '邻居占用公共通道堆放杂物' WHEN 9 THEN '宠物狗咬伤路人，赔偿未谈妥'
		WHEN 10 THEN '合伙经营散伙，分账发生纠纷' WHEN 11 THEN '医疗费用与医院发生争议'
		WHEN 12 THEN '山林界址争议再起冲突' WHEN 13 THEN '征地补偿款分配不均'
		WHEN 14 THEN '工厂排污影响周边住户' WHEN 15 THEN '楼上漏水损坏楼下装修'
		WHEN 16 THEN '赡养老人费用分摊争执' WHEN 17 THEN '租房押金退还纠纷'
		WHEN 18 THEN '打架致轻微伤，双方愿意调解' ELSE '劳务合同提前解除引发纠纷' END)
	|| '。',
	CASE WHEN d.open = 0 THEN 'closed' WHEN d.mediated = 1 THEN 'mediating' ELSE 'registered' END,
	ofc.id, d.t, CASE WHEN d.open = 1 THEN d.t + 3600000
		WHEN d.t + d.took < :now - 3600000 THEN d.t + d.took ELSE :now - 3600000 END,
	'B' || (100000000 + d.n),
	CASE WHEN d.src < 50 THEN 'walk_in' WHEN d.src < 70 THEN 'sweep' ELSE 'referral' END,
	CASE WHEN d.src < 70 THEN NULL WHEN d.src < 80 THEN '12345' WHEN d.src < 88 THEN 'grid_worker'
		WHEN d.src < 95 THEN 'court' ELSE 'petition_office' END,
	CASE d.ty WHEN 0 THEN 'neighbours' WHEN 1 THEN 'marriage_family' WHEN 2 THEN 'contract'
		WHEN 3 THEN 'migrant_wages' WHEN 4 THEN 'property_management' WHEN 5 THEN 'housing_homestead'
		WHEN 6 THEN 'road_traffic' WHEN 7 THEN 'consumer' WHEN 8 THEN 'neighbours'
		WHEN 9 THEN 'damages' WHEN 10 THEN 'business' WHEN 11 THEN 'medical'
		WHEN 12 THEN 'forest_land' WHEN 13 THEN 'land_requisition' WHEN 14 THEN 'pollution'
		WHEN 15 THEN 'neighbours' WHEN 16 THEN 'marriage_family' WHEN 17 THEN 'contract'
		WHEN 18 THEN 'damages' ELSE 'labour' END,
	1, '要求对方停止侵害并赔偿损失。',
	CASE WHEN d.ty IN (2, 3, 6, 7, 9, 10, 11, 13, 17, 18, 19) THEN (1 + d.h % 2000) * 10000 END,
	CASE WHEN d.r < 4 THEN 'red' WHEN d.r < 15 THEN 'orange' WHEN d.r < 42 THEN 'yellow'
		ELSE 'blue' END,
	d.t + (CASE WHEN d.r < 4 THEN 3 WHEN d.r < 15 THEN 7 WHEN d.r < 42 THEN 15 ELSE 30 END)
		* CAST(86400000 AS BIGINT),
	CASE WHEN d.r < 4 THEN 'joint' WHEN d.r < 15 THEN 'centre' WHEN d.r < 42 THEN 'workstation'
		ELSE 'onsite' END,
	d.t,
	d.t + (CASE WHEN d.r < 4 THEN 30 WHEN d.r < 15 THEN 15 WHEN d.r < 42 THEN 7 ELSE 1 END)
		* CAST(86400000 AS BIGINT),
	CASE WHEN d.open = 1 THEN NULL WHEN d.o < 80 THEN 'agreed' WHEN d.o < 92 THEN 'failed'
		ELSE 'withdrawn' END,
	CASE WHEN d.open = 1 THEN NULL WHEN d.o < 80 THEN '双方达成调解协议' WHEN d.o < 92
		THEN '双方分歧较大，调解不成，告知诉讼途径' ELSE '申请人撤回调解申请' END,
	CASE WHEN d.open = 1 THEN NULL WHEN d.t + d.took < :now - 3600000 THEN d.t + d.took
		ELSE :now - 3600000 END,
	CASE WHEN d.open = 1 THEN NULL ELSE med.id END
FROM bench_d d
JOIN bench_station s ON 1 = 1
JOIN bench_grids g ON g.k = (d.h / 3) % (SELECT count(*) FROM bench_grids)
JOIN bench_officers ofc ON ofc.k = (d.h / 31) % (SELECT count(*) FROM bench_officers)
JOIN bench_mediators med ON med.k = d.m
JOIN bench_addresses a ON a.k = (d.h / 37) % (SELECT count(*) FROM bench_addresses)
ORDER BY d.n;

INSERT INTO dispute_parties (dispute_id, person_id, role, consent, consent_at, added_at)
SELECT d.id, p.id, 'applicant', 'given', d.t, d.t
FROM bench_d d JOIN bench_persons p ON p.k = (d.n * 7919) % (SELECT count(*) FROM bench_persons);
INSERT INTO dispute_parties (dispute_id, person_id, role, consent, consent_at, added_at)
SELECT d.id, p.id, 'respondent', CASE WHEN d.mediated = 1 THEN 'given' ELSE 'pending' END,
	CASE WHEN d.mediated = 1 THEN d.t + 3600000 END, d.t
FROM bench_d d JOIN bench_persons p
	ON p.k = ((d.n * 7919) + 1 + d.n % 97) % (SELECT count(*) FROM bench_persons);

INSERT INTO dispute_risks (dispute_id, from_level, to_level, reason, by_user, at)
SELECT x.id, NULL, x.risk, CASE WHEN x.risk = 'blue' THEN '' ELSE '双方情绪对立' END, x.created_by,
	x.created_at
FROM disputes x WHERE x.id >= 1000000 ORDER BY x.id;

INSERT INTO dispute_mediators (dispute_id, user_id, assigned_by, assigned_at)
SELECT d.id, med.id, x.created_by, d.t + 7200000
FROM bench_d d JOIN bench_mediators med ON med.k = d.m JOIN disputes x ON x.id = d.id
WHERE d.mediated = 1 ORDER BY d.n;

-- Sessions: a concluded dispute's one session, halfway, with its record; an
-- open one mediated: a first session adjourned the day after registering
-- (when that has passed) and, for half, the next one planned within a week.
INSERT INTO dispute_sessions (dispute_id, starts_at, place, attendees, accounts, summary,
	discussion, result, created_by, created_at, updated_at)
SELECT d.id, d.t + d.took / 2, '枫桥调解室', '双方当事人、调解员', '双方各自陈述了事情经过和诉求。',
	'民警梳理了争议焦点和相关法律规定。', '经各方共同商谈，' ||
	(CASE WHEN d.o < 80 THEN '双方达成一致。' ELSE '未能达成一致。' END),
	CASE WHEN d.o < 80 THEN 'agreed' ELSE 'not_agreed' END, med.id, d.t + 7200000,
	d.t + d.took / 2
FROM bench_d d JOIN bench_mediators med ON med.k = d.m WHERE d.open = 0 ORDER BY d.n;
INSERT INTO dispute_sessions (dispute_id, starts_at, place, attendees, accounts, summary,
	discussion, result, created_by, created_at, updated_at)
SELECT d.id, d.t + 86400000, '社区调解室', '双方当事人、调解员', '双方各自陈述了诉求。',
	'民警梳理了争议焦点。', '双方同意择日再谈。', 'adjourned', med.id, d.t + 7200000,
	d.t + 86400000
FROM bench_d d JOIN bench_mediators med ON med.k = d.m
WHERE d.open = 1 AND d.mediated = 1 AND d.t + 86400000 < :now ORDER BY d.n;
INSERT INTO dispute_sessions (dispute_id, starts_at, place, attendees, created_by, created_at,
	updated_at)
SELECT d.id, :now + ((d.h / 41) % 14) * 43200000 + 3600000, '枫桥调解室', '双方当事人、调解员',
	med.id, d.t + 86400000, d.t + 86400000
FROM bench_d d JOIN bench_mediators med ON med.k = d.m
WHERE d.open = 1 AND d.mediated = 1 AND (d.h / 43) % 2 = 0 ORDER BY d.n;

-- Agreements of the disputes concluded agreed, effective when concluded; the
-- follow-up visit 30 days later, recorded when it is more than two days past
-- (performed, 1 in 14 still performing, 1 in 20 breached), else pending.
INSERT INTO dispute_agreements (id, dispute_id, status, form, facts, matters, liabilities, terms,
	mediator_id, created_by, created_at, updated_at, effective_at, performance, breach_term,
	breach_reason, judicial_status, judicial_court, judicial_applied_at, judicial_decided_at)
SELECT d.id, d.id, 'effective', 'people', x.facts, '赔偿数额及履行方式。', '双方各负相应责任。',
	'[{"what":"赔偿损失","who":"被申请人","how":"一次性支付","due":"签订后十日内"}]', med.id,
	med.id, x.concluded_at - 3600000, x.concluded_at, x.concluded_at,
	CASE WHEN x.concluded_at + 2592000000 >= :now - 172800000 THEN NULL
		WHEN (d.h / 47) % 20 = 0 THEN 'breached' WHEN (d.h / 47) % 14 = 1 THEN 'performing'
		ELSE 'performed' END,
	CASE WHEN x.concluded_at + 2592000000 < :now - 172800000 AND (d.h / 47) % 20 = 0
		THEN 1 END,
	CASE WHEN x.concluded_at + 2592000000 < :now - 172800000 AND (d.h / 47) % 20 = 0
		THEN '被申请人逾期未支付赔偿款' END,
	CASE WHEN (d.h / 53) % 30 = 0 THEN 'confirmed' END,
	CASE WHEN (d.h / 53) % 30 = 0 THEN '重庆市渝北区人民法院' END,
	CASE WHEN (d.h / 53) % 30 = 0 THEN x.concluded_at + 86400000 END,
	CASE WHEN (d.h / 53) % 30 = 0 THEN x.concluded_at + 10 * 86400000 END
FROM bench_d d JOIN disputes x ON x.id = d.id JOIN bench_mediators med ON med.k = d.m
WHERE d.open = 0 AND d.o < 80 ORDER BY d.n;
INSERT INTO dispute_followups (agreement_id, due_at, assigned_to, visited_at, visited_by, result,
	note, created_by, created_at)
SELECT a.id, a.effective_at + 2592000000, a.mediator_id,
	CASE WHEN a.performance IS NOT NULL THEN a.effective_at + 2678400000 END,
	CASE WHEN a.performance IS NOT NULL THEN a.mediator_id END, a.performance,
	CASE WHEN a.performance IS NOT NULL THEN '电话回访当事人。' END, a.mediator_id, a.effective_at
FROM dispute_agreements a WHERE a.id >= 1000000 ORDER BY a.id;

-- The watch's score of each (dispute_watch.c): the risk level's points
-- (red 40, orange 25, yellow 10, blue 0) and, for 1 in 8 of the yellow and
-- blue ones, repeated incidents (10 each, at most 3); open ones computed within the last day (the sweep),
-- concluded ones when registered. 1 in 25 of the open ones is at or above
-- the threshold (50).
INSERT INTO dispute_watch (dispute_id, score, reasons, computed_at, above_threshold_since,
	first_above_at)
SELECT d.id,
	(CASE WHEN d.r < 4 THEN 40 WHEN d.r < 15 THEN 25 WHEN d.r < 42 THEN 10 ELSE 0 END)
	+ CASE WHEN d.open = 1 AND (d.h / 59) % 25 = 0 THEN 60 WHEN (d.h / 59) % 8 = 1 AND d.r >= 15
		THEN 10 * (1 + (d.h / 61) % 3) ELSE 0 END,
	CASE WHEN d.open = 1 AND (d.h / 59) % 25 = 0
		THEN '[{"what":"repeat_incidents","count":6,"weight":10,"points":60,"days":30}]'
	WHEN (d.h / 59) % 8 = 1 AND d.r >= 15
		THEN '[{"what":"repeat_incidents","count":' || (1 + (d.h / 61) % 3)
			|| ',"weight":10,"points":' || (10 * (1 + (d.h / 61) % 3)) || ',"days":30}]'
	ELSE '[]' END,
	CASE WHEN d.open = 1 THEN :now - (d.h / 67) % 86400000 ELSE d.t END,
	CASE WHEN d.open = 1 AND (d.h / 59) % 25 = 0 THEN d.t + 86400000 END,
	CASE WHEN (d.h / 59) % 25 = 0 AND (d.open = 1 OR d.r < 15) THEN d.t + 86400000 END
FROM bench_d d ORDER BY d.n;
