#!/usr/bin/env bash
# A 100,000-row Excel export through the real server, read back with Debian's
# openpyxl: the filtered rows only (100,000 closed calls, not the open ones
# beside them), the Chinese headings, 接警时间 typed as a date with a date
# format, 联系电话 masked in every row; the download carries its
# Content-Length (the browser's progress bar) and the export is audited with
# its row count. On SQLite, or on PostgreSQL with FQ_TEST_PG_URL.
# Usage: tests/system/test_export_xlsx.sh PATH/TO/fengqiao
SUITE=export_xlsx
: "${SYS_TIME_LIMIT:=600}"
export SYS_TIME_LIMIT
ROWS=100000
# shellcheck source=tests/system/lib.sh
source "$(dirname "$0")/lib.sh"

need "store" setup_any_store
need "init" fq init
# The suite's q (setup_incidents uses it) on either store.
q() {
	if [ -n "${FQ_TEST_PG_URL:-}" ]; then
		timeout 120 psql "$STORE" -XAtq -v ON_ERROR_STOP=1 -c "$1"
	else
		timeout 120 sqlite3 -cmd '.timeout 10000' "$TMP/fq.db" "$1"
	fi
}
sql() { q "$1"; }
need "a station, an officer and a token" setup_incidents

# 100,000 closed calls of 2025, one a minute, each with a masked phone as
# intake stores it, and 5 open calls that the filter must leave out.
fill() {
	sql "INSERT INTO incidents (number, station_id, org_id, org_path, received_at, day, hour,
		channel, caller_name, caller_phone_mask, area_type, category, narrative, status,
		closed_at, disposal, created_at, updated_at)
	     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)
	     SELECT 'XP-2025-' || CAST(i AS TEXT), s.id, s.id, s.path,
		1735689600000 + CAST(i AS BIGINT) * 60000, 20250101, 0, 'phone',
		'报警人' || CAST(i AS TEXT), '138****' || substr(CAST(10000 + i % 10000 AS TEXT), 2, 4),
		'urban', 'help', '群众来电求助，民警到场处理完毕。', 'closed',
		1735689600000 + CAST(i AS BIGINT) * 60000 + 1800000, 'help_completed', 0, 0
	     FROM n, (SELECT id, path FROM org_units WHERE code = 'STX') AS s;
	     INSERT INTO incidents (number, station_id, org_id, org_path, received_at, day, hour,
		channel, caller_name, area_type, category, narrative, status, created_at, updated_at)
	     SELECT 'XP-OPEN-' || CAST(id AS TEXT), id, id, path, 1767225600000, 20260101, 0, 'phone',
		'未结', 'urban', 'help', '未结警情', 'received', 0, 0
	     FROM org_units WHERE code = 'STX';"
}
need "fill $ROWS closed and open incidents" fill
expect "rows in the store" "$(sql "SELECT count(*) FROM incidents WHERE status = 'closed'")" "$ROWS"

start_server S1
need "server starts" wait_server S1

T0=$(date +%s.%N)
CODE=$(curl -s -m 500 -D "$TMP/headers" -o "$TMP/closed.xlsx" -w '%{http_code}' \
	-H "Authorization: Bearer $INC_TOKEN" \
	"$(url S1)/api/incidents/export?format=xlsx&status=closed")
T1=$(date +%s.%N)
expect "export answers 200" "$CODE" "200"
SIZE=$(stat -c %s "$TMP/closed.xlsx")
LEN=$(tr -d '\r' <"$TMP/headers" | sed -n 's/^Content-Length: //Ip')
expect "Content-Length is the file's size" "$LEN" "$SIZE"
grep -qi '^Content-Disposition: attachment; filename="incidents-' "$TMP/headers" &&
	ok "sent as an attachment" || bad "sent as an attachment"
echo "     $ROWS rows: $SIZE bytes in $(python3 -c "print(round($T1 - $T0, 1))") s"

check "openpyxl reads $ROWS rows, headings, dates, masked phones" /usr/bin/python3 - "$TMP/closed.xlsx" "$ROWS" <<'EOF'
import re, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb.active
rows = ws.iter_rows()
head = [c.value for c in next(rows)]
assert head[:3] == ['警情编号', '接警时间', '来警渠道'], head
col = {h: i for i, h in enumerate(head)}
n = 0
for row in rows:
    n += 1
    number, received, phone = row[0].value, row[col['接警时间']], row[col['联系电话']].value
    assert number.startswith('XP-2025-'), number
    assert received.is_date and received.number_format == 'yyyy-mm-dd hh:mm:ss', received
    assert received.value.year == 2025, received.value
    assert re.fullmatch(r'138\*{4}\d{4}', phone), phone
    assert row[col['状态']].value == '已结警'
assert n == int(sys.argv[2]), n
EOF

DETAIL=$(sql "SELECT detail FROM audit_log WHERE action = 'incident.export' ORDER BY id DESC LIMIT 1")
case "$DETAIL" in *'"status":"closed"'*"\"rows\":$ROWS"*) ok "audited with the filter and $ROWS rows" ;;
*) bad "audited with the filter and $ROWS rows"; echo "     $DETAIL" ;; esac

# The same list as CSV: one line per row and the heading.
CODE=$(curl -s -m 500 -o "$TMP/closed.csv" -w '%{http_code}' -H "Authorization: Bearer $INC_TOKEN" \
	"$(url S1)/api/incidents/export?format=csv&status=closed")
expect "CSV answers 200" "$CODE" "200"
expect "CSV lines" "$(wc -l <"$TMP/closed.csv")" "$((ROWS + 1))"

summary
[ "$failed" -eq 0 ]
