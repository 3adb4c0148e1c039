/* Demo data of the persons: the residents, with valid GB 11643 ID numbers,
 * names that match their sex, phones, addresses and tags (elderly, minor,
 * disabled, foreigner), from a generator of their own (cli/demo.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/idcard.h"
#include "domain/person.h"

#define BATCH 50000     /* residents per transaction */
#define ARENA_EVERY 256 /* residents between arena resets */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Division codes of the birthplaces of residents born elsewhere. */
static const char *const other_divisions[] = {
	"500101", "500103", "500105", "500106", "500228", "500233", "500236", "500243",
	"510104", "510722", "511602", "522101", "420106", "430104", "530102", "610113",
};

static const char *const foreign_names[] = {
	"约翰·史密斯", "玛丽亚·加西亚", "阮文雄", "金敏俊", "安娜·伊万诺娃", "田中一郎",
};

struct today {
	int y, m, d;
};

static void china_today(struct today *t)
{
	char iso[32];

	fq_time_format(fq_time_now_ms() + 8 * 3600 * 1000LL, iso, sizeof(iso));
	t->y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
	t->m = (iso[5] - '0') * 10 + (iso[6] - '0');
	t->d = (iso[8] - '0') * 10 + (iso[9] - '0');
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0) ? 29 : dm[m - 1];
}

/* A birth year 1940–2015, weighted towards working age. */
static int birth_year(struct fq_demo_rng *r)
{
	uint32_t p = fq_demo_rng_below(r, 100);

	if (p < 12)
		return 1940 + (int)fq_demo_rng_below(r, 20); /* 1940–1959 */
	if (p < 74)
		return 1960 + (int)fq_demo_rng_below(r, 40); /* 1960–1999 */
	return 2000 + (int)fq_demo_rng_below(r, 16);         /* 2000–2015 */
}

/* One resident: a valid GB 11643 number unique in this run, a name matching
 * the sex, a phone, an address (its grid is the person's unit) and tags. */
static enum fq_err add_resident(struct fq_demo *d, struct fq_demo_rng *r,
				struct fq_demo_keyset *ids, const struct today *t, long i)
{
	char number[32], phone[24], tags[40] = "";
	const char *division;
	struct fq_demo_name n;
	struct fq_person_input in = {n.zh, "id_card", number, phone, 0, 0, tags};
	int y, m, day, seq, age, div;
	int64_t id;
	enum fq_err err;

	if (fq_demo_rng_chance(r, 2)) {
		/* A few foreigners with a passport. */
		snprintf(n.zh, sizeof(n.zh), "%s",
			 foreign_names[fq_demo_rng_below(r, COUNT(foreign_names))]);
		snprintf(number, sizeof(number), "E%08ld", 10000000 + i);
		in.doc_type = "passport";
		snprintf(tags, sizeof(tags), "foreigner");
		d->foreigners++;
		age = 30;
	} else {
		do {
			div = fq_demo_rng_chance(r, 700)
				      ? -1
				      : (int)fq_demo_rng_below(r, COUNT(other_divisions));
			division = div < 0 ? "500112" : other_divisions[div];
			y = birth_year(r);
			m = 1 + (int)fq_demo_rng_below(r, 12);
			day = 1 + (int)fq_demo_rng_below(r, (uint32_t)days_in_month(y, m));
			seq = (int)fq_demo_rng_below(r, 1000);
		} while (!fq_demo_keyset_add(ids, ((uint64_t)(div + 1) << 40) |
							  ((uint64_t)(y * 10000 + m * 100 + day) << 10) |
							  (uint64_t)seq));
		snprintf(number, sizeof(number), "%s%04d%02d%02d%03d", division, y, m, day, seq);
		number[17] = fq_idcard_check_char(number);
		number[18] = '\0';
		fq_demo_name(r, seq % 2 == 1, &n); /* odd 17th digit: male */
		age = t->y - y - (t->m < m || (t->m == m && t->d < day));
		if (age >= 65) {
			snprintf(tags, sizeof(tags), "elderly");
			d->elderly++;
		} else if (age < 18) {
			snprintf(tags, sizeof(tags), "minor");
			d->minors++;
		}
		if (fq_demo_rng_chance(r, 15))
			snprintf(tags + strlen(tags), sizeof(tags) - strlen(tags), "%sdisabled",
				 tags[0] ? " " : "");
	}
	if (age < 12 || fq_demo_rng_chance(r, 50))
		in.phone = NULL;
	else
		snprintf(phone, sizeof(phone), "13%d%08u", (int)fq_demo_rng_below(r, 10),
			 fq_demo_rng_below(r, 100000000));
	/* Most live at a standard address; some only have a grid so far. */
	if (d->naddresses && !fq_demo_rng_chance(r, 20))
		in.address_id = d->addresses[fq_demo_rng_below(r, (uint32_t)d->naddresses)];
	else
		in.org_id = d->grids[fq_demo_rng_below(r, (uint32_t)d->ngrids)].id;
	err = fq_person_create(d->c, &in, &id);
	d->persons += !err;
	return err;
}

/* The residents, committing every BATCH; the first batch shares the
 * transaction of the station. */
enum fq_err fq_demo_persons(struct fq_demo *d)
{
	struct fq_ctx *c = d->c;
	struct fq_demo_rng r = {0x5EED000000000002ULL};
	struct fq_demo_keyset ids;
	struct today t;
	long count = (long)d->want_residents;
	int64_t t0 = fq_time_mono_us();
	enum fq_err err = FQ_OK;

	china_today(&t);
	if (!fq_demo_keyset_init(&ids, (size_t)count))
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	for (long i = 0; !err && i < count; i++) {
		if (i && i % ARENA_EVERY == 0) {
			fq_arena_free(c->arena);
			if (!(c->arena = fq_arena_new())) {
				err = fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
				break;
			}
		}
		if (i && i % BATCH == 0) {
			err = fq_demo_commit(d);
			if (err)
				break;
			fprintf(stderr, "residents: %ld of %ld (%.1f s)\n", i, count,
				(double)(fq_time_mono_us() - t0) / 1e6);
		}
		err = add_resident(d, &r, &ids, &t, i);
	}
	free(ids.slots);
	return err;
}
