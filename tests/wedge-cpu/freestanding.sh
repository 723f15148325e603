#!/usr/bin/env bash
# The virtual CPU as the wedge links it: the freestanding relocatable
# that `make wedge-cpu` builds must cover every wedge/cpu/*.c, need no
# symbol from outside, use no SSE register, and carry only relocations the
# kernel code model allows; the sources must include no libc header.
set -uo pipefail
: "${BUILD:?BUILD must be set (run through make check)}"
obj=$BUILD/obj/wedge-cpu-fs/wedge-cpu.o
fail=0
report() { if [ "$1" = 0 ]; then echo "PASS: $2"; else echo "FAIL: $2"; fail=$((fail + 1)); fi; }

if [ ! -f "$obj" ]; then
	echo "FAIL: $obj missing (make wedge-cpu)"
	exit 1
fi

missing=0
for c in wedge/cpu/*.c; do
	[ -f "$BUILD/obj/wedge-cpu-fs/${c%.c}.o" ] || { echo "  no object for $c"; missing=1; }
done
report $missing "every wedge/cpu/*.c is built freestanding"

undef=$(nm -u "$obj")
[ -z "$undef" ]; report $? "no undefined symbols${undef:+ (}${undef//$'\n'/ }${undef:+)}"

objdump -d "$obj" | grep -qE '%[xy]mm[0-9]'
[ $? -ne 0 ]; report $? "no SSE registers in the code"

bad_rel=$(readelf -rW "$obj" | awk '/R_X86_64_/ { print $3 }' | sort -u |
	grep -vxE 'R_X86_64_(64|32S|PC32|PLT32)')
[ -z "$bad_rel" ]; report $? "only kernel-model relocations${bad_rel:+ (}${bad_rel//$'\n'/ }${bad_rel:+)}"

libc=$(grep -hoE '#include <[^>]+>' wedge/cpu/*.[ch] wedge/include/wedge/vcpu.h | sort -u |
	grep -vE '<std(int|def|bool)\.h>')
[ -z "$libc" ]; report $? "headers limited to stdint/stddef/stdbool${libc:+ (}${libc//$'\n'/ }${libc:+)}"

echo "$((5 - fail)) passed, $fail failed"
[ $fail -eq 0 ]
