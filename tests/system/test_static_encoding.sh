#!/usr/bin/env bash
# The browser app's files pre-compressed (tools/precompress.sh, run by `make
# web`) and served by src/http/server.c: brotli or gzip as Accept-Encoding
# allows, qualities weighed (q=0 refuses a coding), identity otherwise;
# Content-Encoding, Vary: Accept-Encoding and the Content-Length of what is
# sent; a HEAD the same headers and no body; a Range request the whole file
# (ranges are not served); images never compressed; hashed assets cached for
# a year, index.html revalidated; a variant older than its file ignored.
# Usage: tests/system/test_static_encoding.sh PATH/TO/fengqiao
SUITE=static_encoding
# shellcheck source=tests/system/lib.sh
source "$(dirname "$0")/lib.sh"

WEB_ROOT="$TMP/web"
mkdir -p "$WEB_ROOT/assets"
{
	echo '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>枫桥</title>'
	for i in $(seq 1 60); do echo "<link rel=\"modulepreload\" href=\"./assets/chunk-$i.js\">"; done
	echo '</head><body><div id="app"></div></body></html>'
} >"$WEB_ROOT/index.html"
for i in $(seq 1 400); do
	echo "export function f$i(a, b) { return a.map((x) => x * $i + b).filter((y) => y > $i); }"
done >"$WEB_ROOT/assets/index-3f9a1c2b.js"
head -c 5000 /dev/urandom >"$WEB_ROOT/assets/logo-1a2b3c4d.png"
JS="$WEB_ROOT/assets/index-3f9a1c2b.js"

need "precompress" "$ROOT/tools/precompress.sh" "$WEB_ROOT"
check "gzip and brotli written for the script and the page" \
	test -s "$JS.gz" -a -s "$JS.br" -a -s "$WEB_ROOT/index.html.gz" -a -s "$WEB_ROOT/index.html.br"
check "nothing written for the image" test ! -e "$WEB_ROOT/assets/logo-1a2b3c4d.png.gz" -a \
	! -e "$WEB_ROOT/assets/logo-1a2b3c4d.png.br"
need "store" setup_any_store
need "init" fq init
start_server A
need "server A starts" wait_server A

# get NAME PATH [curl options…]: headers in $TMP/NAME.h, body in $TMP/NAME.b
get() {
	local name=$1 path=$2
	shift 2
	timeout 20 curl -s -D "$TMP/$name.h" -o "$TMP/$name.b" "$@" "$(url A)$path"
}
# header NAME FIELD: the field's value in the headers of NAME ("" if none)
header() { tr -d '\r' <"$TMP/$1.h" | sed -n "s/^$2: //Ip" | head -n 1; }
status() { head -n 1 "$TMP/$1.h" | cut -d' ' -f2; }
size() { stat -c %s "$1"; }

get plain /assets/index-3f9a1c2b.js
expect "no Accept-Encoding: 200" "$(status plain)" 200
expect "no Accept-Encoding: no Content-Encoding" "$(header plain Content-Encoding)" ""
check "no Accept-Encoding: the file itself" cmp "$TMP/plain.b" "$JS"
expect "no Accept-Encoding: Content-Length of the file" "$(header plain Content-Length)" "$(size "$JS")"
expect "Vary: Accept-Encoding" "$(header plain Vary)" "Accept-Encoding"
expect "a hashed asset is cached for a year" "$(header plain Cache-Control)" \
	"public, max-age=31536000, immutable"
expect "script type" "$(header plain Content-Type)" "text/javascript; charset=utf-8"

get gz /assets/index-3f9a1c2b.js -H 'Accept-Encoding: gzip'
expect "gzip: Content-Encoding gzip" "$(header gz Content-Encoding)" gzip
expect "gzip: Content-Length of the .gz" "$(header gz Content-Length)" "$(size "$JS.gz")"
check "gzip: unpacks to the file" bash -c "gzip -dc <'$TMP/gz.b' | cmp - '$JS'"
expect "gzip: type of the file, not of the archive" "$(header gz Content-Type)" \
	"text/javascript; charset=utf-8"

