// SPDX-License-Identifier: GPL-2.0
/*
 * trace_dump(): a trace as text, one event a line, for people and grep:
 *
 *	   1234.000 card0 psl.cmd ctx=1 slice=0x0 tag=0x3 com=0xa00 ea=0x10000 ...
 *
 * Times are nanoseconds with the picoseconds after the point; u64 fields
 * print in hex, s64 in decimal, bytes as <hex>, str quoted.
 */
#include <errno.h>
#include <string.h>

#include "trace/cxt.h"
#include "trace/tt.h"

static const char *level_name(enum trace_level level)
{
	static const char *const names[] = {
		[TRACE_LVL_OFF] = "off",
		[TRACE_LVL_DEFAULT] = "default",
		[TRACE_LVL_VERBOSE] = "verbose",
		[TRACE_LVL_DEBUG] = "debug",
	};

	return level < ARRAY_SIZE(names) ? names[level] : "?";
}

/* @name is @want, or @want followed by a '.' and more ("psl.buf" matches "psl.buf.data"). */
static bool name_matches(const char *name, const char *want)
{
	size_t n;

	if (!want)
		return true;
	n = strlen(want);
	return !strncmp(name, want, n) && (name[n] == '\0' || name[n] == '.');
}

static void print_text(FILE *out, const char *label, const char *name, const char *text)
{
	if (!name && !text)
		return;
	fprintf(out, "# %s %s", label, name ? name : "(unnamed)");
	if (text)
		fprintf(out, " (%zu bytes)", strlen(text));
	fputc('\n', out);
}

static void print_header(const struct cxt_reader *r, FILE *out)
{
	const struct cxt_header *h = cxt_header(r);
	unsigned int i;

	fprintf(out, "# capisim trace format %u.%u, %llu events in %u blocks, level %s\n",
		h->major, h->minor, (unsigned long long)cxt_nr_events(r), cxt_nr_blocks(r),
		level_name(h->level));
	if (h->capisim_version)
		fprintf(out, "# capisim %s\n", h->capisim_version);
	print_text(out, "config", h->config_name, h->config_text);
	print_text(out, "timing", h->timing_name, h->timing_text);
	if (h->driver_origin || h->driver_source || h->driver_version)
		fprintf(out, "# driver %s %s %s\n", h->driver_origin ?: "-",
			h->driver_source ?: "-", h->driver_version ?: "-");
	for (i = 0; i < h->nr_seeds; i++)
		fprintf(out, "# seed %s = 0x%llx\n", h->seeds[i].name,
			(unsigned long long)h->seeds[i].value);
}

static void print_str(FILE *out, const u8 *s, u32 len)
{
	u32 i;

	fputc('"', out);
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fprintf(out, "\\%c", s[i]);
		else if (s[i] < 0x20 || s[i] >= 0x7f)
			fprintf(out, "\\x%02x", s[i]);
		else
			fputc(s[i], out);
	}
	fputc('"', out);
}

static void print_field(FILE *out, const char *name, const struct trace_arg *a)
{
	const u8 *b = a->p;
	u32 i;

	fprintf(out, " %s=", name);
	switch (a->type) {
	case TRACE_U64:
		fprintf(out, "0x%llx", (unsigned long long)a->u);
		break;
	case TRACE_S64:
		fprintf(out, "%lld", (long long)a->s);
		break;
	case TRACE_BYTES:
		fputc('<', out);
		for (i = 0; i < a->len; i++)
			fprintf(out, "%02x", b[i]);
		fputc('>', out);
		break;
	default:
		print_str(out, b, a->len);
		break;
	}
}

void trace_print_event(FILE *out, const struct trace_event *ev, const struct cxt_kind *k,
		       const char *src)
{
	unsigned int i;

	fprintf(out, "%12llu.%03llu %s %s", (unsigned long long)(ev->time / 1000),
		(unsigned long long)(ev->time % 1000), src, k->name);
	if (ev->ctx != TRACE_CTX_NONE)
		fprintf(out, " ctx=%u", ev->ctx);
	for (i = 0; i < ev->nr_fields; i++)
		print_field(out, k->field_names[i], &ev->f[i]);
	fputc('\n', out);
}

static bool wanted(const struct trace_filter *f, const struct trace_event *ev,
		   const struct cxt_kind *k, const char *src)
{
	return name_matches(src, f->source) && name_matches(k->name, f->kind) &&
	       (!f->match_ctx || ev->ctx == f->ctx);
}

static int dump_events(struct cxt_reader *r, FILE *out, const struct trace_filter *f,
		       struct cxt_error *err)
{
	struct trace_event ev;
	int ret;

	if (f->t_min) {
		ret = cxt_seek(r, f->t_min, err);
		if (ret)
			return ret;
	}
	while ((ret = cxt_next(r, &ev, err)) > 0 && ev.time <= f->t_max) {
		const struct cxt_kind *k = cxt_kind(r, ev.kind);
		const char *src = cxt_source_name(r, ev.src);

		if (wanted(f, &ev, k, src))
			trace_print_event(out, &ev, k, src);
	}
	return ret < 0 ? ret : 0;
}

int trace_dump(const char *path, FILE *out, const struct trace_filter *f)
{
	static const struct trace_filter all = TRACE_FILTER_ALL;
	struct cxt_reader *r;
	struct cxt_error err;
	int ret;

	ret = cxt_open(path, 0, &r, &err);
	if (ret) {
		fprintf(stderr, "%s\n", err.msg);
		return ret;
	}
	print_header(r, out);
	ret = dump_events(r, out, f ? f : &all, &err);
	if (ret)
		fprintf(stderr, "%s\n", err.msg);
	cxt_close(r);
	return ret;
}
