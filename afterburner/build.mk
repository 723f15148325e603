# afterburner: the rewriter, its `as` wrapper, the audit and site tools, pack.

AB_COMMON_SRCS := common/ab_kind.c common/ab_decode.c
# The boot protocols (include/afterburn/boot.h): the wedge and the monitor.
AB_BOOT_SRCS := common/ab_boot.c
AB_REWRITE_SRCS := $(sort $(wildcard afterburner/rewrite/*.c))
AB_AUDIT_SRCS := $(sort $(wildcard afterburner/audit/*.c))
AB_PACK_SRCS := $(sort $(wildcard afterburner/pack/*.c))
AB_MAIN_SRCS := afterburner/main.c
AB_ASWRAP_SRCS := afterburner/as-wrapper.c

AB_TOOL_SRCS := $(AB_MAIN_SRCS) $(AB_REWRITE_SRCS) $(AB_AUDIT_SRCS) $(AB_PACK_SRCS) $(AB_COMMON_SRCS)
AB_ASWRAP_ALL := $(AB_ASWRAP_SRCS) $(AB_REWRITE_SRCS) $(AB_COMMON_SRCS)
AB_TOOL_LIBS := -lbfd -lopcodes -lcapstone

AFTERBURN := $(BUILD)/bin/afterburn
AFTERBURN_SAN := $(BUILD)/san/bin/afterburn
# gcc -B$(AFTERBURN_ASDIR)/ sends every object through the rewriter.
AFTERBURN_ASDIR := $(BUILD)/libexec/afterburn
AFTERBURN_AS := $(AFTERBURN_ASDIR)/as

$(AFTERBURN): $(call objs,obj,$(AB_TOOL_SRCS))
	@mkdir -p $(@D)
	$(quiet) LD $@
	$(Q)$(HOSTCC) -o $@ $^ $(AB_TOOL_LIBS)

$(AFTERBURN_SAN): $(call objs,obj-san,$(AB_TOOL_SRCS))
	@mkdir -p $(@D)
	$(quiet) LD-SAN $@
	$(Q)$(HOSTCC) $(SAN_CFLAGS) -o $@ $^ $(AB_TOOL_LIBS)

# The wrapper runs once per object of a kernel build: keep it small and
# free of libbfd so that starting it costs next to nothing.
$(AFTERBURN_AS): $(call objs,obj,$(AB_ASWRAP_ALL))
	@mkdir -p $(@D)
	$(quiet) LD $@
	$(Q)$(HOSTCC) -o $@ $^

tools: $(AFTERBURN) $(AFTERBURN_AS)
as-wrapper: $(AFTERBURN_AS)
tools-san: $(AFTERBURN_SAN)
ALL_TARGETS += tools
.PHONY: tools tools-san as-wrapper
