/* fengqiao demo: seeds a demo station modelled on 重庆市公安局渝北区分局两路派出所
 * (shared/seeds/000): 11 communities, 51 officers, 100 auxiliary police, standard
 * addresses and residents, plus one login per role with a known password.
 *
 * Everything goes through the domain functions (validation, encryption of ID
 * numbers and phones, keyed hashes, person timelines) acting as the command
 * line. The data comes from a pseudo-random generator with a constant seed, so
 * every run makes the same station. The station, its staff, its addresses and
 * the first BATCH residents are one transaction; larger runs (bench/) commit
 * every BATCH residents so the WAL stays small. */
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/secret.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/address.h"
#include "domain/ctx.h"
#include "domain/duty.h"
#include "domain/idcard.h"
#include "domain/org.h"
#include "domain/patrol.h"
#include "domain/person.h"
#include "domain/user.h"
#include "http/app.h"
#include "store/org_store.h"
#include "store/user_store.h"

#define DEMO_PASSWORD "Demo@2026"
#define BRANCH_CODE "500112"
#define STATION_CODE "500112001"
#define BATCH 50000       /* residents per transaction */
#define ARENA_EVERY 256   /* residents between arena resets */
#define MAX_RESIDENTS 2000000
#define MAX_ADDRESSES 200000

/* ---- deterministic pseudo-random numbers (splitmix64) ---- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability per_mille / 1000. */
static bool rng_chance(struct rng *r, uint32_t per_mille)
{
	return rng_below(r, 1000) < per_mille;
}

/* ---- a set of 64-bit keys (open addressing), for uniqueness ---- */

struct keyset {
	uint64_t *slots; /* 0 = empty; keys are stored as key | 1 << 63 */
	size_t mask;
};

static bool keyset_init(struct keyset *k, size_t expected)
{
	size_t n = 1024;

	while (n < expected * 2)
		n *= 2;
	k->slots = calloc(n, sizeof(*k->slots));
	k->mask = n - 1;
	return k->slots != NULL;
}

/* Adds key; false when it was there already. */
static bool keyset_add(struct keyset *k, uint64_t key)
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

static uint64_t hash_str(const char *s)
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

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct name {
	char zh[32]; /* UTF-8: up to three characters */
	char py[40];
};

static void make_name(struct rng *r, bool male, struct name *n)
{
	/* Half the people carry one of the eight commonest surnames. */
	const struct syl *s = &surnames[rng_chance(r, 500) ? rng_below(r, 8)
							   : rng_below(r, COUNT(surnames))];
	const struct syl *g = male ? given_m : given_f;
	size_t ng = male ? COUNT(given_m) : COUNT(given_f);
	const struct syl *a = &g[rng_below(r, (uint32_t)ng)];

	if (rng_chance(r, 300)) {
		snprintf(n->zh, sizeof(n->zh), "%s%s", s->zh, a->zh);
		snprintf(n->py, sizeof(n->py), "%s.%s", s->py, a->py);
	} else {
		const struct syl *b = &g[rng_below(r, (uint32_t)ng)];
		snprintf(n->zh, sizeof(n->zh), "%s%s%s", s->zh, a->zh, b->zh);
		snprintf(n->py, sizeof(n->py), "%s.%s%s", s->py, a->py, b->py);
	}
}

/* ---- the station ---- */

struct community {
	const char *name;
	int beat; /* index into beats[] */
	const char *streets[2];
	bool village;
};

