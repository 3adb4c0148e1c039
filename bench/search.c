/* Full-text search benchmark (docs/PERFORMANCE.md, "Full-text search"),
 * through the library, on either store:
 *
 *   bench-search fill  --store URL [--rows 1000000] [--batch 1000] [--no-index]
 *       a new store: migrations, a small org tree, then rows incidents with
 *       generated Chinese narratives (60–200 characters), batch per
 *       transaction, each indexed with fq_search_index_incident. Prints rows/s
 *       and the time spent indexing per incident. --no-index: does not call
 *       fq_search_index_incident (a store to compare with, not to search;
 *       PostgreSQL: index it with `rebuild` afterwards).
 *   bench-search query --store URL [--runs 300] [--scope station|grid]
 *       times fq_search_incidents for a 20-result page (limit 21) of 2- and
 *       4-character queries, common and rare, round robin; p50 / p99 / max.
 *   bench-search write --store URL [--rows 2000] [--no-index]
 *       one incident per transaction (durable commits): rows/s, with or
 *       without indexing (as for fill), on the store as it is.
 *   bench-search rebuild --store URL    times fq_search_rebuild.
 *
 * The text generator is seeded, so a store is the same on every run. */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/str.h"
#include "search/query.h"
#include "store/search_store.h"
#include "store/store.h"

/* ---- a small seeded generator ---- */

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

#define PICK(a) ((a)[rnd() % (sizeof(a) / sizeof((a)[0]))])

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
				       "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
				       "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩",
				       "冯", "邓", "曹"};
static const char *const given[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊",
				    "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
				    "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "玉兰",
				    "海燕", "国庆", "红梅", "德明"};
static const char *const roads[] = {"幸福", "光明", "建设", "人民", "解放", "和平", "新华",
				    "中山", "长江", "黄河", "朝阳", "胜利", "文化", "东风",
				    "红旗", "民主", "团结", "青年", "劳动", "复兴"};
static const char *const estates[] = {"阳光", "金色家园", "翠湖", "锦绣", "龙湖", "碧桂园",
				      "融创", "恒大", "华润", "万科", "滨江", "枫林"};
static const struct {
	const char *word;
	unsigned from, hours;
} when[] = {{"今日", 0, 24}, {"昨晚", 19, 5},  {"凌晨", 0, 5},  {"上午", 8, 4},
	    {"中午", 11, 3}, {"下午", 13, 5}, {"傍晚", 17, 2}, {"晚上", 19, 4},
	    {"深夜", 23, 1}, {"今天早上", 6, 3}};
static const char *const colors[] = {"红色", "蓝色", "黑色", "灰色", "白色", "绿色"};
static const char *const ends[] = {
	"请求民警到场处理。",   "民警已到场了解情况。", "现场双方情绪激动。",
	"经民警现场调解，双方达成一致。", "报警人要求依法处理。", "已告知其通过法律途径解决。",
	"民警已做好登记，将进一步核查。", "双方同意由社区调解委员会调解。",
};

/* Events, most common first; the rare ones close the list. */
struct event {
	int weight;
	const char *fmt; /* %s: a name, %d: a number */
};
static const struct event events[] = {
	{6000, "楼上住户深夜装修，噪音扰民，多次协商未果，"},
	{4000, "邻居家中大声播放音乐，噪音影响休息，"},
	{6000, "因邻里纠纷与%s发生口角，"},
	{4000, "%s向其借款%d元并写有借条，到期后拒不归还，"},
	{3000, "双方因欠款问题发生纠纷，报警人持有借条，"},
	{2500, "双方因婚约彩礼返还问题发生纠纷，"},
	{1500, "女方家庭索要高额彩礼，双方协商不成，"},
	{5000, "其停放在楼下的电动车被盗，"},
	{4000, "在菜市场购物时手机被盗窃，"},
	{2000, "家中财物被盗，门锁有撬动痕迹，"},
	{4000, "接到自称客服的电话，被骗转账%d元，"},
	{2500, "网上兼职刷单被诈骗%d元，"},
	{4500, "因停车问题与邻居%s发生口角，"},
	{3500, "邻里之间因楼上漏水问题争执不下，"},
	{3000, "物业与业主%s因物业费发生纠纷，"},
	{2000, "家中老人%s走失，身穿%s外套，"},
	{1500, "小孩在公园走失，"},
	{2500, "有人醉酒闹事，砸坏店内物品，"},
	{3000, "车牌号渝A%05d的轿车与电动车发生刮蹭，"},
	{2000, "房东与租客%s因押金退还发生纠纷，"},
	/* rare: from about 30 to 1,000 incidents in a million */
	{2, "家中古董花瓶被人故意损坏，"},
	{3, "家中饲养的鹦鹉被盗，"},
	{10, "发现有人在集市使用假币交易，"},
	{20, "有人在江边非法捕捞，"},
	{60, "河边发现一只受伤的猫头鹰，"},
};

