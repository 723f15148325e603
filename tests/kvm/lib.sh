# shellcheck shell=bash disable=SC2034
# Shared by the tests/kvm scripts (sourced): the monitor, previrt
# (backends/kvm/monitor, docs/monitor.md).  Builds on tests/guest/lib.sh
# (kind_names, mk, the test guest's path).
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/../guest/lib.sh"

die() { echo "kvm: $*" >&2; exit 1; }
skip() { echo "kvm: skip: $*"; exit 77; }

PREVIRT=$BUILD/bin/previrt
PREVIRT_SAN=$BUILD/san/bin/previrt

# work_dir NAME: a fresh $T for this test.
work_dir() {
	T=$BUILD/tests/kvm/$1
	rm -rf "$T"
	mkdir -p "$T"
}

# The checks the software KVM of the development machines (kvm_pvm, every
# guest instruction through KVM's instruction emulator) cannot run, found by
# running the test guest there (docs/monitor.md, "Testing"):
SOFT_SKIP=lar-lsl,int-n,user,syscall,user-pf,xsetbv,smap
soft_skip_reasons() {
	cat <<'EOF'
    lar-lsl            lar (0f 02) is not in KVM's emulator: emulation failure
    int-n              int $0x40: emulation failure
    user, syscall,     the emulated syscall from ring 3 stays at CPL 3: #PF
    user-pf            fetching the LSTAR entry (error 0x5, cs 0x2b)
    xsetbv             xgetbv: emulation failure
    smap               stac: emulation failure
EOF
}
SOFT_MIN_PASS=87
# kvm-host: QEMU 7.2's TCG aborts ("tcg_handle_interrupt: assertion failed:
# (qemu_mutex_iothread_locked())") when a nested SVM guest writes %cr8,
# which the cr check does; everything else passes there.
HOST_SKIP=cr
HOST_MIN_PASS=104

# need_kvm: skip unless this machine has a /dev/kvm we may use.
# tiny_guest SRC NAME [CPP FLAGS...]: $T/NAME.elf from tests/kvm/SRC (a
# tiny guest: disk.S, ring.S, tiny.S), linked with tiny.ld.
tiny_guest() {
	local src=$1 name=$2
	shift 2
	gcc -c "$@" -o "$T/$name.o" "tests/kvm/$src" || die "cannot assemble $src for $name ($*)"
	ld -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments \
		-T tests/kvm/tiny.ld -o "$T/$name.elf" "$T/$name.o" || die "cannot link $name.elf"
}

# kvm_host_verdict STATUS STDERR: after tests/platform/kvm-host-run.sh, skip
# when its image cannot be built (77), fail on its own "kvm-host: error:"
# line (its progress lines are not failures); else the command's STATUS stands.
kvm_host_verdict() {
	local rc=$1 err=$2
	[ "$rc" -ne 77 ] || skip "the kvm-host platform is unavailable: $(grep '^kvm-host:' "$err" | tail -n 1)"
	! grep -q '^kvm-host: error: ' "$err" ||
		die "the platform failed (status $rc): $(grep '^kvm-host: error: ' "$err" | head -n 1)"
}

need_kvm() {
	[ -c /dev/kvm ] || skip "no /dev/kvm on this machine"
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "no permission for /dev/kvm"
}

# kvm_kind: "software" (kvm_pvm), "hardware-assisted" or "unknown" (previrt info).
kvm_kind() {
	"$PREVIRT" info | sed -n 's/^kind: *\([a-z-]*\).*/\1/p'
}

# run_previrt OUT ERR ARGS...: previrt (or $RUN, e.g. the sanitized one)
# with stdout and stderr to files; the exit status in $rc.  $WRAP, when
# set, is a command (words without spaces) that runs it, e.g. taskset.
run_previrt() {
	local out=$1 err=$2
	shift 2
	set +e
	# shellcheck disable=SC2086 # WRAP is split into words on purpose
	timeout -k 5 "${KVM_TIMEOUT:-120}" ${WRAP:-} "${RUN:-$PREVIRT_SAN}" "$@" </dev/null >"$out" 2>"$err"
	rc=$?
	set -e
}

# check_guest LOG STATUS MIN_PASS CMDLINE: the test guest's verdict, as
# tests/guest/bare.sh reads it: the exit status, no FAIL, the summary last
# with 0 failed and >= MIN_PASS passed, the COUNT table complete, and every
# skip= check of CMDLINE skipped.
check_guest() {
	local log=$1 status=$2 min=$3 cmdline=$4 summary passed w c
	if grep -a -q '^FAIL\|^UNEXPECTED' "$log"; then
		grep -a '^FAIL\|^UNEXPECTED' "$log" >&2
		die "the guest reported failures (exit status $status)"
	fi
	summary=$(grep -a . "$log" | tail -n 1)
	[[ $summary =~ ^([0-9]+)\ passed,\ 0\ failed(,\ [0-9]+\ skipped)?$ ]] ||
		{ tail -n 20 "$log" >&2; die "the last line is not a passing summary: '$summary' (status $status)"; }
	passed=${BASH_REMATCH[1]}
	[ "$status" -eq 1 ] || die "exit status $status, want 1 (the guest's pass)"
	[ "$passed" -ge "$min" ] || die "only $passed checks passed, want at least $min"
	diff -u --label abi.h --label 'COUNT lines' <(kind_names) \
		<(sed -n 's/^COUNT: \([a-z0-9-]*\) [0-9][0-9]*$/\1/p' "$log") ||
		die "the COUNT table does not list every kind of abi.h once, in order"
	grep -a -q '^COUNT-END$' "$log" || die "no COUNT-END"
	! grep -a -q '^COUNT-INEXACT' "$log" || die "$(grep -a '^COUNT-INEXACT' "$log")"
	for w in $cmdline; do
		[[ $w == skip=* ]] || continue
		IFS=, read -r -a names <<<"${w#skip=}"
		for c in "${names[@]}"; do
			grep -a -q "^SKIP: $c: skipped on the command line$" "$log" ||
				die "check '$c' was not skipped"
		done
	done
	echo "kvm: guest: $summary; exit status 1"
}

# json FILE EXPR: a value from a JSON file (python3), e.g. json s.json "d['status']".
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
