#!/usr/bin/env bash
# Request framing as RFC 9112 asks: Content-Length with Transfer-Encoding, two
# different Content-Lengths, HTTP/1.0 with Transfer-Encoding or a malformed
# field name are answered 400, an unknown transfer coding 501 at once, and the
# connection is closed, so that bytes a front end read as one request's body
# are never answered as a second request (request smuggling). Ordinary,
# pipelined and chunked requests go on as before. A request head of 12 KB is
# read, one of 40 KB refused (431). A NUL (%00) in a query argument is 400.
# Usage: tests/system/test_http_framing.sh PATH/TO/fengqiao
SUITE=http_framing
# shellcheck source=tests/system/lib.sh
source "$(dirname "$0")/lib.sh"

need "store" setup_any_store
need "init" fq init
start_server A
need "server A starts" wait_server A

cases=0
while IFS= read -r line; do
	case $line in
	"ok   "*) cases=$((cases + 1)); ok "${line#ok   }" ;;
	"FAIL "*) cases=$((cases + 1)); bad "${line#FAIL }" ;;
	*) echo "$line" ;;
	esac
done < <(timeout 120 python3 "$SYS_DIR/http_raw.py" framing "${SERVER_PORT[A]}" 2>&1)
kill -0 "${SERVER_PID[A]}" 2>/dev/null && ok "server A still runs" || bad "server A still runs"
expect "every framing case ran" "$cases" 13

summary
[ "$failed" -eq 0 ]
