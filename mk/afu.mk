# SPDX-License-Identifier: GPL-2.0
#
# AFUs (sim/afu/, docs/afu-guide.md): the plug-ins test_afu_registry
# loads, and the memcpy streaming benchmark, whose last line is
# "bench memcpy-c-lines-per-s: N /s".  No -ldl: glibc 2.34 and later have
# dlopen in libc.

# One source, four plug-ins: a working one and three broken ones.
AFU_TEST_PLUGINS := $(patsubst %,$(BUILD)/tests/afu_plugin_%.so,good oldabi nosym notick)

$(BUILD)/tests/afu_plugin_%.so: tests/afu_plugin.c sim/afu/afu.h sim/core/types.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARNINGS) $(CFLAGS) -Isim -DPLUGIN_$* -fPIC -shared -o $@ $<

# Order-only: the test opens them at run time, it does not link them.
$(BUILD)/tests/test_afu_registry: | $(AFU_TEST_PLUGINS)
$(BUILD)/obj/tests/test_afu_registry.o: CPPFLAGS += -DAFU_PLUGIN_DIR='"$(abspath $(BUILD))/tests"'

BENCH_BINS += $(BUILD)/bench/afu

$(BUILD)/obj/bench/afu.o: CPPFLAGS += -Itests

$(BUILD)/obj/bench/psl_rig.o: CPPFLAGS += -Itests

$(BUILD)/bench/afu: $(BUILD)/obj/bench/afu.o $(BUILD)/obj/bench/psl_rig.o $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)
