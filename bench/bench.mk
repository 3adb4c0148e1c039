# Benchmarks (bench/README.md), included by the main Makefile.
#   make bench                        both stores (the 1M-person SQLite database and a
#                                     throwaway PostgreSQL cluster) against nginx, 3 rounds
#   make bench BENCH_STORE=sqlite     one store only (sqlite or postgresql)
#   make bench BENCH_DURATION=5       shorter runs (seconds); see bench/run.sh for the others
# The SQLite database is kept in /tmp/fengqiao-bench (BENCH_DIR), the PostgreSQL
# data directory in /tmp/fengqiao-bench-pg (BENCH_PG_DIR); both are reused. The
# cluster only runs while bench/run.sh does.

BENCH_STORE ?= both

.PHONY: bench bench-deps

bench-deps:
	@bench/install.sh

bench: $(BUILD)/fengqiao bench-deps
	bench/run.sh --store $(BENCH_STORE) $(BUILD)/fengqiao

# Full-text search at 1M incidents on both stores (bench/search.sh; figures in
# docs/PERFORMANCE.md, "Full-text search").
$(BUILD)/bench/bench-search: bench/search.c $(BUILD)/libfengqiao.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libfengqiao.a $(LDLIBS)

.PHONY: bench-search
bench-search: $(BUILD)/bench/bench-search
	bench/search.sh $(BUILD)/bench/bench-search

# Incidents at a million on both stores (bench/incidents.sh; docs/PERFORMANCE.md,
# "Incidents at a million"): durable creation, the board, search over HTTP.
$(BUILD)/bench/bench-incidents: bench/incidents.c $(BUILD)/libfengqiao.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libfengqiao.a $(LDLIBS)

.PHONY: bench-incidents
bench-incidents: $(BUILD)/fengqiao $(BUILD)/bench/bench-incidents bench-deps
	bench/incidents.sh $(BUILD)/fengqiao $(BUILD)/bench/bench-incidents

# The station overview at a million incidents on both stores, 2,000 of them
# received this week (bench/incidents.sh, scenario overview; docs/PERFORMANCE.md,
# "The station overview").
.PHONY: bench-overview
bench-overview: $(BUILD)/fengqiao $(BUILD)/bench/bench-incidents bench-deps
	BENCH_INC_SCENARIOS=overview BENCH_INC_OPEN=$${BENCH_INC_OPEN:-2000} \
		bench/incidents.sh $(BUILD)/fengqiao $(BUILD)/bench/bench-incidents

# Durable creations with group commit on and off (SQLite), or two binaries
# (PostgreSQL): bench/group_commit.sh; docs/PERFORMANCE.md, "Group commit".
.PHONY: bench-group-commit
bench-group-commit: $(BUILD)/fengqiao bench-deps
	bench/group_commit.sh --store $(if $(filter postgresql pg,$(BENCH_STORE)),postgresql,sqlite) $(BUILD)/fengqiao

# The dispatch endpoints at 20, 10,000 and 200,000 open incidents on both
# stores against nginx, with per-thread CPU and callgrind instructions per
# request (bench/backlog.sh; docs/PERFORMANCE.md, "Dispatch at any backlog").
.PHONY: bench-backlog
bench-backlog: $(BUILD)/fengqiao $(BUILD)/bench/bench-incidents bench-deps
	bench/backlog.sh $(BUILD)/fengqiao $(BUILD)/bench/bench-incidents

# The work queue and the notification bell at 1M incidents on both stores
# (bench/work.sh; docs/PERFORMANCE.md, "Work queue"), with callgrind's
# instructions per request. "Today" and "this week" are the station's: give
# BENCH_UTC_OFFSET=0 (UTC) when China's day or week has only just begun.
.PHONY: bench-work
bench-work: $(BUILD)/fengqiao $(BUILD)/bench/bench-incidents bench-deps
	bench/work.sh $(BUILD)/fengqiao $(BUILD)/bench/bench-incidents

# The disputes at 100,000 on both stores (bench/disputes.sh; docs/PERFORMANCE.md,
# "Disputes at 100,000"): the chief's watch list, figures, list and overview, the
# mediator's work queue, overview and list, with callgrind's instructions per
# request, and runs of the escalation watch's sweep (bench-disputes-sweep).
$(BUILD)/bench/bench-disputes-sweep: bench/disputes_sweep.c $(BUILD)/libfengqiao.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libfengqiao.a $(LDLIBS)

.PHONY: bench-disputes
bench-disputes: $(BUILD)/fengqiao $(BUILD)/bench/bench-disputes-sweep bench-deps
	bench/disputes.sh $(BUILD)/fengqiao $(BUILD)/bench/bench-disputes-sweep

# The map layers and the coverage check at a city district's size (100,000
# addresses, 20,000 places, 1M incidents, 200 grids) on both stores
# (bench/grids.sh; docs/PERFORMANCE.md, "Grids at district size"): latency
# and callgrind's instructions per request. The filled stores stay in
# /tmp/bench-grids (BENCH_GRIDS_DIR) for the next run.
.PHONY: bench-grids
bench-grids: $(BUILD)/fengqiao bench-deps
	bench/grids.sh $(BUILD)/fengqiao
