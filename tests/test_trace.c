// SPDX-License-Identifier: GPL-2.0
/*
 * Traces: the event record and the .cxt file.  Round trips of every field
 * type and header entry, many blocks and seeking, the recorder, the text
 * dump, corruption and truncation of every region, and a seeded mutation
 * fuzzer (CXT_FUZZ_ITERS=N sets its length, 20000 by default;
 * CXT_FUZZ_SEED=N starts it elsewhere).
 *
 * The layout walker and block builder below are written from
 * docs/trace-format.md, independently of cxt.c.
 */
#include <errno.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "trace/cxt.h"

/* ---- Helpers ---- */

/* A trace written into memory. */
struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static struct cxt_error err;

static int mem_create(struct mem *m, const struct cxt_header *h,
		      const struct cxt_writer_opts *o, struct cxt_writer **w)
{
	int ret;

	m->buf = NULL;
	m->f = open_memstream(&m->buf, &m->len);
	if (!m->f)
		return -errno;
	ret = cxt_create_file(m->f, "mem.cxt", h, o, w, &err);
	if (ret) {
		fclose(m->f);
		free(m->buf);
	}
	return ret;
}

static int mem_close(struct mem *m, struct cxt_writer *w)
{
	int ret = cxt_close_writer(w, &err);

	fclose(m->f);
	return ret;
}

static u64 le(const u8 *p, int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void put(u8 *p, u64 v, int n)
{
	while (n--) {
		*p++ = v;
		v >>= 8;
	}
}

/* Where each region of a valid file lies. */
struct layout {
	u64 hdr_end;
	u32 nr_blocks;
	u64 blk[512];			/* block offsets; blk[nr_blocks] is the index */
	u64 idx_off, ft_off, len;
};

static int get_layout(const u8 *b, size_t len, struct layout *l)
{
	u64 off;

	l->len = len;
	l->hdr_end = 16 + le(b + 12, 4) + 4;
	l->ft_off = len - 28;
	l->idx_off = le(b + l->ft_off, 8);
	l->nr_blocks = 0;
	for (off = l->hdr_end; off < l->idx_off; off += 40 + le(b + off + 16, 4)) {
		if (l->nr_blocks == ARRAY_SIZE(l->blk) - 1)
			return -E2BIG;
		l->blk[l->nr_blocks++] = off;
	}
	l->blk[l->nr_blocks] = l->idx_off;
	return off == l->idx_off ? 0 : -EINVAL;
}

/* Recompute every CRC that the structure still lets us find. */
static void fix_crcs(u8 *b, size_t len)
{
	u64 hlen, off, ft, idx, n;

	if (len < 16 + 4 || (hlen = le(b + 12, 4)) > len - 20)
		return;
	put(b + 16 + hlen, crc32(0, b, 16 + hlen), 4);
	if (len < 20 + hlen + 28)
		return;
	ft = len - 28;
	put(b + ft + 20, crc32(0, b + ft, 20), 4);
	idx = le(b + ft, 8);
	for (off = 20 + hlen; off + 40 <= ft && off < idx; off += 40 + n) {
		n = le(b + off + 16, 4);
		if (n > ft - off - 40)
			return;
		put(b + off + 36, crc32(crc32(0, b + off, 36), b + off + 40, n), 4);
	}
	if (idx + 16 <= ft && (n = le(b + idx + 4, 4) * le(b + idx + 8, 4)) <= ft - idx - 16)
		put(b + idx + 12 + n, crc32(0, b + idx, 12 + n), 4);
}

/* One block's content, for rebuilding files around changed payloads. */
struct rblock {
	u8 *raw;
	u32 raw_len, nr_events;
	u64 first_time, last_time;
};

/* Build a complete file (header bytes @hdr, then @blocks) into @out. */
static size_t build_file(const u8 *hdr, size_t hlen, const struct rblock *blocks, u32 n,
			 u8 *out, size_t cap)
{
	u64 first_event = 0, offs[64];
	size_t pos = hlen, idx;
	u32 i;

	memcpy(out, hdr, hlen);
	for (i = 0; i < n && i < ARRAY_SIZE(offs); i++) {
		uLongf clen = cap - pos - 40;

		if (compress2(out + pos + 40, &clen, blocks[i].raw, blocks[i].raw_len, 1) != Z_OK)
			return 0;
		memcpy(out + pos, "CXBK", 4);
		put(out + pos + 4, i, 4);
		put(out + pos + 8, blocks[i].nr_events, 4);
		put(out + pos + 12, blocks[i].raw_len, 4);
		put(out + pos + 16, clen, 4);
		put(out + pos + 20, blocks[i].first_time, 8);
		put(out + pos + 28, blocks[i].last_time, 8);
		put(out + pos + 36, crc32(crc32(0, out + pos, 36), out + pos + 40, clen), 4);
		offs[i] = pos;
		pos += 40 + clen;
	}
	idx = pos;
	memcpy(out + pos, "CXIX", 4);
	put(out + pos + 4, n, 4);
	put(out + pos + 8, 48, 4);
	pos += 12;
	for (i = 0; i < n; i++, pos += 48) {
		const u8 *h = out + offs[i];

		put(out + pos, offs[i], 8);
		put(out + pos + 8, first_event, 8);
		memcpy(out + pos + 16, h + 20, 16);
		memcpy(out + pos + 32, h + 8, 12);
		memcpy(out + pos + 44, h + 36, 4);
		first_event += blocks[i].nr_events;
	}
	put(out + pos, crc32(0, out + idx, pos - idx), 4);
	pos += 4;
	put(out + pos, idx, 8);
	put(out + pos + 8, first_event, 8);
	put(out + pos + 16, n, 4);
	put(out + pos + 20, crc32(0, out + pos, 20), 4);
	memcpy(out + pos + 24, "CXTE", 4);
	return pos + 28;
}

/* Decompress every block of a valid file into @blocks (raw buffers malloc'd). */
static u32 split_blocks(const u8 *b, const struct layout *l, struct rblock *blocks, u32 max)
{
	u32 i;

	for (i = 0; i < l->nr_blocks && i < max; i++) {
		const u8 *h = b + l->blk[i];
		uLongf rlen = le(h + 12, 4);

		blocks[i].raw = malloc(rlen + 64);
		uncompress(blocks[i].raw, &rlen, h + 40, le(h + 16, 4));
		blocks[i].raw_len = rlen;
		blocks[i].nr_events = le(h + 8, 4);
		blocks[i].first_time = le(h + 20, 8);
		blocks[i].last_time = le(h + 28, 8);
	}
	return i;
}

/* Read every event; returns the count or a negative errno (message in err). */
static long read_all(struct cxt_reader *r)
{
	struct trace_event ev;
	long n = 0;
	int ret;

	while ((ret = cxt_next(r, &ev, &err)) > 0)
		n++;
	return ret < 0 ? ret : n;
}

/* Open @buf and read it all: 0 if valid, else the first error. */
static int check_buf(const void *buf, size_t len, unsigned int flags)
{
	struct cxt_reader *r;
	long n;
	int ret;

	ret = cxt_open_mem(buf, len, "t.cxt", flags, &r, &err);
	if (ret)
		return ret;
	n = read_all(r);
	cxt_close(r);
	return n < 0 ? n : 0;
}

/* ---- Schema and names ---- */

TEST schema_parses(void)
{
	char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1];
	u8 types[TRACE_MAX_FIELDS];

	ASSERT_EQ(4, trace_parse_schema(" tag:u64  off:s64 data:bytes msg:str ", types, names));
	ASSERT_EQ(TRACE_U64, types[0]);
	ASSERT_EQ(TRACE_S64, types[1]);
	ASSERT_EQ(TRACE_BYTES, types[2]);
	ASSERT_EQ(TRACE_STR, types[3]);
	ASSERT_STR_EQ("tag", names[0]);
	ASSERT_STR_EQ("msg", names[3]);
	ASSERT_EQ(0, trace_parse_schema("", types, names));
	ASSERT_EQ(0, trace_parse_schema(NULL, types, names));
	ASSERT_EQ(-EINVAL, trace_parse_schema("tag", types, names));
	ASSERT_EQ(-EINVAL, trace_parse_schema("tag:u32", types, names));
	ASSERT_EQ(-EINVAL, trace_parse_schema(":u64", types, names));
	ASSERT_EQ(-EINVAL, trace_parse_schema("t g:u64", types, names));
	ASSERT_EQ(-EINVAL, trace_parse_schema("a:u64 b:u64 c:u64 d:u64 e:u64 f:u64 g:u64 h:u64 "
					      "i:u64 j:u64 k:u64 l:u64 m:u64 n:u64 o:u64 p:u64 "
					      "q:u64", types, names));
	ASSERT(trace_name_valid("afu0.cmd-x_y", 12));
	ASSERT_FALSE(trace_name_valid("a b", 3));
	ASSERT_FALSE(trace_name_valid("", 0));
	PASS();
}

