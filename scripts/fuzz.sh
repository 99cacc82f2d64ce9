#!/usr/bin/env bash
# fuzz.sh runs every Go fuzz target in the repository (each `func FuzzXxx(f *testing.F)`
# in a _test.go file) for FUZZTIME each, one after the other. It finds them
# itself, so a new target is fuzzed without touching this script.
#
#   FUZZTIME=60s scripts/fuzz.sh          # what `make fuzz` runs
#   FUZZTIME=2s  scripts/fuzz.sh          # the short run `make test` adds
#   scripts/fuzz.sh ./internal/httpx      # only the targets under these directories
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-60s}
dirs=("$@")
[ ${#dirs[@]} -eq 0 ] && dirs=(.)

# "dir name" pairs, sorted so runs are repeatable. node_modules and the web
# build are skipped: they hold no Go of ours.
mapfile -t targets < <(
	grep -rEo --include='*_test.go' --exclude-dir=node_modules --exclude-dir=.data \
		'^func Fuzz[A-Za-z0-9_]*\(' "${dirs[@]}" |
		sed -E 's|^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($|\1 \2|' | sort -u
)
if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz: no fuzz targets found under ${dirs[*]}" >&2
	exit 1
fi

echo "fuzz: ${#targets[@]} targets, $FUZZTIME each"
failed=()
for t in "${targets[@]}"; do
	dir=${t% *}
	name=${t#* }
	pkg=./${dir#./}
	echo "== $pkg $name"
	# -run '^$' skips the package's other tests; Go allows one -fuzz target per run.
	if ! $GO test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "$pkg"; then
		failed+=("$pkg $name")
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: FAILED: ${failed[*]} (failing inputs are saved under each package's testdata/fuzz)" >&2
	exit 1
fi
echo "fuzz: all ${#targets[@]} targets passed"
