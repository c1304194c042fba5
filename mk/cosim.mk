# SPDX-License-Identifier: GPL-2.0
#
# AFUs attached to the PSL8 model: tests/test_afu_cosim.c runs the C and
# the RTL memcpy through a PSL8 slice and compares them, and bench/afu.c
# measures both there and on the test responder (docs/afu-guide.md,
# "Running against the PSL8 model").  Both load the RTL memcpy plug-in
# mk/rtl.mk builds; order-only: they open it at run time.

COSIM_RTL_SO := $(BUILD)/afu/memcpy-rtl.so

$(BUILD)/tests/test_afu_cosim: | $(COSIM_RTL_SO)
$(BUILD)/bench/afu: | $(COSIM_RTL_SO)
$(BUILD)/obj/bench/afu.o: CPPFLAGS += -DAFU_RTL_SO='"$(abspath $(COSIM_RTL_SO))"'
