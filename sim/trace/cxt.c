// SPDX-License-Identifier: GPL-2.0
/*
 * The .cxt trace file: writer and reader.  docs/trace-format.md is the
 * specification; this file follows its section order.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "trace/cxt.h"

static const u8 cxt_magic[8] = { 0x89, 'C', 'X', 'T', '\r', '\n', 0x1a, '\n' };

#define HDR_FIXED	16	/* magic, major, minor, body length */
#define BLK_HDR		40
#define BLK_CRC_AT	36
#define IDX_FIXED	12	/* "CXIX", block count, entry size */
#define IDX_ENTRY	48
#define FOOTER		28
#define MAX_HDR_BODY	(16U << 20)
#define MAX_RAW		(64U << 20)

#define DEF_BLOCK_EVENTS	16384
#define DEF_BLOCK_BYTES		(1U << 20)
#define DEF_ZLEVEL		1

#define MAX_ID		65535

/* Header entry tags (docs/trace-format.md, "Header entries"). */
enum cxt_tag {
	TAG_LEVEL = 1,
	TAG_CAPISIM_VERSION = 2,
	TAG_CONFIG_NAME = 3,
	TAG_CONFIG_TEXT = 4,
	TAG_TIMING_NAME = 5,
	TAG_TIMING_TEXT = 6,
	TAG_DRIVER_ORIGIN = 7,
	TAG_DRIVER_SOURCE = 8,
	TAG_DRIVER_VERSION = 9,
	TAG_SEED = 10,
};

/* Definition record types inside a block. */
enum cxt_def {
	DEF_SOURCE = 1,
	DEF_KIND = 2,
};

