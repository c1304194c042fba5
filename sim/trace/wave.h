/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two waveform writers behind trace_wave(): FST through GTKWave's
 * fstapi (fst.c) and plain VCD (vcd.c).  Internal to sim/trace.
 *
 * Calls come in this order: scope/upscope/var to declare everything,
 * then time (never decreasing) and change, then close.  A value is a
 * vector of @width characters '0', '1' or 'x', most significant first,
 * or, for a string variable (width 0), any text.  Every call returns 0
 * or a negative errno.
 */
#ifndef CAPISIM_TRACE_WAVE_H
#define CAPISIM_TRACE_WAVE_H

#include "trace/cxt.h"

struct wave_out;

struct wave_ops {
	int (*scope)(struct wave_out *o, const char *name);
	int (*upscope)(struct wave_out *o);
	/* Declare a variable of @width bits (0: a string); its handle in *@h. */
	int (*var)(struct wave_out *o, const char *name, unsigned int width, u32 *h);
	int (*time)(struct wave_out *o, u64 t);
	int (*change)(struct wave_out *o, u32 h, const char *val, size_t len);
	/* Finish the file and free @o, whatever happened before. */
	int (*close)(struct wave_out *o, struct cxt_error *err);
};

struct wave_out {
	const struct wave_ops *ops;
	const char *path;
};

/* Create @path; the timescale is 1 ps.  @err names the file on failure. */
int wave_fst_open(const char *path, struct wave_out **out, struct cxt_error *err);
int wave_vcd_open(const char *path, struct wave_out **out, struct cxt_error *err);

#endif
