#!/usr/bin/env bash
# make demo: the user's first two jobs end to end.  Rebuild Linux 6.1
# through the toolchain (and plainly, for comparison), audit the
# afterburned vmlinux, boot both bzImages natively on the bare platform and
# compare; then boot that one vmlinux file natively (the wedge with its
# native backend) and on a KVM host (the kvm-host platform) under our
# monitor's three modes -- fully virtualized, pre-virtualized, split-core --
# and compare those.
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

step "6. One vmlinux, four ways: natively, and under previrt --mode full | previrt | splitcore on a KVM host"
make --no-print-directory wedge previrt tools >/dev/null
vmlinux=$L/afterburned/vmlinux
echo "kernel: $vmlinux, sha256 $(sha256sum "$vmlinux" | cut -c1-16)..., the same file every time"
# The same command line everywhere: the TSC frequency (full virtualization
# cannot calibrate it), and no legacy ATA probing (no disk: an empty
# channel's probe sleeps ~170 ms in every mode).
append="console=ttyS0 printk.time=1 pata_legacy.probe_mask=0 tsc=reliable"
helper=$BUILD/platform/bare/tsc-khz   # built by scripts/qemu-bare.sh in step 4
khz=$("$helper")
"$AFTERBURN" pack --kernel "$vmlinux" --initrd "$BUILD/initramfs/initramfs.cpio" \
	--cmdline "$append tsc_early_khz=$khz" -o "$L/demo-native.img"
native=$L/demo-native.log
timeout 120 qemu-system-x86_64 -accel tcg -m 256M -nodefaults -nographic -no-reboot -monitor none \
	-serial stdio -kernel "$BUILD/wedge/wedge.elf" -initrd "$L/demo-native.img" \
	-append "wedge.backend=native" </dev/null 2>/dev/null | tr -d '\r' >"$native" || true
grep -a -q '^AFTERBURN-DONE' "$native" ||
	{ echo "demo: the native boot through the wedge failed (log: $native)" >&2; exit 1; }
t_init=$(sed -n 's/^\[ *\([0-9.]*\)\] Run \/init.*/\1/p' "$native" | head -n 1)
t_end=$(sed -n 's/^\[ *\([0-9.]*\)\] reboot: Restarting.*/\1/p' "$native" | head -n 1)
echo "natively (bare platform, the wedge's native backend: every site its own instruction):"
echo "  /init at ${t_init}s, the reset at ${t_end}s (guest clock); no hypervisor, no exits"

modes="full previrt splitcore"
batch=$L/demo-kvm.batch out=$L/demo-kvm
rm -rf "$out"
tsc='tsc_early_khz=$(previrt info | sed -n "s/^ *guest TSC *\([0-9]*\) kHz/\1/p")'
for m in $modes; do
	echo "boot-$m-1 previrt run --mode $m --kernel /opt/vmlinux --initrd /opt/initramfs.cpio" \
		"--append \"$append $tsc\" --stats-file \$OUT/stats.json --console-times \$OUT/times --timeout 300"
done >"$batch"
tests/platform/kvm-host-batch.sh --add "$BUILD/bin/previrt:bin/previrt" --add "$vmlinux" \
	--add "$BUILD/initramfs/initramfs.cpio" "$batch" "$out" 2>/dev/null ||
	{ echo "demo: the kvm-host platform failed" >&2; exit 1; }
for m in $modes; do
	grep -a -q '^AFTERBURN-DONE' "$out/boot-$m-1.out" ||
		{ echo "demo: --mode $m did not reach AFTERBURN-DONE ($out/boot-$m-1.out)" >&2; exit 1; }
done
python3 bench/kvm-modes.py "$out" 1 "$modes" 0 "$L/demo-kvm.json" | sed '/^results:/d'
echo
echo "Build times, boot-time medians over alternating runs, disk and per-class costs: make bench."
