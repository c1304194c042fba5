# SPDX-License-Identifier: GPL-2.0
#
# libcxl (docs/libcxl.md): IBM libcxl's interface on the co-simulated
# machine.  The whole machine (libcapisim, the shim, the driver with its
# initcalls, the built-in AFUs) goes into one relocatable object whose
# only global symbols are the library's; from it come
#
#   $(BUILD)/lib/libcxl.a             static: plain -lcxl pulls it all in
#   $(BUILD)/lib/libcxl.so.1          shared, IBM's soname and symbol versions
#   $(BUILD)/lib/libcxl.so            the link-time name
#   $(BUILD)/include/libcxl.h
#   $(BUILD)/lib/pkgconfig/libcxl.pc
#
# Both need position-independent code, so the libraries they are made of
# are built a second time, with -fPIC added to CFLAGS, by a sub-make in
# the build tree $(BUILD)/pic: the same rules, so every part's own flags
# and objects come along, and the rest of the build keeps its flags.  The
# examples (examples/*.c) are built the way a user builds a libcxl
# program, with nothing but the build tree's include and lib directories,
# three times each: against libcxl.so, against libcxl.a, and against a
# stand-in libcxl.so.1 that has only IBM's soname and symbol versions (as
# if built on a POWER machine), which tests/test_libcxl_link.sh then runs
# with LD_LIBRARY_PATH set to ours.

