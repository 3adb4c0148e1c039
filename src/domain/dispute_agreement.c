/* The mediation agreement, its signatures, follow-up visits and judicial
 * confirmation (dispute_agreement.h). */
#include "domain/dispute_agreement.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/json_write.h"
#include "core/time.h"
#include "domain/attachment.h"
#include "domain/ctx.h"
#include "domain/dispute.h"
#include "domain/dispute_watch.h"
#include "domain/work.h"
#include "store/dispute_agreement_store.h"
#include "store/dispute_law_store.h"
#include "store/dispute_store.h"

#define DAY_MS (24LL * 3600 * 1000)

const char *const fq_agreement_forms[] = {"people", "police", NULL};
const char *const fq_agreement_statuses[] = {"draft", "effective", "voided", NULL};
const char *const fq_agreement_results[] = {"performing", "performed", "breached", NULL};
const char *const fq_agreement_judicial[] = {"confirmed", "rejected", NULL};
const char *const fq_agreement_signers[] = {"party", "mediator", NULL};

/* Types of the dictionary that judicial confirmation does not take: the
 * rules on it leave out marriage, adoption and identity-status relations
 * (婚姻关系、收养关系、身份关系), all of which the dictionary files under
 * marriage_family. */
static const char *const unconfirmable_types[] = {"marriage_family", NULL};

static enum fq_err store_fail(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? c->e->err : fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
}

static enum fq_err need_status(struct fq_ctx *c, const struct fq_agreement_row *a,
			       const char *status);

/* The dispute (visible) and its agreement not voided, in status (NULL: any). */
static enum fq_err load(struct fq_ctx *c, int64_t id, struct fq_dispute_row *d,
			struct fq_agreement_row *a, const char *status)
{
	enum fq_err err = fq_dispute_access(c, id, d, NULL);

	if (err)
		return err;
	err = fq_store_agreement_live(c->db, id, a);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, "no_agreement", NULL, "the dispute has no agreement");
	if (err)
		return store_fail(c, err);
	return status ? need_status(c, a, status) : FQ_OK;
}

static enum fq_err need_status(struct fq_ctx *c, const struct fq_agreement_row *a,
			       const char *status)
{
	if (!strcmp(a->status, status))
		return FQ_OK;
	return !strcmp(status, "draft")
		       ? fq_fail(c->e, FQ_ERR_CONFLICT, "in_effect", "status",
				 "the agreement is in effect: it cannot change")
		       : fq_fail(c->e, FQ_ERR_CONFLICT, "not_in_effect", "status",
				 "the agreement is not in effect yet: every party and the "
				 "mediator must sign it first");
}

static enum fq_err check_text(struct fq_ctx *c, const struct fq_agreement_in *in, char **terms)
{
	json_t *a = json_array();

	if (!a)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	if (in->nterms < 1 || in->nterms > FQ_AGREEMENT_MAX_TERMS) {
		json_decref(a);
		return fq_fail(c->e, FQ_ERR_INVALID, in->nterms ? "too_many" : "required", "terms",
			       "an agreement has 1 to %d terms", FQ_AGREEMENT_MAX_TERMS);
	}
	for (int k = 0; k < in->nterms; k++) {
		const struct fq_agreement_term *t = &in->terms[k];

		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s?}", "what", t->what, "who",
						   t->who, "how", t->how ? t->how : "", "due",
						   t->due));
	}
	*terms = fq_json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return *terms ? FQ_OK : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
}

static enum fq_err save(struct fq_ctx *c, int64_t id, const struct fq_agreement_in *in,
			int64_t agreement_id)
{
	char *terms = NULL;
	enum fq_err err = check_text(c, in, &terms);
	struct fq_store_agreement s = {in->form ? in->form : "people", in->facts, in->matters,
				       in->liabilities, terms, c->who->user_id};
	struct fq_dispute_law_row law;

	if (err)
		return err;
	/* Without a form given, the dispute's procedure decides it: a police
	 * mediation's agreement is a 治安调解协议书. */
	if (!in->form && !fq_store_dispute_law_row(c->db, id, &law) &&
	    !strcmp(law.procedure, "police"))
		s.form = "police";
	err = agreement_id
		      ? fq_store_agreement_update(c->db, agreement_id, &s, fq_time_now_ms())
		      : fq_store_agreement_insert(c->db, id, &s, c->who->user_id, fq_time_now_ms(),
						  NULL);
	free(terms);
	if (err == FQ_ERR_CONFLICT)
		return fq_fail(c->e, err, "agreement_exists", NULL,
			       "the dispute has an agreement already: void it first");
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_dispute_agreement_draft(struct fq_ctx *c, int64_t id,
				       const struct fq_agreement_in *in)
{
	struct fq_dispute_row d;
	struct fq_agreement_row a;
	enum fq_err err = fq_dispute_access(c, id, &d, NULL);

	if (err)
		return err;
	if (!strcmp(d.status, "closed"))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "concluded", "status",
			       "the dispute is concluded: no agreement can be drafted");
	err = fq_store_agreement_live(c->db, id, &a);
	if (!err)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "agreement_exists", NULL,
			       "the dispute has an agreement already: void it first");
	if (err != FQ_ERR_NOT_FOUND)
		return store_fail(c, err);
	return save(c, id, in, 0);
}

