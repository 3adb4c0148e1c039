/* Excel and CSV exports (docs/api.md "Exports"): every list exports what its
 * filters and the caller's scope select, in both formats; masked fields stay
 * masked unless the caller may unmask (audited); every export is audited with
 * its list, filters and row count; bad input and the row limit are refused
 * with the field named. XLSX files are read back with Debian's openpyxl. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/harness.h"
#include "config/config.h"
#include "http/app.h"

#define PHONE "13812345678"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* The Python of Debian, where python3-openpyxl is installed. */
#define PYTHON "/usr/bin/python3"

static void staff_on_shift(struct api_env *env)
{
	static const char *const a[] = {"officer", "aux", "chief", NULL};
	static const char *const b[] = {"officer.b", NULL};

	CHECK(api_on_shift(env, env->st_a, a));
	CHECK(api_on_shift(env, env->st_b, b));
}

static int64_t new_incident(struct api_env *env, struct api_client *c, const char *extra)
{
	struct api_resp r = api_callf(env, c, "POST", "/api/incidents",
				      "{\"channel\":\"110_transfer\",\"category\":\"dispute\","
				      "\"subcategory\":\"neighbour\",\"narrative\":\"楼上深夜噪音扰民\"%s}",
				      extra);
	int64_t id = r.status == 201 ? api_int(r.json, "id") : 0;

	if (!id)
		printf("# intake: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	return id;
}

static void dispatch(struct api_env *env, struct api_client *c, int64_t id)
{
	struct api_resp r = api_callf(env, c, "POST",
				      api_fmt("/api/incidents/%lld/dispatch", (long long)id),
				      "{\"user_ids\":[%lld]}", (long long)api_user_id(env, "officer"));

	check_status(r, 200);
	api_resp_free(&r);
}

/* Lines of a CSV body (each row ends with CRLF; no field here holds one). */
static int csv_lines(const struct api_resp *r)
{
	int n = 0;

	for (size_t i = 0; i + 1 < r->body_len; i++)
		n += r->body[i] == '\r' && r->body[i + 1] == '\n';
	return n;
}

/* What openpyxl reads of an XLSX body: {"title", "rows" (the heading
 * included), "head": [...], "cells": [[...] of the first rows as text],
 * "dates": [[is_date …] of row 2]}; NULL when it cannot be read. */
static json_t *read_xlsx(const struct api_resp *r)
{
	static const char script[] =
		"import json, sys, openpyxl\n"
		"ws = openpyxl.load_workbook(sys.argv[1]).active\n"
		"rows = list(ws.iter_rows())\n"
		"print(json.dumps({'title': ws.title, 'rows': len(rows),"
		" 'head': [c.value for c in rows[0]],"
		" 'cells': [[None if c.value is None else str(c.value) for c in row] for row in rows[1:6]],"
		" 'dates': [[c.is_date for c in row] for row in rows[1:2]]}))\n";
	char path[] = "/tmp/fq-test-export-XXXXXX.xlsx", cmd[256], out[1 << 16];
	int fd = mkstemps(path, 5);
	size_t got = 0;
	json_t *v = NULL;
	FILE *p;

	if (fd < 0)
		return NULL;
	if (write(fd, r->body, r->body_len) != (ssize_t)r->body_len) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), PYTHON " -c \"$FQ_XLSX_SCRIPT\" %s", path);
	setenv("FQ_XLSX_SCRIPT", script, 1);
	p = popen(cmd, "r");
	if (p) {
		got = fread(out, 1, sizeof(out) - 1, p);
		out[got] = '\0';
		if (pclose(p) == 0)
			v = json_loads(out, 0, NULL);
	}
	unlink(path);
	if (!v)
		printf("# openpyxl could not read the file: %s\n", out);
	return v;
}

static struct api_resp export(struct api_env *env, struct api_client *c, const char *target)
{
	return api_call(env, c, "GET", target, NULL);
}

