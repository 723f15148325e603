# The wedge's virtual CPU (wedge/cpu/, docs/wedge-vcpu.md).  Built twice,
# as the device models are: for the host, sanitized, into the unit test;
# and freestanding, with the wedge's flags, linked into one relocatable
# object that must need nothing from outside.  `make wedge-cpu` builds both.

WEDGE_CPU_SRCS := $(sort $(wildcard wedge/cpu/*.c))
WEDGE_CPU_UNIT_SRCS := $(sort $(wildcard tests/wedge-cpu/*.c)) tests/unit/harness.c
WEDGE_CPU_BIN := $(BUILD)/tests/bin

$(call objs,obj-san,$(WEDGE_CPU_SRCS) $(WEDGE_CPU_UNIT_SRCS)): HOST_CFLAGS += -Iwedge/include

# The unit test also links the device models: one suite drives the vCPU's
# INTR line from the PIC, as a backend wires them.
$(WEDGE_CPU_BIN)/wedge-cpu-unit: $(call objs,obj-san,$(WEDGE_CPU_UNIT_SRCS) $(WEDGE_CPU_SRCS) $(WEDGE_DEV_SRCS))
	@mkdir -p $(@D)
	$(quiet) LD-SAN $@
	$(Q)$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

# Under obj/ so that `make clean` and the dependency include cover them.
WEDGE_CPU_FS_DIR := $(BUILD)/obj/wedge-cpu-fs
# The wedge's own code-model flags (wedge/build.mk), so that the object
# is what the wedge image links.
WEDGE_CPU_FS_CFLAGS := $(WEDGE_FREESTANDING_CFLAGS) -MMD -MP
WEDGE_CPU_FS_OBJS := $(patsubst %.c,$(WEDGE_CPU_FS_DIR)/%.o,$(WEDGE_CPU_SRCS))
WEDGE_CPU_FS := $(WEDGE_CPU_FS_DIR)/wedge-cpu.o

$(WEDGE_CPU_FS_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(quiet) CC-FS $<
	$(Q)$(HOSTCC) $(WEDGE_CPU_FS_CFLAGS) -c $< -o $@

# One relocatable object; an undefined symbol (memset, memcpy, ...) means
# the virtual CPU would not link into the wedge.
$(WEDGE_CPU_FS): $(WEDGE_CPU_FS_OBJS)
	$(quiet) LD-R $@
	$(Q)ld -r -o $@.tmp $^
	$(Q)undef=$$(nm -u $@.tmp); if [ -n "$$undef" ]; then \
	  echo "wedge/cpu: freestanding objects need: $$undef" >&2; rm -f $@.tmp; exit 1; fi
	$(Q)mv $@.tmp $@

wedge-cpu: $(WEDGE_CPU_BIN)/wedge-cpu-unit $(WEDGE_CPU_FS)
.PHONY: wedge-cpu
