# SPDX-License-Identifier: GPL-2.0
#
# Traces: the benchmark of tracing cost on streaming AFU traffic (bytes
# and time per event), run with the others by bench-run or alone by
# "make bench-trace".  The long fuzz of the .cxt reader is
# CXT_FUZZ_ITERS=1000000 $(BUILD)/tests/test_trace -t fuzz.

TRACE_BENCH := $(BUILD)/bench/trace
BENCH_BINS += $(TRACE_BENCH)

$(TRACE_BENCH): $(BUILD)/obj/bench/trace.o $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: bench-trace
bench-build bench-run: $(TRACE_BENCH)

bench-trace: $(TRACE_BENCH)
	@sh bench/run-bench.sh $(TRACE_BENCH) -- $(BENCH_ARGS)
