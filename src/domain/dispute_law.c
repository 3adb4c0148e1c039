/* The law of mediation (dispute_law.h): people's and police mediation. */
#include "domain/dispute_law.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/json_write.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/dispute.h"
#include "domain/incident.h"
#include "domain/notify.h"
#include "domain/outbox.h"
#include "domain/work.h"
#include "domain/workdays.h"
#include "store/dispute_law_store.h"
#include "store/dispute_store.h"
#include "store/incident_store.h"
#include "store/search_store.h"
#include "store/work_store.h"

const char *const fq_dispute_procedures[] = {"people", "police", NULL};
const char *const fq_dispute_police_offences[] = {
	"beating",         "minor_injury", "insult",  "defamation",     "false_accusation",
	"property_damage", "disturbing_life", "privacy", "unlawful_entry", NULL,
};
const char *const fq_dispute_police_exclusions[] = {
	"hired_violence", "gang_fight", "provocation", "repeat_offence",
	"new_trouble",    "absconded",  "refused",     NULL,
};
const char *const fq_dispute_penalty_reasons[] = {"failed", "refused", "breach", "new_trouble",
						  "absconded", NULL};

/* A consent's time may run this far ahead of the server's clock (a phone's). */
#define CLOCK_SLACK_MS (5 * 60 * 1000LL)

/* Who may preside over police mediation: police, not outside mediators. */
static const char *const police_roles[] = {"chief", "officer", NULL};

static int index_of(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return i;
	return -1;
}

static enum fq_err store_fail(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? c->e->err : fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
}

static int64_t day_of(const struct fq_ctx *c, int64_t ms)
{
	return fq_time_local_day(ms, c->cfg->utc_offset_minutes, NULL);
}

static const char *day_text(struct fq_ctx *c, int64_t day)
{
	char buf[16];

	fq_date_format(day, buf, sizeof(buf));
	return fq_arena_strdup(c->arena, buf);
}

static const char *time_text(struct fq_ctx *c, int64_t ms)
{
	char buf[40];

	fq_time_format(ms, buf, sizeof(buf));
	return fq_arena_strdup(c->arena, buf);
}

static bool unit_of(struct fq_ctx *c, const struct fq_dispute_row *row)
{
	return fq_principal_may(c->who, "dispute.write") &&
	       fq_principal_sees(c->who, row->org_path);
}

/* The dispute's procedure: its row, or people's mediation accepted at
 * registration when it has none. */
static enum fq_err procedure_of(struct fq_ctx *c, const struct fq_dispute_row *row,
				struct fq_dispute_law_row *p, bool *stored)
{
	enum fq_err err = fq_store_dispute_law_row(c->db, row->id, p);
	int64_t created = 0, sessions;

	*stored = !err;
	if (err != FQ_ERR_NOT_FOUND)
		return err ? store_fail(c, err) : FQ_OK;
	memset(p, 0, sizeof(*p));
	snprintf(p->procedure, sizeof(p->procedure), "people");
	err = fq_store_dispute_law_basics(c->db, row->id, &created, &sessions);
	if (err)
		return store_fail(c, err);
	p->accepted_at = created;
	p->target_day = fq_date_add(day_of(c, created), c->cfg->dispute_people_days);
	return FQ_OK;
}

/* The row exists (people's by default) before a flag or hand-off updates it. */
static enum fq_err ensure_row(struct fq_ctx *c, const struct fq_dispute_row *row,
			      struct fq_dispute_law_row *p)
{
	bool stored;
	enum fq_err err = procedure_of(c, row, p, &stored);

	if (!err && !stored && (err = fq_store_dispute_law_put(c->db, row->id, p, c->who->user_id,
							       fq_time_now_ms())) != FQ_OK)
		return store_fail(c, err);
	return err;
}

static bool police(const struct fq_dispute_law_row *p)
{
	return !strcmp(p->procedure, "police");
}

/* An active police user (chief or officer) of the dispute's station. */
static enum fq_err check_officer(struct fq_ctx *c, const struct fq_dispute_row *row,
				 int64_t user_id, const char *field)
{
	return fq_dispute_check_staff(c, row, user_id, field, police_roles, "not_police",
				      "police mediation is presided over by a police officer, not "
				      "an outside mediator");
}

/* ---- choosing the procedure ---- */

static enum fq_err check_police(struct fq_ctx *c, const struct fq_dispute_procedure_in *in,
				struct fq_dispute_law_row *p)
{
	char field[64];
	size_t used = 0;

