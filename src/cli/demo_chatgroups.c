/* Demo data of community chat groups and broadcasts: eight groups across the
 * demo grids (WeChat, WeChat Work and DingTalk), kept by demo.officer, and two
 * broadcasts made through the same domain calls as the API — an anti-fraud
 * notice to every group of the station, partly marked posted, and an alert to
 * three groups. No group has a robot: the demo never sends anything to the
 * internet (docs/user-guide.md says how to add one). */
#include <jansson.h>
#include <string.h>

#include "cli/demo.h"
#include "core/arena.h"
#include "domain/chatgroup.h"
#include "domain/ctx.h"
#include "core/banned.h"

static const struct demo_group {
	const char *suffix, *platform, *note;
	int64_t members;
} groups[] = {
	{"平安群", "wechat", "社区居民群，网格员和社区民警在群", 486},
	{"网格群", "wecom", "网格员、楼栋长工作群", 52},
	{"警民联系群", "wechat", NULL, 312},
	{"商户联防群", "dingtalk", "沿街商户治安联防", 78},
	{"平安群", "wechat", NULL, 455},
	{"老年人反诈群", "wechat", "老年居民为主，多发语音提醒", 203},
	{"物业联动群", "wecom", "物业、保安队长、网格员", 36},
	{"红枫义警群", "dingtalk", "义警队员群", 61},
};

enum fq_err fq_demo_chatgroups(struct fq_demo *d)
{
	struct fq_ctx *c = d->c, as = *c;
	struct fq_demo_actor officer;
	int64_t ids[8] = {0}, id;
	enum fq_err err = fq_demo_as_user(c, "demo.officer", "officer", &officer);

	if (err)
		return err;
	if (d->ngrids < 1)
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "the demo chat groups need grids");
	as.who = &officer.who;
	for (size_t i = 0; !err && i < sizeof(groups) / sizeof(groups[0]); i++) {
		/* spread over the station: every eighth of the grids */
		const struct fq_demo_grid *g = &d->grids[(size_t)d->ngrids * i / 8];
		struct fq_chatgroup_input in = {
			.name = fq_arena_printf(c->arena, "%s%s", fq_demo_communities[g->comm].name,
						groups[i].suffix),
			.platform = groups[i].platform, .note = groups[i].note, .org_id = g->id,
			.officer_id = officer.id, .has_members = true, .members = groups[i].members,
		};

		err = fq_chatgroup_create(&as, &in, &ids[i]);
	}
	if (!err) {
		struct fq_broadcast_input in = {
			.kind = "fraud", .title = "警惕“刷单返利”诈骗",
			.body = "近期辖区连续发生“刷单返利”诈骗案件。凡是要求先垫付资金、"
				"承诺高额返利的兼职都是诈骗！不点陌生链接，不下载陌生App，"
				"不向陌生账户转账。如有疑问请拨打96110咨询。",
			.org_id = d->station,
		};

		err = fq_broadcast_send(&as, &in, &id);
		for (int i = 0; !err && i < 5; i++)
			err = fq_broadcast_posted(&as, id, ids[i]);
	}
	if (!err) {
		int64_t some[3] = {ids[1], ids[3], ids[6]};
		struct fq_broadcast_input in = {
			.kind = "alert", .title = "台风天气安全提醒",
			.body = "今明两天有强降雨和大风，请居民减少外出，检查门窗和阳台物品，"
				"远离广告牌和临时搭建物。遇险请拨打110。",
			.group_ids = some, .ngroups = 3,
		};

		err = fq_broadcast_send(&as, &in, &id);
	}
	return err;
}
