# The test guest (tests/guest/, docs/test-guest.md): a freestanding x86-64
# kernel compiled through the afterburner (gcc -B$(AFTERBURN_ASDIR)/), so
# its ELF carries site records; built into $(BUILD)/guest/.
#
#   make test-guest        build $(BUILD)/guest/guest.elf
#   make run-test-guest    boot it on the bare platform (QEMU TCG), serial on stdout
#                          (GUEST_APPEND='...' sets its command line)

GUEST_SRC := tests/guest
GUEST_OUT := $(BUILD)/guest
GUEST_ELF := $(GUEST_OUT)/guest.elf
GUEST_KINDS_H := $(GUEST_OUT)/gen/asm-kinds.h
GUEST_TCG_TRACE := $(GUEST_OUT)/tcg-trace.so

GUEST_CC := gcc -B$(AFTERBURN_ASDIR)/
GUEST_FLAGS := -ffreestanding -nostdlib -mno-red-zone -mno-sse -mno-mmx -mno-80387 \
	-mcmodel=kernel -fno-pic -fno-stack-protector -fcf-protection=none \
	-fno-asynchronous-unwind-tables -O2 -g -Wall -Wextra -Werror \
	-Iinclude -I$(GUEST_SRC) -I$(GUEST_OUT)/gen -MMD -MP
GUEST_CFLAGS := -std=c11 $(GUEST_FLAGS) -Wshadow -Wstrict-prototypes -Wmissing-prototypes
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,-T,$(GUEST_SRC)/guest.ld

GUEST_C_SRCS := $(filter-out $(GUEST_SRC)/kinds-gen.c,$(sort $(wildcard $(GUEST_SRC)/*.c))) \
	common/ab_kind.c
GUEST_S_SRCS := $(sort $(wildcard $(GUEST_SRC)/*.S))
GUEST_OBJS := $(patsubst %.c,$(GUEST_OUT)/obj/%.o,$(GUEST_C_SRCS)) \
	$(patsubst %.S,$(GUEST_OUT)/obj/%.o,$(GUEST_S_SRCS))

# Kind numbers for the .S files, asm-offsets style (kinds-gen.c).
$(GUEST_KINDS_H): $(GUEST_SRC)/kinds-gen.c include/afterburn/abi.h $(GUEST_SRC)/build.mk
	@mkdir -p $(@D)
	$(quiet) GEN $@
	$(Q)gcc $(filter-out -MMD -MP,$(GUEST_CFLAGS)) -S -o $@.s $<
	$(Q){ echo '/* Generated from $< by $(GUEST_SRC)/build.mk. */'; \
	  sed -n 's/^[[:space:]]*\.ascii "->\([A-Z0-9_]*\) \([0-9]*\)"$$/#define \1 \2/p' $@.s; } >$@.tmp
	$(Q)grep -q '^#define K_COUNT ' $@.tmp || { echo "$@: no K_COUNT generated" >&2; exit 1; }
	$(Q)mv $@.tmp $@ && rm -f $@.s

$(GUEST_OUT)/obj/%.o: %.c $(AFTERBURN_AS)
	@mkdir -p $(@D)
	$(quiet) CC-AB $<
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/obj/%.o: %.S $(AFTERBURN_AS) $(GUEST_KINDS_H)
	@mkdir -p $(@D)
	$(quiet) AS-AB $<
	$(Q)$(GUEST_CC) $(GUEST_FLAGS) -D__ASSEMBLY__ -c $< -o $@

$(GUEST_ELF): $(GUEST_OBJS) $(GUEST_SRC)/guest.ld
	$(quiet) LD $@
	$(Q)$(GUEST_CC) $(GUEST_LDFLAGS) -o $@ $(GUEST_OBJS)

test-guest: $(GUEST_ELF) $(AFTERBURN) $(GUEST_TCG_TRACE)

run-test-guest: $(GUEST_ELF)
	$(Q)qemu-system-x86_64 -accel tcg -kernel $(GUEST_ELF) -append '$(GUEST_APPEND)' \
	  -device isa-debug-exit,iobase=0xf4,iosize=0x04 -nographic -serial stdio \
	  -monitor none -no-reboot -m 128M; rc=$$?; \
	  echo "qemu exit status $$rc (1: all passed, 3: failures)"; [ $$rc -eq 1 ]

.PHONY: test-guest run-test-guest

-include $(wildcard $(GUEST_OUT)/obj/*/*.d $(GUEST_OUT)/obj/*/*/*.d)

# Host side: a QEMU TCG plugin counting executions per site (trace-tcg.sh).

$(GUEST_TCG_TRACE): $(GUEST_SRC)/host/tcg-trace.c
	@mkdir -p $(@D)
	$(quiet) CC $<
	$(Q)$(HOSTCC) -std=c11 -O2 $(HOST_WARN) -shared -fPIC -fvisibility=hidden -o $@ $<
