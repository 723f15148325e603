#!/usr/bin/env bash
# Run one command on the kvm-host platform (docs/platforms.md): a KVM host
# (Debian's kernel with kvm_amd, nested=1, NPT) inside QEMU,
#
#   qemu-system-x86_64 -accel tcg,thread=multi -smp 2 -cpu EPYC,+svm -m 2G
#
# with its image from kvm-host-image.sh (built or refreshed first).  Once the
# machine is off, the command's stdout and stderr are written to this
# script's stdout and stderr (bytes unchanged; its stdin is /dev/null), and
# this script exits with the command's exit status.  Files given with --add
# are under /opt in the machine (/opt/bin is on the PATH; $PLATFORM_OPT is
# /opt, $PLATFORM is kvm-host).
#
# usage: tests/platform/kvm-host-run.sh [--add SRC[:DEST]]... [--] COMMAND [ARG]...
#   --add SRC[:DEST]  put SRC (a file, or a directory recursively) at
#                     /opt/DEST (default DEST: SRC's name; DEST ending in /
#                     is a directory)
#
# Exit status: the command's, or
#    77  the image cannot be built: the kernel package cannot be fetched
#   123  the kvm modules did not load (or no /dev/kvm in the machine)
#   124  timeout ($PLATFORM_TIMEOUT)
#   125  any other platform failure: usage, image or QEMU error, the kernel
#        did not reach /init, the machine stopped before the command ended
# Each of these also prints a "kvm-host: error: ..." line on stderr (with the
# last console lines when the machine ran; 77 a "kvm-host: unavailable: ..."
# line); a command may exit with these numbers too.  Other "kvm-host: ..."
# lines are progress (the image being built).
#
# environment:
#   PLATFORM_TIMEOUT  seconds for QEMU, boot included (default 120)
#   PLATFORM_ADD      more SRC[:DEST] words, separated by spaces
#   PLATFORM_MEM      memory (default 2G)      PLATFORM_SMP  CPUs (default 2)
#   PLATFORM_CPU      QEMU CPU model (default EPYC,+svm)
#   PLATFORM_APPEND   more kernel arguments
#   PLATFORM_LOG      where the console log is kept (default
#                     $BUILD/platform/kvm-host/console.log; LOG.times has each
#                     line with the host time since QEMU started)
#   PLATFORM_VERBOSE  1: the console and the boot timings on stderr
#   PLATFORM_TSC_KHZ  the TSC frequency given to the kernel (default: the
#                     host's, measured; 0: the kernel calibrates)
#   PLATFORM_DIRECT   1: run COMMAND on this machine instead, which must have
#                     a hardware KVM (vmx/svm); added files are then under
#                     $PLATFORM_OPT, a temporary directory
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

adds=()
while [ $# -gt 0 ]; do
	case $1 in
	--add)   [ $# -ge 2 ] || die "--add needs SRC[:DEST]"; adds+=("$2"); shift 2 ;;
	--add=*) adds+=("${1#--add=}"); shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option $1 (--help)" ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || die "usage: kvm-host-run.sh [--add SRC[:DEST]]... [--] COMMAND [ARG]... (--help)"
if [ -n "${PLATFORM_ADD:-}" ]; then
	read -r -a env_adds <<<"$PLATFORM_ADD"
	adds+=("${env_adds[@]}")
fi
# Checked (and DEST worked out) before anything is built.
declare -A seen_dest=()
srcs=() dests=()
for spec in "${adds[@]}"; do
	add_spec "$spec"
	[ -z "${seen_dest[$add_dest]:-}" ] || die "--add: /opt/$add_dest given twice"
	seen_dest[$add_dest]=1
	srcs+=("$(realpath "$add_src")")
	dests+=("$add_dest")
done

timeout=${PLATFORM_TIMEOUT:-120}
if ! [[ $timeout =~ ^[0-9]+$ ]] || [ "$timeout" -eq 0 ]; then
	die "bad PLATFORM_TIMEOUT '$timeout'"
fi
verbose=${PLATFORM_VERBOSE:-0}

run=
# shellcheck disable=SC2317 # called by the trap
cleanup() { if [ -n "$run" ]; then rm -rf "$run"; fi; }
trap cleanup EXIT

