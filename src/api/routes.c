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

	{"GET",    "/api/audit",                 fq_api_audit_list,            "audit.read",    "audit.search",         FQ_AUDIT, "search the audit log"},
	{"GET",    "/api/audit/verify",          fq_api_audit_verify,          "audit.read",    "audit.verify",         FQ_AUDIT, "verify the hash chain"},
};

const int fq_api_routes_count = sizeof(fq_api_routes) / sizeof(fq_api_routes[0]);
