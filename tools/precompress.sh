#!/usr/bin/env bash
# Writes FILE.gz (gzip -9) and, where the brotli tool is installed, FILE.br
# (brotli -q 11) next to each text file of a built browser app (.html .js
# .css .svg .json .txt .ico .webmanifest), for the server to send to
# browsers that accept them (src/http/server.c). Images and fonts are
# compressed already and left alone. A variant no smaller than its file is
# not kept. Run by `make web` after `npm run build`.
#
#   tools/precompress.sh DIR
set -euo pipefail

dir=${1:?usage: tools/precompress.sh DIR}
[ -d "$dir" ] || { echo "precompress: no directory $dir" >&2; exit 1; }
have_brotli=0
command -v brotli >/dev/null 2>&1 && have_brotli=1
[ "$have_brotli" = 1 ] || echo "precompress: brotli not installed: gzip only" >&2

keep_if_smaller() { # keep_if_smaller FILE VARIANT
	if [ "$(stat -c %s "$2")" -ge "$(stat -c %s "$1")" ]; then rm -f "$2"; fi
}

n=0
while IFS= read -r -d '' f; do
	gzip -9 -n -c -- "$f" >"$f.gz"
	touch -r "$f" "$f.gz"
	keep_if_smaller "$f" "$f.gz"
	if [ "$have_brotli" = 1 ]; then
		brotli -q 11 -f -o "$f.br" -- "$f"
		touch -r "$f" "$f.br"
		keep_if_smaller "$f" "$f.br"
	fi
	n=$((n + 1))
done < <(find "$dir" -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.svg' \
	-o -name '*.json' -o -name '*.txt' -o -name '*.ico' -o -name '*.webmanifest' \) -print0)
echo "precompress: $n files in $dir"
