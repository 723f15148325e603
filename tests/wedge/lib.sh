# shellcheck shell=bash disable=SC2034
# Shared by the tests/wedge scripts (sourced): the wedge on the bare
# platform, `qemu -kernel wedge.elf -initrd <guest> -append "wedge.* ..."`.
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/../guest/lib.sh"

WEDGE_ELF=$BUILD/wedge/wedge.elf

# boot_wedge LOG GUEST APPEND: like boot_guest, through the wedge.
boot_wedge() {
	local log=$1 guest=$2 append=$3
	command -v qemu-system-x86_64 >/dev/null ||
		die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
	set +e
	timeout -k 5 "${GUEST_TIMEOUT:-90}" qemu-system-x86_64 -accel tcg -kernel "$WEDGE_ELF" \
		-initrd "$guest" -append "$append" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-nographic -serial stdio -monitor none -no-reboot -m 128M \
		</dev/null 2>"$log.stderr" | tr -d '\r' >"$log"
	qemu_rc=${PIPESTATUS[0]}
	set -e
	if [ -s "$log.stderr" ]; then sed 's/^/qemu: /' "$log.stderr" >&2; fi
}

show_tail() { echo "---- last serial lines of $1 ----" >&2; tail -n 25 "$1" >&2; }

# boot_wedge_timed LOG IMAGE APPEND: the wedge with IMAGE as its module on
# the machine scripts/qemu-bare.sh boots a bzImage on (-m 256M -nodefaults,
# so the times compare), plus the exit device for the wedge's panics.
# LOG.times, as qemu-bare.sh writes it: each serial line prefixed with the
# host time in seconds since QEMU started.  The exit status is in $qemu_rc.
boot_wedge_timed() {
	local log=$1 image=$2 append=$3 t0 now us line
	command -v qemu-system-x86_64 >/dev/null ||
		die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
	t0=$EPOCHREALTIME
	set +e
	timeout -k 5 "${LINUX_BOOT_TIMEOUT:-120}" qemu-system-x86_64 -accel tcg -m 256M \
		-nographic -no-reboot -monitor none -serial stdio -nodefaults \
		-kernel "$WEDGE_ELF" -initrd "$image" -append "$append" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null 2>"$log.stderr" |
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line//$'\r'/}
		now=$EPOCHREALTIME
		printf '%s\n' "$line" >&3
		us=$(( (${now%.*} - ${t0%.*}) * 1000000 + 10#${now#*.} - 10#${t0#*.} ))
		printf '%d.%06d %s\n' $((us / 1000000)) $((us % 1000000)) "$line"
	done 3>"$log" >"$log.times"
	qemu_rc=${PIPESTATUS[0]}
	set -e
	if [ -s "$log.stderr" ]; then sed 's/^/qemu: /' "$log.stderr" >&2; fi
}

# check_trace_dump LOG SITES: the trace backend's dump in LOG is complete:
# TRACE-BEGIN, one TRACE line per kind of abi.h in order, TRACE-END; every
# TRACE-SITE a recorded site of its kind (SITES: "ADDR KIND" lines), the
# per-site counts adding up to the per-kind totals.  Writes $T/trace-kinds.txt
# ("KIND COUNT") and $T/trace-sites.txt ("ADDR KIND COUNT").
check_trace_dump() {
	local log=$1 sites=$2 total per_site
	grep -a -q '^TRACE-BEGIN [0-9]* sites, [0-9]* executed$' "$log" || die "no TRACE-BEGIN"
	grep -a -q '^TRACE-END$' "$log" || die "no TRACE-END"
	diff -u --label abi.h --label 'TRACE lines' <(kind_names) \
		<(sed -n 's/^TRACE: \([a-z0-9-]*\) [0-9][0-9]*$/\1/p' "$log") ||
		die "the trace dump does not list every kind of abi.h once, in order"
	awk '$1 == "TRACE:" { print $2, $3 }' "$log" >"$T/trace-kinds.txt"
	awk '$1 == "TRACE-SITE:" { print $2, $3, $4 }' "$log" >"$T/trace-sites.txt"
	awk 'NR == FNR { site[$1] = $2; next }
	     !($1 in site) { print "  not a recorded site: " $1; bad = 1 }
	     site[$1] != $2 { print "  " $1 ": kind " $2 ", recorded " site[$1]; bad = 1 }
	     END { exit bad }' "$sites" "$T/trace-sites.txt" >&2 ||
		die "the per-site dump names addresses or kinds the records do not"
	total=$(awk '{ s += $2 } END { print s + 0 }' "$T/trace-kinds.txt")
	per_site=$(awk '{ s += $3 } END { print s + 0 }' "$T/trace-sites.txt")
	[ "$total" = "$per_site" ] || die "per-site counts add up to $per_site, per-kind to $total"
}
