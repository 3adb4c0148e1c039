# Benchmarks (bench/README.md), included by the main Makefile.
#   make bench                     the 1M-person database, fengqiao vs nginx, 3 rounds
#   make bench BENCH_DURATION=5    shorter runs (seconds); see bench/run.sh for the others
# The database is kept in /tmp/fengqiao-bench (BENCH_DIR) and reused.

.PHONY: bench bench-deps

bench-deps:
	@bench/install.sh

bench: $(BUILD)/fengqiao bench-deps
	bench/run.sh $(BUILD)/fengqiao
