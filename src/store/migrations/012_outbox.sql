-- The outbox (docs/internals.md "Outbox"): messages to the world outside
-- (webhooks, WeChat Work and DingTalk group robots, an SMS gateway), written
-- in the transaction of the change that causes them and delivered in the
-- background by `fengqiao serve`, with every attempt kept.

-- A channel of a station, set up by the sysadmin. The URL (robot URLs carry
-- their key in it) and the signing secret are sealed (src/auth/secret.c);
-- url_shown is the URL with its query values masked, for the screens.
CREATE TABLE outbox_channels (
	id {id},
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,        -- the station's path, for data scope
	kind TEXT NOT NULL,               -- webhook | wecom | dingtalk | sms
	name TEXT NOT NULL,
	url_enc {blob} NOT NULL,
	url_shown TEXT NOT NULL,
	secret_enc {blob},                -- NULL: none
	events TEXT NOT NULL,             -- subscribed event kinds, space-separated
	msg_format TEXT NOT NULL,         -- robots: text | markdown
	sms_method TEXT,                  -- sms: POST | GET
	sms_content_type TEXT,            -- sms: json | form
	sms_body TEXT,                    -- sms: the body template ({phone}, {text})
	phones_enc {blob},                -- sms: the standing recipients, sealed, space-separated
	enabled BIGINT NOT NULL,
	deleted_at BIGINT,                -- deleted channels keep their deliveries
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX outbox_channels_station ON outbox_channels (station_id, id);

-- One message to one channel (and, for SMS, one phone). status: pending
-- (waiting for its time, next_at, or being sent under a lease), delivered,
-- failed (max attempts reached, or the channel deleted). A worker claims a
-- row by moving next_at to the end of its lease and writing a lease token of
-- its own; a worker that dies leaves the row due again when the lease ends.
CREATE TABLE outbox (
	id {id},
	channel_id BIGINT NOT NULL REFERENCES outbox_channels(id),
	station_id BIGINT NOT NULL REFERENCES org_units(id),
	event_id TEXT NOT NULL,           -- the same for every row of one event: receivers dedupe by it
	event_kind TEXT NOT NULL,
	payload TEXT NOT NULL,            -- JSON object
	text TEXT NOT NULL,               -- the short text robots and SMS get
	recipient_enc {blob},             -- sms: the phone, sealed
	recipient_shown TEXT,             -- sms: the phone, masked
	status TEXT NOT NULL,
	attempts BIGINT NOT NULL,
	next_at BIGINT NOT NULL,
	lease_token TEXT,
	last_status BIGINT,
	last_error TEXT,
	created_at BIGINT NOT NULL,
	done_at BIGINT
);
CREATE INDEX outbox_due ON outbox (next_at, id) WHERE status = 'pending';
CREATE INDEX outbox_channel ON outbox (channel_id, id);

-- Every attempt: when, how long, the HTTP status (NULL when none came
-- back), what went wrong, the start of the answer.
CREATE TABLE outbox_attempts (
	id {id},
	outbox_id BIGINT NOT NULL REFERENCES outbox(id),
	attempt BIGINT NOT NULL,
	started_at BIGINT NOT NULL,
	duration_ms BIGINT NOT NULL,
	http_status BIGINT,
	error TEXT,
	response TEXT
);
CREATE INDEX outbox_attempts_row ON outbox_attempts (outbox_id, id);