# ---- on a machine with a hardware KVM, directly -----------------------------
if [ "${PLATFORM_DIRECT:-0}" = 1 ]; then
	real_kvm || die "PLATFORM_DIRECT=1: no hardware KVM here (/dev/kvm and vmx/svm in /proc/cpuinfo)"
	run=$(mktemp -d "${TMPDIR:-/tmp}/kvm-host-direct.XXXXXX")
	mkdir -p "$run/opt/bin"
	for i in "${!srcs[@]}"; do
		mkdir -p "$(dirname "$run/opt/${dests[$i]}")"
		ln -sfn "${srcs[$i]}" "$run/opt/${dests[$i]}"
	done
	export PLATFORM=direct PLATFORM_OPT=$run/opt PATH=$run/opt/bin:$PATH
	set +e
	# --foreground: the command stays in our process group (^C reaches it).
	timeout --foreground -k 5 "$timeout" "$@" </dev/null
	rc=$?
	set -e
	[ $rc -ne 124 ] || error "timeout after ${timeout}s"
	exit $rc
fi
if real_kvm && [ -z "${PLATFORM_DIRECT:-}" ]; then
	note "this machine has a hardware KVM: PLATFORM_DIRECT=1 runs the command on it directly"
fi

command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"

# ---- the image, with the command --------------------------------------------
mkdir -p "$KVM_HOST_DIR"
run=$(mktemp -d "$KVM_HOST_DIR/run.XXXXXX")
# Held while the image is checked and our copy of it made: a rebuild by
# another run then cannot change it under us (the kernel is a hard link,
# the initramfs a copy of the base followed by our own archive).
exec {lock_fd}>"$KVM_HOST_DIR/.lock"
flock "$lock_fd"
set +e
PLATFORM_LOCK_HELD=1 "$PLATFORM_DIR/kvm-host-image.sh"
rc=$?
set -e
[ $rc -eq 0 ] || exit $rc
ln "$KVM_HOST_KERNEL" "$run/kernel" 2>/dev/null || cp "$KVM_HOST_KERNEL" "$run/kernel"
cp "$KVM_HOST_INITRD" "$run/initrd"
exec {lock_fd}>&-

