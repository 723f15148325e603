#!/usr/bin/env bash
# linux-build: `make linux` builds Linux 6.1 plain and afterburned, and the
# afterburned build is the plain one plus the rewriter:
#   - both have vmlinux and bzImage;
#   - their .config files are identical;
#   - the afterburned build log has no warning the plain one lacks
#     (e.g. ld's "orphan section .afterburn");
#   - the afterburned vmlinux carries site records ("Afterburn" SITES notes,
#     include/afterburn/abi.h), the plain one none.
set -euo pipefail
. tests/linux/lib.sh

[ -x "$AFTERBURN_AS" ] || echo "linux: note: $AFTERBURN_AS does not exist yet; make linux builds it"
mk linux

for v in "${LINUX_VARIANTS[@]}"; do
	for f in vmlinux arch/x86/boot/bzImage build-time; do
		[ -s "$LINUX_DIR/$v/$f" ] || die "$v: $LINUX_DIR/$v/$f missing after make linux"
	done
	echo "linux: $v: last build $(cat "$LINUX_DIR/$v/build-time")s; size:" \
		"$(size "$LINUX_DIR/$v/vmlinux" | awk 'NR == 2 { print "text", $1, "data", $2, "bss", $3 }')"
done

# The header names the ARCH of whoever last ran kbuild there (x86 or x86_64,
# same configuration); the options must be the same.
options() { grep -v '^# Linux/.* Kernel Configuration$' "$LINUX_DIR/$1/.config"; }
diff -u --label plain/.config --label afterburned/.config <(options plain) <(options afterburned) ||
	die "plain and afterburned .config differ"

# Warnings (build directory names removed) that only the afterburned build
# has.  The log of an incremental build only holds what was rebuilt, but
# link-time warnings such as orphan sections come back at every relink.
warnings() { grep -a -i 'warning' "$LINUX_DIR/$1/build.log" | sed "s|$LINUX_DIR/$1|O|g" | sort -u || true; }
new=$(comm -13 <(warnings plain) <(warnings afterburned))
if [ -n "$new" ]; then
	printf '%s\n' "$new" | head -n 40
	die "the afterburned build has $(printf '%s\n' "$new" | wc -l) warning(s) the plain build does not (log: $LINUX_DIR/afterburned/build.log)"
fi

# "Afterburn" notes: one version note plus one SITES note per object with
# sites (readelf names note type 2 after NT_ARCH; only the owner is checked).
notes() { readelf -n -W "$LINUX_DIR/$1/vmlinux" | grep -c '^ *Afterburn ' || true; }
n=$(notes afterburned)
[ "$n" -gt 1 ] || die "afterburned vmlinux has $n Afterburn note(s): was the wrapper used? (readelf -n $LINUX_DIR/afterburned/vmlinux)"
[ "$(notes plain)" -eq 0 ] || die "plain vmlinux has Afterburn notes"
echo "linux: plain and afterburned built; .config identical; no new warnings; $((n - 1)) site-record notes"
