#!/usr/bin/env bash
# wedge-callpath: what the wedge's call path costs per sensitive instruction.
#
# Boots the test guest in bench mode (`bench` on its command line:
# tests/guest/bench.c, docs/test-guest.md "Bench mode") on the bare platform
# (QEMU TCG, the command line of tests/guest/lib.sh boot_guest) in four
# configurations, alternating them, ROUNDS times each:
#   raw          -kernel guest.elf -append "bench"                      (no wedge)
#   native       -kernel wedge.elf -initrd guest.elf
#                -append "wedge.backend=native bench"                   (instructions in place)
#   native-call  the same with wedge.backend=native-call                (each site calls through
#                the wedge's full register-saving entry stub and a C handler, then runs in place)
#   trace        the same with wedge.backend=trace                      (a per-site counting thunk)
# The guest prints, per benchmark, rdtsc ticks per instruction minus its
# empty-loop baseline (min and median of 64 samples).  Per configuration
# and benchmark this takes the median over the rounds of those (the table
# shows the medians).  native-call and trace are compared with native (the
# same instruction, in place, under the same wedge); the target is that
# the call path adds <= TARGET (30) cycles per operation over the
# instruction it wraps.
#
# Then the same call path on this machine's CPU, in user mode:
# $BUILD/bench/callpath-host (bench/callpath-host.c, `make callpath-host`)
# links the wedge's own backends, thunk emitters and entry stub (its cli
# left out: user mode cannot run it), patches copies of loops around the
# guest bench's instructions that user mode may run (pushf, popf, mov from
# and to %ds, rdtscp, iretq, lretq; sgdt/sidt unless UMIP traps them) as
# raw, native, native-call and trace, and times them with rdtsc on one
# pinned CPU.  Under TCG a "cycle" is host time spent emulating; this is
# the hardware's cost.  Its table follows the TCG one; its results go
# under "host_cpu" in the JSON.
#
# Builds with `make test-guest wedge`.  Until `make wedge` produces
# $BUILD/wedge/wedge.elf, the wedge columns are reported as missing and
# only raw runs (exit 0 if it worked).  Once the wedge exists, a wedge
# configuration that does not finish its bench run fails the script.
# Writes bench/results/wedge-callpath.json and prints the two tables.
#
# Environment: BUILD (from make bench); ROUNDS (default 3); ITERS (the
# guest's iterations per sample, bench=N; default the guest's);
# GUEST_TIMEOUT (seconds per boot, default 60).
# shellcheck source=tests/guest/lib.sh
. tests/guest/lib.sh
die() { echo "wedge-callpath: $*" >&2; exit 1; }

