/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver's tracepoints and printk lines as trace events
 * (drvtrace.c): the kernel side (driver_shim/kernel/trace.c, printk.c)
 * hands each over with builtin C types only, through weak references, so
 * a shim linked without libcxl's machine keeps them as log lines only.
 * Simulator thread only, as all kernel code.
 */
#ifndef CAPISIM_LIBCXL_DRVTRACE_H
#define CAPISIM_LIBCXL_DRVTRACE_H

/* Most fields a tracepoint's TP_printk() has (cxl_hcall_control: 8). */
#define LXD_MAX_FIELDS	12

enum lxd_type {
	LXD_U64,
	LXD_S64,
	LXD_STR,
};

/* One argument of a tracepoint's TP_printk(), named after the text before it. */
struct lxd_field {
	const char *name;		/* static, or in the caller's buffer */
	enum lxd_type type;
	unsigned long long u;		/* LXD_U64, LXD_S64 (two's complement) */
	const char *s;			/* LXD_STR */
};

/* Tracepoint @tp ("cxl_attach") fired in task @pid named @comm, with @nr fields. */
void lx_drv_tracepoint(const char *tp, int pid, const char *comm, const struct lxd_field *f,
		       unsigned int nr);
/* A printk line of task @pid, @comm at kernel log level @level (0..7), without its newline. */
void lx_drv_printk(int pid, const char *comm, int level, const char *text);
/*
 * The kernel dies (BUG, a fatal shim error) and the process will abort:
 * record it, and write the trace and the status while they can be.
 */
void lx_drv_die(void);

#endif
