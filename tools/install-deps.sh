#!/bin/sh
# Installs the Debian packages Fengqiao needs to build, run and test, when any
# is missing. The PDF documents need pango, cairo, libqrencode and the Noto CJK
# fonts at run time; their tests read the PDFs back with poppler-utils
# (pdftotext, pdftoppm) and zbar-tools (zbarimg). Safe to run again: it only asks apt for what is not installed.
set -eu
pkgs="gcc make pkg-config libmicrohttpd-dev libsqlite3-dev sqlite3 libjansson-dev
libsodium-dev liboath-dev libpq-dev libxlsxwriter-dev libcurl4-openssl-dev libgd-dev
libpango1.0-dev libcairo2-dev libqrencode-dev fonts-noto-cjk brotli ca-certificates"
if [ "${1:-}" = "--test" ]; then
	pkgs="$pkgs chromium postgresql python3-openpyxl poppler-utils zbar-tools"
fi
command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing Debian packages:$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# The browser app's build tools need Node.js 18.19 or newer (Debian 12 has 18.19).
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>18||(a==18&&b>=19)?0:1)' || {
	echo "Node.js $(node --version) is too old: 18.19 or newer is needed" >&2
	exit 1
}
