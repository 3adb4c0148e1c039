/* Demo data of duty: three shifts around today, the station's posture plan
 * and an active patrol with a check-in (cli/demo.h). */
#include <jansson.h>
#include <string.h>

#include "cli/demo.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/duty.h"
#include "domain/patrol.h"
#include "store/org_store.h"
#include "store/user_store.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Three shifts of "1+3+2" around today — last night (20:00–08:00), today
 * (08:00–20:00) and tonight — so that demo.officer (a responder) and demo.aux
 * (a patroller) are on the running shift at any hour; demo.chief leads the day
 * shift. The station's posture plan (07–09 and 17–19 post), and an active
 * patrol of demo.aux with a check-in. */
enum fq_err fq_demo_duty(struct fq_demo *d)
{
	static const char *const names[] = {"昨日夜班", "白班", "夜班"};
	static const char *const modes[24] = {
		"line_patrol", "line_patrol", "line_patrol", "line_patrol", "line_patrol",
		"line_patrol", "line_patrol", "post",        "post",        "line_patrol",
		"line_patrol", "line_patrol", "line_patrol", "line_patrol", "line_patrol",
		"line_patrol", "line_patrol", "post",        "post",        "line_patrol",
		"line_patrol", "line_patrol", "line_patrol", "line_patrol"};
	static const char *const checkpoints[] = {"双凤桥社区", "双龙大道", "双凤路口"};
	int64_t officers[16], aux[16], me[3], now = fq_time_now_ms(), midnight, shift_now = 0;
	int no = 0, na = 0;
	struct fq_org_row row;
	struct fq_user_row u;
	json_t *staff, *x;
	enum fq_err err;
	size_t i;
	struct fq_ctx *c = d->c;

	fq_duty_day_start(c, fq_duty_local_day(c, now), &midnight);
	err = fq_store_org_get(c->db, d->station, &row);
	for (int k = 0; !err && k < 3; k++) {
		static const char *const logins3[] = {"demo.chief", "demo.officer", "demo.aux"};
		err = fq_store_user_by_name(c->db, logins3[k], &u);
		me[k] = u.id;
	}
	staff = err ? NULL : fq_store_user_list(c->db, row.path, NULL, 400, 0, &err);
	if (!staff)
		return fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, "cannot list the staff");
	/* Other staff at the station itself, not leading a unit. */
	json_array_foreach(staff, i, x) {
		int64_t id = json_integer_value(json_object_get(x, "id"));
		const char *role = json_string_value(json_object_get(x, "role"));

		if (id == me[0] || id == me[1] || id == me[2] ||
		    json_integer_value(json_object_get(x, "org_id")) != d->station || !role)
			continue;
		if (!strcmp(role, "officer") && no < 16)
			officers[no++] = id;
		else if (!strcmp(role, "aux") && na < 16)
			aux[na++] = id;
	}
	json_decref(staff);
	if (no < 9 || na < 6)
		return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "too few staff for the demo shifts");
	for (int k = 0; !err && k < 3; k++) {
		struct fq_shift_position pos[] = {
			{"call_taker", aux[2 * k]},       {"responder", me[1]},
			{"responder", officers[2 * k]},   {"responder", officers[2 * k + 1]},
			{"patroller", me[2]},             {"patroller", aux[2 * k + 1]},
		};
		struct fq_shift_input in = {
			.station_id = d->station, .name = names[k],
			.start_at = midnight + (12 * k - 4) * 3600000LL,
			.end_at = midnight + (12 * k + 8) * 3600000LL,
			.leader_id = k == 1 ? me[0] : officers[6 + k], .has_positions = true,
			.positions = pos, .npositions = (int)COUNT(pos)};
		int64_t id;

		err = fq_shift_create(c, &in, &id);
		if (!err && in.start_at <= now && now < in.end_at)
			shift_now = id;
	}
	if (!err)
		err = fq_duty_posture_set(c, d->station, modes);
	if (!err) {
		int64_t members[] = {me[2], aux[1]}, id;
		struct fq_patrol_input p = {
			.station_id = d->station, .shift_id = shift_now, .team = "巡逻一组",
			.route = "双凤桥社区—双龙大道—双凤路口", .checkpoints = checkpoints,
			.ncheckpoints = (int)COUNT(checkpoints), .member_ids = members,
			.nmembers = (int)COUNT(members), .start = {.place = "两路派出所"}};
		struct fq_checkin_input at = {.place = "双凤桥社区", .note = "社区门口秩序正常"};

		err = fq_patrol_create(c, &p, &id);
		if (!err)
			err = fq_patrol_checkin(c, id, &at);
	}
	return err;
}
