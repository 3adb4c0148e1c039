/* Full-text search of incidents (src/store/search_store.c, src/search/): the
 * index and the ranking, on the store the harness runs on (SQLite, or
 * PostgreSQL with FQ_TEST_PG_URL). Every expected result is written out or
 * computed here by brute force from the same rules, so a pass on both stores
 * means both give the same results. Incidents are written with SQL and
 * indexed with fq_search_index_incident, as the incident code does. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/harness.h"
#include "core/err.h"
#include "core/json_write.h"
#include "http/app.h"
#include "search/bigram.h"
#include "search/query.h"
#include "store/search_store.h"
#include "store/store.h"

static struct fq_db *db_of(struct api_env *env)
{
	struct fq_error e = {0};
	struct fq_db *db = fq_store_db(env->app->store, &e);

	if (!db)
		fprintf(stderr, "  no store connection: %s\n", e.message);
	return db;
}

/* The org path of unit id, and the scope range [lo, hi) of that unit. */
static void scope_of(struct api_env *env, int64_t unit, char lo[128], char hi[128])
{
	struct fq_stmt *st;

	lo[0] = hi[0] = '\0';
	if (fq_db_query(db_of(env), &st, "SELECT path FROM org_units WHERE id = ?1", "i", unit))
		return;
	if (fq_stmt_next(st) == 1) {
		snprintf(lo, 128, "%s", fq_stmt_text(st, 0));
		snprintf(hi, 128, "%s", lo);
		hi[strlen(hi) - 1] = '0';
	}
	fq_stmt_done(st);
}

/* Writes an incident of org unit `unit` with the texts and indexes it;
 * returns its id (0 on failure). */
static int64_t add(struct api_env *env, int64_t unit, const char *narrative, const char *address)
{
	static int seq;
	struct fq_db *db = db_of(env);
	char lo[128], hi[128], number[32];
	int64_t id = 0, now = 1767225600000; /* 2026-01-01 */
	enum fq_err err;

	scope_of(env, unit, lo, hi);
	snprintf(number, sizeof(number), "T-%06d", ++seq);
	if (fq_db_begin(db, true))
		return 0;
	err = fq_db_insert(db, &id,
			   "INSERT INTO incidents (number, station_id, org_id, org_path, received_at,"
			   " day, hour, channel, area_type, category, narrative, address_text, status,"
			   " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 20260101, 8, 'phone',"
			   " 'urban', 'dispute', ?6, ?7, 'received', ?5, ?5) RETURNING id",
			   "siisiss", number, env->st_a, unit, lo, now + seq, narrative, address);
	if (!err)
		err = fq_search_index_incident(db, id, narrative, address);
	if (!err)
		err = fq_db_commit(db);
	if (err) {
		fq_db_rollback(db);
		fprintf(stderr, "  cannot add incident '%s': error %d\n", narrative, err);
		return 0;
	}
	return id;
}

/* Changes an incident's narrative and indexes it again. */
static bool change(struct api_env *env, int64_t id, const char *narrative, const char *address)
{
	struct fq_db *db = db_of(env);
	enum fq_err err = fq_db_begin(db, true);

	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE incidents SET narrative = ?1, address_text = ?2 WHERE id = ?3",
				 "ssi", narrative, address, id);
	if (!err)
		err = fq_search_index_incident(db, id, narrative, address);
	if (!err)
		err = fq_db_commit(db);
	else
		fq_db_rollback(db);
	return !err;
}

/* A row for each incident and each person, and on SQLite FTS5 finds its
 * index consistent with the rows (an external-content index checks every
 * row against its content). */
static bool index_consistent(struct api_env *env)
{
	if (api_count(env, "SELECT count(*) FROM search_docs WHERE type = 'incident'") !=
		    api_count(env, "SELECT count(*) FROM incidents") ||
	    api_count(env, "SELECT count(*) FROM search_docs WHERE type = 'person'") !=
		    api_count(env, "SELECT count(*) FROM persons"))
		return false;
	if (strcmp(fq_store_kind(env->app->store), "sqlite"))
		return true;
	return api_exec(env, "INSERT INTO search_index (search_index, rank)"
			     " VALUES ('integrity-check', 1)");
}

/* The ids found for q in the scope of `unit` as compact JSON text
 * ("[3,1]"), or "error N". */
static const char *find_in(struct api_env *env, int64_t unit, const char *q, int64_t limit,
			   int64_t offset)
{
	static char out[8][4096];
	static int slot;
	char lo[128], hi[128], *s;
	enum fq_err err = FQ_OK;
	json_t *ids;
	struct fq_db *db = db_of(env);

	slot = (slot + 1) % 8;
	scope_of(env, unit, lo, hi);
	if (fq_db_begin(db, false))
		return "error begin";
	ids = fq_search_incidents(db, q, lo, hi, limit, offset, &err);
	fq_db_rollback(db);
	if (!ids) {
		snprintf(out[slot], sizeof(out[slot]), "error %d", err);
		return out[slot];
	}
	s = fq_json_dumps(ids, JSON_COMPACT);
	snprintf(out[slot], sizeof(out[slot]), "%s", s ? s : "?");
	free(s);
	json_decref(ids);
	return out[slot];
}

/* In the whole of station A, first page of 20. */
#define FIND(env, q) find_in((env), (env)->st_a, (q), 20, 0)
#define IDS(...) ids_text((int64_t[]){__VA_ARGS__}, sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

static const char *ids_text(const int64_t *ids, size_t n)
{
	static char out[8][4096];
	static int slot;
	size_t len = 1;

	slot = (slot + 1) % 8;
	out[slot][0] = '[';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out[slot] + len, sizeof(out[slot]) - len, "%s%lld",
					i ? "," : "", (long long)ids[i]);
	snprintf(out[slot] + len, sizeof(out[slot]) - len, "]");
	return out[slot];
}