enum fq_err fq_dispute_agreement_edit(struct fq_ctx *c, int64_t id,
				      const struct fq_agreement_in *in)
{
	struct fq_dispute_row d;
	struct fq_agreement_row a;
	enum fq_err err = load(c, id, &d, &a, "draft");

	if (err)
		return err;
	if (a.signatures)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "signed", NULL,
			       "the agreement has been signed: void it to change it");
	return save(c, id, in, a.id);
}

/* The party's name, or NOT_FOUND naming person_id. */
static enum fq_err party_name(struct fq_ctx *c, int64_t id, int64_t person_id,
			      const char **name)
{
	enum fq_err err;
	json_t *parties = fq_store_dispute_parties(c->db, id, &err), *p;
	size_t k;

	if (!parties)
		return store_fail(c, err);
	*name = NULL;
	json_array_foreach(parties, k, p)
		if (json_integer_value(json_object_get(p, "person_id")) == person_id)
			*name = fq_arena_strdup(c->arena,
						json_string_value(json_object_get(p, "name")));
	json_decref(parties);
	return *name ? FQ_OK
		     : fq_fail(c->e, FQ_ERR_INVALID, "not_a_party", "person_id",
			       "person %lld is not a party of the dispute", (long long)person_id);
}

/* Who has not signed yet: [{signer, person_id | user_id, name}], parties first. */
static json_t *pending(struct fq_ctx *c, int64_t id, const struct fq_agreement_row *a,
		       json_t *sigs, enum fq_err *err)
{
	json_t *parties = fq_store_dispute_parties(c->db, id, err), *out = json_array(), *p, *s;
	size_t k, j;
	bool mediator = false;

	if (!parties || !out) {
		json_decref(parties);
		json_decref(out);
		return NULL;
	}
	json_array_foreach(parties, k, p) {
		bool done = false;

		json_array_foreach(sigs, j, s)
			done = done || json_integer_value(json_object_get(s, "person_id")) ==
					       json_integer_value(json_object_get(p, "person_id"));
		if (!done)
			json_array_append_new(out, json_pack("{s:s, s:O, s:O}", "signer", "party",
							     "person_id",
							     json_object_get(p, "person_id"), "name",
							     json_object_get(p, "name")));
	}
	json_array_foreach(sigs, j, s)
		mediator = mediator || !strcmp(json_string_value(json_object_get(s, "signer")),
					       "mediator");
	if (!mediator)
		json_array_append_new(out, json_pack("{s:s, s:I}", "signer", "mediator", "user_id",
						     (json_int_t)a->mediator_id));
	json_decref(parties);
	return out;
}

