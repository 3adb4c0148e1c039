/* Each list's order is served by an index (docs/internals.md, "Lists: order
 * served by an index, keyset paging"): on SQLite, every query the list
 * functions of store/incident_store.c and store/duty_store.c run, with each
 * of their filters, is planned with EXPLAIN QUERY PLAN, and a plan that sorts
 * its matches (a temporary B-tree for ORDER BY) or scans a whole table fails.
 * The overview's figures (store/figures_store.c) too: their groups may be
 * sorted, but a walk through the scope's index fails; so are the disputes'
 * figures, counts, watch and stamps (store/dispute_watch_store.c,
 * dispute_store.c; docs/PERFORMANCE.md, "Disputes at 100,000").
 * Planned twice: as a new station's file has it (no statistics), and with the
 * statistics ANALYZE wrote for a store of 400,000 incidents, 200,000 open
 * (bench/incidents.c --rows 400000 --open 200000), and for large duty tables.
 * The queries are taken from the connection's statement cache, so a list
 * query written anew is checked without being copied here. The map's
 * layers and the coverage check (store/grid_store.c; docs/PERFORMANCE.md,
 * "Grids at district size") must each read the index named for them
 * (031_grid_bench.sql): a box's addresses by their point, a period's calls
 * by the time received; the few addresses a coverage list names by id. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "store/backend.h"
#include "store/dispute_agreement_store.h"
#include "store/dispute_store.h"
#include "store/dispute_watch_store.h"
#include "store/duty_store.h"
#include "store/figures_store.h"
#include "store/grid_store.h"
#include "store/incident_store.h"
#include "store/overview_store.h"
#include "store/place_store.h"
#include "store/store.h"
#include "store/work_store.h"
#include "test.h"

static char dir[64];
/* Checking the overview's figures: their few dozen groups may be sorted, but
 * the walk must not take the scope's index (docs/internals.md, "Lists"). */
static bool figures;

/* What ANALYZE says of large tables (sqlite_stat1: table, index, rows and
 * rows per distinct prefix). */