TEST(two_character_term)
{
	struct api_env *env = api_env_new();
	int64_t a = add(env, env->g_a1, "邻居借钱写了借条，到期不还", "幸福路1号");
	int64_t b = add(env, env->g_a1, "楼上装修噪音扰民", "幸福路2号");
	int64_t c = add(env, env->g_a2, "借条丢失，报警求助", NULL);
	int64_t d = add(env, env->g_a1, "条款借用纠纷", "幸福路3号"); /* 借 and 条, not 借条 */

	CHECK(a && b && c && d);
	CHECK_STR(FIND(env, "借条"), IDS(c, a));
	CHECK_STR(FIND(env, " 借条 "), IDS(c, a));
	CHECK_STR(FIND(env, "噪音"), IDS(b));
	CHECK_STR(FIND(env, "彩礼"), "[]");
	/* Several terms: all of them. */
	CHECK_STR(FIND(env, "借条 到期"), IDS(a));
	CHECK_STR(FIND(env, "借条，噪音"), "[]");
	api_env_free(env);
}

TEST(four_character_term)
{
	struct api_env *env = api_env_new();
	int64_t a = add(env, env->g_a1, "双方因邻里纠纷发生口角", NULL);
	int64_t b = add(env, env->g_a1, "邻里之间的纠纷", NULL); /* no 里纠: not found */
	/* Every bigram, but apart: found, ranked after the whole term. */
	int64_t c = add(env, env->g_a1, "邻里和睦，里纠察队，无纠纷", NULL);
	int64_t d = add(env, env->g_a1, "婚约彩礼返还纠纷", NULL);

	CHECK(a && b && c && d);
	CHECK_STR(FIND(env, "邻里纠纷"), IDS(a, c));
	CHECK_STR(FIND(env, "彩礼返还"), IDS(d));
	CHECK_STR(FIND(env, "纠纷"), IDS(d, c, b, a));
	api_env_free(env);
}

TEST(single_character)
{
	struct api_env *env = api_env_new();
	int64_t a = add(env, env->g_a1, "狗咬人", NULL);
	int64_t b = add(env, env->g_a1, "走失的狗已找到", NULL);
	int64_t c = add(env, env->g_a1, "猫在树上", NULL);

	CHECK(a && b && c);
	CHECK_STR(FIND(env, "狗"), IDS(b, a));
	CHECK_STR(FIND(env, "猫"), IDS(c));
	api_env_free(env);
}

TEST(latin_letters_and_digits)
{
	struct api_env *env = api_env_new();
	int64_t a = add(env, env->g_a1, "车牌渝A12345的轿车刮蹭", NULL);
	int64_t b = add(env, env->g_a1, "报警人电话13800138000，WiFi密码被盗", NULL);
	int64_t c = add(env, env->g_a1, "车牌渝A123456", NULL);

	CHECK(a && b && c);
	/* A word is found by a part of 3 letters or more: c holds a12345 too. */
	CHECK_STR(FIND(env, "渝A12345"), IDS(c, a));
	CHECK_STR(FIND(env, "a12345"), IDS(c, a));
	CHECK_STR(FIND(env, "Ａ１２３４５"), IDS(c, a)); /* full-width */
	CHECK_STR(FIND(env, "12345"), IDS(c, a));
	CHECK_STR(FIND(env, "123456"), IDS(c));
	CHECK_STR(FIND(env, "0013800"), IDS(b));
	CHECK_STR(FIND(env, "wif"), IDS(b));
	CHECK_STR(FIND(env, "12"), "[]");         /* shorter than 3: whole words only */
	CHECK_STR(FIND(env, "13800138000"), IDS(b));
	CHECK_STR(FIND(env, "wifi"), IDS(b));
	CHECK_STR(FIND(env, "WIFI 密码"), IDS(b));
	CHECK_STR(FIND(env, "渝"), IDS(c, a));
	api_env_free(env);
}

TEST(address_is_searched)
{
	struct api_env *env = api_env_new();
	int64_t a = add(env, env->g_a1, "有人打架", "重庆市渝北区幸福路12号");
	int64_t b = add(env, env->g_a1, "幸福路口有人打架", "重庆市渝北区光明路3号");

	CHECK(a && b);
	/* The address weighs more than the narrative. */
	CHECK_STR(FIND(env, "幸福路"), IDS(a, b));
	CHECK_STR(FIND(env, "光明路 打架"), IDS(b));
	api_env_free(env);
}

TEST(scope_filters)
{
	struct api_env *env = api_env_new();
	int64_t a1 = add(env, env->g_a1, "借条纠纷", NULL);
	int64_t a2 = add(env, env->g_a2, "借条纠纷", NULL);
	int64_t sa = add(env, env->st_a, "借条纠纷", NULL);
	int64_t b1 = add(env, env->g_b1, "借条纠纷", NULL);

	CHECK(a1 && a2 && sa && b1);
	CHECK_STR(find_in(env, env->st_a, "借条", 20, 0), IDS(sa, a2, a1));
	CHECK_STR(find_in(env, env->g_a1, "借条", 20, 0), IDS(a1));
	CHECK_STR(find_in(env, env->beat_a, "借条", 20, 0), IDS(a2, a1));
	CHECK_STR(find_in(env, env->st_b, "借条", 20, 0), IDS(b1));
	CHECK_STR(find_in(env, env->root, "借条", 20, 0), IDS(b1, sa, a2, a1));
	api_env_free(env);
}

TEST(query_without_tokens_is_refused)
{
	struct api_env *env = api_env_new();

	CHECK(add(env, env->g_a1, "借条", NULL));
	CHECK_STR(FIND(env, ""), "error 9"); /* FQ_ERR_INVALID */
	CHECK_STR(FIND(env, "  ，。！？…… "), "error 9");
	CHECK_STR(FIND(env, "\xff\xfe"), "error 9");
	CHECK_STR(FIND(env, NULL), "error 9");
	CHECK_INT(FQ_ERR_INVALID, 9);
	api_env_free(env);
}