static void put_le16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(u8 *p, u32 v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

static void put_le64(u8 *p, u64 v)
{
	put_le32(p, v);
	put_le32(p + 4, v >> 32);
}

static u16 get_le16(const u8 *p)
{
	return p[0] | (u16)p[1] << 8;
}

static u32 get_le32(const u8 *p)
{
	return get_le16(p) | (u32)get_le16(p + 2) << 16;
}

static u64 get_le64(const u8 *p)
{
	return get_le32(p) | (u64)get_le32(p + 4) << 32;
}

static inline u64 zigzag(u64 d)
{
	return (d << 1) ^ (u64)((s64)d >> 63);
}

static inline u64 unzigzag(u64 z)
{
	return (z >> 1) ^ -(z & 1);
}

static u32 crc_of(u32 crc, const u8 *p, size_t len)
{
	/* zlib's crc32() takes a uInt length: feed it in pieces. */
	while (len) {
		uInt n = len > (1U << 30) ? 1U << 30 : (uInt)len;

		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return crc;
}

__attribute__((format(printf, 5, 0)))
static int vfail(struct cxt_error *err, int ret, const char *file, const char *region,
		 const char *fmt, va_list ap)
{
	int n = snprintf(err->msg, sizeof(err->msg), "%s: %s", file, region);

	if (n >= 0 && (size_t)n < sizeof(err->msg))
		vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
	return ret;
}

/* "FILE: MSG", for errors that belong to no region (opening, I/O). */
__attribute__((format(printf, 4, 5)))
static int fail(struct cxt_error *err, int ret, const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(err, ret, file, "", fmt, ap);
	va_end(ap);
	return ret;
}

/* "FILE: REGION at offset OFF: MSG" for the header, index and footer. */
__attribute__((format(printf, 6, 7)))
static int fail_at(struct cxt_error *err, int ret, const char *file, const char *region,
		   u64 off, const char *fmt, ...)
{
	char where[64];
	va_list ap;

	snprintf(where, sizeof(where), "%s at offset %llu: ", region, (unsigned long long)off);
	va_start(ap, fmt);
	vfail(err, ret, file, where, fmt, ap);
	va_end(ap);
	return ret;
}

/* "FILE: block N at offset OFF: MSG". */
__attribute__((format(printf, 6, 7)))
static int fail_blk(struct cxt_error *err, int ret, const char *file, u64 blk, u64 off,
		    const char *fmt, ...)
{
	char where[64];
	va_list ap;

	snprintf(where, sizeof(where), "block %llu at offset %llu: ",
		 (unsigned long long)blk, (unsigned long long)off);
	va_start(ap, fmt);
	vfail(err, ret, file, where, fmt, ap);
	va_end(ap);
	return ret;
}

/* A growable byte buffer. */
struct cxt_buf {
	u8 *p;
	size_t len, cap;
};

static int buf_reserve(struct cxt_buf *b, size_t n)
{
	size_t cap;
	u8 *p;

	if (b->cap - b->len >= n)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Encode @v at @p (room for 10 bytes); returns the end. */
static inline u8 *enc_varint(u8 *p, u64 v)
{
	while (v >= 0x80) {
		*p++ = (u8)v | 0x80;
		v >>= 7;
	}
	*p++ = (u8)v;
	return p;
}

/* Callers reserve first: at most 10 bytes. */
static inline void put_varint(struct cxt_buf *b, u64 v)
{
	b->len = enc_varint(b->p + b->len, v) - b->p;
}

static inline void put_raw(struct cxt_buf *b, const void *src, size_t n)
{
	if (n)
		memcpy(b->p + b->len, src, n);
	b->len += n;
}

static int buf_varint(struct cxt_buf *b, u64 v)
{
	if (buf_reserve(b, 10))
		return -ENOMEM;
	put_varint(b, v);
	return 0;
}

static int buf_bytes(struct cxt_buf *b, const void *src, size_t n)
{
	if (buf_reserve(b, n + 10))
		return -ENOMEM;
	put_varint(b, n);
	put_raw(b, src, n);
	return 0;
}

/* ---- Writer ---- */

struct cxt_wkind {
	char name[TRACE_MAX_NAME + 1];
	u8 level;
	u8 nr_fields;
	u8 types[TRACE_MAX_FIELDS];
	char field_names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1];
	/* Delta state: the previous event of this kind in the open block. */
	u16 prev_src;
	u32 prev_ctx;
	u64 prev[TRACE_MAX_FIELDS];
};

struct cxt_ientry {
	u64 off, first_event, first_time, last_time;
	u32 nr_events, raw_size, comp_size, crc;
};

/* A block handed to the compressor. */
struct cxt_job {
	struct cxt_buf raw;		/* its payload; once written, the next block's buffer */
	u64 first_event, first_time, last_time;
	u32 nr_events;
};

/*
 * Blocks that may wait for the compressor: enough to ride out the
 * thread's scheduling delays on a busy machine without holding up the
 * simulation, at up to 2 MiB of payload each (block_bytes + an event).
 */
#define QUEUE_LEN	8

/*
 * A writer belongs to the one thread that writes the trace, except the
 * block compression: a compressor thread deflates, checksums and writes
 * each full block (write_block()) while the caller fills the next ones.
 * So the caller pays for encoding events, not for deflate.  From
 * cxt_create() to cxt_close_writer() the fields marked [z] belong to the
 * compressor (the caller's thread when there is no compressor thread),
 * the others to the caller.  A failure there is reported by the next
 * cxt_write() that ends a block, or by the close.
 */
struct cxt_writer {
	FILE *f;			/* [z] */
	bool own_file;
	char *name;
	int werr;			/* [z] sticky: first failure, negative errno */
	u64 off;			/* [z] bytes written so far */
	z_stream zs;			/* [z] */
	struct cxt_buf comp;		/* [z] a block's compressed form */
	struct cxt_ientry *index;	/* [z] */
	u32 nr_blocks, cap_blocks;	/* [z] */
	/*
	 * The queue: a ring of QUEUE_LEN jobs; [head, head + queued) are
	 * the compressor's, the others the caller's, who fills @tail next
	 * (always job 0 without a compressor thread).
	 */
	struct cxt_job queue[QUEUE_LEN];
	u32 tail;
	/* The compressor thread, when @threaded; a fork()ed child has none. */
	bool threaded;
	pid_t pid;			/* the process that has it */
	pthread_t thread;
	pthread_mutex_t lock;		/* protects the fields up to @cond */
	u32 head, queued;
	bool stop;			/* the thread is to exit once the queue is empty */
	int failed;			/* the compressor's first failure, and its message */
	struct cxt_error fail_msg;
	pthread_cond_t cond;		/* signalled when @queued or @stop changes */
	int ioerr;			/* the caller's copy of @failed */
	/* The open block. */
	struct cxt_buf raw;		/* uncompressed */
	u32 block_events, block_bytes;
	bool snapshot_done;		/* its definitions snapshot is written */
	u32 blk_events;
	u64 blk_first_time;
	u64 prev_time;			/* of the last event written, in any block */
	u64 nr_events;
	/* Definitions, by id - 1. */
	char (*sources)[TRACE_MAX_NAME + 1];
	u32 nr_sources, cap_sources;
	struct cxt_wkind *kinds;
	u32 nr_kinds, cap_kinds;
};

static int w_write(struct cxt_writer *w, const void *p, size_t n, struct cxt_error *err)
{
	if (w->werr)
		return fail(err, w->werr, w->name, "an earlier write failed");
	if (n && fwrite(p, 1, n, w->f) != n) {
		w->werr = errno ? -errno : -EIO;
		return fail(err, w->werr, w->name, "write at offset %llu: %s",
			    (unsigned long long)w->off, strerror(-w->werr));
	}
	w->off += n;
	return 0;
}

static int hdr_put_str(struct cxt_buf *b, enum cxt_tag tag, const char *s)
{
	if (!s)
		return 0;
	if (buf_varint(b, tag))
		return -ENOMEM;
	return buf_bytes(b, s, strlen(s));
}

static int hdr_put_seed(struct cxt_buf *b, const struct cxt_seed *s)
{
	size_t n = strlen(s->name);
	u8 v[8];

	if (buf_varint(b, TAG_SEED) || buf_varint(b, 8 + n) || buf_reserve(b, 8 + n))
		return -ENOMEM;
	put_le64(v, s->value);
	put_raw(b, v, 8);
	put_raw(b, s->name, n);
	return 0;
}

static int hdr_body(struct cxt_buf *b, const struct cxt_header *h)
{
	const struct { enum cxt_tag tag; const char *s; } strs[] = {
		{ TAG_CAPISIM_VERSION, h->capisim_version },
		{ TAG_CONFIG_NAME, h->config_name },
		{ TAG_CONFIG_TEXT, h->config_text },
		{ TAG_TIMING_NAME, h->timing_name },
		{ TAG_TIMING_TEXT, h->timing_text },
		{ TAG_DRIVER_ORIGIN, h->driver_origin },
		{ TAG_DRIVER_SOURCE, h->driver_source },
		{ TAG_DRIVER_VERSION, h->driver_version },
	};
	u8 level = h->level;
	unsigned int i;

	if (buf_varint(b, TAG_LEVEL) || buf_bytes(b, &level, 1))
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(strs); i++)
		if (hdr_put_str(b, strs[i].tag, strs[i].s))
			return -ENOMEM;
	for (i = 0; i < h->nr_seeds; i++)
		if (hdr_put_seed(b, &h->seeds[i]))
			return -ENOMEM;
	return 0;
}

static int write_header(struct cxt_writer *w, const struct cxt_header *h,
			struct cxt_error *err)
{
	struct cxt_buf b = { 0 };
	u8 crc[4];
	int ret;

	if (h->level > TRACE_LVL_DEBUG)
		return fail(err, -EINVAL, w->name, "header: level %d out of range", h->level);
	ret = buf_reserve(&b, HDR_FIXED);
	if (!ret) {
		b.len = HDR_FIXED;
		ret = hdr_body(&b, h);
	}
	if (ret) {
		free(b.p);
		return fail(err, ret, w->name, "header: out of memory");
	}
	if (b.len - HDR_FIXED > MAX_HDR_BODY) {
		free(b.p);
		return fail(err, -EFBIG, w->name, "header: %zu bytes, more than the %u allowed",
			    b.len - HDR_FIXED, MAX_HDR_BODY);
	}
	memcpy(b.p, cxt_magic, 8);
	put_le16(b.p + 8, CXT_MAJOR);
	put_le16(b.p + 10, CXT_MINOR);
	put_le32(b.p + 12, b.len - HDR_FIXED);
	put_le32(crc, crc_of(0, b.p, b.len));
	ret = w_write(w, b.p, b.len, err);
	if (!ret)
		ret = w_write(w, crc, 4, err);
	free(b.p);
	return ret;
}

static int compressor_start(struct cxt_writer *w);

static void writer_free(struct cxt_writer *w)
{
	unsigned int i;

	if (w->own_file && w->f)
		fclose(w->f);
	deflateEnd(&w->zs);
	free(w->raw.p);
	for (i = 0; i < QUEUE_LEN; i++)
		free(w->queue[i].raw.p);
	free(w->comp.p);
	free(w->sources);
	free(w->kinds);
	free(w->index);
	free(w->name);
	free(w);
}

int cxt_create_file(FILE *f, const char *name, const struct cxt_header *h,
		    const struct cxt_writer_opts *opts, struct cxt_writer **out,
		    struct cxt_error *err)
{
	struct cxt_writer_opts o = opts ? *opts : (struct cxt_writer_opts){ 0 };
	struct cxt_writer *w;
	int ret;

	if (o.zlevel < 0 || o.zlevel > 9)
		return fail(err, -EINVAL, name, "deflate level %d out of range 1..9", o.zlevel);
	w = calloc(1, sizeof(*w));
	if (!w)
		return fail(err, -ENOMEM, name, "out of memory");
	w->name = strdup(name);
	if (!w->name || deflateInit(&w->zs, o.zlevel ? o.zlevel : DEF_ZLEVEL) != Z_OK) {
		free(w->name);
		free(w);
		return fail(err, -ENOMEM, name, "out of memory");
	}
	w->f = f;
	w->block_events = o.block_events ? o.block_events : DEF_BLOCK_EVENTS;
	w->block_bytes = o.block_bytes ? o.block_bytes : DEF_BLOCK_BYTES;
	if (w->block_bytes > MAX_RAW / 2)
		w->block_bytes = MAX_RAW / 2;
	ret = write_header(w, h, err);
	if (ret) {
		writer_free(w);
		return ret;
	}
	/* If the thread cannot start, the caller compresses: slower, but the same file. */
	if (!o.sync)
		compressor_start(w);
	*out = w;
	return 0;
}

int cxt_create(const char *path, const struct cxt_header *h,
	       const struct cxt_writer_opts *opts, struct cxt_writer **out,
	       struct cxt_error *err)
{
	FILE *f = fopen(path, "wb");
	int ret;

	if (!f)
		return fail(err, -errno, path, "cannot create: %s", strerror(errno));
	ret = cxt_create_file(f, path, h, opts, out, err);
	if (ret) {
		fclose(f);
		return ret;
	}
	(*out)->own_file = true;
	return 0;
}

/* The longest definition body: a kind with every name at its longest. */
#define DEF_MAX (32 + TRACE_MAX_NAME + TRACE_MAX_FIELDS * (3 + TRACE_MAX_NAME))

static u8 *enc_name(u8 *p, const char *s)
{
	size_t n = strlen(s);

	p = enc_varint(p, n);
	memcpy(p, s, n);
	return p + n;
}

static int raw_def(struct cxt_writer *w, const u8 *body, size_t n)
{
	if (buf_reserve(&w->raw, n + 20))
		return -ENOMEM;
	put_varint(&w->raw, 0);
	put_varint(&w->raw, n);
	put_raw(&w->raw, body, n);
	return 0;
}

static int raw_def_source(struct cxt_writer *w, u32 id)
{
	u8 body[DEF_MAX], *p = body;

	p = enc_varint(p, DEF_SOURCE);
	p = enc_varint(p, id);
	p = enc_name(p, w->sources[id - 1]);
	return raw_def(w, body, p - body);
}

static int raw_def_kind(struct cxt_writer *w, u32 id)
{
	const struct cxt_wkind *k = &w->kinds[id - 1];
	u8 body[DEF_MAX], *p = body;
	unsigned int i;

	p = enc_varint(p, DEF_KIND);
	p = enc_varint(p, id);
	*p++ = k->level;
	p = enc_name(p, k->name);
	*p++ = k->nr_fields;
	for (i = 0; i < k->nr_fields; i++) {
		*p++ = k->types[i];
		p = enc_name(p, k->field_names[i]);
	}
	return raw_def(w, body, p - body);
}

static void kind_reset_deltas(struct cxt_wkind *k)
{
	k->prev_src = 0;
	k->prev_ctx = TRACE_CTX_NONE;
	memset(k->prev, 0, sizeof(k->prev));
}

/* A block opens with every definition so far: it decodes on its own. */
static int write_snapshot(struct cxt_writer *w)
{
	u32 id;

	for (id = 1; id <= w->nr_sources; id++)
		if (raw_def_source(w, id))
			return -ENOMEM;
	for (id = 1; id <= w->nr_kinds; id++) {
		if (raw_def_kind(w, id))
			return -ENOMEM;
		kind_reset_deltas(&w->kinds[id - 1]);
	}
	w->snapshot_done = true;
	return 0;
}

/*
 * Make room for @need elements of @size in @arr (of *@cap): returns the
 * array, maybe moved, or NULL with @arr and *@cap unchanged.
 */
static void *grow(void *arr, u32 *cap, u32 need, size_t size)
{
	u32 n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return arr;
	while (n < need)
		n *= 2;
	p = realloc(arr, (size_t)n * size);
	if (p)
		*cap = n;
	return p;
}

int cxt_def_source(struct cxt_writer *w, const char *name, struct cxt_error *err)
{
	char (*sources)[TRACE_MAX_NAME + 1];
	u32 id;

	if (!trace_name_valid(name, strlen(name)))
		return fail(err, -EINVAL, w->name, "source name \"%s\" is not valid", name);
	for (id = 1; id <= w->nr_sources; id++)
		if (!strcmp(w->sources[id - 1], name))
			return id;
	if (w->nr_sources == MAX_ID)
		return fail(err, -ENOSPC, w->name, "more than %u sources", MAX_ID);
	sources = grow(w->sources, &w->cap_sources, w->nr_sources + 1, sizeof(*sources));
	if (!sources)
		return fail(err, -ENOMEM, w->name, "out of memory");
	w->sources = sources;
	id = ++w->nr_sources;
	strcpy(w->sources[id - 1], name);
	if (w->snapshot_done && raw_def_source(w, id))
		return fail(err, -ENOMEM, w->name, "out of memory");
	return id;
}

static bool kind_same(const struct cxt_wkind *k, enum trace_level level, unsigned int nr,
		      const u8 *types, const char (*names)[TRACE_MAX_NAME + 1])
{
	unsigned int i;

	if (k->level != level || k->nr_fields != nr)
		return false;
	for (i = 0; i < nr; i++)
		if (k->types[i] != types[i] || strcmp(k->field_names[i], names[i]))
			return false;
	return true;
}

static int check_kind(struct cxt_writer *w, const char *name, enum trace_level level,
		      unsigned int nr, const u8 *types,
		      const char (*names)[TRACE_MAX_NAME + 1], struct cxt_error *err)
{
	unsigned int i;

	if (!trace_name_valid(name, strlen(name)))
		return fail(err, -EINVAL, w->name, "kind name \"%s\" is not valid", name);
	if (level < TRACE_LVL_DEFAULT || level > TRACE_LVL_DEBUG)
		return fail(err, -EINVAL, w->name, "kind %s: level %d out of range", name, level);
	if (nr > TRACE_MAX_FIELDS)
		return fail(err, -EINVAL, w->name, "kind %s: %u fields, at most %u", name, nr,
			    TRACE_MAX_FIELDS);
	for (i = 0; i < nr; i++) {
		if (!trace_type_name(types[i]))
			return fail(err, -EINVAL, w->name, "kind %s: field %u has type %u",
				    name, i, types[i]);
		if (!trace_name_valid(names[i], strlen(names[i])))
			return fail(err, -EINVAL, w->name,
				    "kind %s: field name \"%s\" is not valid", name, names[i]);
	}
	return 0;
}

int cxt_def_kind(struct cxt_writer *w, const char *name, enum trace_level level,
		 unsigned int nr_fields, const u8 *types,
		 const char (*names)[TRACE_MAX_NAME + 1], struct cxt_error *err)
{
	struct cxt_wkind *k, *kinds;
	unsigned int i;
	u32 id;
	int ret;

	ret = check_kind(w, name, level, nr_fields, types, names, err);
	if (ret)
		return ret;
	for (id = 1; id <= w->nr_kinds; id++) {
		k = &w->kinds[id - 1];
		if (strcmp(k->name, name))
			continue;
		if (kind_same(k, level, nr_fields, types, names))
			return id;
		return fail(err, -EEXIST, w->name, "kind %s defined again differently", name);
	}
	if (w->nr_kinds == MAX_ID)
		return fail(err, -ENOSPC, w->name, "more than %u kinds", MAX_ID);
	kinds = grow(w->kinds, &w->cap_kinds, w->nr_kinds + 1, sizeof(*kinds));
	if (!kinds)
		return fail(err, -ENOMEM, w->name, "out of memory");
	w->kinds = kinds;
	id = ++w->nr_kinds;
	k = &w->kinds[id - 1];
	memset(k, 0, sizeof(*k));
	strcpy(k->name, name);
	k->level = level;
	k->nr_fields = nr_fields;
	for (i = 0; i < nr_fields; i++) {
		k->types[i] = types[i];
		strcpy(k->field_names[i], names[i]);
	}
	kind_reset_deltas(k);
	if (w->snapshot_done && raw_def_kind(w, id))
		return fail(err, -ENOMEM, w->name, "out of memory");
	return id;
}

/* Compress, checksum and write the block of @j (the compressor's side). */
static int write_block(struct cxt_writer *w, const struct cxt_job *j, struct cxt_error *err)
{
	struct cxt_ientry *e;
	u8 hdr[BLK_HDR];
	uLong bound;
	u32 comp;
	int ret;

	e = grow(w->index, &w->cap_blocks, w->nr_blocks + 1, sizeof(*e));
	if (!e)
		return fail(err, -ENOMEM, w->name, "out of memory");
	w->index = e;
	bound = deflateBound(&w->zs, j->raw.len);
	w->comp.len = 0;
	if (buf_reserve(&w->comp, bound))
		return fail(err, -ENOMEM, w->name, "out of memory");
	deflateReset(&w->zs);
	w->zs.next_in = j->raw.p;
	w->zs.avail_in = j->raw.len;
	w->zs.next_out = w->comp.p;
	w->zs.avail_out = bound;
	ret = deflate(&w->zs, Z_FINISH);
	if (ret != Z_STREAM_END) {
		w->werr = -EIO;
		return fail(err, -EIO, w->name, "block %u: deflate failed (%d)", w->nr_blocks, ret);
	}
	comp = bound - w->zs.avail_out;

	e = &w->index[w->nr_blocks];
	e->off = w->off;
	e->first_event = j->first_event;
	e->first_time = j->first_time;
	e->last_time = j->last_time;
	e->nr_events = j->nr_events;
	e->raw_size = j->raw.len;
	e->comp_size = comp;
	memcpy(hdr, "CXBK", 4);
	put_le32(hdr + 4, w->nr_blocks);
	put_le32(hdr + 8, e->nr_events);
	put_le32(hdr + 12, e->raw_size);
	put_le32(hdr + 16, comp);
	put_le64(hdr + 20, e->first_time);
	put_le64(hdr + 28, e->last_time);
	e->crc = crc_of(crc_of(0, hdr, BLK_CRC_AT), w->comp.p, comp);
	put_le32(hdr + BLK_CRC_AT, e->crc);
	ret = w_write(w, hdr, BLK_HDR, err);
	if (!ret)
		ret = w_write(w, w->comp.p, comp, err);
	if (ret)
		return ret;
	w->nr_blocks++;
	return 0;
}

/* write_block() unless an earlier block failed: then that failure again. */
static int compress_job(struct cxt_writer *w, const struct cxt_job *j, struct cxt_error *err)
{
	if (!w->werr)
		w->werr = write_block(w, j, err);
	else
		fail(err, w->werr, w->name, "an earlier write failed");
	return w->werr;
}

/* The compressor's first failure is the one the caller hears of (under @lock if threaded). */
static void publish(struct cxt_writer *w, int ret, const struct cxt_error *err)
{
	if (ret && !w->failed) {
		w->failed = ret;
		w->fail_msg = *err;
	}
}

static void *compressor(void *arg)
{
	struct cxt_writer *w = arg;
	struct cxt_error err;
	struct cxt_job *j;
	int ret;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->queued && !w->stop)
			pthread_cond_wait(&w->cond, &w->lock);
		if (!w->queued)
			break;
		j = &w->queue[w->head];
		pthread_mutex_unlock(&w->lock);
		ret = compress_job(w, j, &err);
		pthread_mutex_lock(&w->lock);
		publish(w, ret, &err);
		w->head = (w->head + 1) % QUEUE_LEN;
		w->queued--;
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * Wait until at most @max blocks wait for the compressor; returns its
 * first failure (in @err), once it is known.
 */
static int compressor_sync(struct cxt_writer *w, u32 max, struct cxt_error *err)
{
	int failed;

	if (w->threaded && getpid() != w->pid) {
		w->threaded = false;
		w->ioerr = -ECHILD;
		return fail(err, -ECHILD, w->name, "the writer belongs to the parent process");
	}
	if (w->threaded) {
		pthread_mutex_lock(&w->lock);
		while (w->queued > max)
			pthread_cond_wait(&w->cond, &w->lock);
		failed = w->failed;
		pthread_mutex_unlock(&w->lock);
	} else {
		failed = w->failed;
	}
	/* fail_msg is written once, before failed: it is stable now. */
	if (failed && !w->ioerr) {
		w->ioerr = failed;
		*err = w->fail_msg;
	} else if (w->ioerr) {
		fail(err, w->ioerr, w->name, "an earlier write failed");
	}
	return w->ioerr;
}

static int compressor_start(struct cxt_writer *w)
{
	if (pthread_mutex_init(&w->lock, NULL))
		return -ENOMEM;
	if (pthread_cond_init(&w->cond, NULL)) {
		pthread_mutex_destroy(&w->lock);
		return -ENOMEM;
	}
	if (pthread_create(&w->thread, NULL, compressor, w)) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		return -EAGAIN;
	}
	w->threaded = true;
	w->pid = getpid();
	return 0;
}

