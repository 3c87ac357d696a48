#!/usr/bin/env bash
# install-browser.sh - make a headless Chromium and its ChromeDriver available for the Dev UI's browser test.
#
# usage: install-browser.sh STATUS_FILE
#
# Uses chromium and chromedriver from PATH when both are there. Otherwise, as root on Debian or Ubuntu, installs
# the distribution's packages (chromium, chromium-driver: about 20 s). Otherwise it installs nothing and says why.
# It never fails the build: the last line of STATUS_FILE is either "ok CHROMIUM CHROMEDRIVER" or
# "skipped: REASON", which the test reads (and reports when it skips).
# Set QUARKUS_ROCM_INSTALL_BROWSER=false to never install anything.
set -uo pipefail

status_file="${1:?usage: install-browser.sh STATUS_FILE}"
mkdir -p "$(dirname "$status_file")"

say() { printf '[install-browser] %s\n' "$*" >&2; }
found() {
    chromium=$(command -v chromium || command -v chromium-browser || true)
    driver=$(command -v chromedriver || true)
    [ -n "$chromium" ] && [ -n "$driver" ]
}
result() { printf '%s\n' "$*" > "$status_file"; say "$*"; exit 0; }

if found; then
    result "ok $chromium $driver"
fi
if [ "${QUARKUS_ROCM_INSTALL_BROWSER:-true}" = "false" ]; then
    result "skipped: no chromium and chromedriver on PATH, and QUARKUS_ROCM_INSTALL_BROWSER=false"
fi
if [ "$(id -u)" != "0" ]; then
    result "skipped: no chromium and chromedriver on PATH; install them (Debian: apt-get install chromium chromium-driver) or run the build as root to let it install them"
fi
if ! command -v apt-get >/dev/null; then
    result "skipped: no chromium and chromedriver on PATH, and no apt-get to install them with"
fi
say "installing Debian's chromium and chromium-driver for the Dev UI browser test"
log=$(mktemp)
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium chromium-driver; } >"$log" 2>&1; then
    tail -n 5 "$log" >&2
    rm -f "$log"
    result "skipped: installing chromium and chromium-driver with apt-get failed (see the build log)"
fi
rm -f "$log"
if found; then
    result "ok $chromium $driver"
fi
result "skipped: chromium or chromedriver still not on PATH after installing Debian's packages"
