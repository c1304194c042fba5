# SPDX-License-Identifier: GPL-2.0
#
# capisim: one non-recursive GNU Make build.
#
#   make deps    install what the build needs (apt-get as root; otherwise
#                print the one line to run)
#   make         build the simulator, its library and the capisim command
#   make test    build and run every test; the last line is "N passed, N failed"
#   make bench   build and run the benchmarks; each ends "bench NAME: VALUE UNIT"
#   make demo    the main job: the RTL memcpy AFU, four processes, the real driver
#   make coverage gcov line coverage of the driver under the tests (build-cov/)
#   make golden  re-record the golden traces in traces/ after a deliberate model change
#   make SAN=1 … the same, built with AddressSanitizer and UBSan (in build-san/)
#
# Parts add their own rules in mk/*.mk, included below.

SAN ?= 0
ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD ?= build
endif

CC ?= gcc
CXX ?= g++
OPT ?= -O2
CFLAGS ?= $(OPT) -g
CXXFLAGS ?= $(OPT) -g
WARNINGS := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
BASE_CPPFLAGS := -Isim -D_GNU_SOURCE -MMD -MP
ALL_CFLAGS = -std=gnu11 $(WARNINGS) $(CFLAGS) $(SANFLAGS) $(BASE_CPPFLAGS) $(CPPFLAGS)
ALL_CXXFLAGS = -std=gnu++17 $(WARNINGS) $(CXXFLAGS) $(SANFLAGS) $(BASE_CPPFLAGS) $(CPPFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)
LDLIBS += -lz -lm -lpthread

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

# The simulator library: every C file under sim/ except the command line.
SIM_SRCS := $(sort $(shell find sim -name '*.c' ! -path 'sim/cli/*'))
SIM_OBJS := $(SIM_SRCS:%.c=$(BUILD)/obj/%.o)
LIBSIM := $(BUILD)/libcapisim.a

CLI_SRCS := $(sort $(wildcard sim/cli/*.c))
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
CAPISIM := $(BUILD)/capisim

# Unit tests: one binary per tests/test_*.c, linked with the library.
TEST_SRCS := $(sort $(filter-out tests/test_shim_% tests/test_cosim_%,$(wildcard tests/test_*.c)))
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
# Shell tests: tests/test_*.sh, run with the built binaries' paths in the environment.
TEST_SCRIPTS := $(sort $(wildcard tests/test_*.sh))

.PHONY: all deps test test-unit bench demo clean distclean help
.DEFAULT_GOAL := all

all: $(CAPISIM) $(TEST_BINS)

help:
	@sed -n '3,13p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@sh mk/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -c -o $@ $<

$(LIBSIM): $(SIM_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/obj/sim/cli/version.o: CPPFLAGS += -DCAPISIM_VERSION='"$(VERSION)"' -DCAPISIM_GIT_REV='"$(GIT_REV)"'
$(BUILD)/obj/sim/cli/version.o: VERSION $(wildcard .git/index)

# -rdynamic: AFU plug-ins call back into capisim's log.
$(CAPISIM): $(CLI_OBJS) $(LIBSIM)
	$(CC) $(ALL_LDFLAGS) -rdynamic -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/tests/%.o: CPPFLAGS += -Itests

# Test objects are made through a pattern chain; keep them so a second make does nothing.
.SECONDARY:

# make test: every test binary, then one total line.
test: deps
	@$(MAKE) --no-print-directory test-unit

test-unit: all
	@CAPISIM=$(CAPISIM) BUILD=$(BUILD) sh tests/run-tests.sh $(TEST_BINS) $(TEST_SCRIPTS)

bench: deps
	@$(MAKE) --no-print-directory bench-run

demo: deps
	@$(MAKE) --no-print-directory all
	@sh mk/demo.sh $(BUILD)

clean:
	rm -rf build build-san

distclean: clean

-include $(sort $(wildcard mk/*.mk))

# Every part's benchmark, whichever fragment added it.
bench-build bench-run: $(BENCH_BINS)
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
