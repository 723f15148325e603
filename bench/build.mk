# Benchmarks: `make bench` runs bench/run (every bench/*.sh);
# BENCH='bench/x.sh ...' picks some.

BENCH ?=

bench: deps
	$(Q)$(MAKE) --no-print-directory tools
	$(Q)BUILD=$(BUILD) AFTERBURN=$(AFTERBURN) AFTERBURN_AS=$(AFTERBURN_AS) \
	  AFTERBURN_ASDIR=$(AFTERBURN_ASDIR) bench/run $(BENCH)

.PHONY: bench

# bench/callpath-host.c: the wedge's call path timed on this machine's CPU in
# user mode (bench/wedge-callpath.sh's second table).  It links the wedge's
# own record path, backends, thunk emitters and entry stub, compiled with
# the wedge's flags except the code model (small: a -no-pie program below
# 2 GiB, so every site reaches its thunk and wedge_entry by rel32) and with
# WEDGE_USER_MODE (entry.S leaves out its cli, which user mode cannot run).
CALLPATH_HOST_WEDGE_SRCS := wedge/core/backend.c wedge/core/insn.c wedge/core/nops.c \
	wedge/core/patch.c wedge/core/place.c wedge/core/sites.c wedge/rt/thunk.c wedge/rt/cr3.c \
	backends/native/native.c backends/native/callpath.c backends/trace/trace.c $(AB_COMMON_SRCS)
WEDGE_USER_CFLAGS := $(filter-out -mcmodel=kernel,$(WEDGE_FREESTANDING_CFLAGS)) -mcmodel=small \
	-DWEDGE_USER_MODE
$(BUILD)/obj-wedge-user/%.o: %.c
	@mkdir -p $(@D)
	$(quiet) CC-USER $<
	$(Q)$(HOSTCC) $(WEDGE_USER_CFLAGS) -c $< -o $@
$(BUILD)/obj-wedge-user/%.o: %.S
	@mkdir -p $(@D)
	$(quiet) AS-USER $<
	$(Q)$(HOSTCC) $(WEDGE_USER_CFLAGS) -c $< -o $@

$(BUILD)/obj/bench/callpath-host.o: HOST_CFLAGS += $(WEDGE_CFLAGS)
$(BUILD)/bench/callpath-host: $(BUILD)/obj/bench/callpath-host.o \
		$(call objs,obj-wedge-user,$(CALLPATH_HOST_WEDGE_SRCS)) $(BUILD)/obj-wedge-user/wedge/rt/entry.o
	@mkdir -p $(@D)
	$(quiet) LD $@
	$(Q)$(HOSTCC) -no-pie -Wl,-z,noexecstack -o $@ $^

callpath-host: $(BUILD)/bench/callpath-host
.PHONY: callpath-host
ALL_TARGETS += callpath-host

-include $(shell find $(BUILD)/obj-wedge-user -name '*.d' 2>/dev/null)
