#!/usr/bin/env bash
# kvm-disk: --disk with the tiny guests of disk.S on this machine's
# /dev/kvm (skipped without one), under the sanitized monitor; every disk
# has 128 sectors and the file is checked byte for byte afterwards.
#
#   ata          --mode full: the ATA channel by PIO (IDENTIFY, WRITE and
#                READ MULTIPLE by `rep outsw`/`rep insw`, FLUSH, IDNF past
#                the end): sectors 20-21 hold the pattern; every data word
#                arrived, the rep insw in exits of more than one item;
#                --console-times has the same lines, each stamped
#   pvdisk       --mode previrt, AB_HC_DISK: 7 malformed calls refused, a
#                write, a flush, the read back; sectors 10-11 hold it
#   pvdisk-ro    the same with --disk-readonly: HELLO says read-only, the
#                write is -AB_E_ROFS, the file is unchanged
#   pvdisk-eio   the disk on a full tmpfs (a mount namespace): the write's
#                ENOSPC comes back as -AB_E_IO, said once on stderr, and
#                the run goes on
# shellcheck source=tests/kvm/lib.sh
. "$(dirname "$0")/lib.sh"
work_dir disk
need_kvm
mk previrt-san test-guest

# build NAME PROG [CPP FLAGS...]: $T/NAME.elf from disk.S
build() { tiny_guest disk.S "$1" -DPROG_"$2" "${@:3}"; }
build ata ATA
build pvdisk PVDISK -DDISK_FLAGS=0 -DWRITE_RET=0 -DSAME=1
build pvdisk-ro PVDISK -DDISK_FLAGS=1 -DWRITE_RET=-30 -DSAME=1
build pvdisk-eio PVDISK -DDISK_FLAGS=0 -DWRITE_RET=-5 -DSAME=0

# pattern FILE FIRST_SECTOR: does FILE hold tiny-lib.inc's pattern (1 KiB) there?
pattern() {
	python3 - "$1" "$2" <<'EOF'
import sys
d = open(sys.argv[1], 'rb').read()
at = int(sys.argv[2]) * 512
sys.exit(0 if d[at:at + 1024] == bytes((7 * i + 3) & 255 for i in range(1024)) else 1)
EOF
}
# oks N FILE: FILE is "ok 1" .. "ok N", one a line (with extra lines allowed by $3)
oks() {
	local n=$1 file=$2
	diff <(seq 1 "$n" | sed 's/^/ok /') "$file" >&2 || die "$file: not 'ok 1' .. 'ok $n'"
}

# ata: full mode, the monitor's ATA model
truncate -s 64K "$T/ata.img"
run_previrt "$T/ata.out" "$T/ata.err" run -m 64M --kernel "$T/ata.elf" --disk "$T/ata.img" \
	--stats-file "$T/ata.json" --console-times "$T/ata.times"
[ "$rc" -eq 33 ] || { cat "$T/ata.out" "$T/ata.err" >&2; die "ata: exit $rc, want 33"; }
oks 11 "$T/ata.out"
# --console-times: the same lines, each after a time
sed 's/^[0-9]*\.[0-9]\{6\} //' "$T/ata.times" | cmp -s - "$T/ata.out" &&
	! grep -v -q '^[0-9]*\.[0-9]\{6\} ok ' "$T/ata.times" ||
	die "ata: --console-times is not the console with a time on each line"
pattern "$T/ata.img" 20 || die "ata: sectors 20-21 do not hold the pattern"
strings=$(json "$T/ata.json" "d['pio_strings']")
items=$(json "$T/ata.json" "d['pio_string_items']")
words() { json "$T/ata.json" "sum(p['count'] for p in d['pio'] if p['port'] == 0x1f0 and p['dir'] == '$1')"; }
# KVM batches a rep insw a page at a time; rep outsw may come an item per exit
[ "$(words in)" -eq 768 ] && [ "$(words out)" -eq 512 ] ||
	die "ata: $(words in) data words in, $(words out) out; want 256 + 512 and 512"
[ "$strings" -ge 2 ] && [ "$items" -ge 768 ] ||
	die "ata: $strings string exits with $items items, want the two rep insw at least"
