#!/usr/bin/env bash
# guest-counted: the guest's per-kind counts are exact by construction.
# In the linked guest, every site is announced by the increment of its
# kind's counter: walking the disassembly of .text, each run of
# `incq ab_count+8*K` must be followed by a run of sites of the same kinds
# in the same order (NOP padding skipped), and no increment goes unused.
# With the audit (every sensitive instruction is a site), every sensitive
# instruction the guest executes is counted once.
# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"
work_dir counted
mk test-guest

"$AFTERBURN" sites "$GUEST_ELF" | awk 'NR > 1 { sub(/^0x/, "", $1); print $1, $3, $4 }' >"$T/sites.txt"
objdump -d --no-show-raw-insn -j .text "$GUEST_ELF" >"$T/text.dis"
kind_names >"$T/kinds.txt"

# check DISASSEMBLY: the walk described above.
check() {
awk -v sites="$T/sites.txt" -v kinds="$T/kinds.txt" '
function hex(s,   i, c, v) {
	v = 0; s = tolower(s)
	for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)); v = v * 16 + c - 1 }
	return v
}
function bad(msg) { print "guest-counted: " msg > "/dev/stderr"; errors++ }
BEGIN {
	while ((getline l < kinds) > 0) kind[++nk] = l
	while ((getline l < sites) > 0) { split(l, f, " "); site_kind[f[1]] = f[2]; site_len[f[1]] = f[3]; nsites++ }
	nq = 0; qh = 1; pad_end = -1
}
/^ *[0-9a-f]+:\t/ {
	addr = $1; sub(/:$/, "", addr); sub(/^0+/, "", addr); a = hex(substr(addr, length(addr) - 7))  # low 32 bits: awk numbers are doubles
	insn = $0; sub(/^[^\t]*\t/, "", insn)
	if (a < pad_end) next                     # the padding of the previous site
	if (addr in site_kind) {
		k = site_kind[addr]
		if (qh > nq) bad(addr " " k ": site without a counter increment before it")
		else if (q[qh] != k) bad(addr " " k ": preceded by the increment of " q[qh])
		qh++; checked++
		pad_end = a + site_len[addr]
		last_was_site = 1
		next
	}
	if (insn ~ /^incq .*<ab_count(\+0x[0-9a-f]+)?>$/) {
		if (qh <= nq && last_was_site) bad(addr ": increment between sites of one run")
		off = 0
		if (match(insn, /<ab_count\+0x[0-9a-f]+>/)) off = hex(substr(insn, RSTART + 12, RLENGTH - 13))
		if (off % 8 || off / 8 < 1 || off / 8 > nk) bad(addr ": increment of no kind (offset " off ")")
		else q[++nq] = kind[off / 8]
		last_was_site = 0
		next
	}
	if (qh <= nq && insn ~ /^(nop|xchg +%ax,%ax)/) next  # lead padding of a sti site (AB_F_LEAD)
	if (qh <= nq) bad(addr ": increment of " q[qh] " not followed by its site (" insn ")")
	nq = 0; qh = 1; last_was_site = 0
}
END {
	if (checked != nsites) bad("checked " checked " sites of " nsites " (sites outside .text?)")
	if (errors) exit 1
	print "guest: all " checked " sites are preceded by their counter increment"
}' "$1"
}

check "$T/text.dis"

# The checker itself: drop one increment, it must object.
n=$(grep -n 'incq .*<ab_count+0x' "$T/text.dis" | sed -n '10p' | cut -d: -f1)
sed "${n}d" "$T/text.dis" >"$T/doctored.dis"
if check "$T/doctored.dis" 2>"$T/doctored.err"; then
	die "the checker missed a site without its increment"
fi
grep -q 'site without a counter increment' "$T/doctored.err" || die "unexpected checker message: $(cat "$T/doctored.err")"
echo "guest: (and it notices a missing increment)"
