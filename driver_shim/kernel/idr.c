// SPDX-License-Identifier: GPL-2.0
/*
 * The ID allocator: a growable array of slots, the lowest free id first.
 * cxl numbers adapters and process elements with it, and the PE numbers
 * the PSL sees, as well as the num_procs limit, depend on both rules.
 * Ids are bounded by the array kmalloc can give (a few hundred thousand),
 * far above what cxl uses.  Callers serialise access, as in the kernel.
 */
#define pr_fmt(fmt) "kshim-idr: " fmt

#include <kshim/kshim.h>

#define IDR_MIN_SLOTS	16

/* Stands for the NULL pointer of an id allocated with idr_alloc(idr, NULL, ...). */
static char idr_reserved;
#define IDR_RESERVED	((void *)&idr_reserved)

static void *slot_entry(void *slot)
{
	return slot == IDR_RESERVED ? NULL : slot;
}

static int idr_grow(struct idr *idr, unsigned long need, gfp_t gfp)
{
	unsigned long n = idr->idr_nslots ? idr->idr_nslots : IDR_MIN_SLOTS;
	void **slots;

	while (n < need)
		n *= 2;
	slots = kzalloc(n * sizeof(*slots), gfp);
	if (!slots)
		return -ENOMEM;
	if (idr->idr_nslots)
		memcpy(slots, idr->idr_slots, idr->idr_nslots * sizeof(*slots));
	kfree(idr->idr_slots);
	idr->idr_slots = slots;
	idr->idr_nslots = n;
	return 0;
}

int idr_alloc(struct idr *idr, void *ptr, int start, int end, gfp_t gfp)
{
	unsigned long limit = end > 0 ? (unsigned long)end : (unsigned long)INT_MAX + 1;
	unsigned long id;

	if (WARN_ON_ONCE(start < 0))
		return -EINVAL;
	for (id = start; id < limit && id < idr->idr_nslots && idr->idr_slots[id]; id++)
		;
	if (id >= limit)
		return -ENOSPC;
	if (id >= idr->idr_nslots && idr_grow(idr, id + 1, gfp))
		return -ENOMEM;
	idr->idr_slots[id] = ptr ? ptr : IDR_RESERVED;
	return id;
}

void *idr_find(const struct idr *idr, unsigned long id)
{
	return id < idr->idr_nslots ? slot_entry(idr->idr_slots[id]) : NULL;
}

void *idr_remove(struct idr *idr, unsigned long id)
{
	void *entry;

	if (id >= idr->idr_nslots)
		return NULL;
	entry = slot_entry(idr->idr_slots[id]);
	idr->idr_slots[id] = NULL;
	return entry;
}

void *idr_get_next(struct idr *idr, int *nextid)
{
	unsigned long id;

	for (id = *nextid < 0 ? 0 : *nextid; id < idr->idr_nslots; id++) {
		if (slot_entry(idr->idr_slots[id])) {
			*nextid = id;
			return idr->idr_slots[id];
		}
	}
	return NULL;
}

bool idr_is_empty(const struct idr *idr)
{
	unsigned long id;

	for (id = 0; id < idr->idr_nslots; id++)
		if (idr->idr_slots[id])
			return false;
	return true;
}

/* Frees the slots, not what they point to; the idr is empty and usable again. */
void idr_destroy(struct idr *idr)
{
	kfree(idr->idr_slots);
	idr_init(idr);
}