/* Let the compressor write what is queued, and end it. */
static void compressor_stop(struct cxt_writer *w)
{
	if (!w->threaded || getpid() != w->pid)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	w->threaded = false;
}

/* Queue the open block for the compressor; the next opens in a written one's buffer. */
static int flush_block(struct cxt_writer *w, struct cxt_error *err)
{
	struct cxt_job *j = &w->queue[w->tail];
	struct cxt_error zerr;
	struct cxt_buf spare;
	int ret;

	if (!w->blk_events)
		return 0;
	ret = compressor_sync(w, QUEUE_LEN - 1, err);
	if (ret)
		return ret;
	spare = j->raw;
	j->raw = w->raw;
	j->first_event = w->nr_events - w->blk_events;
	j->first_time = w->blk_first_time;
	j->last_time = w->prev_time;
	j->nr_events = w->blk_events;
	w->raw = spare;
	w->raw.len = 0;
	w->blk_events = 0;
	w->snapshot_done = false;
	if (!w->threaded) {
		publish(w, compress_job(w, j, &zerr), &zerr);
		return compressor_sync(w, 0, err);
	}
	w->tail = (w->tail + 1) % QUEUE_LEN;
	pthread_mutex_lock(&w->lock);
	w->queued++;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

/* Why cxt_write() refused @ev: the slow path, for the message. */
static int bad_event(struct cxt_writer *w, const struct trace_event *ev,
		     struct cxt_error *err)
{
	const struct cxt_wkind *k;
	unsigned int i;

	if (!ev->kind || ev->kind > w->nr_kinds)
		return fail(err, -EINVAL, w->name, "event kind %u is not defined", ev->kind);
	k = &w->kinds[ev->kind - 1];
	if (!ev->src || ev->src > w->nr_sources)
		return fail(err, -EINVAL, w->name, "%s: source %u is not defined",
			    k->name, ev->src);
	if (ev->nr_fields != k->nr_fields)
		return fail(err, -EINVAL, w->name, "%s: %u fields given, the kind has %u",
			    k->name, ev->nr_fields, k->nr_fields);
	if (ev->time < w->prev_time)
		return fail(err, -ERANGE, w->name,
			    "%s: time %llu is before the previous event's %llu", k->name,
			    (unsigned long long)ev->time, (unsigned long long)w->prev_time);
	for (i = 0; i < k->nr_fields; i++) {
		const struct trace_arg *a = &ev->f[i];

		if (a->type != k->types[i])
			return fail(err, -EINVAL, w->name, "%s: field %s is %s, given %s",
				    k->name, k->field_names[i], trace_type_name(k->types[i]),
				    trace_type_name(a->type) ?: "an unknown type");
		if (a->type < TRACE_BYTES)
			continue;
		if (a->len > TRACE_MAX_LEN || (a->len && !a->p))
			return fail(err, -EINVAL, w->name, "%s: field %s: %u bytes at %s",
				    k->name, k->field_names[i], a->len, a->p ? "a buffer" : "NULL");
		if (a->type == TRACE_STR && memchr(a->p, 0, a->len))
			return fail(err, -EINVAL, w->name, "%s: field %s: string holds a NUL",
				    k->name, k->field_names[i]);
	}
	return fail(err, -ENOMEM, w->name, "out of memory");
}

/* An event's record without its bytes and str values: head, time, source, context, ints. */
#define RECORD_MAX	(4 * 10 + TRACE_MAX_FIELDS * 10)

/*
 * Append bytes or str value @a at @*p, growing the block if needed (which
 * may move it: @*p follows).  False if @a is not valid, or out of memory.
 */
static bool put_value(struct cxt_writer *w, u8 **p, const struct trace_arg *a)
{
	size_t at = *p - w->raw.p;

	if (a->len > TRACE_MAX_LEN || (a->len && !a->p) ||
	    (a->type == TRACE_STR && memchr(a->p, 0, a->len)))
		return false;
	/* Room for this value and for every later field at its largest. */
	if (buf_reserve(&w->raw, at - w->raw.len + 10 + a->len + RECORD_MAX))
		return false;
	*p = enc_varint(w->raw.p + at, a->len);
	if (a->len)
		memcpy(*p, a->p, a->len);
	*p += a->len;
	return true;
}

/* The kind's delta state back to @old, after a bad field @nr. */
static int bad_field(struct cxt_writer *w, struct cxt_wkind *k, const u64 *old,
		     unsigned int nr, const struct trace_event *ev, struct cxt_error *err)
{
	memcpy(k->prev, old, nr * sizeof(*old));
	return bad_event(w, ev, err);
}

/*
 * Encode @ev after the open block's last record, checking each field
 * as it goes: nothing is kept (neither the bytes nor the kind's delta
 * state) unless the whole event is valid.
 */
int cxt_write(struct cxt_writer *w, const struct trace_event *ev, struct cxt_error *err)
{
	u64 old[TRACE_MAX_FIELDS];
	struct cxt_wkind *k;
	unsigned int i, nr;
	u64 head;
	u8 *p;

	if (unlikely(w->ioerr))
		return fail(err, w->ioerr, w->name, "an earlier write failed");
	if (unlikely(!ev->kind || ev->kind > w->nr_kinds || !ev->src ||
		     ev->src > w->nr_sources || ev->time < w->prev_time))
		return bad_event(w, ev, err);
	k = &w->kinds[ev->kind - 1];
	nr = k->nr_fields;
	if (unlikely(ev->nr_fields != nr))
		return bad_event(w, ev, err);
	if (unlikely(!w->snapshot_done) && write_snapshot(w))
		return fail(err, -ENOMEM, w->name, "out of memory");
	if (unlikely(buf_reserve(&w->raw, RECORD_MAX)))
		return fail(err, -ENOMEM, w->name, "out of memory");
	head = (u64)ev->kind << 2 | (ev->src != k->prev_src) << 1 | (ev->ctx != k->prev_ctx);
	p = enc_varint(w->raw.p + w->raw.len, head);
	p = enc_varint(p, ev->time - (w->blk_events ? w->prev_time : 0));
	if (head & 2)
		p = enc_varint(p, ev->src);
	if (head & 1)
		p = enc_varint(p, (u32)(ev->ctx + 1));
	for (i = 0; i < nr; i++) {
		const struct trace_arg *a = &ev->f[i];

		old[i] = k->prev[i];
		if (unlikely(a->type != k->types[i]))
			return bad_field(w, k, old, i, ev, err);
		if (likely(a->type < TRACE_BYTES)) {
			p = enc_varint(p, zigzag(a->u - old[i]));
			k->prev[i] = a->u;
		} else if (!put_value(w, &p, a)) {
			return bad_field(w, k, old, i, ev, err);
		}
	}
	/* Valid: keep it. */
	k->prev_src = ev->src;
	k->prev_ctx = ev->ctx;
	w->raw.len = p - w->raw.p;
	if (!w->blk_events)
		w->blk_first_time = ev->time;
	w->prev_time = ev->time;
	w->blk_events++;
	w->nr_events++;
	if (w->blk_events >= w->block_events || w->raw.len >= w->block_bytes)
		return flush_block(w, err);
	return 0;
}

u64 cxt_writer_nr_events(const struct cxt_writer *w)
{
	return w->nr_events;
}

static int write_index(struct cxt_writer *w, struct cxt_error *err)
{
	size_t n = IDX_FIXED + (size_t)w->nr_blocks * IDX_ENTRY + 4;
	u8 *b = malloc(n), ft[FOOTER];
	u64 idx_off = w->off;
	u32 i;
	int ret;

	if (!b)
		return fail(err, -ENOMEM, w->name, "out of memory");
	memcpy(b, "CXIX", 4);
	put_le32(b + 4, w->nr_blocks);
	put_le32(b + 8, IDX_ENTRY);
	for (i = 0; i < w->nr_blocks; i++) {
		const struct cxt_ientry *e = &w->index[i];
		u8 *p = b + IDX_FIXED + (size_t)i * IDX_ENTRY;

		put_le64(p, e->off);
		put_le64(p + 8, e->first_event);
		put_le64(p + 16, e->first_time);
		put_le64(p + 24, e->last_time);
		put_le32(p + 32, e->nr_events);
		put_le32(p + 36, e->raw_size);
		put_le32(p + 40, e->comp_size);
		put_le32(p + 44, e->crc);
	}
	put_le32(b + n - 4, crc_of(0, b, n - 4));
	ret = w_write(w, b, n, err);
	free(b);
	if (ret)
		return ret;
	put_le64(ft, idx_off);
	put_le64(ft + 8, w->nr_events);
	put_le32(ft + 16, w->nr_blocks);
	put_le32(ft + 20, crc_of(0, ft, 20));
	memcpy(ft + 24, "CXTE", 4);
	return w_write(w, ft, FOOTER, err);
}

int cxt_close_writer(struct cxt_writer *w, struct cxt_error *err)
{
	int ret = flush_block(w, err);

	if (!ret)
		ret = compressor_sync(w, 0, err);
	compressor_stop(w);
	if (!ret)
		ret = write_index(w, err);
	if (!ret && fflush(w->f))
		ret = fail(err, -errno, w->name, "write: %s", strerror(errno));
	if (w->own_file) {
		if (fclose(w->f) && !ret)
			ret = fail(err, -errno, w->name, "close: %s", strerror(errno));
		w->f = NULL;
	}
	writer_free(w);
	return ret;
}

/* ---- Reader ---- */

struct cxt_rblock {
	u64 off, first_event, first_time, last_time;
	u32 nr_events, raw_size, comp_size, crc;
};

struct cxt_rsource {
	char name[TRACE_MAX_NAME + 1];
	u32 stamp;			/* 1 + the block that last defined it */
};

struct cxt_rkind {
	struct cxt_kind k;
	char name[TRACE_MAX_NAME + 1];
	char field_names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1];
	u32 stamp;			/* 1 + the block that last defined it */
	/* Delta state: the previous event of this kind in the block. */
	u16 prev_src;
	u32 prev_ctx;
	u64 prev[TRACE_MAX_FIELDS];
};

