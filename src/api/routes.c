/* The route table of the whole API: who may do what. Every write is audited
 * by the router; FQ_AUDIT marks the reads that are audited too. */
#include "api/api.h"
#include "http/app.h"
#include "http/route.h"

#define PUBLIC FQ_PERM_PUBLIC
#define SIGNED_IN FQ_PERM_SIGNED_IN
#define R FQ_RESTRICTED_OK

const struct fq_route fq_api_routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/healthz",                   fq_api_health,                PUBLIC,          NULL,                   0, "liveness and store check"},
	{"GET",    "/metrics",                   fq_api_metrics,               PUBLIC,          NULL,                   FQ_RAW, "Prometheus metrics"},
	{"GET",    "/api/openapi.json",          fq_api_openapi,               PUBLIC,          NULL,                   FQ_RAW, "this API as OpenAPI 3"},

	{"POST",   "/api/session",               fq_api_session_create,        PUBLIC,          "session.create",       FQ_NO_CSRF, "sign in"},
	{"GET",    "/api/session",               fq_api_session_get,           SIGNED_IN,       NULL,                   R, "the current session"},
	{"DELETE", "/api/session",               fq_api_session_delete,        SIGNED_IN,       "session.delete",       R, "sign out"},
	{"POST",   "/api/session/password",      fq_api_session_password,      SIGNED_IN,       "session.password",     R, "change your password"},
	{"POST",   "/api/session/totp",          fq_api_session_totp_begin,    SIGNED_IN,       "session.totp_begin",   R, "start TOTP enrolment"},
	{"POST",   "/api/session/totp/confirm",  fq_api_session_totp_confirm,  SIGNED_IN,       "session.totp_confirm", R, "finish TOTP enrolment"},

	{"GET",    "/api/roles",                 fq_api_roles_list,            "user.read",     NULL,                   0, "roles and their permissions"},
	{"GET",    "/api/users",                 fq_api_users_list,            "user.read",     NULL,                   0, "list users"},
	{"POST",   "/api/users",                 fq_api_users_create,          "user.write",    "user.create",          0, "create a user"},
	{"GET",    "/api/users/{id}",            fq_api_users_get,             "user.read",     NULL,                   0, "one user"},
	{"PATCH",  "/api/users/{id}",            fq_api_users_update,          "user.write",    "user.update",          0, "change name, org unit, disabled"},
	{"PUT",    "/api/users/{id}/role",       fq_api_users_role,            "role.assign",   "user.role",            0, "give a user a role"},
	{"POST",   "/api/users/{id}/unlock",     fq_api_users_unlock,          "user.write",    "user.unlock",          0, "clear a lockout"},
	{"POST",   "/api/users/{id}/password",   fq_api_users_password,        "user.write",    "user.password_reset",  0, "set a temporary password"},
	{"DELETE", "/api/users/{id}/totp",       fq_api_users_totp_reset,      "user.write",    "user.totp_reset",      0, "remove two-factor sign-in (lost phone)"},

	{"GET",    "/api/orgs",                  fq_api_orgs_list,             "org.read",      NULL,                   0, "the visible org tree"},
	{"POST",   "/api/orgs",                  fq_api_orgs_create,           "org.write",     "org.create",           0, "add an org unit"},
	{"GET",    "/api/orgs/{id}",             fq_api_orgs_get,              "org.read",      NULL,                   0, "one org unit"},
	{"PATCH",  "/api/orgs/{id}",             fq_api_orgs_update,           "org.write",     "org.update",           0, "change an org unit"},

	{"GET",    "/api/addresses",             fq_api_addresses_list,        "address.read",  NULL,                   0, "search standard addresses"},
	{"POST",   "/api/addresses",             fq_api_addresses_create,      "address.write", "address.create",       0, "add a standard address"},
	{"GET",    "/api/addresses/{id}",        fq_api_addresses_get,         "address.read",  NULL,                   0, "one address"},
	{"PATCH",  "/api/addresses/{id}",        fq_api_addresses_update,      "address.write", "address.update",       0, "change an address"},

	{"GET",    "/api/persons",               fq_api_persons_list,          "person.read",   NULL,                   0, "search persons (masked)"},
	{"POST",   "/api/persons",               fq_api_persons_create,        "person.write",  "person.create",        0, "register a person"},
	{"GET",    "/api/persons/{id}",          fq_api_persons_get,           "person.read",   NULL,                   0, "one person (masked)"},
	{"PATCH",  "/api/persons/{id}",          fq_api_persons_update,        "person.write",  "person.update",        0, "change a person"},
	{"POST",   "/api/persons/{id}/unmask",   fq_api_persons_unmask,        "person.unmask", "person.unmask",        0, "show ID number and phone (audited)"},
	{"GET",    "/api/persons/{id}/timeline", fq_api_persons_timeline,      "person.read",   NULL,                   0, "one person, one file"},

	/* Every record type the caller may read; audited as search.person when persons are returned. */
	{"GET",    "/api/search",                fq_api_search,                SIGNED_IN,       NULL,                   0, "search every record type (header search box)"},

	{"GET",    "/api/incidents/dictionary",  fq_api_incidents_dictionary,  "incident.read", NULL,                   0, "channels, categories, disposals and targets"},
	{"GET",    "/api/incidents/board",       fq_api_incidents_board,       "incident.read", NULL,                   FQ_LONG_POLL, "open incidents and staff on duty (long poll with version)"},
	{"GET",    "/api/incidents/daily-clear", fq_api_incidents_daily_clear, "incident.read", NULL,                   0, "the day's incidents not yet disposed"},
	{"GET",    "/api/incidents",             fq_api_incidents_list,        "incident.read", NULL,                   0, "list and full-text search incidents"},
	{"POST",   "/api/incidents",             fq_api_incidents_create,      "incident.write", "incident.create",     0, "register a call (intake)"},
	{"GET",    "/api/incidents/{id}",        fq_api_incidents_get,         "incident.read", NULL,                   0, "one incident with its steps"},
	{"PATCH",  "/api/incidents/{id}",        fq_api_incidents_update,      "incident.write", "incident.update",     0, "correct what intake recorded"},
	{"POST",   "/api/incidents/{id}/dispatch", fq_api_incidents_dispatch,  "incident.write", "incident.dispatch",   0, "send responders on duty"},
	{"POST",   "/api/incidents/{id}/arrive", fq_api_incidents_arrive,      "incident.write", "incident.arrive",     0, "a responder is on scene"},
	{"POST",   "/api/incidents/{id}/handle", fq_api_incidents_handle,      "incident.write", "incident.handle",     0, "start handling on scene"},
	{"POST",   "/api/incidents/{id}/close",  fq_api_incidents_close,       "incident.write", "incident.close",      0, "close with a disposal"},
	{"POST",   "/api/incidents/{id}/followup", fq_api_incidents_followup,  "incident.write", "incident.followup",   0, "follow-up call (回访)"},
	{"POST",   "/api/incidents/{id}/parties", fq_api_incidents_add_party,  "incident.write", "incident.party",      0, "add a person involved"},
	{"POST",   "/api/incidents/{id}/onsite-record", fq_api_incidents_onsite_create, "incident.write", "incident.onsite_record", 0, "seal the on-site closure record"},
	{"GET",    "/api/incidents/{id}/onsite-record", fq_api_incidents_onsite_get, "incident.read", "incident.onsite_read", FQ_AUDIT, "the on-site record with signatures (audited)"},
	{"POST",   "/api/incidents/{id}/convert", fq_api_incidents_convert,    "incident.write", "incident.convert",    0, "turn into a dispute"},
	{"POST",   "/api/incidents/{id}/carry-over", fq_api_incidents_carry_over, "incident.write", "incident.carry_over", 0, "daily clear: carry over with a reason"},

	{"GET",    "/api/duty/template",         fq_api_duty_template_get,     "duty.read",     NULL,                   0, "a station's staffing template (1+3+2)"},
	{"PUT",    "/api/duty/template",         fq_api_duty_template_put,     "duty.override", "duty.template",        0, "set a station's staffing template"},
	{"GET",    "/api/duty/posture",          fq_api_duty_posture_get,      "duty.read",     NULL,                   0, "posture per hour: post or line patrol"},
	{"PUT",    "/api/duty/posture",          fq_api_duty_posture_put,      "duty.write",    "duty.posture",         0, "set the posture of each hour"},
	{"GET",    "/api/duty/staff",            fq_api_duty_staff,            "duty.read",     NULL,                   0, "staff who may hold positions"},
	{"GET",    "/api/shifts",                fq_api_shifts_list,           "duty.read",     NULL,                   0, "shifts of a date range (roster)"},
	{"POST",   "/api/shifts",                fq_api_shifts_create,         "duty.write",    "shift.create",         0, "add a shift with its positions"},
	{"GET",    "/api/shifts/current",        fq_api_shifts_current,        "duty.read",     NULL,                   0, "the shifts running now and their staff"},
	{"GET",    "/api/shifts/{id}",           fq_api_shifts_get,            "duty.read",     NULL,                   0, "one shift"},
	{"PATCH",  "/api/shifts/{id}",           fq_api_shifts_update,         "duty.write",    "shift.update",         0, "change a shift or its positions"},
	{"GET",    "/api/handovers",             fq_api_handovers_list,        "duty.read",     NULL,                   0, "handovers, newest first"},
	{"POST",   "/api/handovers",             fq_api_handovers_create,      "duty.write",    "handover.create",      0, "record a handover (open items filled in)"},
	{"GET",    "/api/handovers/open-items",  fq_api_handovers_open_items,  "duty.read",     NULL,                   0, "open incidents and disputes to hand over"},
	{"GET",    "/api/handovers/{id}",        fq_api_handovers_get,         "duty.read",     NULL,                   0, "one handover"},
	{"POST",   "/api/handovers/{id}/sign",   fq_api_handovers_sign,        "duty.write",    "handover.sign",        0, "sign as the outgoing or incoming leader"},
	{"GET",    "/api/patrols",               fq_api_patrols_list,          "duty.read",     NULL,                   0, "patrols, newest first"},
	{"POST",   "/api/patrols",               fq_api_patrols_create,        "patrol.write",  "patrol.create",        0, "start a patrol (check in)"},
	{"GET",    "/api/patrols/{id}",          fq_api_patrols_get,           "duty.read",     NULL,                   0, "one patrol with its check-ins"},
	{"POST",   "/api/patrols/{id}/checkins", fq_api_patrols_checkin,       "patrol.write",  "patrol.checkin",       0, "check in at a place"},
	{"POST",   "/api/patrols/{id}/end",      fq_api_patrols_end,           "patrol.write",  "patrol.end",           0, "end a patrol (check out) with findings"},

	{"GET",    "/api/audit",                 fq_api_audit_list,            "audit.read",    "audit.search",         FQ_AUDIT, "search the audit log"},
	{"GET",    "/api/audit/verify",          fq_api_audit_verify,          "audit.read",    "audit.verify",         FQ_AUDIT, "verify the hash chain"},
};

const int fq_api_routes_count = sizeof(fq_api_routes) / sizeof(fq_api_routes[0]);