	if (!in->offence)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "offence",
			       "police mediation needs the offence");
	if (index_of(fq_dispute_police_offences, in->offence) < 0)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "ineligible_offence", "offence",
			       "police mediation is only for minor offences arising from civil "
			       "disputes (《公安机关治安调解工作规范》 art. 3)");
	for (int i = 0; fq_dispute_police_exclusions[i]; i++) {
		snprintf(field, sizeof(field), "exclusions.%s", fq_dispute_police_exclusions[i]);
		if (!in->exclusion_given[i])
			return fq_fail(c->e, FQ_ERR_INVALID, "required", field,
				       "confirm whether %s applies",
				       fq_dispute_police_exclusions[i]);
		if (in->exclusion_applies[i])
			return fq_fail(c->e, FQ_ERR_CONFLICT, "excluded", field,
				       "police mediation does not apply: %s "
				       "(《公安机关治安调解工作规范》 art. 4)",
				       fq_dispute_police_exclusions[i]);
		used += (size_t)snprintf(p->exclusions_checked + used,
					 sizeof(p->exclusions_checked) - used, "%s%s",
					 used ? " " : "", fq_dispute_police_exclusions[i]);
	}
	if (!in->presiding_user_id)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "presiding_user_id",
			       "name the officer who presides");
	snprintf(p->offence, sizeof(p->offence), "%s", in->offence);
	p->presiding_user = in->presiding_user_id;
	p->assessed_at = in->assessed_at;
	return FQ_OK;
}

enum fq_err fq_dispute_procedure_set(struct fq_ctx *c, int64_t id,
				     const struct fq_dispute_procedure_in *in)
{
	struct fq_dispute_row row;
	struct fq_dispute_law_row p = {0}, old;
	int64_t sessions = 0, created, now = fq_time_now_ms();
	bool stored, is_police = in->procedure && !strcmp(in->procedure, "police");
	enum fq_err err = fq_dispute_load(c, id, &row, true, is_police);

	if (!err)
		err = procedure_of(c, &row, &old, &stored);
	if (err)
		return err;
	if (old.penalty_at)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "handed_to_penalty", "procedure",
			       "the case was handed to the penalty procedure");
	/* Leaving police mediation is the unit's decision too. */
	if (police(&old) && !unit_of(c, &row))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, "not_in_scope", "procedure",
			       "only the dispute's unit may change a police mediation");
	err = fq_store_dispute_law_basics(c->db, id, &created, &sessions);
	if (err)
		return store_fail(c, err);
	if (sessions && strcmp(old.procedure, in->procedure))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "sessions_exist", "procedure",
			       "the procedure is chosen before the first session");
	snprintf(p.procedure, sizeof(p.procedure), "%s", in->procedure);
	p.accepted_at = in->accepted_at ? in->accepted_at : old.accepted_at;
	if (p.accepted_at > now)
		return fq_fail(c->e, FQ_ERR_INVALID, "future", "accepted_at",
			       "acceptance cannot be in the future");
	if (in->assessed_at && in->assessed_at < p.accepted_at)
		return fq_fail(c->e, FQ_ERR_INVALID, "before_acceptance", "assessed_at",
			       "the assessment comes after acceptance");
	if (in->assessed_at > now)
		return fq_fail(c->e, FQ_ERR_INVALID, "future", "assessed_at",
			       "the assessment cannot be in the future");
	if (is_police) {
		err = check_police(c, in, &p);
		if (!err)
			err = check_officer(c, &row, in->presiding_user_id, "presiding_user_id");
		if (err)
			return err;
	} else {
		/* An extension recorded earlier keeps the target it set. */
		p.target_day = fq_date_add(day_of(c, p.accepted_at), c->cfg->dispute_people_days);
		if (stored && !police(&old) && old.target_day > p.target_day &&
		    old.accepted_at == p.accepted_at)
			p.target_day = old.target_day;
	}
	err = fq_store_dispute_law_put(c->db, id, &p, c->who->user_id, now);
	return err ? store_fail(c, err) : FQ_OK;
}

/* ---- police sessions ---- */

/* The last day the session number n (0 first, 1 second) may be held on,
 * given the days of the sessions before it; *from is the day counted from. */
