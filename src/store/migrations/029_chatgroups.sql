-- Community chat groups and broadcasts (社区群, 反诈宣传; DOMAIN §8, issue 12):
-- the station's WeChat, WeChat Work and DingTalk groups with their unit (scope
-- follows it), officer in charge and member count; a group of WeChat Work or
-- DingTalk may have a robot, which is an outbox channel owned by the group
-- (outbox_channels.owner = 'chatgroup': sealed URL and secret, hidden from the
-- sysadmin's channel list). A broadcast is written once; each group it goes
-- to is a target: a robot's delivery is an outbox row, the others are posted
-- by hand and marked.

ALTER TABLE outbox_channels ADD COLUMN owner TEXT;

CREATE TABLE chat_groups (
	id {id},
	name TEXT NOT NULL,
	platform TEXT NOT NULL,              -- wechat | wecom | dingtalk | other
	org_id BIGINT NOT NULL REFERENCES org_units(id),
	org_path {ctext} NOT NULL,           -- the unit's path: data scope
	officer_id BIGINT REFERENCES users(id),
	members BIGINT NOT NULL,
	note TEXT,
	channel_id BIGINT REFERENCES outbox_channels(id), -- the robot; NULL: none
	robot_shown TEXT,                    -- the robot URL's host and masked tail
	deleted_at BIGINT,                   -- deleted groups stay named by their broadcasts
	created_by BIGINT NOT NULL REFERENCES users(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX chat_groups_scope ON chat_groups(org_path, id);
CREATE INDEX chat_groups_officer ON chat_groups(officer_id, id);

CREATE TABLE broadcasts (
	id {id},
	org_path {ctext} NOT NULL,           -- the deepest unit holding every group sent to
	kind TEXT NOT NULL,                  -- fraud | alert | notice
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX broadcasts_scope ON broadcasts(org_path, id);

CREATE TABLE broadcast_targets (
	id {id},
	broadcast_id BIGINT NOT NULL REFERENCES broadcasts(id),
	group_id BIGINT NOT NULL REFERENCES chat_groups(id),
	outbox_id BIGINT REFERENCES outbox(id), -- the robot's delivery; NULL: by hand
	posted_at BIGINT,                    -- by hand: when the officer marked it posted
	posted_by BIGINT REFERENCES users(id)
);
CREATE INDEX broadcast_targets_broadcast ON broadcast_targets(broadcast_id, id);
CREATE INDEX broadcast_targets_group ON broadcast_targets(group_id);

-- Broadcasts in full-text search (type 'broadcast', code 27) are indexed from
-- C as they are written (domain/chatgroup.c); the table is new. Broadcasts
-- are not deleted: no trigger.