static const char *const stats[][3] = {
	{"incidents", "incidents_day", "400013 44446 1"},
	{"incidents", "incidents_open_carried", "200005 200005 1 1"},
	{"incidents", "incidents_open_day", "200005 25001 1 1"},
	{"incidents", "incidents_open_board", "200005 100003 1 1"},
	{"incidents", "incidents_open", "200005 1"},
	{"incidents", "incidents_updated", "400013 1"},
	{"incidents", "incidents_caller_phone", "400013 200007 1"},
	{"incidents", "incidents_caller", "400013 400013 1"},
	{"incidents", "incidents_address", "400013 400013 1"},
	{"incidents", "incidents_status", "400013 66669 1"},
	{"incidents", "incidents_scope", "400013 13794 1"},
	{"incidents", "sqlite_autoindex_incidents_1", "400013 1"},
	{"disputes", "disputes_open", "2000 1"},
	{"disputes", "disputes_status", "100000 50000 1"},
	{"disputes", "disputes_scope", "100000 3000 1"},
	{"disputes", "disputes_created", "100000 1 1"},
	{"disputes", "disputes_concluded", "97000 1"},
	{"dispute_watch", "dispute_watch_first_above", "1000 2"},
	{"dispute_watch", "dispute_watch_score", "100000 5000 1"},
	{"dispute_watch", "sqlite_autoindex_dispute_watch_1", "100000 1"},
	{"dispute_parties", "dispute_parties_person", "200000 7"},
	{"dispute_parties", "sqlite_autoindex_dispute_parties_1", "200000 2 1"},
	{"dispute_mediators", "dispute_mediators_user", "99000 2500 1"},
	{"dispute_mediators", "dispute_mediators_dispute", "99000 1 1"},
	{"dispute_sessions", "dispute_sessions_dispute", "100000 1 1"},
	{"dispute_sessions", "dispute_sessions_start", "100000 1 1"},
	{"dispute_agreements", "dispute_agreements_dispute", "77000 1 1"},
	{"board_versions", "sqlite_autoindex_board_versions_1", "30 1"},
	{"shifts", "shifts_start", "100000 1 1"},
	{"shifts", "shifts_scope", "100000 20000 1"},
	{"shifts", "shifts_day", "100000 3 1"},
	{"shifts", "shifts_station", "100000 20000 1"},
	{"shift_positions", "shift_positions_user", "600000 3000 1"},
	{"shift_positions", "sqlite_autoindex_shift_positions_1", "600000 6 1"},
	{"handovers", "handovers_time", "100000 1 1"},
	{"handovers", "handovers_status_time", "100000 33334 1 1"},
	{"handovers", "handovers_scope", "100000 20000 1"},
	{"handovers", "handovers_leaders", "100000 200 100"},
	{"incidents", "incidents_closed_by", "400013 2000 1"},
	{"incident_responders", "incident_responders_user", "600000 3000 3 1"},
	{"incident_responders", "incident_responders_waiting", "200 1"},
	{"shifts", "shifts_pending", "20 1 1"},
	{"notifications", "notifications_user", "1000000 5000 1"},
	{"notifications", "notifications_unread", "100000 500 1"},
	{"notifications", "notifications_dedup", "1000000 5000 1"},
	{"patrols", "patrols_started", "300000 1 1"},
	{"patrols", "patrols_status_started", "300000 150000 1 1"},
	{"patrols", "patrols_status", "300000 150000 1"},
	{"patrols", "patrols_scope", "300000 60000 1"},
	{"patrol_members", "patrol_members_user", "600000 3000 1"},
	{"patrol_members", "sqlite_autoindex_patrol_members_1", "600000 2 1"},
	{"org_units", "org_units_path", "1000 1"},
	{"users", "users_org", "10000 10"},
	{"incident_followups", "incident_followups_incident", "300000 1"},
	{"incidents", "incidents_received", "400013 1 1"},
	{"addresses", "addresses_point", "100000 2 1"},
	{"addresses", "addresses_scope", "100000 500 1"},
	{"addresses", "addresses_grid", "100000 500"},
};

static struct fq_store *open_store(void)
{
	struct fq_error e = {0};
	struct fq_store *store;
	char url[96];

	snprintf(url, sizeof(url), "sqlite:%s/t.db", dir);
	if (fq_store_open(url, &store, &e)) {
		fprintf(stderr, "  cannot open %s: %s\n", url, e.message);
		return NULL;
	}
	return store;
}

/* Plans sql and reports each line that sorts the matches or reads a whole
 * table (a scan of a subquery's few rows, MATERIALIZE or CO-ROUTINE above, is
 * fine). A sort of the right part of the ORDER BY sorts the rows of one left
 * part (the few positions of one shift), not the list's matches. False when
 * the plan is bad or cannot be made. */
static bool plan_ok(struct fq_db *db, const char *what, const char *sql)
{
	char explain[8192], subqueries[512] = " ";
	struct fq_stmt *st;
	bool ok = true;
	int rc;

	snprintf(explain, sizeof(explain), "EXPLAIN QUERY PLAN %s", sql);
	if (fq_db_query_unbound(db, &st, explain)) {
		fprintf(stderr, "  %s: cannot plan '%.100s'\n", what, sql);
		return false;
	}
	while ((rc = fq_stmt_next(st)) == 1) {
		const char *line = fq_stmt_text(st, 3);
		char name[80];
		bool bad;

		if (!line)
			continue;
		if (sscanf(line, "MATERIALIZE %79s", name) == 1 ||
		    sscanf(line, "CO-ROUTINE %79s", name) == 1) {
			size_t n = strlen(subqueries);
			snprintf(subqueries + n, sizeof(subqueries) - n, "%s ", name);
			continue;
		}
		bad = !figures && strstr(line, "USE TEMP B-TREE FOR ORDER BY") != NULL;
		bad = bad || (figures && (strstr(line, "incidents_scope") ||
					  strstr(line, "disputes_scope")));
		/* SCAN CONSTANT ROW: the row of a SELECT of subqueries, no table */
		if (sscanf(line, "SCAN %79s", name) == 1 && !strstr(line, " USING ") &&
		    strcmp(line, "SCAN CONSTANT ROW")) {
			char word[84];
			snprintf(word, sizeof(word), " %s ", name);
			bad = bad || !strstr(subqueries, word);
		}
		if (bad) {
			fprintf(stderr, "  %s: '%s' in the plan of\n    %s\n", what, line, sql);
			ok = false;
		}
	}
	fq_stmt_done(st);
	return ok && rc == 0;
}

