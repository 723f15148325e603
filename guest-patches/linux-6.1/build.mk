# Linux 6.1 guest: Debian's linux-source-6.1 built twice, out of tree.
#
#   make linux               both kernels (plain first, then afterburned)
#   make linux-plain         build/linux-6.1/plain/{vmlinux,arch/x86/boot/bzImage}
#   make linux-afterburned   the same with CC="gcc -B$(AFTERBURN_ASDIR)/"
#   make linux-src           unpack the source once into build/linux-6.1/src
#   make initramfs           build/initramfs/initramfs.cpio (tests/initramfs)
#   LINUX_FORCE=1            run kbuild even when no input of ours changed
#                            (e.g. after editing build/linux-6.1/src by hand)
#
# The kernel build is driven by guest-patches/linux-6.1/build-kernel.sh;
# see guest-patches/linux-6.1/README.md.

LINUX_TARBALL ?= /usr/src/linux-source-6.1.tar.xz
LINUX_DIR := $(BUILD)/linux-6.1
LINUX_SRC := $(LINUX_DIR)/src
LINUX_SRC_STAMP := $(LINUX_SRC)/.afterburn-ready
LINUX_FRAGMENT := guest-patches/linux-6.1/afterburn.config
LINUX_PATCHES := $(sort $(wildcard guest-patches/linux-6.1/*.patch))
LINUX_BUILD_SH := guest-patches/linux-6.1/build-kernel.sh
LINUX_UNPACK_SH := guest-patches/linux-6.1/unpack.sh
LINUX_PLAIN := $(LINUX_DIR)/plain
LINUX_AB := $(LINUX_DIR)/afterburned
LINUX_PLAIN_STAMP := $(LINUX_PLAIN)/.afterburn-built
LINUX_AB_STAMP := $(LINUX_AB)/.afterburn-built
LINUX_AB_CC := gcc -B$(AFTERBURN_ASDIR)/
LINUX_FORCE ?=

# Unpack once, keep the patches applied (unpack.sh).  It runs every time
# but touches the stamp only when the tree changed, so the kernels are
# rebuilt only then.
$(LINUX_SRC_STAMP): $(LINUX_UNPACK_SH) FORCE
	$(Q)$(LINUX_UNPACK_SH) $(LINUX_TARBALL) $(LINUX_SRC) $(LINUX_PATCHES)

linux-src: $(LINUX_SRC_STAMP)

LINUX_DEPS := $(LINUX_SRC_STAMP) $(LINUX_FRAGMENT) $(LINUX_BUILD_SH)
ifneq ($(LINUX_FORCE),)
LINUX_DEPS += FORCE
endif

$(LINUX_PLAIN_STAMP): $(LINUX_DEPS)
	$(Q)$(LINUX_BUILD_SH) plain $(LINUX_SRC) $(LINUX_PLAIN) $(LINUX_FRAGMENT)
	$(Q)touch $@

$(LINUX_AB_STAMP): $(LINUX_DEPS) $(AFTERBURN_AS)
	$(Q)$(LINUX_BUILD_SH) afterburned $(LINUX_SRC) $(LINUX_AB) $(LINUX_FRAGMENT) "$(LINUX_AB_CC)"
	$(Q)touch $@

# With both goals, build one kernel after the other: each gets every core,
# and their build-time files stay comparable.
ifneq ($(filter linux,$(MAKECMDGOALS)),)
$(LINUX_AB_STAMP): | $(LINUX_PLAIN_STAMP)
endif

linux-plain: $(LINUX_PLAIN_STAMP)
linux-afterburned: $(LINUX_AB_STAMP)
linux: linux-plain linux-afterburned

FORCE:
.PHONY: linux linux-plain linux-afterburned linux-src FORCE

# The initramfs lives with the tests that boot it.
include tests/initramfs/build.mk
