# Fuzz targets (libFuzzer, clang-14): `make fuzz` builds $(BUILD)/fuzz/*.
# Each compiles a component's own sources (never main.c) with the fuzzer
# and the address and undefined-behaviour sanitizers; tests/audit/fuzz.sh
# and tests/rewriter/fuzz.sh run them for a bounded time.

FUZZ_CC ?= clang-14
FUZZ_CFLAGS := -std=c11 -O1 -g $(HOST_WARN) -D_GNU_SOURCE -Iinclude \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_AUDIT := $(BUILD)/fuzz/fuzz_audit
FUZZ_AUDIT_SRCS := tests/fuzz/fuzz_audit.c $(AB_AUDIT_SRCS) $(AB_COMMON_SRCS) \
	afterburner/rewrite/diag.c

$(FUZZ_AUDIT): $(FUZZ_AUDIT_SRCS) $(wildcard afterburner/audit/*.h include/afterburn/*.h)
	@mkdir -p $(@D)
	$(quiet) FUZZ-CC $@
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_AUDIT_SRCS) $(AB_TOOL_LIBS)

# The rewriter's parser (tests/fuzz/fuzz_rewrite.c): no libbfd needed.
FUZZ_REWRITE := $(BUILD)/fuzz/fuzz_rewrite
FUZZ_REWRITE_SRCS := tests/fuzz/fuzz_rewrite.c $(AB_REWRITE_SRCS) $(AB_COMMON_SRCS)

$(FUZZ_REWRITE): $(FUZZ_REWRITE_SRCS) $(wildcard afterburner/rewrite/*.h include/afterburn/*.h)
	@mkdir -p $(@D)
	$(quiet) FUZZ-CC $@
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_REWRITE_SRCS)

fuzz: $(FUZZ_AUDIT) $(FUZZ_REWRITE)
.PHONY: fuzz
