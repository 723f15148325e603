# shellcheck shell=bash disable=SC2034
# Shared by the tests/guest scripts (sourced, not run).  Run from the
# repository root; BUILD and AFTERBURN come from `make check` (defaults
# below for running by hand).  Each test works in $BUILD/tests/guest/NAME.
set -euo pipefail

die() { echo "guest: $*" >&2; exit 1; }
skip() { echo "guest: skip: $*"; exit 77; }

if [ ! -f Makefile ] || [ ! -d tests/guest ]; then die "run from the repository root"; fi
BUILD=$(realpath -m "${BUILD:-build}")
AFTERBURN=${AFTERBURN:-$BUILD/bin/afterburn}
export BUILD AFTERBURN

GUEST_ELF=$BUILD/guest/guest.elf
GUEST_EXCEPTIONS=tests/guest/audit-exceptions.txt
# Checks that pass on QEMU's default CPU model (qemu64, TCG); the others
# are skipped there for a missing CPUID feature.
GUEST_MIN_PASS=105
KERNEL_VIRT_BASE=0xffffffff80000000
qemu_rc=0 # set by boot_guest

# work_dir NAME: a fresh $T for this test.
work_dir() {
	T=$BUILD/tests/guest/$1
	rm -rf "$T"
	mkdir -p "$T"
}

# mk TARGET...: the project's make (quiet; its output shown on failure).
mk() {
	make --no-print-directory BUILD="$BUILD" "$@" >"$T/make.log" 2>&1 ||
		{ cat "$T/make.log" >&2; die "make $* failed"; }
}

# The kind names of include/afterburn/abi.h, in table order (kind 1 first).
kind_names() {
	grep -o '^[[:space:]]*X([A-Z0-9_]*, *"[^"]*"' include/afterburn/abi.h | sed 's/.*"\(.*\)"$/\1/'
}

# boot_guest LOG [APPEND]: boot the guest on the bare platform (QEMU TCG)
# with its exit device; the serial output goes to LOG (CRs removed), the
# exit status to $qemu_rc.  (-monitor none: with -nographic alone QEMU
# puts its monitor on stdio too and refuses -serial stdio.)
boot_guest() {
	local log=$1 append=${2:-}
	command -v qemu-system-x86_64 >/dev/null ||
		die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
	set +e
	timeout -k 5 "${GUEST_TIMEOUT:-60}" qemu-system-x86_64 -accel tcg -kernel "$GUEST_ELF" \
		-append "$append" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-nographic -serial stdio -monitor none -no-reboot -m 128M \
		</dev/null 2>"$log.stderr" | tr -d '\r' >"$log"
	qemu_rc=${PIPESTATUS[0]}
	set -e
	if [ -s "$log.stderr" ]; then sed 's/^/qemu: /' "$log.stderr" >&2; fi
}
