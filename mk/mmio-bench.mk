# SPDX-License-Identifier: GPL-2.0
#
# MMIO throughput of the PSL8 model (bench/mmio.c, docs/psl8-model.md):
# P1/P2 register accesses and AFU-forwarded descriptor loads through
# psl_mmio_read/psl_mmio_write; the last line is "bench mmio-per-s: N /s".

BENCH_BINS += $(BUILD)/bench/mmio

$(BUILD)/obj/bench/mmio.o: CPPFLAGS += -Itests

$(BUILD)/bench/mmio: $(BUILD)/obj/bench/mmio.o $(LIBSIM)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)