static int event_weights;

static const struct event *pick_event(void)
{
	int w;

	if (!event_weights)
		for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
			event_weights += events[i].weight;
	w = (int)(rnd() % (uint32_t)event_weights);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		if (w < events[i].weight)
			return &events[i];
		w -= events[i].weight;
	}
	return &events[0];
}

static void name(char *out, size_t size)
{
	snprintf(out, size, "%s%s", PICK(surnames), PICK(given));
}

/* fmt takes at most a name, a number and a colour, in that order of use. */
static size_t add_event(char *out, size_t size, const struct event *ev)
{
	char who[32], text[512];
	const char *f = ev->fmt;
	size_t n = 0;

	name(who, sizeof(who));
	/* The formats use %s (name or colour) and %d (a number). */
	if (strstr(f, "%s") && strstr(f, "%d"))
		snprintf(text, sizeof(text), f, who, (int)(rnd() % 50000 + 500));
	else if (strstr(f, "%05d"))
		snprintf(text, sizeof(text), f, (int)(rnd() % 100000));
	else if (strstr(f, "%d"))
		snprintf(text, sizeof(text), f, (int)(rnd() % 50000 + 500));
	else if (strstr(f, "%s") && strstr(strstr(f, "%s") + 2, "%s"))
		snprintf(text, sizeof(text), f, who, PICK(colors));
	else if (strstr(f, "%s"))
		snprintf(text, sizeof(text), f, who);
	else
		snprintf(text, sizeof(text), "%s", f);
	n = strlen(text);
	if (n >= size)
		return 0;
	memcpy(out, text, n + 1);
	return n;
}

/* A narrative of 60–200 characters and an address. */
static void narrative(char *out, size_t size, char *addr, size_t asize)
{
	char who[32];
	size_t len;
	long chars;
	int want = 60 + (int)(rnd() % 141);
	size_t w;

	name(who, sizeof(who));
	if (rnd() % 2)
		snprintf(addr, asize, "重庆市渝北区%s路%u号", PICK(roads), rnd() % 300 + 1);
	else
		snprintf(addr, asize, "重庆市渝北区%s小区%u栋%u单元", PICK(estates), rnd() % 30 + 1,
			 rnd() % 6 + 1);
	w = rnd() % (sizeof(when) / sizeof(when[0]));
	snprintf(out, size, "%s%u时许，报警人%s称其在%s，", when[w].word,
		 (when[w].from + rnd() % when[w].hours) % 24, who, addr);
	len = strlen(out);
	do {
		len += add_event(out + len, size - len, pick_event());
		chars = fq_utf8_len(out, len);
	} while (chars < want - 20 && len + 600 < size);
	snprintf(out + len, size - len, "%s", PICK(ends));
	/* Cut at about 200 characters, on a character boundary. */
	len = strlen(out);
	while (fq_utf8_len(out, len) > 200 || (len && fq_utf8_len(out, len) < 0))
		len--;
	out[len] = '\0';
}

/* ---- timing ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

/* ---- the store ---- */

static void die(const char *what, const struct fq_error *e)
{
	fprintf(stderr, "bench-search: %s%s%s\n", what, e && e->message[0] ? ": " : "",
		e ? e->message : "");
	exit(1);
}

static void check(enum fq_err err, const char *what)
{
	if (err) {
		fprintf(stderr, "bench-search: %s: error %d\n", what, err);
		exit(1);
	}
}

/* Stores of schema 005 and before indexed incidents in SQLite triggers; the
 * index is now written by fq_search_index_incident alone, which --no-index
 * leaves out: nothing to drop. */
static void drop_index_triggers(struct fq_db *db, const char *kind)
{
	(void)db;
	(void)kind;
}

/* Org tree: root 1 > branch 2 > stations 3 (70% of incidents), 4; grids
 * 10–29 under station 3, 30–39 under station 4. */
