#!/usr/bin/env bash
# Installs the .deb built by `cpack -G DEB` on a fresh Debian 12 (../shared/tools/fresh-debian, a chroot
# without any of the build's packages), then checks what a user of the package gets: apt pulls in the
# runtime libraries, both --version, a serve + connect round trip, and the window shown under Xvfb within
# 10 s and closed cleanly by SIGTERM. The Xvfb screen is left in $FRESH_RUN/tmp/fb/Xvfb_screen0 (XWD).
#   tests/install/deb_on_fresh_debian.sh [build/framescope_VERSION_amd64.deb]
set -euo pipefail
cd "$(dirname "$0")/../.."
deb=${1:-$(ls build/framescope_*_amd64.deb | head -1)}
[ -f "$deb" ] || { echo "no .deb: run (cd build && cpack -G DEB) first" >&2; exit 2; }
FRESH_WITH="$deb" exec ../shared/tools/fresh-debian "$(cat <<'INNER'
set -euo pipefail
apt-get update -q >/dev/null
SECONDS=0
DEBIAN_FRONTEND=noninteractive apt-get install -y -q /with/framescope_*.deb >/tmp/apt.log
echo "apt-get install of the .deb: ${SECONDS} s, $(grep -c '^Unpacking' /tmp/apt.log) packages unpacked"
dpkg-query -W -f='${Package} ${Version} ${Installed-Size} KiB\n  Depends: ${Depends}\n' framescope
framescope-cli --version
framescope --version
framescope-cli serve --port 0 >/tmp/serve.out &
server=$!
for _ in $(seq 50); do [ -s /tmp/serve.out ] && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' /tmp/serve.out)
echo "round trip via $url:"
echo "hello from the package" | framescope-cli connect "$url"
kill -TERM "$server" && wait "$server" && echo "serve: exit 0 on SIGTERM"
# The window, on a virtual screen, with tools only this check needs (xwininfo).
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends xvfb xauth x11-utils >/dev/null
mkdir -p /tmp/fb
Xvfb :99 -screen 0 1366x768x24 -fbdir /tmp/fb -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
SECONDS=0
DISPLAY=:99 framescope >/tmp/window.log 2>&1 &
window=$!
until DISPLAY=:99 xwininfo -root -tree 2>/dev/null | grep -q '"FrameScope"'; do
    [ "$SECONDS" -lt 10 ] || { echo "the window did not show within 10 s"; cat /tmp/window.log; exit 1; }
    sleep 0.2
done
echo "the window showed after ${SECONDS} s"
sleep 3
cp /tmp/fb/Xvfb_screen0 /tmp/fb/window.xwd
kill -TERM "$window"
wait "$window" && echo "framescope: exit 0 on SIGTERM"
kill "$xvfb"
INNER
)"
