#!/usr/bin/env bash
# install-llama-server.sh - find a usable llama-server, or install Debian's llama.cpp build into a
# private, versioned prefix. Never touches the system's apt/dpkg state, never needs root, never
# replaces the system's glibc: the binaries run through the loader that comes with them.
#
# usage: install-llama-server.sh [--backend cpu|hip|vulkan|rpc]... [--prefix DIR] [--suite SUITE]
#                                [--force] [--no-reuse] [--quiet]
#
#   --backend B   add a backend: hip (AMD ROCm), vulkan, or rpc (llama.cpp RPC: llama-server can use
#                 workers, and bin/rpc-server next to it makes this host one). cpu is always installed.
#                 Repeatable.
#   --prefix DIR  where to install (default: $QUARKUS_ROCM_INSTALL_DIR, else
#                 ${XDG_CACHE_HOME:-$HOME/.cache}/quarkus-rocm/llama.cpp)
#   --suite S     Debian suite to take the packages from (default: unstable, then testing)
#   --force       reinstall even if an installed version works
#   --no-reuse    ignore $QUARKUS_ROCM_BINARY and llama-server on PATH; use the private prefix
#   --quiet       log less
#
# The last line on stdout is the absolute path of a working llama-server. Logs go to stderr.
# Exit codes: 0 ok, 1 failure (the message says what to do), 2 usage error.
set -euo pipefail

backends=()
prefix="${QUARKUS_ROCM_INSTALL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quarkus-rocm/llama.cpp}"
suites=(unstable testing)
force=false
reuse=true
quiet=false
mirror="${QUARKUS_ROCM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

log() { $quiet || printf '[install-llama-server] %s\n' "$*" >&2; }
die() { printf '[install-llama-server] ERROR: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '5,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --backend) [ $# -ge 2 ] || usage; backends+=("$2"); shift 2 ;;
        --backend=*) backends+=("${1#*=}"); shift ;;
        --prefix) [ $# -ge 2 ] || usage; prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#*=}"; shift ;;
        --suite) [ $# -ge 2 ] || usage; suites=("$2"); shift 2 ;;
        --suite=*) suites=("${1#*=}"); shift ;;
        --force) force=true; shift ;;
        --no-reuse) reuse=false; shift ;;
        --quiet) quiet=true; shift ;;
        -h|--help) usage ;;
        *) printf 'unknown option: %s\n' "$1" >&2; usage ;;
    esac
done

extra_pkgs=()
rpc=false
for b in ${backends[@]+"${backends[@]}"}; do
    case "$b" in
        cpu) ;;
        hip|rocm) extra_pkgs+=(libggml0-backend-hip) ;;
        vulkan) extra_pkgs+=(libggml0-backend-vulkan) ;;
        rpc) extra_pkgs+=(libggml0-backend-rpc); rpc=true ;;
        cuda) die "Debian ships no CUDA backend for ggml. Build llama.cpp with -DGGML_CUDA=ON and set quarkus.rocm.binary (or QUARKUS_ROCM_BINARY) to its llama-server." ;;
        *) die "unknown backend '$b': use cpu, hip, vulkan or rpc" ;;
    esac