static enum fq_err due_day(struct fq_ctx *c, const struct fq_dispute_law_row *p, int n,
			   int64_t first_day, int64_t *from, int64_t *due, int *unloaded)
{
	enum fq_err err;

	if (n == 0) {
		*from = day_of(c, p->accepted_at);
		if (p->assessed_at && day_of(c, p->assessed_at) > *from)
			*from = day_of(c, p->assessed_at);
		err = fq_workdays_add(c, *from, FQ_POLICE_FIRST_DAYS, due, unloaded);
	} else {
		*from = first_day;
		err = fq_workdays_add(c, *from, FQ_POLICE_SECOND_DAYS, due, unloaded);
	}
	return err;
}

/* The day of the dispute's first session other than sid (0: none). */
static enum fq_err sessions_of(struct fq_ctx *c, int64_t id, int64_t except, int64_t *count,
			       int64_t *first_day)
{
	enum fq_err err;
	json_t *rows = fq_store_dispute_law_sessions(c->db, id, &err), *s;
	size_t i;

	if (!rows)
		return store_fail(c, err);
	*count = 0;
	*first_day = 0;
	json_array_foreach(rows, i, s) {
		int64_t sid = json_integer_value(json_object_get(s, "id"));

		if (sid == except)
			continue;
		if (!*count)
			*first_day = day_of(c, json_integer_value(json_object_get(s, "starts_t")));
		++*count;
	}
	json_decref(rows);
	return FQ_OK;
}

static enum fq_err check_deadline(struct fq_ctx *c, const struct fq_dispute_law_row *p, int n,
				  int64_t first_day, int64_t starts_at)
{
	int64_t day = day_of(c, starts_at), from, due;
	int unloaded = 0;
	enum fq_err err = due_day(c, p, n, first_day, &from, &due, &unloaded);

	if (err)
		return err;
	if (n == 0 && day < day_of(c, p->accepted_at))
		return fq_fail(c->e, FQ_ERR_INVALID, "before_acceptance", "starts_at",
			       "a session cannot come before the case was accepted (%s)",
			       day_text(c, day_of(c, p->accepted_at)));
	if (n == 1 && day < first_day)
		return fq_fail(c->e, FQ_ERR_INVALID, "before_first", "starts_at",
			       "the second session comes after the first (%s)",
			       day_text(c, first_day));
	if (day > due)
		return fq_fail(c->e, FQ_ERR_CONFLICT, n ? "second_session_late" : "first_session_late",
			       "starts_at",
			       n ? "the second police-mediation session must be held within %d "
				   "working days of the first: by %s (《公安机关治安调解工作规范》 art. 9)"
				 : "the first police-mediation session must be held within %d "
				   "working days of acceptance or assessment: by %s "
				   "(《公安机关治安调解工作规范》 art. 9)",
			       n ? FQ_POLICE_SECOND_DAYS : FQ_POLICE_FIRST_DAYS, day_text(c, due));
	return FQ_OK;
}

/* Age in whole years on day of a birth date "YYYY-MM-DD"; -1 unknown. */
static int age_on(const char *birth, int64_t day)
{
	int y, m, d;

	if (!birth || sscanf(birth, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	return (int)((day - ((int64_t)y * 10000 + m * 100 + d)) / 10000);
}

static bool has_guardian(const struct fq_dispute_law_session *law, int64_t person_id)
{
	for (int k = 0; law && k < law->nguardians; k++)
		if (law->guardians[k].person_id == person_id)
			return true;
	return false;
}

/* Both sides consent; each party under 18 on day has a guardian. */
static enum fq_err check_parties(struct fq_ctx *c, int64_t id, int64_t day,
				 const struct fq_dispute_law_session *law)
{
	enum fq_err err;
	json_t *parties = fq_store_dispute_parties(c->db, id, &err), *pt;
	size_t i;

	if (!parties)
		return store_fail(c, err);
	err = FQ_OK;
	json_array_foreach(parties, i, pt) {
		const char *role = json_string_value(json_object_get(pt, "role"));
		const char *consent = json_string_value(json_object_get(pt, "consent"));
		const char *name = json_string_value(json_object_get(pt, "name"));
		int64_t pid = json_integer_value(json_object_get(pt, "person_id"));
		int age = age_on(json_string_value(json_object_get(pt, "birth_date")), day);

		if (strcmp(role, "third_party") && strcmp(consent, "given")) {
			err = fq_fail(c->e, FQ_ERR_CONFLICT, "consent_missing", "consent",
				      "police mediation needs the consent of both sides: %s has not "
				      "given it (《公安机关治安调解工作规范》 art. 3)",
				      name ? name : "a party");
			break;
		}
		if (age >= 0 && age < FQ_ADULT_AGE && !has_guardian(law, pid)) {
			err = fq_fail(c->e, FQ_ERR_CONFLICT, "guardian_required", "guardians",
				      "%s is under 18 on the session's day: a parent or guardian "
				      "must be present",
				      name ? name : "a party");
			break;
		}
	}
	json_decref(parties);
	return err;
}

enum fq_err fq_dispute_law_session_check(struct fq_ctx *c, const struct fq_dispute_row *row,
					 const struct fq_dispute_session_in *in)
{
	struct fq_dispute_law_row p;
	int64_t count, first_day;
	bool stored;
	enum fq_err err = procedure_of(c, row, &p, &stored);

	if (err || !police(&p))
		return err;
	if (p.penalty_at)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "handed_to_penalty", NULL,
			       "the case was handed to the penalty procedure");
	if (!in->law || !in->law->presiding_user_id)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "presiding_user_id",
			       "a police-mediation session names the officer who presides");
	err = check_officer(c, row, in->law->presiding_user_id, "presiding_user_id");
	if (!err)
		err = sessions_of(c, row->id, 0, &count, &first_day);
	if (err)
		return err;
	if (count >= FQ_POLICE_MAX_SESSIONS)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "too_many_sessions", NULL,
			       "police mediation has at most %d sessions "
			       "(《公安机关治安调解工作规范》 art. 9): hand the case to the penalty "
			       "procedure",
			       FQ_POLICE_MAX_SESSIONS);
	err = check_deadline(c, &p, (int)count, first_day, in->starts_at);
	if (!err)
		err = check_parties(c, row->id, day_of(c, in->starts_at), in->law);
	return err;
}

