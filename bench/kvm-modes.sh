#!/usr/bin/env bash
# kvm-modes: the same guest binaries under previrt's modes, side by side in
# one boot of the kvm-host platform (a real KVM host, kvm_amd, inside QEMU
# TCG: docs/platforms.md), ROUNDS rounds, the modes alternating.
#
#   boot    the afterburned vmlinux of `make linux` with the test initramfs
#           (boot, then the workload), no disk: time to /init and to the
#           end, VM exits by reason (tracefs), exits at the monitor,
#           injections, the workload's own numbers
#   disk    the same with a fresh disk file (--disk) and afterburn.disk=MIB:
#           the guest's sequential write and read throughput (O_DIRECT), the
#           exits on the disk and console paths; the file checked afterwards
#           (1 MiB under full: KVM emulates `rep outsw` a word per exit)
#   guest   the test guest in bench mode: cycles per operation of each
#           sensitive class (docs/test-guest.md, "Bench mode")
#   ring    the split-core ring's round trip (tests/kvm/ring.S: empty
#           console requests, post to DONE on the guest's TSC), against
#           an exit's (kvm-smoke: `out` to the monitor and back) in the
#           same boot
#
# The kernel gets the same command line in every mode: its TSC frequency
# (tsc_early_khz, as on the bare platform: under full virtualization Linux's
# PIT calibration fails), and pata_legacy.probe_mask: 0 for the boots (no
# disk; probing an empty channel sleeps ~170 ms in every mode), 1 with the
# disk (the machine has the primary channel only).
#
# Prints tables; writes bench/results/kvm-modes.json (bench/kvm-modes.py).
# Environment: BUILD (from make bench); ROUNDS (default 3); MODES (default:
# every mode this previrt has, of full previrt splitcore); GUEST_BENCH_N
# (iterations per sample, default 16).
set -euo pipefail
. tests/linux/lib.sh

rounds=${ROUNDS:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number"
bench_n=${GUEST_BENCH_N:-16}
mk previrt test-guest linux-afterburned initramfs kvm-smoke
VMLINUX=$LINUX_DIR/afterburned/vmlinux
GUEST_ELF=$BUILD/guest/guest.elf
WORKLOAD=$BUILD/initramfs/workload

previrt=$BUILD/bin/previrt
help=$("$previrt" run --help)
if [ -z "${MODES:-}" ]; then
	MODES="full previrt"
	grep -q -- '--mode splitcore' <<<"$help" && MODES+=" splitcore"
fi
have_disk=0
grep -q -- '--disk' <<<"$help" && have_disk=1

work=$BUILD/bench/kvm-modes
rm -rf "$work"
mkdir -p "$work" bench/results
gcc -c -o "$work/ring.o" tests/kvm/ring.S && ld -nostdlib -static -z max-page-size=4096 \
	-z noexecstack --no-warn-rwx-segments -T tests/kvm/tiny.ld -o "$work/ring.elf" "$work/ring.o" ||
	die "cannot build the ring guest (tests/kvm/ring.S)"
batch=$work/batch
append='console=ttyS0 printk.time=1 tsc=reliable'
tsc='tsc_early_khz=$(previrt info | sed -n "s/^ *guest TSC *\([0-9]*\) kHz/\1/p")'
linux="previrt run --kernel /opt/vmlinux --initrd /opt/initramfs.cpio --stats-file \$OUT/stats.json --console-times \$OUT/times --timeout 600"
{
	echo "info previrt info"
	echo "exit kvm-smoke -n 2000 -l 100000 -t 60"
	echo "ring truncate -s 64K /tmp/ring.img && previrt run --mode splitcore -m 64M" \
		"--wedge /opt/ring.elf --kernel /opt/guest.elf --disk /tmp/ring.img --timeout 60"
	for ((r = 1; r <= rounds; r++)); do
		for m in $MODES; do
			echo "boot-$m-$r $linux --mode $m --append \"$append pata_legacy.probe_mask=0 $tsc\""
			if [ $have_disk -eq 1 ]; then
				mib=8
				[ "$m" = full ] && mib=1
				img=/tmp/disk-$m-$r.img
				echo "disk-$m-$r dd if=/dev/zero of=$img bs=1M count=16 2>/dev/null;" \
					"$linux --mode $m --disk $img" \
					"--append \"$append pata_legacy.probe_mask=1 afterburn.disk=$mib $tsc\";" \
					"rc=\$?; workload --check-disk $img $mib >\$OUT/diskcheck 2>&1;" \
					"echo \$? >>\$OUT/diskcheck; exit \$rc"
			fi
			echo "guest-$m-$r previrt run --mode $m --kernel /opt/guest.elf --append \"bench=$bench_n\"" \
				"--stats-file \$OUT/stats.json --timeout 300"
		done
	done
} >"$batch"
echo "kvm-modes: $rounds rounds of: $MODES (Linux boot, with the disk, the test guest's benchmarks), in one kvm-host boot"
PLATFORM_TIMEOUT=${PLATFORM_TIMEOUT:-1800} tests/platform/kvm-host-batch.sh \
	--add "$previrt:bin/previrt" --add "$WORKLOAD:bin/workload" \
	--add "$BUILD/platform/kvm-smoke:bin/kvm-smoke" --add "$work/ring.elf" \
	--add "$VMLINUX" --add "$INITRAMFS" --add "$GUEST_ELF" "$batch" "$work/out" ||
	die "the kvm-host platform failed (status $?)"
python3 bench/kvm-modes.py "$work/out" "$rounds" "$MODES" "$have_disk" bench/results/kvm-modes.json
