#!/usr/bin/env bash
# kvm-guest-*: the test guest under previrt on this machine's /dev/kvm
# (skipped without one), with the sanitized monitor.
#
# usage: tests/kvm/guest.sh full|full-hcall|previrt-native|previrt|splitcore
#   full            --mode full, exit through isa-debug-exit
#   full-hcall      --mode full, exit=hypercall (AB_HC_EXIT)
#   previrt-native  --mode previrt, the wedge's native backend: the real
#                   ports, served by the monitor (no PIC or PIT there:
#                   timer and hlt are skipped)
#   previrt         --mode previrt, the wedge's kvm backend (its probe finds
#                   the monitor): hypercalls and the shared-page interrupts
#   splitcore       --mode splitcore, the wedge's splitcore backend: the
#                   console through the ring, interrupts at safe points, the
#                   polling thread on the second CPU (skipped on one CPU)
#
# Each must pass as on the bare platform (tests/guest/bare.sh's verdict),
# with the checks this KVM cannot run skipped (lib.sh says why).  The
# stats (--stats-file) must agree with the serial output byte for byte:
# every console byte counted once, and stdout holding nothing else.
# shellcheck source=tests/kvm/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: guest.sh full|full-hcall|previrt-native|previrt|splitcore"
what=$1
work_dir "guest-$what"
need_kvm
mk previrt previrt-san test-guest

kind=$(kvm_kind)
skips= min=$HOST_MIN_PASS
if [ "$kind" = software ]; then
	skips=$SOFT_SKIP min=$SOFT_MIN_PASS
	echo "kvm: this /dev/kvm is the software kvm_pvm; skipped, and why:"
	soft_skip_reasons
fi
append="${skips:+skip=$skips}"
args=(run --kernel "$GUEST_ELF" --stats-file "$T/stats.json")
case $what in
full) ;;
full-hcall) append="$append exit=hypercall" ;;
previrt-native)
	append="wedge.backend=native ${append:+$append,}timer,hlt"
	[ -n "$skips" ] || append="wedge.backend=native skip=timer,hlt"
	min=$((min - 10)) # the timer (7) and hlt (3) checks
	args+=(--mode previrt) ;;
previrt) args+=(--mode previrt) ;;
splitcore)
	[ "$(nproc)" -ge 2 ] || skip "one CPU here: --mode splitcore needs two"
	args+=(--mode splitcore) ;;
*) die "unknown case '$what'" ;;
esac
log=$T/serial.log
echo "kvm: previrt ${args[*]//$BUILD\//} --append \"$append\""
KVM_TIMEOUT=300 run_previrt "$log" "$T/stderr" "${args[@]}" --append "$append"
if [ -s "$T/stderr" ]; then sed 's/^/    stderr: /' "$T/stderr"; fi
[ "$rc" -ne 124 ] || die "timeout"
check_guest "$log" "$rc" "$min" "$append"

# The stats against the serial output.
bytes=$(stat -c %s "$log")
[ "$(json "$T/stats.json" "d['console_bytes']")" -eq "$bytes" ] ||
	die "stats: console_bytes $(json "$T/stats.json" "d['console_bytes']"), stdout has $bytes bytes"
[ "$(json "$T/stats.json" "d['status']")" -eq 1 ] || die "stats: status is not 1"
json "$T/stats.json" "d['kvm_vcpu']['available']" | grep -q True ||
	echo "kvm: note: no KVM binary stats: $(json "$T/stats.json" "d['kvm_vcpu']['why']")"
uart_out=$(json "$T/stats.json" "sum(p['count'] for p in d['pio'] if p['port'] == 0x3f8 and p['dir'] == 'out')")
hc=$(json "$T/stats.json" "d['hypercalls']")
case $what in
full|full-hcall|previrt-native)
	# every console byte is one out to the THR that reached the monitor,
	# plus the divisor latch's low byte (console_init, with DLAB set)
	[ "$uart_out" -eq $((bytes + 1)) ] ||
		die "stats: $uart_out writes to 0x3f8, $bytes bytes on stdout (want one more: DLL)" ;;
previrt)
	grep -a -q '^wedge: backend kvm: [0-9]* sites patched' "$log" ||
		die "the wedge did not choose its kvm backend"
	[ "$(json "$T/stats.json" "d['hypercalls'].get('hello', 0)")" -eq 1 ] ||
		die "stats: not one HELLO: $hc"
	[ "$(json "$T/stats.json" "d['hypercalls'].get('console', 0)")" -gt 0 ] ||
		die "stats: no console hypercall: $hc"
	# the timer check's ticks and the hlt check's, at least
	inj=$(json "$T/stats.json" "d['injected']")
	[ "$inj" -ge 8 ] || die "stats: only $inj interrupts injected" ;;
splitcore)
	grep -a -q '^wedge: backend splitcore: [0-9]* sites patched' "$log" ||
		die "the wedge did not choose its splitcore backend"
	[ "$(json "$T/stats.json" "d['hypercalls'].get('hello', 0)")" -eq 1 ] ||
		die "stats: not one HELLO: $hc"
	ring=$(json "$T/stats.json" "d['splitcore']['requests']")
	[ "$(json "$T/stats.json" "d['splitcore']['requests']['console']")" -gt 100 ] &&
		[ "$(json "$T/stats.json" "d['splitcore']['requests']['exit']")" -eq 1 ] ||
		die "stats: ring requests $ring"
	[ "$(json "$T/stats.json" "d['splitcore']['rejected']")" -eq 0 ] || die "stats: the wedge's requests rejected"
	[ "$(json "$T/stats.json" "d['end']")" = "the guest posted AB_RING_EXIT" ] ||
		die "stats: the run did not end through the ring" ;;
esac
case $what in
full-hcall)
	[ "$(json "$T/stats.json" "d['hypercalls'].get('exit', 0)")" -eq 1 ] ||
		die "stats: no exit hypercall: $hc"
	[ "$(json "$T/stats.json" "d['end']")" = "the guest called AB_HC_EXIT" ] ||
		die "stats: the run did not end through AB_HC_EXIT" ;;
previrt-native)
	grep -a -q '^wedge: backend native: [0-9]* sites patched' "$log" ||
		die "the wedge did not patch with native" ;;
esac
echo "kvm: stats agree: $bytes console bytes, $uart_out THR writes, hypercalls $hc," \
	"$(json "$T/stats.json" "d['injected']") injected, $(json "$T/stats.json" "sum(d['monitor_exits'].values())") exits to the monitor," \
	"$(json "$T/stats.json" "d['wall_s']") s"