#define NO_BLOCK UINT32_MAX

/* A reader belongs to one thread. */
struct cxt_reader {
	const u8 *buf;
	size_t len;
	void *map;			/* buf, when cxt_open() mapped the file */
	char *name;
	struct cxt_header h;
	char *strs[TAG_SEED];		/* header strings, by tag */
	struct cxt_seed *seeds;
	u32 cap_seeds;
	struct cxt_rblock *blocks;
	u32 nr_blocks, cap_blocks;
	u64 nr_events;
	/* Decoding. */
	z_stream zs;
	bool zs_ready;
	u8 *raw;
	size_t raw_cap, raw_len, pos;
	u32 cur;			/* block in raw, NO_BLOCK when none */
	u32 next;			/* block to load after cur */
	u32 blk_events;			/* events decoded from cur */
	u64 prev_time;
	bool pending;			/* pend holds the event cxt_seek() stopped at */
	struct trace_event pend;
	struct trace_arg fields[TRACE_MAX_FIELDS];
	int broken;			/* sticky decoding error, and its message */
	struct cxt_error broken_err;
	/* Definitions, by id. */
	struct cxt_rsource **sources;
	u32 cap_sources;
	struct cxt_rkind **kinds;
	u32 cap_kinds;
};

/* A bounded cursor over bytes. */
struct cxt_cur {
	const u8 *p, *end;
};

