/* The escalation watch (民转刑) and the disputes' figures (dispute_watch.h;
 * docs/internals.md "Escalation watch and figures"). */
#include "domain/dispute_watch.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/principal.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/json_write.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/notify.h"
#include "domain/overview.h"
#include "domain/org.h"
#include "domain/outbox.h"
#include "store/dispute_store.h"
#include "store/dispute_watch_store.h"
#include "store/work_store.h"

#define DAY_MS (24 * 3600 * 1000LL)
#define HOUR_MS (3600 * 1000LL)
/* At most this many texts are read for one score, this many words apply. */
#define MAX_TEXTS 200
#define MAX_WORDS 64
#define MAX_WATCH_LIST 500

const char *const fq_dispute_figures_by[] = {"type", "tier", "mediator", "grid", NULL};

static enum fq_err store_fail(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? err : fq_fail(c->e, err, NULL, NULL, NULL);
}

/* A comma-separated list of the settings (ASCII or full-width comma) into
 * arena strings; empty items are skipped. */
static int split_words(struct fq_ctx *c, const char *list, const char **out, int max)
{
	int n = 0;

	while (*list && n < max) {
		const char *end = list;
		size_t len;

		while (*end && *end != ',' && strncmp(end, "，", strlen("，")))
			end++;
		len = (size_t)(end - list);
		while (len && *list == ' ')
			list++, len--;
		while (len && list[len - 1] == ' ')
			len--;
		if (len) {
			char *w = fq_arena_alloc(c->arena, len + 1);

			if (!w)
				break;
			memcpy(w, list, len);
			w[len] = '\0';
			out[n++] = w;
		}
		list = !*end ? end : *end == ',' ? end + 1 : end + strlen("，");
	}
	return n;
}

/* Blanks every phrase of except in text (so that 刀削面 is not 刀): UTF-8
 * is self-synchronising, so a byte search finds only whole characters. */
static void blank_phrases(char *text, const char *const *except, int n)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(except[i]);

		for (char *p = strstr(text, except[i]); p; p = strstr(p + len, except[i]))
			memset(p, ' ', len);
	}
}

static json_t *reason(const char *what, int64_t count, int64_t weight)
{
	return json_pack("{s:s, s:I, s:I, s:I}", "what", what, "count", (json_int_t)count, "weight",
			 (json_int_t)weight, "points", (json_int_t)(count * weight));
}

/* The threat words found in the dispute's texts: a JSON array of the
 * distinct words, in the setting's order. */
static json_t *threat_words(struct fq_ctx *c, int64_t id, int64_t since, enum fq_err *err)
{
	const char *words[MAX_WORDS], *except[MAX_WORDS];
	int nwords = split_words(c, c->cfg->dispute_watch_words, words, MAX_WORDS);
	int nexcept = split_words(c, c->cfg->dispute_watch_words_except, except, MAX_WORDS);
	bool found[MAX_WORDS] = {false};
	json_t *texts = fq_store_watch_texts(c->db, id, since, MAX_TEXTS, err), *t, *out;
	size_t i;

	if (!texts)
		return NULL;
	json_array_foreach(texts, i, t) {
		const char *s = json_string_value(json_object_get(t, "text"));
		char *copy = s ? fq_arena_strdup(c->arena, s) : NULL;

		if (!copy)
			continue;
		blank_phrases(copy, except, nexcept);
		for (int w = 0; w < nwords; w++)
			found[w] = found[w] || strstr(copy, words[w]);
	}
	json_decref(texts);
	out = json_array();
	for (int w = 0; w < nwords; w++)
		if (found[w])
			json_array_append_new(out, json_string(words[w]));
	return out;
}

static int64_t risk_weight(const struct fq_config *cfg, const char *risk)
{
	if (!strcmp(risk, "red"))
		return cfg->dispute_watch_weight_red;
	if (!strcmp(risk, "orange"))
		return cfg->dispute_watch_weight_orange;
	if (!strcmp(risk, "yellow"))
		return cfg->dispute_watch_weight_yellow;
	return 0;
}

