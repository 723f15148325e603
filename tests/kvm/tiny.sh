#!/usr/bin/env bash
# kvm-tiny: hand-made guests (tiny.S) on this machine's /dev/kvm, under
# the sanitized monitor: every way a run can end, malformed hypercalls,
# the console's partial line, and the previrt injection protocol.
#
#   triple      a triple fault: status 126, the register dump on stderr
#   mmio        code fetched from a hole in guest memory: 127, the dump
#   reset       the i8042 reset command: 0
#   debugexit   isa-debug-exit 0x21: 67 = (0x21 << 1) | 1; 0x7f: 123 (capped)
#   hcall       17 malformed and good hypercalls: "ok N" each, then 7
#   prompt      "prompt> " without a newline reaches stdout within 1 s
#               (not only at the end); --timeout then ends the run with
#               124, SIGTERM with 143, both with the stats printed
#   inject      --mode previrt with the tiny guest as the wedge: a bad
#               vector is never injected, a good one is, a timer deadline
#               wakes the halted vCPU no earlier than due: status 9
# shellcheck source=tests/kvm/lib.sh
. "$(dirname "$0")/lib.sh"
work_dir tiny
need_kvm
mk previrt-san test-guest

# build NAME PROG [CPP FLAGS...]: $T/NAME.elf from tiny.S
build() { tiny_guest tiny.S "$1" -DPROG_"$2" "${@:3}"; }
for p in triple mmio reset hcall prompt inject; do build "$p" "${p^^}"; done
build debugexit DEBUGEXIT -DDEBUGEXIT_VALUE=0x21
build debugexit-big DEBUGEXIT -DDEBUGEXIT_VALUE=0x7f

# ends NAME STATUS ARGS...: run $T/NAME.elf; want STATUS
ends() {
	local name=$1 want=$2
	shift 2
	run_previrt "$T/$name.out" "$T/$name.err" run --kernel "$T/$name.elf" "$@"
	[ "$rc" -eq "$want" ] || { cat "$T/$name.err" >&2; die "$name: exit $rc, want $want"; }
}

ends triple 126
for w in "the guest shut down (triple fault)" "last exit: shutdown" "rip 0x" "cr0 0x" "efer 0x" \
	"cs  0x0010" "ss  0x0018" "code at physical 0x"; do
	grep -q -F -- "$w" "$T/triple.err" || { cat "$T/triple.err" >&2; die "triple: no '$w'"; }
done
grep -q "^previrt:   code at physical 0x[0-9a-f]*: 0f 0b" "$T/triple.err" ||
	die "triple: the dump does not show the ud2 at rip"
echo "kvm: triple fault: status 126, registers dumped"

ends mmio 127
grep -q "^previrt: KVM internal error" "$T/mmio.err" && grep -q "rip 0x00000000d0000000" "$T/mmio.err" ||
	{ cat "$T/mmio.err" >&2; die "mmio: no internal error at rip 0xd0000000"; }
echo "kvm: code fetched from outside RAM: status 127, $(grep -o 'last exit: [^,]*' "$T/mmio.err")"

ends reset 0
echo "kvm: i8042 reset: status 0"
ends debugexit 67
ends debugexit-big 123
grep -q "isa-debug-exit: 0x7f gives status 255, above 123: ending with 123" "$T/debugexit-big.err" ||
	die "debugexit-big: $(cat "$T/debugexit-big.err")"
echo "kvm: isa-debug-exit 0x21: status 67; 0x7f: 123, said on stderr"

ends hcall 7 -m 64M --stats-file "$T/hcall.json"
{ for i in $(seq 1 7); do echo "ok $i"; done; echo hello
  for i in $(seq 8 16); do echo "ok $i"; done; } >"$T/hcall.want"
cmp "$T/hcall.want" "$T/hcall.out" || { diff "$T/hcall.want" "$T/hcall.out" >&2; die "hcall: output differs"; }
[ ! -s "$T/hcall.err" ] || { cat "$T/hcall.err" >&2; die "hcall: the monitor said something"; }
[ "$(json "$T/hcall.json" "d['hypercalls']")" = \
	"{'hello': 4, 'console': 4, 'exit': 5, 'kick': 1, 'disk': 1, 'nr9': 1}" ] ||
	die "hcall: counted $(json "$T/hcall.json" "d['hypercalls']")"
echo "kvm: 16 malformed or good hypercalls answered as abi.h says, stdout byte for byte; counts" \
	"$(json "$T/hcall.json" "d['hypercalls']"), refused $(json "$T/hcall.json" "d['hypercalls_refused']")," \
	"unanswerable $(json "$T/hcall.json" "d['hypercalls_unanswerable']")"

# prompt: the partial line shows up on the console timer, long before the end.
"$PREVIRT_SAN" run --kernel "$T/prompt.elf" --timeout 3 --stats >"$T/prompt.out" 2>"$T/prompt.err" &
pid=$!
sleep 1
[ "$(cat "$T/prompt.out")" = "prompt> " ] || { kill "$pid"; die "prompt: after 1 s stdout is '$(cat "$T/prompt.out")'"; }
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 124 ] || die "prompt --timeout 3: exit $rc, want 124"
grep -q "^previrt: timeout: the guest ran for 3.000 s (--timeout)" "$T/prompt.err" &&
	grep -q "^previrt: stats: .* status 124 (--timeout expired)" "$T/prompt.err" ||
	{ cat "$T/prompt.err" >&2; die "prompt: no timeout message or stats"; }
grep -q "^previrt:   rip 0x" "$T/prompt.err" || { cat "$T/prompt.err" >&2; die "prompt: no register dump at the timeout"; }
echo "kvm: a partial line reaches stdout within 1 s; --timeout: status 124, a register dump, stats printed"
"$PREVIRT_SAN" run --kernel "$T/prompt.elf" --stats >"$T/term.out" 2>"$T/term.err" &
pid=$!
sleep 1
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 143 ] && grep -q "^previrt: Terminated: ending the run" "$T/term.err" &&
	grep -q "status 143" "$T/term.err" || { cat "$T/term.err" >&2; die "SIGTERM: exit $rc"; }
echo "kvm: SIGTERM: status 143, stats printed"

# inject: the tiny guest is the wedge (PVH); the kernel module is the test guest.
run_previrt "$T/inject.out" "$T/inject.err" run --mode previrt --wedge "$T/inject.elf" \
	--kernel "$GUEST_ELF" --stats-file "$T/inject.json"
printf '%s\n' "bad vector: not injected" "vector 0x30: injected, recorded" \
	"vector 0x31: at the deadline, recorded" >"$T/inject.want"
[ "$rc" -eq 9 ] && cmp -s "$T/inject.want" "$T/inject.out" ||
	{ cat "$T/inject.out" "$T/inject.err" >&2; die "inject: exit $rc"; }
[ "$(json "$T/inject.json" "d['injected']")" -eq 2 ] &&
	[ "$(json "$T/inject.json" "d['bad_vectors']")" -gt 0 ] &&
	[ "$(json "$T/inject.json" "d['halts']")" -ge 1 ] ||
	die "inject: stats $(json "$T/inject.json" "(d['injected'], d['bad_vectors'], d['halts'])")"
echo "kvm: previrt injection: a bad vector refused $(json "$T/inject.json" "d['bad_vectors']") times," \
	"2 injected, the timer woke the halted vCPU after $(json "$T/inject.json" "d['halted_s']") s"