TEST(ranking_and_newest_on_ties)
{
	struct api_env *env = api_env_new();
	int64_t once = add(env, env->g_a1, "噪音", NULL);
	int64_t thrice = add(env, env->g_a1, "噪音，噪音，还是噪音", NULL);
	int64_t five = add(env, env->g_a1, "噪音噪音噪音噪音噪音", NULL); /* counted up to 3 */
	int64_t addr = add(env, env->g_a1, "噪音", "噪音巷5号");
	int64_t once2 = add(env, env->g_a1, "夜间噪音", NULL);

	CHECK(once && thrice && five && addr && once2);
	/* addr 2+5, five 6 and thrice 6 (newest first), then the singles. */
	CHECK_STR(FIND(env, "噪音"), IDS(addr, five, thrice, once2, once));
	/* Pages. */
	CHECK_STR(find_in(env, env->st_a, "噪音", 2, 0), IDS(addr, five));
	CHECK_STR(find_in(env, env->st_a, "噪音", 2, 2), IDS(thrice, once2));
	CHECK_STR(find_in(env, env->st_a, "噪音", 2, 4), IDS(once));
	CHECK_STR(find_in(env, env->st_a, "噪音", 2, 6), "[]");
	CHECK_STR(find_in(env, env->st_a, "噪音", 0, 0), "[]");
	CHECK_STR(find_in(env, env->st_a, "噪音", 20, FQ_SEARCH_CANDIDATES), "[]");
	api_env_free(env);
}

TEST(update_indexes_again)
{
	struct api_env *env = api_env_new();
	int64_t a = add(env, env->g_a1, "借条被撕毁", "幸福路1号");
	int64_t b = add(env, env->g_a1, "借条", NULL);

	CHECK(a && b);
	CHECK_STR(FIND(env, "撕毁"), IDS(a));
	CHECK(change(env, a, "彩礼返还争议", "光明路2号"));
	CHECK_STR(FIND(env, "撕毁"), "[]");
	CHECK_STR(FIND(env, "借条"), IDS(b));
	CHECK_STR(FIND(env, "幸福路"), "[]");
	CHECK_STR(FIND(env, "彩礼"), IDS(a));
	CHECK_STR(FIND(env, "光明路"), IDS(a));
	/* Indexing the same text twice changes nothing. */
	CHECK(change(env, a, "彩礼返还争议", "光明路2号"));
	CHECK_STR(FIND(env, "彩礼"), IDS(a));
	CHECK(change(env, a, "", NULL));
	CHECK_STR(FIND(env, "彩礼"), "[]");
	CHECK(index_consistent(env));
	api_env_free(env);
}

TEST(deleted_incident_leaves_the_index)
{
	struct api_env *env = api_env_new();
	int64_t a = add(env, env->g_a1, "借条", NULL);

	CHECK(a);
	CHECK(api_exec(env, api_fmt("DELETE FROM incidents WHERE id = %lld", (long long)a)));
	CHECK_STR(FIND(env, "借条"), "[]");
	CHECK(index_consistent(env));
	api_env_free(env);
}

TEST(rebuild)
{
	struct api_env *env = api_env_new();
	int64_t a = add(env, env->g_a1, "借条", "幸福路");
	int64_t b = add(env, env->g_a2, "噪音", NULL);
	struct fq_db *db = db_of(env);

	CHECK(a && b);
	/* The index emptied behind the code's back, then rebuilt. */
	CHECK(api_exec(env, strcmp(fq_store_kind(env->app->store), "sqlite")
				    ? "DELETE FROM search_docs"
				    : "INSERT INTO search_index (search_index) VALUES ('delete-all')"));
	CHECK(api_exec(env, "DELETE FROM search_docs"));
	CHECK_STR(FIND(env, "借条"), "[]");
	CHECK(!fq_db_begin(db, true));
	CHECK_INT(fq_search_rebuild(db), FQ_OK);
	CHECK(!fq_db_commit(db));
	CHECK_STR(FIND(env, "借条"), IDS(a));
	CHECK_STR(FIND(env, "幸福路"), IDS(a));
	CHECK_STR(FIND(env, "噪音"), IDS(b));
	CHECK(index_consistent(env));
	/* PostgreSQL: the GIN index was made again as the migration defines it. */
	if (strcmp(fq_store_kind(env->app->store), "sqlite"))
		CHECK_INT(api_count(env, "SELECT count(*) FROM pg_indexes WHERE indexname ="
					 " 'search_docs_tokens' AND indexdef LIKE"
					 " '%USING gin (tokens) WITH (fastupdate=%off)'"),
			  1);
	api_env_free(env);
}

/* A grid's few matches under thousands of newer ones elsewhere in the station. */
TEST(narrow_scope_under_a_common_term)
{
	struct api_env *env = api_env_new();
	struct fq_db *db = db_of(env);
	char lo1[128], hi1[128], lo2[128], hi2[128];
	int64_t few[10], id;

	scope_of(env, env->g_a1, lo1, hi1);
	scope_of(env, env->g_a2, lo2, hi2);
	CHECK(!fq_db_begin(db, true));
	for (int i = 0; i < 2600; i++) {
		bool rare = i < 10;
		CHECK(!fq_db_insert(db, &id,
				    "INSERT INTO incidents (number, station_id, org_id, org_path,"
				    " received_at, day, hour, channel, area_type, category, narrative,"
				    " status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 0,"
				    " 20260101, 8, 'phone', 'urban', 'dispute', ?5, 'received', 0, 0)"
				    " RETURNING id",
				    "siiss", api_fmt("N-%d", i), env->st_a, rare ? env->g_a2 : env->g_a1,
				    rare ? lo2 : lo1, i % 2 ? "邻里纠纷" : "物业纠纷"));
		CHECK(!fq_search_index_incident(db, id, NULL, NULL));
		if (rare)
			few[9 - i] = id;
	}
	CHECK(!fq_db_commit(db));
	CHECK_STR(find_in(env, env->g_a2, "纠纷", 20, 0),
		  IDS(few[0], few[1], few[2], few[3], few[4], few[5], few[6], few[7], few[8],
		      few[9]));
	CHECK_STR(find_in(env, env->g_a2, "邻里纠纷", 20, 0),
		  IDS(few[0], few[2], few[4], few[6], few[8]));
	CHECK_STR(find_in(env, env->g_a1, "彩礼", 20, 0), "[]");
	api_env_free(env);
}

