// SPDX-License-Identifier: GPL-2.0
/*
 * The VCD writer (IEEE 1364 §18), the fallback to FST: readable by any
 * waveform viewer, many times larger.  Strings use GTKWave's extension
 * (a "string" variable, values "sTEXT"), the form fst2vcd writes; blanks
 * in them become '_' since VCD values end at a blank.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/wave.h"

struct vcd_out {
	struct wave_out o;
	FILE *f;
	bool in_defs;			/* $enddefinitions not written yet */
	u32 *width;			/* by handle */
	u32 nr_handles, cap_handles;
};

static struct vcd_out *vcd_of(struct wave_out *o)
{
	return container_of(o, struct vcd_out, o);
}

/* Identifier codes: base 94 over the printable characters '!'..'~'. */
static void put_id(FILE *f, u32 h)
{
	do {
		fputc('!' + h % 94, f);
		h /= 94;
	} while (h);
}

static int vcd_scope(struct wave_out *o, const char *name)
{
	fprintf(vcd_of(o)->f, "$scope module %s $end\n", name);
	return 0;
}

static int vcd_upscope(struct wave_out *o)
{
	fputs("$upscope $end\n", vcd_of(o)->f);
	return 0;
}

static int vcd_var(struct wave_out *o, const char *name, unsigned int width, u32 *h)
{
	struct vcd_out *v = vcd_of(o);

	if (v->nr_handles == v->cap_handles) {
		u32 cap = v->cap_handles ? 2 * v->cap_handles : 64;
		u32 *w = realloc(v->width, cap * sizeof(*w));

		if (!w)
			return -ENOMEM;
		v->width = w;
		v->cap_handles = cap;
	}
	*h = v->nr_handles;
	v->width[v->nr_handles++] = width;
	if (width)
		fprintf(v->f, "$var wire %u ", width);
	else
		fputs("$var string 0 ", v->f);
	put_id(v->f, *h);
	fprintf(v->f, " %s $end\n", name);
	return 0;
}

static int vcd_time(struct wave_out *o, u64 t)
{
	struct vcd_out *v = vcd_of(o);

	if (v->in_defs) {
		fputs("$enddefinitions $end\n", v->f);
		v->in_defs = false;
	}
	fprintf(v->f, "#%llu\n", (unsigned long long)t);
	return ferror(v->f) ? -EIO : 0;
}

static int vcd_change(struct wave_out *o, u32 h, const char *val, size_t len)
{
	struct vcd_out *v = vcd_of(o);
	size_t i;

	if (h >= v->nr_handles)
		return -EINVAL;
	if (v->width[h] == 1) {
		fputc(val[0], v->f);
	} else if (v->width[h]) {
		fputc('b', v->f);
		fwrite(val, 1, len, v->f);
		fputc(' ', v->f);
	} else {
		fputc('s', v->f);
		for (i = 0; i < len; i++)
			fputc(val[i] > ' ' && val[i] < 0x7f ? val[i] : '_', v->f);
		fputc(' ', v->f);
	}
	put_id(v->f, h);
	fputc('\n', v->f);
	return 0;
}

static int vcd_close(struct wave_out *o, struct cxt_error *err)
{
	struct vcd_out *v = vcd_of(o);
	int ret = 0;

	if (v->in_defs)
		fputs("$enddefinitions $end\n", v->f);
	if (ferror(v->f) | fclose(v->f)) {
		snprintf(err->msg, sizeof(err->msg), "%s: write error: %s", o->path,
			 strerror(errno));
		ret = -EIO;
	}
	free(v->width);
	free(v);
	return ret;
}

static const struct wave_ops vcd_ops = {
	.scope = vcd_scope,
	.upscope = vcd_upscope,
	.var = vcd_var,
	.time = vcd_time,
	.change = vcd_change,
	.close = vcd_close,
};

int wave_vcd_open(const char *path, struct wave_out **out, struct cxt_error *err)
{
	struct vcd_out *v = calloc(1, sizeof(*v));

	if (!v) {
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", path);
		return -ENOMEM;
	}
	v->f = fopen(path, "w");
	if (!v->f) {
		int e = errno;

		snprintf(err->msg, sizeof(err->msg), "%s: cannot create: %s", path, strerror(e));
		free(v);
		return -e;
	}
	fputs("$version capisim trace fst --vcd $end\n$timescale 1ps $end\n", v->f);
	v->in_defs = true;
	v->o.ops = &vcd_ops;
	v->o.path = path;
	*out = &v->o;
	return 0;
}