static bool get_varint(struct cxt_cur *c, u64 *v)
{
	unsigned int shift = 0;
	u64 x = 0;

	while (c->p < c->end) {
		u8 b = *c->p++;

		if (shift == 63 && b > 1)
			return false;
		x |= (u64)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return true;
		}
		shift += 7;
	}
	return false;
}

static bool get_u8(struct cxt_cur *c, u8 *v)
{
	if (c->p >= c->end)
		return false;
	*v = *c->p++;
	return true;
}

/* A name: varint length, then 1..TRACE_MAX_NAME valid characters. */
static bool get_name(struct cxt_cur *c, char *out)
{
	u64 n;

	if (!get_varint(c, &n) || n > (u64)(c->end - c->p) ||
	    !trace_name_valid((const char *)c->p, n))
		return false;
	memcpy(out, c->p, n);
	out[n] = '\0';
	c->p += n;
	return true;
}

static const char **hdr_str_field(struct cxt_header *h, u64 tag)
{
	switch (tag) {
	case TAG_CAPISIM_VERSION:
		return &h->capisim_version;
	case TAG_CONFIG_NAME:
		return &h->config_name;
	case TAG_CONFIG_TEXT:
		return &h->config_text;
	case TAG_TIMING_NAME:
		return &h->timing_name;
	case TAG_TIMING_TEXT:
		return &h->timing_text;
	case TAG_DRIVER_ORIGIN:
		return &h->driver_origin;
	case TAG_DRIVER_SOURCE:
		return &h->driver_source;
	case TAG_DRIVER_VERSION:
		return &h->driver_version;
	default:
		return NULL;
	}
}

static int hdr_fail(struct cxt_reader *r, struct cxt_error *err, size_t at, const char *what)
{
	return fail_at(err, -EBADMSG, r->name, "header", 0, "entry at byte %zu: %s", at, what);
}

static int hdr_seed(struct cxt_reader *r, const u8 *v, u64 len, size_t at,
		    struct cxt_error *err)
{
	struct cxt_seed *s;
	char *name;

	if (len < 8)
		return hdr_fail(r, err, at, "seed shorter than 8 bytes");
	if (memchr(v + 8, 0, len - 8))
		return hdr_fail(r, err, at, "seed name holds a NUL");
	s = grow(r->seeds, &r->cap_seeds, r->h.nr_seeds + 1, sizeof(*s));
	if (!s)
		return fail(err, -ENOMEM, r->name, "out of memory");
	r->seeds = s;
	name = strndup((const char *)v + 8, len - 8);
	if (!name)
		return fail(err, -ENOMEM, r->name, "out of memory");
	s = &r->seeds[r->h.nr_seeds++];
	s->name = name;
	s->value = get_le64(v);
	r->h.seeds = r->seeds;
	return 0;
}

static int hdr_entry(struct cxt_reader *r, u64 tag, const u8 *v, u64 len, size_t at,
		     struct cxt_error *err)
{
	const char **field = hdr_str_field(&r->h, tag);

	if (tag == TAG_LEVEL) {
		if (len != 1 || v[0] > TRACE_LVL_DEBUG)
			return hdr_fail(r, err, at, "bad level");
		r->h.level = v[0];
		return 0;
	}
	if (tag == TAG_SEED)
		return hdr_seed(r, v, len, at, err);
	if (!field)
		return 0;	/* a later minor version's entry */
	if (*field)
		return hdr_fail(r, err, at, "entry appears twice");
	if (memchr(v, 0, len))
		return hdr_fail(r, err, at, "string holds a NUL");
	r->strs[tag - 1] = strndup((const char *)v, len);
	if (!r->strs[tag - 1])
		return fail(err, -ENOMEM, r->name, "out of memory");
	*field = r->strs[tag - 1];
	return 0;
}

static int parse_header(struct cxt_reader *r, u64 *end, struct cxt_error *err)
{
	const u8 *b = r->buf;
	struct cxt_cur c;
	u32 body;
	int ret;

	if (r->len < HDR_FIXED)
		return fail_at(err, -EBADMSG, r->name, "header", 0,
			       "truncated: the file has %zu bytes, the header needs %u",
			       r->len, HDR_FIXED);
	if (memcmp(b, cxt_magic, 8))
		return fail_at(err, -EBADMSG, r->name, "header", 0,
			       "bad magic: not a capisim trace");
	r->h.major = get_le16(b + 8);
	r->h.minor = get_le16(b + 10);
	if (r->h.major != CXT_MAJOR)
		return fail_at(err, -ENOTSUP, r->name, "header", 0,
			       "format version %u.%u: this reader reads %u.x",
			       r->h.major, r->h.minor, CXT_MAJOR);
	body = get_le32(b + 12);
	if (body > MAX_HDR_BODY)
		return fail_at(err, -EBADMSG, r->name, "header", 0,
			       "body of %u bytes exceeds the %u limit", body, MAX_HDR_BODY);
	if (r->len - HDR_FIXED < (u64)body + 4)
		return fail_at(err, -EBADMSG, r->name, "header", 0,
			       "truncated: the header needs %llu bytes, the file has %zu",
			       (unsigned long long)HDR_FIXED + body + 4, r->len);
	if (crc_of(0, b, HDR_FIXED + body) != get_le32(b + HDR_FIXED + body))
		return fail_at(err, -EBADMSG, r->name, "header", 0, "CRC mismatch");
	c.p = b + HDR_FIXED;
	c.end = c.p + body;
	while (c.p < c.end) {
		size_t at = c.p - b;
		u64 tag, len;

		if (!get_varint(&c, &tag) || !get_varint(&c, &len) ||
		    len > (u64)(c.end - c.p))
			return hdr_fail(r, err, at, "truncated entry");
		ret = hdr_entry(r, tag, c.p, len, at, err);
		if (ret)
			return ret;
		c.p += len;
	}
	*end = HDR_FIXED + (u64)body + 4;
	return 0;
}