/* Through GET /api/incidents?q= with incidents registered and corrected
 * through the API. */
TEST(through_the_api)
{
	struct api_env *env = api_env_new();
	struct api_client c, b;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	r = api_call(env, &c, "POST", "/api/incidents",
		     "{\"channel\":\"phone\",\"category\":\"dispute\","
		     "\"narrative\":\"邻居借钱不还，借条在手\",\"address_text\":\"幸福路8号\"}");
	check_status(r, 201);
	id = api_int(r.json, "id");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents?q=%E5%80%9F%E6%9D%A1", NULL); /* 借条 */
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	/* Another station's officer does not find it. */
	r = api_call(env, &b, "GET", "/api/incidents?q=%E5%80%9F%E6%9D%A1", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	/* A correction is indexed: the old words are gone. */
	r = api_call(env, &c, "PATCH", api_fmt("/api/incidents/%lld", (long long)id),
		     "{\"narrative\":\"楼上噪音扰民\"}");
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents?q=%E5%80%9F%E6%9D%A1", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents?q=%E5%99%AA%E9%9F%B3", NULL); /* 噪音 */
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	/* Nothing to search for. */
	r = api_call(env, &c, "GET", "/api/incidents?q=%EF%BC%9F%EF%BC%9F", NULL); /* ？？ */
	check_error(r, 422, NULL, "q");
	api_resp_free(&r);
	api_env_free(env);
}


/* ---- search for every record: GET /api/search ---- */

/* The answer of GET /api/search?<query> as client (status checked). */
static json_t *search_all(struct api_env *env, const struct api_client *c, const char *query,
			  int status)
{
	struct api_resp r = api_call(env, c, "GET", api_fmt("/api/search?%s", query), NULL);
	json_t *out;

	check_status(r, status);
	out = r.json;
	r.json = NULL;
	api_resp_free(&r);
	return out;
}

/* "type:id type:id …" of the items. */
static const char *found_list(json_t *res)
{
	static char out[4][1024];
	static int slot;
	json_t *items = json_object_get(res, "items"), *it;
	size_t k, len = 0;

	slot = (slot + 1) % 4;
	out[slot][0] = '\0';
	json_array_foreach(items, k, it)
		len += (size_t)snprintf(out[slot] + len, sizeof(out[slot]) - len, "%s%s:%lld",
					k ? " " : "",
					json_string_value(json_object_get(it, "type")),
					(long long)json_integer_value(json_object_get(it, "id")));
	return out[slot];
}

static int64_t new_incident(struct api_env *env, const struct api_client *c, const char *extra,
			    char number[64])
{
	struct api_resp r = api_callf(env, c, "POST", "/api/incidents",
				      "{\"channel\":\"phone\",\"category\":\"dispute\"%s}", extra);
	int64_t id = api_int(r.json, "id");

	check_status(r, 201);
	if (number)
		snprintf(number, 64, "%s", api_str(r.json, "number") ? api_str(r.json, "number") : "");
	api_resp_free(&r);
	return id;
}

