# shellcheck shell=bash disable=SC2034
# Shared by the tests/linux scripts and bench/linux-*.sh (sourced, not run).
# Run from the repository root; BUILD, AFTERBURN, AFTERBURN_AS come from
# `make check` / `make bench` (defaults below for running by hand).

die() { echo "linux: $*" >&2; exit 1; }
skip() { echo "linux: skip: $*"; exit 77; }

[ -f Makefile ] && [ -d guest-patches/linux-6.1 ] || die "run from the repository root"
BUILD=$(realpath -m "${BUILD:-build}")
AFTERBURN=${AFTERBURN:-$BUILD/bin/afterburn}
AFTERBURN_AS=${AFTERBURN_AS:-$BUILD/libexec/afterburn/as}
export BUILD AFTERBURN AFTERBURN_AS

LINUX_DIR=$BUILD/linux-6.1
LINUX_VARIANTS=(plain afterburned)
INITRAMFS=$BUILD/initramfs/initramfs.cpio
EXCEPTIONS=guest-patches/linux-6.1/audit-exceptions.txt

# mk TARGET...: the project's make.
mk() {
	make --no-print-directory BUILD="$BUILD" "$@" || die "make $* failed"
}

bzimage() { echo "$LINUX_DIR/$1/arch/x86/boot/bzImage"; }

# need_afterburn: the afterburn tool must exist (it is not skipped: a missing
# tool is a failure).
need_afterburn() {
	[ -x "$AFTERBURN" ] || die "$AFTERBURN missing (make tools)"
}

# AFTERBURN-* lines of a serial log with the timing values masked:
# key_ns=123.4 -> key_ns=#  (units ns, us, ms, s).
marker_lines() {
	grep -a '^AFTERBURN-' "$1" | sed -E 's/([A-Za-z0-9_]+_(ns|us|ms|s))=[0-9.]+/\1=#/g'
}
