# SPDX-License-Identifier: GPL-2.0
#
# Golden traces (traces/*.cxt, docs/replay.md): small recorded runs of the
# built-in workloads, committed as the regression reference that
# tests/test_replay.sh replays with "capisim replay" in make test.  Each is
# a virtual-time run, which repeats exactly: with several contexts too,
# since lockstep orders the program's threads (docs/libcxl.md, "Time").
#
#   make golden    record them again
#
# Record them again, and commit them with the change, when a change is
# meant to alter what a run does: the PSL model or its default timing, the
# driver (another linux-source or KERNEL_SRC), the shim, libcxl, an AFU or
# a workload.  Never to make a failing replay pass without knowing why it
# failed: "capisim replay" shows the first event that moved.

# NAME:ARGUMENTS of capisim run, one golden trace each.
GOLDEN_RUNS := \
	memcpy-directed:--workload@memcpy@--size@64K@--jobs@2 \
	memcpy-dedicated:--workload@memcpy@--mode@dedicated@--size@32K@--jobs@3 \
	memcpy-2ctx:--workload@memcpy@--contexts@2@--size@16K@--jobs@2 \
	traffic:--workload@traffic@--size@16K@--jobs@1@--seed@7

.PHONY: golden
golden: $(CAPISIM) $(WORKLOAD) libcxl
	@mkdir -p traces
	@set -e; for run in $(GOLDEN_RUNS); do \
		name=$${run%%:*}; args=$$(echo "$${run#*:}" | tr @ ' '); \
		rm -f traces/$$name.cxt; \
		$(CAPISIM) run --log err --summary /dev/null --trace traces/$$name.cxt $$args \
			>/dev/null 2>&1 || { echo "golden: $$name failed: capisim run $$args" >&2; \
			exit 1; }; \
		echo "golden: traces/$$name.cxt ($$(wc -c < traces/$$name.cxt) bytes): $$args"; \
	done
