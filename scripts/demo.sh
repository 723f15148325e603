#!/usr/bin/env bash
# make demo: the user's first job end to end.  Rebuild Linux 6.1 through
# the toolchain (and plainly, for comparison), audit the afterburned
# vmlinux, boot both bzImages natively on the bare platform, and print the
# comparison.
set -euo pipefail
: "${BUILD:?BUILD must be set (run through make demo)}"
: "${AFTERBURN:?AFTERBURN must be set}"
cd "$(dirname "$0")/.."

L=$BUILD/linux-6.1
step() { printf '\n== %s\n' "$*"; }

step "1. Build Linux 6.1 twice: plain, and through the afterburner (gcc -B$AFTERBURN_ASDIR/)"
make --no-print-directory linux initramfs

step "2. Audit the afterburned vmlinux: every sensitive instruction must be recorded"
exceptions=guest-patches/linux-6.1/audit-exceptions.txt
args=()
[ -f "$exceptions" ] && args=(--exceptions "$exceptions")
audit_rc=0
"$AFTERBURN" audit "$L/afterburned/vmlinux" "${args[@]}" >"$L/audit.txt" || audit_rc=$?
sed -n '/^audit of /,$p' "$L/audit.txt"
[ $audit_rc -eq 0 ] || { echo "demo: the audit failed (full report: $L/audit.txt)" >&2; exit 1; }

step "3. Sites per kind"
"$AFTERBURN" sites "$L/afterburned/vmlinux" --stats

step "4. Boot both natively (qemu-system-x86_64 -accel tcg)"
for v in plain afterburned; do
	scripts/qemu-bare.sh -q --timeout 120 --log "$L/demo-boot-$v.log" "$L/$v/arch/x86/boot/bzImage" ||
		{ echo "demo: $v did not boot (serial log: $L/demo-boot-$v.log)" >&2; exit 1; }
done

step "5. Comparison"
# Sum of function sizes: Linux pads .text to a fixed size, hiding growth.
code_bytes() { nm -S -t d --defined-only "$1" | awk '$3 ~ /^[tT]$/ { s += $2 } END { print s }'; }
at_marker() { awk -v m="$2" 'index($0, m) { print $1; exit }' "$1.times"; }
workload() { grep -a '^AFTERBURN-WORKLOAD:' "$1" | sed 's/^AFTERBURN-WORKLOAD: *//'; }
pt=$(code_bytes "$L/plain/vmlinux") at=$(code_bytes "$L/afterburned/vmlinux")
printf '%-24s %-22s %-22s\n' "" "plain" "afterburned"
printf '%-24s %-22s %-22s (%s)\n' "code bytes (functions)" "$pt" "$at" \
	"$(awk -v a="$at" -v p="$pt" 'BEGIN { printf "%+.2f%%", (a - p) * 100 / p }')"
printf '%-24s %-22s %-22s\n' "bzImage bytes" "$(stat -c %s "$L/plain/arch/x86/boot/bzImage")" \
	"$(stat -c %s "$L/afterburned/arch/x86/boot/bzImage")"
printf '%-24s %-22s %-22s\n' "reached /init (s)" "$(at_marker "$L/demo-boot-plain.log" AFTERBURN-INIT)" \
	"$(at_marker "$L/demo-boot-afterburned.log" AFTERBURN-INIT)"
printf '%-24s %-22s %-22s\n' "workload done (s)" "$(at_marker "$L/demo-boot-plain.log" AFTERBURN-DONE)" \
	"$(at_marker "$L/demo-boot-afterburned.log" AFTERBURN-DONE)"
echo "workload, plain:       $(workload "$L/demo-boot-plain.log")"
echo "workload, afterburned: $(workload "$L/demo-boot-afterburned.log")"
if diff <(grep -a '^AFTERBURN-' "$L/demo-boot-plain.log" | sed 's/=[0-9.]*/=N/g') \
	<(grep -a '^AFTERBURN-' "$L/demo-boot-afterburned.log" | sed 's/=[0-9.]*/=N/g') >/dev/null; then
	echo "serial markers: identical (timings masked)"
else
	echo "serial markers: DIFFER" >&2
	exit 1
fi
echo
echo "Build times, boot-time medians over alternating runs: make bench."
