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
