#!/usr/bin/env bash
# kvm-ring: the split-core ring against a hostile wedge (ring.S) on this
# machine's /dev/kvm (skipped without one, or with fewer than 2 CPUs),
# under the sanitized monitor; and, with `host`, the same on the kvm-host
# platform (the poller on its second vCPU) with the release build, where
# the round trip means something.
#
#   - HELLO's ring checks, 8 garbage slots each completed with -AB_E_INVAL
#     and counted, good console/disk requests in order, a grace kick, then
#     1000 round trips; the run ends through AB_RING_EXIT with 42
#   - --stats: requests by op, 8 rejected, 3 invalid slots, one grace kick
#     and one injection after it, the pinning
#   - the disk file holds what the ring wrote
#   - (locally) the drain: 60 console lines posted, the first one last,
#     then at once isa-debug-exit (33), or a triple fault (126): all 60
#     lines on stdout, in order (--stats says how many were drained)
#   - (locally) one CPU (taskset -c 0): refused, one line, 125
#
# usage: tests/kvm/ring.sh [host]
# shellcheck source=tests/kvm/lib.sh
. "$(dirname "$0")/lib.sh"

where=${1:-local}
work_dir "ring-$where"
if [ "$where" = local ]; then
	need_kvm
	[ "$(nproc)" -ge 2 ] || skip "one CPU here: --mode splitcore needs two"
	mk previrt-san test-guest
else
	mk previrt test-guest
fi

# build NAME [CPP FLAGS...]: $T/NAME.elf from ring.S
build() { tiny_guest ring.S "$@"; }
build ring
build drain -DPROG_DRAIN
build drain-triple -DPROG_DRAIN -DDRAIN_TRIPLE
truncate -s 64K "$T/disk.img"

args=(run --mode splitcore -m 64M --wedge "$T/ring.elf" --kernel "$GUEST_ELF"
      --disk "$T/disk.img" --stats=json --timeout 60)
if [ "$where" = local ]; then
	run_previrt "$T/out" "$T/err" "${args[@]}"
	grep '^{' "$T/err" >"$T/stats.json" || true
	disk=$T/disk.img
else
	# Inside: a fresh disk, the run, then the disk's sha256 on stdout.
	set +e
	PLATFORM_TIMEOUT=${PLATFORM_TIMEOUT:-300} tests/platform/kvm-host-run.sh \
		--add "$PREVIRT:bin/previrt" --add "$T/ring.elf" --add "$GUEST_ELF" -- \
		sh -c 'truncate -s 64K /opt/disk.img && previrt run --mode splitcore -m 64M \
			--wedge /opt/ring.elf --kernel /opt/guest.elf --disk /opt/disk.img \
			--stats=json --timeout 60; rc=$?; echo "DISK-SHA256 $(sha256sum </opt/disk.img)"; exit $rc' \
		>"$T/all" 2>"$T/err"
	rc=$?
	set -e
	kvm_host_verdict "$rc" "$T/err"
	grep -v '^DISK-SHA256 ' "$T/all" >"$T/out" || true
	grep '^{' "$T/err" >"$T/stats.json" || true
	# The file the run must have left, made here: zeros, the pattern at sector 10.
	python3 -c 'import sys; sys.stdout.buffer.write(b"\0" * 5120 + bytes((7 * i + 3) & 255 for i in range(1024)) + b"\0" * (65536 - 6144))' >"$T/disk.want"
	want=$(sha256sum <"$T/disk.want" | cut -d' ' -f1)
	got=$(sed -n 's/^DISK-SHA256 \([0-9a-f]*\).*/\1/p' "$T/all")
	[ "$got" = "$want" ] || die "the disk in the machine has sha256 '$got', want $want"
	disk=$T/disk.want
fi
grep -v '^{' "$T/err" | sed 's/^/    stderr: /' || true
[ "$rc" -eq 42 ] || { cat "$T/out" >&2; die "exit $rc, want 42 (AB_RING_EXIT)"; }

{ seq 1 15 | sed 's/^/ok /'; echo "ring: a console line through slot 9"
  seq 16 22 | sed 's/^/ok /'; } >"$T/want"
