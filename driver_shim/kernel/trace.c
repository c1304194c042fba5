// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoint hooks of kshim/trace.h: each trace_cxl_*() call becomes
 * a log line "trace: <task>-<pid> <event>: <TP_printk output>", and
 * __print_flags()/__print_symbolic() decode as the kernel's trace output
 * does.
 */
#define pr_fmt(fmt) "trace: " fmt

#include "ksched.h"

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

void kshim_trace_event(const char *name, const char *fmt, ...)
{
	struct task_struct *task = current;
	char msg[512];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	pr_info("%s-%d %s: %s\n", task->comm, task->pid, name, msg);
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
