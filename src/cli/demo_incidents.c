/* Demo data of the incidents: a few days of calls at the demo station, in
 * every state of the lifecycle, registered through the same domain calls as
 * the API, by the demo officer (so steps show a real name). Needs the demo
 * shifts: dispatch goes to staff on the current shift only (cli/demo.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "cli/demo.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/duty.h"
#include "domain/incident.h"
#include "store/incident_demo_store.h"
#include "store/org_store.h"
#include "store/user_store.h"

/* A 1×1 white PNG standing in for drawn signatures. */
#define DEMO_SIGNATURE "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="

/* How far a demo call gets. */
enum demo_stage { RECEIVED, DISPATCHED, ON_SCENE, HANDLING, CLOSED, REVIEWED };

static const struct demo_call {
	int hours_ago;
	const char *channel, *category, *subcategory;
	bool emergency;
	const char *caller, *narrative, *disposal;
	enum demo_stage stage;
	const char *phone;
} calls[] = {
	{70, "110_transfer", "dispute", "neighbour", false, "王女士",
	 "报警人称楼上住户深夜装修，噪音扰民，多次沟通无果，双方发生口角。", "on_site_mediation", REVIEWED, "13883001234"},
	{66, "phone", "dispute", "debt", false, "李先生",
	 "报警人称朋友借款三万元打有借条，到期拒不归还，要求民警帮助。", "referred_to_mediation", REVIEWED},
	{60, "walk_in", "report", "criminal", false, "赵先生",
	 "报警人称停放在小区楼下的电动车被盗，车牌渝A12345，附近有监控。", "case_accepted", CLOSED},
	{52, "110_transfer", "help", "lost_person", true, "陈女士",
	 "报警人称其患阿尔茨海默症的父亲早上出门后未归，身穿蓝色外套。", "help_completed", REVIEWED},
	{47, "12345_referral", "dispute", "marriage", false, "刘女士",
	 "12345转来：双方因彩礼退还问题发生纠纷，女方家属情绪激动。", "referred_to_mediation", CLOSED},
	{40, "110_transfer", "report", "traffic", false, "孙先生",
	 "报警人称在双龙大道路口发生两车剐蹭，无人员受伤，双方对责任有争议。", "on_site_mediation", CLOSED},
	{30, "phone", "consultation", NULL, false, "周女士",
	 "咨询办理居住证需要哪些材料。", "answered_by_phone", CLOSED},
	{20, "110_transfer", "dispute", "property_management", false, "吴先生",
	 "报警人称物业停水停电，与物业人员发生争执。", "persuaded", CLOSED},
	{9, "volunteer_tip", "report", "public_order", false, "红枫义警 郑大姐",
	 "平安志愿者反映临港路夜市有人聚众赌博。", NULL, HANDLING},
	{5, "110_transfer", "dispute", "neighbour", false, "王女士",
	 "报警人再次反映楼上噪音扰民，称对方仍在深夜施工。", NULL, ON_SCENE, "13883001234"},
	{2, "110_transfer", "dispute", "family", true, "冯女士",
	 "报警人称丈夫酒后在家中摔砸物品，情绪激动，家中有未成年人。", NULL, DISPATCHED},
	{1, "online", "help", "unlock", false, "何先生",
	 "报警人称钥匙锁在屋内，家中有老人需要照看，请求帮助开锁。", NULL, RECEIVED},
	{0, "110_transfer", "dispute", "labour", false, "许先生",
	 "报警人称工地老板拖欠八名工人工资两个月，工人聚集在工地门口。", NULL, RECEIVED},
};

/* The demo officer as the caller of the domain. */
struct demo_actor {
	struct fq_principal who;
	char name[128];
};

static enum fq_err as_user(struct fq_ctx *c, const char *username, struct demo_actor *a,
			   char *path, size_t size)
{
	struct fq_user_row u;
	enum fq_err err = fq_store_user_by_name(c->db, username, &u);

	if (err)
		return fq_fail(c->e, err, NULL, NULL, "demo user %s is missing", username);
	snprintf(a->name, sizeof(a->name), "%s", u.display_name);
	snprintf(path, size, "%s", u.org_path);
	a->who = (struct fq_principal){.user_id = u.id, .username = username, .display_name = a->name,
				       .role = "officer", .org_id = u.org_id, .org_path = path};
	return FQ_OK;
}

