#!/usr/bin/env bash
# guest-audit: `afterburn audit` of the linked guest exits 0: every
# sensitive instruction has a valid site record, except the 32-bit PVH stub
# (audit-exceptions.txt).  The exceptions must cover exactly that stub:
# nothing excepted outside .boot32, nothing stale, and without the file
# the only uncovered instructions are the stub's.
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
work_dir audit
mk test-guest
[ -x "$AFTERBURN" ] || die "$AFTERBURN missing (make tools)"

rc=0
"$AFTERBURN" audit --exceptions "$GUEST_EXCEPTIONS" "$GUEST_ELF" >"$T/audit.txt" 2>&1 || rc=$?
sed -n '/^audit of/,/^  per kind/p' "$T/audit.txt"
[ "$rc" -eq 0 ] || { cat "$T/audit.txt" >&2; die "audit exit status $rc"; }
grep -q '^  uncovered  *0$' "$T/audit.txt" || die "uncovered instructions"
grep -q '^  invalid records  *0$' "$T/audit.txt" || die "invalid records"
grep -q '^  stale exceptions  *0$' "$T/audit.txt" || die "stale exceptions"
! grep -q 'warning' "$T/audit.txt" || die "audit warnings: $(grep warning "$T/audit.txt")"
outside=$(awk '/^excepted / && $2 != ".boot32"' "$T/audit.txt")
[ -z "$outside" ] || die "excepted outside the 32-bit stub: $outside"
records=$(awk '$1 == "records" { print $2 }' "$T/audit.txt")
[ "${records:-0}" -ge 100 ] || die "only ${records:-0} site records: not built through the afterburner?"

rc=0
"$AFTERBURN" audit "$GUEST_ELF" >"$T/audit-bare.txt" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || die "audit without exceptions: exit $rc, want 1 (the 32-bit stub)"
outside=$(awk '/^uncovered / && $2 != ".boot32"' "$T/audit-bare.txt")
[ -z "$outside" ] || die "uncovered outside the 32-bit stub: $outside"
echo "guest: audit clean, $records site records; excepted only the 32-bit PVH stub ($(grep -c '^excepted' "$T/audit.txt") instructions)"
