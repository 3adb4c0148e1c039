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
