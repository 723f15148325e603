#!/usr/bin/env bash
# Boot a kernel natively on the "bare" platform: QEMU full-system emulation
# of a PC (qemu-system-x86_64 -accel tcg), serial console on stdio.
#
# usage: scripts/qemu-bare.sh [options] BZIMAGE
#   -i, --initrd FILE    initramfs (default: $BUILD/initramfs/initramfs.cpio)
#   -o, --log FILE       serial output, CRs removed (default: ./serial.log)
#   -t, --timeout SECS   kill QEMU after SECS (default: 60)
#   -m, --marker TEXT    succeed only if a serial line contains TEXT
#                        (default: AFTERBURN-DONE)
#   -a, --append TEXT    extra kernel command line (console=ttyS0 is always there)
#   -M, --memory SIZE    guest memory (default: 256M)
#   -k, --tsc-khz KHZ    tell the guest its TSC frequency (tsc_early_khz=,
#                        with tsc=reliable);
#                        default: $QEMU_BARE_TSC_KHZ, else the host's TSC
#                        frequency measured by tests/platform/bare/tsc-khz.c;
#                        0: let the guest calibrate against the PIT
#   -q, --quiet          do not echo the serial output
#
# Why tsc_early_khz: under TCG the guest's TSC is the host's, but Linux's
# calibration against the emulated PIT fails now and then, and the guest
# then falls back to the 4 ms jiffies clocksource (every timing it takes
# becomes a multiple of 4 ms).  tsc=reliable: the clocksource watchdog
# compares the TSC with jiffies, whose ticks TCG delivers late, and would
# throw the TSC out for a skew that is the emulator's, not the TSC's.  The kernel is not changed by this: it is the
# command-line hint a platform with an unusual timer would need.
#
# Besides the log, writes LOG.times: each serial line prefixed with the host
# time in seconds since QEMU was started ("%.3f "), taken when the line
# arrived on the host.  Exit 0 when the marker was seen and QEMU exited by
# itself (the guest reset with -no-reboot); 1 on timeout, missing marker or
# a QEMU error; 2 on bad usage.
set -euo pipefail

die() { echo "qemu-bare: $*" >&2; exit 2; }

initrd=${BUILD:-build}/initramfs/initramfs.cpio
log=serial.log
timeout=60
marker=AFTERBURN-DONE
append=
mem=256M
quiet=0
kernel=
tsc_khz=${QEMU_BARE_TSC_KHZ:-}

while [ $# -gt 0 ]; do
	case $1 in
	-i|--initrd)  initrd=${2:?}; shift 2 ;;
	-o|--log)     log=${2:?}; shift 2 ;;
	-t|--timeout) timeout=${2:?}; shift 2 ;;
	-m|--marker)  marker=${2:?}; shift 2 ;;
	-a|--append)  append=${2:?}; shift 2 ;;
	-M|--memory)  mem=${2:?}; shift 2 ;;
	-k|--tsc-khz) tsc_khz=${2:?}; shift 2 ;;
	-q|--quiet)   quiet=1; shift ;;
	-h|--help)    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*)           die "unknown option $1" ;;
	*)            [ -z "$kernel" ] || die "one kernel only"; kernel=$1; shift ;;
	esac
done
[ -n "$kernel" ] || die "usage: qemu-bare.sh [options] BZIMAGE (--help)"
[ -f "$kernel" ] || die "no kernel image $kernel"
[ -f "$initrd" ] || die "no initramfs $initrd (make initramfs)"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"

if [ -z "$tsc_khz" ]; then
	here=$(cd "$(dirname "$0")/.." && pwd)
	helper=${BUILD:-$here/build}/platform/bare/tsc-khz
	helper_src=$here/tests/platform/bare/tsc-khz.c
	if [ ! -x "$helper" ] || [ "$helper_src" -nt "$helper" ]; then
		mkdir -p "$(dirname "$helper")"
		${HOSTCC:-gcc} -O2 -Wall -Wextra -Werror -o "$helper" "$helper_src" ||
			die "cannot build $helper"
	fi
	tsc_khz=$("$helper") || die "cannot measure the host TSC frequency (--tsc-khz 0 to skip)"
fi
[[ $tsc_khz =~ ^[0-9]+$ ]] || die "bad --tsc-khz '$tsc_khz'"
[ "$tsc_khz" -eq 0 ] || append="tsc_early_khz=$tsc_khz tsc=reliable $append"

mkdir -p "$(dirname "$log")"
: >"$log"
: >"$log.times"

qemu=(qemu-system-x86_64 -accel tcg -m "$mem" -nographic -no-reboot
	-monitor none -serial stdio -nodefaults
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 $append")

# QEMU's stdout is a pipe into the reader below, which stamps each line with
# the host time.  $EPOCHREALTIME costs no fork, so the stamps are cheap.
t0=$EPOCHREALTIME
set +e
timeout -k 5 "$timeout" "${qemu[@]}" </dev/null 2>"$log.qemu-stderr" |
while IFS= read -r line || [ -n "$line" ]; do
	line=${line//$'\r'/}
	now=$EPOCHREALTIME
	printf '%s\n' "$line" >>"$log"
	# elapsed = now - t0 in microseconds, printed as seconds.
	us=$(( (${now%.*} - ${t0%.*}) * 1000000 + 10#${now#*.} - 10#${t0#*.} ))
	printf '%d.%06d %s\n' $((us / 1000000)) $((us % 1000000)) "$line" >>"$log.times"
	[ $quiet -eq 1 ] || printf '%s\n' "$line"
done
rcs=("${PIPESTATUS[@]}")
set -e
qrc=${rcs[0]}

if [ -s "$log.qemu-stderr" ]; then
	sed 's/^/qemu-bare: qemu: /' "$log.qemu-stderr" >&2
fi
if ! grep -qF -- "$marker" "$log"; then
	if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
		echo "qemu-bare: timeout after ${timeout}s without '$marker' ($kernel)" >&2
	else
		echo "qemu-bare: QEMU exited ($qrc) without '$marker' ($kernel)" >&2
	fi
	echo "---- last serial lines ($log) ----" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
if [ "$qrc" -ne 0 ]; then
	if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
		echo "qemu-bare: '$marker' seen, but the guest did not reset within ${timeout}s ($kernel)" >&2
	else
		echo "qemu-bare: '$marker' seen, but QEMU exited with status $qrc ($kernel)" >&2
	fi
	exit 1
fi
exit 0