rounds=${ROUNDS:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number"
iters=${ITERS:-}
[[ -z $iters || $iters =~ ^[1-9][0-9]*$ ]] || die "ITERS must be a positive number"
bench_word=bench${iters:+=$iters}
TARGET=30

T=$BUILD/bench/wedge-callpath
results=bench/results/wedge-callpath.json
rm -rf "$T"
mkdir -p "$T" bench/results
mk test-guest
WEDGE_ELF=$BUILD/wedge/wedge.elf
wedge_note=
if ! make --no-print-directory BUILD="$BUILD" wedge >"$T/make-wedge.log" 2>&1; then
	wedge_note="wedge image missing: 'make wedge' failed (log: $T/make-wedge.log)"
elif [ ! -f "$WEDGE_ELF" ]; then
	wedge_note="wedge image missing: 'make wedge' made no $WEDGE_ELF"
fi

configs=(raw native native-call trace)
declare -A status append # per config: ok | missing | failed; the guest's command line
for c in "${configs[@]}"; do
	if [ "$c" = raw ]; then
		append[$c]=$bench_word
		status[$c]=ok
	else
		append[$c]="wedge.backend=$c $bench_word"
		status[$c]=${wedge_note:+missing}
		status[$c]=${status[$c]:-ok}
	fi
done
[ -z "$wedge_note" ] || echo "wedge-callpath: $wedge_note; measuring raw only"

# boot_bench CONFIG LOG: one bench run, serial output to LOG; 0 if it
# reached BENCH-END and the summary with no failure (no FAIL line), QEMU
# exit status 1.
boot_bench() {
	local c=$1 log=$2 rc summary
	local -a kernel=(-kernel "$GUEST_ELF")
	[ "$c" = raw ] || kernel=(-kernel "$WEDGE_ELF" -initrd "$GUEST_ELF")
	set +e
	timeout -k 5 "${GUEST_TIMEOUT:-60}" qemu-system-x86_64 -accel tcg "${kernel[@]}" \
		-append "${append[$c]}" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-nographic -serial stdio -monitor none -no-reboot -m 128M \
		</dev/null 2>"$log.stderr" | tr -d '\r' >"$log"
	rc=${PIPESTATUS[0]}
	set -e
	if [ -s "$log.stderr" ]; then sed 's/^/qemu: /' "$log.stderr" >&2; fi
	# The guest's summary; a backend may print after it (trace: its dump).
	summary=$(grep -a -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1) || true
	if [ "$rc" -ne 1 ] || ! grep -a -q '^BENCH-END$' "$log" || grep -a -q '^FAIL' "$log" ||
		! [[ $summary =~ ^[0-9]+\ passed,\ 0\ failed ]]; then
		echo "wedge-callpath: $c: no complete bench run (QEMU exit status $rc, summary '$summary', last line '$(grep -a . "$log" | tail -n 1)'; log: $log)" >&2
		grep -a '^FAIL\|^UNEXPECTED' "$log" >&2 || true
		return 1
	fi
}

# The first boot after a build runs slower (host caches, frequency): one
# raw boot first, not counted.
boot_bench raw "$T/warm-up.log" || die "the raw bench run failed"

declare -A val          # val[config|class|name|min or median] = "round1 round2 ..."
declare -A seen
benches=()              # "class|name", in the guest's order
for ((r = 1; r <= rounds; r++)); do
	for c in "${configs[@]}"; do
		[ "${status[$c]}" = ok ] || continue
		log=$T/$c-$r.log
		if ! boot_bench "$c" "$log"; then
			status[$c]=failed
			continue
		fi
		n=0
		while read -r _ cls name _ mn _ md _; do
			k="$cls|$name"
			if [ -z "${seen[$k]:-}" ]; then seen[$k]=1; benches+=("$k"); fi
			val[$c|$k|min]+="$mn " val[$c|$k|median]+="$md "
			n=$((n + 1))
		done < <(grep -a '^BENCH: ' "$log")
		read -r _ _ _ mn _ md < <(grep -a -m1 '^BENCH-BASELINE: ' "$log") || true
		val[$c|baseline|min]+="${mn:-} " val[$c|baseline|median]+="${md:-} "
		printf '  round %d %-12s %d benchmarks  (%s)\n' "$r" "$c" "$n" "$log"
	done
done
[ "${status[raw]}" = ok ] || die "the raw bench run failed"
[ ${#benches[@]} -gt 0 ] || die "no BENCH lines in the raw run"

median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { if (!NR) exit; if (NR % 2) print a[(NR + 1) / 2]; else printf "%.6g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
declare -A med          # med[config|class|name|min or median]: over the rounds
for c in "${configs[@]}"; do
	[ "${status[$c]}" = ok ] || continue
	for k in "${benches[@]}" baseline; do
		for s in min median; do med[$c|$k|$s]=$(median <<<"${val[$c|$k|$s]:-}"); done
	done
done

# delta CONFIG BENCH: its median minus native's (empty if either is missing).
delta() {
	local a=${med[$1|$2|median]:-} b=${med[native|$2|median]:-}
	[ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", a - b }'
	return 0
}
# met DELTA: yes | NO | n/a
met() { if [ -z "$1" ]; then echo n/a; else awk -v d="$1" -v t=$TARGET 'BEGIN { print (d <= t ? "yes" : "NO") }'; fi; }
cell() { if [ -n "${1:-}" ]; then printf '%.1f' "$1"; else echo -; fi; }
json_list() { awk '{ for (i = 1; i <= NF; i++) printf "%s%s", (i > 1 ? ", " : ""), $i }' <<<"$1"; }

# The host CPU part (see the top): after the TCG runs, alone on the machine.
HOST_BIN=$BUILD/bench/callpath-host
host_status=ok host_note=
if ! make --no-print-directory BUILD="$BUILD" "$HOST_BIN" >"$T/make-callpath-host.log" 2>&1; then
	host_status=failed host_note="'make $HOST_BIN' failed (log: $T/make-callpath-host.log)"
elif ! "$HOST_BIN" -j "$T/host-cpu.json" >"$T/host-cpu.txt" 2>"$T/host-cpu.stderr"; then
	host_status=failed
	host_note="$HOST_BIN failed: $(tail -n 1 "$T/host-cpu.stderr") (output: $T/host-cpu.txt)"
fi
host_note=${host_note//\\/\/} host_note=${host_note//\"/\'}

qemu_version=$(qemu-system-x86_64 --version | head -n 1 | awk '{ print $4 }')
{
	echo "{"
	echo "  \"bench\": \"wedge-callpath\","
	echo "  \"platform\": \"bare (qemu-system-x86_64 -accel tcg)\","
	echo "  \"qemu_version\": \"$qemu_version\","
	echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
	echo "  \"rounds\": $rounds,"
	echo "  \"units\": \"rdtsc ticks per instruction minus the guest's empty-loop baseline (baseline_loop: ticks per iteration); min and median: median over the rounds of each boot's min and median of 64 samples\","
	echo "  \"target\": { \"max_callpath_cycles\": $TARGET, \"compared\": \"median of native-call and of trace minus median of native\" },"
	echo "  \"configs\": {"
	csep=
	for c in "${configs[@]}"; do
		printf '%s    "%s": {\n      "append": "%s",\n      "status": "%s"' "$csep" "$c" "${append[$c]}" "${status[$c]}"
		if [ "${status[$c]}" = ok ]; then
			printf ',\n      "baseline_loop": { "min": %s, "median": %s, "rounds_median": [%s] }' \
				"${med[$c|baseline|min]:-null}" "${med[$c|baseline|median]:-null}" \
				"$(json_list "${val[$c|baseline|median]}")"
			printf ',\n      "benchmarks": {\n'
			bsep=
			for k in "${benches[@]}"; do
				[ -n "${med[$c|$k|median]:-}" ] || continue
				printf '%s        "%s": { "class": "%s", "name": "%s", "min": %s, "median": %s, "rounds_min": [%s], "rounds_median": [%s] }' \
					"$bsep" "${k/|//}" "${k%%|*}" "${k#*|}" "${med[$c|$k|min]}" "${med[$c|$k|median]}" \
					"$(json_list "${val[$c|$k|min]}")" "$(json_list "${val[$c|$k|median]}")"
				bsep=$',\n'
			done
			printf '\n      }'
		fi
		printf '\n    }'
		csep=$',\n'
	done
	printf '\n  },\n  "callpath_over_native": {\n'
	bsep=
	for k in "${benches[@]}"; do
		dc=$(delta native-call "$k") dt=$(delta trace "$k")
		printf '%s    "%s": { "native-call": %s, "trace": %s, "native-call_met": %s, "trace_met": %s }' "$bsep" "${k/|//}" \
			"${dc:-null}" "${dt:-null}" \
			"$(if [ -n "$dc" ]; then [ "$(met "$dc")" = yes ] && echo true || echo false; else echo null; fi)" \
			"$(if [ -n "$dt" ]; then [ "$(met "$dt")" = yes ] && echo true || echo false; else echo null; fi)"
		bsep=$',\n'
	done
	printf '\n  },\n  "host_cpu": '
	if [ "$host_status" = ok ]; then
		sed '1!s/^/  /' "$T/host-cpu.json"
	else
		printf '{ "status": "failed", "why": "%s" }\n' "$host_note"
	fi
	printf '}\n'
} >"$results.tmp"
mv "$results.tmp" "$results"

printf '\nmedian over %d rounds of the per-boot median; rdtsc ticks per instruction, baseline loop subtracted\n' "$rounds"
fmt='%-18s %-13s %8s %8s %18s %18s %7s %7s\n'
# shellcheck disable=SC2059
printf "$fmt" class benchmark raw native "native-call (+d)" "trace (+d)" "call<=$TARGET" "trace<=$TARGET"
calls_met=0 calls_missed=0
for k in "${benches[@]}"; do
	dc=$(delta native-call "$k") dt=$(delta trace "$k")
	nc=$(cell "${med[native-call|$k|median]:-}") tc=$(cell "${med[trace|$k|median]:-}")
	[ -z "$dc" ] || nc="$nc ($(awk -v d="$dc" 'BEGIN { printf "%+.1f", d }'))"
	[ -z "$dt" ] || tc="$tc ($(awk -v d="$dt" 'BEGIN { printf "%+.1f", d }'))"
	mc=$(met "$dc")
	case $mc in yes) calls_met=$((calls_met + 1)) ;; NO) calls_missed=$((calls_missed + 1)) ;; esac
	# shellcheck disable=SC2059
	printf "$fmt" "${k%%|*}" "${k#*|}" "$(cell "${med[raw|$k|median]:-}")" \
		"$(cell "${med[native|$k|median]:-}")" "$nc" "$tc" "$mc" "$(met "$dt")"
done
echo "target: the call path adds <= $TARGET cycles per operation over the instruction it wraps"
echo "  (+d: the configuration's median minus native's, the same instruction in place under the wedge)"
if [ -n "$wedge_note" ]; then
	echo "  not evaluated: $wedge_note"
else
	for c in native native-call trace; do
		[ "${status[$c]}" = ok ] || echo "  $c: FAILED (logs: $T/$c-*.log)"
	done
	echo "  native-call: met for $calls_met of $((calls_met + calls_missed)) benchmarks"
fi
echo
echo "the same call path on this machine's CPU, user mode (no cli)"
if [ "$host_status" = ok ]; then
	cat "$T/host-cpu.txt"
else
	echo "  not measured: $host_note"
fi
echo "results: $results"
for c in native native-call trace; do
	[ "${status[$c]}" != failed ] || die "the $c configuration failed"
done
[ "$host_status" = ok ] || die "the host CPU part failed: $host_note"
