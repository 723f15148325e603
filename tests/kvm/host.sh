#!/usr/bin/env bash
# kvm-host-*: previrt on the kvm-host platform (a hardware-assisted KVM,
# kvm_amd with NPT, inside QEMU TCG: tests/platform/kvm-host-run.sh), the
# static binary copied into the machine.  Skipped when the platform image
# cannot be built (status 77 of the platform).
#
# usage: tests/kvm/host.sh guest-MODE|linux-MODE|linux-disk-MODE
#                          (MODE: full, previrt, splitcore)
#   guest-*   the test guest: tests/guest/bare.sh's verdict, and the exit
#             counts of KVM's binary stats equal to tracefs's per-reason
#             histogram, exit for exit
#   linux-*   the afterburned Linux 6.1 with the test initramfs, to
#             AFTERBURN-DONE and the reset; the times and exits are printed
#   linux-disk-*  the same with a fresh 8 MiB zero file as --disk and the
#             initramfs's disk test (afterburn.disk=1: 1 MiB of a pattern
#             written and read back by the guest): AFTERBURN-DISK-OK, and
#             the file's sha256 inside the machine equal to that of the
#             file `workload --disk` writes here (checked by
#             `workload --check-disk`)
# The stats come back as the JSON line of --stats=json on stderr.
# shellcheck source=tests/kvm/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: host.sh guest-MODE|linux-MODE|linux-disk-MODE (MODE: full, previrt, splitcore)"
what=$1
# MiB the disk test writes and reads back: under full virtualization KVM
# takes `rep outsw` a word per exit, ~550000 exits for the test: 45-150 s
# on kvm-host depending on the machine, hence its longer timeouts.
DISK_MIB=1
guest_timeout=240 platform_timeout=300
[[ $what != linux-disk-full ]] || guest_timeout=900 platform_timeout=1000
mode=${what##*-}
work_dir "host-$what"
LINUX=$BUILD/linux-6.1/afterburned/vmlinux
INITRAMFS=$BUILD/initramfs/initramfs.cpio
adds=(--add "$PREVIRT:bin/previrt")
case $what in
guest-*)
	mk previrt test-guest
	adds+=(--add "$GUEST_ELF")
	cmd=(previrt run --kernel /opt/guest.elf --append "skip=$HOST_SKIP") ;;
linux-*)
	# The kernel: built here if no test before made it (minutes, once).
	mk previrt initramfs linux-afterburned
	adds+=(--add "$LINUX" --add "$INITRAMFS")
	append="console=ttyS0 printk.time=1"
	[[ $what != linux-disk-* ]] || append="$append afterburn.disk=$DISK_MIB"
	cmd=(previrt run --kernel /opt/vmlinux --initrd /opt/initramfs.cpio
	     --append "$append" --timeout "$guest_timeout") ;;
