/* Disputes in full-text search (domain/dispute_search.c, docs/internals.md
 * "Full-text search"), on the store the harness runs on (SQLite, or
 * PostgreSQL with FQ_TEST_PG_URL): a dispute is found through
 * GET /api/search by a party's name, its type, a word of its facts, claims
 * or a session's record; an edit takes the old words out and puts the new
 * in; ID numbers and phones are never in the index; a mediator finds only
 * the disputes she mediates and another station's officer none; the rebuild
 * that migration 022 asks for indexes the disputes made before. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/harness.h"
#include "core/err.h"
#include "http/app.h"
#include "store/search_store.h"
#include "store/store.h"

struct world {
	struct api_env *env;
	struct api_client officer, mediator, other; /* other: officer.b of station B */
	int64_t p1, p2, p3;
	char id1[19];
};

static void world_init(struct world *w)
{
	char id2[19], id3[19];

	w->env = api_env_new();
	CHECK(api_login(w->env, &w->officer, "officer", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->mediator, "mediator", API_PASSWORD, NULL) == 200);
	CHECK(api_login(w->env, &w->other, "officer.b", API_PASSWORD, NULL) == 200);
	api_id_number("110105", "19800101", "123", w->id1);
	api_id_number("110105", "19900202", "234", id2);
	api_id_number("110105", "19700303", "345", id3);
	w->p1 = api_new_person(w->env, &w->officer, "欧阳秀英", w->id1,
			       "{\"phone\":\"13800001111\"}");
	w->p2 = api_new_person(w->env, &w->officer, "司马建国", id2, NULL);
	w->p3 = api_new_person(w->env, &w->officer, "诸葛明亮", id3, NULL);
	CHECK(w->p1 && w->p2 && w->p3);
}