TEST(every_type_scoped_and_masked)
{
	struct api_env *env = api_env_new();
	struct api_client c, b;
	char id_a[19], id_b[19], number[64];
	int64_t pa, pb, inc;
	struct api_resp r;
	json_t *res, *audit;
	const char *snippet, *mask;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	api_id_number("110105", "19800101", "123", id_a);
	api_id_number("110105", "19810202", "456", id_b);
	pa = api_new_person(env, &c, "王小明", id_a, "{\"phone\":\"13900139000\"}");
	pb = api_new_person(env, &b, "王小红", id_b, NULL); /* station B */
	inc = new_incident(env, &c,
			   ",\"narrative\":\"王小明报称邻居借钱不还\",\"caller_phone\":\"13800138000\"",
			   number);
	CHECK(pa && pb && inc);

	/* Officer of station A: the person of A and the incident, not B's person. */
	res = search_all(env, &c, "q=%E7%8E%8B%E5%B0%8F", 200); /* 王小 */
	CHECK_STR(found_list(res), api_fmt("person:%lld incident:%lld", (long long)pa,
					   (long long)inc));
	CHECK_INT(api_int(res, "total"), 2);
	CHECK_STR(api_str(res, "items.0.title"), "王小明");
	CHECK(json_is_null(api_get(res, "items.0.url_hint")));
	CHECK_STR(api_str(res, "items.1.title"), number);
	CHECK_STR(api_str(res, "items.1.snippet"), "<mark>王小</mark>明报称邻居借钱不还");
	/* Masked as GET /api/persons masks: never the number or phone in clear. */
	r = api_call(env, &c, "GET", api_fmt("/api/persons/%lld", (long long)pa), NULL);
	mask = api_str(r.json, "id_number");
	snippet = api_str(res, "items.0.snippet");
	CHECK(mask && snippet && strstr(snippet, mask));
	CHECK(snippet && !strstr(snippet, id_a) && !strstr(snippet, "13900139000"));
	CHECK(snippet && strstr(snippet, api_str(r.json, "phone") ? api_str(r.json, "phone") : "?"));
	CHECK(snippet && !strncmp(snippet, "<mark>王小</mark>明 · ", strlen("<mark>王小</mark>明 · ")));
	api_resp_free(&r);
	json_decref(res);
	/* Returning persons is audited, naming them. */
	audit = api_audit_last(env, "search.person", NULL);
	CHECK(audit != NULL);
	CHECK_STR(api_str(audit, "detail"), api_fmt("[%lld]", (long long)pa));
	json_decref(audit);

	/* Officer of station B: only B's person. */
	res = search_all(env, &b, "q=%E7%8E%8B%E5%B0%8F", 200);
	CHECK_STR(found_list(res), api_fmt("person:%lld", (long long)pb));
	json_decref(res);

	/* A whole document number, exactly; a part of one finds nothing. */
	res = search_all(env, &c, api_fmt("q=%s", id_a), 200);
	CHECK_STR(found_list(res), api_fmt("person:%lld", (long long)pa));
	json_decref(res);
	res = search_all(env, &c, api_fmt("q=%s", id_b), 200); /* B's person: out of scope */
	CHECK_STR(found_list(res), "");
	json_decref(res);
	res = search_all(env, &c, api_fmt("q=%s", id_a + 12), 200);
	CHECK_STR(found_list(res), "");
	json_decref(res);
	/* The caller's whole phone number finds the incident (the index holds no
	 * phone: only its keyed hash); the person's phone is not searchable. */
	res = search_all(env, &c, "q=13800138000", 200);
	CHECK_STR(found_list(res), api_fmt("incident:%lld", (long long)inc));
	json_decref(res);
	res = search_all(env, &c, "q=13900139000", 200);
	CHECK_STR(found_list(res), "");
	json_decref(res);
	/* The number, and a part of it. */
	res = search_all(env, &c, api_fmt("q=%s", number), 200);
	CHECK_STR(found_list(res), api_fmt("incident:%lld", (long long)inc));
	json_decref(res);
	res = search_all(env, &c, api_fmt("q=%s", number + strlen(number) - 6), 200);
	CHECK_STR(found_list(res), api_fmt("incident:%lld", (long long)inc));
	json_decref(res);
	/* Renamed: found by the new name only; moved to station B: gone. */
	r = api_call(env, &c, "PATCH", api_fmt("/api/persons/%lld", (long long)pa),
		     "{\"name\":\"李大明\"}");
	check_status(r, 200);
	api_resp_free(&r);
	res = search_all(env, &c, "q=%E6%9D%8E%E5%A4%A7&types=person", 200); /* 李大 */
	CHECK_STR(found_list(res), api_fmt("person:%lld", (long long)pa));
	json_decref(res);
	res = search_all(env, &c, "q=%E7%8E%8B%E5%B0%8F&types=person", 200);
	CHECK_STR(found_list(res), "");
	json_decref(res);
	CHECK(index_consistent(env));
	api_env_free(env);
}

TEST(types_permissions_and_errors)
{
	struct api_env *env = api_env_new();
	struct api_client c, t, m;
	char id_a[19];
	int64_t p, inc;
	struct api_resp r;
	json_t *res;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &m, "mediator"));
	api_id_number("110105", "19800101", "123", id_a);
	p = api_new_person(env, &c, "张噪音", id_a, NULL);
	inc = new_incident(env, &c, ",\"narrative\":\"楼上噪音\"", NULL);
	CHECK(p && inc);
	res = search_all(env, &c, "q=%E5%99%AA%E9%9F%B3", 200); /* 噪音: name in head first */
	CHECK_STR(found_list(res), api_fmt("person:%lld incident:%lld", (long long)p,
					   (long long)inc));
	json_decref(res);
	res = search_all(env, &c, "q=%E5%99%AA%E9%9F%B3&types=incident", 200);
	CHECK_STR(found_list(res), api_fmt("incident:%lld", (long long)inc));
	json_decref(res);
	res = search_all(env, &c, "q=%E5%99%AA%E9%9F%B3&types=person,person", 200);
	CHECK_STR(found_list(res), api_fmt("person:%lld", (long long)p));
	json_decref(res);
	res = search_all(env, &c, "q=%E5%99%AA%E9%9F%B3&limit=1", 200);
	CHECK_STR(found_list(res), api_fmt("person:%lld", (long long)p));
	CHECK_INT(api_int(res, "total"), 2);
	json_decref(res);
	/* A token without person.read finds no persons, and is not audited. */
	CHECK(api_token(env, &t, "officer", "incident.read"));
	res = search_all(env, &t, "q=%E5%99%AA%E9%9F%B3", 200);
	CHECK_STR(found_list(res), api_fmt("incident:%lld", (long long)inc));
	json_decref(res);
	/* A role with neither: nothing, but no error. */
	res = search_all(env, &m, "q=%E5%99%AA%E9%9F%B3", 200);
	CHECK_STR(found_list(res), "");
	CHECK_INT(api_int(res, "total"), 0);
	json_decref(res);
	/* Bad requests. */
	r = api_call(env, &c, "GET", "/api/search?q=%E5%99%AA&types=no_such_type", NULL);
	check_error(r, 400, "bad_query", "types");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/search?q=%EF%BC%9F", NULL); /* ？ */
	check_error(r, 422, NULL, "q");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/search", NULL);
	check_error(r, 422, NULL, "q");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/search?q=x&limit=51", NULL);
	CHECK(r.status == 400 || r.status == 422);
	api_resp_free(&r);
	r = api_call(env, NULL, "GET", "/api/search?q=x", NULL);
	check_status(r, 401);
	api_resp_free(&r);
	api_env_free(env);
}

/* Status and day filters are part of the query: a filtered page is full, and
 * every match can be paged to. */