/* ---- Round trips ---- */

static const u64 u64s[] = {
	0, 1, 127, 128, UINT64_MAX, 0x8000000000000000ULL, 0x7fffffffffffffffULL,
	12345678901234567890ULL, 0, UINT64_MAX, 42,
};
static const s64 s64s[] = { 0, -1, 1, INT64_MIN, INT64_MAX, -12345, 63, -64, INT64_MIN, 0, 7 };
static const u32 ctxs[] = {
	TRACE_CTX_NONE, 0, 1, UINT32_MAX - 1, TRACE_CTX_NONE, 5, 5, 0, 3, 3, 9,
};

static u8 big[70000];

static const char *strs[] = {
	"", "x", "hello world", "tab\tquote\"back\\slash", "\xc3\xa9t\xc3\xa9", "", "z",
	("a much longer string that goes on for a while to cross a varint length boundary "
	 "and then some more to be well past one hundred and twenty-eight bytes long...."),
	"", "q", "end",
};

static void bytes_of(unsigned int i, const u8 **p, u32 *len)
{
	static const u8 small[] = { 0xff, 0x00, 0x80 };
	static const u32 lens[] = { 0, 1, 3, 300, 0, 70000, 2, 0, 128, 1, 3 };

	*len = lens[i];
	*p = lens[i] == 3 ? small : big;
}

static const char sch_all[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1] = { "u", "s", "b", "t" };
static const u8 types_all[] = { TRACE_U64, TRACE_S64, TRACE_BYTES, TRACE_STR };

static int write_all_kinds(struct mem *m, const struct cxt_writer_opts *o)
{
	struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	char many[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1];
	struct trace_arg f[TRACE_MAX_FIELDS];
	struct cxt_writer *w;
	u8 many_types[TRACE_MAX_FIELDS];
	int ret, src[2], k_all, k_none = 0, k_many = 0;
	unsigned int i, j;

	for (i = 0; i < sizeof(big); i++)
		big[i] = i * 7 + (i >> 8);
	for (i = 0; i < TRACE_MAX_FIELDS; i++) {
		snprintf(many[i], sizeof(many[i]), "f%u", i);
		many_types[i] = TRACE_U64;
	}
	ret = mem_create(m, &h, o, &w);
	if (ret)
		return ret;
	src[0] = cxt_def_source(w, "afu0", &err);
	k_all = cxt_def_kind(w, "all", TRACE_LVL_DEFAULT, 4, types_all, sch_all, &err);
	for (i = 0; i < ARRAY_SIZE(u64s); i++) {
		struct trace_event ev = {
			.time = i * 1000 + (i > 5 ? 1ULL << 62 : 0), .ctx = ctxs[i],
			.src = src[i & 1], .kind = k_all, .nr_fields = 4, .f = f,
		};

		if (i == 1) {
			/* Defined mid-block: an in-band definition record. */
			src[1] = cxt_def_source(w, "psl", &err);
			k_none = cxt_def_kind(w, "none", TRACE_LVL_VERBOSE, 0, NULL, NULL, &err);
			k_many = cxt_def_kind(w, "many", TRACE_LVL_DEBUG, TRACE_MAX_FIELDS,
					      many_types, (const char (*)[TRACE_MAX_NAME + 1])many,
					      &err);
			ev.src = src[1];
		}
		f[0] = TRACE_U(u64s[i]);
		f[1] = TRACE_S(s64s[i]);
		bytes_of(i, (const u8 **)&f[2].p, &f[2].len);
		f[2].type = TRACE_BYTES;
		f[3] = TRACE_STR(strs[i]);
		ret = cxt_write(w, &ev, &err);
		if (ret)
			return ret;
		if (!i)
			continue;
		ev.kind = k_none;
		ev.nr_fields = 0;
		ret = cxt_write(w, &ev, &err);
		ev.kind = k_many;
		ev.nr_fields = TRACE_MAX_FIELDS;
		for (j = 0; j < TRACE_MAX_FIELDS; j++)
			f[j] = TRACE_U(u64s[(i + j) % ARRAY_SIZE(u64s)]);
		ret = ret ?: cxt_write(w, &ev, &err);
		if (ret)
			return ret;
	}
	/* The last possible time, as a delta of almost 2^64. */
	ret = cxt_write(w, &(struct trace_event){ .time = UINT64_MAX, .ctx = 0, .src = src[0],
						  .kind = k_none }, &err);
	return ret ?: mem_close(m, w);
}

static enum harness_result check_all_kinds(struct cxt_reader *r)
{
	struct trace_event ev;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(u64s); i++) {
		const struct cxt_kind *k;
		const u8 *bp;
		u32 blen;

		ASSERT_EQm(err.msg, 1, cxt_next(r, &ev, &err));
		k = cxt_kind(r, ev.kind);
		ASSERT_STR_EQ("all", k->name);
		ASSERT_EQ(4, k->nr_fields);
		ASSERT_STR_EQ("t", k->field_names[3]);
		ASSERT_EQ(TRACE_STR, k->types[3]);
		ASSERT_EQ(i * 1000 + (i > 5 ? 1ULL << 62 : 0), ev.time);
		ASSERT_STR_EQ(i & 1 ? "psl" : "afu0", cxt_source_name(r, ev.src));
		ASSERT_EQ(ctxs[i], ev.ctx);
		ASSERT_EQ(4, ev.nr_fields);
		ASSERT_EQ(TRACE_U64, ev.f[0].type);
		ASSERT_EQ(u64s[i], ev.f[0].u);
		ASSERT_EQ(TRACE_S64, ev.f[1].type);
		ASSERT_EQ(s64s[i], ev.f[1].s);
		bytes_of(i, &bp, &blen);
		ASSERT_EQ(TRACE_BYTES, ev.f[2].type);
		ASSERT_EQ(blen, ev.f[2].len);
		ASSERT_MEM_EQ(bp, ev.f[2].p, blen);
		ASSERT_EQ(TRACE_STR, ev.f[3].type);
		ASSERT_EQ(strlen(strs[i]), ev.f[3].len);
		ASSERT_MEM_EQ(strs[i], ev.f[3].p, ev.f[3].len);
		if (!i)
			continue;

		ASSERT_EQ(1, cxt_next(r, &ev, &err));
		ASSERT_STR_EQ("none", cxt_kind(r, ev.kind)->name);
		ASSERT_EQ(TRACE_LVL_VERBOSE, cxt_kind(r, ev.kind)->level);
		ASSERT_EQ(0, ev.nr_fields);
		ASSERT_EQ(ctxs[i], ev.ctx);

		ASSERT_EQ(1, cxt_next(r, &ev, &err));
		ASSERT_STR_EQ("many", cxt_kind(r, ev.kind)->name);
		ASSERT_STR_EQ("f15", cxt_kind(r, ev.kind)->field_names[15]);
		ASSERT_EQ(TRACE_MAX_FIELDS, ev.nr_fields);
		for (j = 0; j < TRACE_MAX_FIELDS; j++)
			ASSERT_EQ(u64s[(i + j) % ARRAY_SIZE(u64s)], ev.f[j].u);
	}
	ASSERT_EQ(1, cxt_next(r, &ev, &err));
	ASSERT_EQ(UINT64_MAX, ev.time);
	ASSERT_EQ(0, ev.ctx);
	ASSERT_EQ(0, cxt_next(r, &ev, &err));
	ASSERT_EQ(0, cxt_next(r, &ev, &err));
	PASS();
}