done
flavour=cpu
[ ${#extra_pkgs[@]} -gt 0 ] && flavour="cpu+$(printf '%s\n' "${backends[@]}" | grep -v '^cpu$' | sed 's/^rocm$/hip/' | sort -u | paste -sd+)"

works() { # works BINARY: the binary starts and reports a version
    [ -x "$1" ] && LD_BIND_NOW=1 timeout 30 "$1" --version >/dev/null 2>&1
}

# 1. An already configured or installed llama-server wins (only for the CPU flavour: a GPU
#    backend request means the user wants this script to install it).
if $reuse && ! $force && [ "$flavour" = cpu ]; then
    if [ -n "${QUARKUS_ROCM_BINARY:-}" ]; then
        works "$QUARKUS_ROCM_BINARY" || die "QUARKUS_ROCM_BINARY=$QUARKUS_ROCM_BINARY does not run ('--version' failed). Fix or unset it."
        log "using QUARKUS_ROCM_BINARY=$QUARKUS_ROCM_BINARY"
        readlink -f "$QUARKUS_ROCM_BINARY"; exit 0
    fi
    if p=$(command -v llama-server 2>/dev/null) && works "$p"; then
        log "using llama-server from PATH: $p"
        readlink -f "$p"; exit 0
    fi
fi

[ "$(uname -m)" = x86_64 ] || die "the private install supports x86-64 only (this is $(uname -m)). Install llama.cpp yourself and set quarkus.rocm.binary."
mkdir -p "$prefix" || die "cannot create $prefix: choose another folder with --prefix or QUARKUS_ROCM_INSTALL_DIR"

# Only one installer at a time per prefix (parallel builds share the cache).
exec 9>"$prefix/.lock"
flock -w 600 9 || die "another install holds $prefix/.lock for more than 10 minutes"

current="$prefix/current-$flavour"
if ! $force && works "$current/bin/llama-server"; then
    log "already installed: $(readlink -f "$current") ($(cat "$current/VERSION" 2>/dev/null || echo unknown))"
    printf '%s\n' "$(readlink -f "$current")/bin/llama-server"; exit 0
fi

for tool in apt-get apt-cache dpkg-deb; do
    command -v "$tool" >/dev/null || die "'$tool' is missing: this installer needs a Debian or Ubuntu system. Elsewhere install llama.cpp yourself and set quarkus.rocm.binary."
done

work=$(mktemp -d "$prefix/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/root"
: > "$work/status"
apt_opts=(-o "Dir::State::Lists=$work/lists" -o "Dir::State::status=$work/status"
          -o "Dir::Cache=$work/cache" -o "Dir::Etc::SourceList=$work/sources.list"
          -o Dir::Etc::SourceParts=/dev/null -o Dir::Etc::Preferences=/dev/null
          -o Dir::Etc::PreferencesParts=/dev/null -o "APT::Sandbox::User=$(id -un)"
          -o Debug::NoLocking=true -o Acquire::Retries=3 -q)

base_pkgs=(llama.cpp-tools libllama0 libggml0 libzstd1 zlib1g)
$rpc && base_pkgs+=(llama.cpp-tools-extra) # Debian ships rpc-server there, as ggml-rpc-server
ok=false
for suite in "${suites[@]}"; do
    log "reading the package index of Debian $suite"
    echo "deb $mirror $suite main" > "$work/sources.list"
    if ! apt-get "${apt_opts[@]}" update >"$work/apt.log" 2>&1; then
        log "apt-get update for $suite failed: $(tail -n 2 "$work/apt.log" | tr '\n' ' ')"; continue
    fi
    # The closure of the libraries (without llama.cpp-tools, whose debconf/wget dependencies are
    # not needed to run the server), computed by apt against an empty dpkg status.
    if ! apt-get "${apt_opts[@]}" -s --no-install-recommends install libllama0 libggml0 ${extra_pkgs[@]+"${extra_pkgs[@]}"} >"$work/sim.log" 2>&1; then
        log "cannot resolve the packages in $suite: $(grep -m1 -E '^E:' "$work/sim.log" || tail -n1 "$work/sim.log")"; continue
    fi
    mapfile -t pkgs < <( { awk '/^Inst /{print $2}' "$work/sim.log"; printf '%s\n' "${base_pkgs[@]}"; } | sort -u)
    log "downloading ${#pkgs[@]} packages from $suite"
    if ! (cd "$work/debs" && apt-get "${apt_opts[@]}" download "${pkgs[@]}") >"$work/dl.log" 2>&1; then
        log "download from $suite failed: $(grep -m1 -E '^(E|W):' "$work/dl.log" || tail -n1 "$work/dl.log")"; rm -f "$work/debs"/*.deb; continue
    fi
    ok=true; break
done
$ok || die "could not download llama.cpp from Debian (${suites[*]}). Check that $mirror is reachable, or install llama-server yourself and set quarkus.rocm.binary (or QUARKUS_ROCM_BINARY)."

for deb in "$work/debs"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
version=$(dpkg-deb -f "$work/debs"/llama.cpp-tools_*.deb Version)
ggml=$(dpkg-deb -f "$work/debs"/libggml0_*.deb Version)
id=$(printf 'llama.cpp-%s_ggml-%s_%s' "${version#*:}" "$ggml" "$flavour" | tr -c 'A-Za-z0-9._+\n-' '_')
dest="$prefix/$id"
stage="$work/stage"
mkdir -p "$stage/bin" "$stage/libexec"
arch_lib="$work/root/usr/lib/x86_64-linux-gnu"
[ -f "$arch_lib/ld-linux-x86-64.so.2" ] || die "the downloaded libc6 has no loader at usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
# The whole library tree keeps data that some libraries look up next to themselves (rocBLAS
# kernels, gconv); ggml finds its dynamically loaded backends in the folder of /proc/self/exe,
# which is the loader's folder, so they go next to it.
cp -a "$arch_lib" "$stage/lib"
for so in "$stage"/lib/ggml/backends0/*.so "$stage"/lib/llama/*.so; do
    [ -e "$so" ] && cp -a "$so" "$stage/lib/"
done
cp -a "$work/root/usr/bin/llama-server" "$stage/libexec/llama-server"
cat > "$stage/bin/llama-server" <<'WRAP'
#!/bin/sh
# Runs Debian's llama-server with the libraries installed beside it. exec keeps the PID.
here=$(dirname "$(readlink -f "$0")")/..
exec "$here/lib/ld-linux-x86-64.so.2" --library-path "$here/lib" --argv0 llama-server "$here/libexec/llama-server" "$@"
WRAP
chmod 755 "$stage/bin/llama-server"
if $rpc; then
    rpc_bin="$work/root/usr/libexec/x86_64-linux-gnu/llama/bin/ggml-rpc-server"
    [ -x "$rpc_bin" ] || die "llama.cpp-tools-extra has no ggml-rpc-server at ${rpc_bin#"$work/root"}: Debian moved it; install rpc-server yourself"
    cp -a "$rpc_bin" "$stage/libexec/rpc-server"
    sed 's/llama-server/rpc-server/g; s/Debian.s rpc-server/Debian'"'"'s rpc-server (llama.cpp RPC worker)/' "$stage/bin/llama-server" > "$stage/bin/rpc-server"
    chmod 755 "$stage/bin/rpc-server"
fi

# Every NEEDED library of the server and of each backend must resolve inside lib/.
for f in "$stage"/libexec/* "$stage"/lib/libggml-*.so "$stage"/lib/libllama-server-impl.so; do
    [ -e "$f" ] || continue
    if missing=$("$stage/lib/ld-linux-x86-64.so.2" --library-path "$stage/lib" --list "$f" 2>&1 | grep 'not found'); then
        case "$f" in
            *libggml-hip.so|*libggml-vulkan.so) die "backend $(basename "$f") needs libraries Debian did not provide: $missing" ;;
            *) die "$(basename "$f") needs libraries that are missing: $missing" ;;
        esac
    fi
done
works "$stage/bin/llama-server" || die "the installed llama-server does not start: $(LD_BIND_NOW=1 "$stage/bin/llama-server" --version 2>&1 | tail -n 3)"
if $rpc; then
    # Every llama-server lists --rpc; one whose RPC backend did not load refuses it ("RPC not supported in this
    # build"), one with it tries to connect at once (port 1: nothing listens, so it fails to connect and exits).
    if timeout 30 "$stage/bin/llama-server" --rpc 127.0.0.1:1 --version 2>&1 | grep -q 'RPC not supported'; then
        die "the installed llama-server refuses --rpc: its RPC backend (libggml-rpc.so) did not load"
    fi
    LD_BIND_NOW=1 timeout 30 "$stage/bin/rpc-server" --help >/dev/null 2>&1 || die "the installed rpc-server does not start: $(LD_BIND_NOW=1 "$stage/bin/rpc-server" --help 2>&1 | tail -n 3)"
fi

{ echo "llama.cpp $version (ggml $ggml), backends: $flavour, from Debian ${suite:-?}"; } > "$stage/VERSION"
for deb in "$work/debs"/*.deb; do dpkg-deb -W "$deb"; done > "$stage/PACKAGES"
LD_BIND_NOW=1 "$stage/bin/llama-server" --version > "$stage/llama-server.version" 2>&1 || true

rm -rf "$dest"
mv "$stage" "$dest"
ln -sfn "$id" "$current.tmp" && mv -T "$current.tmp" "$current"
log "installed $(cat "$dest/VERSION") into $dest"
printf '%s\n' "$dest/bin/llama-server"
