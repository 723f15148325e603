#!/usr/bin/env bash
# Host unit tests of the rewriter's tables and lexer.
source "$(dirname "$0")/lib.sh"
"$TEST_BIN/rewriter-unit"