static const char *const police_rooms[] = {"双凤桥警务室", "龙湾警务室", "临港警务室"};
static const struct {
	const char *name;
	int room;
} beats[] = {
	{"双凤桥片区", 0}, {"空港片区", 0}, {"龙湾片区", 1},
	{"松石片区", 1},   {"临港片区", 2}, {"兴科片区", 2},
};
static const struct community communities[] = {
	{"双凤桥社区", 0, {"双龙大道", "双凤路"}, false},
	{"长岭社区", 0, {"长岭路", "双龙大道"}, false},
	{"空港社区", 1, {"空港大道", "机场路"}, false},
	{"园港社区", 1, {"园港路", "空港大道"}, false},
	{"龙湾社区", 2, {"龙湾路", "龙兴街"}, false},
	{"桃源社区", 2, {"桃源路", "龙兴街"}, false},
	{"松石社区", 3, {"松石大道", "龙湾路"}, false},
	{"龙兴社区", 3, {"龙兴街", "松石大道"}, false},
	{"临港社区", 4, {"临港大道", "金港路"}, false},
	{"金港社区", 4, {"金港路", "临港大道"}, false},
	{"兴科社区", 5, {"兴科大道", "兴科一路"}, false},
	{"黄桷村", 5, {"黄桷村一组", "黄桷村二组"}, true},
	{"石坝村", 5, {"石坝村三组", "石坝村五组"}, true},
};
#define NROOMS ((int)COUNT(police_rooms))
#define NBEATS ((int)COUNT(beats))
#define NCOMM ((int)COUNT(communities))
#define MAX_GRIDS (NCOMM * 3)

/* Division codes of the birthplaces of residents born elsewhere. */
static const char *const other_divisions[] = {
	"500101", "500103", "500105", "500106", "500228", "500233", "500236", "500243",
	"510104", "510722", "511602", "522101", "420106", "430104", "530102", "610113",
};

static const char *const foreign_names[] = {
	"约翰·史密斯", "玛丽亚·加西亚", "阮文雄", "金敏俊", "安娜·伊万诺娃", "田中一郎",
};

struct grid {
	int64_t id;
	int comm; /* index into communities[] */
	int n;    /* number within its community, from 1 */
	int64_t aux_id;
};

struct station {
	int64_t branch, station;
	int64_t rooms[NROOMS], beats[NBEATS], comms[NCOMM];
	struct grid grids[MAX_GRIDS];
	int ngrids;
	int64_t *addresses;
	int naddresses;
	char staff_hash[128]; /* one unknown random password, for the staff accounts */
	struct keyset usernames;
	int officers, aux;
};

/* One login per role, all with DEMO_PASSWORD. */
static const struct {
	const char *role, *username, *where, *note;
} logins[] = {
	{"chief", "demo.chief", "两路派出所 (所长)", "TOTP set-up at first sign-in"},
	{"officer", "demo.officer", "两路派出所", ""},
	{"aux", "demo.aux", "双凤桥警务室", ""},
	{"mediator", "demo.mediator", "两路派出所", ""},
	{"counselor", "demo.counselor", "两路派出所 (青少年关爱驿站)", ""},
	{"volunteer", "demo.volunteer", "双凤桥社区", ""},
	{"resident", "demo.resident", "双凤桥社区", ""},
	{"sysadmin", "demo.sysadmin", "渝北区分局", "TOTP set-up at first sign-in"},
	{"secadmin", "demo.secadmin", "渝北区分局", "TOTP set-up at first sign-in"},
	{"auditor", "demo.auditor", "渝北区分局", "TOTP set-up at first sign-in"},
};

static void print_logins(void)
{
	printf("\ndemo logins (password %s for all; change them before any real use):\n\n",
	       DEMO_PASSWORD);
	/* The unit comes last: Chinese text does not line up with %-Ns. */
	printf("  %-10s %-16s %-10s %-29s %s\n", "role", "username", "password", "note", "unit");
	printf("  %-10s %-16s %-10s %-29s %s\n", "----", "--------", "--------", "----", "----");
	for (size_t i = 0; i < COUNT(logins); i++)
		printf("  %-10s %-16s %-10s %-29s %s\n", logins[i].role, logins[i].username,
		       DEMO_PASSWORD, logins[i].note, logins[i].where);
}

static enum fq_err add_org(struct fq_ctx *c, int64_t parent, const char *kind, const char *name,
			   const char *code, const char *area, int64_t *id)
{
	struct fq_org_input in = {parent, kind, name, code, area, 0, 0};

	return fq_org_create(c, &in, id);
}

static enum fq_err set_leader(struct fq_ctx *c, int64_t org, int64_t leader, int64_t aux)
{
	struct fq_org_input in = {.leader_id = leader, .resident_aux_id = aux};