/* A walk-in between p1 (applicant) and p2 (respondent). */
static int64_t new_dispute(struct world *w, const char *type, const char *facts,
			   const char *claims)
{
	struct api_resp r = api_callf(
		w->env, &w->officer, "POST", "/api/disputes",
		"{\"source\":\"walk_in\",\"type\":\"%s\",\"facts\":\"%s\",\"claims\":\"%s\","
		"\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\",\"consent\":\"given\"},"
		"{\"person_id\":%lld,\"role\":\"respondent\",\"consent\":\"given\"}]}",
		type, facts, claims, (long long)w->p1, (long long)w->p2);
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("# register: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

/* q percent-encoded (every byte but letters and digits). */
static const char *encode(const char *q)
{
	static char out[4][512];
	static int slot;
	size_t n = 0;

	slot = (slot + 1) % 4;
	for (const unsigned char *s = (const unsigned char *)q; *s && n + 4 < sizeof(out[0]); s++)
		n += (size_t)snprintf(out[slot] + n, sizeof(out[0]) - n,
				      (*s < 128 && ((*s | 32) >= 'a' && (*s | 32) <= 'z')) ||
						      (*s >= '0' && *s <= '9')
					      ? "%c"
					      : "%%%02X",
				      *s);
	return out[slot];
}

/* The dispute ids GET /api/search?types=dispute&q= gives c, as "[3,1]"
 * ("error N" when it fails); *item the first item when not NULL. */
static const char *found(struct world *w, const struct api_client *c, const char *q,
			 json_t **item)
{
	static char out[4][256];
	static int slot;
	struct api_resp r = api_call(w->env, c, "GET",
				     api_fmt("/api/search?types=dispute&q=%s", encode(q)), NULL);
	json_t *it;
	size_t k, n = 0;

	slot = (slot + 1) % 4;
	if (r.status != 200) {
		snprintf(out[slot], sizeof(out[0]), "error %d %s", r.status, r.body);
		api_resp_free(&r);
		return out[slot];
	}
	n += (size_t)snprintf(out[slot], sizeof(out[0]), "[");
	json_array_foreach(json_object_get(r.json, "items"), k, it) {
		if (strcmp(json_string_value(json_object_get(it, "type")), "dispute"))
			continue;
		n += (size_t)snprintf(out[slot] + n, sizeof(out[0]) - n, "%s%lld", n > 1 ? "," : "",
				      (long long)json_integer_value(json_object_get(it, "id")));
	}
	snprintf(out[slot] + n, sizeof(out[0]) - n, "]");
	if (item)
		*item = json_incref(api_get(r.json, "items.0"));
	api_resp_free(&r);
	return out[slot];
}

static const char *ids(int64_t a)
{
	return api_fmt("[%lld]", (long long)a);
}

static const char *ids2(int64_t a, int64_t b)
{
	return api_fmt("[%lld,%lld]", (long long)a, (long long)b);
}

/* Found by a party's name, its type's words, a word of the facts, the
 * claims, a session's record; the result names the dispute and opens it. */
TEST(found_by_names_type_facts_and_sessions)
{
	struct world w;
	struct api_resp r;
	json_t *item = NULL;
	char number[64];
	int64_t a, b;

	world_init(&w);
	a = new_dispute(&w, "neighbours", "楼上卫生间漏水，楼下天花板发霉", "赔偿维修费用");
	b = new_dispute(&w, "labour", "工地拖欠三个月工资", "结清工资");
	CHECK(a && b);
	r = api_call(w.env, &w.officer, "GET", api_fmt("/api/disputes/%lld", (long long)a), NULL);
	snprintf(number, sizeof(number), "%s", api_str(r.json, "number") ? api_str(r.json, "number") : "");
	api_resp_free(&r);
	CHECK_STR(found(&w, &w.officer, "漏水", &item), ids(a)); /* two characters of the facts */
	CHECK_STR(api_str(item, "title"), number);
	CHECK_STR(api_str(item, "url_hint"), api_fmt("/#/disputes/%lld", (long long)a));
	CHECK(strstr(api_str(item, "snippet"), "<mark>漏水</mark>") != NULL);
	json_decref(item);
	item = NULL;
	CHECK_STR(found(&w, &w.officer, "司马建国", &item), ids2(b, a)); /* a party: newest first */
	json_decref(item);
	CHECK_STR(found(&w, &w.officer, "欧阳", NULL), ids2(b, a));
	CHECK_STR(found(&w, &w.officer, "邻里纠纷", NULL), ids(a)); /* the type's words */
	CHECK_STR(found(&w, &w.officer, "维修", NULL), ids(a));     /* the claims */
	CHECK_STR(found(&w, &w.officer, "工资", NULL), ids(b));
	CHECK_STR(found(&w, &w.officer, number + strlen(number) - 6, NULL), ids(a)); /* the number */
	/* A session's record. */
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/sessions", (long long)b),
		     "{\"starts_at\":\"2026-01-05T02:00:00Z\",\"place\":\"调解室\","
		     "\"summary\":\"包工头承诺春节前付清\"}");
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_STR(found(&w, &w.officer, "包工头", NULL), ids(b));
	/* A word in none of them. */
	CHECK_STR(found(&w, &w.officer, "彩礼", NULL), "[]");
	api_env_free(w.env);
}

/* A dispute opened from an incident: found by the narrative it took as its
 * facts and by the type the incident's subcategory gave it. */
TEST(converted_incident_is_found)
{
	struct world w;
	struct api_resp r;
	int64_t inc, id;

	world_init(&w);
	r = api_call(w.env, &w.officer, "POST", "/api/incidents",
		     "{\"channel\":\"110_transfer\",\"category\":\"dispute\",\"subcategory\":"
		     "\"neighbour\",\"narrative\":\"楼上深夜噪音扰民\"}");
	check_status(r, 201);
	inc = api_int(r.json, "id");
	api_resp_free(&r);
	CHECK_STR(found(&w, &w.officer, "噪音", NULL), "[]"); /* the incident is not a dispute */
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/incidents/%lld/convert", (long long)inc), "{}");
	check_status(r, 201);
	id = api_int(r.json, "dispute_id");
	api_resp_free(&r);
	CHECK(id > 0);
	CHECK_STR(found(&w, &w.officer, "噪音", NULL), ids(id));
	CHECK_STR(found(&w, &w.officer, "邻里纠纷", NULL), ids(id)); /* the type it was given */
	api_env_free(w.env);
}

/* An edit of the facts, a party added, a session's record changed: the new
 * words are found, the old ones no longer. */
TEST(edits_are_found_and_the_old_words_are_not)
{
	struct world w;
	struct api_resp r;
	int64_t a, sid;

	world_init(&w);
	a = new_dispute(&w, "neighbours", "楼上卫生间漏水", "赔偿维修费用");
	CHECK(a);
	CHECK_STR(found(&w, &w.officer, "漏水", NULL), ids(a));
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/disputes/%lld", (long long)a),
		     "{\"facts\":\"院内停车位被长期占用\",\"claims\":\"恢复通行\"}");
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_STR(found(&w, &w.officer, "漏水", NULL), "[]");
	CHECK_STR(found(&w, &w.officer, "维修", NULL), "[]");
	CHECK_STR(found(&w, &w.officer, "停车", NULL), ids(a));
	CHECK_STR(found(&w, &w.officer, "通行", NULL), ids(a));
	/* The type changed: its words with it. */
	r = api_call(w.env, &w.officer, "PATCH", api_fmt("/api/disputes/%lld", (long long)a),
		     "{\"type\":\"property_management\"}");
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_STR(found(&w, &w.officer, "邻里纠纷", NULL), "[]");
	CHECK_STR(found(&w, &w.officer, "物业纠纷", NULL), ids(a));
	/* A party added. */
	CHECK_STR(found(&w, &w.officer, "诸葛明亮", NULL), "[]");
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/parties", (long long)a),
		      "{\"person_id\":%lld,\"role\":\"third_party\"}", (long long)w.p3);
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_STR(found(&w, &w.officer, "诸葛明亮", NULL), ids(a));
	/* A session planned, then its record written and corrected. */
	r = api_call(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/sessions", (long long)a),
		     "{\"starts_at\":\"2026-01-05T02:00:00Z\",\"place\":\"调解室\"}");
	check_status(r, 201);
	sid = api_int(r.json, "id");
	api_resp_free(&r);
	CHECK(sid > 0);
	r = api_call(w.env, &w.officer, "PATCH",
		     api_fmt("/api/disputes/%lld/sessions/%lld", (long long)a, (long long)sid),
		     "{\"accounts\":\"双方各执一词\",\"discussion\":\"约定轮流使用车位\"}");
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_STR(found(&w, &w.officer, "轮流", NULL), ids(a));
	r = api_call(w.env, &w.officer, "PATCH",
		     api_fmt("/api/disputes/%lld/sessions/%lld", (long long)a, (long long)sid),
		     "{\"discussion\":\"约定按月分配车位\"}");
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_STR(found(&w, &w.officer, "轮流", NULL), "[]");
	CHECK_STR(found(&w, &w.officer, "分配", NULL), ids(a));
	api_env_free(w.env);
}

