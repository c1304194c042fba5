// SPDX-License-Identifier: GPL-2.0
/*
 * printk and friends, WARN and BUG, and the runtime's checks: every
 * report names the task and the call site and is counted, and a test
 * passes only if the counts are the ones it declared (docs/shim-sched.md).
 *
 * Lines go to the simulator's log (sim/core/log.h), which stamps them
 * with simulated time.  Driver lines keep the driver's own prefixes
 * ("cxl: ...", or "<driver> <device>: " for dev_*()), as in dmesg.
 */
#define pr_fmt(fmt) "kshim: " fmt

#include "ksched.h"
#include "../user/drvtrace.h"

/* Weak: libcxl's machine records lines and deaths (drvtrace.h); a bare shim only logs. */
extern __weak void lx_drv_printk(int pid, const char *comm, int level, const char *text);
extern __weak void lx_drv_die(void);

#define LINE_LEN		1024
/* The kernel's level for a printk() without one (CONFIG_MESSAGE_LOGLEVEL_DEFAULT). */
#define DEFAULT_LEVEL		4

struct kshim_site kshim_site;

static const char *const check_names[KSHIM_NR_CHECKS] = {
	[KSHIM_CHECK_WARN] = "warn",
	[KSHIM_CHECK_SLEEP_ATOMIC] = "sleep-in-atomic",
	[KSHIM_CHECK_SLEEP_SPINLOCK] = "sleep-holding-spinlock",
	[KSHIM_CHECK_DOUBLE_UNLOCK] = "double-unlock",
	[KSHIM_CHECK_FOREIGN_UNLOCK] = "foreign-unlock",
	[KSHIM_CHECK_IRQ_UNBALANCED] = "irq-unbalanced",
	[KSHIM_CHECK_RCU_UNBALANCED] = "rcu-unbalanced",
	[KSHIM_CHECK_LOCK_ORDER] = "lock-order",
	[KSHIM_CHECK_EXIT_HELD] = "exit-holding",
};

/*
 * Reports made and reports the test expects, per check.  Written by code
 * on the simulated CPU and by the harness between runs; reset by
 * kshim_checks_reset().
 */
static unsigned int check_counts[KSHIM_NR_CHECKS];
static unsigned int check_expected[KSHIM_NR_CHECKS];

const char *kshim_check_name(int check)
{
	if (check < 0 || check >= KSHIM_NR_CHECKS)
		return NULL;
	return check_names[check];
}

/* Level of the last line, for KERN_CONT; touched only by printk(). */
static int last_level = DEFAULT_LEVEL;

void kshim_checks_reset(void)
{
	memset(check_counts, 0, sizeof(check_counts));
	memset(check_expected, 0, sizeof(check_expected));
}

/* "drivers/misc/cxl/file.c:464": the build directory is left out. */
const char *kshim_site_str(struct kshim_site site, char *buf, size_t len)
{
	const char *file = site.file, *tail;

	if (!file) {
		snprintf(buf, len, "?");
		return buf;
	}
	tail = strstr(file, "drivers/");
	snprintf(buf, len, "%s:%d", tail ? tail : file, site.line);
	return buf;
}

/* " at drivers/misc/cxl/file.c:464", or nothing for a report with no call site. */
static const char *at_str(struct kshim_site site, char *buf, size_t len)
{
	char where[128];

	if (!site.file)
		return "";
	snprintf(buf, len, " at %s", kshim_site_str(site, where, sizeof(where)));
	return buf;
}

/* "[proc-1 pid 3, in IRQ]": who was running, and in which context. */
static const char *who_str(char *buf, size_t len)
{
	struct kshim_task *kt = kshim_cur();

	snprintf(buf, len, "[%s pid %d%s]", kt->ts.comm, kt->ts.pid,
		 kt->hardirq ? ", in IRQ" : kt->softirq ? ", in RCU callback" : "");
	return buf;
}

static void strip_newline(char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		s[n - 1] = '\0';
}