/* Tells the chiefs over the dispute's unit and its station's channels. */
static enum fq_err tell_crossing(struct fq_ctx *c, const struct fq_dispute_row *row,
				 int64_t score, int64_t now)
{
	enum fq_err err = FQ_OK;
	json_t *chiefs = fq_store_work_users_above(c->db, "chief", row->org_path, &err), *u;
	const char *dedup = fq_arena_printf(c->arena, "escalation_risk:%lld:%lld",
					    (long long)row->id, (long long)now);
	json_t *payload;
	size_t i;

	if (!chiefs)
		return store_fail(c, err);
	json_array_foreach(chiefs, i, u) {
		err = fq_notify(c, json_integer_value(json_object_get(u, "id")), "escalation_risk",
				"dispute", row->id,
				json_pack("{s:s, s:I}", "number", row->number, "score",
					  (json_int_t)score),
				dedup);
		if (err)
			break;
	}
	json_decref(chiefs);
	if (err)
		return err;
	payload = json_pack("{s:s, s:I, s:I}", "number", row->number, "score", (json_int_t)score,
			    "threshold", (json_int_t)c->cfg->dispute_watch_threshold);
	err = payload ? fq_outbox_enqueue(c, row->station_id, "dispute.escalation_risk", payload)
		      : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	json_decref(payload);
	return err;
}

static enum fq_err score_one(struct fq_ctx *c, int64_t id, int64_t now, int *crossed)
{
	const struct fq_config *cfg = c->cfg;
	struct fq_dispute_row row;
	int64_t since = now - cfg->dispute_watch_days * DAY_MS, incidents = 0, failed = 0,
		breaches = 0;
	int64_t score = 0, above = 0, first = 0, w;
	json_t *reasons = json_array(), *words = NULL, *r;
	char *text = NULL;
	bool found, open;
	size_t i;
	enum fq_err err = fq_store_dispute_row(c->db, id, &row);

	*crossed = 0;
	if (!err)
		err = fq_store_watch_incidents(c->db, id, since, &incidents);
	if (!err)
		words = threat_words(c, id, since, &err);
	if (!err)
		err = fq_store_watch_breaches(c->db, id, &failed);
	if (!err)
		err = fq_store_watch_agreement_breaches(c->db, id, &breaches);
	if (!err)
		err = fq_store_watch_state(c->db, id, &found, &above, &first);
	if (err)
		goto out;
	if (incidents) {
		r = reason("repeat_incidents", incidents, cfg->dispute_watch_weight_incident);
		json_object_set_new(r, "days", json_integer(cfg->dispute_watch_days));
		json_array_append_new(reasons, r);
	}
	if (json_array_size(words)) {
		r = reason("threat_words", (int64_t)json_array_size(words),
			   cfg->dispute_watch_weight_word);
		json_object_set(r, "words", words);
		json_array_append_new(reasons, r);
	}
	/* The parties' record of not settling: earlier disputes that ended
	 * failed, and agreements (this one's too) a follow-up found breached. */
	if (failed)
		json_array_append_new(reasons, reason("failed_before", failed,
						      cfg->dispute_watch_weight_breach));
	if (breaches)
		json_array_append_new(reasons, reason("breached_agreements", breaches,
						      cfg->dispute_watch_weight_breach));
	w = risk_weight(cfg, row.risk);
	if (w) {
		r = reason("risk_level", 1, w);
		json_object_set_new(r, "level", json_string(row.risk));
		json_array_append_new(reasons, r);
	}
	json_array_foreach(reasons, i, r)
		score += json_integer_value(json_object_get(r, "points"));
	open = strcmp(row.status, "closed") != 0;
	if (open && score >= cfg->dispute_watch_threshold) {
		if (!above) {
			above = now;
			*crossed = 1;
		}
		if (!first)
			first = now;
	} else {
		above = 0; /* below again (or closed): the next crossing tells again */
	}
	text = fq_json_dumps(reasons, JSON_COMPACT);
	err = text ? fq_store_watch_put(c->db, id, score, text, now, above, first) : FQ_ERR_NOMEM;
	if (!err && *crossed)
		err = tell_crossing(c, &row, score, now);
out:
	free(text);
	json_decref(words);
	json_decref(reasons);
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_dispute_watch_score(struct fq_ctx *c, int64_t id, int64_t now)
{
	int crossed;

	return score_one(c, id, now, &crossed);
}

enum fq_err fq_dispute_watch_sweep(struct fq_ctx *c, int64_t now, int64_t since, int *made)
{
	enum fq_err err = FQ_OK;
	json_t *ids = fq_store_watch_due(c->db, since, now - HOUR_MS, FQ_DISPUTE_WATCH_BATCH, &err);
	json_t *row;
	size_t i;
	int n = 0, crossed;

