#!/bin/sh
# Installs the load generator and the reference server of the benchmarks
# (bench/README.md): wrk, nginx-light and valgrind (instruction counts), from the distribution (Debian 12).
# Needs root; does nothing when both are there already.
set -e
if command -v wrk >/dev/null 2>&1 && command -v valgrind >/dev/null 2>&1 &&
	{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; }; then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "bench/install.sh: wrk or nginx is missing; run as root: sudo bench/install.sh" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y wrk nginx-light valgrind