[ "$(json "$T/ata.json" "(d['disk']['writes'], d['disk']['reads'], d['disk']['flushes'])")" = \
	"(1, 1, 1)" ] || die "ata: disk counts $(json "$T/ata.json" "d['disk']")"
echo "kvm: ata: 11 checks, the file holds what was written; $strings string exits moved $items words," \
	"$(json "$T/ata.json" "d['monitor_exits']['io']") port exits in all"

# pvdisk: AB_HC_DISK
truncate -s 64K "$T/pv.img"
run_previrt "$T/pv.out" "$T/pv.err" run --mode previrt -m 64M --wedge "$T/pvdisk.elf" \
	--kernel "$GUEST_ELF" --disk "$T/pv.img" --stats-file "$T/pv.json"
[ "$rc" -eq 5 ] || { cat "$T/pv.out" "$T/pv.err" >&2; die "pvdisk: exit $rc, want 5"; }
oks 14 "$T/pv.out"
[ ! -s "$T/pv.err" ] || { cat "$T/pv.err" >&2; die "pvdisk: the monitor said something"; }
pattern "$T/pv.img" 10 || die "pvdisk: sectors 10-11 do not hold the pattern"
[ "$(json "$T/pv.json" "(d['disk']['refused'], d['hypercalls']['disk'], d['hypercalls_refused'])")" = \
	"(7, 10, 7)" ] || die "pvdisk: counts $(json "$T/pv.json" "(d['disk'], d['hypercalls'])")"
echo "kvm: pvdisk: 7 malformed AB_HC_DISK refused with -AB_E_INVAL, write/flush/read, the file holds it"

# pvdisk-ro: the same file content before and after
python3 -c 'import sys; sys.stdout.buffer.write(b"\0" * 5120 + bytes((7 * i + 3) & 255 for i in range(1024)) + b"\0" * (65536 - 6144))' >"$T/ro.img"
sum=$(sha256sum <"$T/ro.img")
run_previrt "$T/ro.out" "$T/ro.err" run --mode previrt -m 64M --wedge "$T/pvdisk-ro.elf" \
	--kernel "$GUEST_ELF" --disk "$T/ro.img" --disk-readonly
[ "$rc" -eq 5 ] || { cat "$T/ro.out" "$T/ro.err" >&2; die "pvdisk-ro: exit $rc, want 5"; }
oks 14 "$T/ro.out"
[ "$(sha256sum <"$T/ro.img")" = "$sum" ] || die "pvdisk-ro: the read-only disk changed"
echo "kvm: pvdisk-ro: HELLO says read-only, the write is -AB_E_ROFS, the file is unchanged"

# pvdisk-eio: a sparse disk on a tmpfs that is full
if unshare -m true 2>/dev/null; then
	mkdir -p "$T/full"
	cat >"$T/eio.sh" <<'EOF'
mount -t tmpfs -o size=4k none "$FULL" || exit 99
head -c 4096 /dev/zero >"$FULL/filler" 2>/dev/null
truncate -s 64K "$FULL/disk.img" || exit 99
exec "$@"
EOF
	FULL=$T/full WRAP="unshare -m sh $T/eio.sh" run_previrt "$T/eio.out" "$T/eio.err" \
		run --mode previrt -m 64M --wedge "$T/pvdisk-eio.elf" --kernel "$GUEST_ELF" \
		--disk "$T/full/disk.img"
	[ "$rc" -eq 5 ] || { cat "$T/eio.out" "$T/eio.err" >&2; die "pvdisk-eio: exit $rc, want 5"; }
	oks 14 "$T/eio.out"
	[ "$(wc -l <"$T/eio.err")" -eq 1 ] &&
		grep -q "^previrt: disk $T/full/disk.img: write of 2 sectors at 10: No space left on device; the guest gets -AB_E_IO (said once)$" "$T/eio.err" ||
		{ cat "$T/eio.err" >&2; die "pvdisk-eio: not the one message on stderr"; }
	echo "kvm: pvdisk-eio: $(cat "$T/eio.err")"
else
	echo "kvm: not checked here: a host I/O error (no mount namespace for a full tmpfs)"
fi
