# previrt, the host monitor (backends/kvm/monitor/, docs/monitor.md): runs a
# guest kernel on /dev/kvm, with or without the wedge.  (The wedge side of
# the kvm backend, backends/kvm/*.c, is part of wedge.elf: wedge/build.mk.)
#
#   make previrt        $(BUILD)/bin/previrt: linked -static, the wedge built
#                       in, so the one file runs in a minimal VM image
#   make previrt-san    $(BUILD)/san/bin/previrt: ASan + UBSan, for the tests

MON_SRCS := $(sort $(wildcard backends/kvm/monitor/*.c))
# The wedge's own device models, compiled for the host (docs/wedge-devices.md).
MON_DEV_SRCS := $(addprefix wedge/dev/,bus.c uart.c rtc.c calendar.c pci.c port80.c zero.c ata.c) \
	$(AB_BOOT_SRCS)
MON_BLOB := $(BUILD)/obj/backends/kvm/monitor/wedge-blob.o
MON_WEDGE_ELF := $(BUILD)/wedge/wedge.elf

PREVIRT := $(BUILD)/bin/previrt
PREVIRT_SAN := $(BUILD)/san/bin/previrt

$(call objs,obj,$(MON_SRCS) $(MON_DEV_SRCS)) $(call objs,obj-san,$(MON_SRCS) $(MON_DEV_SRCS)): \
	HOST_CFLAGS += -Iwedge/include

$(MON_BLOB): backends/kvm/monitor/wedge-blob.S $(MON_WEDGE_ELF)
	@mkdir -p $(@D)
	$(quiet) AS $<
	$(Q)$(HOSTCC) -c -DMON_WEDGE_ELF='"$(MON_WEDGE_ELF)"' -o $@ $<

$(PREVIRT): $(call objs,obj,$(MON_SRCS) $(MON_DEV_SRCS)) $(MON_BLOB)
	@mkdir -p $(@D)
	$(quiet) LD $@
	$(Q)$(HOSTCC) -static -o $@ $^

$(PREVIRT_SAN): $(call objs,obj-san,$(MON_SRCS) $(MON_DEV_SRCS)) $(MON_BLOB)
	@mkdir -p $(@D)
	$(quiet) LD-SAN $@
	$(Q)$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

previrt: $(PREVIRT)
previrt-san: $(PREVIRT_SAN)
ALL_TARGETS += previrt
.PHONY: previrt previrt-san
