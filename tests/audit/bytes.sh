#!/usr/bin/env bash
# .byte-encoded cli and swapgs: caught by decoding, reported uncovered.
. "$(dirname "$0")/lib.sh"
asm "$SRC/bytes.s" "$T/b.o"
run 1 "$AFTERBURN" audit "$T/b.o"
has '^uncovered .* by_bytes\+0x5 +cli +fa'
has '^uncovered .* by_bytes\+0x8 +swapgs +0f 01 f8'
has 'uncovered +2$'
