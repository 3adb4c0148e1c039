/* Covers fq_incident_arrival (src/domain/incident.c): the one rule of where an
 * incident or a responder stands against the arrival target, which the board,
 * the lists and the detail all show. */
#include <string.h>

#include "domain/incident.h"
#include "test.h"

#define MIN 60000

static const char *state(int64_t target, int64_t dispatched, int64_t arrived, int64_t now)
{
	struct fq_arrival a;

	fq_incident_arrival(target, dispatched, arrived, now, &a);
	return fq_arrival_states[a.state];
}

TEST(before_dispatch_the_target_waits)
{
	struct fq_arrival a;

	fq_incident_arrival(5, 0, 0, 1000 * MIN, &a);
	CHECK_STR(fq_arrival_states[a.state], "waiting");
	CHECK_INT(a.target_minutes, 5);
	CHECK_INT(a.due_at, 0);
	CHECK_INT(a.took_seconds, -1);
	/* no target: as fast as possible */
	CHECK_STR(state(0, 0, 0, 1000 * MIN), "none");
	CHECK_STR(state(-1, 10 * MIN, 0, 1000 * MIN), "none");
}

TEST(counting_then_overdue_at_the_target)
{
	int64_t d = 1000 * MIN + 999; /* a dispatch late in its second */
	struct fq_arrival a;

	fq_incident_arrival(5, d, 0, d + 4 * MIN, &a);
	CHECK_STR(fq_arrival_states[a.state], "counting");
	CHECK_INT(a.due_at, 1005 * MIN);
	/* 5:00 on the clock is still in time; 5:01 is not */
	CHECK_STR(state(5, d, 0, 1005 * MIN + 999), "counting");
	CHECK_STR(state(5, d, 0, 1005 * MIN + 1000), "overdue");
}

TEST(arrival_in_whole_seconds_as_shown)
{
	struct fq_arrival a;
	int64_t d = 1000 * MIN + 900;

	/* 5:00 as the times read (the 0.9 s of the dispatch do not count): on time */
	fq_incident_arrival(5, d, 1005 * MIN + 500, 2000 * MIN, &a);
	CHECK_STR(fq_arrival_states[a.state], "on_time");
	CHECK_INT(a.took_seconds, 300);
	/* 5:30 on a 5-minute target is late, nothing else */
	fq_incident_arrival(5, d, 1005 * MIN + 30000, 2000 * MIN, &a);
	CHECK_STR(fq_arrival_states[a.state], "late");
	CHECK_INT(a.took_seconds, 330);
	/* no target: arrived, with the time it took */
	fq_incident_arrival(0, d, 1005 * MIN + 30000, 2000 * MIN, &a);
	CHECK_STR(fq_arrival_states[a.state], "arrived");
	CHECK_INT(a.took_seconds, 330);
	CHECK_INT(a.target_minutes, 0);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(before_dispatch_the_target_waits),
    TEST_ENTRY(counting_then_overdue_at_the_target),
    TEST_ENTRY(arrival_in_whole_seconds_as_shown),
};

int main(int argc, char **argv)
{
	return fq_test_main("domain/incident_arrival", tests, sizeof(tests) / sizeof(tests[0]), argc,
			    argv);
}