/* The statements cached now that were not before (had): the queries the call
 * since ran for the first time on this connection. Checks each SELECT;
 * returns how many. */
static int check_new(struct fq_db *db, bool had[FQ_STMT_CACHE], const char *what)
{
	int n = 0;

	for (int i = 0; i < FQ_STMT_CACHE; i++) {
		struct fq_stmt *st = db->cache[i];
		if (!st || had[i])
			continue;
		had[i] = true;
		if (strncmp(st->sql, "SELECT", 6))
			continue;
		n++;
		CHECK(plan_ok(db, what, st->sql));
	}
	return n;
}

static enum fq_err board_row(void *arg, const struct fq_board_row *row)
{
	(void)arg;
	(void)row;
	return FQ_OK;
}

/* Runs every list query with each of its filters, checking the plans of the
 * new statements after each call. */
static void run_lists(struct fq_db *db)
{
	static const char *const statuses[] = {NULL, "open", "closed", "received"};
	const char *lo = "/1/", *hi = "/10";
	struct fq_store_keyset below = {1000, 5};
	bool had[FQ_STMT_CACHE];
	enum fq_err err;
	char v[64];
	int n = 0;

	for (int i = 0; i < FQ_STMT_CACHE; i++)
		had[i] = db->cache[i] != NULL;
	for (int s = 0; s < 4; s++)
		for (int64_t day = 0; day <= 20260501; day += 20260501) {
			json_decref(fq_store_incident_list(db, lo, hi, 7, statuses[s], day, 0, 21, 0, &err));
			json_decref(fq_store_incident_list(db, lo, hi, 7, statuses[s], day, 99, 21, 0, &err));
			n += check_new(db, had, "incident list");
		}
	/* any, open, closed, received, and with a day: any, open, a status */
	CHECK_INT(n, 7);
	/* the list behind a figure of the overview: a period and its filters */
	{
		struct fq_incident_period p = {.from = 20260427, .to = 20260503, .late = true,
					       .hour = 9, .org_id = 4, .disposal = "persuaded",
					       .satisfaction = "satisfied", .status = "open", .now = 1000};
		json_decref(fq_store_incident_list_period(db, lo, hi, &p, 0, 21, 0, &err));
		CHECK(check_new(db, had, "incidents of a period") == 1);
	}
	/* in scope, and the caller's out of scope */
	CHECK_INT(fq_store_incident_board(db, lo, hi, 7, 200, board_row, NULL), FQ_OK);
	CHECK(check_new(db, had, "board") == 2);
	json_decref(fq_store_incident_daily(db, lo, hi, 20260501, &err));
	CHECK(check_new(db, had, "daily clear") == 2);
	CHECK_INT(fq_store_incident_version(db, lo, hi, 3, 1000, v, sizeof(v)), FQ_OK);
	CHECK(check_new(db, had, "board version") == 1);
	/* the overview's long poll: its stamps and the next overdue moment */
	{
		uint64_t h = 0;
		int64_t at = 0;
		CHECK_INT(fq_store_overview_stamp_unit(db, "/1/2/", lo, hi, 900, 1000, 100, &h), FQ_OK);
		CHECK_INT(fq_store_overview_stamp_user(db, 7, 1000, &h), FQ_OK);
		CHECK_INT(fq_store_overview_next_overdue(db, lo, hi, 1000, &at), FQ_OK);
		CHECK(check_new(db, had, "overview stamps") == 3);
	}
	json_decref(fq_store_duty_open_items(db, lo, hi, 100, &err));
	CHECK(check_new(db, had, "open items") == 2);
	/* the lists of duty: for a caller who sees all of the unit (scope NULL),
	 * and for one who sees part of it */
	json_decref(fq_store_shift_list(db, 0, 1000, lo, hi, NULL, NULL, 7, 101, 0, &err));
	json_decref(fq_store_shift_list(db, 0, 1000, lo, hi, lo, hi, 7, 101, 0, &err));
	CHECK(check_new(db, had, "shifts") == 2);
	json_decref(fq_store_shift_running(db, lo, hi, 0, 1000, &err));
	CHECK(check_new(db, had, "running shifts") == 1);
	json_decref(fq_store_duty_current_staff(db, lo, hi, 0, 1000, &err));
	CHECK(check_new(db, had, "staff on duty") == 1);
	for (int s = 0; s < 4; s++) {
		const char *status = s % 2 ? "locked" : NULL, *slo = s < 2 ? NULL : lo;
		json_decref(fq_store_handover_list(db, lo, hi, slo, hi, 7, status, NULL, 21, 0, &err));
		json_decref(fq_store_handover_list(db, lo, hi, slo, hi, 7, status, &below, 21, 0,
						   &err));
		CHECK(check_new(db, had, "handovers") == 1);
		status = s % 2 ? "ended" : NULL;
		json_decref(fq_store_patrol_list(db, lo, hi, slo, hi, 7, status, 0, 5000, NULL, 21, 0,
						 &err));
		json_decref(fq_store_patrol_list(db, lo, hi, slo, hi, 7, status, 0, 5000, &below, 21,
						 0, &err));
		CHECK(check_new(db, had, "patrols") == 1);
	}
	/* the work queue and the notification sweep (011_work.sql) */
	json_decref(fq_store_work_dispatched(db, 7, 50, &err));
	CHECK(check_new(db, had, "work: dispatched") == 1);
	json_decref(fq_store_work_open_day(db, lo, hi, 20260501, 7, 50, &err));
	CHECK(check_new(db, had, "work: open today") == 1);
	json_decref(fq_store_work_followups(db, 7, 1000, 50, &err));
	CHECK(check_new(db, had, "work: follow-ups") == 1);
	json_decref(fq_store_work_leading(db, 7, 1000, &err));
	CHECK(check_new(db, had, "work: leading") == 1);
	json_decref(fq_store_work_pending_shifts(db, lo, hi, 1000, 50, &err));
	CHECK(check_new(db, had, "work: pending shifts") == 1);
	json_decref(fq_store_work_handovers(db, 7, 50, &err));
	CHECK(check_new(db, had, "work: handovers") == 1);
	json_decref(fq_store_agreement_followups_mine(db, 7, 50, &err));
	CHECK(check_new(db, had, "work: agreement visits") == 1);
	json_decref(fq_store_notify_late_arrivals(db, 0, 1000, 500, &err));
	CHECK(check_new(db, had, "sweep: late arrivals") == 1);
	json_decref(fq_store_notify_shifts_soon(db, 0, 1000, 500, &err));
	CHECK(check_new(db, had, "sweep: shifts soon") == 1);
	for (int unread = 0; unread < 2; unread++)
		json_decref(fq_store_notify_list(db, 7, unread, 1000, 21, &err));
	CHECK(check_new(db, had, "notifications") == 2);
	/* the overview's figures: the period's days (incidents_day) or the open
	 * calls walked, the scope a filter on the walk */
	{
		struct fq_incident_figures f;

		figures = true;
		CHECK_INT(fq_store_figures_incidents(db, lo, hi, 20260427, 20260503, 1000, &f), FQ_OK);
		for (int by = FQ_BY_HOUR; by <= FQ_BY_SATISFACTION; by++)
			json_decref(fq_store_figures_incidents_by(db, (enum fq_figures_by)by, lo, hi,
								  20260427, 20260503, &err));
		CHECK(check_new(db, had, "overview figures") == 6);
		figures = false;
	}
}