enum fq_err fq_dispute_law_session_record(struct fq_ctx *c, int64_t id, int64_t sid,
					  const struct fq_dispute_session_in *in)
{
	json_t *g;
	char *text;
	enum fq_err err;

	if (!in->law)
		return FQ_OK;
	g = json_array();
	for (int k = 0; g && k < in->law->nguardians; k++)
		json_array_append_new(g, json_pack("{s:I,s:s,s:s}", "person_id",
						   (json_int_t)in->law->guardians[k].person_id,
						   "name", in->law->guardians[k].name, "relation",
						   in->law->guardians[k].relation));
	text = g ? fq_json_dumps(g, JSON_COMPACT) : NULL;
	json_decref(g);
	err = text ? fq_store_dispute_law_session_insert(c->db, sid, id,
							 in->law->presiding_user_id, text)
		   : FQ_ERR_NOMEM;
	free(text);
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_dispute_law_session_moved(struct fq_ctx *c, const struct fq_dispute_row *row,
					 int64_t sid, int64_t starts_at)
{
	struct fq_dispute_law_row p;
	int64_t count, first_day, n = 0;
	bool stored;
	enum fq_err err = procedure_of(c, row, &p, &stored);
	json_t *rows, *s;
	size_t i;

	if (err || !police(&p))
		return err;
	/* Which session it is: its place among the others by start. */
	rows = fq_store_dispute_law_sessions(c->db, row->id, &err);
	if (!rows)
		return store_fail(c, err);
	json_array_foreach(rows, i, s) {
		if (json_integer_value(json_object_get(s, "id")) == sid)
			break;
		n++;
	}
	json_decref(rows);
	err = sessions_of(c, row->id, sid, &count, &first_day);
	if (err)
		return err;
	return check_deadline(c, &p, n ? 1 : 0, first_day, starts_at);
}

enum fq_err fq_dispute_law_concluded(struct fq_ctx *c, int64_t id)
{
	struct fq_dispute_row row;
	struct fq_dispute_law_row p;
	int64_t all, a, r, refused = 0;
	enum fq_err err = fq_store_dispute_party_counts(c->db, id, &all, &a, &r, &refused);

	if (err)
		return store_fail(c, err);
	if (!refused)
		return FQ_OK;
	err = fq_dispute_load(c, id, &row, false, false);
	if (!err)
		err = ensure_row(c, &row, &p);
	if (!err && (err = fq_store_dispute_law_basis(c->db, id, "refused")) != FQ_OK)
		return store_fail(c, err);
	return err;
}

enum fq_err fq_dispute_law_sign(struct fq_ctx *c, int64_t id, int64_t sid)
{
	struct fq_dispute_row row;
	enum fq_err err = fq_dispute_load(c, id, &row, false, false);
	json_t *rows, *s, *found = NULL;
	int64_t changes = 0;
	size_t i;

	if (err)
		return err;
	rows = fq_store_dispute_law_sessions(c->db, id, &err);
	if (!rows)
		return store_fail(c, err);
	json_array_foreach(rows, i, s)
		if (json_integer_value(json_object_get(s, "id")) == sid)
			found = s;
	if (!found)
		err = fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, NULL, "no such session");
	else if (json_is_null(json_object_get(found, "presiding_user")))
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "not_police_session", NULL,
			      "only a police-mediation session is signed by its officer");
	else if (json_integer_value(json_object_get(found, "presiding_user")) != c->who->user_id)
		err = fq_fail(c->e, FQ_ERR_FORBIDDEN, "not_presiding", NULL,
			      "only the presiding officer signs the record");
	else if (!json_is_string(json_object_get(found, "result")))
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "not_held", "result",
			      "record the session's result before signing");
	json_decref(rows);
	if (err)
		return err;
	err = fq_store_dispute_law_sign(c->db, sid, c->who->user_id, fq_time_now_ms(), &changes);
	if (err)
		return store_fail(c, err);
	return changes ? FQ_OK
		       : fq_fail(c->e, FQ_ERR_CONFLICT, "signed", NULL, "the record is signed already");
}

