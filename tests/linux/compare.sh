#!/usr/bin/env bash
# linux-compare: the afterburned build equals the plain build once the
# padding and the site records are taken out.
set -euo pipefail
. tests/linux/lib.sh

need_afterburn
mk linux
echo "+ $AFTERBURN compare --dirs $LINUX_DIR/plain $LINUX_DIR/afterburned"
rc=0
"$AFTERBURN" compare --dirs "$LINUX_DIR/plain" "$LINUX_DIR/afterburned" || rc=$?
[ $rc -eq 0 ] || die "afterburn compare of plain and afterburned failed (exit $rc)"
echo "linux: plain and afterburned builds compare equal"
