/* Demo data of the disputes: a handful at the demo station, at several
 * tiers of the ladder and risk levels, one made from a demo incident, one
 * concluded, and one mediated by demo.mediator with a session this week —
 * so the mediator signs in to real work. Registered through the same domain
 * calls as the API, by the demo officer. Needs the demo persons and
 * incidents (cli/demo.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "auth/principal.h"
#include "cli/demo.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/dispute.h"
#include "domain/incident.h"
#include "store/dispute_store.h"

#define DAY_MS (24LL * 3600 * 1000)

static const struct demo_dispute {
	const char *source, *referral_body, *type, *facts, *claims, *tier, *risk, *risk_reason;
	int64_t amount_fen;
	bool mediator, session, concluded;
} disputes[] = {
	{"walk_in", NULL, "neighbours",
	 "双方系上下楼邻居，楼上住户装修期间多次深夜施工，楼下住户多次报警，双方发生口角。",
	 "楼上住户停止夜间施工并赔偿楼下住户吊顶渗水损失。", "workstation", "yellow",
	 "多次报警，双方情绪对立", 300000, true, true, false},
	{"referral", "12345", "migrant_wages",
	 "12345 转来：工地包工头拖欠八名工人两个月工资，工人多次到工地门口聚集。",
	 "结清拖欠工资共计十二万元。", "centre", "orange", "涉及人数多，有聚集苗头", 12000000,
	 false, false, false},
	{"sweep", NULL, "forest_land",
	 "排查发现：两户村民因山林界址不清多年争执，近日因砍伐竹子再起冲突，一方扬言要报复。", NULL, "joint", "red",
	 "曾有肢体冲突，存在民转刑风险", -1, false, false, false},
	{"walk_in", NULL, "consumer",
	 "消费者称在小区超市购买的食品过期，与店主协商退赔未果。", "退货并按价款十倍赔偿。",
	 "workstation", "blue", NULL, 8800, false, false, true},
};

enum fq_err fq_demo_disputes(struct fq_demo *d)
{
	struct fq_ctx *c = d->c, as = *c;
	struct fq_demo_actor officer, mediator;
	char lo[256], hi[256];
	int64_t now = fq_time_now_ms(), pids[8] = {0}, id;
	json_t *rows, *row;
	size_t k, np = 0;
	enum fq_err err = fq_demo_as_user(c, "demo.officer", "officer", &officer);

	if (!err)
		err = fq_demo_as_user(c, "demo.mediator", "mediator", &mediator);
	if (err)
		return err;
	as.who = &officer.who;
	/* the demo mediator sits on the people's mediation committee (1+3+N) */
	err = fq_dispute_mediator_profile(&as, mediator.id, "committee", "两路街道人民调解委员会");
	if (err)
		return err;
	fq_principal_scope(&officer.who, lo, hi, sizeof(lo));
	rows = fq_store_dispute_demo_persons(c->db, lo, hi, 8, &err);
	if (!rows)
		return fq_fail(c->e, err, NULL, NULL, "cannot read the demo persons");
	json_array_foreach(rows, k, row)
		pids[np++] = json_integer_value(json_object_get(row, "id"));
	json_decref(rows);
	if (np < 8)
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL,
			       "the demo disputes need 8 residents: the demo persons come first");
	for (size_t i = 0; !err && i < sizeof(disputes) / sizeof(disputes[0]); i++) {
		const struct demo_dispute *x = &disputes[i];
		struct fq_dispute_party_in parties[2] = {
			{.person_id = pids[2 * i], .role = "applicant", .consent = "given"},
			{.person_id = pids[2 * i + 1], .role = "respondent", .consent = "given"},
		};
		struct fq_dispute_input in = {
			.source = x->source, .referral_body = x->referral_body, .type = x->type,
			.facts = x->facts, .claims = x->claims, .tier = x->tier, .risk = x->risk,
			.risk_reason = x->risk_reason, .amount_fen = x->amount_fen,
			.org_id = d->station, .parties = parties, .nparties = 2,
		};

		err = fq_dispute_register(&as, &in, &id);
		if (!err && x->mediator)
			err = fq_dispute_assign(&as, id, mediator.id);
		if (!err && x->session) {
			struct fq_dispute_session_in s = {
				.starts_at = now + 2 * DAY_MS, .place = "枫桥调解室",
				.attendees = "双方当事人、社区网格员"};
			int64_t sid;
			err = fq_dispute_session_create(&as, id, &s, &sid);
		}
		if (!err && x->concluded)
			err = fq_dispute_conclude(&as, id, "agreed", "店主当场退货并赔偿，双方满意");
	}
	/* The incidents referred to mediation become disputes, as the officer
	 * would convert them; the first gets its parties. */
	rows = err ? NULL : fq_store_dispute_demo_incidents(c->db, lo, hi, &err);
	json_array_foreach(rows, k, row) {
		const char *number;
		int64_t iid = json_integer_value(json_object_get(row, "id"));

		err = fq_incident_convert(&as, iid, &id, &number);
		if (!err && k == 0) {
			struct fq_dispute_party_in a = {.person_id = pids[0], .role = "applicant"};
			struct fq_dispute_party_in b = {.person_id = pids[3], .role = "respondent"};
			err = fq_dispute_party_add(&as, id, &a);
			if (!err)
				err = fq_dispute_party_add(&as, id, &b);
		}
		if (err)
			break;
	}
	json_decref(rows);
	return err;
}
