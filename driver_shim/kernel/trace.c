// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoint hooks of kshim/trace.h: each trace_cxl_*() call becomes
 * a log line "trace: <task>-<pid> <event>: <TP_printk output>", and
 * __print_flags()/__print_symbolic() decode as the kernel's trace output
 * does.  Each is also handed, with the TP_printk() arguments as typed
 * fields, to libcxl's machine when it is linked in, which records it as
 * a drv.<event> trace event (driver_shim/user/drvtrace.c).
 */
#define pr_fmt(fmt) "trace: " fmt

#include "ksched.h"
#include "../user/drvtrace.h"

/* Weak: a shim without libcxl's machine (the shim's own tests) only logs. */
extern __weak void lx_drv_tracepoint(const char *tp, int pid, const char *comm,
				     const struct lxd_field *f, unsigned int nr);

#define FIELD_NAME_LEN	32

/* Start a new string in @tb: at its end, or on its last byte when full. */
static char *tb_start(struct kshim_trace_buf *tb)
{
	if (tb->len >= sizeof(tb->buf))
		tb->len = sizeof(tb->buf) - 1;
	tb->buf[tb->len] = '\0';
	return &tb->buf[tb->len];
}

/* Append to the current string, truncating at the end of the buffer. */
static __printf(2, 3) void tb_printf(struct kshim_trace_buf *tb, const char *fmt, ...)
{
	unsigned int room = sizeof(tb->buf) - tb->len;
	va_list args;
	int n;

	if (room <= 1)
		return;
	va_start(args, fmt);
	n = vsnprintf(tb->buf + tb->len, room, fmt, args);
	va_end(args);
	if (n > 0)
		tb->len += min_t(unsigned int, n, room - 1);
}

/* Close the current string: the next one starts past its NUL. */
static void tb_end(struct kshim_trace_buf *tb)
{
	if (tb->len < sizeof(tb->buf) - 1)
		tb->len++;
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Name field @n after the literal text [@lit, @end) before it: the word
 * just before, past a trailing "0x" and one of "=[:" ("pe=%i" is pe,
 * "dar=0x%016llx" is dar, "SSTE[%i]" is SSTE), else "argN".  The driver's
 * "afu%i.%i" and "psl%i.%i" prefixes print the record's card and afu.
 */
static void field_name(const char *fmt, const char *lit, const char *end, unsigned int n,
		       char (*names)[FIELD_NAME_LEN])
{
	const char *w;
	unsigned int i;

	if (n == 1 && end - lit == 1 && *lit == '.' && lit - fmt == 5 &&
	    (!strncmp(fmt, "afu%", 4) || !strncmp(fmt, "psl%", 4))) {
		snprintf(names[0], FIELD_NAME_LEN, "card");
		snprintf(names[1], FIELD_NAME_LEN, "afu");
		return;
	}
	if (end - lit >= 2 && end[-2] == '0' && end[-1] == 'x')
		end -= 2;
	if (end > lit && (end[-1] == '=' || end[-1] == '[' || end[-1] == ':'))
		end--;
	for (w = end; w > lit && is_word_char(w[-1]) && end - w < FIELD_NAME_LEN - 4; w--)
		;
	if (w == end)
		snprintf(names[n], FIELD_NAME_LEN, "arg%u", n);
	else
		snprintf(names[n], FIELD_NAME_LEN, "%.*s", (int)(end - w), w);
	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], names[n])) {
			snprintf(names[n] + strlen(names[n]), 4, "_%u", n);
			break;
		}
	}
}

/* Take the value of conversion @c with length modifier @lmod ('H' hh, 'L' ll). */
static void field_value(struct lxd_field *f, char c, char lmod, va_list *ap)
{
	bool is_long = lmod == 'l' || lmod == 'z' || lmod == 't' || lmod == 'j';

	switch (c) {
	case 'd':
	case 'i':
		f->type = LXD_S64;
		f->u = lmod == 'L' ? va_arg(*ap, long long) :
		       is_long ? va_arg(*ap, long) : va_arg(*ap, int);
		return;
	case 's':
		f->type = LXD_STR;
		f->s = va_arg(*ap, const char *);
		f->s = f->s ? f->s : "(null)";
		return;
	case 'p':
		f->type = LXD_U64;
		f->u = (unsigned long)va_arg(*ap, void *);
		return;
	default:	/* u x X o c */
		f->type = LXD_U64;
		f->u = lmod == 'L' ? va_arg(*ap, unsigned long long) :
		       is_long ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
		return;
	}
}

