/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The .cxt trace file (docs/trace-format.md): a header holding everything
 * a run depends on, then blocks of events, each zlib-compressed with its
 * own CRC-32 and decodable on its own, then an index of the blocks by
 * time and a footer pointing at it.
 *
 * Every error message names the file and the region: "t.cxt: block 3 at
 * offset 81920: CRC mismatch", "t.cxt: header at offset 0: bad magic".
 */
#ifndef CAPISIM_TRACE_CXT_H
#define CAPISIM_TRACE_CXT_H

#include <stdio.h>

#include "trace/trace.h"

#define CXT_MAJOR 1
#define CXT_MINOR 0

struct cxt_error {
	char msg[512];
};

/* One named seed of the run ("master", "stimulus", ...). */
struct cxt_seed {
	const char *name;
	u64 value;
};

/*
 * What a run depends on.  A NULL string is absent from the file and reads
 * back as NULL; "" is present and empty.
 */
struct cxt_header {
	u16 major, minor;		/* set by the reader; the writer writes its own */
	enum trace_level level;		/* the level the trace was recorded at */
	const char *capisim_version;
	const char *config_name;	/* the configuration file as named on the command line */
	const char *config_text;	/* its full text */
	const char *timing_name;
	const char *timing_text;
	const char *driver_origin;	/* "package" or "kernel_src" */
	const char *driver_source;	/* "linux-source-6.1", or the KERNEL_SRC path */
	const char *driver_version;	/* the package version, or the git revision */
	const struct cxt_seed *seeds;
	unsigned int nr_seeds;
};

/* Writer tuning; zero fields take the defaults. */
struct cxt_writer_opts {
	u32 block_events;		/* events per block, default 16384 */
	u32 block_bytes;		/* uncompressed bytes per block, default 1 MiB */
	int zlevel;			/* deflate level 1..9, default 1 (speed first) */
	bool sync;			/* compress in the caller's thread, not a thread of its own */
};

struct cxt_writer;

/*
 * Create @path (or write to @f, which stays the caller's; @name stands for
 * it in messages) and write the header.  File offsets count from the
 * header's first byte, so @f must be empty.  Returns 0 or a negative
 * errno with @err set.
 */
int cxt_create(const char *path, const struct cxt_header *h,
	       const struct cxt_writer_opts *opts, struct cxt_writer **out,
	       struct cxt_error *err);
int cxt_create_file(FILE *f, const char *name, const struct cxt_header *h,
		    const struct cxt_writer_opts *opts, struct cxt_writer **out,
		    struct cxt_error *err);

/*
 * Define a source or a kind; returns its id (>= 1) or a negative errno.
 * Defining an existing name again returns the same id if the definition
 * is the same, -EEXIST otherwise.
 */
int cxt_def_source(struct cxt_writer *w, const char *name, struct cxt_error *err);
int cxt_def_kind(struct cxt_writer *w, const char *name, enum trace_level level,
		 unsigned int nr_fields, const u8 *types,
		 const char (*names)[TRACE_MAX_NAME + 1], struct cxt_error *err);

/*
 * Append @ev.  Its time must not be before the previous event's, its
 * source and kind must be defined and its fields must match the kind.
 * Returns 0 or a negative errno; after an I/O error every call fails.
 * Full blocks are compressed and written by the writer's own thread
 * (unless opts.sync): a write error there is returned by the call that
 * ends the next block, or by cxt_close_writer().
 */
int cxt_write(struct cxt_writer *w, const struct trace_event *ev, struct cxt_error *err);

/* Events written so far. */
u64 cxt_writer_nr_events(const struct cxt_writer *w);

/*
 * Write the last block, the index and the footer, and free @w (closing
 * the file cxt_create() opened).  Returns 0 or a negative errno.
 */
int cxt_close_writer(struct cxt_writer *w, struct cxt_error *err);

/* A kind as read back. */
struct cxt_kind {
	const char *name;
	enum trace_level level;
	unsigned int nr_fields;
	u8 types[TRACE_MAX_FIELDS];
	const char *field_names[TRACE_MAX_FIELDS];
};

struct cxt_reader;

enum cxt_open_flags {
	/*
	 * A file without a valid index and footer (a run that crashed, a
	 * truncated copy) is read up to its last intact block instead of
	 * being rejected.
	 */
	CXT_SALVAGE = 1 << 0,
};

/*
 * Open and validate the header, index and footer (blocks are checked when
 * read).  cxt_open_mem() reads @len bytes at @buf, which must outlive the
 * reader.  Returns 0 or a negative errno (-EBADMSG: corrupt or truncated,
 * -ENOTSUP: another major version) with @err set.
 */
int cxt_open(const char *path, unsigned int flags, struct cxt_reader **out,
	     struct cxt_error *err);
int cxt_open_mem(const void *buf, size_t len, const char *name, unsigned int flags,
		 struct cxt_reader **out, struct cxt_error *err);
void cxt_close(struct cxt_reader *r);

const struct cxt_header *cxt_header(const struct cxt_reader *r);
u64 cxt_nr_events(const struct cxt_reader *r);
u32 cxt_nr_blocks(const struct cxt_reader *r);

/*
 * The next event into @ev (valid until the next call on @r).  Returns 1,
 * 0 at the end, or a negative errno with @err set.
 */
int cxt_next(struct cxt_reader *r, struct trace_event *ev, struct cxt_error *err);

/* Make the next cxt_next() return the first event at or after time @t. */
int cxt_seek(struct cxt_reader *r, u64 t, struct cxt_error *err);

/* Names of ids met so far (every id an event returned has one); NULL if unknown. */
const char *cxt_source_name(const struct cxt_reader *r, unsigned int id);
const struct cxt_kind *cxt_kind(const struct cxt_reader *r, unsigned int id);

#endif