TEST roundtrip_every_field_type(void *arg)
{
	const struct cxt_writer_opts *o = arg;
	struct cxt_reader *r;
	enum harness_result res;
	struct mem m;

	ASSERT_EQm(err.msg, 0, write_all_kinds(&m, o));
	ASSERT_EQm(err.msg, 0, cxt_open_mem(m.buf, m.len, "mem.cxt", 0, &r, &err));
	ASSERT_EQ(3 * ARRAY_SIZE(u64s) - 1, cxt_nr_events(r));
	res = check_all_kinds(r);
	cxt_close(r);
	free(m.buf);
	return res;
}

static const struct cxt_seed seeds[] = {
	{ "master", 0x0123456789abcdefULL }, { "stimulus", 0 }, { "x", UINT64_MAX },
};

TEST header_roundtrip(void)
{
	const struct cxt_header in = {
		.level = TRACE_LVL_VERBOSE,
		.capisim_version = "0.1.0-3-gabcdef",
		.config_name = "examples/memcpy.cfg",
		.config_text = "[psl]\nclock = 4 ns\n# comment \"quoted\"\n",
		.timing_name = "",
		.timing_text = "[latency]\nread = 200 cycles\n",
		.driver_origin = "kernel_src",
		.driver_source = "/home/me/linux",
		.driver_version = "3f1e2d4c5b6a79880123456789abcdef01234567",
		.seeds = seeds,
		.nr_seeds = ARRAY_SIZE(seeds),
	};
	const struct cxt_header *h;
	struct cxt_writer *w;
	struct cxt_reader *r;
	struct mem m;
	unsigned int i;

	ASSERT_EQm(err.msg, 0, mem_create(&m, &in, NULL, &w));
	ASSERT_EQm(err.msg, 0, mem_close(&m, w));
	ASSERT_EQm(err.msg, 0, cxt_open_mem(m.buf, m.len, "mem.cxt", 0, &r, &err));
	h = cxt_header(r);
	ASSERT_EQ(CXT_MAJOR, h->major);
	ASSERT_EQ(CXT_MINOR, h->minor);
	ASSERT_EQ(TRACE_LVL_VERBOSE, h->level);
	ASSERT_STR_EQ(in.capisim_version, h->capisim_version);
	ASSERT_STR_EQ(in.config_name, h->config_name);
	ASSERT_STR_EQ(in.config_text, h->config_text);
	ASSERT_STR_EQ("", h->timing_name);
	ASSERT_STR_EQ(in.timing_text, h->timing_text);
	ASSERT_STR_EQ(in.driver_origin, h->driver_origin);
	ASSERT_STR_EQ(in.driver_source, h->driver_source);
	ASSERT_STR_EQ(in.driver_version, h->driver_version);
	ASSERT_EQ(ARRAY_SIZE(seeds), h->nr_seeds);
	for (i = 0; i < ARRAY_SIZE(seeds); i++) {
		ASSERT_STR_EQ(seeds[i].name, h->seeds[i].name);
		ASSERT_EQ(seeds[i].value, h->seeds[i].value);
	}
	ASSERT_EQ(0, cxt_nr_events(r));
	ASSERT_EQ(0, cxt_nr_blocks(r));
	ASSERT_EQ(0, read_all(r));
	cxt_close(r);
	free(m.buf);
	PASS();
}

TEST header_absent_entries_read_as_null(void)
{
	const struct cxt_header in = { .level = TRACE_LVL_DEFAULT, .config_text = "" };
	const struct cxt_header *h;
	struct cxt_writer *w;
	struct cxt_reader *r;
	struct mem m;

	ASSERT_EQ(0, mem_create(&m, &in, NULL, &w));
	ASSERT_EQ(0, mem_close(&m, w));
	ASSERT_EQm(err.msg, 0, cxt_open_mem(m.buf, m.len, "mem.cxt", 0, &r, &err));
	h = cxt_header(r);
	ASSERT_EQ(NULL, h->capisim_version);
	ASSERT_EQ(NULL, h->config_name);
	ASSERT_STR_EQ("", h->config_text);
	ASSERT_EQ(NULL, h->driver_version);
	ASSERT_EQ(0, h->nr_seeds);
	cxt_close(r);
	free(m.buf);
	PASS();
}

/* ---- Many blocks and seeking ---- */

#define SEQ_EVENTS 50000
/* Three events share each time, so equal times straddle block boundaries. */
#define SEQ_TIME(i) ((u64)(i) / 3 * 1000 + 5)

static int write_seq(struct mem *m, u32 n, u32 block_events)
{
	static const char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1] = { "n", "ea" };
	static const u8 types[] = { TRACE_U64, TRACE_U64 };
	struct cxt_writer_opts o = { .block_events = block_events };
	struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	struct trace_arg f[2];
	struct trace_event ev = { .ctx = 0, .nr_fields = 2, .f = f };
	struct cxt_writer *w;
	u32 i;
	int ret;

	ret = mem_create(m, &h, &o, &w);
	if (ret)
		return ret;
	ev.src = cxt_def_source(w, "afu0", &err);
	ev.kind = cxt_def_kind(w, "afu.cmd", TRACE_LVL_DEFAULT, 2, types, names, &err);
	for (i = 0; i < n && !ret; i++) {
		ev.time = SEQ_TIME(i);
		f[0] = TRACE_U(i);
		f[1] = TRACE_U(0x100000 + 128ULL * i);
		ret = cxt_write(w, &ev, &err);
	}
	return ret ?: mem_close(m, w);
}

TEST many_blocks_read_back_in_order(void)
{
	struct cxt_reader *r;
	struct trace_event ev;
	struct mem m;
	u32 i;

	ASSERT_EQm(err.msg, 0, write_seq(&m, SEQ_EVENTS, 512));
	ASSERT_EQm(err.msg, 0, cxt_open_mem(m.buf, m.len, "mem.cxt", 0, &r, &err));
	ASSERT_EQ(SEQ_EVENTS, cxt_nr_events(r));
	ASSERT_EQ((SEQ_EVENTS + 511) / 512, cxt_nr_blocks(r));
	for (i = 0; i < SEQ_EVENTS; i++) {
		ASSERT_EQm(err.msg, 1, cxt_next(r, &ev, &err));
		ASSERT_EQ(i, ev.f[0].u);
		ASSERT_EQ(0x100000 + 128ULL * i, ev.f[1].u);
		ASSERT_EQ(SEQ_TIME(i), ev.time);
	}
	ASSERT_EQ(0, cxt_next(r, &ev, &err));
	cxt_close(r);
	free(m.buf);
	PASS();
}

/* Seek to @t: the next event must be the first at or after it. */
static enum harness_result seek_check(struct cxt_reader *r, u64 t)
{
	struct trace_event ev;
	u64 want = t <= 5 ? 0 : ((t - 5) / 1000 + !!((t - 5) % 1000)) * 3;
	u32 k;

	ASSERT_EQm(err.msg, 0, cxt_seek(r, t, &err));
	if (want >= SEQ_EVENTS) {
		ASSERT_EQ(0, cxt_next(r, &ev, &err));
		PASS();
	}
	for (k = 0; k < 4 && want + k < SEQ_EVENTS; k++) {
		ASSERT_EQm(err.msg, 1, cxt_next(r, &ev, &err));
		ASSERT_EQ(want + k, ev.f[0].u);
		ASSERT_EQ(SEQ_TIME(want + k), ev.time);
	}
	PASS();
}