/* Exports target (a CSV) as c and checks it has lines lines, heading included. */
static void expect_csv_lines(struct api_env *env, struct api_client *c, const char *target,
			     int lines)
{
	struct api_resp r = export(env, c, target);

	if (check_status(r, 200))
		CHECK_INT(csv_lines(&r), lines);
	api_resp_free(&r);
}

/* The detail of the newest audit entry of action, parsed. */
static json_t *audit_detail(struct api_env *env, const char *action, const char **outcome)
{
	json_t *e = api_audit_last(env, action, NULL), *d = NULL;
	static char saved[16];

	saved[0] = '\0';
	if (e) {
		snprintf(saved, sizeof(saved), "%s", api_str(e, "outcome") ? api_str(e, "outcome") : "");
		d = api_str(e, "detail") ? json_loads(api_str(e, "detail"), 0, NULL) : NULL;
		json_decref(e);
	}
	if (outcome)
		*outcome = saved;
	return d;
}

TEST(incidents_export_the_filtered_rows_in_both_formats)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	const char *outcome;
	json_t *x, *d;
	int64_t a, b;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	a = new_incident(env, &c, ",\"caller_name\":\"王女士\"");
	b = new_incident(env, &c, ",\"caller_name\":\"李先生\"");
	CHECK(new_incident(env, &c, "") > 0);
	dispatch(env, &c, a);
	dispatch(env, &c, b);

	/* CSV: byte-order mark, Chinese headings, the two dispatched rows. */
	r = export(env, &c, "/api/incidents/export?format=csv&status=dispatched");
	if (check_status(r, 200)) {
		CHECK_STR(r.content_type, "text/csv; charset=utf-8");
		CHECK(r.disposition && strstr(r.disposition, "attachment; filename=\"incidents-"));
		CHECK(!memcmp(r.body, "\xEF\xBB\xBF警情编号,接警时间,", 3 + 26));
		CHECK_INT(csv_lines(&r), 3);
		CHECK(strstr(r.body, "王女士") && strstr(r.body, "李先生"));
		CHECK(strstr(r.body, ",已派警,"));
	}
	api_resp_free(&r);
	d = audit_detail(env, "incident.export", &outcome);
	CHECK_STR(outcome, "success");
	CHECK_STR(api_str(d, "list"), "incidents");
	CHECK_STR(api_str(d, "format"), "csv");
	CHECK_INT(api_int(d, "rows"), 2);
	CHECK_STR(api_str(d, "filters.status"), "dispatched");
	CHECK(!api_get(d, "filters.format"));
	CHECK(!api_bool(d, "unmasked"));
	json_decref(d);

	/* XLSX: the same rows, received_at a real date with a date format. */
	r = export(env, &c, "/api/incidents/export?format=xlsx&status=dispatched&per_page=1&page=3");
	if (check_status(r, 200)) {
		CHECK_STR(r.content_type, XLSX_TYPE);
		CHECK(!memcmp(r.body, "PK\x03\x04", 4));
		x = read_xlsx(&r);
		CHECK(x != NULL);
		CHECK_STR(api_str(x, "title"), "警情");
		CHECK_INT(api_int(x, "rows"), 3); /* page and per_page are the export's own */
		CHECK_STR(api_str(x, "head.0"), "警情编号");
		CHECK_STR(api_str(x, "head.1"), "接警时间");
		CHECK(api_bool(x, "dates.0.1"));  /* 接警时间 */
		CHECK(!api_bool(x, "dates.0.0")); /* 警情编号 */
		json_decref(x);
	}
	api_resp_free(&r);

	/* Unfiltered: all three. */
	expect_csv_lines(env, &c, "/api/incidents/export?format=csv", 4);
	api_env_free(env);
}

