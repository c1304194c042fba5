# SPDX-License-Identifier: GPL-2.0
#
# RTL AFUs: Verilator plug-ins made by the generic "capisim afu build"
# (docs/afu-guide.md ("Bringing your own Verilog AFU")), the very command a user runs on their own AFU.
#
#   make rtl     $(BUILD)/afu/memcpy-rtl.so   rtl_models/memcpy, built with
#                                             --trace (FST on request)
#                $(BUILD)/afu/minimal-rtl.so  tests/rtl/minimal_afu, the
#                                             bridge's test AFU
#
# The cache is $(BUILD)/afu-cache: the Verilator runtime is compiled once
# there, and the command itself decides whether an AFU is up to date (it
# knows every file Verilator read), so these rules always ask it.

RTL_CACHE := $(BUILD)/afu-cache
RTL_SOS := $(BUILD)/afu/memcpy-rtl.so $(BUILD)/afu/minimal-rtl.so
AFU_BUILD = $(CAPISIM) afu build --cache $(RTL_CACHE)

.PHONY: rtl _rtl_force
all: rtl
rtl: $(RTL_SOS)

# The capisim command finds afu-build.sh in this tree.
$(BUILD)/obj/sim/cli/afu.o: CPPFLAGS += -DCAPISIM_SRCDIR='"$(abspath .)"'

$(BUILD)/afu/memcpy-rtl.so: $(CAPISIM) _rtl_force
	@$(AFU_BUILD) rtl_models/memcpy --name memcpy-rtl --trace -o $@

$(BUILD)/afu/minimal-rtl.so: $(CAPISIM) _rtl_force
	@$(AFU_BUILD) tests/rtl/minimal_afu --trace -o $@

# $display lines reach the log only if the program exports log_printf.
$(BUILD)/tests/test_rtl_afu: LDFLAGS += -rdynamic
