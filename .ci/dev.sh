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
    libqt6svg6 xvfb xauth
)

install_missing_packages() {
    local missing=()
    for package in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
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
        build
        ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel "$(nproc)"
        ;;
    *)
        echo "usage: bash .ci/dev.sh run|test" >&2
        exit 2
        ;;
esac