	return fq_org_update(c, org, &in);
}

/* A user name from the pinyin, made unique with a number. */
static const char *unique_username(struct station *s, const char *py, char *out, size_t size)
{
	snprintf(out, size, "%s", py);
	for (int k = 2; !keyset_add(&s->usernames, hash_str(out)); k++)
		snprintf(out, size, "%s%d", py, k);
	return out;
}

/* A demo login with the known password, through fq_user_create. */
static enum fq_err add_login(struct fq_ctx *c, struct station *s, const char *username,
			     const char *display, const char *role, int64_t org, int64_t *id)
{
	struct fq_user_input in = {username, display, role, org, DEMO_PASSWORD, false};

	keyset_add(&s->usernames, hash_str(username));
	return fq_user_create(c, &in, true, id);
}

/* A member of staff who exists as a record but cannot sign in until an
 * administrator issues a password: the checks of fq_user_create, with the hash
 * of one random password that is never shown. Hashing a separate password for
 * each of the 150 staff would cost ~0.1 s each (argon2id). */
static enum fq_err add_staff(struct fq_ctx *c, struct station *s, struct rng *r,
			     const char *role, int64_t org, int64_t *id)
{
	struct name n;
	char username[64];
	struct fq_user_new u = {NULL, NULL, role, org, s->staff_hash, false};
	enum fq_err err;

	make_name(r, rng_chance(r, strcmp(role, "aux") ? 780 : 650), &n);
	u.username = unique_username(s, n.py, username, sizeof(username));
	u.display_name = n.zh;
	err = fq_user_name_check(u.username, c->e);
	if (!err && !fq_role_find(role))
		err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "role", "unknown role '%s'", role);
	if (!err)
		err = fq_org_visible(c, org, "org_id", NULL, NULL);
	if (!err && (err = fq_store_user_insert(c->db, &u, id)))
		fq_fail(c->e, err, NULL, "username", "cannot add the user '%s'", u.username);
	if (!err && !strcmp(role, "aux"))
		s->aux++;
	else if (!err)
		s->officers++;
	return err;
}

/* The branch (reused when it exists), the station, police rooms, beats,
 * communities, villages and grids. */
static enum fq_err build_orgs(struct fq_ctx *c, struct station *s, struct rng *r)
{
	struct fq_org_row row;
	json_t *units = fq_org_list(c), *u;
	int64_t root = 0;
	char code[40], name[64];
	enum fq_err err = FQ_OK;
	size_t i;

	if (!units)
		return c->e->err;
	json_array_foreach(units, i, u) {
		if (!json_is_integer(json_object_get(u, "parent_id"))) {
			root = json_integer_value(json_object_get(u, "id"));
			break;
		}
	}
	json_decref(units);
	if (!root)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, NULL,
			       "no root org unit: run 'fengqiao init' first");
	if (!fq_store_org_by_code(c->db, BRANCH_CODE, &row) && !strcmp(row.kind, "branch"))
		s->branch = row.id;
	else
		err = add_org(c, root, "branch", "渝北区分局", BRANCH_CODE, "urban", &s->branch);
	if (!err)
		err = fq_org_create(c,
				    &(struct fq_org_input){.parent_id = s->branch, .kind = "station",
							   .name = "两路派出所", .code = STATION_CODE,
							   .area_type = "urban", .number_prefix = "LL"},
				    &s->station);
	for (int k = 0; !err && k < NROOMS; k++) {
		snprintf(code, sizeof(code), "%s-P%d", STATION_CODE, k + 1);
		err = add_org(c, s->station, "police_room", police_rooms[k], code, "urban",
			      &s->rooms[k]);
	}
	for (int k = 0; !err && k < NBEATS; k++) {
		snprintf(code, sizeof(code), "%s-P%d-B%d", STATION_CODE, beats[k].room + 1, k + 1);
		err = add_org(c, s->rooms[beats[k].room], "beat", beats[k].name, code, "urban",
			      &s->beats[k]);
	}
	for (int k = 0; !err && k < NCOMM; k++) {
		const struct community *m = &communities[k];
		int grids = m->village ? 1 : 2 + (int)rng_below(r, 2);

		snprintf(code, sizeof(code), "%s-%c%02d", STATION_CODE, m->village ? 'V' : 'C', k + 1);
		err = add_org(c, s->beats[m->beat], m->village ? "village" : "community", m->name,
			      code, m->village ? "suburban" : "urban", &s->comms[k]);
		for (int g = 0; !err && g < grids; g++) {
			struct grid *gr = &s->grids[s->ngrids];

			snprintf(code, sizeof(code), "%s-%c%02d-G%d", STATION_CODE,
				 m->village ? 'V' : 'C', k + 1, g + 1);
			snprintf(name, sizeof(name), "%s第%d网格", m->name, g + 1);
			err = add_org(c, s->comms[k], "grid", name, code, NULL, &gr->id);
			gr->comm = k;
			gr->n = g + 1;
			s->ngrids++;
		}
	}
	return err;
}

