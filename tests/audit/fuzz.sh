#!/usr/bin/env bash
# The libFuzzer target over the audit's ELF and record reading, seeded with
# small objects made here, run for a bounded time (AB_FUZZ_SECONDS, 60 by
# default); any crash or sanitizer report fails the test.
. "$(dirname "$0")/lib.sh"
command -v clang-14 >/dev/null || skip "clang-14 not installed (make deps)"
[ -n "$(find /usr/lib/llvm-14/lib/clang -name 'libclang_rt.fuzzer-x86_64.a' 2>/dev/null)" ] ||
	skip "libFuzzer runtime missing (libclang-rt-14-dev)"

env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$ROOT" --no-print-directory BUILD="$BUILD" fuzz || fail "cannot build the fuzzer"
fuzzer=$BUILD/fuzz/fuzz_audit
[ -x "$fuzzer" ] || fail "$fuzzer not built"

seeds=$T/seeds
mkdir -p "$seeds" "$T/corpus"
asm "$SRC/covered.s" "$seeds/covered.o"
asm "$SRC/covered2.s" "$seeds/covered2.o"
asm "$SRC/uncovered.s" "$seeds/uncovered.o"
asm "$SRC/exceptions.s" "$seeds/exceptions.o"
asm "$SRC/compare.s" "$seeds/compare.o" --defsym AB=1
for n in 1 3 7 10 11 12 14 15 16; do
	asm "$SRC/bad-records.s" "$seeds/bad$n.o" --defsym CASE=$n
done
ld -o "$seeds/linked.elf" -e start "$seeds/covered.o" "$seeds/covered2.o" || fail ld
head -c 300 "$seeds/covered.o" >"$seeds/truncated.o"
# Objects are mostly debug-free and small; that keeps each run quick.
ls -la "$seeds"

secs=${AB_FUZZ_SECONDS:-60}
echo "fuzzing for ${secs}s"
set +e
"$fuzzer" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
	-close_fd_mask=3 -artifact_prefix="$T/" -print_final_stats=1 \
	"$T/corpus" "$seeds" >"$T/fuzz.log" 2>&1
rc=$?
set -e
tail -n 40 "$T/fuzz.log"
[ $rc -eq 0 ] || fail "the fuzzer found a crash (exit $rc): see $T/crash-* and $T/fuzz.log"
grep -q 'Done [0-9]* runs' "$T/fuzz.log" || fail "the fuzzer did not finish its runs"
! ls "$T"/crash-* "$T"/leak-* "$T"/timeout-* >/dev/null 2>&1 || fail "fuzzer artifacts left"
