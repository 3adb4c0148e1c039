/* The overview's long poll: versions of its answers (overview_live.h). */
#include "domain/overview_live.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auth/principal.h"
#include "core/banned.h"
#include "core/str.h"
#include "domain/ctx.h"
#include "domain/duty.h"
#include "domain/overview.h"
#include "store/overview_store.h"

/* The stamp holds the incidents written since a minute before the answer:
 * a write's updated_at is taken before it commits, and another server's
 * clock may be a little behind ours. */
#define SINCE_MARGIN_MS (60 * 1000)
/* A version whose since lies further back is answered afresh, so that no
 * client makes the stamp read more than a few minutes of writes. */
#define SINCE_MAX_MS (15 * 60 * 1000)

/* FNV-1a of v's eight bytes into *h, as the store folds its rows. */
static void fold(uint64_t *h, int64_t v)
{
	for (int k = 0; k < 8; k++)
		*h = (*h ^ (((uint64_t)v >> (8 * k)) & 0xff)) * 1099511628211u;
}

/* A time of the version: 1 to 15 digits. */
static const char *parse_ms(const char *p, int64_t *out)
{
	int n = 0;

	*out = 0;
	while (p[n] >= '0' && p[n] <= '9' && n < 16)
		*out = *out * 10 + (p[n++] - '0');
	return n >= 1 && n <= 15 ? p + n : NULL;
}

bool fq_overview_version_parse(const char *text, struct fq_overview_version *v)
{
	const char *p = text;

	*v = (struct fq_overview_version){0};
	for (int i = 0; i < 16; i++, p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			return false;
		v->stamp = v->stamp << 4 | (uint64_t)d;
	}
	if (*p++ != '.' || !(p = parse_ms(p, &v->since)) || *p++ != '.' ||
	    !(p = parse_ms(p, &v->until)))
		return false;
	return *p == '\0';
}

/* The stamp of o's rows written since `since`, and the path to watch. */
static enum fq_err stamp(struct fq_overview *o, int64_t since, uint64_t *h, char *watch,
			 size_t size)
{
	enum fq_err err;

	*h = 14695981039346656037u;
	/* Another unit, period or person: another version. */
	fold(h, o->mine);
	fold(h, !strcmp(o->period, "week")); /* on a Monday, the same days as today */
	fold(h, o->mine ? o->c->who->user_id : o->unit_id);
	fold(h, o->from_day);
	fold(h, o->to_day);
	if (o->mine) {
		fq_strlcpy(watch, "/", size);
		err = fq_store_overview_stamp_user(o->c->db, o->c->who->user_id, o->now, h);
	} else {
		/* Writers within or above the unit (its station's staff) write
		 * its calls, shifts and patrols. */
		fq_strlcpy(watch, o->unit_path, size);
		err = fq_store_overview_stamp_unit(o->c->db, o->unit_path, o->lo, o->hi, since,
						   o->now, FQ_SHIFT_MAX_HOURS * 3600 * 1000LL, h);
	}
	if (err)
		return fq_fail(o->c->e, err, NULL, NULL, NULL);
	/* and the rows of the modules that stamp their own (they fail on c->e) */
	for (int i = 0; !err && i < o->nstampers; i++)
		err = o->stampers[i]->stamp(o, since, h);
	return err;
}

enum fq_err fq_overview_current(struct fq_overview *o, const struct fq_overview_version *v,
				bool *same, char *watch, size_t size)
{
	uint64_t h;
	enum fq_err err;

	*same = false;
	fq_strlcpy(watch, "/", size);
	if (o->now >= v->until || v->until > o->now + FQ_OVERVIEW_RECOUNT_MS ||
	    v->since > o->now || v->since < o->now - SINCE_MAX_MS)
		return FQ_OK;
	if ((err = stamp(o, v->since, &h, watch, size)))
		return err;
	*same = h == v->stamp;
	return FQ_OK;
}

enum fq_err fq_overview_version(struct fq_overview *o, char *out, size_t size)
{
	int64_t since = o->now - SINCE_MARGIN_MS, until = o->now + FQ_OVERVIEW_RECOUNT_MS;
	int64_t overdue = 0;
	char watch[256];
	uint64_t h;
	enum fq_err err = stamp(o, since, &h, watch, sizeof(watch));

	if (err)
		return err;
	/* The late figure grows with no write when a call passes its target;
	 * the period moves at local midnight. */
	if (!o->mine && (err = fq_store_overview_next_overdue(o->c->db, o->lo, o->hi, o->now,
							       &overdue)))
		return fq_fail(o->c->e, err, NULL, NULL, NULL);
	if (overdue > o->now && overdue < until)
		until = overdue;
	if (o->to_ms > o->now && o->to_ms < until)
		until = o->to_ms;
	snprintf(out, size, "%016" PRIx64 ".%" PRId64 ".%" PRId64, h, since, until);
	return FQ_OK;
}