/* Whether the plan of the one statement cached since had names index (the
 * plan's own statement is cached too, and marked had). */
static bool plan_uses(struct fq_db *db, bool had[FQ_STMT_CACHE], const char *what,
		      const char *index)
{
	char explain[8192] = "";
	struct fq_stmt *st;
	bool found = false;
	int n = 0;

	for (int i = 0; i < FQ_STMT_CACHE; i++) {
		if (!db->cache[i] || had[i])
			continue;
		had[i] = true;
		n++;
		snprintf(explain, sizeof(explain), "EXPLAIN QUERY PLAN %s", db->cache[i]->sql);
	}
	if (n != 1 || fq_db_query_unbound(db, &st, explain)) {
		fprintf(stderr, "  %s: %d new statements\n", what, n);
		return false;
	}
	while (fq_stmt_next(st) == 1)
		found = found || (fq_stmt_text(st, 3) && strstr(fq_stmt_text(st, 3), index));
	fq_stmt_done(st);
	for (int i = 0; i < FQ_STMT_CACHE; i++)
		had[i] = had[i] || db->cache[i] != NULL;
	if (!found)
		fprintf(stderr, "  %s: the plan of\n    %s\n  does not read %s\n", what,
			explain + 19, index);
	return found;
}

/* The map's layers, the heat and the coverage list, each on the index made
 * for it. */
