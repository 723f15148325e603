#!/usr/bin/env bash
# linux-boot-*: boot kernels natively on the bare platform (QEMU TCG) with
# the test initramfs; each must reach AFTERBURN-DONE.  With several
# variants, their AFTERBURN-* lines (timings masked) must be identical.
#
# usage: tests/linux/boot-native.sh VARIANT...   (plain, afterburned)
set -euo pipefail
. tests/linux/lib.sh

[ $# -ge 1 ] || die "usage: boot-native.sh VARIANT..."
targets=(initramfs)
for v in "$@"; do targets+=("linux-$v"); done
mk "${targets[@]}"

out=$BUILD/tests/linux
mkdir -p "$out"
for v in "$@"; do
	log=$out/boot-$v.log
	echo "linux: booting $v (serial log: $log)"
	scripts/qemu-bare.sh -q --timeout "${LINUX_BOOT_TIMEOUT:-90}" --log "$log" \
		--initrd "$INITRAMFS" "$(bzimage "$v")" || die "$v did not boot to AFTERBURN-DONE"
	! grep -a -q '^AFTERBURN-FAIL' "$log" || die "$v: $(grep -a '^AFTERBURN-FAIL' "$log" | head -n 1)"
	t_init=$(awk '/AFTERBURN-INIT: reached/ { print $1; exit }' "$log.times")
	t_done=$(awk '/AFTERBURN-DONE/ { print $1; exit }' "$log.times")
	echo "linux: $v: /init at ${t_init}s, done at ${t_done}s (host time since QEMU start)"
	grep -a '^AFTERBURN-' "$log" | sed 's/^/    /'
done

first=$1
shift
for v in "$@"; do
	if ! diff -u --label "$first" --label "$v" \
		<(marker_lines "$out/boot-$first.log") <(marker_lines "$out/boot-$v.log"); then
		die "the AFTERBURN-* lines of $first and $v differ"
	fi
	echo "linux: $first and $v print the same AFTERBURN-* lines"
done