/* ---- people's mediation ---- */

enum fq_err fq_dispute_law_extend(struct fq_ctx *c, int64_t id, int64_t to_day,
				  const char *reason, const int64_t *person_ids,
				  const int64_t *consent_at, int n)
{
	struct fq_dispute_row row;
	struct fq_dispute_law_row p;
	int64_t now = fq_time_now_ms();
	enum fq_err err = fq_dispute_load(c, id, &row, true, false);
	json_t *parties, *pt, *consents;
	char *text;
	size_t i;

	if (!err)
		err = ensure_row(c, &row, &p);
	if (err)
		return err;
	if (police(&p))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "police_procedure", "procedure",
			       "police mediation has no target to extend: its sessions have "
			       "their own deadlines");
	if (to_day <= p.target_day)
		return fq_fail(c->e, FQ_ERR_INVALID, "not_later", "due_date",
			       "the new target must be after the current one (%s)",
			       day_text(c, p.target_day));
	if (to_day > fq_date_add(p.target_day, FQ_EXTENSION_MAX_DAYS))
		return fq_fail(c->e, FQ_ERR_INVALID, "too_far", "due_date",
			       "one extension moves the target at most %d days (to %s)",
			       FQ_EXTENSION_MAX_DAYS,
			       day_text(c, fq_date_add(p.target_day, FQ_EXTENSION_MAX_DAYS)));
	for (int k = 0; k < n; k++)
		if (consent_at[k] > now + CLOCK_SLACK_MS ||
		    day_of(c, consent_at[k]) < day_of(c, p.accepted_at))
			return fq_fail(c->e, FQ_ERR_INVALID, "bad_time",
				       fq_arena_printf(c->arena, "consents[%d].at", k),
				       "a consent is given on or after the day of acceptance, and not in the future");
	parties = fq_store_dispute_parties(c->db, id, &err);
	if (!parties)
		return store_fail(c, err);
	consents = json_array();
	json_array_foreach(parties, i, pt) {
		int64_t pid = json_integer_value(json_object_get(pt, "person_id"));
		bool side = strcmp(json_string_value(json_object_get(pt, "role")), "third_party");
		int k;

		for (k = 0; k < n && person_ids[k] != pid; k++)
			;
		if (side && k == n) {
			err = fq_fail(c->e, FQ_ERR_CONFLICT, "consent_missing", "consents",
				      "an extension needs the consent of both parties: %s's is not "
				      "recorded",
				      json_string_value(json_object_get(pt, "name")));
			break;
		}
		if (k < n)
			json_array_append_new(consents, json_pack("{s:I,s:I}", "person_id",
								  (json_int_t)pid, "at",
								  (json_int_t)consent_at[k]));
	}
	for (int k = 0; !err && k < n; k++) {
		bool party = false;

		json_array_foreach(parties, i, pt)
			party = party ||
				json_integer_value(json_object_get(pt, "person_id")) == person_ids[k];
		if (!party)
			err = fq_fail(c->e, FQ_ERR_INVALID, "not_party",
				      fq_arena_printf(c->arena, "consents[%d].person_id", k),
				      "not a party of the dispute");
	}
	json_decref(parties);
	text = err ? NULL : fq_json_dumps(consents, JSON_COMPACT);
	json_decref(consents);
	if (err)
		return err;
	err = text ? fq_store_dispute_law_extend(c->db, id, p.target_day, to_day, reason, text,
						 c->who->user_id, now)
		   : FQ_ERR_NOMEM;
	free(text);
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_dispute_law_flag(struct fq_ctx *c, int64_t id, const char *reason)
{
	struct fq_dispute_row row;
	struct fq_dispute_law_row p;
	struct fq_station st;
	int64_t changes = 0;
	const char *dedup;
	enum fq_err err = fq_dispute_load(c, id, &row, true, false);
	json_t *chiefs, *u, *payload;
	size_t i;

	if (!err)
		err = ensure_row(c, &row, &p);
	if (err)
		return err;
	err = fq_store_dispute_law_flag(c->db, id, reason, c->who->user_id, fq_time_now_ms(),
					&changes);
	if (err)
		return store_fail(c, err);
	if (!changes)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "flagged", NULL,
			       "the dispute is flagged already");
	err = fq_store_station_of(c->db, row.org_path, &st);
	chiefs = err ? NULL : fq_store_work_users_above(c->db, "chief", st.path, &err);
	if (!chiefs)
		return store_fail(c, err);
	dedup = fq_arena_printf(c->arena, "may_turn_criminal:%lld", (long long)id);
	json_array_foreach(chiefs, i, u) {
		err = fq_notify(c, json_integer_value(json_object_get(u, "id")),
				"dispute_may_turn_criminal", "dispute", id,
				json_pack("{s:s,s:s}", "number", row.number, "reason", reason), dedup);
		if (err)
			break;
	}
	json_decref(chiefs);
	if (err)
		return err;
	payload = json_pack("{s:s,s:s}", "number", row.number, "reason", reason);
	err = payload ? fq_outbox_enqueue(c, st.id, "dispute.may_turn_criminal", payload)
		      : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	json_decref(payload);
	return err;
}

