/* The overview's long poll (GET /api/overview?version=…, /mine?version=…):
 * the version of an answer, and whether the answer it names still holds. A
 * version is "STAMP.SINCE.UNTIL": STAMP a digest of the rows the figures come
 * from (overview_store.h: the unit's incidents written at or after SINCE, its
 * running shifts and active patrols; mine: the caller's calls, positions and
 * patrols), UNTIL the first moment a figure may change with no write (the
 * next call to become overdue, local midnight, or a re-count every
 * FQ_OVERVIEW_RECOUNT_MS at the latest). Checking one costs a few index reads,
 * not the figures. No HTTP, no SQL. */
#ifndef FQ_OVERVIEW_LIVE_H
#define FQ_OVERVIEW_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_overview;

/* The longest version text, with its NUL. */
#define FQ_OVERVIEW_VERSION_MAX 64
/* A version is re-counted after this at the latest: what no stamp follows
 * (a member of staff busy on another station's call, a unit renamed) shows
 * within this time. */
#define FQ_OVERVIEW_RECOUNT_MS (2 * 60 * 1000)

struct fq_overview_version {
	uint64_t stamp;
	int64_t since; /* the stamp holds the incidents written at or after since */
	int64_t until; /* from then on a figure may change with no write */
};

/* Reads "STAMP.SINCE.UNTIL" (16 hexadecimal digits, two times in ms); false
 * when text is not a version this server could have made. */
bool fq_overview_version_parse(const char *text, struct fq_overview_version *v);

/* Whether the answer v names is still o's (o set up by fq_overview_begin, no
 * figures asked yet): o->now before v->until, v->since recent, and the stamp
 * of o's rows since v->since equal to v's. watch (size bytes) gets the org
 * path whose writes may change the answer ("/" for the caller's own
 * overview, whose calls may lie anywhere). Fails on c->e. */
enum fq_err fq_overview_current(struct fq_overview *o, const struct fq_overview_version *v,
				bool *same, char *watch, size_t size);

/* The version of the answer o is about to give, into out (size at least
 * FQ_OVERVIEW_VERSION_MAX). Call before the providers add their figures, in
 * the same transaction: a write that commits in between moves the stamp, so
 * it is answered again rather than missed. Fails on c->e. */
enum fq_err fq_overview_version(struct fq_overview *o, char *out, size_t size);

#endif