LIBCXL_USER_SRCS := $(sort $(wildcard driver_shim/user/*.c))
LIBCXL_USER_OBJS := $(LIBCXL_USER_SRCS:%.c=$(BUILD)/obj/%.o)
$(LIBCXL_USER_OBJS): CPPFLAGS += -Idriver_shim

# What a trace's header says the run was made of (record.c): capisim's
# version, and the driver this build compiled: the Debian package's
# version, or the KERNEL_SRC tree and its git revision.  The object is
# rebuilt when that identity changes.
ifdef KERNEL_SRC
LIBCXL_DRV_ID = kernel_src|$(abspath $(KERNEL_SRC))|$(shell git -C $(KERNEL_SRC) \
	rev-parse HEAD 2>/dev/null || echo unknown)
else
LIBCXL_DRV_ID = package|linux-source-6.1|$(shell dpkg-query -W -f='$${Version}' \
	linux-source-6.1 2>/dev/null || echo unknown)
endif
LIBCXL_ID_FILE := $(BUILD)/obj/driver_shim/user/identity
LIBCXL_ID_WORD = $(word $(1),$(subst |, ,$(shell cat $(LIBCXL_ID_FILE) 2>/dev/null)))

$(LIBCXL_ID_FILE): _libcxl_force
	@mkdir -p $(dir $@)
	@echo '$(VERSION)|$(LIBCXL_DRV_ID)' | cmp -s - $@ || echo '$(VERSION)|$(LIBCXL_DRV_ID)' > $@

$(BUILD)/obj/driver_shim/user/record.o: $(LIBCXL_ID_FILE)
$(BUILD)/obj/driver_shim/user/record.o: CPPFLAGS += \
	-DCAPISIM_VERSION='"$(call LIBCXL_ID_WORD,1)"' \
	-DCAPISIM_DRV_ORIGIN='"$(call LIBCXL_ID_WORD,2)"' \
	-DCAPISIM_DRV_SOURCE='"$(call LIBCXL_ID_WORD,3)"' \
	-DCAPISIM_DRV_VERSION='"$(call LIBCXL_ID_WORD,4)"'

LIBCXL_MAP := driver_shim/user/libcxl.map
LIBCXL_PICB := $(BUILD)/pic
LIBCXL_PIC_PARTS := $(LIBCXL_USER_SRCS:%.c=$(LIBCXL_PICB)/obj/%.o) \
	$(addprefix $(LIBCXL_PICB)/,libcxldrv.a libkshim.a libcapisim.a)
LIBCXL_MERGED := $(LIBCXL_PICB)/libcxl-all.o
LIBCXL_SYMS := $(LIBCXL_PICB)/libcxl.syms
# The names AFU plug-ins call (libcxl.map's CAPISIM_PLUGIN_1): exported by
# libcxl.so.1, local in libcxl.a, where a program's own log_printf must
# not clash with ours (an executable does not export them to plug-ins).
LIBCXL_PLUGIN_SYMS = $(shell sed -n '/^CAPISIM_PLUGIN_1/,/^}/s/^[[:space:]]*\([a-z_0-9]*\);$$/\1/p' \
	$(LIBCXL_MAP))

LIBCXL_A := $(BUILD)/lib/libcxl.a
LIBCXL_SO := $(BUILD)/lib/libcxl.so.1
LIBCXL_H := $(BUILD)/include/libcxl.h
LIBCXL_PC := $(BUILD)/lib/pkgconfig/libcxl.pc
LIBCXL_ALL := $(LIBCXL_A) $(LIBCXL_SO) $(BUILD)/lib/libcxl.so $(LIBCXL_H) $(LIBCXL_PC)

# A shared object with undefined symbols fails to link, except under the
# sanitizers, whose runtime the program brings.  -Bsymbolic: the library's
# own calls stay its own, even to the names it exports to plug-ins.
LIBCXL_SO_FLAGS := -Wl,-Bsymbolic
ifneq ($(SAN),1)
LIBCXL_SO_FLAGS += -Wl,-z,defs
endif

.PHONY: libcxl libcxl-examples _libcxl_force
libcxl: $(LIBCXL_ALL)
all: libcxl libcxl-examples

# The global names of the version script, one per line.
$(LIBCXL_SYMS): $(LIBCXL_MAP)
	@mkdir -p $(dir $@)
	sed -n 's/^[[:space:]]*\([a-z_0-9]*\);$$/\1/p' $< > $@

# One object, pulled in whole by any reference: the driver whole (its
# initcalls are reached only through their linker section), the shim and
# the simulator as far as they are used.  Only the library's names stay
# global.  The sub-make runs every time; the object is relinked only when
# one of its parts changed.
$(LIBCXL_MERGED): _libcxl_force $(LIBCXL_SYMS)
	$(MAKE) --no-print-directory BUILD=$(LIBCXL_PICB) SAN=$(SAN) CFLAGS="$(CFLAGS) -fPIC" \
		CXXFLAGS="$(CXXFLAGS) -fPIC" $(LIBCXL_PIC_PARTS)
	@if [ ! -f $@ ] || [ -n "$$(find $(LIBCXL_PIC_PARTS) $(LIBCXL_SYMS) -newer $@)" ]; then \
		echo "LD -r $@"; \
		$(LD) -r -o $@.tmp $(filter %.o,$(LIBCXL_PIC_PARTS)) \
			--whole-archive $(LIBCXL_PICB)/libcxldrv.a --no-whole-archive \
			--start-group $(LIBCXL_PICB)/libkshim.a $(LIBCXL_PICB)/libcapisim.a \
			--end-group && \
		objcopy --keep-global-symbols=$(LIBCXL_SYMS) $@.tmp $@ && rm -f $@.tmp; \
	fi

$(LIBCXL_A): $(LIBCXL_MERGED)
	@mkdir -p $(dir $@)
	rm -f $@
	objcopy $(LIBCXL_PLUGIN_SYMS:%=--localize-symbol=%) $< $(LIBCXL_PICB)/libcxl-static.o
	$(AR) rcs $@ $(LIBCXL_PICB)/libcxl-static.o

$(LIBCXL_SO): $(LIBCXL_MERGED) $(LIBCXL_MAP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -shared -Wl,-soname,libcxl.so.1 -Wl,--version-script=$(LIBCXL_MAP) \
		$(LIBCXL_SO_FLAGS) -o $@ $(LIBCXL_MERGED) $(LDLIBS)

$(BUILD)/lib/libcxl.so: | $(LIBCXL_SO)
	ln -sf libcxl.so.1 $@

$(LIBCXL_H): driver_shim/user/libcxl.h
	@mkdir -p $(dir $@)
	cp $< $@

$(LIBCXL_PC): driver_shim/user/libcxl.pc.in VERSION
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(abspath $(BUILD))|' -e 's|@VERSION@|$(VERSION)|' \
		-e 's|@LIBS_PRIVATE@|$(LDLIBS)|' $< > $@

# The co-simulation test is a libcxl program with a view inside.
$(BUILD)/tests/test_cosim_libcxl: $(LIBCXL_USER_OBJS)

# ---- Examples: built as a user would ----

# Each examples/NAME.c is one program; examples/*.h is what they share
# (the memcpy AFU's interface).  -pthread for the several-processes one.
LIBCXL_EX_SRCS := $(sort $(wildcard examples/*.c))
LIBCXL_EX_HDRS := $(wildcard examples/*.h)
LIBCXL_EX := $(LIBCXL_EX_SRCS:examples/%.c=$(BUILD)/examples/%)
LIBCXL_EX_CC = $(CC) -std=gnu11 $(WARNINGS) $(CFLAGS) $(SANFLAGS) -pthread -I$(BUILD)/include
LIBCXL_STUB := $(BUILD)/examples/ibm/libcxl.so.1

libcxl-examples: $(LIBCXL_EX) $(LIBCXL_EX:%=%-static) $(LIBCXL_EX:%=%-ibm)

$(LIBCXL_EX): $(BUILD)/examples/%: examples/%.c $(LIBCXL_EX_HDRS) $(LIBCXL_ALL)
	@mkdir -p $(dir $@)
	$(LIBCXL_EX_CC) -o $@ $< -L$(BUILD)/lib -lcxl

$(LIBCXL_EX:%=%-static): $(BUILD)/examples/%-static: examples/%.c $(LIBCXL_EX_HDRS) $(LIBCXL_ALL)
	@mkdir -p $(dir $@)
	$(LIBCXL_EX_CC) -o $@ $< -L$(BUILD)/lib -Wl,-Bstatic -lcxl -Wl,-Bdynamic $(LDLIBS)

# A library with IBM's soname and versions and nothing behind them: what a
# program built elsewhere was linked against.
$(LIBCXL_STUB): $(LIBCXL_MAP) $(LIBCXL_SYMS)
	@mkdir -p $(dir $@)
	sed 's/.*/int &(void) { return -1; }/' $(LIBCXL_SYMS) | grep '^int cxl_' > $(@D)/stub.c
	$(CC) -shared -fPIC -Wl,-soname,libcxl.so.1 -Wl,--version-script=$(LIBCXL_MAP) \
		-o $@ $(@D)/stub.c
	ln -sf libcxl.so.1 $(@D)/libcxl.so

$(LIBCXL_EX:%=%-ibm): $(BUILD)/examples/%-ibm: examples/%.c $(LIBCXL_EX_HDRS) $(LIBCXL_STUB) $(LIBCXL_H)
	$(LIBCXL_EX_CC) -o $@ $< -L$(dir $(LIBCXL_STUB)) -lcxl
