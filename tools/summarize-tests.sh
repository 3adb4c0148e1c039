#!/bin/sh
# Adds up the results of every test binary and the browser tests in DIR and
# prints one closing line: "N passed, N failed".
set -eu
dir=${1:-build/test-results}
passed=0
failed=0
for f in "$dir"/*.out; do
	[ -f "$f" ] || continue
	line=$(grep -E '^[A-Za-z_0-9/.-]+: [0-9]+ passed, [0-9]+ failed$' "$f" | tail -n 1 || true)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
		x=$(echo "$line" | sed -E 's/.* ([0-9]+) failed/\1/')
	else
		# node --test prints "# pass N" and "# fail N"
		p=$(grep -E '^# pass [0-9]+' "$f" | tail -n 1 | awk '{print $3}')
		x=$(grep -E '^# fail [0-9]+' "$f" | tail -n 1 | awk '{print $3}')
	fi
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${x:-0}))
done
echo "all: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