void kshim_report(enum kshim_check check, struct kshim_site site, const char *fmt, ...)
{
	char msg[LINE_LEN], who[64], where[160];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	strip_newline(msg);
	check_counts[check]++;
	if (check == KSHIM_CHECK_WARN)
		pr_warn("WARNING: %s %s%s\n", msg, who_str(who, sizeof(who)),
			at_str(site, where, sizeof(where)));
	else
		pr_err("%s: %s %s%s\n", check_names[check], msg, who_str(who, sizeof(who)),
		       at_str(site, where, sizeof(where)));
}

void kshim_die(struct kshim_site site, const char *fmt, ...)
{
	char msg[LINE_LEN], who[64], where[160];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	strip_newline(msg);
	pr_emerg("BUG: %s %s%s\n", msg, who_str(who, sizeof(who)),
		 at_str(site, where, sizeof(where)));
	hsched_dump();
	if (lx_drv_die)
		lx_drv_die();
	hsched_die();
}

void kshim_warn(const char *file, int line, const char *fmt, ...)
{
	char msg[LINE_LEN];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	kshim_report(KSHIM_CHECK_WARN, (struct kshim_site){ file, line }, "%s", msg);
}

void kshim_bug(const char *file, int line, const char *what)
{
	kshim_die((struct kshim_site){ file, line }, "%s", what);
}

unsigned int kshim_check_count(int check)
{
	return check >= 0 && check < KSHIM_NR_CHECKS ? check_counts[check] : 0;
}

void kshim_expect(int check, unsigned int n)
{
	if (check >= 0 && check < KSHIM_NR_CHECKS)
		check_expected[check] += n;
}

int kshim_check_verdict(void)
{
	int bad = 0, i;

	for (i = 0; i < KSHIM_NR_CHECKS; i++) {
		if (check_counts[i] == check_expected[i])
			continue;
		pr_err("check %s: %u reported, %u expected\n", check_names[i], check_counts[i],
		       check_expected[i]);
		bad++;
	}
	return bad;
}

/*
 * Split the "\001" + level prefix off.  A KERN_CONT line continues the
 * previous one at its level; it is logged as a line of its own.
 */
static int parse_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] != KERN_SOH[0] || !f[1])
		return DEFAULT_LEVEL;
	*fmt = f + 2;
	if (f[1] >= '0' && f[1] <= '7')
		return f[1] - '0';
	return f[1] == 'c' ? last_level : DEFAULT_LEVEL;
}

static int vprintk_line(int level, const char *prefix, const char *fmt, va_list args)
{
	char line[LINE_LEN];
	int n = snprintf(line, sizeof(line), "%s", prefix);

	n += vsnprintf(line + n, sizeof(line) - n, fmt, args);
	last_level = level;
	hsched_log(level, line);
	if (lx_drv_printk) {
		strip_newline(line);
		lx_drv_printk(kshim_cur()->ts.pid, kshim_cur()->ts.comm, level, line);
	}
	return n;
}

int printk(const char *fmt, ...)
{
	int level = parse_level(&fmt);
	va_list args;
	int n;

	va_start(args, fmt);
	n = vprintk_line(level, "", fmt, args);
	va_end(args);
	return n;
}

/* The kernel's dev_driver_string(): the driver's name, else the class's. */
static const char *dev_driver_str(const struct device *dev)
{
	if (dev->driver)
		return dev->driver->name;
	return dev->class ? dev->class->name : "";
}

void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
{
	int lvl = parse_level(&level);
	char prefix[128];
	va_list args;

	if (dev)
		snprintf(prefix, sizeof(prefix), "%s %s: ", dev_driver_str(dev), dev_name(dev));
	else
		snprintf(prefix, sizeof(prefix), "(NULL device *): ");
	va_start(args, fmt);
	vprintk_line(lvl, prefix, fmt, args);
	va_end(args);
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list args;
	char *s;
	int n;

	va_start(args, fmt);
	n = vsnprintf(NULL, 0, fmt, args);
	va_end(args);
	s = kmalloc(n + 1, gfp);
	if (!s)
		return NULL;
	va_start(args, fmt);
	vsnprintf(s, n + 1, fmt, args);
	va_end(args);
	return s;
}