TEST seek_by_time(void)
{
	const u64 last = SEQ_TIME(SEQ_EVENTS - 1);
	const u64 ts[] = { 0, 4, 5, 6, 1004, 1005, 1006, 170 * 1000 + 5, 170 * 1000 + 4,
			   last - 1, last, last + 1, UINT64_MAX };
	enum harness_result res = HARNESS_PASS;
	struct cxt_reader *r;
	struct mem m;
	unsigned int i;
	u64 x = 88172645463325252ULL;

	ASSERT_EQm(err.msg, 0, write_seq(&m, SEQ_EVENTS, 512));
	ASSERT_EQm(err.msg, 0, cxt_open_mem(m.buf, m.len, "mem.cxt", 0, &r, &err));
	for (i = 0; i < ARRAY_SIZE(ts) && res == HARNESS_PASS; i++)
		res = seek_check(r, ts[i]);
	for (i = 0; i < 300 && res == HARNESS_PASS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		res = seek_check(r, x % (last + 2000));
	}
	cxt_close(r);
	free(m.buf);
	return res;
}

TEST same_events_give_same_bytes(void)
{
	struct mem a, b;

	ASSERT_EQ(0, write_all_kinds(&a, NULL));
	ASSERT_EQ(0, write_all_kinds(&b, NULL));
	ASSERT_EQ(a.len, b.len);
	ASSERT_MEM_EQ(a.buf, b.buf, a.len);
	free(a.buf);
	free(b.buf);
	ASSERT_EQ(0, write_seq(&a, 5000, 700));
	ASSERT_EQ(0, write_seq(&b, 5000, 700));
	ASSERT_EQ(a.len, b.len);
	ASSERT_MEM_EQ(a.buf, b.buf, a.len);
	free(a.buf);
	free(b.buf);
	PASS();
}

TEST compressor_thread_changes_no_byte(void)
{
	static const struct cxt_writer_opts threaded = { .block_events = 3 };
	static const struct cxt_writer_opts sync = { .block_events = 3, .sync = true };
	struct mem a, b;

	ASSERT_EQ(0, write_all_kinds(&a, &threaded));
	ASSERT_EQ(0, write_all_kinds(&b, &sync));
	ASSERT_EQ(a.len, b.len);
	ASSERT_MEM_EQ(a.buf, b.buf, a.len);
	ASSERT_EQm(err.msg, 0, check_buf(a.buf, a.len, 0));
	free(a.buf);
	free(b.buf);
	PASS();
}

/* Write to /dev/full until the writer says so: the compressor's error reaches the caller. */
TEST write_errors_are_reported(const struct cxt_writer_opts *o)
{
	static const char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1] = { "n" };
	static const u8 types[] = { TRACE_U64 };
	const struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	struct trace_arg f;
	struct trace_event ev = { .nr_fields = 1, .f = &f };
	struct cxt_writer *w;
	u32 i;
	int ret = 0;

	ASSERT_EQm(err.msg, 0, cxt_create("/dev/full", &h, o, &w, &err));
	ev.src = cxt_def_source(w, "s", &err);
	ev.kind = cxt_def_kind(w, "k", TRACE_LVL_DEFAULT, 1, types, names, &err);
	for (i = 0; i < 100000 && !ret; i++) {
		ev.time = i;
		f = TRACE_U(i * 0x9E3779B97F4A7C15ULL);
		ret = cxt_write(w, &ev, &err);
	}
	ASSERT_EQm("the write fails before the end", -ENOSPC, ret);
	ASSERT_STR_HAS(err.msg, "/dev/full: write at offset");
	ev.time = i;
	ASSERT_EQ(-ENOSPC, cxt_write(w, &ev, &err));
	ASSERT_STR_HAS(err.msg, "an earlier write failed");
	ASSERT_EQ(-ENOSPC, cxt_close_writer(w, &err));
	PASS();
}

/* A refused event leaves no bytes and no delta state behind. */
TEST rejected_events_leave_nothing(void)
{
	static const char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1] = { "v", "w", "s" };
	static const u8 types[] = { TRACE_U64, TRACE_U64, TRACE_STR };
	const struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	struct trace_arg f[3] = { TRACE_U(1), TRACE_U(2), TRACE_STR("ok") };
	struct trace_event ev = { .time = 5, .nr_fields = 3, .f = f };
	struct cxt_writer *w;
	struct cxt_reader *r;
	struct mem m;
	int i;

	ASSERT_EQ(0, mem_create(&m, &h, NULL, &w));
	ev.src = cxt_def_source(w, "s", &err);
	ev.kind = cxt_def_kind(w, "k", TRACE_LVL_DEFAULT, 3, types, names, &err);
	ASSERT_EQm(err.msg, 0, cxt_write(w, &ev, &err));
	/* Two good fields, then a string holding a NUL; then a bad type. */
	f[0] = TRACE_U(1000);
	f[1] = TRACE_U(2000);
	f[2] = TRACE_BYTES("a\0b", 3);
	f[2].type = TRACE_STR;
	ASSERT_EQ(-EINVAL, cxt_write(w, &ev, &err));
	ASSERT_STR_HAS(err.msg, "string holds a NUL");
	f[2] = TRACE_U(3);
	ASSERT_EQ(-EINVAL, cxt_write(w, &ev, &err));
	ASSERT_STR_HAS(err.msg, "field s is str, given u64");
	f[0] = TRACE_U(1);
	f[1] = TRACE_U(2);
	f[2] = TRACE_STR("ok");
	ASSERT_EQm(err.msg, 0, cxt_write(w, &ev, &err));
	ASSERT_EQ(0, mem_close(&m, w));
	ASSERT_EQm(err.msg, 0, cxt_open_mem(m.buf, m.len, "t.cxt", 0, &r, &err));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(1, cxt_next(r, &ev, &err));
		ASSERT_EQ(1, ev.f[0].u);
		ASSERT_EQ(2, ev.f[1].u);
		ASSERT_EQ(2, ev.f[2].len);
	}
	ASSERT_EQ(0, cxt_next(r, &ev, &err));
	cxt_close(r);
	free(m.buf);
	PASS();
}

TEST files_on_disk(void)
{
	char path[] = "/tmp/capisim-test-trace-XXXXXX";
	const struct cxt_header h = { .level = TRACE_LVL_DEFAULT, .config_name = "c" };
	static const u8 types[] = { TRACE_U64 };
	static const char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1] = { "v" };
	struct trace_arg f = TRACE_U(77);
	struct trace_event ev = { .time = 9, .nr_fields = 1, .f = &f };
	struct cxt_writer *w;
	struct cxt_reader *r;
	int fd = mkstemp(path);

	ASSERT(fd >= 0);
	close(fd);
	ASSERT_EQm(err.msg, 0, cxt_create(path, &h, NULL, &w, &err));
	ev.src = cxt_def_source(w, "s", &err);
	ev.kind = cxt_def_kind(w, "k", TRACE_LVL_DEFAULT, 1, types, names, &err);
	ASSERT_EQm(err.msg, 0, cxt_write(w, &ev, &err));
	ASSERT_EQm(err.msg, 0, cxt_close_writer(w, &err));
	ASSERT_EQm(err.msg, 0, cxt_open(path, 0, &r, &err));
	ASSERT_STR_EQ("c", cxt_header(r)->config_name);
	ASSERT_EQ(1, cxt_next(r, &ev, &err));
	ASSERT_EQ(77, ev.f[0].u);
	ASSERT_EQ(9, ev.time);
	cxt_close(r);
	ASSERT_EQ(0, truncate(path, 0));
	ASSERT_EQ(-EBADMSG, cxt_open(path, 0, &r, &err));
	ASSERT_STR_HAS(err.msg, ": header at offset 0: truncated");
	unlink(path);
	ASSERT_EQ(-ENOENT, cxt_open(path, 0, &r, &err));
	ASSERT_STR_HAS(err.msg, "cannot open");
	ASSERT_EQ(-ENOENT, cxt_create("/nonexistent/dir/t.cxt", &h, NULL, &w, &err));
	ASSERT_STR_HAS(err.msg, "/nonexistent/dir/t.cxt: cannot create");
	PASS();
}

