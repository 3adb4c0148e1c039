/* Keyset paging (docs/api.md "Lists"; docs/internals.md "Lists: order served
 * by an index, keyset paging"): GET /api/incidents, /api/handovers and
 * /api/patrols answer next_cursor, and ?cursor= goes on from it: every row
 * once, in order, also when rows are added or change between pages; page and
 * per_page still work; a bad cursor is 422 on the field cursor. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/harness.h"
#include "core/time.h"

#define MAX_ROWS 64

static int64_t intake(struct api_env *env, struct api_client *c)
{
	struct api_resp r = api_call(env, c, "POST", "/api/incidents",
				     "{\"channel\":\"110_transfer\",\"category\":\"dispute\","
				     "\"subcategory\":\"neighbour\",\"narrative\":\"楼上深夜噪音扰民\"}");
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	check_status(r, 201);
	api_resp_free(&r);
	return id;
}

/* Appends the ids of a page's items to ids (*n of them, at most MAX_ROWS)
 * and returns its next_cursor ("" when there is none), checking the shape of
 * the answer. */
static const char *page_ids(struct api_resp *r, int64_t *ids, int *n, bool by_cursor)
{
	static char next[32];
	json_t *items = api_get(r->json, "items"), *cursor = api_get(r->json, "next_cursor"), *it;
	size_t i;

	next[0] = '\0';
	CHECK(json_is_array(items));
	json_array_foreach(items, i, it)
		if (*n < MAX_ROWS)
			ids[(*n)++] = json_integer_value(json_object_get(it, "id"));
	CHECK(by_cursor ? json_is_null(api_get(r->json, "page"))
			: json_is_integer(api_get(r->json, "page")));
	if (api_bool(r->json, "has_more")) {
		CHECK(json_is_string(cursor));
		snprintf(next, sizeof(next), "%s", json_is_string(cursor) ? json_string_value(cursor) : "");
		/* the cursor is where this page ended */
		CHECK(json_array_size(items) > 0);
	} else {
		CHECK(json_is_null(cursor));
	}
	return next;
}

/* Walks a list from its first page by cursor (path has a '?'), per_page
 * items at a time, calling between (may be NULL) after the first page;
 * returns how many ids it collected. */
static int walk(struct api_env *env, struct api_client *c, const char *path, int per_page,
		void (*between)(struct api_env *env, struct api_client *c), int64_t *ids)
{
	char cursor[32] = "";
	int n = 0;

	for (int pages = 0; pages < MAX_ROWS; pages++) {
		struct api_resp r = api_call(
			env, c, "GET",
			api_fmt("%s&per_page=%d%s%s", path, per_page, *cursor ? "&cursor=" : "", cursor),
			NULL);
		int before = n;

		check_status(r, 200);
		snprintf(cursor, sizeof(cursor), "%s", page_ids(&r, ids, &n, pages > 0));
		CHECK(n - before <= per_page);
		CHECK(!*cursor || n - before == per_page);
		api_resp_free(&r);
		if (!*cursor)
			break;
		if (between && !pages)
			between(env, c);
	}
	return n;
}

static bool descending(const int64_t *ids, int n)
{
	for (int i = 1; i < n; i++)
		if (ids[i] >= ids[i - 1])
			return false;
	return true;
}

static int64_t added;

/* Between pages: a new incident, newer than every page, so on none of the
 * pages still to come. */
static void add_one(struct api_env *env, struct api_client *c)
{
	added = intake(env, c);
}

TEST(incidents_page_by_cursor_without_gaps_or_repeats)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	int64_t made[11], ids[MAX_ROWS];
	struct api_resp r;
	int n;

	CHECK(api_login_enrolled(env, &c, "officer"));
	for (int i = 0; i < 11; i++)
		made[i] = intake(env, &c);
	/* 11 open incidents, 4 a page: 4 + 4 + 3, newest first. */
	n = walk(env, &c, "/api/incidents?status=open", 4, add_one, ids);
	CHECK_INT(n, 11);
	CHECK(descending(ids, n));
	for (int i = 0; i < n && i < 11; i++)
		CHECK_INT(ids[i], made[10 - i]);
	/* the one added after the first page is on the first page now */
	r = api_call(env, &c, "GET", "/api/incidents?status=open&per_page=1", NULL);
	CHECK_INT(api_int(r.json, "items.0.id"), added);
	api_resp_free(&r);

	/* All statuses, and one status: the same walk. */
	n = walk(env, &c, "/api/incidents?x=1", 5, NULL, ids);
	CHECK_INT(n, 12);
	CHECK(descending(ids, n));
	n = walk(env, &c, "/api/incidents?status=received", 5, NULL, ids);
	CHECK_INT(n, 12);
	CHECK(descending(ids, n));

	/* page and per_page still work: page 2 is what the cursor gave */
	r = api_call(env, &c, "GET", "/api/incidents?status=open&per_page=4&page=2", NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "page"), 2);
	CHECK_INT(api_len(r.json, "items"), 4);
	CHECK_INT(api_int(r.json, "items.0.id"), made[7]);
	CHECK(json_is_string(api_get(r.json, "next_cursor")));
	api_resp_free(&r);
	api_env_free(env);
}

/* Between pages: the newest open incident still to come is closed, and so
 * leaves the open list; the others keep their places. */
static int64_t to_close;

static void close_one(struct api_env *env, struct api_client *c)
{
	(void)c;
	CHECK(api_exec(env, api_fmt("UPDATE incidents SET status = 'closed' WHERE id = %lld",
				    (long long)to_close)));
}

