# SPDX-License-Identifier: GPL-2.0
#
# tests/test_cosim_deadlock.c, calls that can never complete: a libcxl
# program, so it links the libcxl layer (driver_shim/user), as
# tests/test_cosim_libcxl does.  Read after mk/libcxl.mk, which lists it.

$(BUILD)/tests/test_cosim_deadlock: $(LIBCXL_USER_OBJS)