/* 51 officers (2 chiefs) and 100 aux, the leaders of units, one aux per
 * village (一村一辅警) and per grid, and the demo logins. */
static enum fq_err build_staff(struct fq_ctx *c, struct station *s, struct rng *r)
{
	struct name n;
	char secret[17];
	int64_t id, chief = 0;
	enum fq_err err;
	int k, g;

	fq_random_password(secret);
	err = fq_password_hash(secret, s->staff_hash)
		      ? fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, "cannot hash the password")
		      : FQ_OK;
	sodium_memzero(secret, sizeof(secret));
	if (err)
		return err;

	/* The demo logins: chief and officer count among the 51, aux among the 100. */
	make_name(r, true, &n);
	err = add_login(c, s, "demo.chief", n.zh, "chief", s->station, &chief);
	if (!err)
		s->officers++;
	if (!err)
		err = set_leader(c, s->station, chief, 0);
	if (!err) {
		make_name(r, true, &n);
		err = add_login(c, s, "demo.officer", n.zh, "officer", s->station, &id);
		s->officers += !err;
	}
	if (!err) {
		make_name(r, false, &n);
		err = add_login(c, s, "demo.aux", n.zh, "aux", s->rooms[0], &id);
		s->aux += !err;
	}
	for (size_t i = 3; !err && i < COUNT(logins); i++) {
		bool whole = fq_role_find(logins[i].role)->whole_tree;
		int64_t org = whole ? s->branch
			      : !strcmp(logins[i].role, "volunteer") ||
					!strcmp(logins[i].role, "resident")
				  ? s->comms[0]
				  : s->station;

		make_name(r, rng_chance(r, 500), &n);
		err = add_login(c, s, logins[i].username, n.zh, logins[i].role, org, &id);
	}
	/* 教导员, then the leaders of police rooms and beats, then one officer per
	 * community, the rest at the station (case, public order and command teams). */
	if (!err)
		err = add_staff(c, s, r, "chief", s->station, &id);
	for (k = 0; !err && k < NROOMS; k++)
		if (!(err = add_staff(c, s, r, "officer", s->rooms[k], &id)))
			err = set_leader(c, s->rooms[k], id, 0);
	for (k = 0; !err && k < NBEATS; k++)
		if (!(err = add_staff(c, s, r, "officer", s->beats[k], &id)))
			err = set_leader(c, s->beats[k], id, 0);
	for (k = 0; !err && k < NCOMM; k++)
		if (!communities[k].village && !(err = add_staff(c, s, r, "officer", s->comms[k], &id)))
			err = set_leader(c, s->comms[k], id, 0);
	while (!err && s->officers < 51)
		err = add_staff(c, s, r, "officer", s->station, &id);
	/* Aux: the resident aux of each village, one per grid, then duty aux at
	 * the police rooms and the station. */
	for (k = 0; !err && k < NCOMM; k++)
		if (communities[k].village && !(err = add_staff(c, s, r, "aux", s->comms[k], &id)))
			err = set_leader(c, s->comms[k], 0, id);
	for (g = 0; !err && g < s->ngrids; g++)
		if (!(err = add_staff(c, s, r, "aux", s->grids[g].id, &s->grids[g].aux_id)))
			err = set_leader(c, s->grids[g].id, s->grids[g].aux_id, 0);
	for (k = 0; !err && s->aux < 100; k++)
		err = add_staff(c, s, r, "aux", k % 4 < NROOMS ? s->rooms[k % 4] : s->station, &id);
	return err;
}

