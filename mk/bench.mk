# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks: one binary per benchmark in $(BUILD)/bench/, run by
# bench/run-bench.sh.  Each ends with "bench NAME: VALUE UNIT".
#
#   make bench-build             build them
#   make bench-run               build and run them
#   make bench-run BENCH_ARGS='N=100000000 REPS=5'   bigger runs

BENCH_BINS := $(BUILD)/bench/events

.PHONY: bench-build bench-run

bench-build: $(BENCH_BINS)

bench-run: $(BENCH_BINS)
	@sh bench/run-bench.sh $(BENCH_BINS) -- $(BENCH_ARGS)

# events: our queue (C, from the library) against SystemC (C++17, -lsystemc).
$(BUILD)/bench/events: $(BUILD)/obj/bench/events.o $(BUILD)/obj/bench/events-capisim.o $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_LDFLAGS) -o $@ $^ -lsystemc $(LDLIBS)
