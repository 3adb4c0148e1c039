/* The API test harness: drives the real router in-process (no sockets), the
 * way h2o's t/00unit does. api_env_new() gives each test a fresh store, set up
 * as `fengqiao init` does and seeded with a small org tree and one user per
 * role; api_call() runs one request through fq_app_handle and hands back the
 * status and the parsed JSON.
 *
 * The seeded world (every password is API_PASSWORD):
 *
 *   root (bureau) > br1 (branch) > stA (station) > beatA (beat) > gA1, gA2 (grid)
 *                                > stB (station) > gB1 (grid)
 *
 *   in stA: sysadmin, secadmin, auditor, chief, officer, aux, mediator,
 *           counselor, volunteer, resident, newbie (an officer who must change
 *           the password); in stB: officer.b (an officer).
 *
 * sysadmin, secadmin, auditor and chief must enrol TOTP before they can do
 * anything: api_login_enrolled() does that on first sign-in and keeps the
 * secret, so later sign-ins send a code. */
#ifndef FQ_API_HARNESS_H
#define FQ_API_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "test.h"

struct fq_app;
typedef struct json_t json_t;

#define API_PASSWORD "Fengqiao#2026"
/* A valid ID number (GB 11643), a woman born 1949-12-31. */
#define API_ID_NUMBER "11010519491231002X"
#define API_MAX_USERS 16

struct api_user {
	const char *username;
	const char *role;
	int64_t id;
	char password[64];
	char totp_secret[64];   /* set once enrolled */
	int64_t totp_last_step; /* the last TOTP step used, as the server keeps it */
};

struct api_env {
	char dir[64];
	char db_path[128];
	struct fq_app *app;
	/* org units */
	int64_t root, branch, st_a, beat_a, g_a1, g_a2, st_b, g_b1;
	struct api_user users[API_MAX_USERS];
	int nusers;
};

/* A caller: the session of a signed-in user, an API token, or nobody. */
struct api_client {
	char cookie[128];        /* value of fq_session; "" = none */
	char csrf[96];           /* sent as X-CSRF-Token; "" = none */
	char bearer[128];        /* sent as Authorization: Bearer …; "" = none */
	const char *client_addr; /* NULL = 127.0.0.1 */
	int64_t user_id;
};

struct api_resp {
	int status;
	json_t *json;     /* the parsed body; NULL when it is not JSON */
	char *set_cookie; /* the Set-Cookie value, or NULL */
	char *body;       /* the body as sent, NUL-terminated */
	size_t body_len;
	char *content_type;
	char *disposition; /* Content-Disposition, or NULL */
	/* A long poll with may_wait that found nothing new: the server would
	 * park it (no answer yet) until a write within or above wait_scope. */
	bool waits;
	char *wait_scope;
	long long retry_after; /* Retry-After seconds; 0: none */
};

/* A request with every knob, for what api_call cannot say. */
struct api_raw {
	const char *method;
	const char *target;          /* "/api/x?a=1" */
	const char *body;            /* may be NULL */
	size_t body_len;             /* 0 = strlen(body) */
	const char *content_type;    /* NULL = application/json when there is a body */
	bool no_content_type;        /* send no Content-Type at all */
	bool body_too_large;         /* as the server marks a body over max_body */
	const char *authorization;   /* overrides the client's bearer token */
	const char *csrf;            /* overrides the client's CSRF token */
	const char *forwarded_proto; /* X-Forwarded-Proto */
	const char *accept_language; /* Accept-Language */
	bool may_wait;               /* as the server runs a long poll it can park */
};

/* A fresh world (see above) in a new temporary folder. Aborts the test binary
 * when it cannot be made. */
struct api_env *api_env_new(void);
/* Closes the app and removes the folder. */
void api_env_free(struct api_env *env);

/* The seeded user (NULL when unknown). */
struct api_user *api_user(struct api_env *env, const char *username);
int64_t api_user_id(struct api_env *env, const char *username);

/* Runs method target with body (JSON text, or NULL) as client (NULL = nobody).
 * Free the answer with api_resp_free. */
struct api_resp api_call(struct api_env *env, const struct api_client *client, const char *method,
                         const char *target, const char *body);
