# SPDX-License-Identifier: GPL-2.0
#
# tests/test_cosim_mirror.c: a libcxl program that changes its memory
# under the machine (docs/libcxl.md, "Memory"), so it links the libcxl
# layer as tests/test_cosim_libcxl does.  Read after mk/libcxl.mk.

$(BUILD)/tests/test_cosim_mirror: $(LIBCXL_USER_OBJS)