/* ---- Writer refusals ---- */

TEST writer_rejects_bad_events(void)
{
	static const char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1] = { "v", "s" };
	static const u8 types[] = { TRACE_U64, TRACE_STR };
	static const u8 types2[] = { TRACE_S64, TRACE_STR };
	const struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	struct trace_arg f[2] = { TRACE_U(1), TRACE_STR("ok") };
	struct trace_event ev = { .time = 100, .nr_fields = 2, .f = f };
	struct cxt_writer *w;
	struct mem m;

	ASSERT_EQ(0, mem_create(&m, &h, NULL, &w));
	ev.src = cxt_def_source(w, "s", &err);
	ev.kind = cxt_def_kind(w, "k", TRACE_LVL_DEFAULT, 2, types, names, &err);
	ASSERT_EQ(1, ev.kind);
	ASSERT_EQ(1, cxt_def_kind(w, "k", TRACE_LVL_DEFAULT, 2, types, names, &err));
	ASSERT_EQ(-EEXIST, cxt_def_kind(w, "k", TRACE_LVL_DEFAULT, 2, types2, names, &err));
	ASSERT_EQ(-EINVAL, cxt_def_kind(w, "bad name", TRACE_LVL_DEFAULT, 2, types, names, &err));
	ASSERT_EQ(-EINVAL, cxt_def_kind(w, "k2", TRACE_LVL_OFF, 2, types, names, &err));
	ASSERT_EQ(-EINVAL, cxt_def_source(w, "", &err));
	ASSERT_EQ(1, cxt_def_source(w, "s", &err));
	ASSERT_EQm(err.msg, 0, cxt_write(w, &ev, &err));
	ev.time = 99;
	ASSERT_EQ(-ERANGE, cxt_write(w, &ev, &err));
	ASSERT_STR_HAS(err.msg, "before the previous event's 100");
	ev.time = 100;
	ev.nr_fields = 1;
	ASSERT_EQ(-EINVAL, cxt_write(w, &ev, &err));
	ev.nr_fields = 2;
	f[0] = TRACE_S(-1);
	ASSERT_EQ(-EINVAL, cxt_write(w, &ev, &err));
	ASSERT_STR_HAS(err.msg, "field v is u64, given s64");
	f[0] = TRACE_U(1);
	f[1] = TRACE_BYTES("a\0b", 3);
	f[1].type = TRACE_STR;
	ASSERT_EQ(-EINVAL, cxt_write(w, &ev, &err));
	f[1] = TRACE_STR("ok");
	ev.kind = 2;
	ASSERT_EQ(-EINVAL, cxt_write(w, &ev, &err));
	ev.kind = 1;
	ev.src = 7;
	ASSERT_EQ(-EINVAL, cxt_write(w, &ev, &err));
	ev.src = 1;
	ASSERT_EQm(err.msg, 0, cxt_write(w, &ev, &err));
	ASSERT_EQ(2, cxt_writer_nr_events(w));
	ASSERT_EQ(0, mem_close(&m, w));
	ASSERT_EQm(err.msg, 0, check_buf(m.buf, m.len, 0));
	free(m.buf);
	PASS();
}

/* ---- The recorder ---- */

static u64 fake_now;

static u64 fake_clock(void *arg)
{
	return *(u64 *)arg;
}

static struct trace_kind tk_cmd = TRACE_KIND("afu.cmd", TRACE_LVL_DEFAULT, "tag:u64 ea:u64");
static struct trace_kind tk_data = TRACE_KIND("afu.data", TRACE_LVL_VERBOSE, "tag:u64 d:bytes");
static struct trace_kind tk_note = TRACE_KIND("note", TRACE_LVL_DEFAULT, "");
static struct trace_kind tk_bad = TRACE_KIND("bad", TRACE_LVL_DEFAULT, "x:u32");
static struct trace_source ts_afu = TRACE_SOURCE("afu0");
static struct trace_source ts_psl = TRACE_SOURCE("psl");

static int evaluated;

static u64 count_eval(u64 v)
{
	evaluated++;
	return v;
}

/* One recording: default level, three events, one at a disabled level. */
static enum harness_result record_once(struct mem *m)
{
	const struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	struct cxt_writer *w;
	u8 d[4] = { 1, 2, 3, 4 };

	ASSERT_EQ(0, mem_create(m, &h, NULL, &w));
	ASSERT_EQ(0, trace_start(w, TRACE_LVL_DEFAULT));
	ASSERT_EQ(-EBUSY, trace_start(w, TRACE_LVL_DEFAULT));
	trace_set_clock(fake_clock, &fake_now);
	fake_now = 10;
	trace_emit(&tk_cmd, &ts_afu, 3, TRACE_U(count_eval(1)), TRACE_U(0x1000));
	trace_emit(&tk_data, &ts_afu, 3, TRACE_U(count_eval(1)), TRACE_BYTES(d, sizeof(d)));
	fake_now = 20;
	trace_emit(&tk_note, &ts_psl, TRACE_CTX_NONE);
	trace_emit(&tk_cmd, &ts_afu, 3, TRACE_U(2), TRACE_U(0x1080));
	ASSERT_EQ(0, trace_stop());
	ASSERT_EQ(0, trace_nr_dropped());
	ASSERT_STR_EQ("", trace_error());
	trace_emit(&tk_cmd, &ts_afu, 3, TRACE_U(count_eval(9)), TRACE_U(0));
	ASSERT_EQ(1, evaluated);
	ASSERT_EQm(err.msg, 0, mem_close(m, w));
	PASS();
}

TEST recorder_records_enabled_levels(void)
{
	struct cxt_reader *r;
	struct trace_event ev;
	struct mem m;
	int round;

	evaluated = 0;
	/* Twice: the second trace must register kinds and sources afresh. */
	for (round = 0; round < 2; round++) {
		evaluated = 0;
		CHECK_CALL(record_once(&m));
		ASSERT_EQm(err.msg, 0, cxt_open_mem(m.buf, m.len, "mem.cxt", 0, &r, &err));
		ASSERT_EQ(3, cxt_nr_events(r));
		ASSERT_EQ(1, cxt_next(r, &ev, &err));
		ASSERT_STR_EQ("afu.cmd", cxt_kind(r, ev.kind)->name);
		ASSERT_STR_EQ("afu0", cxt_source_name(r, ev.src));
		ASSERT_EQ(10, ev.time);
		ASSERT_EQ(3, ev.ctx);
		ASSERT_EQ(0x1000, ev.f[1].u);
		ASSERT_EQ(1, cxt_next(r, &ev, &err));
		ASSERT_STR_EQ("note", cxt_kind(r, ev.kind)->name);
		ASSERT_STR_EQ("psl", cxt_source_name(r, ev.src));
		ASSERT_EQ(TRACE_CTX_NONE, ev.ctx);
		ASSERT_EQ(20, ev.time);
		ASSERT_EQ(1, cxt_next(r, &ev, &err));
		ASSERT_EQ(0x1080, ev.f[1].u);
		ASSERT_EQ(0, cxt_next(r, &ev, &err));
		cxt_close(r);
		free(m.buf);
	}
	trace_set_clock(NULL, NULL);
	PASS();
}

