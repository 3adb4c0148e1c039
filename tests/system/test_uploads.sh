#!/usr/bin/env bash
# Attachments through the real HTTP server (libmicrohttpd): a file sent as the
# body, with Content-Length or chunked, is stored with its SHA-256 and comes
# back byte for byte with its type, Content-Disposition (RFC 5987 name) and
# nosniff; its thumbnail is a JPEG. A body over max_attachment is refused with
# 413 file_too_large whether its length is announced or not, and nothing is
# stored; a JSON route keeps the smaller max_body.
# Usage: tests/system/test_uploads.sh PATH/TO/fengqiao
SUITE=uploads
# shellcheck source=tests/system/lib.sh
source "$(dirname "$0")/lib.sh"

need "store" setup_any_store
need "init" fq init
if [ -z "${FQ_TEST_PG_URL:-}" ]; then
	q() { timeout 30 sqlite3 -cmd '.timeout 10000' "$TMP/fq.db" "$1"; }
fi
need "station and officer" setup_incidents
TOKEN=$(fq token create off.inc --scopes incident.read,incident.write,attachment.read,attachment.write)
case "$TOKEN" in fqt_*) ok "token with the attachment scopes" ;; *) bad "token ($TOKEN)"; summary; exit 1 ;; esac

port=$(free_port)
SERVER_PORT[A]=$port
"$FQ" serve --store "$STORE" --key_file "$KEY" --listen "127.0.0.1:$port" --access_log false \
	--max_attachment 200000 --max_body 65536 --web_root "$TMP/noweb" >>"$TMP/serve-A.log" 2>&1 &
SERVER_PID[A]=$!
need "server starts" wait_server A
auth=(-H "Authorization: Bearer $TOKEN")

ID=$(curl -s -m 10 "${auth[@]}" -H 'Content-Type: application/json' \
	-d '{"channel":"phone","category":"help","narrative":"有人求助"}' "$(url A)/api/incidents" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$ID" ] && ok "an incident ($ID)" || { bad "an incident"; summary; exit 1; }
REC="record_type=incident&record_id=$ID"

# A 300 × 200 PNG, written by Python's zlib (no image library needed).
python3 - "$TMP/photo.png" <<'EOF'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
w, h = 300, 200
rows = b''.join(b'\0' + bytes((x * 7 + y) % 256 for x in range(w * 3)) for y in range(h))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                              + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
EOF
SHA=$(sha256sum "$TMP/photo.png" | cut -d' ' -f1)
attachments() { q "SELECT count(*) FROM attachments"; }

# upload FILE NAME [CURL-ARGS…] → body, then the status on its own line
upload() {
	local file=$1 name=$2
	shift 2
	curl -s -m 30 "${auth[@]}" -H 'Content-Type: application/octet-stream' "$@" \
		--data-binary "@$file" -w '\n%{http_code}' "$(url A)/api/attachments?$REC&name=$name"
}
field() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline())$1)"; }

OUT=$(upload "$TMP/photo.png" '%E7%8E%B0%E5%9C%BA.png')
expect "upload with Content-Length: 201" "$(echo "$OUT" | tail -1)" "201"
expect "its SHA-256 is the file's" "$(echo "$OUT" | head -1 | field '["sha256"]')" "$SHA"
AID=$(echo "$OUT" | head -1 | field '["id"]')

curl -s -m 10 "${auth[@]}" -D "$TMP/head" -o "$TMP/back.png" "$(url A)/api/attachments/$AID/content"
if cmp -s "$TMP/photo.png" "$TMP/back.png"; then ok "download: the same bytes"; else bad "download: the same bytes"; fi
hdr() { tr -d '\r' <"$TMP/head" | grep -i "^$1:" | cut -d' ' -f2-; }
expect "download: Content-Type" "$(hdr Content-Type)" "image/png"
expect "download: nosniff" "$(hdr X-Content-Type-Options)" "nosniff"
expect "download: Content-Disposition" "$(hdr Content-Disposition)" \
	"attachment; filename=\"__.png\"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA.png"
expect "download: not cached" "$(hdr Cache-Control)" "no-store"

curl -s -m 10 "${auth[@]}" -D "$TMP/head" -o "$TMP/thumb" "$(url A)/api/attachments/$AID/thumbnail"
expect "thumbnail: a JPEG" "$(hdr Content-Type) $(head -c 3 "$TMP/thumb" | od -An -tx1 | tr -d ' ')" "image/jpeg ffd8ff"

OUT=$(upload "$TMP/photo.png" chunked.png -H 'Transfer-Encoding: chunked')
expect "upload chunked: 201" "$(echo "$OUT" | tail -1)" "201"

# Over max_attachment (200,000 bytes): announced, and chunked.
head -c 250000 /dev/urandom >"$TMP/big.bin"
before=$(attachments)
OUT=$(upload "$TMP/big.bin" big.jpg)
expect "over max_attachment with Content-Length: 413" "$(echo "$OUT" | tail -1)" "413"
expect "… code file_too_large" "$(echo "$OUT" | head -1 | field '["error"]["code"]')" "file_too_large"
OUT=$(upload "$TMP/big.bin" big.jpg -H 'Transfer-Encoding: chunked')
expect "over max_attachment chunked: 413" "$(echo "$OUT" | tail -1)" "413"
expect "… and nothing stored" "$(attachments)" "$before"

# A JSON route keeps max_body (65,536 bytes here), though uploads take more.
python3 -c 'import json; print(json.dumps({"channel": "phone", "category": "help", "narrative": "x" * 100000}))' >"$TMP/big.json"
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' \
	--data-binary "@$TMP/big.json" "$(url A)/api/incidents")
expect "a JSON body over max_body is still 413" "$code" "413"

summary
[ "$failed" -eq 0 ]
