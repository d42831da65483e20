#!/usr/bin/env bash
# FrameScope's two set-up commands (see README.md), for a fresh Debian 12 machine:
#   bash .ci/dev.sh run    installs what is missing, builds, and launches FrameScope
#   bash .ci/dev.sh test   installs what is missing, builds, and runs every test (ctest)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${FRAMESCOPE_BUILD_DIR:-build}
PACKAGES=(
    build-essential cmake ninja-build pkg-config git ca-certificates
    zlib1g-dev libssl-dev openssl
    qt6-base-dev qt6-base-dev-tools libgl-dev
    clang libclang-rt-14-dev
    python3-websockets nodejs npm
    libboost-dev libwebsocketpp-dev qt6-websockets-dev
    libqt6svg6 xvfb xauth
    # Qt Charts' CMake package needs Qt OpenGL Widgets, which qt6-charts-dev does not pull in.
    qt6-charts-dev libqt6opengl6-dev
    # The .deb: dpkg-shlibdeps (dpkg-dev) and file, which CPack's DEB generator needs to find the binaries;
    # the install test: the .desktop file's validator.
    dpkg-dev file desktop-file-utils
    # The capture tests: tshark checks our pcapng, tcpdump records a live session.
    tshark tcpdump
    # tst_forward_proxy's browser check: headless Chromium through the forward proxy (skipped without it).
    chromium
)

# A package counts as present when dpkg has it, or, for Node.js, when its command is already on PATH
# (a NodeSource nodejs bundles npm and conflicts with Debian's npm package).
package_present() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" && return 0
    case "$1" in
        nodejs) command -v node >/dev/null ;;
        npm) command -v npm >/dev/null ;;
        *) return 1 ;;
    esac
}

# The interop tests' Node peer (tests/interop/node): the locked `ws` from the npm registry.
install_node_peer() {
    (cd tests/interop/node && npm ci --no-audit --no-fund --loglevel=error) ||
        echo "warning: npm ci failed in tests/interop/node; app.tst_interop will fail and say why" >&2
    # Artillery for app.tst_artillery, pinned and locked the same way (its .npmrc skips install scripts:
    # one of Artillery's Playwright packages would download a browser).
    (cd tests/interop/artillery && ARTILLERY_DISABLE_TELEMETRY=true npm ci --no-audit --no-fund --loglevel=error) ||
        echo "warning: npm ci failed in tests/interop/artillery; app.tst_artillery will fail and say why" >&2
}

# The decoders' interop peers (tests/interop/decoders): socket.io, aedes, mqtt, graphql-ws, @stomp/stompjs,
# json-rpc-2.0, @microsoft/signalr, phoenix, locked like ws.
install_decoder_peers() {
    (cd tests/interop/decoders && npm ci --no-audit --no-fund --loglevel=error) ||
        echo "warning: npm ci failed in tests/interop/decoders; decoders.tst_decoders_interop will fail and say why" >&2
}

install_missing_packages() {
    local missing=()
    for package in "${PACKAGES[@]}"; do
        package_present "$package" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing missing Debian packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Extra cmake arguments come after the defaults: `build -DFRAMESCOPE_WERROR=ON`.
build() {
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    cmake --build "$BUILD_DIR" --parallel "$(nproc)"
}

case "${1:-}" in
    run)
        shift
        install_missing_packages
        build
        exec "$BUILD_DIR/ui/framescope" "$@"
        ;;
    test)
        install_missing_packages
        install_node_peer
        install_decoder_peers
        build -DFRAMESCOPE_WERROR=ON  # the tests also prove the build is free of warnings
        ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel "$(nproc)"
        ;;
    *)
        echo "usage: bash .ci/dev.sh run|test" >&2
        exit 2
        ;;
esac