	if (!ids)
		return store_fail(c, err);
	json_array_foreach(ids, i, row) {
		err = score_one(c, json_integer_value(json_object_get(row, "id")), now, &crossed);
		if (err)
			break;
		n += crossed;
	}
	json_decref(ids);
	if (made)
		*made = n;
	return err;
}

json_t *fq_dispute_watch_list(struct fq_ctx *c, int64_t org_id, int64_t min_score,
			      int64_t limit)
{
	char lo[256], hi[256];
	enum fq_err err = FQ_OK;
	json_t *rows, *row;
	size_t i;

	if (org_id && fq_org_visible(c, org_id, NULL, NULL, NULL))
		return NULL;
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	if (min_score < 0)
		min_score = c->cfg->dispute_watch_threshold;
	rows = fq_store_watch_list(c->db, lo, hi, org_id, min_score,
				   limit > 0 && limit < MAX_WATCH_LIST ? limit : MAX_WATCH_LIST, &err);
	if (!rows) {
		store_fail(c, err);
		return NULL;
	}
	json_array_foreach(rows, i, row) {
		const char *s = json_string_value(json_object_get(row, "reasons"));
		json_t *reasons = s ? json_loads(s, 0, NULL) : NULL;

		json_t *since = json_object_get(row, "above_threshold_since");
		char at[32];

		json_object_set_new(row, "reasons", reasons ? reasons : json_array());
		/* Only columns named *_at come out as time text. */
		if (json_is_integer(since)) {
			fq_time_format(json_integer_value(since), at, sizeof(at));
			json_object_set_new(row, "above_threshold_since", json_string(at));
		}
	}
	return json_pack("{s:I, s:o}", "threshold", (json_int_t)c->cfg->dispute_watch_threshold,
			 "items", rows);
}

/* ---- figures ---- */

/* part / whole in per cent with one decimal; null when whole is 0. */
static json_t *rate(int64_t part, int64_t whole)
{
	if (whole <= 0)
		return json_null();
	return json_real((double)((part * 2000 + whole) / (2 * whole)) / 10.0);
}

static void day_text(int64_t day, char out[16])
{
	snprintf(out, 16, "%04u-%02u-%02u", (unsigned)(day / 10000 % 10000),
		 (unsigned)(day / 100 % 100), (unsigned)(day % 100));
}

/* One row in the answer's words, with the list behind it. */
static json_t *figure_row(json_t *in, const char *by, const char *from, const char *to)
{
	int64_t concluded = json_integer_value(json_object_get(in, "concluded"));
	int64_t agreed = json_integer_value(json_object_get(in, "agreed"));
	int64_t days_ms = json_integer_value(json_object_get(in, "days_ms"));
	int64_t performed = json_integer_value(json_object_get(in, "performed"));
	int64_t breached = json_integer_value(json_object_get(in, "breached"));
	const char *key = json_string_value(json_object_get(in, "key"));
	json_t *filter = json_pack("{s:s, s:s, s:b}", "from", from, "to", to, "concluded", 1);
	json_t *out = json_pack("{s:s?, s:O, s:O, s:I, s:I, s:o, s:o, s:I, s:I, s:O, s:o}", "key",
				key, "label", json_object_get(in, "label"), "registered",
				json_object_get(in, "registered"), "concluded",
				(json_int_t)concluded, "agreed", (json_int_t)agreed,
				"success_rate", rate(agreed, concluded), "performance_rate",
				rate(performed, performed + breached), "performed",
				(json_int_t)performed, "breached", (json_int_t)breached,
				"amount_fen", json_object_get(in, "amount_fen"), "avg_days",
				concluded ? json_real((double)(days_ms * 10 / (concluded * DAY_MS)) /
						      10.0)
					  : json_null());

	if (!out || !filter) {
		json_decref(out);
		json_decref(filter);
		return NULL;
	}
	if (by && key) {
		int64_t n = 0;

		/* The group under its own name, for the export's columns. */
		if (!strcmp(by, "type") || !strcmp(by, "tier")) {
			json_object_set_new(out, by, json_string(key));
			json_object_set_new(out, "label", json_null());
		}
		if (!strcmp(by, "mediator") || !strcmp(by, "grid"))
			json_object_set_new(filter, !strcmp(by, "grid") ? "org_id" : "mediator",
					    fq_parse_i64(key, 1, INT64_MAX, &n) ? json_integer(n)
										: json_string(key));
		else
			json_object_set_new(filter, by, json_string(key));
	}
	json_object_set_new(out, "link", json_pack("{s:s, s:o}", "list", "disputes", "filter", filter));
	return out;
}

/* The total of groups that part the disputes (type, tier, grid: each in
 * one group) as the sum of their rows, the store's row of "all" without a
 * second walk of the period (docs/PERFORMANCE.md, "Disputes at 100,000").
 * An empty period gives no row, as the store does. */
static json_t *sum_rows(json_t *rows)
{
	json_t *total = json_array(), *sum = NULL, *row, *v;
	const char *k;
	size_t i;

	json_array_foreach(rows, i, row) {
		if (!sum && total) {
			sum = json_pack("{s:s, s:s}", "key", "all", "label", "all");
			if (json_array_append_new(total, sum))
				goto fail;
		}
		json_object_foreach(row, k, v) {
			json_int_t was = json_integer_value(json_object_get(sum, k));

			if (json_is_integer(v) &&
			    json_object_set_new(sum, k, json_integer(was + json_integer_value(v))))
				goto fail;
		}
	}
	return total;
fail:
	json_decref(total);
	return NULL;
}

json_t *fq_dispute_figures(struct fq_ctx *c, const char *by, int64_t org_id, int64_t from_ms,
			   int64_t to_ms, int64_t from_day, int64_t to_day)
{
	static const enum fq_dispute_figures_by kinds[] = {FQ_FIGURES_TYPE, FQ_FIGURES_TIER,
							   FQ_FIGURES_MEDIATOR, FQ_FIGURES_GRID};
	char lo[256], hi[256], from[16], to[16];
	enum fq_dispute_figures_by kind = FQ_FIGURES_TYPE;
	enum fq_err err = FQ_OK;
	int64_t cases = 0, persons = 0;
	json_t *rows = NULL, *total = NULL, *out = NULL, *items, *row;
	size_t i;

	for (int k = 0; fq_dispute_figures_by[k]; k++)
		if (!strcmp(by, fq_dispute_figures_by[k]))
			kind = kinds[k];
	if (org_id && fq_org_visible(c, org_id, NULL, NULL, NULL))
		return NULL;
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	day_text(from_day, from);
	day_text(to_day, to);
	rows = fq_store_dispute_figures(c->db, lo, hi, org_id, kind, from_ms, to_ms, &err);
	/* By mediator a dispute counts for each of its mediators: the total
	 * is counted again. */
	if (rows && kind == FQ_FIGURES_MEDIATOR)
		total = fq_store_dispute_figures(c->db, lo, hi, org_id, FQ_FIGURES_ALL, from_ms,
						 to_ms, &err);
	else if (rows && !(total = sum_rows(rows)))
		err = FQ_ERR_NOMEM;
	if (total)
		err = fq_store_watch_prevented(c->db, lo, hi, org_id, from_ms, to_ms,
					       c->cfg->dispute_watch_quiet_days * DAY_MS,
					       fq_time_now_ms(), &cases, &persons);
	if (!total || err)
		goto out;
	items = json_array();
	json_array_foreach(rows, i, row)
		json_array_append_new(items, figure_row(row, by, from, to));
	/* An empty period has no group at all: its total is zeros. */
	if (!json_array_size(total))
		json_array_append_new(total, json_pack("{s:s, s:n, s:i, s:i, s:i, s:i, s:i}", "key",
						       "all", "label", "registered", 0,
						       "amount_fen", 0, "concluded", 0, "agreed", 0,
						       "days_ms", 0));
	out = json_pack("{s:s, s:s, s:s, s:o, s:o, s:{s:I, s:I, s:I}}", "by", by, "from", from,
			"to", to, "items", items, "total",
			figure_row(json_array_get(total, 0), NULL, from, to), "prevented", "cases", (json_int_t)cases, "persons", (json_int_t)persons,
			"quiet_days", (json_int_t)c->cfg->dispute_watch_quiet_days);
out:
	json_decref(rows);
	json_decref(total);
	if (!out)
		store_fail(c, err ? err : FQ_ERR_NOMEM);
	return out;
}

/* ---- the overview ---- */

enum fq_err fq_dispute_watch_overview(struct fq_overview *o)
{
	struct fq_ctx *c = o->c;
	enum fq_err err = FQ_OK;
	int64_t watched = 0, cases = 0, persons = 0;
	json_t *rows = NULL, *points, *row, *filter;
	size_t i;

