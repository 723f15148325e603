#!/usr/bin/env bash
# linux-boot-native: what the NOP padding costs on the bare platform.
#
# Boots the plain and the afterburned Linux 6.1 bzImage of `make linux`
# natively (scripts/qemu-bare.sh: qemu-system-x86_64 -accel tcg) with the
# test initramfs, alternating plain/afterburned, RUNS times each.  Per run:
#   - init_s: host time from QEMU start to the serial line
#     "AFTERBURN-INIT: reached /init" (stamped on the host as it arrives);
#   - done_s: the same to "AFTERBURN-DONE" (after the workload);
#   - the guest workload's own timings (AFTERBURN-WORKLOAD line):
#     syscall_ns, forkexec_us, write_ns.
# Reports the median of each per kernel and the median over the runs of the
# ratio afterburned/plain (run i of one against run i of the other).
# Writes bench/results/linux-boot-native.json and prints a table.
#
# Environment: BUILD (from make bench); RUNS (default 5, at least 1).
set -euo pipefail
. tests/linux/lib.sh

runs=${RUNS:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number"
mk linux initramfs

results=bench/results/linux-boot-native.json
logs=$BUILD/bench/linux-boot-native
mkdir -p bench/results "$logs"
metrics=(init_s done_s syscall_ns forkexec_us write_ns)
declare -A val   # val[variant,metric] = "v1 v2 ..."

for ((i = 1; i <= runs; i++)); do
	for v in plain afterburned; do
		log=$logs/$v-$i.log
		scripts/qemu-bare.sh -q --timeout 90 --log "$log" --initrd "$INITRAMFS" "$(bzimage "$v")" ||
			die "$v run $i did not reach AFTERBURN-DONE (log: $log)"
		init=$(awk '/^[0-9.]+ AFTERBURN-INIT: reached/ { print $1; exit }' "$log.times")
		done_=$(awk '/^[0-9.]+ AFTERBURN-DONE/ { print $1; exit }' "$log.times")
		wl=$(grep -a -m1 '^AFTERBURN-WORKLOAD:' "$log") || die "$v run $i: no AFTERBURN-WORKLOAD line ($log)"
		[ -n "$init" ] && [ -n "$done_" ] || die "$v run $i: markers missing in $log.times"
		val[$v,init_s]+="$init " val[$v,done_s]+="$done_ "
		for m in syscall_ns forkexec_us write_ns; do
			x=$(sed -nE "s/.*[[:space:]]$m=([0-9.]+).*/\1/p" <<<"$wl")
			[ -n "$x" ] || die "$v run $i: $m missing in '$wl'"
			val[$v,$m]+="$x "
		done
		printf '  run %d %-12s init %ss done %ss  %s\n' "$i" "$v" "$init" "$done_" "${wl#AFTERBURN-WORKLOAD: }"
	done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.6g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# Median over i of b_i / a_i.
median_ratio() { paste -d' ' <(tr ' ' '\n' <<<"$1" | grep .) <(tr ' ' '\n' <<<"$2" | grep .) |
	awk '{ printf "%.6f ", $2 / $1 }' | median; }

declare -A med ratio
for m in "${metrics[@]}"; do
	for v in plain afterburned; do med[$v,$m]=$(median <<<"${val[$v,$m]}"); done
	ratio[$m]=$(median_ratio "${val[plain,$m]}" "${val[afterburned,$m]}")
done

json_list() { awk '{ for (i = 1; i <= NF; i++) printf "%s%s", (i > 1 ? ", " : ""), $i }' <<<"$1"; }
{
	echo "{"
	echo "  \"bench\": \"linux-boot-native\","
	echo "  \"platform\": \"bare (qemu-system-x86_64 -accel tcg, $(qemu-system-x86_64 --version | head -n 1 | awk '{ print $4 }'))\","
	echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
	echo "  \"runs\": $runs,"
	echo "  \"units\": { \"init_s\": \"host seconds from QEMU start to AFTERBURN-INIT\", \"done_s\": \"host seconds from QEMU start to AFTERBURN-DONE\", \"syscall_ns\": \"guest ns per getppid()\", \"forkexec_us\": \"guest us per fork+exec+wait\", \"write_ns\": \"guest ns per 1-byte console write\" },"
	for v in plain afterburned; do
		echo "  \"$v\": {"
		sep=
		for m in "${metrics[@]}"; do
			printf '%s    "%s": { "median": %s, "runs": [%s] }' "$sep" "$m" "${med[$v,$m]}" "$(json_list "${val[$v,$m]}")"
			sep=$',\n'
		done
		printf '\n  },\n'
	done
	echo "  \"median_ratio_afterburned_over_plain\": {"
	sep=
	for m in "${metrics[@]}"; do
		printf '%s    "%s": %s' "$sep" "$m" "${ratio[$m]}"
		sep=$',\n'
	done
	printf '\n  }\n}\n'
} >"$results.tmp"
mv "$results.tmp" "$results"

printf '\n%-34s %12s %12s %10s\n' "median of $runs runs" plain afterburned ratio
label() {
	case $1 in
	init_s) echo "boot to /init (s, host)" ;;
	done_s) echo "boot to AFTERBURN-DONE (s, host)" ;;
	syscall_ns) echo "getppid (ns, guest)" ;;
	forkexec_us) echo "fork+exec+wait (us, guest)" ;;
	write_ns) echo "console write 1 byte (ns, guest)" ;;
	esac
}
for m in "${metrics[@]}"; do
	printf '%-34s %12.4g %12.4g %10.3f\n' "$(label "$m")" "${med[plain,$m]}" "${med[afterburned,$m]}" "${ratio[$m]}"
done
echo "ratio: median over runs of afterburned/plain (run i against run i)"
echo "results: $results"
