/* fengqiao demo: seeds a demo station modelled on 重庆市公安局渝北区分局两路派出所
 * (shared/seeds/000): 11 communities, 51 officers, 100 auxiliary police, standard
 * addresses and residents, today's shifts and a few days of incidents, plus one
 * login per role with a known password.
 *
 * This file is the command and what the parts share (cli/demo.h); each module
 * adds its own data in cli/demo_<module>.c, named in its declaration
 * (api/module.h) and run in module order. Everything goes through the domain
 * functions (validation, encryption of ID numbers and phones, keyed hashes,
 * person timelines) acting as the command line. The data comes from
 * pseudo-random generators with constant seeds, so every run makes the same
 * station. The station, its staff, its addresses and the first residents are
 * one transaction; larger runs (bench/) commit every 50 000 residents so the
 * WAL stays small. */
#include "cli/demo.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/module.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "http/app.h"
#include "store/org_store.h"
#include "store/store.h"

#define MAX_RESIDENTS 2000000
#define MAX_ADDRESSES 200000

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- deterministic pseudo-random numbers (splitmix64) ---- */

uint64_t fq_demo_rng_next(struct fq_demo_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

uint32_t fq_demo_rng_below(struct fq_demo_rng *r, uint32_t n)
{
	return (uint32_t)(((fq_demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

bool fq_demo_rng_chance(struct fq_demo_rng *r, uint32_t per_mille)
{
	return fq_demo_rng_below(r, 1000) < per_mille;
}

/* ---- a set of 64-bit keys ---- */

bool fq_demo_keyset_init(struct fq_demo_keyset *k, size_t expected)
{
	size_t n = 1024;

	while (n < expected * 2)
		n *= 2;
	k->slots = calloc(n, sizeof(*k->slots));
	k->mask = n - 1;
	return k->slots != NULL;
}

bool fq_demo_keyset_add(struct fq_demo_keyset *k, uint64_t key)
{
	uint64_t v = key | (1ULL << 63), h = key * 0x9E3779B97F4A7C15ULL;
	size_t i = (size_t)(h >> 20) & k->mask;

	while (k->slots[i]) {
		if (k->slots[i] == v)
			return false;
		i = (i + 1) & k->mask;
	}
	k->slots[i] = v;
	return true;
}

uint64_t fq_demo_hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h & ~(1ULL << 63);
}

/* ---- names ---- */

struct syl {
	const char *zh, *py;
};

/* Ordered by frequency (Chongqing): the first ones are picked more often. */
static const struct syl surnames[] = {
	{"陈", "chen"},  {"李", "li"},     {"刘", "liu"},   {"王", "wang"},  {"张", "zhang"},
	{"杨", "yang"},  {"黄", "huang"},  {"周", "zhou"},  {"何", "he"},    {"罗", "luo"},
	{"谭", "tan"},   {"吴", "wu"},     {"邓", "deng"},  {"冉", "ran"},   {"唐", "tang"},
	{"徐", "xu"},    {"赵", "zhao"},   {"胡", "hu"},    {"向", "xiang"}, {"曾", "zeng"},
	{"蒋", "jiang"}, {"彭", "peng"},   {"谢", "xie"},   {"郑", "zheng"}, {"秦", "qin"},
	{"余", "yu"},    {"熊", "xiong"},  {"田", "tian"},  {"马", "ma"},    {"孙", "sun"},
	{"朱", "zhu"},   {"郭", "guo"},    {"林", "lin"},   {"高", "gao"},   {"梁", "liang"},
	{"宋", "song"},  {"许", "xu"},     {"韩", "han"},   {"冯", "feng"},  {"曹", "cao"},
	{"肖", "xiao"},  {"董", "dong"},   {"袁", "yuan"},  {"潘", "pan"},   {"蔡", "cai"},
	{"杜", "du"},    {"叶", "ye"},     {"程", "cheng"}, {"苏", "su"},    {"魏", "wei"},
	{"吕", "lv"},    {"丁", "ding"},   {"任", "ren"},   {"沈", "shen"},  {"姚", "yao"},
	{"卢", "lu"},    {"钟", "zhong"},  {"廖", "liao"},  {"夏", "xia"},   {"付", "fu"},
	{"邹", "zou"},   {"牟", "mou"},    {"龚", "gong"},  {"汪", "wang"},  {"文", "wen"},
};
static const struct syl given_m[] = {
	{"伟", "wei"},     {"强", "qiang"},  {"军", "jun"},    {"勇", "yong"},  {"杰", "jie"},
	{"涛", "tao"},     {"明", "ming"},   {"超", "chao"},   {"刚", "gang"},  {"平", "ping"},
	{"辉", "hui"},     {"鹏", "peng"},   {"华", "hua"},    {"飞", "fei"},   {"波", "bo"},
	{"斌", "bin"},     {"宇", "yu"},     {"浩", "hao"},    {"凯", "kai"},   {"健", "jian"},
	{"俊", "jun"},     {"帆", "fan"},    {"磊", "lei"},    {"建", "jian"},  {"国", "guo"},
	{"志", "zhi"},     {"文", "wen"},    {"兵", "bing"},   {"林", "lin"},   {"川", "chuan"},
	{"渝", "yu"},      {"峰", "feng"},   {"成", "cheng"},  {"德", "de"},    {"荣", "rong"},
	{"海", "hai"},     {"东", "dong"},   {"新", "xin"},    {"良", "liang"}, {"毅", "yi"},
	{"红", "hong"},    {"庆", "qing"},   {"光", "guang"},  {"春", "chun"},  {"宏", "hong"},
	{"子", "zi"},      {"轩", "xuan"},   {"博", "bo"},     {"睿", "rui"},   {"航", "hang"},
};
static const struct syl given_f[] = {
	{"芳", "fang"},  {"娟", "juan"},  {"敏", "min"},   {"静", "jing"},   {"丽", "li"},
	{"艳", "yan"},   {"娜", "na"},    {"秀", "xiu"},   {"霞", "xia"},    {"燕", "yan"},
	{"玲", "ling"},  {"桂", "gui"},   {"英", "ying"},  {"兰", "lan"},    {"琴", "qin"},
	{"梅", "mei"},   {"婷", "ting"},  {"雪", "xue"},   {"慧", "hui"},    {"倩", "qian"},
	{"洁", "jie"},   {"晶", "jing"},  {"莉", "li"},    {"萍", "ping"},   {"红", "hong"},
	{"琳", "lin"},   {"颖", "ying"},  {"佳", "jia"},   {"欣", "xin"},    {"怡", "yi"},
	{"淑", "shu"},   {"俊", "jun"},   {"春", "chun"},  {"凤", "feng"},   {"群", "qun"},
	{"雨", "yu"},    {"思", "si"},    {"梓", "zi"},    {"涵", "han"},    {"萱", "xuan"},
};

void fq_demo_name(struct fq_demo_rng *r, bool male, struct fq_demo_name *n)
{
	/* Half the people carry one of the eight commonest surnames. */
	const struct syl *s = &surnames[fq_demo_rng_chance(r, 500)
						? fq_demo_rng_below(r, 8)
						: fq_demo_rng_below(r, COUNT(surnames))];
	const struct syl *g = male ? given_m : given_f;
	size_t ng = male ? COUNT(given_m) : COUNT(given_f);
	const struct syl *a = &g[fq_demo_rng_below(r, (uint32_t)ng)];

	if (fq_demo_rng_chance(r, 300)) {
		snprintf(n->zh, sizeof(n->zh), "%s%s", s->zh, a->zh);
		snprintf(n->py, sizeof(n->py), "%s.%s", s->py, a->py);
	} else {
		const struct syl *b = &g[fq_demo_rng_below(r, (uint32_t)ng)];
		snprintf(n->zh, sizeof(n->zh), "%s%s%s", s->zh, a->zh, b->zh);
		snprintf(n->py, sizeof(n->py), "%s.%s%s", s->py, a->py, b->py);
	}
}

/* ---- the command ---- */

enum fq_err fq_demo_commit(struct fq_demo *d)
{
	struct fq_ctx *c = d->c;
	enum fq_err err = fq_db_commit(c->db);

	if (err)
		return fq_fail(c->e, err, NULL, NULL, "cannot save the demo data");
	err = fq_db_begin(c->db, true);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, "cannot start a transaction");
	return FQ_OK;
}

static void print_logins(void)
{
	printf("\ndemo logins (password %s for all; change them before any real use):\n\n",
	       FQ_DEMO_PASSWORD);
	/* The unit comes last: Chinese text does not line up with %-Ns. */
	printf("  %-10s %-16s %-10s %-29s %s\n", "role", "username", "password", "note", "unit");
	printf("  %-10s %-16s %-10s %-29s %s\n", "----", "--------", "--------", "----", "----");
	for (size_t i = 0; i < fq_demo_nlogins; i++)
		printf("  %-10s %-16s %-10s %-29s %s\n", fq_demo_logins[i].role,
		       fq_demo_logins[i].username, FQ_DEMO_PASSWORD, fq_demo_logins[i].note,
		       fq_demo_logins[i].where);
}

static bool parse_count(const char *v, const char *name, int64_t max, int64_t *out)
{
	if (!v)
		return true;
	if (!fq_parse_i64(v, 1, max, out)) {
		fprintf(stderr, "fengqiao demo: --%s must be a whole number from 1 to %lld\n", name,
			(long long)max);
		return false;
	}
	return true;
}

static const struct fq_cli_opt opts[] = {
	{"residents", true, "number of residents (default 2000)"},
	{"addresses", true, "number of standard addresses (default 300)"},
	{NULL, false, NULL},
};

static int run(int argc, char **argv)
{
	struct fq_cli cli;
	struct fq_app *app = NULL;
	struct fq_error e = {0};
	struct fq_ctx c;
	struct fq_org_row row;
	struct fq_demo d = {
		.c = &c, .rng = {0x5EED000000000001ULL}, .want_residents = 2000,
		.want_addresses = 300};
	int64_t t0 = fq_time_mono_us();
	char detail[160];
	enum fq_err err = FQ_OK;
	int rc = fq_cli_parse(&cli, "demo", opts, argc, argv);

	if (rc)
		return rc;
	if (cli.nargs)
		return fq_cli_usage("demo");
	if (!parse_count(fq_cli_opt(&cli, "residents"), "residents", MAX_RESIDENTS,
			 &d.want_residents) ||
	    !parse_count(fq_cli_opt(&cli, "addresses"), "addresses", MAX_ADDRESSES,
			 &d.want_addresses))
		return 2;
	rc = fq_cli_open(&cli, false, &app);
	if (rc)
		return rc;
	d.app = app;
	rc = fq_cli_begin(app, &c, &e);
	if (rc)
		goto out;
	if (!fq_store_org_by_code(c.db, FQ_DEMO_STATION_CODE, &row)) {
		fq_cli_end(&c, false);
		printf("the demo station exists already (org unit %s, %s)\n", FQ_DEMO_STATION_CODE,
		       row.name);
		print_logins();
		goto out;
	}
	if (!fq_demo_keyset_init(&d.usernames, 1024))
		err = fq_fail(&e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	/* Each module's part, in module order: each needs the ones before it
	 * (staff belong to units, residents live at addresses, incidents are
	 * dispatched to the current shift). */
	for (int i = 0; !err && fq_modules[i]; i++) {
		if (!fq_modules[i]->demo)
			continue;
		err = fq_modules[i]->demo(&d);
		if (err && !e.err)
			fq_fail(&e, err, NULL, NULL, "cannot add the demo %s", fq_modules[i]->name);
	}
	rc = fq_cli_end(&c, !err);
	if (err)
		rc = fq_cli_fail(&e);
	snprintf(detail, sizeof(detail), "%d officers, %d aux, %d addresses, %ld residents%s",
		 d.officers, d.aux, d.naddresses, d.persons, rc ? " (failed)" : "");
	fq_cli_audit(app, "system.demo", "org", FQ_DEMO_STATION_CODE, !rc, detail);
	if (rc)
		goto out;
	printf("demo station 两路派出所 (%s) created in %.1f s:\n"
	       "  %d police rooms, %d beats, %d communities and villages, %d grids\n"
	       "  %d officers (2 chiefs), %d aux; %d standard addresses\n"
	       "  %ld residents (%ld elderly, %ld minors, %ld foreigners)\n"
	       "  today's shifts, a patrol, %d incidents of the last three days\n",
	       FQ_DEMO_STATION_CODE, (double)(fq_time_mono_us() - t0) / 1e6, FQ_DEMO_ROOMS,
	       FQ_DEMO_BEATS, FQ_DEMO_COMMUNITIES, d.ngrids, d.officers, d.aux, d.naddresses,
	       d.persons, d.elderly, d.minors, d.foreigners, d.incidents);
	printf("other staff have passwords nobody knows: reset one with 'fengqiao user passwd'\n");
	print_logins();
out:
	free(d.addresses);
	free(d.usernames.slots);
	fq_app_close(app);
	return rc;
}

const struct fq_cli_command fq_cmd_demo = {
	.name = "demo",
	.run = run,
	.summary = "add a demo station with one login per role (after init; once)",
	.forms = (const char *const[]){"[--residents N] [--addresses N]", NULL},
	.opts = opts,
};
