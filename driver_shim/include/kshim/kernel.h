/* SPDX-License-Identifier: GPL-2.0 */
/*
 * printk, WARN/BUG, string helpers, arithmetic helpers and the module and
 * initcall macros.
 */
#ifndef _KSHIM_KERNEL_H
#define _KSHIM_KERNEL_H

#include <kshim/types.h>

struct device;
struct module;

/*
 * Where the latest checked runtime call (a lock, a sleep) came from: the
 * wrappers in sync.h and sched.h store the caller's file and line just
 * before the call, and the call reads them on entry, so that reports of
 * locking and sleeping bugs name the driver's line.  Written by whatever
 * runs on the one simulated CPU; read only by the runtime.
 */
struct kshim_site {
	const char *file;
	int line;
};

extern struct kshim_site kshim_site;

#define kshim_at(call) ({ \
	kshim_site.file = __FILE__; \
	kshim_site.line = __LINE__; \
	call; })

/* Log levels are a "\001" + digit prefix on the format string. */
#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#ifndef dev_fmt
#define dev_fmt(fmt) fmt
#endif

__printf(1, 2) int printk(const char *fmt, ...);
__printf(3, 4) void _dev_printk(const char *level, const struct device *dev,
				const char *fmt, ...);

/* Type-checks the format and arguments, evaluates nothing. */
#define no_printk(fmt, ...) ({ \
	if (0) \
		printk(fmt, ##__VA_ARGS__); \
	0; })
#define no_dev_printk(level, dev, fmt, ...) ({ \
	if (0) \
		_dev_printk(level, dev, fmt, ##__VA_ARGS__); \
	0; })

#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

#define dev_emerg(dev, fmt, ...)  _dev_printk(KERN_EMERG, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_crit(dev, fmt, ...)   _dev_printk(KERN_CRIT, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_err(dev, fmt, ...)    _dev_printk(KERN_ERR, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)   _dev_printk(KERN_WARNING, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...) _dev_printk(KERN_NOTICE, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)   _dev_printk(KERN_INFO, dev, dev_fmt(fmt), ##__VA_ARGS__)

/*
 * Debug output exists only in files compiled with -DDEBUG, as in a kernel
 * without dynamic debug.  Rate limiting is not modelled: the ratelimited
 * variants print every message.
 */
#ifdef DEBUG
#define pr_devel(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)	_dev_printk(KERN_DEBUG, dev, dev_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_devel(fmt, ...)	no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)	no_dev_printk(KERN_DEBUG, dev, dev_fmt(fmt), ##__VA_ARGS__)
#endif
#define pr_devel_ratelimited(fmt, ...)		pr_devel(fmt, ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...)		pr_err(fmt, ##__VA_ARGS__)
#define dev_err_ratelimited(dev, fmt, ...)	dev_err(dev, fmt, ##__VA_ARGS__)
#define dev_warn_ratelimited(dev, fmt, ...)	dev_warn(dev, fmt, ##__VA_ARGS__)

/*
 * WARN reports and continues; the runtime counts reports so that a test
 * fails on any of them.  BUG stops the co-simulation.
 */
__printf(3, 4) void kshim_warn(const char *file, int line, const char *fmt, ...);
__noreturn void kshim_bug(const char *file, int line, const char *what);

#define WARN(cond, fmt, ...) ({ \
	bool __warn_c = !!(cond); \
	if (unlikely(__warn_c)) \
		kshim_warn(__FILE__, __LINE__, fmt, ##__VA_ARGS__); \
	unlikely(__warn_c); })
#define WARN_ON(cond) ({ \
	bool __warn_c = !!(cond); \
	if (unlikely(__warn_c)) \
		kshim_warn(__FILE__, __LINE__, "WARN_ON(%s)\n", #cond); \
	unlikely(__warn_c); })
#define WARN_ON_ONCE(cond) ({ \
	static bool __warned; \
	bool __warn_c = !!(cond); \
	if (unlikely(__warn_c) && !__warned) { \
		__warned = true; \
		kshim_warn(__FILE__, __LINE__, "WARN_ON_ONCE(%s)\n", #cond); \
	} \
	unlikely(__warn_c); })
