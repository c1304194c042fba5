# SPDX-License-Identifier: GPL-2.0
#
# The driver shim's runtime (docs/driver-shim.md).
#
#   driver_shim/kernel/*.c   kernel side: compiled exactly like the driver
#                            (-nostdinc, shim headers), never sees glibc
#   driver_shim/host/*.c     host side: glibc, sim/ headers; talks to the
#                            kernel side through driver_shim/host/*.h,
#                            which use only builtin C types
#   $(BUILD)/libkshim.a      both, for linking with libcxldrv.a
#
# Tests of the shim:
#   tests/test_shim_*.c      host-side test binaries (the harness), each
#                            linked with the kernel-side test objects
#                            tests/kshim/<same name>*.c when they exist,
#                            libkshim.a and libcapisim.a
#   tests/test_cosim_*.c     the same, plus the whole driver
#                            (libcxldrv.a with --whole-archive, as its
#                            initcalls live in linker sections)

KSHIM_SRCS := $(sort $(wildcard driver_shim/kernel/*.c))
KSHIM_OBJS := $(KSHIM_SRCS:%.c=$(BUILD)/obj/%.o)
KHOST_SRCS := $(sort $(wildcard driver_shim/host/*.c))
KHOST_OBJS := $(KHOST_SRCS:%.c=$(BUILD)/obj/%.o)
LIBKSHIM := $(BUILD)/libkshim.a

KTEST_SRCS := $(sort $(wildcard tests/kshim/*.c))
KTEST_OBJS := $(KTEST_SRCS:%.c=$(BUILD)/obj/%.o)

SHIM_TEST_SRCS := $(sort $(wildcard tests/test_shim_*.c))
SHIM_TEST_BINS := $(SHIM_TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
COSIM_TEST_SRCS := $(sort $(wildcard tests/test_cosim_*.c))
COSIM_TEST_BINS := $(COSIM_TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_BINS += $(SHIM_TEST_BINS) $(COSIM_TEST_BINS)

.PHONY: shim
shim: $(LIBKSHIM)
all: shim $(SHIM_TEST_BINS) $(COSIM_TEST_BINS)

$(KSHIM_OBJS) $(KTEST_OBJS): $(BUILD)/obj/%.o: %.c | $(DRV_TREE_FILES)
	@mkdir -p $(dir $@)
	$(CC) $(DRV_CFLAGS) $(DRV_CPPFLAGS) -c -o $@ $<

$(KHOST_OBJS): CPPFLAGS += -Idriver_shim

$(LIBKSHIM): $(KSHIM_OBJS) $(KHOST_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/obj/tests/test_shim_%.o $(BUILD)/obj/tests/test_cosim_%.o: CPPFLAGS += -Idriver_shim

# A test binary takes the kernel-side objects whose names start with its own
# suffix: tests/test_shim_sched.c goes with tests/kshim/sched*.c.
ktest_objs_for = $(filter $(BUILD)/obj/tests/kshim/$(1)%,$(KTEST_OBJS))

.SECONDEXPANSION:
$(SHIM_TEST_BINS): $(BUILD)/tests/test_shim_%: $(BUILD)/obj/tests/test_shim_%.o \
		$$(call ktest_objs_for,$$*) $(LIBKSHIM) $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBKSHIM) $(LIBSIM) $(LDLIBS)

$(COSIM_TEST_BINS): $(BUILD)/tests/test_cosim_%: $(BUILD)/obj/tests/test_cosim_%.o \
		$$(call ktest_objs_for,$$*) $(LIBKSHIM) $(LIBCXLDRV) $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) -Wl,--whole-archive $(LIBCXLDRV) \
		-Wl,--no-whole-archive $(LIBKSHIM) $(LIBSIM) $(LDLIBS)