static void org_tree(struct fq_db *db)
{
	char path[64], code[32];

	check(fq_db_begin(db, true), "begin");
	check(fq_db_exec(db, NULL,
			 "INSERT INTO org_units (id, parent_id, kind, name, code, path, created_at,"
			 " updated_at) VALUES (1, NULL, 'bureau', '市局', 'B1', '/1/', 0, 0),"
			 " (2, 1, 'branch', '分局', 'B2', '/1/2/', 0, 0),"
			 " (3, 2, 'station', '甲派出所', 'S3', '/1/2/3/', 0, 0),"
			 " (4, 2, 'station', '乙派出所', 'S4', '/1/2/4/', 0, 0)",
			 NULL),
	      "org units");
	for (int g = 10; g < 40; g++) {
		int st = g < 30 ? 3 : 4;

		snprintf(path, sizeof(path), "/1/2/%d/%d/", st, g);
		snprintf(code, sizeof(code), "G%d", g);
		check(fq_db_exec(db, NULL,
				 "INSERT INTO org_units (id, parent_id, kind, name, code, path,"
				 " created_at, updated_at) VALUES (?1, ?2, 'grid', ?3, ?3, ?4, 0, 0)",
				 "iiss", (int64_t)g, (int64_t)st, code, path),
		      "grid");
	}
	check(fq_db_commit(db), "commit");
}

static enum fq_err insert_incident(struct fq_db *db, int64_t seq, const char *text,
				   const char *addr, int64_t *id)
{
	int grid = rnd() % 10 < 7 ? 10 + (int)(rnd() % 20) : 30 + (int)(rnd() % 10);
	int st = grid < 30 ? 3 : 4;
	char number[32], path[64];
	int64_t at = 1704067200000 + seq * 60000; /* a call a minute from 2024 */

	snprintf(number, sizeof(number), "B-%08lld", (long long)seq);
	snprintf(path, sizeof(path), "/1/2/%d/%d/", st, grid);
	return fq_db_insert(db, id,
			    "INSERT INTO incidents (number, station_id, org_id, org_path,"
			    " received_at, day, hour, channel, area_type, category, narrative,"
			    " address_text, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4,"
			    " ?5, 20240101, 8, 'phone', 'urban', 'dispute', ?6, ?7, 'closed', ?5,"
			    " ?5) RETURNING id",
			    "siisiss", number, (int64_t)st, (int64_t)grid, path, at, text, addr);
}

static int64_t count_incidents(struct fq_db *db)
{
	struct fq_stmt *st;
	int64_t n = 0;

	check(fq_db_query(db, &st, "SELECT count(*) FROM incidents", NULL), "count");
	if (fq_stmt_next(st) == 1)
		n = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return n;
}

static void fill(struct fq_db *db, int64_t rows, int64_t batch, bool index)
{
	char text[4096], addr[256];
	double t0 = now_s(), t_index = 0, t_insert = 0, t_commit = 0, last = t0;
	double t_index_last = 0, t_insert_last = 0;
	int64_t base = count_incidents(db), chars = 0;

	if (!base)
		org_tree(db);
	for (int64_t i = 0; i < rows; i += batch) {
		double a, b;

		check(fq_db_begin(db, true), "begin");
		for (int64_t k = i; k < i + batch && k < rows; k++) {
			int64_t id;

			narrative(text, sizeof(text), addr, sizeof(addr));
			chars += fq_utf8_len(text, strlen(text));
			a = now_s();
			check(insert_incident(db, base + k, text, addr, &id), "insert");
			b = now_s();
			t_insert += b - a;
			if (index)
				check(fq_search_index_incident(db, id, text, addr), "index");
			t_index += now_s() - b;
		}
		a = now_s();
		check(fq_db_commit(db), "commit");
		t_commit += now_s() - a;
		if ((i + batch) % 100000 == 0 || i + batch >= rows) {
			double t = now_s();
			int64_t done = i + batch < rows ? i + batch : rows;
			printf("%9lld rows  %6.0f s  %7.0f rows/s (last 100k)  insert %5.1f us"
			       "  index %6.1f us per incident (last 100k)\n",
			       (long long)(base + done), t - t0, 100000 / (t - last),
			       (t_insert - t_insert_last) / 100000 * 1e6,
			       (t_index - t_index_last) / 100000 * 1e6);
			fflush(stdout);
			last = t;
			t_index_last = t_index;
			t_insert_last = t_insert;
		}
	}
	printf("filled %lld rows in %.0f s (%.0f rows/s, %lld per transaction): insert %.1f us,"
	       " index %.1f us, commit %.1f us per incident; %.0f characters per narrative\n",
	       (long long)rows, now_s() - t0, (double)rows / (now_s() - t0), (long long)batch,
	       t_insert / (double)rows * 1e6, t_index / (double)rows * 1e6,
	       t_commit / (double)rows * 1e6, (double)chars / (double)rows);
}

