/* SQL that only the demo incidents need: moving the times of their steps
 * (incident_demo_store.h). */
#include "store/incident_demo_store.h"

#include "core/banned.h"
#include "core/time.h"
#include "store/store.h"

enum fq_err fq_store_incident_backdate(struct fq_db *db, int64_t id,
				       const struct fq_incident_step_times *after)
{
	const struct {
		const char *action;
		int64_t after;
	} steps[] = {
		{"dispatched", after->dispatched}, {"arrived", after->arrived},
		{"handling", after->handling},     {"onsite_record", after->onsite_record},
		{"closed", after->closed},         {"reviewed", after->reviewed},
	};
	int64_t received = 0;
	enum fq_err err = fq_db_get_int(db, &received,
					"SELECT received_at FROM incidents WHERE id = ?1", "i", id);

	for (size_t k = 0; !err && k < sizeof(steps) / sizeof(steps[0]); k++)
		err = fq_db_exec(db, NULL,
				 "UPDATE incident_steps SET at = ?1 WHERE incident_id = ?2 AND action = ?3",
				 "iis", received + steps[k].after, id, steps[k].action);
	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE incident_steps SET at = ?1 WHERE incident_id = ?2 AND action ="
				 " 'received'",
				 "ii", received, id);
	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE incidents SET dispatched_at = CASE WHEN dispatched_at IS NULL"
				 " THEN NULL ELSE ?1 END, arrived_at = CASE WHEN arrived_at IS NULL THEN NULL ELSE ?2 END,"
				 " handling_at = CASE WHEN handling_at IS NULL THEN NULL ELSE ?3 END,"
				 " closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE ?4 END,"
				 " reviewed_at = CASE WHEN reviewed_at IS NULL THEN NULL ELSE ?5 END,"
				 /* late or not by the moved times, as the responders' rows are */
				 " arrival_late = CASE WHEN arrived_at IS NULL OR target_minutes IS NULL"
				 " THEN arrival_late WHEN ?2 - ?1 > target_minutes * 60000 THEN 1 ELSE 0 END,"
				 " updated_at = ?6 WHERE id = ?7",
				 "iiiiiii", received + after->dispatched, received + after->arrived,
				 received + after->handling, received + after->closed,
				 received + after->reviewed, fq_time_now_ms(), id);
	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE incident_responders SET dispatched_at = ?1, arrived_at = CASE"
				 " WHEN arrived_at IS NULL THEN NULL ELSE ?2 END WHERE incident_id = ?3",
				 "iii", received + after->dispatched, received + after->arrived, id);
	if (!err)
		err = fq_db_exec(db, NULL,
				 "UPDATE incident_followups SET at = ?1 WHERE incident_id = ?2", "ii",
				 received + after->reviewed, id);
	return err;
}

enum fq_err fq_store_incident_demo_address(struct fq_db *db, const char *lo, const char *hi,
					   int64_t n, int64_t *id)
{
	int64_t count = 0;
	enum fq_err err = fq_db_get_int(db, &count,
					"SELECT count(*) FROM addresses WHERE org_path >= ?1"
					" AND org_path < ?2",
					"ss", lo, hi);

	if (!err && !count)
		err = FQ_ERR_NOT_FOUND;
	if (!err)
		err = fq_db_get_int(db, id,
				    "SELECT id FROM addresses WHERE org_path >= ?1 AND org_path < ?2"
				    " ORDER BY id LIMIT 1 OFFSET ?3",
				    "ssi", lo, hi, n % count);
	return err;
}
