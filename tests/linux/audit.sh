#!/usr/bin/env bash
# linux-audit: every sensitive instruction of the afterburned vmlinux is
# recorded, apart from the documented exceptions.
set -euo pipefail
. tests/linux/lib.sh

need_afterburn
[ -f "$EXCEPTIONS" ] || die "missing $EXCEPTIONS"
mk linux-afterburned
vmlinux=$LINUX_DIR/afterburned/vmlinux
echo "+ $AFTERBURN audit $vmlinux --exceptions $EXCEPTIONS"
rc=0
"$AFTERBURN" audit "$vmlinux" --exceptions "$EXCEPTIONS" || rc=$?
[ $rc -eq 0 ] || die "afterburn audit of $vmlinux failed (exit $rc)"
echo "linux: afterburned vmlinux audits clean"
