-- The working-day calendar (docs/internals.md "Working days"): the days that
-- differ from the plain week, in which Monday to Friday are worked and
-- Saturday and Sunday are not. One national calendar per deployment, kept
-- by the sysadmin (/api/calendar) when the State Council publishes the next
-- year's arrangement. Legal deadlines counted in working days (police
-- mediation: the first session within 3 working days, the second within 7)
-- are counted on it (src/domain/workdays.c).
--
-- day: the local date as YYYYMMDD. kind: 'holiday' (a weekday that is off,
-- 放假) or 'workday' (a Saturday or Sunday that is worked, 调休上班); a
-- weekend day is never a holiday here, nor a weekday a workday (the domain
-- refuses them: they would change nothing). name: the holiday, e.g. 春节; a
-- make-up day carries the name of the holiday it makes up for.
-- changed_by: the user who last set the day; NULL for the rows shipped here.
CREATE TABLE calendar_days (
	day BIGINT PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name TEXT NOT NULL,
	changed_by BIGINT REFERENCES users(id),
	changed_at BIGINT NOT NULL
);

-- 2026, from 国务院办公厅关于2026年部分节假日安排的通知 (dated 2025-11-04,
-- published by Xinhua the same day, e.g.
-- https://politics.gmw.cn/2025-11/04/content_38391083.htm):
--   元旦 1月1日（周四）至3日（周六）放假调休，共3天；1月4日（周日）上班。
--   春节 2月15日（周日）至23日（周一）放假调休，共9天；2月14日（周六）、2月28日（周六）上班。
--   清明节 4月4日（周六）至6日（周一）放假，共3天。
--   劳动节 5月1日（周五）至5日（周二）放假调休，共5天；5月9日（周六）上班。
--   端午节 6月19日（周五）至21日（周日）放假，共3天。
--   中秋节 9月25日（周五）至27日（周日）放假，共3天。
--   国庆节 10月1日（周四）至7日（周三）放假调休，共7天；9月20日（周日）、10月10日（周六）上班。
-- Only the weekdays of each holiday are rows (its Saturdays and Sundays are
-- rest days anyway): 19 holidays and 6 make-up days, 13 days off more than the
-- plain week, the 13 statutory holidays of 《全国年节及纪念日放假办法》.
-- The 2027 arrangement was not to be found when this was written: the
-- sysadmin enters it (docs/user-guide.md "Working-day calendar").
INSERT INTO calendar_days (day, kind, name, changed_by, changed_at) VALUES
	(20260101, 'holiday', '元旦', NULL, 0),
	(20260102, 'holiday', '元旦', NULL, 0),
	(20260104, 'workday', '元旦', NULL, 0),
	(20260214, 'workday', '春节', NULL, 0),
	(20260216, 'holiday', '春节', NULL, 0),
	(20260217, 'holiday', '春节', NULL, 0),
	(20260218, 'holiday', '春节', NULL, 0),
	(20260219, 'holiday', '春节', NULL, 0),
	(20260220, 'holiday', '春节', NULL, 0),
	(20260223, 'holiday', '春节', NULL, 0),
	(20260228, 'workday', '春节', NULL, 0),
	(20260406, 'holiday', '清明节', NULL, 0),
	(20260501, 'holiday', '劳动节', NULL, 0),
	(20260504, 'holiday', '劳动节', NULL, 0),
	(20260505, 'holiday', '劳动节', NULL, 0),
	(20260509, 'workday', '劳动节', NULL, 0),
	(20260619, 'holiday', '端午节', NULL, 0),
	(20260920, 'workday', '国庆节', NULL, 0),
	(20260925, 'holiday', '中秋节', NULL, 0),
	(20261001, 'holiday', '国庆节', NULL, 0),
	(20261002, 'holiday', '国庆节', NULL, 0),
	(20261005, 'holiday', '国庆节', NULL, 0),
	(20261006, 'holiday', '国庆节', NULL, 0),
	(20261007, 'holiday', '国庆节', NULL, 0),
	(20261010, 'workday', '国庆节', NULL, 0);

-- The time the rows were written: when this migration ran.
-- sqlite:begin
UPDATE calendar_days SET changed_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
-- sqlite:end
-- postgresql:begin
UPDATE calendar_days SET changed_at = CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT);
-- postgresql:end
