-- The law of mediation (DOMAIN §7, issue 11 "The law, enforced"): the
-- procedure a dispute is mediated under — people's mediation (人民调解,
-- 人民调解法) or police mediation (治安调解, 《公安机关治安调解工作规范》
-- and 《公安机关办理行政案件程序规定》) — and what its rules need. A dispute
-- without a row is under people's mediation, accepted when registered.

CREATE TABLE dispute_procedures (
	dispute_id BIGINT PRIMARY KEY REFERENCES disputes(id) ON DELETE CASCADE,
	procedure TEXT NOT NULL,            -- people, police
	accepted_at BIGINT NOT NULL,        -- 受理
	offence TEXT,                       -- police: the minor offence (domain/dispute_law.c)
	assessed_at BIGINT,                 -- police: injury or value assessment concluded
	presiding_user BIGINT REFERENCES users(id), -- police: the officer who presides
	exclusions_checked TEXT,            -- police: the exclusions confirmed absent, space-separated
	target_day BIGINT,                  -- people: settle by this local day (YYYYMMDD)
	criminal_risk_at BIGINT,            -- "may turn criminal" (可能激化/转为治安或刑事案件)
	criminal_risk_by BIGINT REFERENCES users(id),
	criminal_risk_reason TEXT,
	penalty_at BIGINT,                  -- police: handed to the penalty procedure
	penalty_by BIGINT REFERENCES users(id),
	penalty_reason TEXT,                -- failed, refused, breach, new_trouble, absconded
	penalty_note TEXT,
	concluded_basis TEXT,               -- refused: concluded because a party refused
	set_by BIGINT REFERENCES users(id),
	set_at BIGINT NOT NULL
);
-- The presiding officer's work queue: police procedures not yet handed on.
CREATE INDEX dispute_procedures_presiding ON dispute_procedures(presiding_user, dispute_id)
	WHERE penalty_at IS NULL;

-- People's mediation: each extension of the target, with the consent of
-- every applicant and respondent (JSON [{person_id, at}]).
CREATE TABLE dispute_extensions (
	id {id},
	dispute_id BIGINT NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
	from_day BIGINT NOT NULL,
	to_day BIGINT NOT NULL,
	reason TEXT NOT NULL,
	consents TEXT NOT NULL,
	by_user BIGINT REFERENCES users(id),
	at BIGINT NOT NULL
);
CREATE INDEX dispute_extensions_dispute ON dispute_extensions(dispute_id, id);

-- Police mediation: each session's presiding officer, the guardians present
-- for parties under 18 (JSON [{person_id, name, relation}]) and the
-- officer's signature of the record.
CREATE TABLE dispute_session_law (
	session_id BIGINT PRIMARY KEY REFERENCES dispute_sessions(id) ON DELETE CASCADE,
	dispute_id BIGINT NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
	presiding_user BIGINT NOT NULL REFERENCES users(id),
	guardians TEXT NOT NULL DEFAULT '[]',
	signed_by BIGINT REFERENCES users(id),
	signed_at BIGINT
);
CREATE INDEX dispute_session_law_dispute ON dispute_session_law(dispute_id);
