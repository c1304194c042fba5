/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints.  Each TRACE_EVENT/DEFINE_EVENT in a driver trace header
 * becomes a static inline trace_<event>() that fills the event's record
 * (TP_STRUCT__entry, TP_fast_assign) and hands the TP_printk() format and
 * arguments to one runtime hook, kshim_trace_event(), which writes a
 * structured log line (driver_shim/kernel/trace.c).  __print_flags() and
 * __print_symbolic() decode into a per-call buffer.
 *
 * Nothing is generated under CREATE_TRACE_POINTS: trace.c stays an empty
 * object and <trace/define_trace.h> is empty.
 */
#ifndef _KSHIM_TRACE_H
#define _KSHIM_TRACE_H

#include <kshim/types.h>
#include <kshim/kernel.h>

/* Hook: one event, its name and its TP_printk() output. */
__printf(2, 3) void kshim_trace_event(const char *name, const char *fmt, ...);

struct trace_print_flags {
	unsigned long mask;
	const char *name;
};

struct trace_print_flags_u64 {
	unsigned long long mask;
	const char *name;
};

/* Scratch space for the decoded flag/symbol strings of one event. */
#define KSHIM_TRACE_BUF_SIZE	256

struct kshim_trace_buf {
	unsigned int len;
	char buf[KSHIM_TRACE_BUF_SIZE];
};

static inline void kshim_trace_buf_init(struct kshim_trace_buf *tb)
{
	tb->len = 0;
	tb->buf[0] = '\0';
}

/*
 * Appends to tb and returns the appended string: the names of the set
 * flags joined by delim, then any unnamed bits as 0x%lx (kernel format).
 */
const char *kshim_trace_print_flags(struct kshim_trace_buf *tb, const char *delim,
				    unsigned long flags, const struct trace_print_flags *tbl,
				    unsigned int n);
/* Appends the name matching val, or val as 0x%llx. */
const char *kshim_trace_print_symbolic(struct kshim_trace_buf *tb, unsigned long long val,
				       const struct trace_print_flags_u64 *tbl, unsigned int n);

#define __print_flags(flag, delim, ...) ({ \
	static const struct trace_print_flags __flags[] = { __VA_ARGS__ }; \
	kshim_trace_print_flags(&__tb, delim, flag, __flags, ARRAY_SIZE(__flags)); })
#define __print_symbolic_u64(value, ...) ({ \
	static const struct trace_print_flags_u64 __syms[] = { __VA_ARGS__ }; \
	kshim_trace_print_symbolic(&__tb, value, __syms, ARRAY_SIZE(__syms)); })
#define __print_symbolic(value, ...)	__print_symbolic_u64(value, __VA_ARGS__)

/*
 * The event macros.  TP_PROTO/TP_ARGS keep their parentheses, so they can
 * be pasted directly as a parameter or argument list.
 */
#define PARAMS(args...)			args
#define TP_PROTO(args...)		(args)
#define TP_ARGS(args...)		(args)
#define TP_STRUCT__entry(args...)	args
#define TP_fast_assign(args...)		args
#define TP_printk(fmt, args...)		fmt, ##args

#define __field(type, item)		type item;
#define __field_struct(type, item)	type item;
#define __array(type, item, len)	type item[len];

/* printer(name, entry): formats one record of class call. */
#define __kshim_trace_printer(printer, call, print...) \
	static inline void printer(const char *__name, \
				   const struct trace_event_raw_##call *__entry) \
	{ \
		struct kshim_trace_buf __tb; \
		kshim_trace_buf_init(&__tb); \
		kshim_trace_event(__name, print); \
	}

#define DECLARE_EVENT_CLASS(call, proto, args, tstruct, assign, print) \
	struct trace_event_raw_##call { tstruct }; \
	static inline struct trace_event_raw_##call trace_event_fill_##call proto \
	{ \
		struct trace_event_raw_##call __rec, *__entry = &__rec; \
		assign \
		return __rec; \
	} \
	__kshim_trace_printer(trace_event_print_##call, call, print) \
	struct trace_event_raw_##call

#define __kshim_trace_caller(template, name, proto, args, printer) \
	static inline void trace_##name proto \
	{ \
		struct trace_event_raw_##template __rec = trace_event_fill_##template args; \
		printer(#name, &__rec); \
	} \
	struct trace_event_raw_##template

#define DEFINE_EVENT(template, name, proto, args) \
	__kshim_trace_caller(template, name, PARAMS(proto), PARAMS(args), \
			     trace_event_print_##template)

#define DEFINE_EVENT_PRINT(template, name, proto, args, print) \
	__kshim_trace_printer(trace_event_print_##name, template, print) \
	__kshim_trace_caller(template, name, PARAMS(proto), PARAMS(args), \
			     trace_event_print_##name)

#define TRACE_EVENT(name, proto, args, tstruct, assign, print) \
	DECLARE_EVENT_CLASS(name, PARAMS(proto), PARAMS(args), PARAMS(tstruct), \
			    PARAMS(assign), PARAMS(print)); \
	DEFINE_EVENT(name, name, PARAMS(proto), PARAMS(args))

#endif /* _KSHIM_TRACE_H */