TEST(english_headings_by_lang_or_accept_language)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_raw raw = {.method = "GET", .target = "/api/incidents/export?format=csv",
			      .accept_language = "en-US,en;q=0.9,zh;q=0.5"};
	struct api_resp r;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(new_incident(env, &c, "") > 0);
	r = api_call_raw(env, &c, &raw);
	check_status(r, 200);
	CHECK(strstr(r.body, "Number,Received,Channel") != NULL);
	CHECK(strstr(r.body, "110 transfer,Dispute,Neighbours") != NULL);
	api_resp_free(&r);
	raw.target = "/api/incidents/export?format=csv&lang=zh-CN";
	r = api_call_raw(env, &c, &raw);
	check_status(r, 200);
	CHECK(strstr(r.body, "警情编号,接警时间") != NULL);
	api_resp_free(&r);
	r = export(env, &c, "/api/incidents/export?format=xlsx&lang=en");
	if (check_status(r, 200)) {
		json_t *x = read_xlsx(&r);
		CHECK_STR(api_str(x, "title"), "Incidents");
		CHECK_STR(api_str(x, "head.0"), "Number");
		json_decref(x);
	}
	api_resp_free(&r);
	api_env_free(env);
}

TEST(csv_quotes_and_guards_against_formulas)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(new_incident(env, &c, ",\"caller_name\":\"=HYPERLINK(\\\"http://x\\\")\","
				    "\"address_text\":\"幸福路1号, 2栋\"") > 0);
	CHECK(new_incident(env, &c, ",\"caller_name\":\"@SUM(A1)\"") > 0);
	CHECK(new_incident(env, &c, ",\"caller_name\":\"-1+2\"") > 0);
	r = export(env, &c, "/api/incidents/export?format=csv");
	check_status(r, 200);
	CHECK(strstr(r.body, ",\"'=HYPERLINK(\"\"http://x\"\")\",") != NULL);
	CHECK(strstr(r.body, ",\"幸福路1号, 2栋\",") != NULL);
	CHECK(strstr(r.body, ",\"'@SUM(A1)\",") != NULL);
	CHECK(strstr(r.body, ",\"'-1+2\",") != NULL);
	CHECK(strstr(r.body, ",=") == NULL && strstr(r.body, ",@") == NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(masked_fields_stay_masked_unless_the_caller_may_unmask)
{
	struct api_env *env = api_env_new();
	struct api_client officer, aux;
	struct api_resp r;
	const char *outcome;
	json_t *d;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK(api_login_enrolled(env, &aux, "aux"));
	CHECK(api_new_person(env, &officer, "张三", API_ID_NUMBER,
			     "{\"phone\":\"" PHONE "\",\"tags\":[\"elderly\"]}") > 0);
	CHECK(new_incident(env, &officer, ",\"caller_phone\":\"" PHONE "\"") > 0);

	/* Masked as the lists show them. */
	r = export(env, &officer, "/api/persons/export?format=csv");
	check_status(r, 200);
	CHECK(strstr(r.body, "张三,居民身份证,110105********002X,女,1949-12-31,138****5678,,老年人,"));
	CHECK(!strstr(r.body, API_ID_NUMBER) && !strstr(r.body, PHONE));
	api_resp_free(&r);
	r = export(env, &officer, "/api/incidents/export?format=csv");
	check_status(r, 200);
	CHECK(strstr(r.body, "138****5678") && !strstr(r.body, PHONE));
	api_resp_free(&r);
	r = export(env, &officer, "/api/persons/export?format=xlsx");
	if (check_status(r, 200)) {
		json_t *x = read_xlsx(&r);
		CHECK_STR(api_str(x, "cells.0.2"), "110105********002X");
		CHECK_STR(api_str(x, "cells.0.5"), "138****5678");
		CHECK(api_bool(x, "dates.0.4")); /* 出生日期 */
		json_decref(x);
	}
	api_resp_free(&r);

	/* Unmasked for an officer (person.unmask), audited as such. */
	r = export(env, &officer, "/api/persons/export?format=xlsx&unmask=true");
	if (check_status(r, 200)) {
		json_t *x = read_xlsx(&r);
		CHECK_STR(api_str(x, "cells.0.2"), API_ID_NUMBER);
		CHECK_STR(api_str(x, "cells.0.5"), PHONE);
		json_decref(x);
	}
	api_resp_free(&r);
	d = audit_detail(env, "person.export_unmasked", &outcome);
	CHECK_STR(outcome, "success");
	CHECK(api_bool(d, "unmasked"));
	CHECK_INT(api_int(d, "rows"), 1);
	json_decref(d);

	/* The aux may not: refused, naming the field, and the refusal audited. */
	r = export(env, &aux, "/api/persons/export?format=csv&unmask=true");
	check_error(r, 403, "forbidden", "unmask");
	CHECK(!strstr(r.body, API_ID_NUMBER));
	api_resp_free(&r);
	d = audit_detail(env, "person.export", &outcome);
	CHECK_STR(outcome, "failure");
	json_decref(d);
	/* Incidents have nothing to unmask. */
	r = export(env, &officer, "/api/incidents/export?format=csv&unmask=true");
	check_error(r, 422, "not_masked", "unmask");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(bad_input_and_the_row_limit_are_refused_naming_the_field)
{
	static const struct {
		const char *target;
		int status;
		const char *code, *field;
	} bad[] = {
		{"/api/incidents/export", 422, "required", "format"},
		{"/api/incidents/export?format=pdf", 400, "bad_query", "format"},
		{"/api/incidents/export?format=csv&lang=fr", 400, "bad_query", "lang"},
		{"/api/incidents/export?format=csv&unmask=yes", 400, "bad_query", "unmask"},
		{"/api/incidents/export?format=csv&status=lost", 400, "bad_query", "status"},
		{"/api/incidents/export?format=csv&day=2026-13-01", 400, NULL, "day"},
		{"/api/persons/export?format=xlsx&doc_type=card", 400, "bad_query", "doc_type"},
		{"/api/patrols/export?format=xlsx&status=lost", 400, NULL, "status"},
		{"/api/audit/export?format=csv&outcome=maybe", 400, "bad_query", "outcome"},
	};
	struct api_env *env = api_env_new();
	struct api_client c, auditor;
	struct api_resp r;
	const char *outcome;
	json_t *d;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &auditor, "auditor"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = export(env, strstr(bad[i].target, "/api/audit") ? &auditor : &c, bad[i].target);
		if (!check_error(r, bad[i].status, bad[i].code, bad[i].field))
			printf("# %s\n", bad[i].target);
		CHECK(r.json != NULL); /* an error, never a half-written file */
		api_resp_free(&r);
	}

	/* More rows than export_max_rows: refused whole, audited as a failure. */
	for (int i = 0; i < 3; i++)
		CHECK(new_incident(env, &c, "") > 0);
	env->app->cfg.export_max_rows = 2;
	r = export(env, &c, "/api/incidents/export?format=xlsx");
	check_error(r, 422, "too_many_rows", NULL);
	CHECK(strstr(api_str(r.json, "error.message"), "more than 2 rows") != NULL);
	api_resp_free(&r);
	d = audit_detail(env, "incident.export", &outcome);
	CHECK_STR(outcome, "failure");
	json_decref(d);
	env->app->cfg.export_max_rows = 3;
	expect_csv_lines(env, &c, "/api/incidents/export?format=csv", 4);
	api_env_free(env);
}

TEST(exports_keep_to_the_callers_permission_and_scope)
{
	struct api_env *env = api_env_new();
	struct api_client a, b, resident, chief;
	struct api_resp r;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &a, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	CHECK(api_login_enrolled(env, &resident, "resident"));
	CHECK(api_login_enrolled(env, &chief, "chief"));
	CHECK(new_incident(env, &a, ",\"caller_name\":\"甲站报警人\"") > 0);
	CHECK(new_incident(env, &b, ",\"caller_name\":\"乙站报警人\"") > 0);

	r = export(env, &b, "/api/incidents/export?format=csv");
	check_status(r, 200);
	CHECK_INT(csv_lines(&r), 2); /* the heading and 乙's own */
	CHECK(strstr(r.body, "乙站报警人") && !strstr(r.body, "甲站报警人"));
	api_resp_free(&r);
	r = export(env, &a, "/api/incidents/export?format=csv");
	check_status(r, 200);
	CHECK(strstr(r.body, "甲站报警人") && !strstr(r.body, "乙站报警人"));
	api_resp_free(&r);

	/* The list's permission: a resident reads no incidents, an officer no
	 * users and no audit log. */
	r = export(env, &resident, "/api/incidents/export?format=csv");
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	r = export(env, &a, "/api/users/export?format=csv");
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	r = export(env, &a, "/api/audit/export?format=csv");
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	r = export(env, NULL, "/api/persons/export?format=csv");
	check_error(r, 401, NULL, NULL);
	api_resp_free(&r);
	/* The chief's users: those of the station only. */
	r = export(env, &chief, "/api/users/export?format=csv");
	check_status(r, 200);
	CHECK(strstr(r.body, "officer,") && !strstr(r.body, "officer.b,"));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(every_list_exports_in_both_formats)
{
	static const struct {
		const char *path, *who, *first_heading, *title;
	} lists[] = {
		{"/api/incidents/daily-clear/export", "officer", "警情编号", "日清"},
		{"/api/shifts/export", "officer", "日期", "排班表"},
		{"/api/handovers/export", "officer", "交接时间", "交接班记录"},
		{"/api/patrols/export", "aux", "开始时间", "巡逻记录"},
		{"/api/persons/export", "aux", "姓名", "实有人口"},
		{"/api/addresses/export", "aux", "标准地址", "标准地址"},
		{"/api/users/export", "chief", "用户名", "用户"},
		{"/api/audit/export", "auditor", "序号", "审计日志"},
	};
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	staff_on_shift(env);
	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(new_incident(env, &c, "") > 0);
	CHECK(api_new_address(env, &c, env->g_a1, "幸福路", "1号") > 0);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		CHECK(api_login_enrolled(env, &c, lists[i].who));
		r = export(env, &c, api_fmt("%s?format=csv", lists[i].path));
		if (check_status(r, 200)) {
			CHECK(!memcmp(r.body + 3, lists[i].first_heading,
				      strlen(lists[i].first_heading)));
			CHECK(csv_lines(&r) >= 1);
		} else {
			printf("# %s\n", lists[i].path);
		}
		api_resp_free(&r);
		r = export(env, &c, api_fmt("%s?format=xlsx", lists[i].path));
		if (check_status(r, 200)) {
			json_t *x = read_xlsx(&r);
			CHECK_STR(api_str(x, "title"), lists[i].title);
			CHECK_STR(api_str(x, "head.0"), lists[i].first_heading);
			json_decref(x);
		}
		api_resp_free(&r);
	}
	/* Rows that must be there: the address, the shifts of the staff on duty. */
	CHECK(api_login_enrolled(env, &c, "aux"));
	r = export(env, &c, "/api/addresses/export?format=csv");
	CHECK(strstr(r.body, "幸福路") != NULL);
	api_resp_free(&r);
	api_env_free(env);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(incidents_export_the_filtered_rows_in_both_formats),
	TEST_ENTRY(english_headings_by_lang_or_accept_language),
	TEST_ENTRY(csv_quotes_and_guards_against_formulas),
	TEST_ENTRY(masked_fields_stay_masked_unless_the_caller_may_unmask),
	TEST_ENTRY(bad_input_and_the_row_limit_are_refused_naming_the_field),
	TEST_ENTRY(exports_keep_to_the_callers_permission_and_scope),
	TEST_ENTRY(every_list_exports_in_both_formats),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/export", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