/* An event queue's time variable as the clock; trace_set_clock() then replaces it. */
TEST recorder_reads_a_clock_variable(void)
{
	const struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	struct cxt_reader *r;
	struct trace_event ev;
	struct cxt_writer *w;
	struct mem m;
	u64 now = 4000, other = 9000;

	ASSERT_EQ(0, mem_create(&m, &h, NULL, &w));
	trace_set_clock_var(&now);
	ASSERT_EQ(0, trace_start(w, TRACE_LVL_DEFAULT));
	trace_emit(&tk_cmd, &ts_afu, 0, TRACE_U(1), TRACE_U(2));
	now = 8000;
	trace_emit(&tk_cmd, &ts_afu, 0, TRACE_U(1), TRACE_U(2));
	trace_set_clock(fake_clock, &other);
	now = 1;
	trace_emit(&tk_note, &ts_psl, TRACE_CTX_NONE);
	ASSERT_EQ(0, trace_stop());
	trace_set_clock_var(NULL);
	ASSERT_EQ(0, mem_close(&m, w));
	ASSERT_EQm(err.msg, 0, cxt_open_mem(m.buf, m.len, "mem.cxt", 0, &r, &err));
	ASSERT_EQ(1, cxt_next(r, &ev, &err));
	ASSERT_EQ(4000, ev.time);
	ASSERT_EQ(1, cxt_next(r, &ev, &err));
	ASSERT_EQ(8000, ev.time);
	ASSERT_EQ(1, cxt_next(r, &ev, &err));
	ASSERT_EQ(9000, ev.time);
	cxt_close(r);
	free(m.buf);
	PASS();
}

TEST recorder_reports_misuse(void)
{
	const struct cxt_header h = { .level = TRACE_LVL_DEBUG };
	struct cxt_writer *w;
	struct mem m;

	ASSERT_EQ(-EINVAL, trace_start(NULL, TRACE_LVL_OFF));
	ASSERT_EQ(0, mem_create(&m, &h, NULL, &w));
	ASSERT_EQ(0, trace_start(w, TRACE_LVL_DEBUG));
	trace_emit(&tk_cmd, &ts_afu, 0, TRACE_S(-1), TRACE_U(0));
	trace_emit(&tk_cmd, &ts_afu, 0, TRACE_U(1));
	trace_emit(&tk_bad, &ts_afu, 0, TRACE_U(1));
	trace_emit(&tk_cmd, &ts_afu, 0, TRACE_U(1), TRACE_U(2));
	ASSERT_EQ(-EINVAL, trace_stop());
	ASSERT_STR_HAS(trace_error(), "afu.cmd: field tag is u64, given s64");
	ASSERT_EQ(3, trace_nr_dropped());
	ASSERT_EQ(0, mem_close(&m, w));
	ASSERT_EQm(err.msg, 0, check_buf(m.buf, m.len, 0));
	free(m.buf);
	PASS();
}

/* ---- The text dump ---- */

TEST dump_prints_and_filters(void)
{
	char path[] = "/tmp/capisim-test-dump-XXXXXX";
	const struct cxt_seed sd = { "master", 0x2a };
	const struct cxt_header h = {
		.level = TRACE_LVL_DEFAULT, .capisim_version = "9.9", .config_name = "a.cfg",
		.config_text = "x=1\n", .seeds = &sd, .nr_seeds = 1,
	};
	struct trace_filter f = TRACE_FILTER_ALL;
	struct cxt_writer *w;
	char *out = NULL;
	size_t len;
	FILE *o;
	int fd = mkstemp(path);

	ASSERT(fd >= 0);
	close(fd);
	ASSERT_EQ(0, cxt_create(path, &h, NULL, &w, &err));
	ASSERT_EQ(0, trace_start(w, TRACE_LVL_VERBOSE));
	trace_set_clock(fake_clock, &fake_now);
	fake_now = 1234567;
	trace_emit(&tk_cmd, &ts_afu, 3, TRACE_U(1), TRACE_U(0x1000));
	fake_now = 2000000;
	trace_emit(&tk_data, &ts_psl, 4, TRACE_U(1), TRACE_BYTES("\x01\xab", 2));
	trace_emit(&tk_note, &ts_psl, TRACE_CTX_NONE);
	ASSERT_EQ(0, trace_stop());
	trace_set_clock(NULL, NULL);
	ASSERT_EQ(0, cxt_close_writer(w, &err));

	o = open_memstream(&out, &len);
	ASSERT_EQ(0, trace_dump(path, o, NULL));
	fclose(o);
	ASSERT_STR_HAS(out, "# capisim trace format 1.0, 3 events in 1 blocks, level default\n");
	ASSERT_STR_HAS(out, "# capisim 9.9\n# config a.cfg (4 bytes)\n# seed master = 0x2a\n");
	ASSERT_STR_HAS(out, "        1234.567 afu0 afu.cmd ctx=3 tag=0x1 ea=0x1000\n");
	ASSERT_STR_HAS(out, "        2000.000 psl afu.data ctx=4 tag=0x1 d=<01ab>\n");
	ASSERT_STR_HAS(out, "        2000.000 psl note\n");
	free(out);

	f.kind = "afu";
	f.t_min = 1234568;
	o = open_memstream(&out, &len);
	ASSERT_EQ(0, trace_dump(path, o, &f));
	fclose(o);
	ASSERT(!strstr(out, "afu.cmd"));
	ASSERT_STR_HAS(out, "afu.data");
	ASSERT(!strstr(out, " note"));
	free(out);

	f = (struct trace_filter)TRACE_FILTER_ALL;
	f.match_ctx = true;
	f.ctx = 3;
	f.source = "afu0";
	f.t_max = 1234567;
	o = open_memstream(&out, &len);
	ASSERT_EQ(0, trace_dump(path, o, &f));
	fclose(o);
	ASSERT_STR_HAS(out, "afu.cmd");
	ASSERT(!strstr(out, "afu.data"));
	free(out);
	unlink(path);
	PASS();
}

/* ---- Corruption and truncation ---- */

/* The region holding byte @off, as the reader must name it. */
static void region_of(const struct layout *l, u64 off, char *want, size_t n)
{
	u32 i;

	if (off < l->hdr_end) {
		snprintf(want, n, "t.cxt: header at offset 0: ");
		return;
	}
	for (i = 0; i < l->nr_blocks; i++) {
		if (off < l->blk[i + 1]) {
			snprintf(want, n, "t.cxt: block %u at offset %llu: ", i,
				 (unsigned long long)l->blk[i]);
			return;
		}
	}
	if (off < l->ft_off)
		snprintf(want, n, "t.cxt: index at offset %llu: ", (unsigned long long)l->idx_off);
	else
		snprintf(want, n, "t.cxt: footer at offset %llu: ", (unsigned long long)l->ft_off);
}

static int corrupt_file(struct mem *m, struct layout *l)
{
	int ret = write_seq(m, 900, 200);

	return ret ?: get_layout((u8 *)m->buf, m->len, l);
}

TEST every_bit_flip_is_rejected_naming_its_region(void)
{
	char want[128];
	struct layout l;
	struct mem m;
	u8 *copy;
	u64 off;

	ASSERT_EQm(err.msg, 0, corrupt_file(&m, &l));
	ASSERT_EQ(5, l.nr_blocks);
	copy = malloc(m.len);
	for (off = 0; off < m.len; off++) {
		memcpy(copy, m.buf, m.len);
		copy[off] ^= 1 << (off % 8);
		region_of(&l, off, want, sizeof(want));
		/* A damaged footer magic reads as a file whose footer is missing. */
		if (off >= l.ft_off + 24)
			snprintf(want, sizeof(want), "t.cxt: footer at offset %llu: missing",
				 (unsigned long long)l.ft_off);
		if (check_buf(copy, m.len, 0) >= 0)
			FAILm(want);
		ASSERT_STR_HAS(err.msg, want);
	}
	/* A payload flip is found when the block is read, as a CRC mismatch. */
	memcpy(copy, m.buf, m.len);
	copy[l.blk[3] + 100] ^= 0x10;
	ASSERT_EQ(-EBADMSG, check_buf(copy, m.len, 0));
	snprintf(want, sizeof(want), "t.cxt: block 3 at offset %llu: CRC mismatch",
		 (unsigned long long)l.blk[3]);
	ASSERT_STR_EQ(want, err.msg);
	free(copy);
	free(m.buf);
	PASS();
}

