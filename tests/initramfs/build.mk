# The test initramfs: busybox-static, /init and a static workload program.
# Included from guest-patches/linux-6.1/build.mk.
#
#   make initramfs   ->  build/initramfs/initramfs.cpio

INITRAMFS_DIR := $(BUILD)/initramfs
INITRAMFS := $(INITRAMFS_DIR)/initramfs.cpio
INITRAMFS_WORKLOAD := $(INITRAMFS_DIR)/workload
INITRAMFS_BUSYBOX ?= /bin/busybox

$(INITRAMFS_WORKLOAD): tests/initramfs/workload.c
	@mkdir -p $(@D)
	$(quiet) CCSTATIC $<
	$(Q)$(HOSTCC) -static -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

$(INITRAMFS): tests/initramfs/mkinitramfs.sh scripts/cpio.sh tests/initramfs/init $(INITRAMFS_WORKLOAD) $(INITRAMFS_BUSYBOX)
	@mkdir -p $(@D)
	$(quiet) CPIO $@
	$(Q)tests/initramfs/mkinitramfs.sh $@ tests/initramfs/init $(INITRAMFS_WORKLOAD) $(INITRAMFS_BUSYBOX)

initramfs: $(INITRAMFS)
.PHONY: initramfs
