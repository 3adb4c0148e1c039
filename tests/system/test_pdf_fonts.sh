#!/usr/bin/env bash
# The PDF documents' fonts (src/document/pdf.c): a server that cannot find
# "Noto Serif CJK SC" (here: fontconfig given a configuration without font
# folders) starts and answers, says "pdf documents unavailable" in its log and
# "documents":"font_missing" on /healthz; one with the fonts says "ok".
# Usage: tests/system/test_pdf_fonts.sh PATH/TO/fengqiao
SUITE=pdf_fonts
# shellcheck source=tests/system/lib.sh
source "$(dirname "$0")/lib.sh"

cat >"$TMP/no-fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>$TMP/fc-cache</cachedir></fontconfig>
CONF

need "store" setup_any_store
need "init" fq init
FONTCONFIG_FILE="$TMP/no-fonts.conf" start_server A
need "server A (no fonts) starts" wait_server A
start_server B
need "server B (the system's fonts) starts" wait_server B

health() { timeout 20 curl -s "$(url "$1")/healthz"; }
expect "without the fonts: /healthz says font_missing" \
	"$(health A | python3 -c 'import json,sys; print(json.load(sys.stdin).get("documents"))')" font_missing
expect "without the fonts: the store still answers" \
	"$(health A | python3 -c 'import json,sys; print(json.load(sys.stdin).get("status"))')" ok
check "without the fonts: the log says which font and which package" \
	grep -q 'pdf documents unavailable: the font "Noto Serif CJK SC" is not installed.*fonts-noto-cjk' \
	"$TMP/serve-A.log"
expect "with the fonts: /healthz says ok" \
	"$(health B | python3 -c 'import json,sys; print(json.load(sys.stdin).get("documents"))')" ok
check "with the fonts: no warning" bash -c "! grep -q 'pdf documents unavailable' '$TMP/serve-B.log'"

summary
[ "$failed" -eq 0 ]