/* No ID number and no phone in the index: not found by them, not in any
 * row's text. */
TEST(no_id_number_or_phone_in_the_index)
{
	struct world w;
	int64_t a;

	world_init(&w);
	a = new_dispute(&w, "neighbours", "楼上卫生间漏水", "赔偿");
	CHECK(a);
	CHECK_STR(found(&w, &w.officer, w.id1, NULL), "[]");
	CHECK_STR(found(&w, &w.officer, "13800001111", NULL), "[]");
	CHECK_STR(found(&w, &w.officer, "0001111", NULL), "[]");
	CHECK_INT(api_count(w.env, api_fmt("SELECT count(*) FROM search_docs WHERE type = 'dispute'"
					   " AND (head LIKE '%%%s%%' OR body LIKE '%%%s%%' OR head"
					   " LIKE '%%0001111%%' OR body LIKE '%%0001111%%')",
					   w.id1 + 10, w.id1 + 10)),
		  0);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM search_docs WHERE type = 'dispute'"), 1);
	api_env_free(w.env);
}

/* The mediator finds only what GET /api/disputes/{id} shows her (the
 * disputes she mediates); another station's officer finds none of station
 * A's; the officer of A finds both of A's. */
TEST(mediator_and_other_station_find_only_what_they_may_open)
{
	struct world w;
	struct api_resp r;
	int64_t a, b, c;

	world_init(&w);
	a = new_dispute(&w, "neighbours", "楼道堆放杂物", "清理");
	b = new_dispute(&w, "neighbours", "楼道杂物引发争吵", "道歉");
	CHECK(a && b);
	CHECK_STR(found(&w, &w.mediator, "杂物", NULL), "[]");
	r = api_callf(w.env, &w.officer, "POST", api_fmt("/api/disputes/%lld/mediators", (long long)a),
		      "{\"user_id\":%lld}", (long long)api_user_id(w.env, "mediator"));
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_STR(found(&w, &w.mediator, "杂物", NULL), ids(a));
	CHECK_STR(found(&w, &w.officer, "杂物", NULL), ids2(b, a));
	CHECK_STR(found(&w, &w.other, "杂物", NULL), "[]");
	/* Station B's own dispute: found by its officer, not by A's. */
	{
		char idb1[19], idb2[19];
		int64_t q1, q2;

		api_id_number("500112", "19850505", "456", idb1);
		api_id_number("500112", "19860606", "567", idb2);
		q1 = api_new_person(w.env, &w.other, "回兴甲", idb1, NULL);
		q2 = api_new_person(w.env, &w.other, "回兴乙", idb2, NULL);
		CHECK(q1 && q2);
		r = api_callf(w.env, &w.other, "POST", "/api/disputes",
			      "{\"source\":\"walk_in\",\"type\":\"neighbours\",\"facts\":\"楼道杂物\","
			      "\"parties\":[{\"person_id\":%lld,\"role\":\"applicant\"},"
			      "{\"person_id\":%lld,\"role\":\"respondent\"}]}",
			      (long long)q1, (long long)q2);
		check_status(r, 201);
		c = api_int(r.json, "id");
		api_resp_free(&r);
	}
	CHECK_STR(found(&w, &w.other, "杂物", NULL), ids(c));
	CHECK_STR(found(&w, &w.officer, "杂物", NULL), ids2(b, a));
	CHECK_STR(found(&w, &w.mediator, "杂物", NULL), ids(a));
	api_env_free(w.env);
}

