/* Fills an initialised store that holds the demo station with incidents,
 * for the incident benchmarks (bench/incidents.sh, docs/PERFORMANCE.md
 * "Incidents at a million"):
 *
 *   bench-incidents --store URL [--rows 1000000] [--open 0] [--station 500112001]
 *                   [--utc-offset 480]
 *
 * Rows go in through the store's SQL with the full-text index kept
 * (fq_search_index_incident), 2,000 per transaction, spread over the
 * station's grids, with texts put together from the phrases below. rows -
 * open of them are closed calls of past years, one every two minutes back
 * from 2025; the last `open` are open calls received over the last seven
 * days up to now, oldest first: a mix of the open statuses (received,
 * dispatched, on_scene, handling, with the times each has), about 1 in 20
 * an emergency. Their local day and hour are those of --utc-offset (minutes
 * east of UTC: the station's setting utc_offset_minutes). Prints how many and
 * how long. bench/lib.sh (pg_fill_incidents) writes the same rows on
 * PostgreSQL in bulk, without the full-text index. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/str.h"
#include "core/time.h"
#include "store/search_store.h"
#include "store/store.h"

#define BATCH 2000
#define MAX_GRIDS 256
#define OPEN_SPAN_MS (7 * 86400000LL) /* open calls: received over the last week */

static const char *const openings[] = {
	"报警人称", "群众来电反映", "12345转来：", "巡逻发现", "平安志愿者反映", "来所报称",
};
static const char *const matters[] = {
	"楼上住户深夜装修，噪音扰民", "朋友借款不还，手持借条要求处理", "双方因彩礼退还发生纠纷",
	"停放在楼下的电动车被盗", "老人外出走失，家属焦急", "两车剐蹭，双方对责任有争议",
	"物业停水停电，与物业人员争执", "工地拖欠工人工资", "邻居占用公共通道堆放杂物",
	"夫妻吵架摔砸物品", "网购被骗，对方已将其拉黑", "夜市有人聚众赌博",
	"宠物狗咬伤路人", "出租屋内疑似有人吸毒", "小区门口有人乱停车堵路",
};
static const char *const endings[] = {
	"，请求民警到场处理。", "，情绪激动。", "，现场有多人围观。", "，要求调解。",
	"，已多次沟通无果。", "，无人员受伤。",
};
static const char *const streets[] = {"双龙大道", "金港路", "双凤路", "临港大道", "龙湾街"};

static uint64_t seed = 0x1234567;
static int64_t local_offset = 480; /* minutes: the default utc_offset_minutes */

static uint32_t pick(uint32_t n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)(seed % n);
}

#define PICK(a) (a[pick(sizeof(a) / sizeof(a[0]))])

static void fail(const char *what, enum fq_err err)
{
	fprintf(stderr, "bench-incidents: %s: error %d\n", what, (int)err);
	exit(1);
}

/* An open call received at `at`: one of the open statuses, with the times
 * that status has (dispatch 2 minutes after the call, arrival 10 after). */
static enum fq_err insert_open(struct fq_db *db, const char *number, int64_t station,
			       int64_t grid, const char *path, int64_t at, const char *text,
			       const char *addr, int64_t *id)
{
	static const char *const statuses[] = {"received", "dispatched", "on_scene", "handling"};
	int s = (int)pick(4);
	int64_t dispatched = at + 120000, arrived = at + 600000;
	int hour;
	int64_t day = fq_time_local_day(at, local_offset, &hour);
	return fq_db_insert(
		db, id,
		"INSERT INTO incidents (number, station_id, org_id, org_path, received_at, day,"
		" hour, channel, area_type, category, narrative, address_text, emergency, status,"
		" target_minutes, dispatched_at, arrived_at, handling_at, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'phone', 'urban', 'dispute', ?8, ?9, ?10,"
		" ?11, 15, NULLIF(?12, 0), NULLIF(?13, 0), NULLIF(?14, 0), ?5, ?5) RETURNING id",
		"siisiiissisiii", number, station, grid, path, at, day, (int64_t)hour, text, addr,
		(int64_t)(pick(20) == 0), statuses[s], s >= 1 ? dispatched : 0,
		s >= 2 ? arrived : 0, s >= 3 ? arrived : 0);
}

