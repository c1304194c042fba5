# SPDX-License-Identifier: GPL-2.0
#
# Translation: the throughput benchmark of sim/psl/xlate.c (docs/psl8-xlate.md).
# bench/xlate.c builds its tables with the test helpers in tests/; its last
# two lines are "bench xlate-hit-per-s: N /s" and "bench xlate-miss-per-s: N /s".

BENCH_BINS += $(BUILD)/bench/xlate

$(BUILD)/obj/bench/xlate.o: CPPFLAGS += -Itests

$(BUILD)/bench/xlate: $(BUILD)/obj/bench/xlate.o $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)
