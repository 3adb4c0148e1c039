/* The tables that export and import move (store/dump.h), one list per module:
 * each module's declaration (api/module.h) points at its list. Derived
 * tables, such as the full-text index, are not here: import rebuilds them. */
#include <stddef.h>

#include "core/banned.h"
#include "store/dump.h"

/* 001_platform.sql: the org tree, accounts and sign-in, the audit log. */
const struct fq_dump_table fq_platform_tables[] = {
	{"meta", {"name"}, NULL},
	{"org_units", {"id"}, "parent_id"},
	{"users", {"id"}, NULL},
	{"sessions", {"id"}, NULL},
	{"api_tokens", {"id"}, NULL},
	{"login_attempts", {"client_addr", "minute"}, NULL},
	{"audit_log", {"id"}, NULL},
	{NULL},
};

const struct fq_dump_table fq_addresses_tables[] = {
	{"addresses", {"id"}, NULL},
	{NULL},
};

const struct fq_dump_table fq_persons_tables[] = {
	{"persons", {"id"}, NULL},
	{"person_events", {"id"}, NULL},
	{NULL},
};

/* 002_incidents.sql: incidents and the disputes they become, and the record
 * numbers of both. */
const struct fq_dump_table fq_incidents_tables[] = {
	{"record_numbers", {"station_id", "kind", "year"}, NULL},
	{"incidents", {"id"}, NULL},
	{"incident_steps", {"id"}, NULL},
	{"incident_responders", {"incident_id", "user_id"}, NULL},
	{"incident_parties", {"incident_id", "person_id"}, NULL},
	{"incident_links", {"incident_id", "earlier_id"}, NULL},
	{"onsite_records", {"incident_id"}, NULL},
	{"onsite_signatures", {"incident_id", "role", "seq"}, NULL},
	{"incident_followups", {"id"}, NULL},
	{"incident_carryovers", {"id"}, NULL},
	{"disputes", {"id"}, NULL},
	{"dispute_parties", {"dispute_id", "person_id"}, NULL},
	{NULL},
};

/* 003_duty.sql: shifts, handovers, patrols. */
const struct fq_dump_table fq_duty_tables[] = {
	{"duty_templates", {"station_id"}, NULL},
	{"duty_posture", {"station_id", "hour"}, NULL},
	{"shifts", {"id"}, NULL},
	{"shift_positions", {"shift_id", "user_id"}, NULL},
	{"handovers", {"id"}, NULL},
	{"handover_items", {"handover_id", "seq"}, NULL},
	{"handover_open_items", {"id"}, NULL},
	{"patrols", {"id"}, NULL},
	{"patrol_members", {"patrol_id", "user_id"}, NULL},
	{"patrol_checkins", {"id"}, NULL},
	{NULL},
};

const struct fq_dump_table *const fq_dump_tables_default[] = {
	fq_platform_tables, fq_addresses_tables, fq_persons_tables,
	fq_incidents_tables, fq_duty_tables, NULL,
};
