#!/usr/bin/env bash
# Speed on kernel-sized input: an object with ~2 MB of code (~500k
# instructions, 60k sites; a Linux vmlinux has about that much text) audits
# within AB_SPEED_AUDIT_SECS (10 s), and compare --dirs over 300 object
# pairs (a Linux build has ~700) finishes within AB_SPEED_DIRS_SECS (20 s).
. "$(dirname "$0")/lib.sh"

cat >"$T/big.s" <<'S'
	.include "site.inc"
	.include "kinds.inc"
	.text
	.globl big
	.type big, @function
big:
	.rept 60000
	mov %rax, %rbx
	add $1, %rcx
1:	cli
2:	.nops 7
3:	ab_record K_cli
	lea 8(%rsp), %rsp
	mov 16(%rdi,%rsi,4), %edx
	test %edx, %edx
	jz 4f
	call big
4:	movq $0x12345678, (%rdi)
	.endr
	ret
	.size big, . - big
	ab_sites_note
	ab_note
S
asm "$T/big.s" "$T/big.o"
size "$T/big.o"

elapsed() { # milliseconds that "$@" takes; output in $T/out
	local t0 t1
	t0=$(date +%s%N)
	"$@" >"$T/out" 2>&1 || { cat "$T/out"; fail "$* failed"; }
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}

ms=$(elapsed "$AFTERBURN" audit "$T/big.o")
tail -n 20 "$T/out"
has 'covered +60000$'
echo "audit: ${ms} ms"
[ "$ms" -lt $(( ${AB_SPEED_AUDIT_SECS:-10} * 1000 )) ] || fail "audit took ${ms} ms"

# 300 pairs of a 40 kB object: about twice the instructions of a small
# Linux build (tinyconfig: ~800k in ~600 objects, vmlinux.o included).
sed 's/\.rept 60000/.rept 1000/' "$T/big.s" >"$T/mid.s"
asm "$T/mid.s" "$T/mid-ab.o"
sed 's/^1:\tcli$/\tcli/; /^2:\t\.nops 7$/d; /^3:\tab_record/d; /ab_sites_note/d; /ab_note/d' \
	"$T/mid.s" >"$T/mid-plain.s"
asm "$T/mid-plain.s" "$T/mid-plain.o"
for i in $(seq 1 300); do
	d=$((i % 17))
	mkdir -p "$T/p/d$d" "$T/a/d$d"
	ln "$T/mid-plain.o" "$T/p/d$d/o$i.o"
	ln "$T/mid-ab.o" "$T/a/d$d/o$i.o"
done
ms=$(elapsed "$AFTERBURN" compare --dirs "$T/p" "$T/a")
cat "$T/out"
has '^compare: 300 objects compared, 300 sections, [0-9]+ instructions, 300000 sites, 0 mismatches'
echo "compare --dirs: ${ms} ms"
[ "$ms" -lt $(( ${AB_SPEED_DIRS_SECS:-20} * 1000 )) ] || fail "compare --dirs took ${ms} ms"
