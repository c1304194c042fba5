# SPDX-License-Identifier: GPL-2.0
#
# Tasks: the switch-cost benchmark (docs/tasks.md).  bench/tasks.c links
# with the library; its last line is "bench task-switch-ns: N ns".

BENCH_BINS += $(BUILD)/bench/tasks

$(BUILD)/bench/tasks: $(BUILD)/obj/bench/tasks.o $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)
