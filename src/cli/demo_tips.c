/* Demo data of the tips (线索): fifteen over the past months at the demo
 * station — from demo.volunteer, from residents with a name and phone and
 * anonymous ones from the public page — triaged by demo.officer into the
 * demo incidents (several leading to arrests), one into a dispute that was
 * resolved, some dismissed with a reason, and the two newest untriaged so
 * that demo.officer finds them in the work queue. Through the same domain
 * calls as the API; only the dates are set back (fq_store_tip_backdate). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "auth/principal.h"
#include "cli/demo.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/tip.h"
#include "store/tip_store.h"

#define DAY_MS (24LL * 3600 * 1000)

/* who: 'v' demo.volunteer, 'r' a resident (name and phone), 'a' anonymous.
 * triage: 'i' an incident, 'd' the dispute, 'x' dismissed, '-' none yet. */
static const struct demo_tip {
	char who;
	const char *name, *phone;
	int days_ago;
	const char *text, *place;
	char triage;
	const char *outcome;
	int arrests;
	bool resolved, hazard;
	const char *reason;
} tips[] = {
	{'v', NULL, NULL, 150, "小区地下车库夜间有两名陌生男子逐辆拉车门，疑似盗窃车内财物。",
	 "双凤桥社区 3 号楼地下车库", 'i', "valid", 2, false, false, NULL},
	{'r', "王阿姨", "13912345601", 138, "菜市场门口有人摆摊推销“保健品”，称能治百病，很多老人排队交钱。",
	 "双凤桥菜市场东门", 'i', "valid", 3, false, false, NULL},
	{'a', NULL, NULL, 120, "出租屋里经常深夜有很多人进出，门口堆着大量快递包裹和银行卡信封。",
	 "桥东路 18 号 2 楼", 'i', "valid", 4, false, false, NULL},
	{'v', NULL, NULL, 112, "巡逻时发现河堤护栏被撞断一截，晚上没有照明，容易有人掉下去。",
	 "沿河路与桥东路路口", 'i', "valid", 0, false, true, NULL},
	{'r', "李先生", "13812345602", 98, "有人在小区群里发“刷单返利”链接，已有邻居转了钱。", NULL,
	 'i', "valid", 1, false, false, NULL},
	{'v', NULL, NULL, 85, "两户村民因宅基地边界争吵，一方堆放砖块堵路，双方情绪激动。",
	 "双凤桥村 5 组", 'd', "valid", 0, true, false, NULL},
	{'a', NULL, NULL, 77, "听说楼上有人吸毒，经常有异味。", "幸福小区", 'x', "not_valid", 0, false,
	 false, "民警上门核查，该户为正常装修油漆气味，无吸毒迹象"},
	{'v', NULL, NULL, 64, "网吧里有几个看起来未成年的学生凌晨还在上网。", "网络会所（桥东路）", 'i',
	 "valid", 0, false, true, NULL},
	{'r', "赵女士", "13712345603", 52, "一名男子在学校门口多次尾随放学的女生。", "双凤桥小学门口",
	 'i', "valid", 1, false, false, NULL},
	{'v', NULL, NULL, 41, "废品收购站收购来路不明的电缆，疑似盗窃的通信线缆。", "桥西废品收购站",
	 'i', "valid", 2, false, false, NULL},
	{'r', "陈大爷", "13612345604", 30, "小区门口的路灯坏了很久，晚上很黑。", "幸福小区南门", 'x',
	 NULL, 0, false, false, "不属于公安管辖，已转告社区和物业维修"},
	{'v', NULL, NULL, 21, "有人在公园用笼子捕鸟，可能是保护动物。", "双凤桥公园", 'i', "valid", 1,
	 false, false, NULL},
	{'a', NULL, NULL, 12, "重复报告：车库有人偷东西。", NULL, 'x', NULL, 0, false, false,
	 "与 3 号楼车库线索重复，已并案"},
	{'v', NULL, NULL, 2, "电动车充电线从楼上窗口拉下来给楼下电动车充电，存在火灾隐患。",
	 "双凤桥社区 7 号楼", '-', NULL, 0, false, false, NULL},
	{'a', NULL, NULL, 1, "有人在河边电鱼，还拿着棍子。", "沿河路桥下", '-', NULL, 0, false, false,
	 NULL},
};

