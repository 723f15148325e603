#!/usr/bin/env bash
# gcc -B<dir>/ sends objects through the rewriter: C with inline assembly,
# preprocessed .S, -pipe and a temporary file, --32 untouched, a rewrite
# error fails the compile with the rewriter's message, parallel compiles.
source "$(dirname "$0")/lib.sh"
: "${AFTERBURN_ASDIR:?AFTERBURN_ASDIR must be set}"
CC="gcc -B$AFTERBURN_ASDIR/"

cat >"$T/irq.c" <<'C'
static inline unsigned long save_flags(void)
{
	unsigned long f;
	asm volatile("pushf ; pop %0" : "=rm"(f) : : "memory");
	return f;
}
void irq_disable(void) { asm volatile("cli" : : : "memory"); }
unsigned long irq_save(void) { unsigned long f = save_flags(); irq_disable(); return f; }
C
for mode in -pipe -save-temps; do
	(cd "$T" && $CC -O2 $mode -c irq.c -o "irq$mode.o") || fail "gcc $mode through the wrapper"
	got=$(recorded_kinds "$T/irq$mode.o")
	[ "$got" = "cli pushf cli" ] || fail "gcc $mode: kinds '$got'"
	"$AFTERBURN" audit "$T/irq$mode.o" >/dev/null || fail "gcc $mode: audit"
done
echo "ok inline assembly, -pipe and temporary file"

cat >"$T/entry.S" <<'S'
#define DISABLE_IRQ cli
	.text
	.globl entry
entry:	DISABLE_IRQ
	swapgs
	ret
S
$CC -c "$T/entry.S" -o "$T/entry.o" || fail "gcc .S through the wrapper"
[ "$(recorded_kinds "$T/entry.o")" = "cli swapgs" ] || fail ".S kinds"
echo "ok preprocessed .S"

$CC -m32 -c "$T/irq.c" -o "$T/irq32.o" || fail "gcc -m32 through the wrapper"
! readelf -S "$T/irq32.o" | grep -q afterburn || fail "--32 object was rewritten"
echo "ok --32 passes through"

printf '\t.text\n\t.macro M\n\tcli\n' >"$T/bad.S"
rc=0
out=$($CC -c "$T/bad.S" -o "$T/bad.o" 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "a rewrite error did not fail the compile"
[[ $out == *"afterburn-as: $T/bad.S:2: end of file inside .macro M (no .endm)"* ]] ||
	fail "compile error lacks the rewriter's message: $out"
[ -s "$T/bad.o.afterburn-input.s" ] || fail "failed input was not kept"
[ ! -e "$T/bad.o" ] || fail "an object was written despite the error"
echo "ok rewrite errors fail the compile"

for i in $(seq 1 8); do
	sed "s/irq_disable/irq_disable$i/g; s/irq_save/irq_save$i/g" "$T/irq.c" >"$T/p$i.c"
done
(cd "$T" && printf 'all: %s\n%%.o: %%.c\n\t$(CC) -O2 -c $< -o $@\n' \
	"$(echo p{1..8}.o)" >Makefile && make -s -j8 CC="$CC") || fail "parallel build"
for i in $(seq 1 8); do
	[ "$(recorded_kinds "$T/p$i.o")" = "cli pushf cli" ] || fail "parallel object p$i"
done
echo "ok parallel compiles"
