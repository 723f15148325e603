#!/usr/bin/env bash
# kvm-options: previrt's command line, under ASan + UBSan.  Help and
# version print on stdout and exit 0; every misuse is one line
# "previrt: ..." on stderr and exit 125, before /dev/kvm is opened; a
# missing /dev/kvm is one line too (checked in a mount namespace where
# /dev is empty, when this machine allows one).  --disk: a missing file,
# a directory, an empty file, a size that is not whole sectors, a file
# that cannot be opened for writing (a read-only bind mount, or mode 0444
# when not root) without --disk-readonly, a file locked by another
# process, --disk-readonly alone; a bad disk is found before /dev/kvm.
# shellcheck source=tests/kvm/lib.sh
. "$(dirname "$0")/lib.sh"
work_dir options
mk previrt-san test-guest
G=$GUEST_ELF

# usage_error "MESSAGE PART" ARGS...: exit 125 with one matching line.
usage_error() {
	local want=$1 lines
	shift
	run_previrt "$T/out" "$T/err" "$@"
	[ "$rc" -eq 125 ] || { cat "$T/err" >&2; die "previrt $*: exit $rc, want 125"; }
	[ ! -s "$T/out" ] || die "previrt $*: wrote to stdout: $(head -c 200 "$T/out")"
	lines=$(wc -l <"$T/err")
	[ "$lines" -eq 1 ] || { cat "$T/err" >&2; die "previrt $*: $lines lines on stderr, want 1"; }
	grep -q -F -- "$want" "$T/err" || die "previrt $*: '$(cat "$T/err")' does not say '$want'"
	grep -q '^previrt: ' "$T/err" || die "previrt $*: no 'previrt: ' prefix: $(cat "$T/err")"
	local args="$*"
	[ ${#args} -le 80 ] || args="${args:0:60}... (${#args} characters)"
	echo "kvm: previrt ${args//$BUILD\//}: $(cat "$T/err")"
}

run_previrt "$T/out" "$T/err" --help
[ "$rc" -eq 0 ] && grep -q '^usage: previrt run' "$T/out" || die "previrt --help: exit $rc"
run_previrt "$T/out" "$T/err" --version
[ "$rc" -eq 0 ] && grep -q '^previrt [0-9]' "$T/out" || die "previrt --version: exit $rc"
run_previrt "$T/out" "$T/err" run --help
[ "$rc" -eq 0 ] || die "previrt run --help: exit $rc"
for w in --kernel --initrd --append --mode --wedge --stats --stats-file --timeout --disk \
	--disk-readonly splitcore 124 125 126 127; do
	grep -q -- "$w" "$T/out" || die "previrt run --help does not mention $w"
done
run_previrt "$T/out" "$T/err"
[ "$rc" -eq 125 ] && grep -q '^usage:' "$T/err" || die "previrt without a command: exit $rc"
echo "kvm: --help, --version, run --help: exit 0 on stdout; no command: usage on stderr, 125"

usage_error "unknown command 'start'" start
usage_error "--kernel FILE is missing" run
usage_error "unknown option '--bogus'" run --kernel "$G" --bogus
usage_error "needs a value" run --kernel
usage_error "-m 1K: want 4M..256G" run --kernel "$G" -m 1K
usage_error "-m lots: want" run --kernel "$G" -m lots
usage_error "-m 9999G: want" run --kernel "$G" -m 9999G
usage_error "--mode fast: want full, previrt or splitcore" run --kernel "$G" --mode fast
usage_error "--stats=xml: want table or json" run --kernel "$G" --stats=xml
usage_error "--timeout 0: want a positive number" run --kernel "$G" --timeout 0
usage_error "--timeout -3: want a positive number" run --kernel "$G" --timeout -3
usage_error "--timeout soon: want" run --kernel "$G" --timeout soon
usage_error "--wedge needs --mode previrt or splitcore" run --kernel "$G" --wedge "$G"
usage_error "unexpected argument 'extra'" run --kernel "$G" extra
usage_error "info: unexpected argument '--bogus'" info --bogus
usage_error "--append: 3000 bytes, at most 2047" run --kernel "$G" --append "$(printf '%3000s' x)"

# --disk FILE
usage_error "--disk-readonly needs --disk FILE" run --kernel "$G" --disk-readonly
usage_error "--disk $T/none.img: No such file or directory" run --kernel "$G" --disk "$T/none.img"
usage_error "--disk $T: a directory, not a disk image" run --kernel "$G" --disk "$T"
: >"$T/empty.img"
usage_error "--disk $T/empty.img: 0 bytes, empty: no sector" run --kernel "$G" --disk "$T/empty.img"
head -c 1000 /dev/zero >"$T/odd.img"
usage_error "--disk $T/odd.img: 1000 bytes, not a multiple of 512" run --kernel "$G" --disk "$T/odd.img"
usage_error "--disk /dev/null: not a regular file or a block device" run --kernel "$G" --disk /dev/null
truncate -s 64K "$T/disk.img"
if command -v flock >/dev/null; then
	WRAP="flock -x $T/disk.img" usage_error "--disk $T/disk.img: in use by another process" \
		run --kernel "$G" --disk "$T/disk.img"
fi
ro_want="--disk $T/ro.img: cannot be opened for writing (Read-only file system); --disk-readonly gives the guest a read-only disk"
truncate -s 64K "$T/ro.img"
if [ "$(id -u)" -ne 0 ]; then
	chmod 0444 "$T/ro.img"
	usage_error "${ro_want/Read-only file system/Permission denied}" run --kernel "$G" --disk "$T/ro.img"
elif unshare -m true 2>/dev/null; then
	# Root may write any file: a read-only bind mount over it refuses.
	printf '%s\n' 'mount --bind -o ro "$RO" "$RO" && exec "$@"' >"$T/ro-wrap.sh"
	RO=$T/ro.img WRAP="unshare -m sh $T/ro-wrap.sh" usage_error "$ro_want" \
		run --kernel "$G" --disk "$T/ro.img"
else
	echo "kvm: not checked here: a read-only disk file (root, and no mount namespace)"
fi

# No /dev/kvm: a private mount namespace with an empty /dev.
if unshare -m true 2>/dev/null; then
	nodev() {
		set +e
		unshare -m sh -c 'mount -t tmpfs none /dev && exec "$0" "$@"' \
			"$PREVIRT_SAN" "$@" >"$T/out" 2>"$T/err"
		rc=$?
		set -e
		[ "$rc" -eq 125 ] || { cat "$T/err" >&2; die "without /dev/kvm: exit $rc, want 125"; }
	}
	nodev run --kernel "$G"
	[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^previrt: no /dev/kvm' "$T/err" ||
		die "without /dev/kvm: '$(cat "$T/err")'"
	echo "kvm: without /dev/kvm: $(cat "$T/err")"
	nodev run --kernel "$G" --disk "$T/odd.img"
	[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "^previrt: --disk $T/odd.img: 1000 bytes" "$T/err" ||
		die "a bad disk without /dev/kvm: '$(cat "$T/err")'"
	echo "kvm: a bad --disk is found before /dev/kvm is opened"
else
	echo "kvm: not checked here: a missing /dev/kvm (no mount namespace: unshare -m fails)"
fi
