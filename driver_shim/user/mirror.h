/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the mirror (mirror.c) reads /proc/self/maps, apart from reading
 * it, so that a test can hand it the text the kernel gives under a race.
 */
#ifndef CAPISIM_LIBCXL_MIRROR_H
#define CAPISIM_LIBCXL_MIRROR_H

#include "core/types.h"

/* One mapping of the program, as the mirror keeps it. */
struct lx_mirror_vma {
	u64 start;
	u64 end;
	unsigned int prot;	/* KSHIM_PROT_* */
};

/*
 * The program's mappings in @text (NUL-terminated /proc/self/maps text)
 * into *@out (malloc'd, for the caller to free) and *@nr: sorted, disjoint, and
 * only those the mirror copies.  A line that overlaps lines before it is
 * the newer word about its range (see mirror.c).  0 or -ENOMEM.
 */
int lx_mirror_parse(const char *text, struct lx_mirror_vma **out, unsigned int *nr);

#endif
