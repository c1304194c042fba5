# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks: one binary per benchmark in $(BUILD)/bench/, each added to
# BENCH_BINS by its part's fragment and run by bench/run-bench.sh.  Each
# prints "bench NAME: VALUE UNIT" lines.
#
#   make bench-build             build them
#   make bench-run               build and run them (make bench does this)
#   make bench-run BENCH_ARGS='N=100000000 REPS=5'   bigger runs
#
# The Makefile makes bench-build and bench-run depend on every fragment's
# BENCH_BINS once all fragments are read; the recipe below sees them all.

BENCH_BINS += $(BUILD)/bench/events

.PHONY: bench-build bench-run

bench-run:
	@sh bench/run-bench.sh $(BENCH_BINS) -- $(BENCH_ARGS)

# events: our queue (C, from the library) against SystemC (C++17, -lsystemc).
$(BUILD)/bench/events: $(BUILD)/obj/bench/events.o $(BUILD)/obj/bench/events-capisim.o $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_LDFLAGS) -o $@ $^ -lsystemc $(LDLIBS)
