#!/usr/bin/env bash
# Installs the build into a temporary prefix with `cmake --install` and checks what a user gets: the
# files of a Linux application, versions, one sentence without a display, and a serve + connect round
# trip between the installed binaries.
#   check_install.sh BUILD_DIR VERSION
set -euo pipefail
build=$1 version=$2
prefix=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    rm -rf "$prefix"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install failed"

expected=(bin/framescope bin/framescope-cli share/applications/framescope.desktop
          share/icons/hicolor/scalable/apps/framescope.svg
          share/man/man1/framescope.1.gz share/man/man1/framescope-cli.1.gz
          lib/framescope/libframescope_malloc_count.so)
for size in 16 22 24 32 48 64 128 256 512; do
    expected+=("share/icons/hicolor/${size}x${size}/apps/framescope.png")
done
for file in "${expected[@]}"; do
    [ -s "$prefix/$file" ] || fail "$file is not installed"
done
extra=$(cd "$prefix" && find . -type f | sed 's|^\./||' | sort | comm -23 - <(printf '%s\n' "${expected[@]}" | sort))
[ -z "$extra" ] || fail "installed files nobody asked for: $extra"
png_size() { # width and height from the PNG's IHDR chunk (big-endian, bytes 16-23)
    od -An -tu1 -j16 -N8 "$1" | awk '{print $3*256+$4 "x" $7*256+$8}'
}
for size in 16 22 24 32 48 64 128 256 512; do
    actual=$(png_size "$prefix/share/icons/hicolor/${size}x${size}/apps/framescope.png")
    [ "$actual" = "${size}x${size}" ] || fail "the ${size}x${size} icon is $actual pixels"
done
desktop-file-validate "$prefix/share/applications/framescope.desktop" || fail "the .desktop file is invalid"
if readelf -d "$prefix/bin/framescope" "$prefix/bin/framescope-cli" | grep -E 'R(UN)?PATH' | grep -q "$build"; then
    fail "an installed binary still looks for libraries in the build tree"
fi

cli="$prefix/bin/framescope-cli"
[ "$("$cli" --version)" = "framescope-cli $version" ] || fail "framescope-cli --version: $("$cli" --version)"
"$prefix/bin/framescope" --version | grep -qx "FrameScope $version" ||
    fail "framescope --version: $("$prefix/bin/framescope" --version)"

# The installed `bench` counts allocations with the installed malloc counter (preloaded, never linked).
bench_json=$("$cli" bench --quick --json --filter '^mask/in-place/1 KiB$' 2>/dev/null) ||
    fail "the installed framescope-cli bench failed"
grep -q '"allocCounting":true' <<<"$bench_json" || fail "the installed framescope-cli bench does not count allocations"
dynamic=$(readelf -d "$cli")
[[ $dynamic != *malloc_count* ]] || fail "framescope-cli links the malloc counter"

# Every command answers --version, and the man page has a section for every command that --help lists.
commands=$("$cli" --help | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p')
[ -n "$commands" ] || fail "framescope-cli --help lists no command"
for command in $commands; do
    [ "$("$cli" "$command" --version)" = "framescope-cli $version" ] || fail "framescope-cli $command --version"
    gzip -dc "$prefix/share/man/man1/framescope-cli.1.gz" | grep -qx "\.SS $command" ||
        fail "the man page has no section for '$command'"
done

# Without a display the window says so in one line and exits 1 (not Qt's abort).
set +e
no_display=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$prefix/bin/framescope" 2>&1 >/dev/null)
status=$?
set -e
[ "$status" -eq 1 ] || fail "framescope without a display exited $status"
[ "$(printf '%s\n' "$no_display" | wc -l)" -eq 1 ] || fail "framescope without a display said: $no_display"
printf '%s' "$no_display" | grep -q "no display" || fail "framescope without a display said: $no_display"

# serve + connect between the installed binaries.
fifo="$prefix/serve.out"
mkfifo "$fifo"
"$cli" serve --port 0 >"$fifo" &
server_pid=$!
exec 3<"$fifo"
read -r -t 20 first_line <&3 || fail "serve printed nothing"
url=${first_line#listening on }
[ "$url" != "$first_line" ] || fail "serve's first line: $first_line"
reply=$(printf 'hello from the installed cli\n' | timeout 20 "$cli" connect "$url" --json) ||
    fail "connect to $url failed"
printf '%s\n' "$reply" | grep '"dir":"in"' | grep -q '"payload":"hello from the installed cli"' ||
    fail "no echo of the message in: $reply"
printf '%s\n' "$reply" | grep '"dir":"in"' | grep -q '"close_code":1000' || fail "no close 1000 in: $reply"
# SIGTERM stops the server cleanly (exit 0), and the window likewise (offscreen here).
kill -TERM "$server_pid"
wait "$server_pid" || fail "serve exited $? on SIGTERM"
server_pid=
XDG_CONFIG_HOME="$prefix/config" QT_QPA_PLATFORM=offscreen "$prefix/bin/framescope" --server-port 0 >/dev/null 2>&1 &
window_pid=$!
sleep 3
kill -0 "$window_pid" 2>/dev/null || fail "the window exited by itself within 3 s"
kill -TERM "$window_pid"
wait "$window_pid" || fail "the window exited $? on SIGTERM"

echo "install: $(find "$prefix" -type f | wc -l) files, versions $version, round trip via $url"