TEST every_truncation_is_rejected_naming_its_region(void)
{
	char want[128];
	struct layout l;
	struct mem m;
	u64 len;

	ASSERT_EQm(err.msg, 0, corrupt_file(&m, &l));
	for (len = 0; len < m.len; len++) {
		region_of(&l, len, want, sizeof(want));
		if (len == l.idx_off)
			snprintf(want, sizeof(want),
				 "t.cxt: block 5 at offset %llu: the file ends here",
				 (unsigned long long)len);
		else if (len >= l.idx_off + 4)
			snprintf(want, sizeof(want), "t.cxt: footer at offset %llu: missing",
				 (unsigned long long)(len >= l.idx_off + 28 ? len - 28 :
						      l.idx_off));
		else if (len > l.idx_off)
			snprintf(want, sizeof(want), "t.cxt: block 5 at offset %llu: truncated",
				 (unsigned long long)l.idx_off);
		else if (len >= l.hdr_end)
			strcat(want, len == l.blk[0] || len == l.blk[1] || len == l.blk[2] ||
				     len == l.blk[3] || len == l.blk[4] ? "the file ends here" :
				     "truncated");
		if (check_buf(m.buf, len, 0) >= 0)
			FAILm(want);
		ASSERT_STR_HAS(err.msg, want);
	}
	free(m.buf);
	PASS();
}

TEST salvage_reads_the_intact_blocks(void)
{
	const struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	/* Compressing in this thread: each full block is in the file when cxt_write returns. */
	struct cxt_writer_opts o = { .block_events = 100, .sync = true };
	static const u8 types[] = { TRACE_U64 };
	static const char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1] = { "n" };
	struct trace_arg f;
	struct trace_event ev = { .nr_fields = 1, .f = &f };
	struct cxt_writer *w;
	struct cxt_reader *r;
	struct mem m;
	char *crashed;
	size_t crashed_len;
	u32 i;

	/* A run that dies after 350 events: three blocks reached the file. */
	ASSERT_EQ(0, mem_create(&m, &h, &o, &w));
	ev.src = cxt_def_source(w, "s", &err);
	ev.kind = cxt_def_kind(w, "k", TRACE_LVL_DEFAULT, 1, types, names, &err);
	for (i = 0; i < 350; i++) {
		ev.time = i;
		f = TRACE_U(i);
		ASSERT_EQ(0, cxt_write(w, &ev, &err));
	}
	fflush(m.f);
	crashed_len = m.len;
	crashed = malloc(crashed_len);
	memcpy(crashed, m.buf, crashed_len);
	ASSERT_EQ(0, mem_close(&m, w));

	ASSERT_EQ(-EBADMSG, check_buf(crashed, crashed_len, 0));
	ASSERT_STR_HAS(err.msg, "block 3 at offset");
	ASSERT_STR_HAS(err.msg, "the file ends here");
	ASSERT_EQ(0, cxt_open_mem(crashed, crashed_len, "t.cxt", CXT_SALVAGE, &r, &err));
	ASSERT_EQ(300, cxt_nr_events(r));
	ASSERT_EQ(300, read_all(r));
	cxt_close(r);
	/* Cut inside block 2: blocks 0 and 1 remain. */
	ASSERT_EQ(0, cxt_open_mem(crashed, crashed_len - 10, "t.cxt", CXT_SALVAGE, &r, &err));
	ASSERT_EQ(200, read_all(r));
	cxt_close(r);
	/* A complete file opens the same with or without salvage. */
	ASSERT_EQ(0, cxt_open_mem(m.buf, m.len, "t.cxt", CXT_SALVAGE, &r, &err));
	ASSERT_EQ(350, read_all(r));
	cxt_close(r);
	free(crashed);
	free(m.buf);
	PASS();
}

/* ---- Versions ---- */

TEST versions(void)
{
	struct rblock blocks[8];
	struct cxt_reader *r;
	struct layout l;
	struct mem m;
	u8 *b, *hdr, *out;
	size_t hlen, len;
	u32 n, i;

	ASSERT_EQ(0, corrupt_file(&m, &l));
	b = (u8 *)m.buf;
	/* Another major version is refused by name. */
	put(b + 8, 2, 2);
	fix_crcs(b, m.len);
	ASSERT_EQ(-ENOTSUP, check_buf(b, m.len, 0));
	ASSERT_STR_HAS(err.msg, "t.cxt: header at offset 0: format version 2.0");

	/* A later minor version: an unknown header entry (tag 99) is skipped... */
	put(b + 8, 1, 2);
	put(b + 10, 7, 2);
	hlen = le(b + 12, 4);
	hdr = malloc(16 + hlen + 5 + 4);
	memcpy(hdr, b, 16 + hlen);
	memcpy(hdr + 16 + hlen, "\x63\x03" "abc", 5);
	put(hdr + 12, hlen + 5, 4);
	put(hdr + 16 + hlen + 5, crc32(0, hdr, 16 + hlen + 5), 4);
	/* ...and so is a definition record of an unknown type (9). */
	n = split_blocks(b, &l, blocks, ARRAY_SIZE(blocks));
	memmove(blocks[0].raw + 4, blocks[0].raw, blocks[0].raw_len);
	memcpy(blocks[0].raw, "\x00\x02\x09\x00", 4);
	blocks[0].raw_len += 4;
	out = malloc(m.len + 4096);
	len = build_file(hdr, 16 + hlen + 5 + 4, blocks, n, out, m.len + 4096);
	ASSERT(len > 0);
	ASSERT_EQm(err.msg, 0, cxt_open_mem(out, len, "t.cxt", 0, &r, &err));
	ASSERT_EQ(7, cxt_header(r)->minor);
	ASSERT_EQ(900, read_all(r));
	cxt_close(r);
	for (i = 0; i < n; i++)
		free(blocks[i].raw);
	free(out);
	free(hdr);
	free(m.buf);
	PASS();
}

/* ---- Fuzzing ---- */

struct fuzz {
	u64 x;				/* xorshift state */
	u8 *seed[3];
	size_t seed_len[3];
	struct layout lay[3];
	u8 *buf;
	size_t cap;
	u64 opened, events;		/* inputs that opened, events read from them */
};

static u64 fz_rand(struct fuzz *z)
{
	z->x ^= z->x << 13;
	z->x ^= z->x >> 7;
	z->x ^= z->x << 17;
	return z->x;
}

static u64 fz_below(struct fuzz *z, u64 n)
{
	return n ? fz_rand(z) % n : 0;
}

static const u64 interesting[] = {
	0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
	0xffffffff, 0x100000000ULL, UINT64_MAX, 40, 48, 28,
};

/* One random change to @len bytes at @b (room for 16 more); returns the new length. */
static size_t mutate(struct fuzz *z, u8 *b, size_t len)
{
	size_t at = fz_below(z, len ? len : 1), n;

	switch (fz_below(z, 7)) {
	case 0:
		if (len)
			b[at] ^= 1 << fz_below(z, 8);
		return len;
	case 1:
		if (len)
			b[at] = fz_rand(z);
		return len;
	case 2:
		n = 1 << fz_below(z, 4);
		if (at + n <= len)
			put(b + at, interesting[fz_below(z, ARRAY_SIZE(interesting))], n);
		return len;
	case 3:
		return fz_below(z, len + 1);
	case 4:
		n = 1 + fz_below(z, 16);
		if (at + n > len)
			return len;
		memmove(b + at, b + at + n, len - at - n);
		return len - n;
	case 5:
		n = 1 + fz_below(z, 16);
		memmove(b + at + n, b + at, len - at);
		for (size_t i = 0; i < n; i++)
			b[at + i] = fz_rand(z);
		return len + n;
	default:
		n = 1 + fz_below(z, 8);
		if (at + 2 * n <= len)
			memcpy(b + at, b + at + n, n);
		return len;
	}
}

