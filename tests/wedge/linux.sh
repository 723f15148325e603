#!/usr/bin/env bash
# wedge-linux-native, wedge-linux-trace: the afterburned Linux 6.1 through
# the wedge on the bare platform, from a packed image (`afterburn pack`:
# vmlinux, the test initramfs, console=ttyS0), next to the plain bzImage
# booted by scripts/qemu-bare.sh on the same machine.  Required:
#   - the wedge patches every site (as many as `afterburn sites vmlinux`)
#     and names the sites that run on the user's stack: the syscall
#     entry's swapgs and the sites on the way out to sysret, nothing else;
#   - Linux is entered at its ELF entry (startup_64, physical) with the
#     packed command line and the loader's, the wedge.* words removed;
#   - with a backend that calls into the wedge, the wedge is mapped at
#     home once (level2_fixmap_pgt, the hole at the top) and at its low
#     alias once, into early_top_pgt, the one table Linux loads from its
#     physical alias: never into a process's tables;
#   - /init reaches AFTERBURN-DONE, no AFTERBURN-FAIL, no wedge panic, QEMU
#     exits 0 (reboot -f resets the machine, -no-reboot ends QEMU);
#   - the AFTERBURN-* lines (timings masked) are the plain bzImage's.
# With trace, the dump printed at the reset (8042 pulse-reset) is complete
# (lib.sh check_trace_dump) and its totals add up: one sysret per syscall
# the workload made at least, two swapgs per sysret, exactly as many
# swapgs on the way to sysretq as sysretqs, an out per console byte, two
# %cr3 loads per fork+exec.  The most executed sites are printed.
#
# usage: tests/wedge/linux.sh BACKEND
# shellcheck source=tests/wedge/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/linux/lib.sh
. tests/linux/lib.sh