/* The flag migration 022 leaves: the rebuild that follows it indexes the
 * disputes made before (as a store of schema 021 has them: not indexed). */
TEST(rebuild_indexes_disputes_made_before)
{
	struct world w;
	struct fq_error e = {0};
	struct fq_db *db;
	int64_t a, b;

	world_init(&w);
	a = new_dispute(&w, "neighbours", "楼上卫生间漏水", "赔偿");
	b = new_dispute(&w, "labour", "拖欠工资漏发加班费", "结清");
	CHECK(a && b);
	db = fq_store_db(w.env->app->store, &e);
	CHECK(db != NULL);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM schema_migrations WHERE version = 22"), 1);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM meta WHERE name = 'search_rebuild'"), 0);
	/* The index without its disputes, and the flag the migration sets. */
	if (!strcmp(fq_store_kind(w.env->app->store), "sqlite")) {
		CHECK(api_exec(w.env, "INSERT INTO search_index (search_index) VALUES ('delete-all')"));
		CHECK(api_exec(w.env, "DELETE FROM search_docs"));
		CHECK(api_exec(w.env, "INSERT INTO meta (name, value) VALUES ('search_rebuild', X'01')"));
	} else {
		CHECK(api_exec(w.env, "DELETE FROM search_docs WHERE type = 'dispute'"));
		CHECK(api_exec(w.env, "INSERT INTO meta (name, value) VALUES ('search_rebuild', '\\x01')"));
	}
	CHECK_STR(found(&w, &w.officer, "漏水", NULL), "[]");
	CHECK_INT(fq_search_rebuild_pending(db), FQ_OK);
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM meta WHERE name = 'search_rebuild'"), 0);
	CHECK_STR(found(&w, &w.officer, "漏水", NULL), ids(a));
	CHECK_STR(found(&w, &w.officer, "漏发", NULL), ids(b));
	CHECK_STR(found(&w, &w.officer, "欧阳秀英", NULL), ids2(b, a));
	CHECK_INT(api_count(w.env, "SELECT count(*) FROM search_docs WHERE type = 'dispute'"),
		  api_count(w.env, "SELECT count(*) FROM disputes"));
	if (!strcmp(fq_store_kind(w.env->app->store), "sqlite"))
		CHECK(api_exec(w.env, "INSERT INTO search_index (search_index, rank)"
				      " VALUES ('integrity-check', 1)"));
	api_env_free(w.env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(found_by_names_type_facts_and_sessions),
	TEST_ENTRY(converted_incident_is_found),
	TEST_ENTRY(edits_are_found_and_the_old_words_are_not),
	TEST_ENTRY(no_id_number_or_phone_in_the_index),
	TEST_ENTRY(mediator_and_other_station_find_only_what_they_may_open),
	TEST_ENTRY(rebuild_indexes_disputes_made_before),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/dispute_search", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