enum fq_err fq_dispute_agreement_sign(struct fq_ctx *c, int64_t id, const char *signer,
				      int64_t person_id, int64_t attachment_id)
{
	struct fq_dispute_row d;
	struct fq_agreement_row a;
	const void *png;
	size_t len, left;
	const char *name = NULL;
	json_t *sigs = NULL, *todo = NULL, *s;
	int64_t now = fq_time_now_ms();
	enum fq_err err = load(c, id, &d, &a, "draft");

	if (err)
		return err;
	sigs = fq_store_agreement_signatures(c->db, a.id, &err);
	todo = sigs ? pending(c, id, &a, sigs, &err) : NULL;
	if (!todo) {
		err = store_fail(c, err);
		goto out;
	}
	left = json_array_size(todo);
	if (!strcmp(signer, "party")) {
		bool open = false;
		size_t k;

		err = party_name(c, id, person_id, &name);
		json_array_foreach(todo, k, s)
			open = open || json_integer_value(json_object_get(s, "person_id")) == person_id;
		if (!err && !open)
			err = fq_fail(c->e, FQ_ERR_CONFLICT, "signed", "person_id",
				      "%s has signed already", name);
		person_id = err ? 0 : person_id;
	} else if (a.mediator_id != c->who->user_id) {
		err = fq_fail(c->e, FQ_ERR_FORBIDDEN, "not_the_mediator", "signer",
			      "only the agreement's mediator signs as mediator");
	} else if (left > 1) {
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "parties_first", "signer",
			      "every party signs before the mediator: %zu still to sign", left - 1);
	} else {
		name = c->who->display_name;
		person_id = 0;
	}
	if (err)
		goto out;
	err = fq_attachment_signature(c, "dispute", id, attachment_id, 0, &png, &len);
	if (err) {
		/* The attachments' check names the on-site record's field. */
		snprintf(c->e->field, sizeof(c->e->field), "attachment_id");
		goto out;
	}
	err = fq_store_agreement_sign(c->db, a.id, signer, person_id,
				      person_id ? 0 : c->who->user_id, name, attachment_id,
				      c->who->user_id, now);
	if (err) {
		err = err == FQ_ERR_CONFLICT
			      ? fq_fail(c->e, err, "used", "attachment_id",
					"the signature is used already")
			      : store_fail(c, err);
		goto out;
	}
	/* The last signature puts it in effect and concludes the dispute. */
	if (left == 1) {
		err = fq_store_agreement_effective(c->db, a.id, now);
		if (err)
			err = store_fail(c, err);
		else
			err = fq_dispute_conclude(c, id, "agreed", "调解协议书经各方签名生效");
	}
out:
	json_decref(sigs);
	json_decref(todo);
	return err;
}

enum fq_err fq_dispute_agreement_void(struct fq_ctx *c, int64_t id, const char *reason)
{
	struct fq_dispute_row d;
	struct fq_agreement_row a;
	enum fq_err err = load(c, id, &d, &a, NULL);

	if (!err && !strcmp(a.status, "effective"))
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "in_effect", "status",
			      "an agreement in effect is not voided: record its breach at a "
			      "follow-up visit");
	if (err)
		return err;
	err = fq_store_agreement_void(c->db, a.id, reason, c->who->user_id, fq_time_now_ms());
	return err ? store_fail(c, err) : FQ_OK;
}

static json_t *actions(struct fq_ctx *c, const struct fq_dispute_row *d,
		       const struct fq_agreement_row *a, json_t *todo)
{
	json_t *out = json_array();
	bool mediate = fq_principal_may(c->who, "dispute.mediate");
	bool draft = !strcmp(a->status, "draft"), effective = !strcmp(a->status, "effective");
	bool confirmable = true;

	for (int i = 0; unconfirmable_types[i]; i++)
		confirmable = confirmable && strcmp(unconfirmable_types[i], d->type);
#define ADD(cond, name)                                                \
	do {                                                           \
		if (mediate && (cond))                                 \
			json_array_append_new(out, json_string(name)); \
	} while (0)
	ADD(draft && !a->signatures, "edit");
	ADD(draft && json_array_size(todo) > 0, "sign");
	ADD(draft, "void");
	ADD(effective, "followup");
	ADD(effective && confirmable && !*a->judicial &&
		    fq_time_now_ms() <= a->effective_at + FQ_AGREEMENT_CONFIRM_DAYS * DAY_MS,
	    "judicial_apply");
	ADD(effective && !strcmp(a->judicial, "applied"), "judicial_decide");
#undef ADD
	return out;
}