TEST(a_row_leaving_the_list_between_pages_leaves_no_gap)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	int64_t made[9], ids[MAX_ROWS];
	int n;

	CHECK(api_login_enrolled(env, &c, "officer"));
	for (int i = 0; i < 9; i++)
		made[i] = intake(env, &c);
	to_close = made[4]; /* on the second page of 3 */
	n = walk(env, &c, "/api/incidents?status=open", 3, close_one, ids);
	CHECK_INT(n, 8);
	CHECK(descending(ids, n));
	for (int i = 0; i < n; i++)
		CHECK(ids[i] != to_close);
	api_env_free(env);
}

TEST(a_bad_cursor_names_the_field)
{
	static const char *const bad[] = {"abc", "0", "-5", "12x", "1.5", "99999999999999999999",
					  "%20", NULL};
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	intake(env, &c);
	for (int i = 0; bad[i]; i++)
		for (int l = 0; l < 3; l++) {
			static const char *const lists[] = {"/api/incidents", "/api/handovers",
							    "/api/patrols"};
			r = api_call(env, &c, "GET", api_fmt("%s?cursor=%s", lists[l], bad[i]), NULL);
			check_error(r, 422, "bad_cursor", "cursor");
			api_resp_free(&r);
		}
	{
		/* a cursor with a page or a search; handovers and patrols go on
		 * from a row of theirs: one that is not there */
		static const char *const refused[] = {
			"/api/incidents?cursor=5&page=2", "/api/incidents?cursor=5&q=%E5%99%AA%E9%9F%B3",
			"/api/handovers?cursor=999999", "/api/patrols?cursor=999999"};
		for (size_t k = 0; k < sizeof(refused) / sizeof(refused[0]); k++) {
			r = api_call(env, &c, "GET", refused[k], NULL);
			check_error(r, 422, "bad_cursor", "cursor");
			api_resp_free(&r);
		}
	}
	/* an empty cursor is none */
	r = api_call(env, &c, "GET", "/api/incidents?cursor=", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	api_env_free(env);
}

/* n handovers and patrols of station A, three of each at one time (so that
 * the id orders them within it). */
static void duty_rows(struct api_env *env, int n)
{
	int64_t officer = api_user_id(env, "officer"), t = fq_time_now_ms() - 1000000;

	for (int i = 0; i < n; i++) {
		int64_t at = t + (i / 3) * 1000;
		CHECK(api_exec(env, api_fmt(
			"INSERT INTO handovers (station_id, org_path, outgoing_leader_id,"
			" incoming_leader_id, handover_at, status, created_at, updated_at)"
			" SELECT id, path, %lld, %lld, %lld, '%s', %lld, %lld FROM org_units"
			" WHERE id = %lld",
			(long long)officer, (long long)officer, (long long)at,
			i % 2 ? "locked" : "open", (long long)at, (long long)at, (long long)env->st_a)));
		CHECK(api_exec(env, api_fmt(
			"INSERT INTO patrols (station_id, org_path, status, started_at, created_at,"
			" updated_at) SELECT id, path, '%s', %lld, %lld, %lld FROM org_units"
			" WHERE id = %lld",
			i % 2 ? "ended" : "active", (long long)at, (long long)at, (long long)at,
			(long long)env->st_a)));
	}
}

/* The ids of a table in the list's order: time, then id, newest first. */
static int expected(struct api_env *env, const char *table, const char *time, const char *status,
		    int64_t *ids)
{
	int n = (int)api_count(env, api_fmt("SELECT count(*) FROM %s%s%s%s", table,
					     status ? " WHERE status = '" : "", status ? status : "",
					     status ? "'" : ""));

	for (int i = 0; i < n && i < MAX_ROWS; i++)
		ids[i] = api_count(env, api_fmt("SELECT id FROM %s%s%s%s ORDER BY %s DESC, id DESC"
						" LIMIT 1 OFFSET %d",
						table, status ? " WHERE status = '" : "",
						status ? status : "", status ? "'" : "", time, i));
	return n;
}

static void same(const int64_t *a, int na, const int64_t *b, int nb)
{
	CHECK_INT(na, nb);
	for (int i = 0; i < na && i < nb; i++)
		CHECK_INT(a[i], b[i]);
}

TEST(handovers_and_patrols_page_by_cursor)
{
	static const struct {
		const char *path, *table, *order, *status;
		int per_page;
	} lists[] = {
		{"/api/handovers?x=1", "handovers", "handover_at", NULL, 4},
		{"/api/handovers?status=locked", "handovers", "handover_at", "locked", 3},
		{"/api/patrols?x=1", "patrols", "started_at", NULL, 4},
		{"/api/patrols?status=active", "patrols", "started_at", "active", 5},
	};
	struct api_env *env = api_env_new();
	struct api_client c;
	int64_t ids[MAX_ROWS], want[MAX_ROWS];
	int n, w;

	CHECK(api_login_enrolled(env, &c, "officer"));
	duty_rows(env, 14);
	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		n = walk(env, &c, lists[k].path, lists[k].per_page, NULL, ids);
		w = expected(env, lists[k].table, lists[k].order, lists[k].status, want);
		same(ids, n, want, w);
	}
	api_env_free(env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(incidents_page_by_cursor_without_gaps_or_repeats),
	TEST_ENTRY(a_row_leaving_the_list_between_pages_leaves_no_gap),
	TEST_ENTRY(a_bad_cursor_names_the_field),
	TEST_ENTRY(handovers_and_patrols_page_by_cursor),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/lists", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc,
			    argv);
}
