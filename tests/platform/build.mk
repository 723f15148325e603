# The kvm-host platform (tests/platform/, docs/platforms.md).  kvm-smoke
# is linked -static: it runs inside the kvm-host machine, whose initramfs
# has no C library.
#
#   make kvm-smoke      build $(BUILD)/platform/kvm-smoke

PLATFORM_KVM_SMOKE := $(BUILD)/platform/kvm-smoke

$(PLATFORM_KVM_SMOKE): $(call objs,obj,tests/platform/kvm-smoke.c)
	@mkdir -p $(@D)
	$(quiet) LD $@
	$(Q)$(HOSTCC) -static -o $@ $^

kvm-smoke: $(PLATFORM_KVM_SMOKE)

# After tests/build.mk, which sets CHECK_DEPS.
CHECK_DEPS += $(PLATFORM_KVM_SMOKE)

.PHONY: kvm-smoke