/* ---- hand-off to the penalty procedure ---- */

static enum fq_err incident_step(struct fq_ctx *c, int64_t id, const char *number,
				 const char *reason, const char *note, int64_t now)
{
	int64_t incident_id = 0;
	char status[32] = "";
	const char *name = c->who->display_name ? c->who->display_name : c->who->username;
	json_t *params;
	enum fq_err err = fq_store_dispute_law_incident(c->db, id, &incident_id, status);

	if (err || !incident_id)
		return err ? store_fail(c, err) : FQ_OK;
	params = json_pack("{s:{s:I,s:s},s:s}", "dispute", "id", (json_int_t)id, "number", number,
			   "reason", reason);
	err = params ? fq_store_incident_step(c->db, incident_id, "to_penalty", status,
					      c->who->user_id, name, "to_penalty", params, note,
					      now)
		     : FQ_ERR_NOMEM;
	json_decref(params);
	if (!err)
		err = fq_search_index(c->db, fq_incident_search, incident_id);
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_dispute_law_penalty(struct fq_ctx *c, int64_t id, const char *reason,
				   const char *note)
{
	struct fq_dispute_row row;
	struct fq_dispute_law_row p;
	int64_t now = fq_time_now_ms(), changes = 0;
	enum fq_err err = fq_dispute_load(c, id, &row, false, true);
	json_t *sessions = NULL, *s;
	size_t i;
	int held = 0, agreed = 0;
	bool open;

	if (!err)
		err = ensure_row(c, &row, &p);
	if (err)
		return err;
	open = strcmp(row.status, "closed") != 0;
	if (!police(&p))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "not_police", "procedure",
			       "only a police mediation is handed to the penalty procedure");
	sessions = fq_store_dispute_law_sessions(c->db, id, &err);
	if (!sessions)
		return store_fail(c, err);
	json_array_foreach(sessions, i, s) {
		const char *result = json_string_value(json_object_get(s, "result"));

		held += result != NULL;
		agreed += result && !strcmp(result, "agreed");
	}
	json_decref(sessions);
	if (!strcmp(reason, "failed") && (!held || agreed))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "not_failed", "reason",
			       "mediation failed only after a session held without agreement");
	if (!strcmp(reason, "breach") && open)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "no_agreement", "reason",
			       "a breach is of an agreement: the dispute is not concluded");
	if (strcmp(reason, "breach") && !open)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "concluded", "reason",
			       "the dispute is concluded: only a breach of its agreement hands it on");
	err = fq_store_dispute_law_penalty(c->db, id, reason, note, c->who->user_id, now, &changes);
	if (!err && !changes)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "handed_to_penalty", NULL,
			       "the case was handed to the penalty procedure already");
	if (!err && open)
		err = fq_store_dispute_conclude(
			c->db, id, "failed",
			fq_arena_printf(c->arena, "to_penalty: %s%s%s", reason, note ? " — " : "",
					note ? note : ""),
			c->who->user_id, now);
	if (err)
		return store_fail(c, err);
	return incident_step(c, id, row.number, reason, note, now);
}