/* The same with body built by printf. */
struct api_resp api_callf(struct api_env *env, const struct api_client *client, const char *method,
                          const char *target, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
struct api_resp api_call_raw(struct api_env *env, const struct api_client *client,
                             const struct api_raw *raw);
void api_resp_free(struct api_resp *r);

/* POST /api/session. On 200 fills *client (cookie and CSRF token) and returns
 * 200; else returns the status and leaves *client empty. api_login_full also
 * hands back the whole answer in *out (may be NULL), to api_resp_free. */
int api_login(struct api_env *env, struct api_client *client, const char *username,
              const char *password, const char *totp);
int api_login_full(struct api_env *env, struct api_client *client, const char *username,
                   const char *password, const char *totp, struct api_resp *out);
/* Signs a seeded user in with their password and, for a role that needs it,
 * TOTP: enrols on the first sign-in (POST /api/session/totp and /confirm),
 * sends the next unused code afterwards. Returns true when the session is
 * usable. */
bool api_login_enrolled(struct api_env *env, struct api_client *client, const char *username);
/* A TOTP code of a seeded, enrolled user that the server has not seen used,
 * marked as used (waits for the next 30-second step when the window is
 * spent). */
void api_totp_next(struct api_env *env, const char *username, char code[7]);
/* Starts and confirms TOTP enrolment in client's session; keeps the secret. */
bool api_enrol_totp(struct api_env *env, struct api_client *client, const char *username);

/* An API token for a seeded user with scopes (space-separated) into
 * client->bearer; returns the token id (0 on failure). */
int64_t api_token(struct api_env *env, struct api_client *client, const char *username,
                  const char *scopes);

/* Direct access to the env's store, outside any request. */
int64_t api_count(struct api_env *env,
                  const char *sql); /* first column of first row; -1 on error */
bool api_exec(struct api_env *env, const char *sql);
/* Runs the background sweep (domain/notify.h fq_notify_sweep) at now in a
 * transaction of its own, as `fengqiao serve` does; how many notifications
 * it added, -1 on an error. */
int api_sweep(struct api_env *env, int64_t now);
/* Puts users (by name, NULL-terminated; the first leads) on a shift of
 * station that runs now, as responders. True when it is stored. */
bool api_on_shift(struct api_env *env, int64_t station, const char *const *names);
/* The newest audit entry with action (and, when object_id is not NULL, that
 * object id) as a JSON object, to json_decref; NULL when there is none. */
json_t *api_audit_last(struct api_env *env, const char *action, const char *object_id);

/* Helpers that create records through the API and return the new id (0 on
 * failure, with the answer printed). */
int64_t api_new_address(struct api_env *env, const struct api_client *c, int64_t grid_id,
                        const char *street, const char *door_no);
int64_t api_new_person(struct api_env *env, const struct api_client *c, const char *name,
                       const char *id_number, const char *extra_json);

/* Valid ID number for a birth date and sequence (3 digits), with the check
 * character computed; date is "YYYYMMDD". out: 19 bytes. */
void api_id_number(const char *division6, const char *date8, const char *seq3, char out[19]);

/* JSON accessors by a dotted path ("user.id", "items.0.name"). */
json_t *api_get(json_t *v, const char *path);
const char *api_str(json_t *v, const char *path); /* NULL unless a string */
int64_t api_int(json_t *v, const char *path);     /* 0 unless an integer */
size_t api_len(json_t *v, const char *path);      /* items of an array, else 0 */
bool api_bool(json_t *v, const char *path);

/* Checks that fail the current test and name the caller's line. */
#define check_status(resp, want) api_check_status(__FILE__, __LINE__, &(resp), (want))
#define check_error(resp, status, code, field)                                                     \
	api_check_error(__FILE__, __LINE__, &(resp), (status), (code), (field))
bool api_check_status(const char *file, int line, const struct api_resp *r, int want);
bool api_check_error(const char *file, int line, const struct api_resp *r, int status,
                     const char *code, const char *field);

/* Text of at most 64 KiB built by printf, valid until the 8th next call. */
const char *api_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
