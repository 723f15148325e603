# shellcheck shell=bash
# Shared by the platform tests (tests/platform/tests.cfg; sourced): failing,
# skipping, and the image and kvm-smoke they need.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The tests are about the kvm-host machine itself, whatever the caller's
# environment says (PLATFORM_DIRECT=0 also silences the note a machine with
# a hardware KVM would get, which would be in the command's stderr).
export PLATFORM_DIRECT=0
unset PLATFORM_ADD PLATFORM_APPEND PLATFORM_CPU PLATFORM_SMP PLATFORM_MEM PLATFORM_VERBOSE PLATFORM_LOG

# shellcheck disable=SC2034 # used by the tests that source this
RUN=$PLATFORM_DIR/kvm-host-run.sh
KVM_SMOKE=$BUILD/platform/kvm-smoke

fail() { echo "FAIL: $*"; exit 1; }

# need_image: build the kvm-host image now (its messages would otherwise be
# in the first command's stderr); skip when the kernel package cannot be
# fetched, except in CI, where the Debian archive is reachable by contract.
need_image() {
	local rc=0
	"$PLATFORM_DIR/kvm-host-image.sh" || rc=$?
	case $rc in
	0) ;;
	"$PLATFORM_E_UNAVAILABLE")
		[ "${CI:-}" != true ] || fail "the kvm-host image cannot be built (CI=true: the Debian archive must be reachable)"
		echo "kvm-host platform unavailable: Debian's kernel package cannot be fetched"
		exit 77 ;;
	*) fail "tests/platform/kvm-host-image.sh exited with status $rc" ;;
	esac
}

need_kvm_smoke() {
	[ -x "$KVM_SMOKE" ] || fail "no $KVM_SMOKE (make kvm-smoke; make check builds it)"
}

# smoke_field OP KEY < kvm-smoke output: KEY's value on OP's line.
smoke_field() {
	sed -n "s/^kvm-smoke: op=$1 .*\\<$2=\\([^ ]*\\).*/\\1/p"
}

# check_smoke OUTPUT N LOOPS: the result lines of kvm-smoke -n N -l LOOPS
# are all there and consistent; sets insn_ns, out_ns and cpuid_ns.
check_smoke() {
	local out=$1 n=$2 loops=$3 v
	grep -qx "kvm-smoke: ok halted=1 port_exits=$n" <<<"$out" || fail "no 'kvm-smoke: ok' line"
	v=$(smoke_field insn n <<<"$out")
	[ "$v" = $((2 * loops)) ] || fail "insn n=$v, not $((2 * loops))"
	v=$(smoke_field out user_exits <<<"$out")
	[ "$v" = "$n" ] || fail "out user_exits=$v, not $n"
	v=$(smoke_field cpuid user_exits <<<"$out")
	[ "$v" = 0 ] || fail "cpuid user_exits=$v, not 0 (KVM serves cpuid itself)"
	insn_ns=$(smoke_field insn ns_per_op <<<"$out")
	out_ns=$(smoke_field out ns_per_op <<<"$out")
	cpuid_ns=$(smoke_field cpuid ns_per_op <<<"$out")
	[[ $insn_ns =~ ^[0-9.]+$ && $out_ns =~ ^[0-9.]+$ && $cpuid_ns =~ ^[0-9.]+$ ]] ||
		fail "no ns_per_op for every phase"
}
