# Benchmarks: `make bench` runs bench/run (every bench/*.sh);
# BENCH='bench/x.sh ...' picks some.

BENCH ?=

bench: deps
	$(Q)$(MAKE) --no-print-directory tools
	$(Q)BUILD=$(BUILD) AFTERBURN=$(AFTERBURN) AFTERBURN_AS=$(AFTERBURN_AS) \
	  AFTERBURN_ASDIR=$(AFTERBURN_ASDIR) bench/run $(BENCH)

.PHONY: bench