/* Standard addresses: compounds of buildings along the streets of each grid's
 * community, and some shops and houses with a door number only. */
static enum fq_err build_addresses(struct fq_ctx *c, struct station *s, struct rng *r, int count)
{
	/* Community grids get three addresses for each one of a village grid. */
	int slots[MAX_GRIDS * 3], nslots = 0;
	struct keyset seen;
	enum fq_err err = FQ_OK;

	for (int g = 0; g < s->ngrids; g++)
		for (int w = communities[s->grids[g].comm].village ? 1 : 3; w > 0; w--)
			slots[nslots++] = g;
	s->addresses = calloc((size_t)count, sizeof(*s->addresses));
	if (!s->addresses || !keyset_init(&seen, (size_t)count))
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	for (int i = 0; !err && i < count; i++) {
		int gi = slots[(size_t)i * 7 % (size_t)nslots];
		const struct grid *gr = &s->grids[gi];
		const struct community *m = &communities[gr->comm];
		int street = (int)rng_below(r, 2), door, tries = 0;
		char door_no[16], building[16], unit[16], floor[16], room[16], key[160];
		struct fq_address_input in = {"500112", m->streets[street], door_no, NULL, NULL,
					      NULL, NULL, true, 0, 0, gr->id};
		bool shop;

		do {
			/* Along a street each grid has its own 40 door numbers; village
			 * houses are numbered within their village group. */
			shop = m->village || rng_chance(r, 120);
			door = m->village ? 1 + (int)rng_below(r, 400 + (uint32_t)count / 20)
					  : 1 + 40 * gi + (int)rng_below(r, 40);
			snprintf(door_no, sizeof(door_no), "%d号", door);
			if (!shop) {
				int fl = 1 + (int)rng_below(r, 32);
				snprintf(building, sizeof(building), "%d栋", 1 + (int)rng_below(r, 12));
				snprintf(unit, sizeof(unit), "%d单元", 1 + (int)rng_below(r, 3));
				snprintf(floor, sizeof(floor), "%d层", fl);
				snprintf(room, sizeof(room), "%d%02d室", fl, 1 + (int)rng_below(r, 4));
			}
			snprintf(key, sizeof(key), "%s%s%s%s%s%s", in.street, door_no,
				 shop ? "" : building, shop ? "" : unit, shop ? "" : floor,
				 shop ? "" : room);
		} while (!keyset_add(&seen, hash_str(key)) && ++tries < 1000);
		if (tries == 1000) {
			err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "addresses",
				      "cannot make %d different addresses", count);
			break;
		}
		if (!shop) {
			in.building = building;
			in.unit = unit;
			in.floor = floor;
			in.room = room;
		}
		/* Around 两路 (29.72 N, 106.63 E): a street per community, doors along it. */
		in.lat = 29.690 + 0.006 * gr->comm + 0.00002 * door + 0.0004 * street;
		in.lng = 106.600 + 0.005 * gr->comm + 0.00003 * door;
		err = fq_address_create(c, &in, &s->addresses[i]);
		s->naddresses += !err;
	}
	free(seen.slots);
	return err;
}

/* ---- duty: today's shifts, the posture plan, a patrol ---- */

/* Three shifts of "1+3+2" around today — last night (20:00–08:00), today
 * (08:00–20:00) and tonight — so that demo.officer (a responder) and demo.aux
 * (a patroller) are on the running shift at any hour; demo.chief leads the day
 * shift. The station's posture plan (07–09 and 17–19 post), and an active
 * patrol of demo.aux with a check-in. */
