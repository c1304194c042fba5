# SPDX-License-Identifier: GPL-2.0
#
# What tracing at the default level costs on the streaming workload (the
# C memcpy AFU on a PSL8 slice): "bench trace-overhead-pct: P %" and
# "bench trace-bytes-per-event: B bytes".  Alone: "make bench-trace-overhead".

TRACE_OVERHEAD_BENCH := $(BUILD)/bench/trace-overhead
BENCH_BINS += $(TRACE_OVERHEAD_BENCH)

$(BUILD)/obj/bench/trace-overhead.o: CPPFLAGS += -Itests

$(TRACE_OVERHEAD_BENCH): $(BUILD)/obj/bench/trace-overhead.o $(BUILD)/obj/bench/psl_rig.o $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: bench-trace-overhead
bench-trace-overhead: $(TRACE_OVERHEAD_BENCH)
	@sh bench/run-bench.sh $(TRACE_OVERHEAD_BENCH) -- $(BENCH_ARGS)
