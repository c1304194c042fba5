# SPDX-License-Identifier: GPL-2.0
#
# Trace tools (capisim trace stats|perfetto|fst|diff, sim/trace).
#
# The FST writer is GTKWave's fstapi as the verilator package ships it,
# compiled from there at build time and never copied into the tree
# (/work/shared/docs/toolchain-notes.md §3): gnu11, FST_CONFIG_INCLUDE
# naming its config header, zlib.  Its objects go into the programs that
# write FST (capisim, the trace tools test), not into libcapisim.a, so
# nothing else links them.  Two UBSan checks are off for them, as they
# rely on what gcc does anyway: lz4 and fstapi store through unaligned
# pointers, and fstapi shifts negative values left.
#
# tests/test_trace_cli.sh makes its traces with $(BUILD)/tests/trace_fixture,
# built from the same generator (tests/trace_fixtures.c) as the unit test.

FSTDIR ?= /usr/share/verilator/include/gtkwave
FST_CPPFLAGS := -I$(FSTDIR) -DFST_CONFIG_INCLUDE='"fst_config.h"'
FST_OBJS := $(addprefix $(BUILD)/obj/fstapi/,fstapi.o fastlz.o lz4.o)
FST_SANFLAGS := $(if $(SANFLAGS),-fno-sanitize=alignment -fno-sanitize=shift)

$(BUILD)/obj/fstapi/%.o: $(FSTDIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(CFLAGS) $(SANFLAGS) $(FST_SANFLAGS) -D_GNU_SOURCE $(FST_CPPFLAGS) \
		-c -o $@ $<

$(BUILD)/obj/sim/trace/fst.o: CPPFLAGS += $(FST_CPPFLAGS)

$(CAPISIM): $(FST_OBJS)

TRACE_FIXTURES_OBJ := $(BUILD)/obj/tests/trace_fixtures.o
TRACE_FIXTURE := $(BUILD)/tests/trace_fixture

$(BUILD)/obj/tests/test_trace_tools.o: CPPFLAGS += $(FST_CPPFLAGS)

# Objects first, then the library, whose members they pull in.
$(BUILD)/tests/test_trace_tools: $(BUILD)/obj/tests/test_trace_tools.o $(TRACE_FIXTURES_OBJ) \
		$(FST_OBJS) $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBSIM) $(LDLIBS)

$(TRACE_FIXTURE): $(BUILD)/obj/tests/trace_fixture.o $(TRACE_FIXTURES_OBJ) $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBSIM) $(LDLIBS)

all: $(TRACE_FIXTURE)
