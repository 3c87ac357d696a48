#!/usr/bin/env bash
# install-nginx.sh - make nginx available for the relay benchmark (-Pbench), which measures it beside the application.
#
# usage: install-nginx.sh STATUS_FILE
#
# Uses nginx from PATH (or /usr/sbin/nginx) when it is there. Otherwise, as root on Debian or Ubuntu, installs the
# distribution's nginx package (a few seconds; its service is not started). Otherwise it installs nothing and
# says why. It never fails the build: the last line of STATUS_FILE is either "ok NGINX" or "skipped: REASON", which
# the benchmark reads (and reports when it leaves nginx out). Set QUARKUS_ROCM_INSTALL_NGINX=false to never install.
set -uo pipefail

status_file="${1:?usage: install-nginx.sh STATUS_FILE}"
mkdir -p "$(dirname "$status_file")"

say() { printf '[install-nginx] %s\n' "$*" >&2; }
found() {
    nginx=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
    [ -n "$nginx" ]
}
result() { printf '%s\n' "$*" > "$status_file"; say "$*"; exit 0; }

if found; then
    result "ok $nginx"
fi
if [ "${QUARKUS_ROCM_INSTALL_NGINX:-true}" = "false" ]; then
    result "skipped: no nginx on PATH, and QUARKUS_ROCM_INSTALL_NGINX=false"
fi
if [ "$(id -u)" != "0" ]; then
    result "skipped: no nginx on PATH; install it (Debian: apt-get install nginx) or run the benchmark as root to let it install it"
fi
if ! command -v apt-get >/dev/null; then
    result "skipped: no nginx on PATH, and no apt-get to install it with"
fi
say "installing Debian's nginx for the relay benchmark"
log=$(mktemp)
# policy-rc.d: install the package without starting its service (the benchmark runs its own nginx)
policy=/usr/sbin/policy-rc.d
had_policy=false
[ -e "$policy" ] && had_policy=true
$had_policy || { printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"; }
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        nginx; } >"$log" 2>&1; then
    $had_policy || rm -f "$policy"
    tail -n 5 "$log" >&2
    rm -f "$log"
    result "skipped: installing nginx with apt-get failed (see the build log)"
fi
$had_policy || rm -f "$policy"
rm -f "$log"
if found; then
    result "ok $nginx"
fi
result "skipped: nginx still not on PATH after installing Debian's nginx"
