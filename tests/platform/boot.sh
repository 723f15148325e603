#!/usr/bin/env bash
# The kvm-host machine boots, kvm_amd is loaded with nested=1 npt=1,
# /dev/kvm is there, and the command's arguments, stdout, stderr (every
# byte value) and exit status come through exactly.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=test-lib.sh
. "$(dirname "$0")/test-lib.sh"

need_image
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every byte value, CR/LF combinations and a few KiB of them.
for i in $(seq 0 255); do printf '%b' "\\x$(printf %02x "$i")"; done >"$tmp/bytes"
mkdir "$tmp/t"
{ for _ in 1 2 3 4 5 6 7 8; do cat "$tmp/bytes"; done; printf '\r\n\n\r\0'; } >"$tmp/t/out.bin"
{ printf 'no newline at the end\r'; tac "$tmp/bytes"; cat "$tmp/bytes"; } >"$tmp/t/err.bin"
cat >"$tmp/t/check.sh" <<'IN'
cat /opt/t/out.bin
cat /opt/t/err.bin >&2
echo "args=$#:$1:$2"
echo "release=$(uname -r)"
echo "nested=$(cat /sys/module/kvm_amd/parameters/nested) npt=$(cat /sys/module/kvm_amd/parameters/npt)"
[ -c /dev/kvm ] && echo "kvm=$(stat -c %t:%T /dev/kvm)"
echo "modules=$(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
echo "platform=$PLATFORM opt=$PLATFORM_OPT"
exit 42
IN

rc=0
PLATFORM_TIMEOUT=90 PLATFORM_LOG=$tmp/console.log \
	"$RUN" --add "$tmp/t" -- sh /opt/t/check.sh "two words" "it's" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
sed 's/^/console: /' "$tmp/console.log"
[ $rc -eq 42 ] || { cat "$tmp/stderr"; fail "exit status $rc, not 42"; }

{
	cat "$tmp/t/out.bin"
	echo "args=2:two words:it's"
	echo "release=$(cat "$KVM_HOST_DIR/kernel/release")"
	echo "nested=1 npt=Y"
	echo "kvm=a:e8" # misc 10, minor 232
	echo "modules=ccp irqbypass kvm kvm_amd "
	echo "platform=kvm-host opt=/opt"
} >"$tmp/want.stdout"
if ! cmp "$tmp/want.stdout" "$tmp/stdout"; then
	diff <(od -c "$tmp/want.stdout") <(od -c "$tmp/stdout") | head -n 20
	fail "stdout differs"
fi
cmp "$tmp/t/err.bin" "$tmp/stderr" || fail "stderr differs"

t_init=$(awk '/PLATFORM-INIT/ { print $1; exit }' "$tmp/console.log.times")
t_ready=$(awk '/PLATFORM-READY/ { print $1; exit }' "$tmp/console.log.times")
echo "kvm-host: $(grep -a "^nested=" "$tmp/stdout"), host time to /init ${t_init}s, to kvm ready ${t_ready}s"
