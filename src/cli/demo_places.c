/* Demo data of places and inspections: the station's checklists (the
 * suggested ones), ten places across the demo grids — two hazardous
 * enterprises, an internet café, rental housing, a school … — kept by
 * demo.officer, inspected through the same domain calls as the API. One
 * hazardous enterprise was inspected three weeks ago with a week to rectify,
 * so demo.officer's work queue has an overdue rectification; the other is due
 * for its monthly inspection. */
#include <jansson.h>
#include <string.h>

#include "auth/principal.h"
#include "cli/demo.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/place.h"
#include "store/place_store.h"
#include "store/user_store.h"
#include "config/config.h"
#include "core/banned.h"

#define DAY_MS (24LL * 3600 * 1000)

static const struct demo_place {
	const char *kind, *name, *owner, *phone;
	int64_t interval_days;
} places[] = {
	{"hazardous_enterprise", "渝北双龙化工原料有限公司", "陈建国", "13883001234", 0},
	{"hazardous_enterprise", "两路加油站", "刘德明", "13996012345", 0},
	{"internet_cafe", "星空网咖", "王磊", "13708361234", 90},
	{"rental_housing", "双凤桥出租公寓", "李秀英", "13594012345", 90},
	{"school", "两路小学", "张校长", "02367812345", 180},
	{"hotel", "空港快捷酒店", "周丽", "13648391234", 90},
	{"shop", "便民超市", "赵强", "13908361234", 0},
	{"enterprise", "空港物流园", "孙志华", "13883451234", 0},
	{"hospital", "两路社区卫生服务中心", "吴医生", "02367891234", 180},
	{"shop", "老街五金店", "郑伟", "13512341234", 0},
};

/* The checklist's items of kind, each answered pass (fail for the first
 * when fail is set). */
static size_t answers_of(struct fq_ctx *c, const char *kind, bool fail,
			 struct fq_place_answer *out, size_t max)
{
	json_t *list = fq_place_checklists(c, kind), *it;
	size_t k, n = 0;

	json_array_foreach(json_object_get(list, "items"), k, it) {
		if (n == max)
			break;
		out[n] = (struct fq_place_answer){json_integer_value(json_object_get(it, "id")),
						  fail && n == 0 ? "fail" : "pass", NULL};
		n++;
	}
	json_decref(list);
	return n;
}

enum fq_err fq_demo_places(struct fq_demo *d)
{
	struct fq_ctx *c = d->c, as = *c;
	struct fq_user_row u;
	struct fq_principal who;
	struct fq_place_answer answers[FQ_PLACE_MAX_ANSWERS];
	int64_t now = fq_time_now_ms(), ids[10] = {0}, iid;
	enum fq_err err = fq_store_user_by_name(c->db, "demo.officer", &u);

	if (err)
		return fq_fail(c->e, err, NULL, NULL, "demo user demo.officer is missing");
	/* With fewer than ten addresses (a small demo: --addresses 5), places
	 * share them. */
	if (d->naddresses < 1)
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL,
			       "the demo places need addresses: the demo addresses come first");
	who = (struct fq_principal){.user_id = u.id, .username = u.username,
				    .display_name = u.display_name, .role = "officer",
				    .org_id = u.org_id, .org_path = u.org_path};
	as.who = &who;
	for (int i = 0; !err && fq_place_kinds[i]; i++) {
		const char *const *t = fq_place_checklist_default(fq_place_kinds[i]);
		size_t n = 0;

		while (t[n])
			n++;
		err = fq_place_checklist_set(&as, fq_place_kinds[i], t, n);
	}
	for (size_t i = 0; !err && i < sizeof(places) / sizeof(places[0]); i++) {
		struct fq_place_licence lic[1] = {{"营业执照", "91500112MA5U000000", 20281231}};
		struct fq_place_input in = {
			.kind = places[i].kind, .name = places[i].name, .owner_name = places[i].owner,
			.owner_phone = places[i].phone,
			/* spread over the station: every tenth of the addresses */
			.address_id = d->addresses[(size_t)d->naddresses * i / 10],
			.officer_id = u.id, .has_interval = places[i].interval_days > 0,
			.interval_days = places[i].interval_days, .has_licences = true,
			.licences = lic, .nlicences = 1};

		err = fq_place_create(&as, &in, &ids[i]);
	}
	/* The chemical plant: three weeks ago, a week to rectify → overdue now. */
	if (!err) {
		int64_t then = now - 21 * DAY_MS;
		int64_t day = fq_time_local_day(then, c->cfg->utc_offset_minutes, NULL);
		struct fq_place_hazard hz[2] = {{"危险化学品仓库未按规定分类存放", "major"},
						{"部分灭火器压力不足", "minor"}};
		struct fq_place_inspection_input in = {
			.inspected_on = day, .inspectors = &u.id, .ninspectors = 1,
			.answers = answers, .nanswers = answers_of(&as, places[0].kind, true, answers,
								     FQ_PLACE_MAX_ANSWERS),
			.findings = "仓库内氧化剂与易燃物混放，两具灭火器压力不足。", .hazards = hz,
			.nhazards = 2, .result = "rectify", .rectify_due_on = fq_date_add(day, 7)};

		err = fq_place_inspect(&as, ids[0], &in, then, &iid);
	}
	/* The filling station: last month, passed → its monthly one is due. */
	if (!err) {
		int64_t then = now - 27 * DAY_MS;
		struct fq_place_inspection_input in = {
			.inspected_on = fq_time_local_day(then, c->cfg->utc_offset_minutes, NULL),
			.inspectors = &u.id, .ninspectors = 1, .answers = answers,
			.nanswers = answers_of(&as, places[1].kind, false, answers,
					       FQ_PLACE_MAX_ANSWERS),
			.findings = "各项安全措施落实到位。", .result = "passed"};

		err = fq_place_inspect(&as, ids[1], &in, then, &iid);
	}
	/* The internet café: today, passed. */
	if (!err) {
		struct fq_place_inspection_input in = {
			.inspectors = &u.id, .ninspectors = 1, .answers = answers,
			.nanswers = answers_of(&as, places[2].kind, false, answers,
					       FQ_PLACE_MAX_ANSWERS),
			.result = "passed"};

		err = fq_place_inspect(&as, ids[2], &in, now, &iid);
	}
	return err;
}
