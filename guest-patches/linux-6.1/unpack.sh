#!/usr/bin/env bash
# Unpack the Linux source once and keep our patches applied.
#
# usage: unpack.sh TARBALL SRCDIR [PATCH...]
#
# - SRCDIR/.afterburn-unpacked: the tarball was unpacked completely (done
#   once; again only when the tarball is newer than this stamp).
# - SRCDIR/.afterburn-ready: touched whenever the tree changed (and only
#   then), so that make can run this script every time and rebuild the
#   kernels only when their source moved.
# - SRCDIR/.afterburn-patches: the patches applied, "sha256 name" per line,
#   and SRCDIR/.afterburn-patched-files: the files they touch.  When the set
#   of patches changes, the touched files are restored from the tarball and
#   the new set is applied in order: the tree is never unpacked twice, so a
#   kernel build that uses it at the same time only sees those files change.
set -euo pipefail

die() { echo "linux: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: unpack.sh TARBALL SRCDIR [PATCH...]"
tarball=$1 src=$2
shift 2
patches=("$@")
[ -f "$tarball" ] || die "$tarball missing (make deps installs linux-source-6.1)"

changed=0
if [ ! -f "$src/.afterburn-unpacked" ] || [ "$tarball" -nt "$src/.afterburn-unpacked" ]; then
	printf '  %-8s %s\n' UNPACK "$tarball"
	rm -rf "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" --strip-components=1 -C "$src.tmp" || die "cannot unpack $tarball"
	rm -rf "$src"
	mv "$src.tmp" "$src"
	touch "$src/.afterburn-unpacked"
	changed=1
fi

want=$(for p in "${patches[@]}"; do printf '%s %s\n' "$(sha256sum <"$p" | cut -c1-64)" "$(basename "$p")"; done)
have=$(cat "$src/.afterburn-patches" 2>/dev/null || true)
if [ "$want" = "$have" ]; then
	[ $changed -eq 0 ] && [ -f "$src/.afterburn-ready" ] || touch "$src/.afterburn-ready"
	exit 0
fi

# Restore what the previous patches touched.
if [ -s "$src/.afterburn-patched-files" ]; then
	mapfile -t old <"$src/.afterburn-patched-files"
	printf '  %-8s %s\n' RESTORE "${#old[@]} file(s) from $tarball"
	(cd "$src" && rm -f -- "${old[@]}")
	top=$(tar -tJf "$tarball" | head -n 1) || true
	top=${top%%/*}
	[ -n "$top" ] || die "cannot read $tarball"
	members=()
	for f in "${old[@]}"; do members+=("$top/$f"); done
	tar -xJf "$tarball" --strip-components=1 -C "$src" "${members[@]}" 2>"$src/.afterburn-restore.err" ||
		! grep -v 'Not found in archive\|Exiting with failure' "$src/.afterburn-restore.err" >&2 ||
		die "cannot restore files from $tarball"
	# The restored files keep the tarball's time; kbuild must still see them
	# as changed.
	(cd "$src" && for f in "${old[@]}"; do [ ! -e "$f" ] || touch -- "$f"; done)
	rm -f "$src/.afterburn-restore.err"
fi
rm -f "$src/.afterburn-patches" "$src/.afterburn-patched-files"

# Record what the patches touch before applying them: a patch that fails
# half way must still be undone next time.
if [ ${#patches[@]} -gt 0 ]; then
	sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "${patches[@]}" | sort -u >"$src/.afterburn-patched-files"
fi
for p in "${patches[@]}"; do
	printf '  %-8s %s\n' PATCH "$p"
	patch -s -p1 -N --no-backup-if-mismatch -d "$src" <"$p" || die "$p does not apply to $src"
done
[ -z "$want" ] || printf '%s\n' "$want" >"$src/.afterburn-patches"
touch "$src/.afterburn-ready"