	err = fq_store_watch_count(c->db, o->lo, o->hi, &watched);
	if (!err)
		err = fq_store_watch_prevented(c->db, o->lo, o->hi, 0, o->from_ms, o->to_ms,
					       c->cfg->dispute_watch_quiet_days * DAY_MS, o->now,
					       &cases, &persons);
	if (!err)
		rows = fq_store_dispute_figures(c->db, o->lo, o->hi, 0, FQ_FIGURES_TYPE, o->from_ms,
						o->to_ms, &err);
	if (err)
		return store_fail(c, err);
	err = fq_overview_card(o, "disputes", "watch", json_integer(watched), NULL,
			       fq_overview_link("disputeWatch",
						json_pack("{s:I}", "org_id", (json_int_t)o->unit_id)));
	if (!err)
		err = fq_overview_card(o, "disputes", "prevented", json_integer(cases),
				       json_pack("{s:I}", "persons", (json_int_t)persons),
				       fq_overview_link("disputeWatch", json_object()));
	points = json_array();
	json_array_foreach(rows, i, row) {
		int64_t concluded = json_integer_value(json_object_get(row, "concluded"));

		if (!concluded)
			continue;
		filter = fq_overview_period_filter(o);
		json_object_set_new(filter, "concluded", json_true());
		json_object_set(filter, "type", json_object_get(row, "key"));
		json_array_append_new(
			points, json_pack("{s:O, s:o, s:o}", "label", json_object_get(row, "key"),
					  "value",
					  rate(json_integer_value(json_object_get(row, "agreed")),
					       concluded),
					  "filter", filter));
	}
	json_decref(rows);
	if (!err)
		err = fq_overview_chart(o, "disputes", "success_by_type", "bar", "disputes", points);
	else
		json_decref(points);
	return err;
}
