# SPDX-License-Identifier: GPL-2.0
#
# The real Linux cxl driver, compiled unmodified against the shim headers
# in driver_shim/include (docs/driver-build.md).
#
#   make driver                  extract the driver from Debian's
#                                linux-source-6.1 (once) and build
#                                $(BUILD)/libcxldrv.a
#   make driver KERNEL_SRC=DIR   take the same files from a kernel tree
#   make driver-check            also run tests/test_driver_build.sh on it
#
# The driver files are never patched: they are copied byte for byte into
# $(BUILD)/kernel (tarball) or $(BUILD)/kernel-src (KERNEL_SRC), and the
# check compares their sha256 against the source again.

DRV_TARBALL ?= /usr/src/linux-source-6.1.tar.xz
DRV_TAR_TOP := linux-source-6.1

# The PowerNV/PSL8 file set of docs/driver-shim.md section 1.
DRV_NAMES := main pci native context file fault irq base sysfs api vphb trace debugfs
DRV_C := $(DRV_NAMES:%=drivers/misc/cxl/%.c)
DRV_H := drivers/misc/cxl/cxl.h drivers/misc/cxl/trace.h include/uapi/misc/cxl.h

ifdef KERNEL_SRC
DRV_TREE := $(BUILD)/kernel-src
DRV_ORIGIN := tree $(abspath $(KERNEL_SRC))
DRV_MISC_H := $(patsubst $(KERNEL_SRC)/%,%,$(wildcard $(KERNEL_SRC)/include/misc/cxl*.h))
else
DRV_TREE := $(BUILD)/kernel
DRV_ORIGIN := tarball $(abspath $(DRV_TARBALL))
DRV_MISC_H := include/misc/cxl.h include/misc/cxl-base.h include/misc/cxllib.h
endif
DRV_FILES := $(DRV_C) $(DRV_H) $(DRV_MISC_H)
DRV_TREE_FILES := $(DRV_FILES:%=$(DRV_TREE)/%)

DRV_OBJS := $(DRV_NAMES:%=$(BUILD)/obj/driver/%.o)
LIBCXLDRV := $(BUILD)/libcxldrv.a

# Records where the driver came from; rewritten (and everything rebuilt)
# only when that changes, so switching KERNEL_SRC on and off is safe.
DRV_ORIGIN_FILE := $(BUILD)/obj/driver/origin

# Kbuild's semantics-relevant flags, plus the shim's include tree.  The
# tree's include/ holds only misc/ and uapi/misc/, so no real linux/*.h
# header can leak in.
DRV_CC_INC := $(shell $(CC) -print-file-name=include)
DRV_CPPFLAGS := -nostdinc -isystem $(DRV_CC_INC) -Idriver_shim/include \
	-I$(DRV_TREE)/include -include driver_shim/include/kshim/kconfig.h -MMD -MP
DRV_CFLAGS := -std=gnu11 $(CFLAGS) -Wall -Wundef -Wvla -fno-strict-aliasing -fno-common \
	-fno-strict-overflow -fno-delete-null-pointer-checks \
	-Wno-pointer-sign -Wno-address-of-packed-member \
	-Werror=implicit-function-declaration -Werror=implicit-int \
	-Werror=return-type -Werror=incompatible-pointer-types -Werror=strict-prototypes \
	$(if $(filter 1,$(WERROR)),-Werror) $(SANFLAGS)

.PHONY: driver driver-check _driver_force

driver: $(LIBCXLDRV)

driver-check: $(LIBCXLDRV)
	sh tests/test_driver_build.sh $(BUILD)

all: driver

$(LIBCXLDRV): $(DRV_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# Every driver file must be in place before the first compile; afterwards
# the dependency files track which headers each object really used.
$(DRV_OBJS): | $(DRV_TREE_FILES)

# Compiler messages are also kept in %.warn: the check requires them empty.
$(BUILD)/obj/driver/%.o: $(DRV_TREE)/drivers/misc/cxl/%.c $(DRV_ORIGIN_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(DRV_CFLAGS) $(DRV_CPPFLAGS) -c -o $@ $< 2>$(@:.o=.warn); \
		rc=$$?; cat $(@:.o=.warn) >&2; exit $$rc

ifneq ($(file < $(DRV_ORIGIN_FILE)),$(DRV_ORIGIN))
$(DRV_ORIGIN_FILE): _driver_force
endif
$(DRV_ORIGIN_FILE):
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(DRV_ORIGIN)' >$@

ifdef KERNEL_SRC
$(DRV_TREE)/%: $(KERNEL_SRC)/% $(DRV_ORIGIN_FILE)
	@mkdir -p $(dir $@)
	cp $< $@
else
# One pass over the archive (xz is sequential: ~7 s).  Files get the time
# of extraction, so objects built from an older extraction are redone.
# The stamp holds the file list: changing the list extracts again.
DRV_STAMP := $(DRV_TREE)/.extracted

ifneq ($(file < $(DRV_STAMP)),$(DRV_FILES))
$(DRV_STAMP): _driver_force
endif
$(DRV_STAMP): $(wildcard $(DRV_TARBALL))
	@test -r $(DRV_TARBALL) || { echo "driver: $(DRV_TARBALL) missing:" \
		"run 'make deps' or set KERNEL_SRC" >&2; exit 1; }
	rm -rf $(DRV_TREE) $(DRV_TREE).tmp
	mkdir -p $(DRV_TREE).tmp
	tar -xJf $(DRV_TARBALL) -C $(DRV_TREE).tmp --touch --strip-components=1 \
		$(DRV_FILES:%=$(DRV_TAR_TOP)/%)
	mv $(DRV_TREE).tmp $(DRV_TREE)
	@printf '%s\n' '$(DRV_FILES)' >$@

$(DRV_TREE_FILES): $(DRV_STAMP) ;
endif
