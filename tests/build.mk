# Tests: `make check` builds what the tests need and runs tests/run over
# every tests/*/tests.cfg.  TESTS='glob ...' selects tests by name.

TEST_BIN := $(BUILD)/tests/bin
UNIT_COMMON := $(call objs,obj-san,$(AB_COMMON_SRCS))

$(TEST_BIN)/decode-tool: $(call objs,obj-san,tests/unit/decode-tool.c) $(UNIT_COMMON)
	@mkdir -p $(@D)
	$(quiet) LD-SAN $@
	$(Q)$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

$(TEST_BIN)/rewriter-unit: $(call objs,obj-san,tests/unit/rewriter-unit.c $(AB_REWRITE_SRCS)) $(UNIT_COMMON)
	@mkdir -p $(@D)
	$(quiet) LD-SAN $@
	$(Q)$(HOSTCC) $(SAN_CFLAGS) -o $@ $^

CHECK_DEPS := tools tools-san fuzz $(TEST_BIN)/decode-tool $(TEST_BIN)/rewriter-unit \
	$(TEST_BIN)/wedge-site-tool wedge-freestanding wedge-dev wedge-cpu kvm-wedge test-guest
TESTS ?=

check: deps
	$(Q)$(MAKE) --no-print-directory $(CHECK_DEPS)
	$(Q)BUILD=$(BUILD) AFTERBURN=$(AFTERBURN) AFTERBURN_SAN=$(AFTERBURN_SAN) \
	  AFTERBURN_AS=$(AFTERBURN_AS) AFTERBURN_ASDIR=$(AFTERBURN_ASDIR) \
	  TEST_BIN=$(TEST_BIN) tests/run $(foreach t,$(TESTS),'$(t)')

.PHONY: check