/* Read and check block @i's header at @off into @b. */
static int block_header(struct cxt_reader *r, u32 i, u64 off, struct cxt_rblock *b,
			struct cxt_error *err)
{
	const u8 *h = r->buf + off;

	if (r->len - off < BLK_HDR)
		return fail_blk(err, -EBADMSG, r->name, i, off,
				"truncated: the block header needs %u bytes, %llu remain",
				BLK_HDR, (unsigned long long)(r->len - off));
	if (memcmp(h, "CXBK", 4))
		return fail_blk(err, -EBADMSG, r->name, i, off, "bad magic");
	if (get_le32(h + 4) != i)
		return fail_blk(err, -EBADMSG, r->name, i, off, "numbered %u", get_le32(h + 4));
	b->off = off;
	b->nr_events = get_le32(h + 8);
	b->raw_size = get_le32(h + 12);
	b->comp_size = get_le32(h + 16);
	b->first_time = get_le64(h + 20);
	b->last_time = get_le64(h + 28);
	b->crc = get_le32(h + BLK_CRC_AT);
	if (!b->nr_events || b->raw_size > MAX_RAW || b->nr_events > b->raw_size / 2)
		return fail_blk(err, -EBADMSG, r->name, i, off,
				"%u events in %u bytes: impossible", b->nr_events, b->raw_size);
	if (b->first_time > b->last_time)
		return fail_blk(err, -EBADMSG, r->name, i, off, "first time after last time");
	if (r->len - off - BLK_HDR < b->comp_size)
		return fail_blk(err, -EBADMSG, r->name, i, off,
				"truncated: the block needs %llu bytes, %llu remain",
				(unsigned long long)BLK_HDR + b->comp_size,
				(unsigned long long)(r->len - off));
	return 0;
}

static u32 block_crc(const struct cxt_reader *r, const struct cxt_rblock *b)
{
	const u8 *h = r->buf + b->off;

	return crc_of(crc_of(0, h, BLK_CRC_AT), h + BLK_HDR, b->comp_size);
}

static int add_block(struct cxt_reader *r, const struct cxt_rblock *b)
{
	struct cxt_rblock *blocks = grow(r->blocks, &r->cap_blocks, r->nr_blocks + 1, sizeof(*b));

	if (!blocks)
		return -ENOMEM;
	r->blocks = blocks;
	r->blocks[r->nr_blocks++] = *b;
	return 0;
}

static int parse_index_entry(struct cxt_reader *r, const u8 *e, u32 i, u64 idx_off,
			     u64 expect_off, struct cxt_rblock *b, struct cxt_error *err)
{
	u64 off = get_le64(e);
	int ret;

	if (off != expect_off)
		return fail_at(err, -EBADMSG, r->name, "index", idx_off,
			       "entry %u: block at offset %llu, expected %llu", i,
			       (unsigned long long)off, (unsigned long long)expect_off);
	ret = block_header(r, i, off, b, err);
	if (ret)
		return ret;
	b->first_event = get_le64(e + 8);
	if (b->first_time != get_le64(e + 16) || b->last_time != get_le64(e + 24) ||
	    b->nr_events != get_le32(e + 32) || b->raw_size != get_le32(e + 36) ||
	    b->comp_size != get_le32(e + 40) || b->crc != get_le32(e + 44))
		return fail_blk(err, -EBADMSG, r->name, i, off, "header differs from index entry");
	if (b->first_event != r->nr_events)
		return fail_at(err, -EBADMSG, r->name, "index", idx_off,
			       "entry %u: first event %llu, expected %llu", i,
			       (unsigned long long)b->first_event,
			       (unsigned long long)r->nr_events);
	if (i && b->first_time < r->blocks[i - 1].last_time)
		return fail_blk(err, -EBADMSG, r->name, i, off,
				"starts before the previous block ends");
	return 0;
}

/* Read the footer and the index it points at; the fast path of cxt_open(). */
static int parse_index(struct cxt_reader *r, u64 hdr_end, struct cxt_error *err)
{
	u64 ft_off = r->len - FOOTER, idx_off, expect, nr_events, size;
	const u8 *ft = r->buf + ft_off, *ix;
	u32 n, esz, i;
	int ret;

	if (crc_of(0, ft, 20) != get_le32(ft + 20))
		return fail_at(err, -EBADMSG, r->name, "footer", ft_off, "CRC mismatch");
	idx_off = get_le64(ft);
	nr_events = get_le64(ft + 8);
	if (idx_off < hdr_end || idx_off > ft_off || ft_off - idx_off < IDX_FIXED + 4)
		return fail_at(err, -EBADMSG, r->name, "footer", ft_off,
			       "index offset %llu out of range", (unsigned long long)idx_off);
	ix = r->buf + idx_off;
	if (memcmp(ix, "CXIX", 4))
		return fail_at(err, -EBADMSG, r->name, "index", idx_off, "bad magic");
	n = get_le32(ix + 4);
	esz = get_le32(ix + 8);
	size = IDX_FIXED + (u64)n * esz + 4;
	if (n != get_le32(ft + 16) || esz < IDX_ENTRY || size != ft_off - idx_off)
		return fail_at(err, -EBADMSG, r->name, "index", idx_off,
			       "%u entries of %u bytes do not fill the %llu bytes "
			       "before the footer", n, esz, (unsigned long long)(ft_off - idx_off));
	if (crc_of(0, ix, size - 4) != get_le32(ix + size - 4))
		return fail_at(err, -EBADMSG, r->name, "index", idx_off, "CRC mismatch");
	expect = hdr_end;
	for (i = 0; i < n; i++) {
		struct cxt_rblock b;

		ret = parse_index_entry(r, ix + IDX_FIXED + (u64)i * esz, i, idx_off, expect,
					&b, err);
		if (ret)
			return ret;
		if (add_block(r, &b))
			return fail(err, -ENOMEM, r->name, "out of memory");
		r->nr_events += b.nr_events;
		expect = b.off + BLK_HDR + b.comp_size;
	}
	if (expect != idx_off)
		return fail_at(err, -EBADMSG, r->name, "index", idx_off,
			       "the blocks end at offset %llu", (unsigned long long)expect);
	if (nr_events != r->nr_events)
		return fail_at(err, -EBADMSG, r->name, "footer", ft_off,
			       "%llu events, the blocks hold %llu",
			       (unsigned long long)nr_events, (unsigned long long)r->nr_events);
	return 0;
}

/*
 * Without a usable footer: walk the blocks from the header on, checking
 * each one's CRC.  Fills r->blocks with the intact ones and returns the
 * error that stopped the walk (a file always has a footer, so something
 * does).
 */
static int scan_blocks(struct cxt_reader *r, u64 off, struct cxt_error *err)
{
	struct cxt_rblock b;
	u32 i;
	int ret;

	for (i = 0;; i++) {
		u64 left = r->len - off;

		if (!left)
			return fail_blk(err, -EBADMSG, r->name, i, off,
					"the file ends here, without index or footer "
					"(truncated, or its writer never closed it)");
		if (left >= 4 && !memcmp(r->buf + off, "CXIX", 4))
			return fail_at(err, -EBADMSG, r->name, "footer",
				       left >= FOOTER ? r->len - FOOTER : off,
				       "missing: no footer magic at the end of the file "
				       "(truncated?)");
		ret = block_header(r, i, off, &b, err);
		if (ret)
			return ret;
		if (block_crc(r, &b) != b.crc)
			return fail_blk(err, -EBADMSG, r->name, i, off, "CRC mismatch");
		if (i && b.first_time < r->blocks[i - 1].last_time)
			return fail_blk(err, -EBADMSG, r->name, i, off,
					"starts before the previous block ends");
		b.first_event = r->nr_events;
		if (add_block(r, &b))
			return fail(err, -ENOMEM, r->name, "out of memory");
		r->nr_events += b.nr_events;
		off += BLK_HDR + b.comp_size;
	}
}

static bool has_footer(const struct cxt_reader *r, u64 hdr_end)
{
	return r->len - hdr_end >= FOOTER && !memcmp(r->buf + r->len - 4, "CXTE", 4);
}

static void reset_blocks(struct cxt_reader *r)
{
	r->nr_blocks = 0;
	r->nr_events = 0;
}

static int reader_init(struct cxt_reader *r, unsigned int flags, struct cxt_error *err)
{
	struct cxt_error ignored;
	u64 hdr_end = 0;
	int ret;

	r->cur = NO_BLOCK;
	ret = parse_header(r, &hdr_end, err);
	if (ret)
		return ret;
	if (has_footer(r, hdr_end)) {
		ret = parse_index(r, hdr_end, err);
		if (!ret || !(flags & CXT_SALVAGE))
			return ret;
		reset_blocks(r);
	}
	ret = scan_blocks(r, hdr_end, (flags & CXT_SALVAGE) ? &ignored : err);
	return (flags & CXT_SALVAGE) ? 0 : ret;
}

