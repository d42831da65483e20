#!/usr/bin/env bash
# Regenerates the README's decoded screenshots: starts the real peers (screenshot_peers.mjs), then the
# window under Xvfb talks Socket.IO and MQTT to them and saves resources/screenshots/window-decoded-*.png.
# Usage (after bash .ci/dev.sh test): bash tests/interop/decoders/screenshots.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:-$root/build}
coproc PEERS { cd "$root/tests/interop/decoders" && exec node screenshot_peers.mjs; }
peers_pid=$PEERS_PID
trap 'kill "$peers_pid" 2>/dev/null || true' EXIT
read -r urls <&"${PEERS[0]}"
socketio=$(node -e 'console.log(JSON.parse(process.argv[1]).socketio)' "$urls")
mqtt=$(node -e 'console.log(JSON.parse(process.argv[1]).mqtt)' "$urls")
xvfb-run -a "$build/ui/framescope" --no-server --theme light --decoded-screenshot "$root/resources/screenshots" \
    --socketio-url "$socketio" --mqtt-url "$mqtt"