static enum fq_err build_duty(struct fq_ctx *c, struct station *s)
{
	static const char *const names[] = {"昨日夜班", "白班", "夜班"};
	static const char *const modes[24] = {
		"line_patrol", "line_patrol", "line_patrol", "line_patrol", "line_patrol",
		"line_patrol", "line_patrol", "post",        "post",        "line_patrol",
		"line_patrol", "line_patrol", "line_patrol", "line_patrol", "line_patrol",
		"line_patrol", "line_patrol", "post",        "post",        "line_patrol",
		"line_patrol", "line_patrol", "line_patrol", "line_patrol"};
	static const char *const checkpoints[] = {"双凤桥社区", "双龙大道", "双凤路口"};
	int64_t officers[16], aux[16], me[3], now = fq_time_now_ms(), midnight, shift_now = 0;
	int no = 0, na = 0;
	struct fq_org_row row;
	struct fq_user_row u;
	json_t *staff, *x;
	enum fq_err err;
	size_t i;

	fq_duty_day_start(c, fq_duty_local_day(c, now), &midnight);
	err = fq_store_org_get(c->db, s->station, &row);
	for (int k = 0; !err && k < 3; k++) {
		static const char *const logins3[] = {"demo.chief", "demo.officer", "demo.aux"};
		err = fq_store_user_by_name(c->db, logins3[k], &u);
		me[k] = u.id;
	}
	staff = err ? NULL : fq_store_user_list(c->db, row.path, NULL, 400, 0, &err);
	if (!staff)
		return fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, "cannot list the staff");
	/* Other staff at the station itself, not leading a unit. */
	json_array_foreach(staff, i, x) {
		int64_t id = json_integer_value(json_object_get(x, "id"));
		const char *role = json_string_value(json_object_get(x, "role"));

		if (id == me[0] || id == me[1] || id == me[2] ||
		    json_integer_value(json_object_get(x, "org_id")) != s->station || !role)
			continue;
		if (!strcmp(role, "officer") && no < 16)
			officers[no++] = id;
		else if (!strcmp(role, "aux") && na < 16)
			aux[na++] = id;
	}
	json_decref(staff);
	if (no < 9 || na < 6)
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "too few staff for the demo shifts");
	for (int k = 0; !err && k < 3; k++) {
		struct fq_shift_position pos[] = {
			{"call_taker", aux[2 * k]},       {"responder", me[1]},
			{"responder", officers[2 * k]},   {"responder", officers[2 * k + 1]},
			{"patroller", me[2]},             {"patroller", aux[2 * k + 1]},
		};
		struct fq_shift_input in = {
			.station_id = s->station, .name = names[k],
			.start_at = midnight + (12 * k - 4) * 3600000LL,
			.end_at = midnight + (12 * k + 8) * 3600000LL,
			.leader_id = k == 1 ? me[0] : officers[6 + k], .has_positions = true,
			.positions = pos, .npositions = (int)COUNT(pos)};
		int64_t id;

		err = fq_shift_create(c, &in, &id);
		if (!err && in.start_at <= now && now < in.end_at)
			shift_now = id;
	}
	if (!err)
		err = fq_duty_posture_set(c, s->station, modes);
	if (!err) {
		int64_t members[] = {me[2], aux[1]}, id;
		struct fq_patrol_input p = {
			.station_id = s->station, .shift_id = shift_now, .team = "巡逻一组",
			.route = "双凤桥社区—双龙大道—双凤路口", .checkpoints = checkpoints,
			.ncheckpoints = (int)COUNT(checkpoints), .member_ids = members,
			.nmembers = (int)COUNT(members), .start = {.place = "两路派出所"}};
		struct fq_checkin_input at = {.place = "双凤桥社区", .note = "社区门口秩序正常"};

		err = fq_patrol_create(c, &p, &id);
		if (!err)
			err = fq_patrol_checkin(c, id, &at);
	}
	return err;
}

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
static int birth_year(struct rng *r)
{
	uint32_t p = rng_below(r, 100);

	if (p < 12)
		return 1940 + (int)rng_below(r, 20); /* 1940–1959 */
	if (p < 74)
		return 1960 + (int)rng_below(r, 40); /* 1960–1999 */
	return 2000 + (int)rng_below(r, 16);         /* 2000–2015 */
}

