#!/usr/bin/env bash
# Renders the guides with Antora into docs/target/antora/site and fails on any warning (see antora-playbook.yml).
# Needs Node.js 18+ and npm (installed with apt-get when missing and run as root on Debian; Antora is installed from the npm registry into docs/target/antora) and the project's git
# repository (Antora reads the working tree of the checked-out branch).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
docs="$(cd "$here/../../.." && pwd)"
work="$docs/target/antora"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "antora.sh: installing Debian's nodejs and npm to render the guides" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >&2
    else
        echo "antora.sh: Node.js 18+ and npm are needed to render the guides (Debian: apt-get install nodejs npm)" >&2
        exit 2
    fi
fi
git -C "$docs" rev-parse --git-dir >/dev/null 2>&1 || {
    echo "antora.sh: $docs is not in a git repository: Antora reads the guides from the checked-out branch" >&2
    exit 2
}
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
rm -rf "$work/site"
"$work/node_modules/.bin/antora" --to-dir "$work/site" --stacktrace "$here/antora-playbook.yml"