[ $# -eq 1 ] || die "usage: linux.sh BACKEND"
backend=$1
T=$BUILD/tests/wedge-linux/$backend
rm -rf "$T"
mkdir -p "$T"
mk initramfs linux-plain linux-afterburned wedge tools >"$T/make.log" 2>&1 ||
	{ cat "$T/make.log" >&2; die "make failed"; }
VMLINUX=$LINUX_DIR/afterburned/vmlinux
image=$T/linux.img
"$AFTERBURN" pack --kernel "$VMLINUX" --initrd "$INITRAMFS" --cmdline "console=ttyS0" -o "$image"

# Both boots get the same TSC hint (scripts/qemu-bare.sh explains it).
khz=${QEMU_BARE_TSC_KHZ:-}
if [ -z "$khz" ]; then
	helper=$BUILD/platform/bare/tsc-khz
	mkdir -p "$(dirname "$helper")"
	[ -x "$helper" ] || ${HOSTCC:-gcc} -O2 -Wall -Wextra -Werror -o "$helper" \
		tests/platform/bare/tsc-khz.c || die "cannot build $helper"
	khz=$("$helper")
fi
plain=$T/plain.log
QEMU_BARE_TSC_KHZ=$khz scripts/qemu-bare.sh -q --timeout "${LINUX_BOOT_TIMEOUT:-120}" \
	--log "$plain" --initrd "$INITRAMFS" "$(bzimage plain)" || die "the plain bzImage did not boot"

log=$T/serial.log
echo "wedge: booting $VMLINUX through the wedge, backend $backend (serial log: $log)"
boot_wedge_timed "$log" "$image" "tsc_early_khz=$khz tsc=reliable wedge.backend=$backend"
if grep -a -q 'wedge: PANIC' "$log"; then show_tail "$log"; die "the wedge panicked"; fi
[ "$qemu_rc" -ne 124 ] && [ "$qemu_rc" -ne 137 ] || { show_tail "$log"; die "timeout"; }

# The records: "ADDR KIND" and "ADDR WHERE KIND".
"$AFTERBURN" sites "$VMLINUX" | awk 'NR > 1 { print $1, $3 }' >"$T/sites.txt"
"$AFTERBURN" sites "$VMLINUX" | awk 'NR > 1 { print $1, $2, $3 }' >"$T/sites-where.txt"
want=$(wc -l <"$T/sites.txt")
grep -a -q "^wedge: backend $backend: $want sites patched" "$log" ||
	{ show_tail "$log"; die "the wedge did not say it patched all $want sites with $backend"; }

# The user's stack: the syscall entry's swapgs, and only sites of the way to sysret.
sed -n 's/^wedge: site at \(0x[0-9a-f]*\) kind \([a-z-]*\) runs on the user.s stack$/\1 \2/p' \
	"$log" >"$T/user-stack.txt"
awk 'NR == FNR { where[$1] = $2; next } { print $1, where[$1], $2 }' "$T/sites-where.txt" \
	"$T/user-stack.txt" >"$T/user-stack-where.txt"
grep -q ' entry_SYSCALL_64+0x0 swapgs$' "$T/user-stack-where.txt" ||
	die "the syscall entry's swapgs is not among the user-stack sites"
awk '$2 !~ /^(entry_SYSCALL_64|entry_SYSRETQ_unsafe_stack|ignore_sysret)\+/ { print; bad = 1 }
     END { exit bad }' "$T/user-stack-where.txt" >&2 ||
	die "a site outside the syscall entry and exit is marked as on the user's stack"
awk '$2 == "sysret"' "$T/sites.txt" | while read -r a _; do
	grep -q "^$a " "$T/user-stack.txt" || die "sysret at $a is not marked as on the user's stack"
done
echo "wedge: $(wc -l <"$T/user-stack.txt") sites on the user's stack:"
sed 's/^/    /' "$T/user-stack-where.txt"

entry=$(readelf -h "$VMLINUX" | awk '/Entry point/ { print $4 }')
grep -a -q "^wedge: entering the guest at $entry (physical entry)" "$log" ||
	die "the wedge did not enter Linux at its ELF entry $entry (physical)"
grep -a -q "^Command line: console=ttyS0 tsc_early_khz=$khz tsc=reliable *$" "$log" ||
	die "Linux got another command line: $(grep -a -m1 '^Command line:' "$log")"

if [ "$backend" != native ]; then
	sym() { printf '%#x' $(( 0x$(awk -v s="$1" '$3 == s { print $1 }' "$LINUX_DIR/afterburned/System.map") - 0xffffffff80000000 )); }
	home=$(grep -a '^wedge: mapped at 0xffffffffffe00000 (home)' "$log" || true)
	low=$(grep -a '^wedge: mapped at 0x7fe00000 (low alias)' "$log" || true)
	[ "$(printf '%s\n' "$home" | grep -c .)" -eq 1 ] || die "home linked: '$home', want once"
	[[ $home == *"tables at $(sym early_top_pgt): level-2 table $(sym level2_fixmap_pgt)" ]] ||
		die "home is not level2_fixmap_pgt[511] of early_top_pgt: $home"
	[ "$(printf '%s\n' "$low" | grep -c .)" -eq 1 ] || die "low alias linked: '$low', want once"
	[[ $low == *"tables at $(sym early_top_pgt):"* ]] ||
		die "the low alias went into other tables than early_top_pgt: $low"
	echo "wedge: mapped at home in level2_fixmap_pgt, at the low alias only in early_top_pgt"
fi

grep -a -q '^AFTERBURN-DONE' "$log" || { show_tail "$log"; die "no AFTERBURN-DONE"; }
! grep -a -q '^AFTERBURN-FAIL' "$log" || die "$(grep -a -m1 '^AFTERBURN-FAIL' "$log")"
[ "$qemu_rc" -eq 0 ] || die "QEMU exit status $qemu_rc, want 0 (the guest's reset)"
diff -u --label "plain bzImage" --label "wedge $backend" <(marker_lines "$plain") \
	<(marker_lines "$log") || die "the AFTERBURN-* lines differ from the plain bzImage's"
# Host seconds since QEMU started: Linux's first line, /init, done.
times() { awk '/Linux version/ && !k { k = $1 } /AFTERBURN-INIT: reached/ { i = $1 }
	       /AFTERBURN-DONE/ { d = $1; exit }
	       END { printf "Linux at %ss, /init at %ss, done at %ss", k, i, d }' "$1.times"; }
echo "wedge: the same AFTERBURN-* lines as the plain bzImage"
echo "wedge: plain bzImage: $(times "$plain")"
echo "wedge: through the wedge ($backend): $(times "$log")"
grep -a '^AFTERBURN-' "$log" | sed 's/^/    /'

[ "$backend" = trace ] || exit 0

check_trace_dump "$log" "$T/sites.txt"
kind() { awk -v k="$1" '$1 == k { print $2 }' "$T/trace-kinds.txt"; }
site() { awk -v w="$1" '$2 == w { print $1 }' "$T/sites-where.txt" |
	 { read -r a; awk -v a="$a" '$1 == a { c = $3 } END { print c + 0 }' "$T/trace-sites.txt"; }; }
cfg=$(grep -a -m1 '^AFTERBURN-WORKLOAD-CONFIG:' "$log")
[[ $cfg =~ syscall_iters=([0-9]+).*forkexec_iters=([0-9]+) ]] || die "no workload configuration"
syscalls=${BASH_REMATCH[1]} forks=${BASH_REMATCH[2]}
bytes=$(awk '/^Linux version/ { on = 1 } /^TRACE-BEGIN/ { on = 0 } on && !/^wedge:/' "$log" | wc -c)
lines=$(awk '/^Linux version/ { on = 1 } /^TRACE-BEGIN/ { on = 0 } on && !/^wedge:/' "$log" | wc -l)
out_exit=$(site entry_SYSRETQ_unsafe_stack+0x0)
sysretq=$(site entry_SYSRETQ_unsafe_stack+0x16)
plausible() { [ "$2" -ge "$3" ] || die "implausible trace: $1 is $2, want at least $3"; }
plausible sysret "$(kind sysret)" "$syscalls"
plausible swapgs "$(kind swapgs)" $(( 2 * $(kind sysret) ))
[ "$out_exit" -eq "$sysretq" ] && [ "$sysretq" -gt 0 ] ||
	die "swapgs before sysretq ran $out_exit times, sysretq $sysretq: want equal, non-zero"
plausible out "$(kind out)" $(( bytes + lines ))
plausible mov-to-cr "$(kind mov-to-cr)" $(( 2 * forks ))
echo "wedge: the trace dump is complete and plausible ($syscalls syscalls, $forks fork+exec," \
	"$bytes console bytes):"
awk '$2 != 0 { printf "    %-14s %s\n", $1, $2 }' "$T/trace-kinds.txt"
echo "wedge: the 15 most executed sites:"
# (sed, not head: head would leave sort a SIGPIPE, which pipefail turns into a failure)
sort -k3,3nr "$T/trace-sites.txt" | sed -n 1,15p |
	awk 'NR == FNR { where[$1] = $2; next } { printf "    %-20s %-40s %-8s %s\n", $1, where[$1], $2, $3 }' \
	"$T/sites-where.txt" -
