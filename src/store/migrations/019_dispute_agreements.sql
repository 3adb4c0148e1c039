-- The mediation agreement (调解协议书) of a dispute, its signatures, the
-- follow-up visits after it and the judicial confirmation (司法确认).
-- A dispute has at most one agreement that is not voided; a voided one stays
-- with its signatures (void too) and the reason.
CREATE TABLE dispute_agreements (
	id {id},
	dispute_id BIGINT NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
	status TEXT NOT NULL,             -- draft, effective, voided
	form TEXT NOT NULL,               -- people (人民调解) or police (治安调解)
	facts TEXT NOT NULL,              -- 纠纷主要事实
	matters TEXT NOT NULL,            -- 争议事项
	liabilities TEXT NOT NULL,        -- 各方责任
	terms TEXT NOT NULL,              -- JSON: [{what, who, how, due}]
	mediator_id BIGINT NOT NULL REFERENCES users(id),
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	effective_at BIGINT,
	voided_by BIGINT REFERENCES users(id),
	voided_at BIGINT,
	void_reason TEXT,
	performance TEXT,                 -- NULL (not followed up), performing, performed, breached
	breach_term INTEGER,              -- the term breached (from 1)
	breach_reason TEXT,
	judicial_status TEXT,             -- NULL, applied, confirmed, rejected
	judicial_court TEXT,
	judicial_applied_at BIGINT,
	judicial_decided_at BIGINT,
	judicial_note TEXT
);
CREATE INDEX dispute_agreements_dispute ON dispute_agreements(dispute_id, id);
CREATE UNIQUE INDEX dispute_agreements_live ON dispute_agreements(dispute_id)
	WHERE status <> 'voided';

CREATE TABLE dispute_agreement_signatures (
	id {id},
	agreement_id BIGINT NOT NULL REFERENCES dispute_agreements(id) ON DELETE CASCADE,
	signer TEXT NOT NULL,             -- party, mediator
	person_id BIGINT REFERENCES persons(id),
	user_id BIGINT REFERENCES users(id),
	name TEXT NOT NULL,
	attachment_id BIGINT NOT NULL REFERENCES attachments(id),
	signed_by BIGINT REFERENCES users(id),
	signed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX dispute_agreement_signatures_attachment
	ON dispute_agreement_signatures(attachment_id);
CREATE INDEX dispute_agreement_signatures_agreement
	ON dispute_agreement_signatures(agreement_id, id);

CREATE TABLE dispute_followups (
	id {id},
	agreement_id BIGINT NOT NULL REFERENCES dispute_agreements(id) ON DELETE CASCADE,
	due_at BIGINT NOT NULL,
	assigned_to BIGINT NOT NULL REFERENCES users(id),
	visited_at BIGINT,                -- NULL: not yet recorded
	visited_by BIGINT REFERENCES users(id),
	result TEXT,                      -- performing, performed, breached
	note TEXT,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX dispute_followups_agreement ON dispute_followups(agreement_id, due_at);
-- The work queue: my visits not yet recorded, by due time.
CREATE INDEX dispute_followups_pending ON dispute_followups(assigned_to, due_at)
	WHERE visited_at IS NULL;
