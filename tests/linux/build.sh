#!/usr/bin/env bash
# linux-build: `make linux` builds Linux 6.1 plain and afterburned, and the
# afterburned build is the plain one plus the rewriter:
#   - both have vmlinux and bzImage;
#   - their .config files are identical;
#   - the afterburned build log has no warning the plain one lacks
#     (e.g. ld's "orphan section .afterburn");
#   - the afterburned vmlinux carries site records (.afterburn), the plain
#     one does not.
set -euo pipefail
. tests/linux/lib.sh

[ -x "$AFTERBURN_AS" ] || echo "linux: note: $AFTERBURN_AS does not exist yet; make linux builds it"
mk linux

for v in "${LINUX_VARIANTS[@]}"; do
	for f in vmlinux arch/x86/boot/bzImage build-time; do
		[ -s "$LINUX_DIR/$v/$f" ] || die "$v: $LINUX_DIR/$v/$f missing after make linux"
	done
	echo "linux: $v: last build $(cat "$LINUX_DIR/$v/build-time")s," \
		"vmlinux text $(size -A "$LINUX_DIR/$v/vmlinux" | awk '$1 == ".text" { print $2 }') bytes"
done

cmp -s "$LINUX_DIR/plain/.config" "$LINUX_DIR/afterburned/.config" || {
	diff -u "$LINUX_DIR/plain/.config" "$LINUX_DIR/afterburned/.config" | head -n 40
	die "plain and afterburned .config differ"
}

# Warnings (build directory names removed) that only the afterburned build
# has.  The log of an incremental build only holds what was rebuilt, but
# link-time warnings such as orphan sections come back at every relink.
warnings() { grep -a -i 'warning' "$LINUX_DIR/$1/build.log" | sed "s|$LINUX_DIR/$1|O|g" | sort -u || true; }
new=$(comm -13 <(warnings plain) <(warnings afterburned))
if [ -n "$new" ]; then
	printf '%s\n' "$new" | head -n 40
	die "the afterburned build has $(printf '%s\n' "$new" | wc -l) warning(s) the plain build does not (log: $LINUX_DIR/afterburned/build.log)"
fi

has_sites() { readelf -S -W "$LINUX_DIR/$1/vmlinux" | grep -q -E '[[:space:]]\.afterburn[[:space:]]'; }
has_sites afterburned || die "afterburned vmlinux has no .afterburn section: was the wrapper used? (readelf -S $LINUX_DIR/afterburned/vmlinux)"
! has_sites plain || die "plain vmlinux has an .afterburn section"
echo "linux: plain and afterburned built; .config identical; no new warnings; site records present"
