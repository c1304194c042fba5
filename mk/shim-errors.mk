# SPDX-License-Identifier: GPL-2.0
#
# tests/test_cosim_errors.c, the driver's error paths: most of its tests
# are libcxl programs, so it links the libcxl layer (driver_shim/user), as
# tests/test_cosim_libcxl does.  Read after mk/libcxl.mk, which lists it.

$(BUILD)/tests/test_cosim_errors: $(LIBCXL_USER_OBJS)