# /platform/cmd: `exec` and each word single-quoted (POSIX sh).
{
	printf 'exec'
	for a in "$@"; do printf " '%s'" "${a//\'/\'\\\'\'}"; done
	printf '\n'
} >"$run/cmd"
cpio_begin "$run/extra.cpio" 500000
cpio_dir platform
cpio_file platform/cmd "$run/cmd" 0644
declare -A made_dir=()
for i in "${!srcs[@]}"; do
	# The directories leading to DEST (the kernel keeps one that exists).
	d=opt p=${dests[$i]}
	while [[ $p == */* ]]; do
		d=$d/${p%%/*} p=${p#*/}
		[ -n "${made_dir[$d]:-}" ] || { cpio_dir "$d"; made_dir[$d]=1; }
	done
	cpio_tree "opt/${dests[$i]}" "${srcs[$i]}"
done
cpio_end
cat "$run/extra.cpio" >>"$run/initrd"

# ---- the kernel command line ------------------------------------------------
tsc_khz=${PLATFORM_TSC_KHZ:-}
if [ -z "$tsc_khz" ]; then
	# The helper of the bare platform (scripts/qemu-bare.sh explains why).
	helper=$BUILD/platform/bare/tsc-khz
	helper_src=$PLATFORM_DIR/bare/tsc-khz.c
	if [ ! -x "$helper" ] || [ "$helper_src" -nt "$helper" ]; then
		mkdir -p "$(dirname "$helper")"
		${HOSTCC:-gcc} -O2 -Wall -Wextra -Werror -o "$helper.$$" "$helper_src" ||
			die "cannot build $helper"
		mv "$helper.$$" "$helper"
	fi
	tsc_khz=$("$helper") || die "cannot measure the TSC frequency (PLATFORM_TSC_KHZ=0 to skip)"
fi
[[ $tsc_khz =~ ^[0-9]+$ ]] || die "bad PLATFORM_TSC_KHZ '$tsc_khz'"
append="console=ttyS0 panic=-1 quiet"
[ "$tsc_khz" -eq 0 ] || append="$append tsc_early_khz=$tsc_khz tsc=reliable"
append="$append ${PLATFORM_APPEND:-}"

# ---- run it -------------------------------------------------------------------
# ttyS0 (the console) is QEMU's stdout, read line by line below; ttyS1 and
# ttyS2 (the command's stdout and stderr) go to files, copied out at the end.
# shellcheck disable=SC2054 # the commas are QEMU's
qemu=(qemu-system-x86_64 -accel tcg,thread=multi -smp "${PLATFORM_SMP:-2}"
	-cpu "${PLATFORM_CPU:-EPYC,+svm}" -m "${PLATFORM_MEM:-2G}"
	-nodefaults -no-user-config -nographic -no-reboot -monitor none
	-serial stdio
	-chardev "file,id=out,path=$run/out" -serial chardev:out
	-chardev "file,id=err,path=$run/err" -serial chardev:err
	-kernel "$run/kernel" -initrd "$run/initrd" -append "$append")

log=$run/console.log
: >"$log"
: >"$log.times"
t0=$EPOCHREALTIME
set +e
# --foreground: QEMU stays in our process group, so ^C stops it too.
timeout --foreground -k 5 "$timeout" "${qemu[@]}" </dev/null 2>"$run/qemu.stderr" |
while IFS= read -r line || [ -n "$line" ]; do
	line=${line//$'\r'/}
	now=$EPOCHREALTIME
	us=$(( (${now%.*} - ${t0%.*}) * 1000000 + 10#${now#*.} - 10#${t0#*.} ))
	printf '%s\n' "$line" >>"$log"
	printf '%d.%06d %s\n' $((us / 1000000)) $((us % 1000000)) "$line" >>"$log.times"
	[ "$verbose" != 1 ] || printf 'console: %s\n' "$line" >&2
done
qrc=${PIPESTATUS[0]}
set -e
t_end=$EPOCHREALTIME

# ---- the outcome ------------------------------------------------------------------
# The command's output first, also when the machine failed (it may say why).
[ ! -f "$run/out" ] || cat "$run/out"
[ ! -f "$run/err" ] || cat "$run/err" >&2

saved=${PLATFORM_LOG:-$KVM_HOST_DIR/console.log}
mkdir -p "$(dirname "$saved")"
cp "$log" "$saved.tmp.$$" && mv "$saved.tmp.$$" "$saved"
cp "$log.times" "$saved.times.tmp.$$" && mv "$saved.times.tmp.$$" "$saved.times"

# Expected on QEMU's stderr: warnings about CPUID bits of the EPYC model
# that TCG lacks, and its last words when timeout stops it.
if grep -v -e "TCG doesn't support requested feature" -e 'terminating on signal 15 from pid .* (timeout)' \
	"$run/qemu.stderr" >"$run/qemu.other"; then
	sed 's/^/kvm-host: qemu: /' "$run/qemu.other" >&2
fi

at() { awk -v m="$1" 'index($0, m) > 0 { print $1; exit }' "$log.times"; }
t_init=$(at PLATFORM-INIT) t_ready=$(at PLATFORM-READY) t_exit=$(at PLATFORM-EXIT)
if [ "$verbose" = 1 ]; then
	us=$(( (${t_end%.*} - ${t0%.*}) * 1000000 + 10#${t_end#*.} - 10#${t0#*.} ))
	note "host time since QEMU start: /init ${t_init:--}s, kvm ready ${t_ready:--}s, command done ${t_exit:--}s, QEMU exit $((us / 1000000)).$(printf '%06d' $((us % 1000000)))s"
fi

fail() { # STATUS MESSAGE
	error "$2"
	echo "---- last console lines ($saved) ----" >&2
	grep -v '^$' "$log" | tail -n 30 >&2
	exit "$1"
}

# A kernel message may share the console line with ours: match anywhere.
status=$(sed -n 's/.*PLATFORM-EXIT \([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ -n "$status" ]; then
	exit "$status"
fi
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	if [ -z "$t_init" ]; then stage="before /init"
	elif [ -z "$t_ready" ]; then stage="loading the kvm modules"
	else stage="running the command"; fi
	fail "$PLATFORM_E_TIMEOUT" "timeout after ${timeout}s ($stage)"
fi
what=$(sed -n 's/.*PLATFORM-KVM-FAIL: //p' "$log" | head -n 1)
[ -z "$what" ] || fail "$PLATFORM_E_KVM" "kvm did not load: $what"
what=$(sed -n 's/.*PLATFORM-FAIL: //p' "$log" | head -n 1)
[ -z "$what" ] || fail "$PLATFORM_E_PLATFORM" "/init failed: $what"
[ "$qrc" -eq 0 ] || fail "$PLATFORM_E_PLATFORM" "QEMU exited with status $qrc"
what=$(grep -m 1 -o 'Kernel panic.*' "$log" || true)
if [ -n "$what" ]; then
	if [ -n "$t_init" ]; then stage="after /init"; else stage="before /init"; fi
	fail "$PLATFORM_E_PLATFORM" "kernel panic $stage: ${what#Kernel panic - not syncing: }"
fi
[ -n "$t_init" ] || fail "$PLATFORM_E_PLATFORM" "the kernel did not reach /init"
fail "$PLATFORM_E_PLATFORM" "the machine stopped before the command finished"
