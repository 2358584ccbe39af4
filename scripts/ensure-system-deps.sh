#!/usr/bin/env bash
# Installs the Debian packages the server and its tests use, when they are missing:
#   fonts-wqy-microhei  Chinese font for photo watermarks and printed QR sheets
#   chromium            headless browser for the mini-app and console end-to-end tests (CHROMIUM_PATH overrides)
set -euo pipefail
missing=()
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} ..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "please install: ${missing[*]} (sudo apt-get install ${missing[*]}), or set FONT_FILE to a CJK TTF/TTC font and CHROMIUM_PATH to a Chromium binary" >&2
fi
