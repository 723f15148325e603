# The wedge's in-place device models (wedge/dev/, docs/wedge-devices.md).
# Built twice: for the host, sanitized, into the unit and fuzz tests; and
# freestanding, with the wedge's code-model flags, linked into one
# relocatable object that must need nothing from outside (no libc, no
# compiler helper calls).  `make wedge-dev` builds all of it.

WEDGE_DEV_SRCS := $(sort $(wildcard wedge/dev/*.c))
WEDGE_DEV_UNIT_SRCS := $(addprefix tests/wedge-dev/,main.c misc.c pic.c pit.c uart.c rtc.c ata.c) tests/unit/harness.c
WEDGE_DEV_FUZZ_SRCS := tests/wedge-dev/fuzz.c
WEDGE_DEV_BIN := $(BUILD)/tests/bin

$(call objs,obj-san,$(WEDGE_DEV_SRCS) $(WEDGE_DEV_UNIT_SRCS) $(WEDGE_DEV_FUZZ_SRCS)): \
	HOST_CFLAGS += -Iwedge/include

$(WEDGE_DEV_BIN)/wedge-dev-unit: $(call objs,obj-san,$(WEDGE_DEV_UNIT_SRCS) $(WEDGE_DEV_SRCS))
	@mkdir -p $(@D)
	$(quiet) LD-SAN $@
	$(Q)$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

$(WEDGE_DEV_BIN)/wedge-dev-fuzz: $(call objs,obj-san,$(WEDGE_DEV_FUZZ_SRCS) $(WEDGE_DEV_SRCS))
	@mkdir -p $(@D)
	$(quiet) LD-SAN $@
	$(Q)$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

# Freestanding objects live under obj/ so that `make clean` and the
# top-level dependency include cover them.
WEDGE_DEV_FS_DIR := $(BUILD)/obj/wedge-dev-fs
WEDGE_DEV_FS_CFLAGS := -std=c11 -O2 $(HOST_WARN) -Iinclude -Iwedge/include -MMD -MP \
	-ffreestanding -nostdlib -mno-red-zone -mno-sse -mcmodel=kernel -fno-pic \
	-fno-stack-protector
WEDGE_DEV_FS_OBJS := $(patsubst %.c,$(WEDGE_DEV_FS_DIR)/%.o,$(WEDGE_DEV_SRCS))
WEDGE_DEV_FS := $(WEDGE_DEV_FS_DIR)/wedge-dev.o

$(WEDGE_DEV_FS_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(quiet) CC-FS $<
	$(Q)$(HOSTCC) $(WEDGE_DEV_FS_CFLAGS) -c $< -o $@

# One relocatable object; any undefined symbol (memset, __udivti3, ...)
# means the models would not link into the wedge.
$(WEDGE_DEV_FS): $(WEDGE_DEV_FS_OBJS)
	$(quiet) LD-R $@
	$(Q)ld -r -o $@.tmp $^
	$(Q)undef=$$(nm -u $@.tmp); if [ -n "$$undef" ]; then \
	  echo "wedge/dev: freestanding objects need: $$undef" >&2; rm -f $@.tmp; exit 1; fi
	$(Q)mv $@.tmp $@

wedge-dev: $(WEDGE_DEV_BIN)/wedge-dev-unit $(WEDGE_DEV_BIN)/wedge-dev-fuzz $(WEDGE_DEV_FS)
.PHONY: wedge-dev