struct tally {
	long persons, elderly, minors, foreigners;
};

/* One resident: a valid GB 11643 number unique in this run, a name matching
 * the sex, a phone, an address (its grid is the person's unit) and tags. */
static enum fq_err add_resident(struct fq_ctx *c, struct station *s, struct rng *r,
				struct keyset *ids, const struct today *t, long i,
				struct tally *tally)
{
	char number[32], phone[24], tags[40] = "";
	const char *division;
	struct name n;
	struct fq_person_input in = {n.zh, "id_card", number, phone, 0, 0, tags};
	int y, m, d, seq, age, div;
	int64_t id;
	enum fq_err err;

	if (rng_chance(r, 2)) {
		/* A few foreigners with a passport. */
		snprintf(n.zh, sizeof(n.zh), "%s", foreign_names[rng_below(r, COUNT(foreign_names))]);
		snprintf(number, sizeof(number), "E%08ld", 10000000 + i);
		in.doc_type = "passport";
		snprintf(tags, sizeof(tags), "foreigner");
		tally->foreigners++;
		age = 30;
	} else {
		do {
			div = rng_chance(r, 700) ? -1 : (int)rng_below(r, COUNT(other_divisions));
			division = div < 0 ? "500112" : other_divisions[div];
			y = birth_year(r);
			m = 1 + (int)rng_below(r, 12);
			d = 1 + (int)rng_below(r, (uint32_t)days_in_month(y, m));
			seq = (int)rng_below(r, 1000);
		} while (!keyset_add(ids, ((uint64_t)(div + 1) << 40) |
						  ((uint64_t)(y * 10000 + m * 100 + d) << 10) |
						  (uint64_t)seq));
		snprintf(number, sizeof(number), "%s%04d%02d%02d%03d", division, y, m, d, seq);
		number[17] = fq_idcard_check_char(number);
		number[18] = '\0';
		make_name(r, seq % 2 == 1, &n); /* odd 17th digit: male */
		age = t->y - y - (t->m < m || (t->m == m && t->d < d));
		if (age >= 65) {
			snprintf(tags, sizeof(tags), "elderly");
			tally->elderly++;
		} else if (age < 18) {
			snprintf(tags, sizeof(tags), "minor");
			tally->minors++;
		}
		if (rng_chance(r, 15))
			snprintf(tags + strlen(tags), sizeof(tags) - strlen(tags), "%sdisabled",
				 tags[0] ? " " : "");
	}
	if (age < 12 || rng_chance(r, 50))
		in.phone = NULL;
	else
		snprintf(phone, sizeof(phone), "13%d%08u", (int)rng_below(r, 10),
			 rng_below(r, 100000000));
	/* Most live at a standard address; some only have a grid so far. */
	if (s->naddresses && !rng_chance(r, 20))
		in.address_id = s->addresses[rng_below(r, (uint32_t)s->naddresses)];
	else
		in.org_id = s->grids[rng_below(r, (uint32_t)s->ngrids)].id;
	err = fq_person_create(c, &in, &id);
	tally->persons += !err;
	return err;
}

/* Residents from *done up to count, committing every BATCH; the first batch
 * shares the transaction of the station. Returns 0 or the exit code. */
static int build_residents(struct fq_app *app, struct fq_ctx *c, struct station *s, long count,
			   struct tally *tally, struct fq_error *e)
{
	struct rng r = {0x5EED000000000002ULL};
	struct keyset ids;
	struct today t;
	int64_t t0 = fq_time_mono_us();
	enum fq_err err = FQ_OK;
	int rc;

