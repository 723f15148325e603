#!/usr/bin/env bash
# --exceptions: matching entries excuse uncovered instructions (listed as
# excepted with their reason); a stale entry is a warning; a malformed
# file is an error at FILE:LINE.
. "$(dirname "$0")/lib.sh"
asm "$SRC/exceptions.s" "$T/x.o"

cat >"$T/all.exc" <<'X'
# early boot runs before the wedge exists
early_boot+0x0   cli    interrupts are off from reset anyway
early_boot       out    port 0x80 delay, harmless
halt_loop        *      the idle loop of the boot CPU
.text.unnamed+0x1 cpuid probed before virtualization
X
run 0 "$AFTERBURN" audit --exceptions "$T/all.exc" "$T/x.o"
has '^excepted .* early_boot\+0x0 +cli .*excepted \(interrupts are off from reset anyway\)'
has '^excepted .* early_boot\+0x5 +out .*excepted \(port 0x80 delay, harmless\)'
has '^excepted .* halt_loop\+0x0 +hlt .*excepted \(the idle loop of the boot CPU\)'
has '^excepted .* \.text\.unnamed\+0x1 +cpuid .*excepted \(probed before virtualization\)'
has 'uncovered +0$'
has 'excepted +4$'
has 'stale exceptions +0$'
has '^result: OK'

# Partial: the wrong offset does not match, the kind must match too.
cat >"$T/part.exc" <<'X'
early_boot+0x1   cli    wrong offset
early_boot       hlt    wrong kind
halt_loop+0x0    hlt    right
X
run 1 "$AFTERBURN" audit --exceptions "$T/part.exc" "$T/x.o"
has '^uncovered .* early_boot\+0x0 +cli'
has '^excepted .* halt_loop\+0x0 +hlt'
has 'excepted +1$'
has 'stale exceptions +2$'
# Stale entries: a warning at FILE:LINE, not a failure by themselves.
has "^afterburn: $T/part\.exc:1: warning: stale exception 'early_boot\+0x1 cli'"
has "^afterburn: $T/part\.exc:2: warning: stale exception 'early_boot hlt'"
cat "$T/all.exc" >"$T/stale.exc"
echo 'no_such_function cli left over from an old kernel' >>"$T/stale.exc"
run 0 "$AFTERBURN" audit --exceptions "$T/stale.exc" "$T/x.o"
has "^afterburn: $T/stale\.exc:6: warning: stale exception 'no_such_function cli'"
has 'stale exceptions +1$'

# Malformed lines: every one reported with its line, exit 1.
cat >"$T/bad.exc" <<'X'
# fine so far
early_boot cli
early_boot bogus-kind some reason
early_boot+0xzz cli bad offset
early_boot
X
run 1 "$AFTERBURN" audit --exceptions "$T/bad.exc" "$T/x.o"
has "^afterburn: $T/bad\.exc:2: missing reason"
has "^afterburn: $T/bad\.exc:3: unknown kind 'bogus-kind'"
has "^afterburn: $T/bad\.exc:4: bad offset '0xzz'"
has "^afterburn: $T/bad\.exc:5: missing kind"
lacks '^result'
run 1 "$AFTERBURN" audit --exceptions "$T/none.exc" "$T/x.o"
has "^afterburn: $T/none\.exc: No such file or directory"