static void run_grids(struct fq_db *db)
{
	const char *lo = "/1/", *hi = "/10";
	bool had[FQ_STMT_CACHE];
	enum fq_err err;
	int64_t ids[] = {3, 1, 2};

	for (int i = 0; i < FQ_STMT_CACHE; i++)
		had[i] = db->cache[i] != NULL;
	json_decref(fq_store_grid_address_points(db, lo, hi, 29.85, 106.75, 29.86, 106.76, 5001,
						 &err));
	CHECK(plan_uses(db, had, "addresses layer", "addresses_point"));
	json_decref(fq_store_place_box_list(db, lo, hi, 1000, 29.85, 106.75, 29.86, 106.76, 5001,
					    &err));
	CHECK(plan_uses(db, had, "places layer in a box", "addresses_point"));
	json_decref(fq_store_grid_incident_points(db, lo, hi, 1000, 2000, 5001, &err));
	CHECK(plan_uses(db, had, "incidents layer", "incidents_received"));
	json_decref(fq_store_grid_incident_counts(db, lo, hi, 1000, 2000, &err));
	CHECK(plan_uses(db, had, "heat", "incidents_received"));
	json_decref(fq_store_grid_addresses_by_id(db, ids, 3, &err));
	CHECK_INT(err, FQ_OK);
	CHECK(plan_uses(db, had, "coverage list", "PRIMARY KEY"));
}

/* The disputes at 100,000 (docs/PERFORMANCE.md), run first on a new
 * connection so that the statement cache has room for every query: the figures of
 * a period by each group and escalations prevented, the chief's counts and
 * the watch (its few open rows sorted by score), a mediator's stamp and
 * cards, and the watch's counts of failed disputes and breached agreements
 * of the same parties, run for each dispute it scores. */