int main(int argc, char **argv)
{
	const char *url = NULL, *station_code = "500112001";
	int64_t rows = 1000000, open = 0, grids[MAX_GRIDS], station = 0, at, open_at = 0;
	char station_path[256] = "", paths[MAX_GRIDS][64];
	int ngrids = 0, rc;
	struct fq_error e = {0};
	struct fq_store *store;
	struct fq_stmt *st;
	struct fq_db *db;
	struct timespec t0, t1;
	enum fq_err err;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--store"))
			url = argv[i + 1];
		else if (!strcmp(argv[i], "--station"))
			station_code = argv[i + 1];
		else if (!strcmp(argv[i], "--utc-offset")) {
			if (!fq_parse_i64(argv[i + 1], -720, 840, &local_offset))
				url = NULL, i = argc;
		} else if (!strcmp(argv[i], "--open")) {
			if (!fq_parse_i64(argv[i + 1], 0, 100000000, &open))
				url = NULL, i = argc;
		} else if (strcmp(argv[i], "--rows") || !fq_parse_i64(argv[i + 1], 1, 100000000, &rows))
			url = NULL, i = argc;
	}
	if (!url || open > rows) {
		fprintf(stderr, "usage: bench-incidents --store URL [--rows N] [--open M (at most N)]"
				" [--station CODE] [--utc-offset MINUTES]\n");
		return 2;
	}
	if (fq_store_open(url, &store, &e) || !(db = fq_store_db(store, &e))) {
		fprintf(stderr, "bench-incidents: %s\n", e.message);
		return 1;
	}
	if ((err = fq_db_query(db, &st, "SELECT id, path FROM org_units WHERE code = ?1", "s",
			       station_code)))
		fail("station", err);
	if (fq_stmt_next(st) == 1) {
		station = fq_stmt_int(st, 0);
		fq_strlcpy(station_path, fq_stmt_text(st, 1), sizeof(station_path));
	}
	fq_stmt_done(st);
	if (!station)
		fail("no such station (run fengqiao demo first)", FQ_ERR_NOT_FOUND);
	if ((err = fq_db_query(db, &st,
			       "SELECT id, path FROM org_units WHERE kind = 'grid' AND"
			       " substr(path, 1, length(?1)) = ?1 ORDER BY id",
			       "s", station_path)))
		fail("grids", err);
	while (ngrids < MAX_GRIDS && (rc = fq_stmt_next(st)) == 1) {
		grids[ngrids] = fq_stmt_int(st, 0);
		fq_strlcpy(paths[ngrids++], fq_stmt_text(st, 1), sizeof(paths[0]));
	}
	fq_stmt_done(st);
	if (!ngrids)
		fail("the station has no grids", FQ_ERR_NOT_FOUND);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	at = 1735689600000LL; /* 2025-01-01, going back */
	open_at = fq_time_now_ms() - OPEN_SPAN_MS;
	for (int64_t done = 0; done < rows;) {
		if ((err = fq_db_begin(db, true)))
			fail("begin", err);
		for (int k = 0; k < BATCH && done < rows; k++, done++) {
			char text[512], addr[128], number[40];
			int g = (int)pick((uint32_t)ngrids), hour;
			int64_t id, local;

			snprintf(text, sizeof(text), "%s%s%s", PICK(openings), PICK(matters),
				 PICK(endings));
			snprintf(addr, sizeof(addr), "重庆市渝北区%s%u号", PICK(streets), pick(400) + 1);
			snprintf(number, sizeof(number), "H-%09lld", (long long)done);
			if (done >= rows - open) {
				/* the open calls, evenly over the span, the newest last */
				int64_t t = open_at + (done - (rows - open)) * OPEN_SPAN_MS / open;
				err = insert_open(db, number, station, grids[g], paths[g], t, text, addr,
						  &id);
				if (!err)
					err = fq_search_index_incident(db, id, text, addr);
				if (err)
					fail("insert", err);
				continue;
			}
			at -= 120000;
			local = fq_time_local_day(at, local_offset, &hour);
			err = fq_db_insert(
				db, &id,
				"INSERT INTO incidents (number, station_id, org_id, org_path, received_at,"
				" day, hour, channel, area_type, category, narrative, address_text,"
				" status, disposal, closed_at, created_at, updated_at) VALUES (?1, ?2, ?3,"
				" ?4, ?5, ?8, ?9, 'phone', 'urban', 'dispute', ?6, ?7, 'reviewed',"
				" 'on_site_mediation', ?5, ?5, ?5) RETURNING id",
				"siisissii", number, station, grids[g], paths[g], at, text, addr, local,
				(int64_t)hour);
			if (!err)
				err = fq_search_index_incident(db, id, text, addr);
			if (err)
				fail("insert", err);
		}
		if ((err = fq_db_commit(db)))
			fail("commit", err);
		if (done % 100000 == 0 || done == rows) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			printf("%lld incidents, %.0f s\n", (long long)done,
			       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
			fflush(stdout);
		}
	}
	fq_store_close(store);
	return 0;
}
