#!/usr/bin/env bash
# bench.sh: the figures of issue 21, each beside its reference measured in
# the same run (medians; ratios, since a shared machine is noisy). Run by
# `make bench`; GO and RUNS may be set.
set -euo pipefail
GO=${GO:-go}
RUNS=${RUNS:-5}
cd "$(dirname "$0")/.."
$GO build -o build/withddb ./internal/ddblocal/cmd/withddb

# median NAME FILE: the median ns/op of benchmark NAME in go test output FILE.
median() { awk -v n="^Benchmark$1-[0-9]+\$" '$1 ~ n {print $3}' "$2" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f×", b/a}'; }
us() { awk -v a="$1" 'BEGIN {printf "%.1f µs", a/1000}'; }

echo "== server JSON decode (internal/virtfusion; reference: the encoding/json decoder it replaced)"
out=$(mktemp)
$GO test -run '^$' -bench 'DecodeServer' -benchmem -count "$RUNS" ./internal/virtfusion/ >"$out"
for b in DecodeServer DecodeServerList100; do
	m=$(median "$b" "$out"); r=$(median "${b}Reference" "$out")
	printf '%-22s %12s   reference %12s   %s faster (target ≥ 3×)\n' "$b" "$(us "$m")" "$(us "$r")" "$(ratio "$m" "$r")"
done

echo; echo "== cold start (scripts/coldstart; reference: hello-world aws-lambda-go; target ≤ 1.5×)"
$GO run ./scripts/coldstart -n "${COLDSTART_RUNS:-11}"
if command -v valgrind >/dev/null; then
	echo "(the same in instructions, which load does not change)"
	$GO run ./scripts/coldstart -n 1 -instructions
fi

echo; echo "== warm signed-in GET, Go CPU per request (internal/api/auth; reference: a bare SDK GetItem, same run; target ≤ 1.3×)"
build/withddb $GO test -run '^$' -bench 'WarmSignedInGET$' -benchtime 1x -count 1 ./internal/api/auth/ >"$out" 2>&1 || { cat "$out"; exit 1; }
awk '/^BenchmarkWarmSignedInGET/ {for (i = 5; i < NF; i += 2) printf "%-22s %8s\n", $(i+1), $i}' "$out"

echo; echo "== binary size (make build; limit 15 MB)"
make --no-print-directory build | grep -E 'MB|OVER'

echo; echo "== hourly billing over 10,000 servers against DynamoDB Local (reference: the old start-up-first JVM flags)"
for flags in startup ""; do
	DYNAMODB_LOCAL_JVM_FLAGS=$flags build/withddb $GO test -run '^$' -bench 'HourlyRun10k$' -benchtime 1x -count 1 ./internal/billing/ >"$out" 2>&1 || { cat "$out"; exit 1; }
	t=$(awk '/^BenchmarkHourlyRun10k/ {print $3}' "$out")
	printf '%-28s %8.1f s\n' "JVM flags: ${flags:-throughput}" "$(awk -v t="$t" 'BEGIN {print t/1e9}')"
done
echo "(target ≤ 20 s)"
rm -f "$out"