void cxt_close(struct cxt_reader *r)
{
	u32 i;

	if (!r)
		return;
	if (r->map)
		munmap(r->map, r->len);
	if (r->zs_ready)
		inflateEnd(&r->zs);
	for (i = 0; i < ARRAY_SIZE(r->strs); i++)
		free(r->strs[i]);
	for (i = 0; i < r->h.nr_seeds; i++)
		free((char *)r->seeds[i].name);
	for (i = 0; i < r->cap_sources; i++)
		free(r->sources[i]);
	for (i = 0; i < r->cap_kinds; i++)
		free(r->kinds[i]);
	free(r->seeds);
	free(r->sources);
	free(r->kinds);
	free(r->blocks);
	free(r->raw);
	free(r->name);
	free(r);
}

static struct cxt_reader *reader_alloc(const char *name, struct cxt_error *err)
{
	struct cxt_reader *r = calloc(1, sizeof(*r));

	if (r)
		r->name = strdup(name);
	if (!r || !r->name) {
		free(r);
		fail(err, -ENOMEM, name, "out of memory");
		return NULL;
	}
	return r;
}

int cxt_open_mem(const void *buf, size_t len, const char *name, unsigned int flags,
		 struct cxt_reader **out, struct cxt_error *err)
{
	struct cxt_reader *r = reader_alloc(name, err);
	int ret;

	if (!r)
		return -ENOMEM;
	r->buf = buf;
	r->len = len;
	ret = reader_init(r, flags, err);
	if (ret) {
		cxt_close(r);
		return ret;
	}
	*out = r;
	return 0;
}

static int map_file(struct cxt_reader *r, const char *path, struct cxt_error *err)
{
	struct stat st;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, -errno, path, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st)) {
		ret = fail(err, -errno, path, "cannot stat: %s", strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		ret = fail(err, -EINVAL, path, "not a regular file");
	} else if (st.st_size) {
		r->map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (r->map == MAP_FAILED) {
			r->map = NULL;
			ret = fail(err, -errno, path, "cannot map: %s", strerror(errno));
		} else {
			r->buf = r->map;
			r->len = st.st_size;
		}
	} else {
		r->buf = (const u8 *)"";
	}
	close(fd);
	return ret;
}

int cxt_open(const char *path, unsigned int flags, struct cxt_reader **out,
	     struct cxt_error *err)
{
	struct cxt_reader *r = reader_alloc(path, err);
	int ret;

	if (!r)
		return -ENOMEM;
	ret = map_file(r, path, err);
	if (!ret)
		ret = reader_init(r, flags, err);
	if (ret) {
		cxt_close(r);
		return ret;
	}
	*out = r;
	return 0;
}

const struct cxt_header *cxt_header(const struct cxt_reader *r)
{
	return &r->h;
}

u64 cxt_nr_events(const struct cxt_reader *r)
{
	return r->nr_events;
}

u32 cxt_nr_blocks(const struct cxt_reader *r)
{
	return r->nr_blocks;
}

const char *cxt_source_name(const struct cxt_reader *r, unsigned int id)
{
	return id < r->cap_sources && r->sources[id] ? r->sources[id]->name : NULL;
}

const struct cxt_kind *cxt_kind(const struct cxt_reader *r, unsigned int id)
{
	return id < r->cap_kinds && r->kinds[id] ? &r->kinds[id]->k : NULL;
}

/* Decoding errors are sticky: a reader past a bad block stays there. */
__attribute__((format(printf, 4, 5)))
static int bad_block(struct cxt_reader *r, struct cxt_error *err, int ret, const char *fmt, ...)
{
	const struct cxt_rblock *b = &r->blocks[r->cur];
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	r->broken = fail_blk(&r->broken_err, ret, r->name, r->cur, b->off, "%s", what);
	*err = r->broken_err;
	return ret;
}

static int inflate_block(struct cxt_reader *r, const struct cxt_rblock *b,
			 struct cxt_error *err)
{
	int zr;

	if (!r->zs_ready) {
		if (inflateInit(&r->zs) != Z_OK)
			return bad_block(r, err, -ENOMEM, "zlib: cannot initialise");
		r->zs_ready = true;
	} else {
		inflateReset(&r->zs);
	}
	r->zs.next_in = (Bytef *)(r->buf + b->off + BLK_HDR);
	r->zs.avail_in = b->comp_size;
	r->zs.next_out = r->raw;
	r->zs.avail_out = b->raw_size;
	zr = inflate(&r->zs, Z_FINISH);
	if (zr == Z_BUF_ERROR && !r->zs.avail_out)
		return bad_block(r, err, -EBADMSG, "decompresses to more than %u bytes",
				 b->raw_size);
	if (zr != Z_STREAM_END)
		return bad_block(r, err, -EBADMSG, "zlib: %s",
				 r->zs.msg ? r->zs.msg : "truncated stream");
	if (r->zs.avail_out)
		return bad_block(r, err, -EBADMSG, "decompresses to %u bytes, expected %u",
				 b->raw_size - r->zs.avail_out, b->raw_size);
	if (r->zs.avail_in)
		return bad_block(r, err, -EBADMSG, "%u bytes after the zlib stream",
				 r->zs.avail_in);
	return 0;
}

static int load_block(struct cxt_reader *r, u32 i, struct cxt_error *err)
{
	const struct cxt_rblock *b = &r->blocks[i];
	u8 *raw;

	r->cur = i;
	r->next = i + 1;
	r->pos = 0;
	r->raw_len = 0;
	r->blk_events = 0;
	r->prev_time = 0;
	if (block_crc(r, b) != b->crc)
		return bad_block(r, err, -EBADMSG, "CRC mismatch");
	if (r->raw_cap < b->raw_size) {
		raw = realloc(r->raw, b->raw_size);
		if (!raw)
			return bad_block(r, err, -ENOMEM, "out of memory");
		r->raw = raw;
		r->raw_cap = b->raw_size;
	}
	r->raw_len = b->raw_size;
	return inflate_block(r, b, err);
}

/* The definition of source @id, allocated if new. */
static struct cxt_rsource *source_slot(struct cxt_reader *r, u64 id)
{
	struct cxt_rsource **t = r->sources;
	u32 n = r->cap_sources;

	if (id >= n) {
		t = grow(t, &r->cap_sources, id + 1, sizeof(*t));
		if (!t)
			return NULL;
		memset(t + n, 0, (r->cap_sources - n) * sizeof(*t));
		r->sources = t;
	}
	if (!t[id])
		t[id] = calloc(1, sizeof(**t));
	return t[id];
}

/* The definition of kind @id, allocated if new. */
static struct cxt_rkind *kind_slot(struct cxt_reader *r, u64 id)
{
	struct cxt_rkind **t = r->kinds;
	u32 n = r->cap_kinds;

	if (id >= n) {
		t = grow(t, &r->cap_kinds, id + 1, sizeof(*t));
		if (!t)
			return NULL;
		memset(t + n, 0, (r->cap_kinds - n) * sizeof(*t));
		r->kinds = t;
	}
	if (!t[id])
		t[id] = calloc(1, sizeof(**t));
	return t[id];
}

static int def_source(struct cxt_reader *r, struct cxt_cur *c, size_t at,
		      struct cxt_error *err)
{
	char name[TRACE_MAX_NAME + 1];
	struct cxt_rsource *s;
	u64 id;

	if (!get_varint(c, &id) || !id || id > MAX_ID || !get_name(c, name))
		return bad_block(r, err, -EBADMSG, "source definition at byte %zu: malformed", at);
	s = source_slot(r, id);
	if (!s)
		return bad_block(r, err, -ENOMEM, "out of memory");
	if (s->name[0] && strcmp(s->name, name))
		return bad_block(r, err, -EBADMSG,
				 "source definition at byte %zu: source %llu was \"%s\", "
				 "now \"%s\"", at, (unsigned long long)id, s->name, name);
	strcpy(s->name, name);
	s->stamp = r->cur + 1;
	return 0;
}

/* Parse a kind definition into @k (names in @k's own storage). */
static bool get_kind(struct cxt_cur *c, struct cxt_rkind *k)
{
	u8 level, nr, i;

	if (!get_u8(c, &level) || level < TRACE_LVL_DEFAULT || level > TRACE_LVL_DEBUG ||
	    !get_name(c, k->name) || !get_u8(c, &nr) || nr > TRACE_MAX_FIELDS)
		return false;
	k->k.level = level;
	k->k.nr_fields = nr;
	for (i = 0; i < nr; i++) {
		if (!get_u8(c, &k->k.types[i]) || !trace_type_name(k->k.types[i]) ||
		    !get_name(c, k->field_names[i]))
			return false;
	}
	return true;
}