get br /assets/index-3f9a1c2b.js -H 'Accept-Encoding: gzip, deflate, br, zstd'
expect "a browser's list: brotli" "$(header br Content-Encoding)" br
expect "brotli: Content-Length of the .br" "$(header br Content-Length)" "$(size "$JS.br")"
check "brotli: unpacks to the file" bash -c "brotli -dc <'$TMP/br.b' | cmp - '$JS'"
check "brotli is smaller than gzip here" test "$(size "$JS.br")" -lt "$(size "$JS.gz")"

get q1 /assets/index-3f9a1c2b.js -H 'Accept-Encoding: br;q=0, gzip'
expect "br;q=0, gzip: gzip" "$(header q1 Content-Encoding)" gzip
get q2 /assets/index-3f9a1c2b.js -H 'Accept-Encoding: gzip;q=1, br;q=0.5'
expect "gzip preferred by quality over br" "$(header q2 Content-Encoding)" gzip
get q3 /assets/index-3f9a1c2b.js -H 'Accept-Encoding: gzip;q=0, br;q=0'
expect "both refused with q=0: identity" "$(header q3 Content-Encoding)" ""
check "both refused: the file itself" cmp "$TMP/q3.b" "$JS"
get q4 /assets/index-3f9a1c2b.js -H 'Accept-Encoding: *;q=0.5, gzip;q=0'
expect "* allows br when gzip is refused" "$(header q4 Content-Encoding)" br
get q5 /assets/index-3f9a1c2b.js -H 'Accept-Encoding: deflate'
expect "only unknown codings: identity" "$(header q5 Content-Encoding)" ""

get head /assets/index-3f9a1c2b.js -I -H 'Accept-Encoding: br'
expect "HEAD: 200" "$(status head)" 200
expect "HEAD: Content-Encoding br" "$(header head Content-Encoding)" br
expect "HEAD: Content-Length of what a GET sends" "$(header head Content-Length)" "$(size "$JS.br")"
# what follows the head of a HEAD answer on the wire, up to the close: nothing
after=$(timeout 20 python3 "$SYS_DIR/http_raw.py" head "${SERVER_PORT[A]}" /assets/index-3f9a1c2b.js \
	'Accept-Encoding: br')
expect "HEAD: no body" "$after" 0

get range /assets/index-3f9a1c2b.js -H 'Range: bytes=0-9'
expect "Range: not served, the whole file (200)" "$(status range)" 200
check "Range: the whole file" cmp "$TMP/range.b" "$JS"
expect "Range: no Accept-Ranges offered" "$(header range Accept-Ranges)" ""

get png /assets/logo-1a2b3c4d.png -H 'Accept-Encoding: gzip, br'
expect "an image is never compressed" "$(header png Content-Encoding)" ""
check "an image: the file itself" cmp "$TMP/png.b" "$WEB_ROOT/assets/logo-1a2b3c4d.png"
expect "an image: no Vary" "$(header png Vary)" ""

get index / -H 'Accept-Encoding: gzip, br'
expect "index.html: brotli" "$(header index Content-Encoding)" br
expect "index.html: revalidated (no-cache)" "$(header index Cache-Control)" no-cache
expect "index.html: type" "$(header index Content-Type)" "text/html; charset=utf-8"
get route /incidents/board -H 'Accept-Encoding: gzip'
expect "an app route gets index.html, gzip" "$(header route Content-Encoding)" gzip
check "an app route: index.html" bash -c "gzip -dc <'$TMP/route.b' | cmp - '$WEB_ROOT/index.html'"

# A file changed after its variants were written: the variants are stale.
sleep 1.1
echo "// changed" >>"$JS"
get stale /assets/index-3f9a1c2b.js -H 'Accept-Encoding: gzip, br'
expect "a variant older than its file is not sent" "$(header stale Content-Encoding)" ""
check "…the changed file is" cmp "$TMP/stale.b" "$JS"

kill -0 "${SERVER_PID[A]}" 2>/dev/null && ok "server A still runs" || bad "server A still runs"
summary
[ "$failed" -eq 0 ]
