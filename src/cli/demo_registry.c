/* Demo data of the responsibility registry: fifteen items of the station
 * and of 双凤桥警务室 — the patrol car, the mediation room, the 110 duty
 * phone, body cameras, the potted plant in the police room's lobby with
 * demo.aux as its keeper, fire extinguishers … — written and checked
 * through the same domain calls as the API. The police room's extinguisher
 * was last checked 40 days ago on a monthly schedule, so demo.aux has an
 * overdue check in her work queue; the plant is due in two days. */
#include <jansson.h>
#include <string.h>

#include "auth/principal.h"
#include "cli/demo.h"
#include "config/config.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/registry.h"
#include "store/user_store.h"
#include "core/banned.h"

#define DAY_MS (24LL * 3600 * 1000)

enum who { OFFICER, AUX, CHIEF, MEDIATOR, NWHO };

static const char *const logins[NWHO] = {"demo.officer", "demo.aux", "demo.chief",
					 "demo.mediator"};

static const struct demo_item {
	const char *kind, *name, *location, *check_what;
	bool room;          /* owned by 双凤桥警务室, else by the station */
	enum who keeper;
	int64_t interval;   /* days; 0: no schedule */
	int checked_ago;    /* days since the last check; -1: none */
	const char *result; /* of that check */
} items[] = {
	{"vehicle", "巡逻警车 渝A·J1234", "派出所车库", "车况、警灯警报、随车装备", false, OFFICER, 7, 2, "ok"},
	{"room", "人民调解室", "派出所一楼东侧", "桌椅、录音录像设备、调解文书", false, MEDIATOR, 30, 5, "ok"},
	{"equipment", "110接处警值班电话", "值班室", "通话、录音是否正常", false, OFFICER, 1, 0, "ok"},
	{"equipment", "执法记录仪 1号", "装备室", "电量、存储、时间校准", false, OFFICER, 7, 3, "ok"},
	{"equipment", "执法记录仪 2号", "装备室", "电量、存储、时间校准", false, OFFICER, 7, 3, "problem"},
	{"equipment", "枪弹柜", "装备室", "门锁、登记簿", false, CHIEF, 7, 1, "ok"},
	{"asset", "会议室投影仪", "派出所二楼会议室", NULL, false, OFFICER, 0, -1, NULL},
	{"asset", "值班室空调", "值班室", NULL, false, OFFICER, 0, -1, NULL},
	{"task", "每日警情通报", NULL, NULL, false, OFFICER, 0, -1, NULL},
	{"equipment", "一楼大厅灭火器", "派出所一楼大厅", "压力表、铅封、有效期", false, OFFICER, 30, 10, "ok"},
	{"plant", "警务室大厅绿萝", "双凤桥警务室大厅", "浇水、擦叶、摆放整齐", true, AUX, 7, 5, "ok"},
	{"equipment", "警务室灭火器", "双凤桥警务室大厅", "压力表、铅封、有效期", true, AUX, 30, 40, "ok"},
	{"vehicle", "警用电动巡逻车", "双凤桥警务室门前", "电量、车灯、警灯", true, AUX, 7, 6, "ok"},
	{"equipment", "急救箱", "双凤桥警务室值班台", "药品、敷料是否齐全、在有效期内", true, AUX, 30, 12, "ok"},
	{"place", "社区防诈宣传栏", "双凤桥社区广场", "宣传资料是否更新、有无破损", true, AUX, 14, -1, NULL},
};

struct actor {
	struct fq_user_row u;
	struct fq_principal who;
	struct fq_ctx c;
};

static enum fq_err actor(struct fq_ctx *c, const char *name, struct actor *a)
{
	enum fq_err err = fq_store_user_by_name(c->db, name, &a->u);

	if (err)
		return fq_fail(c->e, err, NULL, NULL, "demo user %s is missing", name);
	a->who = (struct fq_principal){.user_id = a->u.id, .username = a->u.username,
				       .display_name = a->u.display_name, .role = a->u.role,
				       .org_id = a->u.org_id, .org_path = a->u.org_path};
	a->c = *c;
	a->c.who = &a->who;
	return FQ_OK;
}

enum fq_err fq_demo_registry(struct fq_demo *d)
{
	struct actor as[NWHO];
	int64_t now = fq_time_now_ms(), id, cid;
	enum fq_err err = FQ_OK;

	for (int i = 0; !err && i < NWHO; i++)
		err = actor(d->c, logins[i], &as[i]);
	for (size_t i = 0; !err && i < sizeof(items) / sizeof(items[0]); i++) {
		const struct demo_item *it = &items[i];
		struct fq_registry_input in = {
			.kind = it->kind, .name = it->name, .location = it->location,
			.check_what = it->check_what,
			.unit_id = it->room ? d->rooms[0] : d->station,
			.responsible_id = as[it->keeper].u.id,
			/* the officer stands in for the police room's aux */
			.deputy_id = it->keeper == AUX ? as[OFFICER].u.id : 0,
			.has_interval = it->interval > 0, .interval_days = it->interval};

		err = fq_registry_create(&as[OFFICER].c, &in, &id);
		/* The last check, by the keeper, on its day (now then). */
		if (!err && it->checked_ago >= 0)
			err = fq_registry_check(&as[it->keeper].c, id, 0, it->result,
						strcmp(it->result, "ok") ? "电池续航不足两小时，已报装备室更换"
									 : NULL,
						now - it->checked_ago * DAY_MS, &cid);
	}
	return err;
}