static bool kind_equal(const struct cxt_rkind *a, const struct cxt_rkind *b)
{
	unsigned int i;

	if (strcmp(a->name, b->name) || a->k.level != b->k.level ||
	    a->k.nr_fields != b->k.nr_fields)
		return false;
	for (i = 0; i < a->k.nr_fields; i++)
		if (a->k.types[i] != b->k.types[i] || strcmp(a->field_names[i], b->field_names[i]))
			return false;
	return true;
}

static int def_kind(struct cxt_reader *r, struct cxt_cur *c, size_t at, struct cxt_error *err)
{
	struct cxt_rkind nk = { 0 }, *k;
	unsigned int i;
	u64 id;

	if (!get_varint(c, &id) || !id || id > MAX_ID || !get_kind(c, &nk))
		return bad_block(r, err, -EBADMSG, "kind definition at byte %zu: malformed", at);
	k = kind_slot(r, id);
	if (!k)
		return bad_block(r, err, -ENOMEM, "out of memory");
	if (k->name[0] && !kind_equal(k, &nk))
		return bad_block(r, err, -EBADMSG,
				 "kind definition at byte %zu: kind %llu redefined differently",
				 at, (unsigned long long)id);
	*k = nk;
	k->k.name = k->name;
	for (i = 0; i < k->k.nr_fields; i++)
		k->k.field_names[i] = k->field_names[i];
	k->stamp = r->cur + 1;
	k->prev_ctx = TRACE_CTX_NONE;
	return 0;
}

static int decode_def(struct cxt_reader *r, struct cxt_cur *c, size_t at,
		      struct cxt_error *err)
{
	struct cxt_cur body;
	u64 len, type;

	if (!get_varint(c, &len) || len > (u64)(c->end - c->p))
		return bad_block(r, err, -EBADMSG, "definition at byte %zu: truncated", at);
	body.p = c->p;
	body.end = c->p + len;
	c->p = body.end;
	if (!get_varint(&body, &type))
		return bad_block(r, err, -EBADMSG, "definition at byte %zu: no type", at);
	if (type == DEF_SOURCE)
		return def_source(r, &body, at, err);
	if (type == DEF_KIND)
		return def_kind(r, &body, at, err);
	return 0;	/* a later minor version's definition */
}

static int decode_fields(struct cxt_reader *r, struct cxt_cur *c, struct cxt_rkind *k,
			 size_t at, struct cxt_error *err)
{
	unsigned int i;
	u64 v;

	for (i = 0; i < k->k.nr_fields; i++) {
		struct trace_arg *a = &r->fields[i];

		a->type = k->k.types[i];
		if (!get_varint(c, &v))
			return bad_block(r, err, -EBADMSG,
					 "event %u at byte %zu: field %s truncated",
					 r->blk_events, at, k->field_names[i]);
		if (a->type < TRACE_BYTES) {
			k->prev[i] += unzigzag(v);
			a->u = k->prev[i];
			a->len = 0;
			continue;
		}
		if (v > TRACE_MAX_LEN || v > (u64)(c->end - c->p))
			return bad_block(r, err, -EBADMSG,
					 "event %u at byte %zu: field %s: %llu bytes",
					 r->blk_events, at, k->field_names[i], (unsigned long long)v);
		if (a->type == TRACE_STR && memchr(c->p, 0, v))
			return bad_block(r, err, -EBADMSG,
					 "event %u at byte %zu: field %s: string holds a NUL",
					 r->blk_events, at, k->field_names[i]);
		a->p = c->p;
		a->len = v;
		c->p += v;
	}
	return 0;
}

static bool source_ok(const struct cxt_reader *r, u64 id)
{
	return id && id < r->cap_sources && r->sources[id] && r->sources[id]->stamp == r->cur + 1;
}

static int decode_event(struct cxt_reader *r, struct cxt_cur *c, u64 head, size_t at,
			struct trace_event *ev, struct cxt_error *err)
{
	const struct cxt_rblock *b = &r->blocks[r->cur];
	u64 id = head >> 2, dt, v;
	struct cxt_rkind *k;
	int ret;

	if (id >= r->cap_kinds || !r->kinds[id] || r->kinds[id]->stamp != r->cur + 1)
		return bad_block(r, err, -EBADMSG, "event %u at byte %zu: kind %llu not defined",
				 r->blk_events, at, (unsigned long long)id);
	k = r->kinds[id];
	if (!get_varint(c, &dt) || r->prev_time + dt < r->prev_time)
		return bad_block(r, err, -EBADMSG, "event %u at byte %zu: bad time",
				 r->blk_events, at);
	if (head & 2) {
		if (!get_varint(c, &v) || !source_ok(r, v))
			return bad_block(r, err, -EBADMSG,
					 "event %u at byte %zu: source not defined",
					 r->blk_events, at);
		k->prev_src = v;
	} else if (!k->prev_src) {
		return bad_block(r, err, -EBADMSG, "event %u at byte %zu: no source",
				 r->blk_events, at);
	}
	if (head & 1) {
		if (!get_varint(c, &v) || v > UINT32_MAX)
			return bad_block(r, err, -EBADMSG, "event %u at byte %zu: bad context",
					 r->blk_events, at);
		k->prev_ctx = (u32)v - 1;
	}
	ret = decode_fields(r, c, k, at, err);
	if (ret)
		return ret;
	if (r->blk_events == b->nr_events)
		return bad_block(r, err, -EBADMSG, "more events than the %u in its header",
				 b->nr_events);
	r->prev_time += dt;
	if (!r->blk_events && r->prev_time != b->first_time)
		return bad_block(r, err, -EBADMSG, "first event at time %llu, header says %llu",
				 (unsigned long long)r->prev_time,
				 (unsigned long long)b->first_time);
	r->blk_events++;
	ev->time = r->prev_time;
	ev->src = k->prev_src;
	ev->ctx = k->prev_ctx;
	ev->kind = id;
	ev->nr_fields = k->k.nr_fields;
	ev->f = r->fields;
	return 1;
}

static int end_block(struct cxt_reader *r, struct cxt_error *err)
{
	const struct cxt_rblock *b = &r->blocks[r->cur];

	if (r->blk_events != b->nr_events)
		return bad_block(r, err, -EBADMSG, "%u events, its header says %u",
				 r->blk_events, b->nr_events);
	if (r->prev_time != b->last_time)
		return bad_block(r, err, -EBADMSG, "last event at time %llu, header says %llu",
				 (unsigned long long)r->prev_time,
				 (unsigned long long)b->last_time);
	r->cur = NO_BLOCK;
	return 0;
}

static int decode_next(struct cxt_reader *r, struct trace_event *ev, struct cxt_error *err)
{
	struct cxt_cur c;
	size_t at;
	u64 head;
	int ret;

	for (;;) {
		if (r->cur != NO_BLOCK && r->pos == r->raw_len) {
			ret = end_block(r, err);
			if (ret)
				return ret;
		}
		if (r->cur == NO_BLOCK) {
			if (r->next >= r->nr_blocks)
				return 0;
			ret = load_block(r, r->next, err);
			if (ret)
				return ret;
		}
		at = r->pos;
		c.p = r->raw + at;
		c.end = r->raw + r->raw_len;
		if (!get_varint(&c, &head))
			return bad_block(r, err, -EBADMSG, "record at byte %zu: truncated", at);
		if (!head)
			ret = decode_def(r, &c, at, err);
		else if (head < 4)
			ret = bad_block(r, err, -EBADMSG, "record at byte %zu: reserved head %llu",
					at, (unsigned long long)head);
		else
			ret = decode_event(r, &c, head, at, ev, err);
		if (ret < 0)
			return ret;
		r->pos = c.p - r->raw;
		if (ret)
			return 1;
	}
}

int cxt_next(struct cxt_reader *r, struct trace_event *ev, struct cxt_error *err)
{
	if (r->broken) {
		*err = r->broken_err;
		return r->broken;
	}
	if (r->pending) {
		r->pending = false;
		*ev = r->pend;
		return 1;
	}
	return decode_next(r, ev, err);
}

int cxt_seek(struct cxt_reader *r, u64 t, struct cxt_error *err)
{
	u32 lo = 0, hi = r->nr_blocks;
	int ret;

	if (r->broken) {
		*err = r->broken_err;
		return r->broken;
	}
	r->pending = false;
	/* The first block ending at or after @t holds the event sought. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (r->blocks[mid].last_time < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	r->cur = NO_BLOCK;
	r->next = lo;
	do {
		ret = decode_next(r, &r->pend, err);
		if (ret <= 0)
			return ret;
	} while (r->pend.time < t);
	r->pending = true;
	return 0;
}