#define BUG()		kshim_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(cond) \
	do { \
		if (unlikely(cond)) \
			kshim_bug(__FILE__, __LINE__, "BUG_ON(" #cond ")"); \
	} while (0)

/* Sleeping is checked by the runtime's blocking primitives themselves. */
#define might_sleep()	do { } while (0)

/* String and formatting helpers; the plain C ones resolve to the host libc. */
void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *haystack, const char *needle);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
__scanf(2, 3) int sscanf(const char *buf, const char *fmt, ...);
__printf(2, 3) char *kasprintf(gfp_t gfp, const char *fmt, ...);

/* Like snprintf, but returns the number of characters actually stored. */
static inline __printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	if (n < 0 || size == 0)
		return 0;
	if ((size_t)n >= size)
		return size - 1;
	return n;
}

/* Type-checked min/max: mixing types is a compile-time warning. */
#define min(x, y) ({ \
	__typeof__(x) __min_a = (x); \
	__typeof__(y) __min_b = (y); \
	(void)(&__min_a == &__min_b); \
	__min_a < __min_b ? __min_a : __min_b; })
#define max(x, y) ({ \
	__typeof__(x) __max_a = (x); \
	__typeof__(y) __max_b = (y); \
	(void)(&__max_a == &__max_b); \
	__max_a > __max_b ? __max_a : __max_b; })
#define min_t(type, x, y)	min((type)(x), (type)(y))
#define max_t(type, x, y)	max((type)(x), (type)(y))

/* y must be a power of two. */
#define round_down(x, y)	((x) & ~(__typeof__(x))((y) - 1))
#define round_up(x, y)		round_down((x) + (y) - 1, y)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ALIGN(x, a)		round_up(x, a)

/* Absolute value in the signed type of x's width. */
#define abs(x) __builtin_choose_expr(sizeof(x) == sizeof(long long), \
	({ long long __abs_v = (x); __abs_v < 0 ? -__abs_v : __abs_v; }), \
	({ int __abs_v = (x); __abs_v < 0 ? -__abs_v : __abs_v; }))

/*
 * Modules.  The driver is built in (CONFIG_CXL=y): module references are
 * NULL and always succeed, and module metadata is dropped.  Each metadata
 * macro expands to a no-op declaration that absorbs its semicolon.
 */
#define THIS_MODULE		((struct module *)0)
#define MODULE_LICENSE(s)	struct kshim_modinfo
#define MODULE_AUTHOR(s)	struct kshim_modinfo
#define MODULE_DESCRIPTION(s)	struct kshim_modinfo
#define MODULE_PARM_DESC(p, s)	struct kshim_modinfo
#define MODULE_DEVICE_TABLE(type, name)	struct kshim_modinfo
#define EXPORT_SYMBOL(sym)	extern __typeof__(sym) sym
#define EXPORT_SYMBOL_GPL(sym)	extern __typeof__(sym) sym

#define MODULE_PARAM_PREFIX	KBUILD_MODNAME "."
/* Parameters are plain variables the harness sets; only the type is checked. */
#define module_param_named(name, value, type, perm) \
	static inline type *__kshim_param_##name(void) { return &(value); } \
	struct kshim_modinfo
#define module_param(name, type, perm)	module_param_named(name, name, type, perm)

static inline bool try_module_get(struct module *module)
{
	return true;
}

static inline void module_put(struct module *module)
{
}

/*
 * Initcalls.  Built-in module_init() and device_initcall() run at the same
 * (device) level; each registers a record in the kshim_initcalls section,
 * and module_exit() one in kshim_exitcalls.  The boot code walks the
 * sections with the linker-provided __start_ and __stop_ symbols, so the
 * driver archive must be linked whole (--whole-archive).
 */
struct kshim_initcall {
	int (*fn)(void);
	const char *name;
};

struct kshim_exitcall {
	void (*fn)(void);
	const char *name;
};

#define device_initcall(fn) \
	static const struct kshim_initcall __kshim_initcall_##fn \
	__used __section("kshim_initcalls") = { fn, #fn }
#define module_init(fn)		device_initcall(fn)
#define module_exit(fn) \
	static const struct kshim_exitcall __kshim_exitcall_##fn \
	__used __section("kshim_exitcalls") = { fn, #fn }

#endif /* _KSHIM_KERNEL_H */