json_t *fq_dispute_agreement_get(struct fq_ctx *c, int64_t id)
{
	struct fq_dispute_row d;
	struct fq_agreement_row a;
	enum fq_err err = fq_dispute_access(c, id, &d, NULL);
	json_t *out, *ag = NULL, *v;
	char t[32];

	if (err)
		return NULL;
	v = fq_store_agreement_voided(c->db, id, &err);
	if (!v)
		goto fail;
	out = json_pack("{s:o, s:o}", "voided", v, "agreement", json_null());
	err = fq_store_agreement_live(c->db, id, &a);
	if (err == FQ_ERR_NOT_FOUND)
		return out;
	if (!err)
		ag = fq_store_agreement_json(c->db, a.id, &err);
	if (!ag) {
		json_decref(out);
		goto fail;
	}
	json_object_set_new(ag, "terms", json_loads(json_string_value(json_object_get(ag, "terms")),
						    0, NULL));
	v = fq_store_agreement_signatures(c->db, a.id, &err);
	if (v)
		json_object_set_new(ag, "signatures", v);
	v = v ? pending(c, id, &a, v, &err) : NULL;
	if (v) {
		json_object_set_new(ag, "actions", actions(c, &d, &a, v));
		json_object_set_new(ag, "pending_signers", v);
		v = fq_store_agreement_followups(c->db, a.id, &err);
	}
	if (!v) {
		json_decref(out);
		json_decref(ag);
		goto fail;
	}
	json_object_set_new(ag, "followups", v);
	if (a.effective_at) {
		fq_time_format(a.effective_at + FQ_AGREEMENT_CONFIRM_DAYS * DAY_MS, t, sizeof(t));
		json_object_set_new(ag, "confirm_until", json_string(t));
	}
	json_object_del(ag, "effective_t");
	json_object_set_new(out, "agreement", ag);
	return out;
fail:
	store_fail(c, err);
	return NULL;
}

enum fq_err fq_dispute_agreement_followup_add(struct fq_ctx *c, int64_t id, int64_t due_at,
					      int64_t user_id, int64_t *fid)
{
	struct fq_dispute_row d;
	struct fq_agreement_row a;
	json_t *list;
	enum fq_err err = load(c, id, &d, &a, "effective");

	if (err)
		return err;
	if (due_at < a.effective_at)
		return fq_fail(c->e, FQ_ERR_INVALID, "too_early", "due_at",
			       "a visit falls after the agreement took effect");
	if (user_id && user_id != c->who->user_id) {
		int is = fq_store_dispute_mediator_is(c->db, id, user_id);

		if (is < 0)
			return store_fail(c, (enum fq_err)-is);
		if (!is)
			return fq_fail(c->e, FQ_ERR_INVALID, "not_a_mediator", "user_id",
				       "user %lld is not mediating this dispute", (long long)user_id);
	}
	list = fq_store_agreement_followups(c->db, a.id, &err);
	if (!list)
		return store_fail(c, err);
	if (json_array_size(list) >= FQ_AGREEMENT_MAX_FOLLOWUPS) {
		json_decref(list);
		return fq_fail(c->e, FQ_ERR_CONFLICT, "too_many", NULL,
			       "an agreement has at most %d visits", FQ_AGREEMENT_MAX_FOLLOWUPS);
	}
	json_decref(list);
	err = fq_store_agreement_followup_insert(c->db, a.id, due_at, user_id ? user_id : c->who->user_id,
				       c->who->user_id, fq_time_now_ms(), fid);
	return err ? store_fail(c, err) : FQ_OK;
}

/* The number of terms of the agreement. */
static enum fq_err term_count(struct fq_ctx *c, int64_t agreement_id, size_t *n)
{
	enum fq_err err;
	json_t *ag = fq_store_agreement_json(c->db, agreement_id, &err), *terms;

	if (!ag)
		return store_fail(c, err);
	terms = json_loads(json_string_value(json_object_get(ag, "terms")), 0, NULL);
	*n = json_array_size(terms);
	json_decref(terms);
	json_decref(ag);
	return FQ_OK;
}

enum fq_err fq_dispute_agreement_followup_record(struct fq_ctx *c, int64_t id, int64_t fid,
						 int64_t visited_at, const char *result,
						 int64_t term, const char *note)
{
	struct fq_dispute_row d;
	struct fq_agreement_row a;
	int64_t now = fq_time_now_ms();
	size_t nterms = 0;
	bool breached = !strcmp(result, "breached");
	enum fq_err err = load(c, id, &d, &a, "effective");

	if (!err && breached)
		err = term_count(c, a.id, &nterms);
	if (err)
		return err;
	visited_at = visited_at ? visited_at : now;
	if (visited_at > now)
		return fq_fail(c->e, FQ_ERR_INVALID, "in_future", "visited_at",
			       "a visit is recorded after it took place");
	if (visited_at < a.effective_at)
		return fq_fail(c->e, FQ_ERR_INVALID, "too_early", "visited_at",
			       "a visit falls after the agreement took effect");
	if (breached && (term < 1 || (size_t)term > nterms))
		return fq_fail(c->e, FQ_ERR_INVALID, term ? "bad_term" : "required", "term",
			       "say which term (1 to %zu) was breached", nterms);
	if (breached && !note)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "note",
			       "say how the term was breached");
	if (!breached && term)
		return fq_fail(c->e, FQ_ERR_INVALID, "not_breached", "term",
			       "a term is named only for a breach");
	err = fq_store_agreement_followup_record(c->db, a.id, fid, visited_at, c->who->user_id, result, note);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, "no such visit of this agreement");
	if (err == FQ_ERR_CONFLICT)
		return fq_fail(c->e, err, "recorded", NULL, "the visit is recorded already");
	if (!err)
		err = fq_store_agreement_performance(c->db, a.id, result, breached ? term : 0,
						     breached ? note : NULL, now);
	/* A breach weighs in the escalation watch (and a performance lifts it). */
	return err ? store_fail(c, err) : fq_dispute_watch_score(c, id, now);
}