static enum fq_err report(struct fq_demo *d, struct fq_ctx *as_vol, const struct demo_tip *x,
			  int k, int64_t *id)
{
	struct fq_tip_input in = {.text = x->text, .place_text = x->place};
	struct fq_tip_public_answer a;
	struct fq_ctx pub = *d->c;
	struct fq_principal nobody = {0};
	char addr[32];
	enum fq_err err;

	if (x->who == 'v')
		return fq_tip_report(as_vol, &in, id);
	in.reporter_name = x->name;
	in.reporter_phone = x->phone;
	pub.who = &nobody;
	snprintf(addr, sizeof(addr), "demo-%d", k); /* each its own client: no rate limit */
	err = fq_tip_report_public(&pub, &in, addr, &a);
	*id = a.id;
	return err;
}

enum fq_err fq_demo_tips(struct fq_demo *d)
{
	struct fq_ctx *c = d->c, vol = *c, off = *c;
	struct fq_demo_actor volunteer, officer;
	char lo[256], hi[256];
	int64_t now = fq_time_now_ms(), dispute = 0, id, made;
	json_t *incidents;
	size_t next = 0;
	enum fq_err err = fq_demo_as_user(c, "demo.volunteer", "volunteer", &volunteer);

	if (!err)
		err = fq_demo_as_user(c, "demo.officer", "officer", &officer);
	if (err)
		return err;
	vol.who = &volunteer.who;
	off.who = &officer.who;
	fq_principal_scope(&officer.who, lo, hi, sizeof(lo));
	incidents = fq_store_tip_demo_incidents(c->db, lo, hi, 12, &err);
	if (!incidents)
		return fq_fail(c->e, err, NULL, NULL, "cannot read the demo incidents");
	if (!json_array_size(incidents)) {
		json_decref(incidents);
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "the demo tips need demo incidents");
	}
	err = fq_store_tip_demo_dispute(c->db, lo, hi, &dispute);
	if (err)
		err = fq_fail(c->e, err, NULL, NULL, "the demo tips need a demo dispute");
	for (size_t k = 0; !err && k < sizeof(tips) / sizeof(tips[0]); k++) {
		const struct demo_tip *x = &tips[k];
		struct fq_tip_triage t = {.action = "dismiss", .reason = x->reason};
		struct fq_tip_outcome_input o = {
			.outcome = x->outcome, .arrests = x->arrests, .dispute_resolved = x->resolved,
			.hazard_removed = x->hazard, .note = x->arrests ? "根据线索抓获违法犯罪嫌疑人" : NULL,
		};

		err = report(d, &vol, x, (int)k, &id);
		if (!err && x->triage == 'i') {
			t.action = "incident_link";
			t.incident_id = json_integer_value(
				json_object_get(json_array_get(incidents, next++ % json_array_size(incidents)), "id"));
		} else if (!err && x->triage == 'd') {
			t.action = "dispute_link";
			t.dispute_id = dispute;
		}
		if (!err && x->triage != '-')
			err = fq_tip_triage(&off, id, &t, &made);
		if (!err && x->outcome)
			err = fq_tip_outcome(&off, id, &o);
		if (!err)
			err = fq_store_tip_backdate(c->db, id, now - x->days_ago * DAY_MS - (int64_t)k * 3600000);
		if (err && !c->e->err)
			err = fq_fail(c->e, err, NULL, NULL, "cannot backdate a demo tip");
	}
	json_decref(incidents);
	return err;
}
