# The wedge, the in-place VMM (docs/wedge.md).
#
#   wedge/core/   the record path: reading, checking, patching sites; also
#                 built for the host and tested there (wedge-site-tool)
#   wedge/rt/     the runtime on bare hardware: PVH entry, guest loader,
#                 paging, thunks, entry stub, console (freestanding only)
#   backends/*/   the backends, registered through a linker section
#
# `make wedge` links $(BUILD)/wedge/wedge.elf: linked at 0xffffffffffe00000,
# loaded at physical WEDGE_PHYS, started with
#   qemu-system-x86_64 -kernel wedge.elf -initrd guest.elf -append "wedge.backend=trace ..."

WEDGE_PHYS := 0x800000
WEDGE_CORE_SRCS := $(sort $(wildcard wedge/core/*.c))
WEDGE_HOST_BACKEND_SRCS := backends/native/native.c
WEDGE_BACKEND_SRCS := $(sort $(wildcard backends/*/*.c))
WEDGE_RT_SRCS := $(sort $(wildcard wedge/rt/*.c))
WEDGE_RT_ASM := wedge/rt/head.S wedge/rt/entry.S
WEDGE_CFLAGS := -Iwedge/include

$(BUILD)/obj-san/wedge/%.o $(BUILD)/obj-san/backends/%.o: HOST_CFLAGS += $(WEDGE_CFLAGS)
$(BUILD)/obj-san/tests/wedge-core/%.o: HOST_CFLAGS += $(WEDGE_CFLAGS)

$(BUILD)/tests/bin/wedge-site-tool: $(call objs,obj-san,tests/wedge-core/site-tool.c \
		$(WEDGE_CORE_SRCS) $(WEDGE_HOST_BACKEND_SRCS) $(AB_COMMON_SRCS))
	@mkdir -p $(@D)
	$(quiet) LD-SAN $@
	$(Q)$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

# The wedge's code model: kernel (top 2 GiB), no red zone (interrupts and
# the thunks' pushes land below %rsp), no SSE (the guest's registers).
WEDGE_FREESTANDING_CFLAGS := -std=c11 -O2 $(HOST_WARN) -Iinclude $(WEDGE_CFLAGS) \
	-ffreestanding -nostdlib -fno-builtin -mno-red-zone -mno-sse -mno-mmx -mno-80387 \
	-mcmodel=kernel -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables \
	-DWEDGE_PHYS=$(WEDGE_PHYS) -MMD -MP
$(BUILD)/obj-wedge/%.o: %.c
	@mkdir -p $(@D)
	$(quiet) CC-WEDGE $<
	$(Q)$(HOSTCC) $(WEDGE_FREESTANDING_CFLAGS) -c $< -o $@
$(BUILD)/obj-wedge/%.o: %.S
	@mkdir -p $(@D)
	$(quiet) AS-WEDGE $<
	$(Q)$(HOSTCC) $(WEDGE_FREESTANDING_CFLAGS) -c $< -o $@

# The device models and the virtual CPU ride along for the backends that
# emulate (they are built and unit-tested on their own, wedge/dev, wedge/cpu).
WEDGE_IMAGE_OBJS := $(call objs,obj-wedge,$(WEDGE_CORE_SRCS) $(WEDGE_BACKEND_SRCS) \
	$(WEDGE_RT_SRCS) $(AB_COMMON_SRCS) $(AB_BOOT_SRCS) $(sort $(wildcard wedge/dev/*.c wedge/cpu/*.c))) $(patsubst %.S,$(BUILD)/obj-wedge/%.o,$(WEDGE_RT_ASM))

$(BUILD)/wedge/wedge.elf: $(WEDGE_IMAGE_OBJS) wedge/rt/wedge.ld
	@mkdir -p $(@D)
	$(quiet) LD $@
	$(Q)ld -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments \
	  -T wedge/rt/wedge.ld --defsym WEDGE_PHYS=$(WEDGE_PHYS) -o $@.tmp $(WEDGE_IMAGE_OBJS)
	$(Q)undef=$$(nm -u $@.tmp); if [ -n "$$undef" ]; then \
	  echo "wedge: unresolved: $$undef" >&2; rm -f $@.tmp; exit 1; fi
	$(Q)mv $@.tmp $@

wedge: $(BUILD)/wedge/wedge.elf
wedge-freestanding: wedge
.PHONY: wedge wedge-freestanding
ALL_TARGETS += wedge

-include $(shell find $(BUILD)/obj-wedge -name '*.d' 2>/dev/null)
