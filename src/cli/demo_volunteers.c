/* Demo data of volunteers (cli/demo.h): three teams — 红枫义警 in the first
 * grid of 双凤桥社区 (demo.volunteer's community), 江东大妈 and a 义务巡逻队 in
 * other communities — twelve volunteers, one of them a minor with his
 * guardian's consent, demo.volunteer's account linked to a member of 红枫义警,
 * and a few ended patrols so that hours show. Deterministic: fixed names, ID
 * numbers made from fixed birth dates (the minor's from today). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/demo.h"
#include "config/config.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/idcard.h"
#include "domain/patrol.h"
#include "domain/volunteer.h"
#include "store/user_store.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define HOUR 3600000LL

struct demo_volunteer {
	const char *name;
	const char *born; /* YYYYMMDD; NULL: 16 years before today (the minor) */
	const char *seq;  /* three digits: odd a man, even a woman */
	const char *phone;
	const char *skills[2];
	int team;
};

static const struct demo_volunteer people[] = {
	{"郑秀英", "19620315", "042", "13883010001", {"调解", "治安巡逻"}, 0},
	{"刘建国", "19580702", "031", "13883010002", {"治安巡逻", "消防"}, 0},
	{"陈大勇", "19750911", "013", "13883010003", {"驾驶", NULL}, 0},
	{"黄小军", NULL, "017", NULL, {"摄影", NULL}, 0},
	{"王桂兰", "19600120", "024", "13883010005", {"调解", NULL}, 1},
	{"李秀珍", "19590805", "046", "13883010006", {"普法宣传", NULL}, 1},
	{"张玉梅", "19630418", "028", "13883010007", {"反诈宣传", NULL}, 1},
	{"赵德明", "19700623", "035", "13883010008", {"治安巡逻", NULL}, 2},
	{"孙志强", "19810214", "051", "13883010009", {"急救", "治安巡逻"}, 2},
	{"周海燕", "19880930", "062", "13883010010", {"急救", NULL}, 2},
	{"吴国平", "19680108", "077", "13883010011", {"驾驶", NULL}, 2},
	{"何春花", "19720317", "084", "13883010012", {"反诈宣传", NULL}, 0},
};

/* The first grid of community comm (0 when it has none). */
static int64_t grid_of(struct fq_demo *d, int comm)
{
	for (int g = 0; g < d->ngrids; g++)
		if (d->grids[g].comm == comm)
			return d->grids[g].id;
	return 0;
}

static enum fq_err add_patrol(struct fq_demo *d, int64_t team, const int64_t *ids, size_t n,
			      int64_t start, int64_t hours, const char *place, const char *findings)
{
	struct fq_checkin_input at = {.place = place};
	struct fq_team_patrol_input in = {.route = place, .volunteer_ids = ids, .nvolunteers = n,
					  .start = &at, .started_at = start,
					  .ended_at = start + hours * HOUR, .findings = findings};
	int64_t id;

	return fq_team_patrol_start(d->c, team, &in, &id);
}

enum fq_err fq_demo_volunteers(struct fq_demo *d)
{
	static const char *const names[] = {"红枫义警", "江东大妈", "义务巡逻队"};
	static const char *const kinds[] = {"guard", "neighbourhood", "patrol"};
	struct fq_ctx *c = d->c;
	int64_t teams[3], ids[COUNT(people)], now = fq_time_now_ms(), officer = 0;
	int64_t today = fq_time_local_day(now, c->cfg->utc_offset_minutes, NULL);
	struct fq_user_row u;
	enum fq_err err = fq_store_user_by_name(c->db, "demo.officer", &u);
	char minor_born[9];

	if (err)
		return fq_fail(c->e, err, NULL, NULL, "cannot find demo.officer");
	officer = u.id;
	snprintf(minor_born, sizeof(minor_born), "%08lld",
		 (long long)((today / 10000 - 16) * 10000 + 101)); /* 15 or 16 years old */
	for (size_t t = 0; !err && t < COUNT(names); t++) {
		int comm = t == 0 ? 0 : t == 1 ? 2 : 4;
		struct fq_team_input in = {.name = names[t], .kind = kinds[t],
					   .grid_id = grid_of(d, comm), .officer_id = officer,
					   .officer_phone = "13983001234",
					   .founded_day = 20180301 + 10000 * (int64_t)t,
					   .note = t == 0 ? "红枫义警：群防群治骨干队伍" : NULL};
		err = fq_team_create(c, &in, &teams[t]);
	}
	for (size_t i = 0; !err && i < COUNT(people); i++) {
		const struct demo_volunteer *p = &people[i];
		char number[19];
		const char *skills[2];
		size_t nskills = 0;
		struct fq_volunteer_input in = {.name = p->name, .id_number = number,
						.phone = p->phone, .skills = skills,
						.team_ids = &teams[p->team], .nteams = 1,
						.joined_day = 20200101};

		snprintf(number, sizeof(number), "500112%s%s0", p->born ? p->born : minor_born,
			 p->seq);
		number[17] = fq_idcard_check_char(number);
		for (int k = 0; k < 2; k++)
			if (p->skills[k])
				skills[nskills++] = p->skills[k];
		in.nskills = nskills;
		if (!p->born) { /* the minor: joined this month with his mother's consent */
			in.joined_day = today / 100 * 100 + 1;
			in.guardian_name = "黄丽";
			in.guardian_phone = "13883010099";
			in.guardian_relation = "mother";
			in.consent_day = in.joined_day;
		}
		err = fq_volunteer_create(c, &in, &ids[i]);
	}
	if (!err) { /* leaders, and demo.volunteer is 郑秀英's team-mate 陈大勇 */
		struct fq_team_input lead = {.leader_id = ids[0]};
		struct fq_volunteer_input link = {0};
		err = fq_team_update(c, teams[0], &lead);
		lead.leader_id = ids[4];
		if (!err)
			err = fq_team_update(c, teams[1], &lead);
		lead.leader_id = ids[7];
		if (!err)
			err = fq_team_update(c, teams[2], &lead);
		if (!err)
			err = fq_store_user_by_name(c->db, "demo.volunteer", &u);
		link.user_id = u.id;
		if (!err)
			err = fq_volunteer_update(c, ids[2], &link);
	}
	if (!err) { /* ended patrols: today, this week, last month */
		const int64_t hong[] = {ids[0], ids[2], ids[3]}, jiang[] = {ids[4], ids[5], ids[6]},
			      yiwu[] = {ids[7], ids[8], ids[9], ids[10]};
		err = add_patrol(d, teams[0], hong, 3, now - 4 * HOUR, 2, "双凤桥社区",
				 "双凤路口电动车乱停，已劝导");
		if (!err)
			err = add_patrol(d, teams[0], hong, 2, now - 74 * HOUR, 3, "双龙大道", NULL);
		if (!err)
			err = add_patrol(d, teams[1], jiang, 3, now - 28 * HOUR, 2, "菜市场",
					 "发放反诈宣传单 60 份");
		if (!err)
			err = add_patrol(d, teams[2], yiwu, 4, now - 35 * 24 * HOUR, 4, "工业园区",
					 NULL);
	}
	return err;
}