/* Past flags, width and precision of the conversion at @p ('%'), taking '*' arguments. */
static const char *skip_spec(const char *p, va_list *ap)
{
	for (p++; *p == '-' || *p == '+' || *p == ' ' || *p == '#' || *p == '0'; p++)
		;
	if (*p == '*') {
		(void)va_arg(*ap, int);
		p++;
	}
	while (is_digit(*p))
		p++;
	if (*p == '.') {
		if (*++p == '*') {
			(void)va_arg(*ap, int);
			p++;
		}
		while (is_digit(*p))
			p++;
	}
	return p;
}

/*
 * The TP_printk() arguments of @fmt as fields, at most LXD_MAX_FIELDS
 * (the rest are taken and dropped).  Returns how many.
 */
static unsigned int tp_fields(const char *fmt, va_list *ap, struct lxd_field *f,
			      char (*names)[FIELD_NAME_LEN])
{
	const char *lit = fmt, *p;
	unsigned int n = 0;

	for (p = fmt; *p; p++) {
		struct lxd_field dropped;
		char lmod = 0;

		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		if (n < LXD_MAX_FIELDS)
			field_name(fmt, lit, p, n, names);
		p = skip_spec(p, ap);
		if (*p == 'h' || *p == 'l') {
			lmod = *p++;
			if (*p == lmod) {
				lmod = lmod == 'l' ? 'L' : 'H';
				p++;
			}
		} else if (*p == 'z' || *p == 't' || *p == 'j') {
			lmod = *p++;
		}
		if (!*p)
			break;
		field_value(n < LXD_MAX_FIELDS ? &f[n] : &dropped, *p, lmod, ap);
		if (n < LXD_MAX_FIELDS) {
			f[n].name = names[n];
			n++;
		}
		lit = p + 1;
	}
	return n;
}

void kshim_trace_event(const char *name, const char *fmt, ...)
{
	char names[LXD_MAX_FIELDS][FIELD_NAME_LEN];
	struct lxd_field f[LXD_MAX_FIELDS];
	struct task_struct *task = current;
	char msg[512];
	va_list args;
	unsigned int n;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	pr_info("%s-%d %s: %s\n", task->comm, task->pid, name, msg);
	if (!lx_drv_tracepoint)
		return;
	va_start(args, fmt);
	n = tp_fields(fmt, &args, f, names);
	va_end(args);
	lx_drv_tracepoint(name, task->pid, task->comm, f, n);
}

/*
 * As the kernel: each entry whose mask bits are all set prints its name
 * and clears them; bits no entry named follow in hex.
 */
const char *kshim_trace_print_flags(struct kshim_trace_buf *tb, const char *delim,
				    unsigned long flags, const struct trace_print_flags *tbl,
				    unsigned int n)
{
	const char *str = tb_start(tb);
	bool first = true;
	unsigned int i;

	for (i = 0; i < n && flags; i++) {
		if ((flags & tbl[i].mask) != tbl[i].mask)
			continue;
		flags &= ~tbl[i].mask;
		tb_printf(tb, "%s%s", first ? "" : delim, tbl[i].name);
		first = false;
	}
	if (flags)
		tb_printf(tb, "%s0x%lx", first ? "" : delim, flags);
	tb_end(tb);
	return str;
}

const char *kshim_trace_print_symbolic(struct kshim_trace_buf *tb, unsigned long long val,
				       const struct trace_print_flags_u64 *tbl, unsigned int n)
{
	const char *str = tb_start(tb);
	unsigned int i;

	for (i = 0; i < n && tbl[i].mask != val; i++)
		;
	if (i < n)
		tb_printf(tb, "%s", tbl[i].name);
	else
		tb_printf(tb, "0x%llx", val);
	tb_end(tb);
	return str;
}
