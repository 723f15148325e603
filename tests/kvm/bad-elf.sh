#!/usr/bin/env bash
# kvm-bad-elf: bad kernels, wedges and initrds, under ASan + UBSan.  Each
# is refused with one line "previrt: FILE: what is wrong" and exit 125,
# before /dev/kvm is opened (so this runs on any machine).  The corrupt
# ELF files are copies of the test guest broken in one field each
# (badelf.py).
# shellcheck source=tests/kvm/lib.sh
. "$(dirname "$0")/lib.sh"
work_dir bad-elf
mk previrt-san test-guest
G=$GUEST_ELF
python3 tests/kvm/badelf.py "$G" "$T/elf"

# refused "MESSAGE PART" ARGS...: exit 125, one line on stderr saying it.
refused() {
	local want=$1
	shift
	run_previrt "$T/out" "$T/err" run -m 64M "$@"
	[ "$rc" -eq 125 ] || { cat "$T/err" >&2; die "previrt run $*: exit $rc, want 125"; }
	[ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err" >&2; die "previrt run $*: not one line"; }
	grep -q -F -- "$want" "$T/err" || die "previrt run $*: '$(cat "$T/err")' does not say '$want'"
	[ ! -s "$T/out" ] || die "previrt run $*: wrote to stdout"
	echo "kvm: $(sed "s|$T/||g; s|$BUILD/||g" "$T/err")"
}

# kernel NAME "MESSAGE PART": the broken copy NAME is refused, named first.
kernel() {
	refused "$2" --kernel "$T/elf/$1.elf"
	grep -q "^previrt: $T/elf/$1.elf: " "$T/err" || die "$1: the message does not name the file"
}

kernel truncated-header "truncated ELF header"
kernel class32 "not a little-endian ELF64 file"
kernel big-endian "not a little-endian ELF64 file"
kernel machine "not an x86-64 ELF file"
kernel type-dyn "not an ELF executable (ET_EXEC)"
kernel phoff "program headers lie outside the file"
kernel phnum0 "no program headers"
kernel phentsize "program header size is not 56"
kernel load-offset "runs past the end of the file"
kernel half "runs past the end of the file"
kernel filesz-memsz "above its memory size"
kernel overlap "overlaps another at physical"
kernel load-low "lies below 1 MiB (the monitor's boot data)"
kernel load-beyond-ram "lies outside guest RAM"
kernel entry "the entry point 0x12345678 is not inside an executable PT_LOAD"

: >"$T/empty"
printf 'not an elf at all\n' >"$T/text"
refused "$T/empty: not an ELF file" --kernel "$T/empty"
refused "$T/text: not an ELF file" --kernel "$T/text"
refused "$T/nonexistent: No such file or directory" --kernel "$T/nonexistent"
refused "$T: not a regular file" --kernel "$T"
refused "$T/nonexistent: No such file or directory" --kernel "$G" --initrd "$T/nonexistent"
head -c $((70 * 1024 * 1024)) /dev/zero >"$T/big.initrd"
refused "big.initrd: 73400320 bytes do not fit in guest RAM beside the kernel" \
	--kernel "$G" --initrd "$T/big.initrd"

# --mode previrt: the kernel is module 0, checked here; the wedge too.
refused "$T/elf/phoff.elf: program headers lie outside the file" \
	--mode previrt --kernel "$T/elf/phoff.elf"
refused "$T/text: not an ELF file" --mode previrt --kernel "$G" --wedge "$T/text"
refused "no PVH entry (Xen note 18, XEN_ELFNOTE_PHYS32_ENTRY)" \
	--mode previrt --kernel "$G" --wedge "$T/elf/no-pvh-note.elf"
refused "must lie in guest RAM between 1 MiB and 1 GiB, clear of the wedge" \
	--mode previrt --kernel "$G" --wedge "$G"
refused "big.initrd: 73400320 bytes do not fit in guest RAM below 1 GiB" \
	--mode previrt --kernel "$G" --initrd "$T/big.initrd"