static enum fq_err advance(struct fq_ctx *c, int64_t id, const struct demo_call *call,
			   const int64_t *responders, int nresp)
{
	static const struct fq_onsite_signature sigs[] = {
		{"party", "王某某", DEMO_SIGNATURE},
		{"officer", "王军鹏", DEMO_SIGNATURE},
		{"witness", "张某某", DEMO_SIGNATURE},
	};
	struct fq_incident_close close = {.disposal = call->disposal};
	bool quick = call->disposal && !strcmp(call->disposal, "answered_by_phone");
	enum fq_err err = FQ_OK;

	if (call->stage >= DISPATCHED && !quick)
		err = fq_incident_dispatch(c, id, responders, nresp, NULL);
	if (!err && call->stage >= ON_SCENE && !quick)
		err = fq_incident_arrive(c, id, responders[0]);
	if (!err && call->stage >= HANDLING && !quick)
		err = fq_incident_handle(c, id, "现场了解情况");
	if (!err && call->stage >= CLOSED && call->disposal &&
	    !strcmp(call->disposal, "on_site_mediation"))
		err = fq_incident_onsite(c, id, call->narrative, "现场调解，双方达成一致", sigs, 3);
	if (!err && call->stage >= CLOSED) {
		if (!strcmp(call->disposal, "case_accepted"))
			close.case_ref = "A5001120020261100";
		err = fq_incident_close(c, id, &close);
	}
	if (!err && call->stage >= REVIEWED)
		err = fq_incident_followup(c, id, true, "satisfied", "回访：对处警结果满意");
	return err;
}

/* A standard address for demo call i, in the grids of the second and third
 * police rooms by turns (so the map shows the calls, and demo.aux, of the
 * first room, sees none she was not sent to); 0 when the demo has none. */
static int64_t demo_address(struct fq_demo *d, size_t i)
{
	struct fq_org_row room;
	char lo[256], hi[256];
	int64_t id = 0;

	if (FQ_DEMO_ROOMS < 3 || fq_store_org_get(d->c->db, d->rooms[1 + i % 2], &room))
		return 0;
	fq_org_subtree(room.path, lo, hi, sizeof(lo));
	if (fq_store_incident_demo_address(d->c->db, lo, hi, (int64_t)i * 37, &id))
		return 0;
	return id;
}

enum fq_err fq_demo_incidents(struct fq_demo *d)
{
	/* The domain stamps every step with the time it ran: spread a demo
	 * call's steps over the minutes after it was received, as a real one
	 * would be. */
	static const struct fq_incident_step_times after = {
		.dispatched = 90000,       .arrived = 330000, .handling = 480000,
		.onsite_record = 2400000, .closed = 2700000, .reviewed = 86400000,
	};
	struct fq_ctx *c = d->c, as = *c;
	struct demo_actor actor;
	int64_t now = fq_time_now_ms(), responders[2];
	char path[256];
	int nresp = 0;
	json_t *staff, *s;
	size_t k;
	enum fq_err err = as_user(c, "demo.officer", &actor, path, sizeof(path));

	d->incidents = 0;
	if (err)
		return err;
	as.who = &actor.who;
	staff = fq_duty_current_staff(&as, d->station, now);
	if (!staff)
		return c->e->err;
	/* Two responders of the current shift (the demo shifts cover the day). */
	json_array_foreach(staff, k, s) {
		const char *pos = json_string_value(json_object_get(s, "position"));
		if (nresp < 2 && pos && !strcmp(pos, "responder"))
			responders[nresp++] = json_integer_value(json_object_get(s, "user_id"));
	}
	json_decref(staff);
	if (!nresp)
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL,
			       "no responder on the current shift: the demo shifts (duty) must "
			       "come before the demo incidents");
	for (size_t i = 0; !err && i < sizeof(calls) / sizeof(calls[0]); i++) {
		const struct demo_call *call = &calls[i];
		struct fq_incident_input in = {
			.channel = call->channel, .category = call->category,
			.subcategory = call->subcategory, .emergency = call->emergency,
			.caller_name = call->caller, .caller_phone = call->phone,
			.narrative = call->narrative,
			.received_at = now - (int64_t)call->hours_ago * 3600000 - 60000,
			.org_id = d->station,
			.address_id = demo_address(d, i),
		};
		int64_t id;

		err = fq_incident_create(&as, &in, &id);
		if (!err)
			err = advance(&as, id, call, responders, nresp);
		if (!err && (err = fq_store_incident_backdate(c->db, id, &after)))
			fq_fail(c->e, err, NULL, NULL, "cannot set the times of demo incident %lld",
				(long long)id);
		if (!err)
			d->incidents++;
	}
	return err;
}
