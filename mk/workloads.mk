# SPDX-License-Identifier: GPL-2.0
#
# The built-in workloads of "capisim run --workload NAME": host programs in
# workloads/, written against libcxl only and built as a user would build
# one (the build tree's include/ and a dynamic -lcxl), into one binary
# whose first argument names the workload.  They are not under sim/, so
# they stay out of libcapisim.a.  The AFUs' interface headers
# (sim/afu/memcpy.h, traffic.h) give them the work element layouts.

WORKLOAD_SRCS := $(sort $(wildcard workloads/*.c))
WORKLOAD := $(BUILD)/libexec/capisim-workload

.PHONY: workloads
workloads: $(WORKLOAD)
all: workloads

$(WORKLOAD): $(WORKLOAD_SRCS) workloads/workload.h sim/afu/memcpy.h sim/afu/traffic.h \
		sim/core/types.h $(LIBCXL_ALL)
	@mkdir -p $(dir $@)
	$(LIBCXL_EX_CC) -Isim -o $@ $(WORKLOAD_SRCS) -L$(BUILD)/lib -lcxl -lpthread
