# Tests: `make check` builds what the tests need and runs tests/run over
# every tests/*/tests.cfg.  TESTS='glob ...' selects tests by name.

CHECK_DEPS := tools tools-san
TESTS ?=

check: deps
	$(Q)$(MAKE) --no-print-directory $(CHECK_DEPS)
	$(Q)BUILD=$(BUILD) AFTERBURN=$(AFTERBURN) AFTERBURN_SAN=$(AFTERBURN_SAN) \
	  AFTERBURN_AS=$(AFTERBURN_AS) tests/run $(TESTS)

.PHONY: check