*) die "unknown case '$what'" ;;
esac
case $mode in
full|previrt|splitcore) cmd+=(--mode "$mode") ;;
*) die "unknown mode in '$what'" ;;
esac
cmd+=(--stats=json)
if [[ $what == linux-disk-* ]]; then
	# A fresh disk inside, and its sha256 on stdout after the run.
	cmd=(sh -c 'truncate -s 8M /opt/disk.img && "$@" --disk /opt/disk.img; rc=$?
		echo "DISK-SHA256 $(sha256sum </opt/disk.img)"; exit $rc' sh "${cmd[@]}")
fi

echo "kvm: on kvm-host: ${cmd[*]}"
set +e
PLATFORM_TIMEOUT=${PLATFORM_TIMEOUT:-$platform_timeout} tests/platform/kvm-host-run.sh "${adds[@]}" -- \
	"${cmd[@]}" >"$T/out" 2>"$T/err"
rc=$?
set -e
grep -v '^{' "$T/err" | sed 's/^/    stderr: /' || true
kvm_host_verdict "$rc" "$T/err"
grep '^{' "$T/err" | tail -n 1 >"$T/stats.json"
[ -s "$T/stats.json" ] || die "no stats JSON on stderr (status $rc)"
j() { json "$T/stats.json" "$1"; }

# The guest's disk test passed, and the file it left is the one workload writes here.
check_disk() {
	grep -a -q '^AFTERBURN-DISK-OK' "$T/out" || die "no AFTERBURN-DISK-OK"
	grep -a '^AFTERBURN-DISK:' "$T/out" | sed 's/^/    /'
	truncate -s 8M "$T/want.img"
	"$BUILD/initramfs/workload" --disk "$T/want.img" "$DISK_MIB" >"$T/want.log" ||
		die "workload --disk on the host: $(cat "$T/want.log")"
	"$BUILD/initramfs/workload" --check-disk "$T/want.img" "$DISK_MIB" >/dev/null ||
		die "workload --check-disk"
	local want got
	want=$(sha256sum <"$T/want.img" | cut -d' ' -f1)
	got=$(sed -n 's/^DISK-SHA256 \([0-9a-f]*\).*/\1/p' "$T/out")
	[ "$got" = "$want" ] || die "the disk in the machine has sha256 '$got', want $want (the pattern of $DISK_MIB MiB, then zeros)"
	echo "kvm: the disk holds the pattern (workload --check-disk), sha256 $got"
	[ "$(j "d['disk']['errors']")" -eq 0 ] || die "host I/O errors: $(j "d['disk']")"
	echo "kvm: disk: $(j "d['disk']")"
}

exits=$(j "d['kvm_vcpu']['stats']['exits']")
if [ "$(j "d['exit_reasons']['available']")" = True ]; then
	[ "$(j "d['exit_reasons']['total']")" -eq "$exits" ] ||
		die "tracefs counted $(j "d['exit_reasons']['total']") exits, KVM's stats $exits"
	reasons=$(j "', '.join('%s %d' % (r['name'], r['count']) for r in d['exit_reasons']['reasons'][:8])")
else
	reasons="(tracefs: $(j "d['exit_reasons']['why']"))"
fi
case $what in
guest-*)
	check_guest "$T/out" "$rc" "$HOST_MIN_PASS" "skip=$HOST_SKIP"
	backend=kvm
	[ "$mode" != splitcore ] || backend=splitcore
	[ "$mode" = full ] || grep -a -q "^wedge: backend $backend: " "$T/out" ||
		die "the wedge did not choose its $backend backend" ;;
linux-*)
	grep -a -q '^AFTERBURN-DONE' "$T/out" || { tail -n 30 "$T/out" >&2; die "Linux did not reach AFTERBURN-DONE (status $rc)"; }
	! grep -a -q '^AFTERBURN-FAIL' "$T/out" || die "$(grep -a '^AFTERBURN-FAIL' "$T/out" | head -n 1)"
	[ "$rc" -eq 0 ] || die "exit status $rc, want 0 (the guest's reset)"
	t_init=$(sed -n 's/^\[ *\([0-9.]*\)\] Run \/init.*/\1/p' "$T/out" | head -n 1)
	echo "kvm: Linux reached /init at ${t_init:-?} s (guest clock) and AFTERBURN-DONE; then reset"
	grep -a '^AFTERBURN-WORKLOAD' "$T/out" | sed 's/^/    /'
	[[ $what != linux-disk-* ]] || check_disk ;;
esac
echo "kvm: $(j "d['mode']") on kvm-host: $(j "d['wall_s']") s wall, $exits exits ($reasons)," \
	"$(j "sum(d['monitor_exits'].values())") to the monitor, $(j "d['injected']") injected" \
	"($(j "d['injected_at_hlt']") at hlt, $(j "d['injected_after_kick']") after grace kicks)," \
	"hypercalls $(j "d['hypercalls']")"
[ "$mode" != splitcore ] || echo "kvm: ring: $(j "d['splitcore']")"
