/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width integer names used throughout capisim, spelled as the
 * kernel spells them so simulator and shim code read alike.
 */
#ifndef CAPISIM_CORE_TYPES_H
#define CAPISIM_CORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* IBM bit numbering: bit 0 is the most significant bit of a 64-bit word. */
#define IBM_BIT(n) (1ULL << (63 - (n)))

#endif
