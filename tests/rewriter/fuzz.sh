#!/usr/bin/env bash
# The libFuzzer target over the rewriter's parser, seeded with every golden
# and error case, run for a bounded time (AB_FUZZ_SECONDS, 60 by default);
# any crash, leak or sanitizer report fails the test.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$SRC/../.." && pwd)
if ! command -v clang-14 >/dev/null; then
	echo "clang-14 not installed (make deps)"
	exit 77
fi
make -C "$ROOT" --no-print-directory BUILD="$BUILD" fuzz || fail "cannot build the fuzzers"
fuzzer=$BUILD/fuzz/fuzz_rewrite
[ -x "$fuzzer" ] || fail "$fuzzer not built"
mkdir -p "$T/seeds" "$T/corpus"
cp "$SRC"/cases/*.s "$SRC"/errors/*.s "$T/seeds/"
secs=${AB_FUZZ_SECONDS:-60}
echo "fuzzing for ${secs}s"
rc=0
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
	-artifact_prefix="$T/" -print_final_stats=1 "$T/corpus" "$T/seeds" >"$T/fuzz.log" 2>&1 || rc=$?
grep -v '^afterburn: ' "$T/fuzz.log" | tail -n 30
[ $rc -eq 0 ] || fail "the fuzzer found a crash (exit $rc): see $T/crash-* and $T/fuzz.log"
grep -q 'Done [0-9]* runs' "$T/fuzz.log" || fail "the fuzzer did not finish its runs"
