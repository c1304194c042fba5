/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel base types, compiler helpers, errno values and byte order.
 *
 * Only the compiler's own freestanding headers are used: the driver is
 * built with -nostdinc, and kernel dev_t/loff_t/bool differ from glibc's.
 */
#ifndef _KSHIM_TYPES_H
#define _KSHIM_TYPES_H

#include <stddef.h>
#include <stdarg.h>

/* Fixed-size integers, as the kernel defines them on every LP64 arch. */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s8 __s8;
typedef s16 __s16;
typedef s32 __s32;
typedef s64 __s64;

typedef u8 uint8_t;
typedef u16 uint16_t;
typedef u32 uint32_t;
typedef u64 uint64_t;
typedef s8 int8_t;
typedef s16 int16_t;
typedef s32 int32_t;
typedef s64 int64_t;
typedef unsigned long uintptr_t;

/* Endian-annotated storage: plain integers (sparse is not run). */
typedef u16 __le16;
typedef u16 __be16;
typedef u32 __le32;
typedef u32 __be32;
typedef u64 __le64;
typedef u64 __be64;

typedef _Bool bool;
enum {
	false = 0,
	true = 1,
};

typedef unsigned int uint;
typedef unsigned long ulong;
typedef long ssize_t;
typedef long long loff_t;
typedef u32 dev_t;
typedef unsigned short umode_t;
typedef unsigned int fmode_t;
typedef int pid_t;
typedef u64 phys_addr_t;
typedef phys_addr_t resource_size_t;
typedef u64 dma_addr_t;
typedef unsigned long pgoff_t;
typedef unsigned int gfp_t;
typedef unsigned int __poll_t;
typedef unsigned long irq_hw_number_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#define INT_MAX		((int)(~0U >> 1))

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

/* Sparse address-space annotations: no code generated. */
#define __user
#define __iomem
#define __force
#define __rcu
#define __percpu
#define __bitwise

/*
 * Compiler attributes.  As in the kernel, every inline function may go
 * unused without a warning (clang warns about unused static inlines).
 */
#define inline			inline __attribute__((__unused__))
#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define __noreturn		__attribute__((__noreturn__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __scanf(a, b)		__attribute__((__format__(scanf, a, b)))
#define __maybe_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __section(s)		__attribute__((__section__(s)))
#define __cold			__attribute__((__cold__))
#define __weak			__attribute__((__weak__))

/* Init/exit sections are not discarded in the co-simulation. */
#define __init
#define __exit
#define __initdata
#define __read_mostly

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define barrier()		__asm__ __volatile__("" : : : "memory")

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

#define ___stringify(x...)	#x
#define __stringify(x...)	___stringify(x)

/* Compile-time error when cond is true; usable as a statement. */
#define BUILD_BUG_ON(cond) \
	do { _Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")"); } while (0)

#define __same_type(a, b)	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))

/* 0, but refuses to compile when arr is a pointer rather than an array. */
#define __kshim_must_be_array(arr) (0 * sizeof(struct { \
	_Static_assert(!__same_type(arr, &(arr)[0]), "not an array"); \
	int kshim_pad; }))
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]) + __kshim_must_be_array(arr))

/* The enclosing object of member ptr; ptr must point to a `member`. */
#define container_of(ptr, type, member) ({ \
	void *__mptr = (void *)(ptr); \
	_Static_assert(__same_type(*(ptr), ((type *)0)->member) || \
		       __same_type(*(ptr), void), "container_of type mismatch"); \
	((type *)((char *)__mptr - offsetof(type, member))); })

/* Compile-time check that x has the given type; always 1. */
#define typecheck(type, x) ({ \
	type __tc_a; \
	__typeof__(x) __tc_b; \
	(void)(&__tc_a == &__tc_b); \
	1; })

/* errno values (asm-generic numbering, shared by powerpc and x86). */
#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define EBADF		9
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOTTY		25
#define ENOSPC		28
#define ERANGE		34
#define ENOSYS		38
#define ENODATA		61
#define EOVERFLOW	75
#define EOPNOTSUPP	95
#define ETIMEDOUT	110
/* Kernel-internal: a signal interrupted a sleep; never seen by users. */
#define ERESTARTSYS	512

/* Error values encoded in the top page of the address space. */
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

static inline void *ERR_CAST(const void *ptr)
{
	return (void *)ptr;
}

/*
 * Byte order.  The host is little-endian (checked in kconfig.h), which is
 * the ppc64le kernel's view: cpu_to_be*() produce exactly the memory images
 * a ppc64le kernel writes into the SPA, STEs and registers.
 */
#define cpu_to_le16(x)		((__le16)(u16)(x))
#define cpu_to_le32(x)		((__le32)(u32)(x))
#define cpu_to_le64(x)		((__le64)(u64)(x))
#define le16_to_cpu(x)		((u16)(__le16)(x))
#define le32_to_cpu(x)		((u32)(__le32)(x))
#define le64_to_cpu(x)		((u64)(__le64)(x))
#define cpu_to_be16(x)		((__be16)__builtin_bswap16((u16)(x)))
#define cpu_to_be32(x)		((__be32)__builtin_bswap32((u32)(x)))
#define cpu_to_be64(x)		((__be64)__builtin_bswap64((u64)(x)))
#define be16_to_cpu(x)		__builtin_bswap16((u16)(__be16)(x))
#define be32_to_cpu(x)		__builtin_bswap32((u32)(__be32)(x))
#define be64_to_cpu(x)		((u64)__builtin_bswap64((u64)(__be64)(x)))

static inline u64 be64_to_cpup(const __be64 *p)
{
	return be64_to_cpu(*p);
}

static inline u32 be32_to_cpup(const __be32 *p)
{
	return be32_to_cpu(*p);
}

/* R3 (devices): errno values of the file layer, debugfs and sysfs paths. */
#define ENOTDIR		20
#define EISDIR		21
#define ENAMETOOLONG	36

/* R1 (execution and time): what kshim_run() returns when no task can run. */
#define EDEADLK		35

#endif /* _KSHIM_TYPES_H */