/* ---- reading ---- */

static void add_missing(json_t *missing, const char *code, int64_t person_id)
{
	json_t *m = json_pack("{s:s}", "code", code);

	if (m && person_id)
		json_object_set_new(m, "person_id", json_integer(person_id));
	json_array_append_new(missing, m);
}

static enum fq_err police_view(struct fq_ctx *c, const struct fq_dispute_row *row,
			       const struct fq_dispute_law_row *p, json_t *out)
{
	enum fq_err err;
	json_t *sessions = fq_store_dispute_law_sessions(c->db, row->id, &err), *s;
	json_t *parties = NULL, *pt, *missing = json_object_get(out, "missing"), *due;
	int64_t count = json_array_size(sessions), first_day = 0, from, day, today;
	int unloaded = 0;
	size_t i;

	if (!sessions)
		return store_fail(c, err);
	today = day_of(c, fq_time_now_ms());
	json_array_foreach(sessions, i, s) {
		json_t *g = json_loads(json_string_value(json_object_get(s, "guardians")), 0, NULL);

		json_object_set_new(s, "guardians", g ? g : json_array());
		if (!i)
			first_day = day_of(c, json_integer_value(json_object_get(s, "starts_t")));
		json_object_set_new(s, "starts_at", json_string(
						  time_text(c,
						   json_integer_value(json_object_get(s, "starts_t")))));
		json_object_del(s, "starts_t");
		if (json_is_string(json_object_get(s, "result")) &&
		    json_is_null(json_object_get(s, "signed_by")))
			add_missing(missing, "signature", json_integer_value(json_object_get(s, "id")));
	}
	json_object_set_new(out, "sessions", sessions);
	due = json_object();
	err = due_day(c, p, 0, 0, &from, &day, &unloaded);
	if (!err) {
		json_object_set_new(due, "first_session", json_pack("{s:s,s:s,s:b,s:b}", "from",
			day_text(c, from), "by", day_text(c, day), "held", count > 0, "overdue",
			count == 0 && today > day));
	}
	if (!err && count >= 1) {
		err = due_day(c, p, 1, first_day, &from, &day, &unloaded);
		if (!err)
			json_object_set_new(due, "second_session", json_pack("{s:s,s:s,s:b,s:b}",
				"from", day_text(c, from), "by", day_text(c, day), "held", count > 1,
				"overdue", false));
	}
	json_object_set_new(out, "due", due);
	json_object_set_new(out, "unloaded_year", unloaded ? json_integer(unloaded) : json_null());
	json_object_set_new(out, "sessions_left",
			    json_integer(count < FQ_POLICE_MAX_SESSIONS ? FQ_POLICE_MAX_SESSIONS - count : 0));
	if (err)
		return err;
	parties = fq_store_dispute_parties(c->db, row->id, &err);
	if (!parties)
		return store_fail(c, err);
	json_array_foreach(parties, i, pt) {
		int64_t pid = json_integer_value(json_object_get(pt, "person_id"));
		int age = age_on(json_string_value(json_object_get(pt, "birth_date")), today);

		if (strcmp(json_string_value(json_object_get(pt, "role")), "third_party") &&
		    strcmp(json_string_value(json_object_get(pt, "consent")), "given"))
			add_missing(missing, "consent", pid);
		if (age >= 0 && age < FQ_ADULT_AGE)
			add_missing(missing, "guardian", pid);
	}
	json_decref(parties);
	if (!p->presiding_user)
		add_missing(missing, "officer", 0);
	return FQ_OK;
}