head -n 23 "$T/out" | diff -u "$T/want" - >&2 || die "the checks' lines differ"
rt=$(sed -n 24p "$T/out")
[[ $rt =~ ^ring\ round\ trip:\ [0-9]+\ ticks,\ ([0-9]+)\ ns$ ]] || die "line 24: '$rt'"
[ "$(sed -n '25,$p' "$T/out")" = "ok 23" ] || die "after the round trips: '$(sed -n '25,$p' "$T/out")'"
python3 - "$disk" <<'EOF' || die "the disk does not hold the ring's write at sector 10"
import sys
d = open(sys.argv[1], 'rb').read()
sys.exit(0 if len(d) == 65536 and d[5120:6144] == bytes((7 * i + 3) & 255 for i in range(1024)) else 1)
EOF

j() { json "$T/stats.json" "$1"; }
[ -s "$T/stats.json" ] || die "no stats"
[ "$(j "d['end']")" = "the guest posted AB_RING_EXIT" ] || die "ended by: $(j "d['end']")"
[ "$(j "d['splitcore']['requests']")" = \
	"{'invalid': 3, 'console': 1002, 'disk_read': 3, 'disk_write': 2, 'disk_flush': 1, 'exit': 2}" ] ||
	die "requests by op: $(j "d['splitcore']['requests']")"
[ "$(j "(d['splitcore']['rejected'], d['splitcore']['failed'])")" = "(8, 0)" ] ||
	die "rejected, failed: $(j "(d['splitcore']['rejected'], d['splitcore']['failed'])")"
[ "$(j "(d['injected'], d['injected_after_kick'])")" = "(1, 1)" ] ||
	die "injected, after a kick: $(j "(d['injected'], d['injected_after_kick'])")"
[ "$(j "d['splitcore']['grace_kicks']")" -ge 1 ] || die "no grace kick"
[ "$(j "d['splitcore']['cpu_vcpu']")" != "$(j "d['splitcore']['cpu_poller']")" ] || die "one CPU for both"
echo "kvm: ring ($where): 22 checks, 8 garbage slots rejected and counted, the monitor stayed up;" \
	"exit 42 through the ring; grace kicks $(j "d['splitcore']['grace_kicks']");" \
	"$rt (the guest's); handling console $(j "'%.0f' % d['splitcore']['handle_ns']['console']['avg']") ns," \
	"pickup at most $(j "'%.0f' % d['splitcore']['pickup_avg_ns']") ns avg (the poller's)"

# drain NAME STATUS: the run ends under the poller's feet; every line comes out
drain() {
	run_previrt "$T/$1.out" "$T/$1.err" run --mode splitcore -m 64M --wedge "$T/$1.elf" \
		--kernel "$GUEST_ELF" --disk "$T/disk.img" --stats-file "$T/$1.json"
	[ "$rc" -eq "$2" ] || { cat "$T/$1.err" >&2; die "$1: exit $rc, want $2"; }
	{ seq 1 7 | sed 's/^/ok /'; seq -f 'line %02g' 1 60; } | diff -u - "$T/$1.out" >&2 ||
		die "$1: the 60 lines did not all come out, in order"
	echo "kvm: $1: status $2 with 60 lines posted: all on stdout, in order;" \
		"$(json "$T/$1.json" "d['splitcore']['drained']") of them drained after the end"
}
if [ "$where" = local ]; then
	drain drain 33
	drain drain-triple 126
fi

if [ "$where" = local ] && command -v taskset >/dev/null; then
	WRAP="taskset -c 0" run_previrt "$T/one.out" "$T/one.err" "${args[@]}"
	[ "$rc" -eq 125 ] && [ "$(wc -l <"$T/one.err")" -eq 1 ] &&
		grep -q '^previrt: --mode splitcore needs two CPUs, one for the vCPU and one for the polling thread; this process may use 1' "$T/one.err" ||
		{ cat "$T/one.err" >&2; die "on one CPU: exit $rc"; }
	echo "kvm: on one CPU: $(cat "$T/one.err")"
fi
