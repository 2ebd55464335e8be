#!/usr/bin/env bash
# Install what distarch needs to build and test, on a Debian machine, and
# nothing that is already there. Safe to run again. `make` runs it when
# needed; CI runs it through `make test`.
#
#   Debian: compiler, cmake, pkg-config, libyaml, jansson, libgit2, PCRE2,
#           cmocka, git, node + npm, python3 + jsonschema (SARIF schema test),
#           clang and its sanitizer/libFuzzer runtime (`make test-asan`, the
#           fuzz runs of `make test`: libclang-rt-N-dev, N clang's version)
#   npm:    tree-sitter runtime and grammars, pinned in package-lock.json,
#           installed with `npm ci --ignore-scripts` (only their C sources
#           are used; nothing is built by npm)
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(gcc make cmake pkg-config git libyaml-dev libjansson-dev libgit2-dev libpcre2-dev
      libcmocka-dev nodejs npm python3 python3-jsonschema clang)
missing=()
for p in "${debs[@]}"; do
	# node/npm may come from elsewhere than Debian; accept the commands.
	case $p in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	python3) command -v python3 >/dev/null 2>&1 && continue ;; # the e2e tests read JSON with it
	# t0310 validates SARIF against the official schema; any python3 that has the module will do.
	python3-jsonschema) python3 -c 'import jsonschema' >/dev/null 2>&1 && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
apt_install() {
	echo "setup: installing Debian packages: $*" >&2
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@" >&2
}
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# libFuzzer and the sanitizer runtimes ship apart from clang (Debian: only a
# Recommends of libclang-common-N-dev): install them when clang's runtime
# folder has no libFuzzer.
rtdir=$(clang -print-runtime-dir 2>/dev/null || true)
if ! compgen -G "$rtdir/libclang_rt.fuzzer*.a" >/dev/null; then
	apt_install "libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
fi

# npm ci when node_modules is missing or older than the lock file.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] ||
   [ ! -f node_modules/tree-sitter/vendor/tree-sitter/lib/src/lib.c ]; then
	echo "setup: installing tree-sitter runtime and grammars (npm ci --ignore-scripts)" >&2
	npm ci --ignore-scripts --no-audit --no-fund >&2
fi
