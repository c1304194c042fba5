// SPDX-License-Identifier: GPL-2.0
/*
 * The FST writer: GTKWave's own fstapi, compiled from the copy the
 * verilator package ships (mk/tracetools.mk; docs/toolchain notes §3).
 * fstapi reports no errors while writing, so the only ones seen here are
 * creating the file and a failed seek, which it does count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fstapi.h"
#include "trace/wave.h"

struct fst_out {
	struct wave_out o;
	void *ctx;			/* fstapi's writer */
	bool *is_str;			/* by handle: a string variable */
	u32 nr_handles;
};

static struct fst_out *fst_of(struct wave_out *o)
{
	return container_of(o, struct fst_out, o);
}

static int fst_scope(struct wave_out *o, const char *name)
{
	fstWriterSetScope(fst_of(o)->ctx, FST_ST_VCD_MODULE, name, NULL);
	return 0;
}

static int fst_upscope(struct wave_out *o)
{
	fstWriterSetUpscope(fst_of(o)->ctx);
	return 0;
}

static int grow_handles(struct fst_out *f, fstHandle fh)
{
	bool *v;

	if (fh < f->nr_handles)
		return 0;
	v = realloc(f->is_str, ((size_t)fh + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(v + f->nr_handles, 0, (fh + 1 - f->nr_handles) * sizeof(*v));
	f->is_str = v;
	f->nr_handles = fh + 1;
	return 0;
}

static int fst_var(struct wave_out *o, const char *name, unsigned int width, u32 *h)
{
	fstHandle fh;

	if (width)
		fh = fstWriterCreateVar(fst_of(o)->ctx, FST_VT_VCD_WIRE, FST_VD_IMPLICIT, width,
					name, 0);
	else
		fh = fstWriterCreateVar(fst_of(o)->ctx, FST_VT_GEN_STRING, FST_VD_IMPLICIT, 0,
					name, 0);
	if (!fh || grow_handles(fst_of(o), fh))
		return -ENOMEM;
	fst_of(o)->is_str[fh] = !width;
	*h = fh;
	return 0;
}

static int fst_time(struct wave_out *o, u64 t)
{
	fstWriterEmitTimeChange(fst_of(o)->ctx, t);
	return 0;
}

/* Vectors go as their characters; strings need the variable-length call. */
static int fst_change(struct wave_out *o, u32 h, const char *val, size_t len)
{
	struct fst_out *f = fst_of(o);

	if (h >= f->nr_handles || len > UINT32_MAX)
		return -EINVAL;
	if (fstWriterGetFseekFailed(f->ctx))
		return -EIO;
	if (f->is_str[h])
		fstWriterEmitVariableLengthValueChange(f->ctx, h, val, (u32)len);
	else
		fstWriterEmitValueChange(f->ctx, h, val);
	return 0;
}

static int fst_close(struct wave_out *o, struct cxt_error *err)
{
	struct fst_out *f = fst_of(o);
	bool failed = fstWriterGetFseekFailed(f->ctx);

	fstWriterClose(f->ctx);
	free(f->is_str);
	if (failed)
		snprintf(err->msg, sizeof(err->msg), "%s: write error (seek failed)", o->path);
	free(f);
	return failed ? -EIO : 0;
}

static const struct wave_ops fst_ops = {
	.scope = fst_scope,
	.upscope = fst_upscope,
	.var = fst_var,
	.time = fst_time,
	.change = fst_change,
	.close = fst_close,
};

int wave_fst_open(const char *path, struct wave_out **out, struct cxt_error *err)
{
	struct fst_out *f = calloc(1, sizeof(*f));
	FILE *probe;

	if (!f) {
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", path);
		return -ENOMEM;
	}
	/* fstapi says nothing about why it cannot create a file: ask first. */
	probe = fopen(path, "wb");
	if (!probe) {
		int e = errno;

		snprintf(err->msg, sizeof(err->msg), "%s: cannot create: %s", path, strerror(e));
		free(f);
		return -e;
	}
	fclose(probe);
	f->ctx = fstWriterCreate(path, 1);
	if (!f->ctx) {
		snprintf(err->msg, sizeof(err->msg), "%s: cannot create an FST writer", path);
		free(f);
		return -EIO;
	}
	fstWriterSetTimescale(f->ctx, -12);
	fstWriterSetVersion(f->ctx, "capisim trace fst");
	/* A fixed date: the same trace makes the same file. */
	fstWriterSetDate(f->ctx, "-");
	f->o.ops = &fst_ops;
	f->o.path = path;
	*out = &f->o;
	return 0;
}
