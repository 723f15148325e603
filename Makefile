# afterburn: a pre-virtualization toolchain and runtime.
#
#   make            host tools into build/
#   make demo       rebuild Linux through the toolchain, audit it, boot it
#   make check      the whole test suite
#   make bench      benchmarks; tables on stdout, results in bench/results/
#   make linux      Linux 6.1 plain and afterburned, build/linux-6.1/
#   make deps       install the Debian packages the project needs (as root)
#   V=1             show full commands
#
# Each directory owns a build.mk fragment included below; everything is
# built out of tree under $(BUILD).

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

BUILD ?= build
override BUILD := $(abspath $(BUILD))
V ?= 0
ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-8s %s\n'
endif
export V

HOSTCC ?= gcc
HOST_WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
HOST_CFLAGS := -std=c11 -O2 -g $(HOST_WARN) -D_GNU_SOURCE -Iinclude -MMD -MP
SAN_CFLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Two variants of every host object: release and sanitized (tests use both).
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(quiet) CC $<
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/obj-san/%.o: %.c
	@mkdir -p $(@D)
	$(quiet) CC-SAN $<
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_CFLAGS) -c $< -o $@

# $(call objs,variant-dir,sources)
objs = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))

ALL_TARGETS :=
include afterburner/build.mk
include wedge/build.mk
include wedge/dev/build.mk
include wedge/cpu/build.mk
include backends/kvm/build.mk
include tests/kvm-wedge/build.mk
include guest-patches/linux-6.1/build.mk
include tests/guest/build.mk
include tests/build.mk
include tests/platform/build.mk
include tests/fuzz/build.mk
include bench/build.mk

all: $(ALL_TARGETS)

deps:
	$(Q)scripts/deps.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory tools
	$(Q)BUILD=$(BUILD) AFTERBURN=$(AFTERBURN) AFTERBURN_ASDIR=$(AFTERBURN_ASDIR) \
	  V=$(V) scripts/demo.sh

clean:
	rm -rf $(BUILD)/obj $(BUILD)/obj-san $(BUILD)/bin $(BUILD)/san $(BUILD)/libexec $(BUILD)/tests $(BUILD)/fuzz $(BUILD)/guest

distclean:
	rm -rf $(BUILD)

.PHONY: all deps demo clean distclean

-include $(shell find $(BUILD)/obj $(BUILD)/obj-san -name '*.d' 2>/dev/null)