/* Change a block's payload and rebuild a file whose CRCs and sizes all hold. */
static size_t mutate_payload(struct fuzz *z, int s)
{
	struct rblock blocks[16];
	const struct layout *l = &z->lay[s];
	u32 n = split_blocks(z->seed[s], l, blocks, 16), i, k;
	size_t len = 0;

	if (n) {
		struct rblock *b = &blocks[fz_below(z, n)];

		/* split_blocks() left room for 64 more bytes: 3 changes add at most 48. */
		for (k = 1 + fz_below(z, 3); k; k--)
			b->raw_len = mutate(z, b->raw, b->raw_len);
		if (fz_below(z, 4) == 0)
			b->nr_events = b->nr_events + fz_below(z, 3) - 1;
		if (fz_below(z, 4) == 0)
			b->last_time = b->last_time + fz_below(z, 3) - 1;
		len = build_file(z->seed[s], l->hdr_end, blocks, n, z->buf, z->cap);
	}
	for (i = 0; i < n; i++)
		free(blocks[i].raw);
	return len;
}

/* A small file of every field type with mid-block definitions, for the fuzzer. */
static int write_mixed(struct mem *m)
{
	static const struct cxt_writer_opts o = { .block_events = 4 };
	const struct cxt_header h = {
		.level = TRACE_LVL_DEBUG, .config_name = "a.cfg", .config_text = "[a]\nb = 1\n",
		.driver_origin = "package", .seeds = seeds, .nr_seeds = 2,
	};
	struct trace_arg f[4];
	struct trace_event ev = { .f = f };
	struct cxt_writer *w;
	int ret, k_all, k_none = 0;
	unsigned int i;

	ret = mem_create(m, &h, &o, &w);
	if (ret)
		return ret;
	ev.src = cxt_def_source(w, "afu0", &err);
	k_all = cxt_def_kind(w, "all", TRACE_LVL_DEFAULT, 4, types_all, sch_all, &err);
	for (i = 0; i < ARRAY_SIZE(u64s) && !ret; i++) {
		if (i == 5) {
			ev.src = cxt_def_source(w, "psl", &err);
			k_none = cxt_def_kind(w, "none", TRACE_LVL_VERBOSE, 0, NULL, NULL, &err);
		}
		ev.time = i * 7;
		ev.ctx = ctxs[i];
		ev.kind = k_all;
		ev.nr_fields = 4;
		f[0] = TRACE_U(u64s[i]);
		f[1] = TRACE_S(s64s[i]);
		f[2] = TRACE_BYTES("\x01\x02\x00\x03", i % 5);
		f[3] = TRACE_STR(strs[i]);
		ret = cxt_write(w, &ev, &err);
		if (k_none && !ret) {
			ev.kind = k_none;
			ev.nr_fields = 0;
			ret = cxt_write(w, &ev, &err);
		}
	}
	return ret ?: mem_close(m, w);
}

static void fuzz_one(struct fuzz *z)
{
	int s = fz_below(z, 3), mode = fz_below(z, 3), k;
	unsigned int flags = fz_below(z, 2) ? CXT_SALVAGE : 0;
	struct trace_event ev;
	struct cxt_reader *r;
	size_t len;

	if (mode == 0) {
		len = mutate_payload(z, s);
	} else {
		memcpy(z->buf, z->seed[s], z->seed_len[s]);
		len = z->seed_len[s];
		for (k = 1 + fz_below(z, 4); k; k--)
			len = mutate(z, z->buf, len);
		/* Half the in-place changes get past the CRCs to the checks behind them. */
		if (mode == 2)
			fix_crcs(z->buf, len);
	}
	if (cxt_open_mem(z->buf, len, "fuzz.cxt", flags, &r, &err))
		return;
	z->opened++;
	if (fz_below(z, 4) == 0)
		cxt_seek(r, fz_rand(z) % 100000, &err);
	while (cxt_next(r, &ev, &err) > 0) {
		z->events++;
		cxt_kind(r, ev.kind);
		cxt_source_name(r, ev.src);
	}
	cxt_close(r);
}

TEST fuzz_mutated_files(void)
{
	const char *env = getenv("CXT_FUZZ_ITERS"), *seed = getenv("CXT_FUZZ_SEED");
	u64 iters = env ? strtoull(env, NULL, 0) : 20000, i;
	struct fuzz z = { .x = 0x9e3779b97f4a7c15ULL, .cap = 1 << 20 };
	struct mem m[3];
	int s;

	/* xorshift must not start at 0. */
	if (seed && strtoull(seed, NULL, 0))
		z.x = strtoull(seed, NULL, 0);
	ASSERT_EQ(0, write_seq(&m[0], 120, 30));
	ASSERT_EQm(err.msg, 0, write_mixed(&m[1]));
	ASSERT_EQ(0, write_seq(&m[2], 0, 2));
	for (s = 0; s < 3; s++) {
		z.seed[s] = (u8 *)m[s].buf;
		z.seed_len[s] = m[s].len;
		ASSERT_EQ(0, get_layout(z.seed[s], m[s].len, &z.lay[s]));
	}
	z.buf = malloc(z.cap);
	for (i = 0; i < iters; i++)
		fuzz_one(&z);
	printf("fuzz: %llu inputs, %llu opened, %llu events read\n", (unsigned long long)iters,
	       (unsigned long long)z.opened, (unsigned long long)z.events);
	/* The fuzzer must reach the decoder, not only the CRC checks. */
	ASSERT(z.opened > iters / 20);
	ASSERT(z.events > iters);
	free(z.buf);
	for (s = 0; s < 3; s++)
		free(m[s].buf);
	PASS();
}

SUITE(trace_record)
{
	static const struct cxt_writer_opts tiny = { .block_events = 3, .block_bytes = 64 };
	static const struct cxt_writer_opts one = { .block_events = 1 };
	static const struct cxt_writer_opts fast = { .zlevel = 1 };
	static const struct cxt_writer_opts full_threaded = { .block_events = 50 };
	static const struct cxt_writer_opts full_sync = { .block_events = 50, .sync = true };

	RUN_TEST(schema_parses);
	RUN_TESTp(roundtrip_every_field_type, NULL, "default");
	RUN_TESTp(roundtrip_every_field_type, &tiny, "tiny-blocks");
	RUN_TESTp(roundtrip_every_field_type, &one, "one-event-blocks");
	RUN_TESTp(roundtrip_every_field_type, &fast, "zlevel-1");
	RUN_TEST(header_roundtrip);
	RUN_TEST(header_absent_entries_read_as_null);
	RUN_TEST(many_blocks_read_back_in_order);
	RUN_TEST(seek_by_time);
	RUN_TEST(same_events_give_same_bytes);
	RUN_TEST(compressor_thread_changes_no_byte);
	RUN_TESTp(write_errors_are_reported, &full_threaded, "threaded");
	RUN_TESTp(write_errors_are_reported, &full_sync, "sync");
	RUN_TEST(rejected_events_leave_nothing);
	RUN_TEST(files_on_disk);
	RUN_TEST(writer_rejects_bad_events);
	RUN_TEST(recorder_records_enabled_levels);
	RUN_TEST(recorder_reads_a_clock_variable);
	RUN_TEST(recorder_reports_misuse);
	RUN_TEST(dump_prints_and_filters);
}

SUITE(trace_damage)
{
	RUN_TEST(every_bit_flip_is_rejected_naming_its_region);
	RUN_TEST(every_truncation_is_rejected_naming_its_region);
	RUN_TEST(salvage_reads_the_intact_blocks);
	RUN_TEST(versions);
	RUN_TEST(fuzz_mutated_files);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(trace_record);
	RUN_SUITE(trace_damage);
	HARNESS_MAIN_END();
}