enum fq_err fq_dispute_agreement_judicial_apply(struct fq_ctx *c, int64_t id, const char *court,
						int64_t applied_at)
{
	struct fq_dispute_row d;
	struct fq_agreement_row a;
	int64_t now = fq_time_now_ms();
	enum fq_err err = load(c, id, &d, &a, "effective");

	if (err)
		return err;
	for (int i = 0; unconfirmable_types[i]; i++)
		if (!strcmp(unconfirmable_types[i], d.type))
			return fq_fail(c->e, FQ_ERR_CONFLICT, "not_confirmable", "type",
				       "agreements on marriage, adoption or identity status are not "
				       "for judicial confirmation");
	if (*a.judicial)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "applied", "judicial_status",
			       "judicial confirmation has been applied for already");
	applied_at = applied_at ? applied_at : now;
	if (applied_at > now)
		return fq_fail(c->e, FQ_ERR_INVALID, "in_future", "applied_at",
			       "the application is recorded after it was made");
	if (applied_at < a.effective_at)
		return fq_fail(c->e, FQ_ERR_INVALID, "too_early", "applied_at",
			       "the application follows the agreement taking effect");
	if (applied_at > a.effective_at + FQ_AGREEMENT_CONFIRM_DAYS * DAY_MS)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "too_late", "applied_at",
			       "judicial confirmation is applied for within %d days of the "
			       "agreement taking effect",
			       FQ_AGREEMENT_CONFIRM_DAYS);
	err = fq_store_agreement_judicial_apply(c->db, a.id, court, applied_at, now);
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_dispute_agreement_judicial_decide(struct fq_ctx *c, int64_t id,
						 const char *outcome, int64_t decided_at,
						 const char *note)
{
	struct fq_dispute_row d;
	struct fq_agreement_row a;
	int64_t now = fq_time_now_ms();
	enum fq_err err = load(c, id, &d, &a, "effective");

	if (err)
		return err;
	if (strcmp(a.judicial, "applied"))
		return fq_fail(c->e, FQ_ERR_CONFLICT, *a.judicial ? "decided" : "not_applied",
			       "judicial_status",
			       *a.judicial ? "the court's outcome is recorded already"
					   : "judicial confirmation has not been applied for");
	decided_at = decided_at ? decided_at : now;
	if (decided_at > now)
		return fq_fail(c->e, FQ_ERR_INVALID, "in_future", "decided_at",
			       "the outcome is recorded after the court decided");
	err = fq_store_agreement_judicial_decide(c->db, a.id, outcome, decided_at, note, now);
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_dispute_agreement_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	enum fq_err err = FQ_OK;
	json_t *rows, *row;
	size_t i;

	(void)now;
	if (!fq_principal_may(c->who, "dispute.mediate"))
		return FQ_OK;
	rows = fq_store_agreement_followups_mine(c->db, c->who->user_id, FQ_WORK_PER_KIND, &err);
	if (!rows)
		return store_fail(c, err);
	json_array_foreach(rows, i, row) {
		struct fq_work_item it = {
			.kind = "dispute_followup",
			.why = "followup",
			.title = json_string_value(json_object_get(row, "number")),
			.since = json_integer_value(json_object_get(row, "since_t")),
			.due = json_integer_value(json_object_get(row, "due_t")),
			.route = "dispute",
			.id = json_integer_value(json_object_get(row, "id")),
			.params = json_pack("{s:O, s:O}", "type", json_object_get(row, "type"),
					    "followup_id", json_object_get(row, "followup_id")),
		};
		err = fq_work_add(list, &it);
		if (err)
			break;
	}
	json_decref(rows);
	return err;
}