TEST(filters_before_paging)
{
	struct api_env *env = api_env_new();
	struct fq_db *db = db_of(env);
	struct api_client c;
	struct api_resp r;
	char lo[128], hi[128];
	int64_t id, closed = 0;
	int seen = 0;

	CHECK(api_login_enrolled(env, &c, "officer"));
	scope_of(env, env->g_a1, lo, hi);
	CHECK(!fq_db_begin(db, true));
	/* 1,200 matches, every third closed, day 20260102 for ids ≡ 1 (mod 4). */
	for (int i = 0; i < 1200; i++) {
		CHECK(!fq_db_insert(db, &id,
				    "INSERT INTO incidents (number, station_id, org_id, org_path,"
				    " received_at, day, hour, channel, area_type, category, narrative,"
				    " status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 0, ?6, 8,"
				    " 'phone', 'urban', 'dispute', '楼上噪音', ?5, 0, 0) RETURNING id",
				    "siissi", api_fmt("F-%d", i), env->st_a, env->g_a1, lo,
				    i % 3 == 0 ? "closed" : "received", i % 4 == 1 ? 20260102 : 20260101));
		CHECK(!fq_search_index_incident(db, id, NULL, NULL));
		closed += i % 3 == 0;
	}
	CHECK(!fq_db_commit(db));
	/* Full pages of closed incidents, newest first within a block. */
	r = api_call(env, &c, "GET", "/api/incidents?q=%E5%99%AA%E9%9F%B3&status=closed&per_page=50",
		     NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 50);
	for (size_t k = 0; k < api_len(r.json, "items"); k++)
		CHECK_STR(api_str(r.json, api_fmt("items.%zu.status", k)), "closed");
	api_resp_free(&r);
	/* Every closed one can be paged to: 400 in 8 pages of 50. */
	for (int page = 1; page <= 9; page++) {
		r = api_call(env, &c, "GET",
			     api_fmt("/api/incidents?q=%%E5%%99%%AA%%E9%%9F%%B3&status=closed"
				     "&per_page=50&page=%d", page),
			     NULL);
		check_status(r, 200);
		seen += (int)api_len(r.json, "items");
		CHECK_INT(api_len(r.json, "items"), page <= 8 ? 50 : 0);
		api_resp_free(&r);
	}
	CHECK_INT(seen, closed);
	/* open, and a day, and both. */
	r = api_call(env, &c, "GET",
		     "/api/incidents?q=%E5%99%AA%E9%9F%B3&status=open&day=20260102&per_page=100",
		     NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 100); /* 200 such */
	for (size_t k = 0; k < api_len(r.json, "items"); k++) {
		CHECK_STR(api_str(r.json, api_fmt("items.%zu.status", k)), "received");
	}
	api_resp_free(&r);
	r = api_call(env, &c, "GET",
		     "/api/incidents?q=%E5%99%AA%E9%9F%B3&status=open&day=20260102&per_page=100&page=2",
		     NULL);
	CHECK_INT(api_len(r.json, "items"), 100);
	api_resp_free(&r);
	r = api_call(env, &c, "GET",
		     "/api/incidents?q=%E5%99%AA%E9%9F%B3&status=open&day=20260102&per_page=100&page=3",
		     NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	/* Past the first block without filters: the last 50 of 1,200. */
	{
		json_t *tail = json_loads(find_in(env, env->st_a, "噪音", 100, 1150), 0, NULL);
		CHECK_INT(json_array_size(tail), 50);
		json_decref(tail);
	}
	/* A status change moves an incident between the filters. */
	r = api_call(env, &c, "GET", "/api/incidents?q=%E5%99%AA%E9%9F%B3&status=closed&per_page=1",
		     NULL);
	id = api_int(r.json, "items.0.id");
	api_resp_free(&r);
	CHECK(!fq_db_begin(db, true));
	CHECK(!fq_db_exec(db, NULL, "UPDATE incidents SET status = 'reviewed' WHERE id = ?1", "i",
			  id));
	CHECK(!fq_search_index_incident(db, id, NULL, NULL));
	CHECK(!fq_db_commit(db));
	r = api_call(env, &c, "GET",
		     "/api/incidents?q=%E5%99%AA%E9%9F%B3&status=reviewed&per_page=10", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	CHECK(index_consistent(env));
	api_env_free(env);
}

/* The lifecycle through the API keeps the status keys current. */
TEST(lifecycle_keeps_filters_current)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id, now = (int64_t)time(NULL) * 1000;

	CHECK(api_login_enrolled(env, &c, "officer"));
	/* The officer on a shift of station A running now (dispatch needs it). */
	CHECK(api_exec(env, api_fmt("INSERT INTO shifts (station_id, org_path, name, day, start_at,"
				    " end_at, leader_id, need_call_taker, need_responder,"
				    " need_patroller, created_at, updated_at) SELECT id, path, 'test',"
				    " 20260101, %lld, %lld, %lld, 0, 0, 0, %lld, %lld FROM org_units"
				    " WHERE id = %lld",
				    (long long)(now - 3600000), (long long)(now + 8 * 3600000),
				    (long long)api_user_id(env, "officer"), (long long)now,
				    (long long)now, (long long)env->st_a)));
	CHECK(api_exec(env, api_fmt("INSERT INTO shift_positions (shift_id, user_id, position, seq,"
				    " start_at, end_at) SELECT max(id), %lld, 'responder', 0, %lld,"
				    " %lld FROM shifts",
				    (long long)api_user_id(env, "officer"), (long long)(now - 3600000),
				    (long long)(now + 8 * 3600000))));
	id = new_incident(env, &c, ",\"narrative\":\"停车纠纷\"", NULL);
	r = api_call(env, &c, "GET", "/api/incidents?q=%E5%81%9C%E8%BD%A6&status=received", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", api_fmt("/api/incidents/%lld/dispatch", (long long)id),
		      "{\"user_ids\":[%lld]}", (long long)api_user_id(env, "officer"));
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents?q=%E5%81%9C%E8%BD%A6&status=received", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/incidents?q=%E5%81%9C%E8%BD%A6&status=open", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	CHECK(index_consistent(env));
	api_env_free(env);
}

/* A migration leaves the flag; the rebuild indexes every record that is
 * there (as from a store of the previous schema: its incidents and persons
 * re-indexed). */
TEST(rebuild_pending_after_migration)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct fq_db *db = db_of(env);
	char id_a[19];
	int64_t a, p;

	CHECK(api_login_enrolled(env, &c, "officer"));
	api_id_number("110105", "19800101", "123", id_a);
	a = add(env, env->g_a1, "借条", NULL);
	p = api_new_person(env, &c, "赵借条", id_a, NULL);
	CHECK(a && p);
	CHECK_INT(api_count(env, "SELECT count(*) FROM meta WHERE name = 'search_rebuild'"), 0);
	/* The index as a store of the previous schema has it: empty. */
	if (!strcmp(fq_store_kind(env->app->store), "sqlite"))
		CHECK(api_exec(env, "INSERT INTO search_index (search_index) VALUES ('delete-all')"));
	CHECK(api_exec(env, "DELETE FROM search_docs"));
	CHECK(api_exec(env, strcmp(fq_store_kind(env->app->store), "sqlite")
				    ? "INSERT INTO meta (name, value) VALUES ('search_rebuild', '\\x01')"
				    : "INSERT INTO meta (name, value) VALUES ('search_rebuild', X'01')"));
	CHECK_STR(FIND(env, "借条"), "[]");
	CHECK_INT(fq_search_rebuild_pending(db), FQ_OK);
	CHECK_INT(api_count(env, "SELECT count(*) FROM meta WHERE name = 'search_rebuild'"), 0);
	CHECK_STR(FIND(env, "借条"), IDS(a));
	CHECK(index_consistent(env));
	CHECK_INT(fq_search_rebuild_pending(db), FQ_OK); /* nothing to do */
	api_env_free(env);
}

