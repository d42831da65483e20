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
    libqt6svg6 xvfb xauth qt6-charts-dev
    tshark tcpdump
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

build() {
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    cmake --build "$BUILD_DIR" --parallel "$(nproc)"
}

case "${1:-}" in
    run)
        shift
        install_missing_packages
        build
        for candidate in "$BUILD_DIR/ui/framescope" "$BUILD_DIR/app/framescope-cli"; do
            [ -x "$candidate" ] && exec "$candidate" "$@"
        done
        echo "Built the codec and its tests; the FrameScope window and CLI are not part of this build yet." >&2
        exit 1
        ;;
    test)
        install_missing_packages
        install_node_peer
        build
        ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel "$(nproc)"
        ;;
    *)
        echo "usage: bash .ci/dev.sh run|test" >&2
        exit 2
        ;;
esac