static void write_rows(struct fq_db *db, int64_t rows, bool index)
{
	char text[4096], addr[256];
	int64_t base = count_incidents(db);
	double t0 = now_s(), t_index = 0, t_insert = 0, t_commit = 0, *lat;

	lat = malloc(sizeof(double) * (size_t)rows);
	if (!lat)
		check(FQ_ERR_NOMEM, "write");
	rng ^= (uint64_t)base * 2654435761u; /* other texts than the fill's */
	for (int64_t k = 0; k < rows; k++) {
		int64_t id;
		double a, b, c;

		narrative(text, sizeof(text), addr, sizeof(addr));
		a = now_s();
		check(fq_db_begin(db, true), "begin");
		check(insert_incident(db, base + k, text, addr, &id), "insert");
		b = now_s();
		if (index)
			check(fq_search_index_incident(db, id, text, addr), "index");
		c = now_s();
		check(fq_db_commit(db), "commit");
		t_insert += b - a;
		t_index += c - b;
		t_commit += now_s() - c;
		lat[k] = (now_s() - a) * 1e3;
	}
	qsort(lat, (size_t)rows, sizeof(double), cmp_double);
	printf("%-11s %lld incidents, one per commit: %5.0f rows/s, p50 %.2f ms, p99 %.2f ms;"
	       " per incident: insert %.0f us, index %.0f us, commit %.0f us\n",
	       index ? "indexed:" : "not indexed:", (long long)rows, (double)rows / (now_s() - t0),
	       pct(lat, (size_t)rows, 0.5), pct(lat, (size_t)rows, 0.99),
	       t_insert / (double)rows * 1e6, t_index / (double)rows * 1e6,
	       t_commit / (double)rows * 1e6);
	free(lat);
}

/* ---- queries ---- */

struct qclass {
	const char *name;
	const char *queries[6];
};

static const struct qclass classes[] = {
	{"2 chars, common", {"纠纷", "噪音", "借条", "盗窃", "彩礼", NULL}},
	{"2 chars, rare", {"鹦鹉", "古董", "假币", "捕捞", "猫头", NULL}},
	{"4 chars, common", {"邻里纠纷", "噪音扰民", "婚约彩礼", "拒不归还", "押金退还", NULL}},
	{"4 chars, rare", {"古董花瓶", "假币交易", "非法捕捞", "受伤的猫", "鹦鹉被盗", NULL}},
	{"2 words", {"借条 欠款", "噪音 深夜", "电动车 被盗", "彩礼 调解", NULL}},
	/* A part of a number (B-00012345): found by its trigrams. */
	{"digits, part", {"0012345", "31415", "77777", "4242", "0909", NULL}},
};

/* How many incidents of the whole store match q (the index alone). */
static int64_t matches(struct fq_db *db, const char *kind, const char *q)
{
	struct fq_search_query query;
	char text[512] = "";
	struct fq_stmt *st;
	int64_t n = -1;
	bool pg = !strcmp(kind, "postgresql");

	if (fq_search_query_parse(q, &query))
		return -1;
	for (size_t i = 0; i < query.ntokens; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 pg ? "%s'%s'" : "%s\"%s\"", i ? (pg ? " & " : " ") : "", query.tokens[i]);
	fq_search_query_release(&query);
	check(fq_db_query(db, &st,
			  pg ? "SELECT count(*) FROM search_docs WHERE tokens @@ CAST(?1 AS tsquery)"
			     : "SELECT count(*) FROM search_index WHERE search_index MATCH ?1",
			  "s", text),
	      "count");
	if (fq_stmt_next(st) == 1)
		n = fq_stmt_int(st, 0);
	fq_stmt_done(st);
	return n;
}

static bool each; /* --each: figures per query too */

