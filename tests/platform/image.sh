#!/usr/bin/env bash
# The kvm-host image (no machine started): Debian's kernel, booted through
# its PVH entry, and the modules; kept while its inputs do not change;
# built once when two builds race (flock); 77 and a "kvm-host: unavailable"
# line when apt cannot fetch the kernel package.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=test-lib.sh
. "$(dirname "$0")/test-lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Without the package: apt-cache and apt-get that know nothing.
mkdir "$tmp/bin"
printf '#!/bin/sh\necho "E: no network in this test" >&2\nexit 100\n' >"$tmp/bin/apt-get"
cp "$tmp/bin/apt-get" "$tmp/bin/apt-cache"
chmod +x "$tmp/bin/apt-get" "$tmp/bin/apt-cache"
rc=0
BUILD=$tmp/build PATH=$tmp/bin:$PATH "$PLATFORM_DIR/kvm-host-image.sh" 2>"$tmp/err" || rc=$?
cat "$tmp/err"
[ $rc -eq 77 ] || fail "without apt: exit status $rc, not 77"
grep -q '^kvm-host: unavailable: ' "$tmp/err" || fail "without apt: no 'kvm-host: unavailable:' line"

need_image
kdir=$KVM_HOST_DIR/kernel
[ "$(cat "$kdir/format")" = pvh ] || echo "note: the kernel has no PVH entry; the bzImage boots (2 s slower)"
[ "$(tr '\n' ' ' <"$kdir/modules.order")" = "irqbypass kvm ccp kvm-amd " ] ||
	fail "modules: $(tr '\n' ' ' <"$kdir/modules.order")"
grep -qx 'kvm-amd nested=1 npt=1' <(strings "$KVM_HOST_INITRD") ||
	fail "no 'kvm-amd nested=1 npt=1' in the initramfs"

state() { stat -c '%n %i %s %Y' "$kdir/kernel" "$KVM_HOST_INITRD"; sha256sum "$KVM_HOST_INITRD"; }
state >"$tmp/before"
"$PLATFORM_DIR/kvm-host-image.sh" 2>"$tmp/err"
[ ! -s "$tmp/err" ] || { cat "$tmp/err"; fail "an unchanged image was rebuilt"; }
state | cmp -s - "$tmp/before" || fail "an unchanged image was rewritten"

# Two builds at once after the initramfs is gone: one builds, the other
# waits and finds it built; the result is the same archive.
flock "$KVM_HOST_DIR/.lock" rm "$KVM_HOST_INITRD" # not while a run copies it
"$PLATFORM_DIR/kvm-host-image.sh" 2>"$tmp/err1" & p1=$!
"$PLATFORM_DIR/kvm-host-image.sh" 2>"$tmp/err2" & p2=$!
wait $p1 || fail "first concurrent build failed: $(cat "$tmp/err1")"
wait $p2 || fail "second concurrent build failed: $(cat "$tmp/err2")"
cat "$tmp/err1" "$tmp/err2"
[ "$(cat "$tmp/err1" "$tmp/err2" | grep -c '^kvm-host: built ')" -eq 1 ] || fail "not exactly one build"
[ "$(sha256sum <"$KVM_HOST_INITRD")" = "$(tail -n 1 "$tmp/before" | sed 's/ .*/  -/')" ] ||
	fail "the rebuilt initramfs differs"
echo "kernel $(cat "$kdir/release") ($(cat "$kdir/id")), $(cat "$kdir/format"); modules $(tr '\n' ' ' <"$kdir/modules.order")"
