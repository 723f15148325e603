# Host tests of the kvm backend's wedge side (backends/kvm/*.c): the
# machine faked (tests/kvm-wedge/fake.c stands in for platform.c), the
# monitor modelled (monitor.c), run under ASan and UBSan.

KVM_WEDGE_SRCS := $(filter-out backends/kvm/platform.c,$(sort $(wildcard backends/kvm/*.c)))
KVM_WEDGE_UNIT_SRCS := $(sort $(wildcard tests/kvm-wedge/*.c)) tests/unit/harness.c
KVM_WEDGE_LINKED := $(KVM_WEDGE_SRCS) $(KVM_WEDGE_UNIT_SRCS) wedge/core/backend.c \
	wedge/core/place.c wedge/core/nops.c wedge/core/insn.c wedge/rt/cr3.c \
	$(WEDGE_DEV_SRCS) $(WEDGE_CPU_SRCS)

$(call objs,obj-san,$(KVM_WEDGE_UNIT_SRCS)): HOST_CFLAGS += -Iwedge/include

$(BUILD)/tests/bin/kvm-wedge-unit: $(call objs,obj-san,$(KVM_WEDGE_LINKED))
	@mkdir -p $(@D)
	$(quiet) LD-SAN $@
	$(Q)$(HOSTCC) $(SAN_CFLAGS) -o $@ $^ -pthread

kvm-wedge: $(BUILD)/tests/bin/kvm-wedge-unit
.PHONY: kvm-wedge
