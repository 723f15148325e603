# The wedge: the in-place VMM.  For now its record path (core) and the
# backends, built for the host to test them; the freestanding image comes
# with the boot path.

WEDGE_CORE_SRCS := $(sort $(wildcard wedge/core/*.c))
WEDGE_BACKEND_SRCS := $(sort $(wildcard backends/native/*.c))
WEDGE_CFLAGS := -Iwedge/include

$(BUILD)/obj-san/wedge/%.o $(BUILD)/obj-san/backends/%.o: HOST_CFLAGS += $(WEDGE_CFLAGS)
$(BUILD)/obj-san/tests/wedge-core/%.o: HOST_CFLAGS += $(WEDGE_CFLAGS)

$(BUILD)/tests/bin/wedge-site-tool: $(call objs,obj-san,tests/wedge-core/site-tool.c \
		$(WEDGE_CORE_SRCS) $(WEDGE_BACKEND_SRCS) $(AB_COMMON_SRCS))
	@mkdir -p $(@D)
	$(quiet) LD-SAN $@
	$(Q)$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

# Proof that the core and backends build freestanding, as the wedge will.
WEDGE_FREESTANDING_CFLAGS := -std=c11 -O2 $(HOST_WARN) -Iinclude $(WEDGE_CFLAGS) \
	-ffreestanding -nostdlib -fno-builtin -mno-red-zone -mno-sse -mno-mmx \
	-mcmodel=kernel -fno-pic -fno-stack-protector
$(BUILD)/obj-wedge/%.o: %.c
	@mkdir -p $(@D)
	$(quiet) CC-WEDGE $<
	$(Q)$(HOSTCC) $(WEDGE_FREESTANDING_CFLAGS) -c $< -o $@

wedge-freestanding: $(call objs,obj-wedge,$(WEDGE_CORE_SRCS) $(WEDGE_BACKEND_SRCS) $(AB_COMMON_SRCS))
.PHONY: wedge-freestanding