/* ---- the same results as the rules say, on many texts ---- */

static const char *const words[] = {
	"噪音", "借条", "彩礼", "纠纷", "盗窃", "邻里", "装修", "扰民", "漏水", "停车",
	"醉酒", "走失", "老人", "小孩", "电动车", "手机", "被骗", "转账", "口角", "打架",
	"幸福路", "光明", "小区", "楼上", "楼下", "物业", "房东", "租客", "欠款", "还钱",
	"渝A12345", "13800138000", "WiFi", "的", "了", "在", "和", "，", "。", " ",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

struct doc {
	int64_t id;
	int64_t unit;
	char narrative[512];
	char address[128];
	char head[160]; /* as the index's head: the number and the address */
};

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static void random_text(unsigned *seed, char *out, size_t size, int nwords)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < nwords; i++) {
		const char *w = words[rnd(seed) % NWORDS];
		if (len + strlen(w) + 1 >= size)
			break;
		memcpy(out + len, w, strlen(w) + 1);
		len += strlen(w);
	}
}

struct token_set {
	char toks[512][16];
	size_t n;
};

static int add_doc_token(void *arg, const struct fq_bigram_token *tok)
{
	struct token_set *s = arg;

	if (s->n < 512 && tok->len < 16) {
		memcpy(s->toks[s->n], tok->text, tok->len);
		s->toks[s->n++][tok->len] = '\0';
	}
	return 0;
}

static bool has_token(const struct token_set *s, const char *t)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->toks[i], t))
			return true;
	return false;
}

/* Brute force: every query token among the document tokens of the texts. */
static bool matches(const struct fq_search_query *q, const struct doc *d)
{
	static struct token_set s;

	s.n = 0;
	fq_bigram_tokenize(d->narrative, strlen(d->narrative), FQ_BIGRAM_DOCUMENT, 0,
			   add_doc_token, &s);
	fq_bigram_tokenize(d->head, strlen(d->head), FQ_BIGRAM_DOCUMENT, 0, add_doc_token, &s);
	for (size_t i = 0; i < q->ntokens; i++)
		if (!has_token(&s, q->tokens[i]))
			return false;
	return true;
}

struct hit {
	int64_t id, score;
};