static void run_disputes(struct fq_db *db)
{
	const char *lo = "/1/", *hi = "/10";
	bool had[FQ_STMT_CACHE];
	enum fq_err err;
	struct fq_dispute_counts dc;
	int64_t a, b;
	uint64_t h = 0;

	for (int i = 0; i < FQ_STMT_CACHE; i++)
		had[i] = db->cache[i] != NULL;
	figures = true;
	for (int by = FQ_FIGURES_TYPE; by <= FQ_FIGURES_ALL; by++)
		json_decref(fq_store_dispute_figures(db, lo, hi, 0, (enum fq_dispute_figures_by)by, 0,
						     1000, &err));
	CHECK(check_new(db, had, "dispute figures") == 5);
	CHECK_INT(fq_store_watch_prevented(db, lo, hi, 0, 0, 1000, 100, 1000, &a, &b), FQ_OK);
	CHECK(check_new(db, had, "escalations prevented") == 1);
	CHECK_INT(fq_store_dispute_counts(db, lo, hi, 1000, 0, 1000, &dc), FQ_OK);
	CHECK(check_new(db, had, "dispute counts") == 1);
	json_decref(fq_store_watch_list(db, lo, hi, 0, 50, 100, &err));
	CHECK_INT(fq_store_watch_count(db, lo, hi, &a), FQ_OK);
	CHECK(check_new(db, had, "watch list") == 2);
	CHECK_INT(fq_store_dispute_stamp_mine(db, 7, &h), FQ_OK);
	CHECK_INT(fq_store_dispute_counts_mine(db, 7, 0, 1000, &a, &b), FQ_OK);
	json_decref(fq_store_dispute_work_mine(db, 7, 50, &err));
	CHECK(check_new(db, had, "a mediator's disputes") == 4);
	CHECK_INT(fq_store_watch_breaches(db, 7, &a), FQ_OK);
	CHECK_INT(fq_store_watch_agreement_breaches(db, 7, &a), FQ_OK);
	CHECK(check_new(db, had, "watch: failed and breached before") == 2);
	figures = false;
}

TEST(lists_walk_an_index_in_order)
{
	struct fq_error e = {0};
	struct fq_store *store;
	struct fq_db *db;
	char path[96];

	snprintf(dir, sizeof(dir), "/tmp/fq-test-plans-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	store = open_store();
	CHECK(store != NULL);
	if (!store)
		return;
	CHECK_INT(fq_store_migrate(store, NULL, &e), FQ_OK);
	db = fq_store_db(store, &e);
	CHECK(db != NULL);
	if (!db)
		goto out;
	/* A new station: no statistics. */
	run_disputes(db);
	run_lists(db);
	/* A large store, as ANALYZE has seen it. */
	CHECK_INT(fq_db_exec_script(db, "ANALYZE; DELETE FROM sqlite_stat1", &e), FQ_OK);
	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		CHECK_INT(fq_db_exec(db, NULL,
				     "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?1, ?2, ?3)",
				     "sss", stats[i][0], stats[i][1], stats[i][2]),
			  FQ_OK);
	fq_store_close(store);
	store = open_store(); /* a new connection reads the statistics */
	CHECK(store != NULL);
	db = store ? fq_store_db(store, &e) : NULL;
	CHECK(db != NULL);
	if (db)
		run_disputes(db);
	if (db)
		run_lists(db);
	/* The grids' queries on a new connection (room in its statement
	 * cache), with those statistics, then without them. */
	for (int pass = 0; pass < 2; pass++) {
		fq_store_close(store);
		store = open_store();
		db = store ? fq_store_db(store, &e) : NULL;
		CHECK(db != NULL);
		if (db)
			run_grids(db);
		if (db && !pass)
			CHECK_INT(fq_db_exec_script(db, "DELETE FROM sqlite_stat1", &e), FQ_OK);
	}
out:
	fq_store_close(store);
	for (const char *const *f = (const char *const[]){"t.db", "t.db-wal", "t.db-shm", NULL}; *f;
	     f++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *f);
		unlink(path);
	}
	rmdir(dir);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(lists_walk_an_index_in_order),
};

int main(int argc, char **argv)
{
	return fq_test_main("store/list_plans", tests, (int)(sizeof(tests) / sizeof(tests[0])),
			    argc, argv);
}