	china_today(&t);
	if (!keyset_init(&ids, (size_t)count)) {
		fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		fq_cli_end(c, false);
		return fq_cli_fail(e);
	}
	for (long i = 0; i < count; i++) {
		if (i && i % ARENA_EVERY == 0) {
			fq_arena_free(c->arena);
			if (!(c->arena = fq_arena_new())) {
				err = fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
				break;
			}
		}
		if (i && i % BATCH == 0) {
			rc = fq_cli_end(c, true);
			if (!rc)
				rc = fq_cli_begin(app, c, e);
			if (rc) {
				free(ids.slots);
				return rc;
			}
			fprintf(stderr, "residents: %ld of %ld (%.1f s)\n", i, count,
				(double)(fq_time_mono_us() - t0) / 1e6);
		}
		err = add_resident(c, s, &r, &ids, &t, i, tally);
		if (err)
			break;
	}
	free(ids.slots);
	rc = fq_cli_end(c, !err);
	if (err)
		return fq_cli_fail(e);
	return rc;
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

int fq_cmd_demo(int argc, char **argv)
{
	static const struct fq_cli_opt opts[] = {
		{"residents", true, "number of residents (default 2000)"},
		{"addresses", true, "number of standard addresses (default 300)"},
		{NULL, false, NULL},
	};
	struct fq_cli cli;
	struct fq_app *app = NULL;
	struct fq_error e = {0};
	struct fq_ctx c;
	struct fq_org_row row;
	struct station s = {0};
	struct rng r = {0x5EED000000000001ULL};
	struct tally tally = {0};
	int64_t residents = 2000, addresses = 300, t0 = fq_time_mono_us();
	int nincidents = 0;
	char detail[160];
	enum fq_err err;
	int rc = fq_cli_parse(&cli, "demo", opts, argc, argv);

	if (rc)
		return rc;
	if (cli.nargs)
		return fq_cli_usage("demo");
	if (!parse_count(fq_cli_opt(&cli, "residents"), "residents", MAX_RESIDENTS, &residents) ||
	    !parse_count(fq_cli_opt(&cli, "addresses"), "addresses", MAX_ADDRESSES, &addresses))
		return 2;
	rc = fq_cli_open(&cli, false, &app);
	if (rc)
		return rc;
	rc = fq_cli_begin(app, &c, &e);
	if (rc)
		goto out;
	if (!fq_store_org_by_code(c.db, STATION_CODE, &row)) {
		fq_cli_end(&c, false);
		printf("the demo station exists already (org unit %s, %s)\n", STATION_CODE, row.name);
		print_logins();
		goto out;
	}
	if (!keyset_init(&s.usernames, 1024)) {
		fq_cli_end(&c, false);
		rc = fq_cli_fail(&e);
		goto out;
	}
	err = build_orgs(&c, &s, &r);
	if (!err)
		err = build_staff(&c, &s, &r);
	if (!err)
		err = build_addresses(&c, &s, &r, (int)addresses);
	if (!err)
		err = build_duty(&c, &s);
	if (!err)
		err = fq_demo_incidents(&c, s.station, &nincidents);
	if (err) {
		fq_cli_end(&c, false);
		rc = fq_cli_fail(&e);
	} else {
		rc = build_residents(app, &c, &s, residents, &tally, &e);
	}
	snprintf(detail, sizeof(detail), "%d officers, %d aux, %d addresses, %ld residents%s",
		 s.officers, s.aux, s.naddresses, tally.persons, rc ? " (failed)" : "");
	fq_cli_audit(app, "system.demo", "org", STATION_CODE, !rc, detail);
	if (rc)
		goto out;
	printf("demo station 两路派出所 (%s) created in %.1f s:\n"
	       "  %d police rooms, %d beats, %d communities and villages, %d grids\n"
	       "  %d officers (2 chiefs), %d aux; %d standard addresses\n"
	       "  %ld residents (%ld elderly, %ld minors, %ld foreigners)\n"
	       "  today's shifts, a patrol, %d incidents of the last three days\n",
	       STATION_CODE, (double)(fq_time_mono_us() - t0) / 1e6, NROOMS, NBEATS, NCOMM,
	       s.ngrids, s.officers, s.aux, s.naddresses, tally.persons, tally.elderly,
	       tally.minors, tally.foreigners, nincidents);
	printf("other staff have passwords nobody knows: reset one with 'fengqiao user passwd'\n");
	print_logins();
out:
	free(s.addresses);
	free(s.usernames.slots);
	fq_app_close(app);
	return rc;
}