json_t *fq_dispute_procedure_get(struct fq_ctx *c, int64_t id)
{
	struct fq_dispute_row row;
	struct fq_dispute_law_row p;
	bool stored, open;
	enum fq_err err = fq_dispute_load(c, id, &row, false, false);
	json_t *out = NULL, *a;

	if (!err)
		err = procedure_of(c, &row, &p, &stored);
	if (err)
		return NULL;
	open = strcmp(row.status, "closed") != 0;
	out = stored ? fq_store_dispute_law_json(c->db, id, &err) : json_object();
	if (!out) {
		store_fail(c, err);
		return NULL;
	}
	json_object_set_new(out, "procedure", json_string(p.procedure));
	json_object_set_new(out, "accepted_at", json_string(time_text(c, p.accepted_at)));
	json_object_set_new(out, "missing", json_array());
	json_object_set_new(out, "rules",
			    police(&p) ? json_pack("[s,s,s,s,s,s,s]", "eligible_offence", "no_exclusion",
						   "both_consent", "guardian_under_18",
						   "two_sessions", "working_day_deadlines",
						   "officer_presides")
				       : json_pack("[s,s,s]", "refusal_stops", "target_days",
						   "may_turn_criminal"));
	if (police(&p)) {
		err = police_view(c, &row, &p, out);
	} else {
		int64_t today = day_of(c, fq_time_now_ms());
		json_t *ext = fq_store_dispute_law_extensions(c->db, id, &err), *e;
		size_t i;

		if (ext) {
			json_array_foreach(ext, i, e) {
				json_t *cs = json_loads(json_string_value(json_object_get(e, "consents")),
							0, NULL);

				json_object_set_new(e, "consents", cs ? cs : json_array());
				json_object_set_new(e, "from", json_string(day_text(c,
					json_integer_value(json_object_get(e, "from_day")))));
				json_object_set_new(e, "to", json_string(day_text(c,
					json_integer_value(json_object_get(e, "to_day")))));
				json_object_del(e, "from_day");
				json_object_del(e, "to_day");
			}
			json_object_set_new(out, "extensions", ext);
			json_object_set_new(out, "due", json_pack("{s:{s:s,s:b}}", "target", "by",
				day_text(c, p.target_day), "overdue", open && today > p.target_day));
		} else {
			store_fail(c, err);
		}
	}
	json_object_del(out, "target_day");
	if (err || c->e->err) {
		json_decref(out);
		return NULL;
	}
	a = json_array();
	if (open && fq_principal_may(c->who, "dispute.mediate")) {
		json_array_append_new(a, json_string("set_procedure"));
		json_array_append_new(a, json_string(police(&p) ? "police_session" : "extend"));
		if (!p.criminal_risk_at)
			json_array_append_new(a, json_string("may_turn_criminal"));
	}
	if (police(&p) && !p.penalty_at && unit_of(c, &row))
		json_array_append_new(a, json_string("to_penalty"));
	json_object_set_new(out, "actions", a);
	return out;
}

/* ---- the presiding officer's work queue ---- */

enum fq_err fq_dispute_law_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	json_t *rows, *r;
	size_t i;

	if (!fq_principal_may(c->who, "dispute.mediate"))
		return FQ_OK;
	rows = fq_store_dispute_law_work(c->db, c->who->user_id, FQ_WORK_PER_KIND, &err);
	if (!rows)
		return store_fail(c, err);
	json_array_foreach(rows, i, r) {
		struct fq_dispute_law_row p = {0};
		int64_t n = json_integer_value(json_object_get(r, "sessions")), from, due, due_ms;
		int unloaded;

		if (n >= FQ_POLICE_MAX_SESSIONS)
			continue;
		p.accepted_at = json_integer_value(json_object_get(r, "accepted_t"));
		p.assessed_at = json_integer_value(json_object_get(r, "assessed_t"));
		err = due_day(c, &p, (int)n,
			      n ? day_of(c, json_integer_value(json_object_get(r, "first_t"))) : 0,
			      &from, &due, &unloaded);
		if (err)
			break;
		/* Due at the end of the last day: the start of the next. */
		if (!fq_time_day_start(fq_date_add(due, 1), c->cfg->utc_offset_minutes, &due_ms))
			continue;
		err = fq_work_add(list, &(struct fq_work_item){
			.kind = "dispute_police_session",
			.why = n ? "second_session" : "first_session",
			.title = json_string_value(json_object_get(r, "number")),
			.since = p.accepted_at,
			.due = due_ms,
			.route = "dispute",
			.id = json_integer_value(json_object_get(r, "id")),
			.params = json_pack("{s:s,s:O,s:O}", "by", day_text(c, due), "type",
					    json_object_get(r, "type"), "tier", json_object_get(r, "tier")),
		});
		if (err)
			break;
	}
	json_decref(rows);
	(void)now;
	return err && !c->e->err ? fq_fail(c->e, err, NULL, NULL, NULL) : err;
}