static void query(struct fq_db *db, const char *kind, int runs, const char *scope)
{
	const char *lo = "/1/2/3/", *hi = "/1/2/30";
	double *t = malloc(sizeof(double) * (size_t)runs);

	if (!strcmp(scope, "grid")) {
		lo = "/1/2/3/15/";
		hi = "/1/2/3/150";
	} else if (!strcmp(scope, "all")) {
		lo = "/";
		hi = "0";
	}
	printf("scope %s [%s, %s), %lld incidents, page of 20 (limit 21)\n", scope, lo, hi,
	       (long long)count_incidents(db));
	for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		const struct qclass *qc = &classes[c];
		int nq = 0;

		while (nq < 6 && qc->queries[nq])
			nq++;
		/* How many incidents each matches in the whole store. */
		printf("  %-16s", qc->name);
		for (int i = 0; i < nq; i++) {
			check(fq_db_begin(db, false), "begin");
			printf(" %s:%lld", qc->queries[i],
			       (long long)matches(db, kind, qc->queries[i]));
			fq_db_rollback(db);
		}
		for (int r = 0; r < runs; r++) {
			enum fq_err err;
			json_t *ids;
			double a;

			check(fq_db_begin(db, false), "begin");
			a = now_s();
			ids = fq_search_incidents(db, qc->queries[r % nq], lo, hi, 21, 0, &err);
			t[r] = (now_s() - a) * 1e3;
			fq_db_rollback(db);
			if (!ids)
				check(err ? err : FQ_ERR_INTERNAL, "search");
			json_decref(ids);
		}
		if (each) {
			/* Per query: its runs are r = i, i + nq, i + 2 nq … */
			for (int i = 0; i < nq; i++) {
				double u[4096];
				int k = 0;

				for (int r = i; r < runs && k < 4096; r += nq)
					u[k++] = t[r];
				qsort(u, (size_t)k, sizeof(double), cmp_double);
				printf("\n  %-16s %s: p50 %.2f ms, max %.2f ms", "", qc->queries[i],
				       pct(u, (size_t)k, 0.5), u[k - 1]);
			}
		}
		qsort(t, (size_t)runs, sizeof(double), cmp_double);
		printf("\n  %-16s p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms   (%d runs)\n", "",
		       pct(t, (size_t)runs, 0.5), pct(t, (size_t)runs, 0.99), t[runs - 1], runs);
		fflush(stdout);
	}
	free(t);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "", *url = NULL, *scope = "station";
	int64_t rows = 1000000, batch = 1000;
	int runs = 300;
	bool index = true;
	struct fq_error e = {0};
	struct fq_store *store;
	struct fq_db *db;

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--store") && v)
			url = argv[++i];
		else if (!strcmp(a, "--rows") && v && fq_parse_i64(v, 1, INT64_MAX / 2, &rows))
			i++;
		else if (!strcmp(a, "--batch") && v && fq_parse_i64(v, 1, 1000000, &batch))
			i++;
		else if (!strcmp(a, "--runs") && v && (runs = (int)strtol(v, NULL, 10)) > 0)
			i++;
		else if (!strcmp(a, "--scope") && v)
			scope = argv[++i];
		else if (!strcmp(a, "--no-index"))
			index = false;
		else if (!strcmp(a, "--each"))
			each = true;
		else
			cmd = "";
	}
	if (!url || (strcmp(cmd, "fill") && strcmp(cmd, "query") && strcmp(cmd, "write") &&
		     strcmp(cmd, "rebuild"))) {
		fprintf(stderr, "usage: bench-search fill|query|write|rebuild --store URL "
				"[--rows N] [--batch N] [--no-index] [--runs N] "
				"[--scope station|grid|all]\n");
		return 2;
	}
	if (fq_store_open(url, &store, &e))
		die("cannot open the store", &e);
	if (!strcmp(cmd, "fill") && fq_store_migrate(store, NULL, &e))
		die("cannot migrate", &e);
	db = fq_store_db(store, &e);
	if (!db)
		die("cannot connect", &e);
	if (!index && (!strcmp(cmd, "fill") || !strcmp(cmd, "write")))
		drop_index_triggers(db, fq_store_kind(store));
	if (!strcmp(cmd, "fill")) {
		fill(db, rows, batch, index);
	} else if (!strcmp(cmd, "write")) {
		write_rows(db, rows == 1000000 ? 2000 : rows, index);
	} else if (!strcmp(cmd, "rebuild")) {
		double t0 = now_s();

		check(fq_db_begin(db, true), "begin");
		check(fq_search_rebuild(db), "rebuild");
		check(fq_db_commit(db), "commit");
		printf("rebuilt the index of %lld incidents in %.0f s\n",
		       (long long)count_incidents(db), now_s() - t0);
	} else {
		query(db, fq_store_kind(store), runs, scope);
	}
	fq_store_close(store);
	return 0;
}
