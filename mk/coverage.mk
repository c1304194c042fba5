# SPDX-License-Identifier: GPL-2.0
#
# Line coverage of the real cxl driver under the test suite (docs/testing.md).
#
#   make coverage                 build everything that runs the driver in
#                                 $(COV_BUILD) with the driver's 13 files
#                                 instrumented, run the co-simulation tests
#                                 and the libcxl examples, and print one line
#                                 per driver file, then the total:
#                                   coverage native.c: 70.2 % (568/809 lines)
#   make coverage COVERAGE_MIN=N  also fail if native.c, fault.c, irq.c,
#                                 context.c or file.c is below N %
#   make coverage KERNEL_SRC=DIR  the same for the driver of a kernel tree
#
# Only the driver is instrumented (--coverage on its objects; every link
# brings libgcov).  The tree is separate, so the normal build never sees
# the flag: COVERAGE=1 refuses any other tree.  The libcxl examples run the
# driver from the position-independent copy in $(COV_BUILD)/pic; a line
# counts as run if either copy ran it.  gcc's own gcov reads the counts
# (mk/coverage.sh); nothing else is needed.

COV_BUILD ?= build-cov
COVERAGE_MIN ?= 0

# What runs the driver: every co-simulation test binary, and the examples.
COV_TESTS = $(patsubst tests/%.c,$(COV_BUILD)/tests/%,$(wildcard tests/test_cosim_*.c))
COV_SCRIPTS := tests/test_libcxl_link.sh

.PHONY: coverage coverage-run clean-coverage

coverage: deps
	@$(MAKE) --no-print-directory BUILD=$(COV_BUILD) COVERAGE=1 coverage-run

ifeq ($(COVERAGE),1)
ifeq ($(filter $(COV_BUILD) $(COV_BUILD)/%,$(BUILD)),)
$(error COVERAGE=1 builds only in $(COV_BUILD) (BUILD=$(BUILD)): run make coverage)
endif

$(BUILD)/obj/driver/%.o: DRV_CFLAGS += --coverage
# On every link's command line, so the libcxl examples built against libcxl.a get it too.
LDLIBS += -lgcov

# Counts add up across runs: start from none, so the figures are this suite's.
coverage-run: $(COV_TESTS) libcxl-examples
	@find $(BUILD) -name '*.gcda' -delete
	@CAPISIM=$(CAPISIM) BUILD=$(BUILD) sh tests/run-tests.sh $(COV_TESTS) $(COV_SCRIPTS); \
		rc=$$?; \
		sh mk/coverage.sh -m $(COVERAGE_MIN) $(DRV_TREE)/drivers/misc/cxl \
			$(BUILD)/obj/driver $(BUILD)/pic/obj/driver -- $(DRV_NAMES) || rc=1; \
		exit $$rc
endif

clean: clean-coverage
clean-coverage:
	rm -rf $(COV_BUILD)

# tests/test_cosim_files.c, the file-layer tests written for coverage, is a
# libcxl program, as tests/test_cosim_libcxl.c is (mk/libcxl.mk, read after
# this file: hence the list spelled out).
$(BUILD)/tests/test_cosim_files: $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard driver_shim/user/*.c))