static int hit_cmp(const void *pa, const void *pb)
{
	const struct hit *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

/* The expected page: the matches in scope (units in_scope) newest first,
 * each block of FQ_SEARCH_CANDIDATES ranked. */
static const char *expected(const struct doc *docs, size_t n, const char *q,
			    const int64_t *in_scope, size_t nscope, int64_t limit, int64_t offset)
{
	static struct hit hits[2048];
	static int64_t ids[2048];
	struct fq_search_query query;
	size_t nh = 0, k = 0;

	if (fq_search_query_parse(q, &query)) {
		fq_search_query_release(&query);
		return "error 9";
	}
	for (size_t i = n; i-- > 0;) {
		bool scoped = false;

		for (size_t u = 0; u < nscope; u++)
			scoped = scoped || docs[i].unit == in_scope[u];
		if (scoped && matches(&query, &docs[i]))
			hits[nh++] = (struct hit){
				docs[i].id,
				fq_search_score(&query, docs[i].narrative, docs[i].head)};
	}
	fq_search_query_release(&query);
	for (size_t b = 0; b < nh; b += FQ_SEARCH_CANDIDATES)
		qsort(hits + b, nh - b < FQ_SEARCH_CANDIDATES ? nh - b : FQ_SEARCH_CANDIDATES,
		      sizeof(hits[0]), hit_cmp);
	for (int64_t i = offset; i < offset + limit && i < (int64_t)nh; i++)
		ids[k++] = hits[i].id;
	return ids_text(ids, k);
}

TEST(same_as_the_rules_on_random_texts)
{
	struct api_env *env = api_env_new();
	static struct doc docs[1400];
	size_t n = sizeof(docs) / sizeof(docs[0]);
	unsigned seed = 20260101;
	int64_t units[] = {env->g_a1, env->g_a2, env->st_a, env->g_b1};
	int64_t station_a[] = {env->g_a1, env->g_a2, env->st_a, env->beat_a};
	int64_t grid_a2[] = {env->g_a2};
	static const char *const queries[] = {
		"噪音", "借条", "彩礼", "纠纷", "借条 纠纷", "噪音扰民", "装修噪音", "楼上楼下",
		"幸福路", "小区物业", "渝a12345", "13800138000", "wifi 被骗", "的", "在", "老人走失",
		"电动车", "动车", "欠款还钱", "借条借条", "转账被骗", "光明小区", "房东 租客 欠款",
		"醉酒打架", "口角", "车", "人", "幸福路 渝a12345 wifi", "醉酒 走失 被骗 欠款",
	};
	struct fq_db *db = db_of(env);
	int checked = 0, nonempty = 0;
	const char *full;

	/* One transaction: hundreds of commits are slow on PostgreSQL. */
	CHECK(!fq_db_begin(db, true));
	for (size_t i = 0; i < n; i++) {
		char lo[128], hi[128];
		int64_t id;

		docs[i].unit = units[rnd(&seed) % 4];
		random_text(&seed, docs[i].narrative, sizeof(docs[i].narrative),
			    5 + (int)(rnd(&seed) % 40));
		random_text(&seed, docs[i].address, sizeof(docs[i].address),
			    (int)(rnd(&seed) % 3));
		scope_of(env, docs[i].unit, lo, hi);
		/* Ids far apart (up to about 1.4 million), as in a big store. */
		id = (int64_t)(i + 1) * 1000 + rnd(&seed) % 1000;
		CHECK(!fq_db_insert(db, &docs[i].id,
				    "INSERT INTO incidents (id, number, station_id, org_id, org_path,"
				    " received_at, day, hour, channel, area_type, category, narrative,"
				    " address_text, status, created_at, updated_at) VALUES (?7, ?1, ?2,"
				    " ?3, ?4, 0, 20260101, 8, 'phone', 'urban', 'dispute', ?5, ?6,"
				    " 'received', 0, 0) RETURNING id",
				    "siisssi", api_fmt("R-%zu", i), env->st_a, docs[i].unit, lo,
				    docs[i].narrative, docs[i].address, id));
		CHECK_INT(docs[i].id, id);
		snprintf(docs[i].head, sizeof(docs[i].head), "R-%zu %s", i, docs[i].address);
		CHECK(!fq_search_index_incident(db, docs[i].id, docs[i].narrative,
						docs[i].address));
	}
	CHECK(!fq_db_commit(db));
	/* A tenth of them corrected afterwards, some moved to another unit. */
	CHECK(!fq_db_begin(db, true));
	for (size_t k = 0; k < n / 10; k++) {
		struct doc *d = &docs[rnd(&seed) % n];
		char lo[128], hi[128];

		if (rnd(&seed) % 3 == 0)
			d->unit = units[rnd(&seed) % 4];
		scope_of(env, d->unit, lo, hi);
		random_text(&seed, d->narrative, sizeof(d->narrative), 5 + (int)(rnd(&seed) % 40));
		CHECK(!fq_db_exec(db, NULL,
				  "UPDATE incidents SET narrative = ?1, org_id = ?2, org_path = ?3"
				  " WHERE id = ?4",
				  "sisi", d->narrative, d->unit, lo, d->id));
		CHECK(!fq_search_index_incident(db, d->id, d->narrative, d->address));
	}
	CHECK(!fq_db_commit(db));
	CHECK(index_consistent(env));
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		const char *q = queries[i];
		const char *got, *want;

		got = find_in(env, env->st_a, q, 20, 0);
		want = expected(docs, n, q, station_a, 4, 20, 0);
		CHECK_STR(got, want);
		nonempty += strcmp(want, "[]") != 0;
		got = find_in(env, env->st_a, q, 30, 470); /* across two blocks */
		want = expected(docs, n, q, station_a, 4, 30, 470);
		CHECK_STR(got, want);
		got = find_in(env, env->g_a2, q, 20, 20);
		want = expected(docs, n, q, grid_a2, 1, 20, 20);
		CHECK_STR(got, want);
		checked++;
	}
	CHECK_INT(checked, (int)(sizeof(queries) / sizeof(queries[0])));
	CHECK(nonempty >= 20);
	/* A query with more matches than a block: the last of the first block
	 * and the first of the next. */
	full = expected(docs, n, "的", (int64_t[]){env->g_a1, env->g_a2, env->st_a, env->g_b1}, 4,
			5, FQ_SEARCH_CANDIDATES - 3);
	CHECK(strlen(full) > 8); /* three ids */
	CHECK_STR(find_in(env, env->root, "的", 5, FQ_SEARCH_CANDIDATES - 3), full);
	api_env_free(env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(two_character_term),
	TEST_ENTRY(four_character_term),
	TEST_ENTRY(single_character),
	TEST_ENTRY(latin_letters_and_digits),
	TEST_ENTRY(address_is_searched),
	TEST_ENTRY(scope_filters),
	TEST_ENTRY(query_without_tokens_is_refused),
	TEST_ENTRY(ranking_and_newest_on_ties),
	TEST_ENTRY(update_indexes_again),
	TEST_ENTRY(deleted_incident_leaves_the_index),
	TEST_ENTRY(rebuild),
	TEST_ENTRY(narrow_scope_under_a_common_term),
	TEST_ENTRY(through_the_api),
	TEST_ENTRY(same_as_the_rules_on_random_texts),
	TEST_ENTRY(every_type_scoped_and_masked),
	TEST_ENTRY(types_permissions_and_errors),
	TEST_ENTRY(filters_before_paging),
	TEST_ENTRY(lifecycle_keeps_filters_current),
	TEST_ENTRY(rebuild_pending_after_migration),
};

int main(int argc, char **argv)
{
	return fq_test_main("search", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
