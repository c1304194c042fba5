// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO.  ioremap() hands out cookies in the host's PROT_NONE window, so a
 * driver that dereferences one faults at once; the accessors look the
 * cookie up, route the physical address to the simulated card, spend the
 * access's cost as simulated time and then take pending interrupts: every
 * access is an interrupt point.
 *
 * Byte lanes: the platform answers with the bytes in memory order, as a
 * number read big-endian.  in_be*() return it as it is, the little-endian
 * accessors swap it, exactly as the POWER load and store instructions
 * (ld vs ldbrx) do with the same bytes.
 */
#define pr_fmt(fmt) "kshim-mmio: " fmt

#include "bus.h"
#include "ksched.h"

/* One range of the cookie window in use: an ioremap() or a user mapping. */
struct iowin_range {
	struct list_head link;		/* on iowin_ranges, by address */
	unsigned long start;
	unsigned long len;		/* whole pages */
	bool io;			/* an ioremap(), of @phys */
	phys_addr_t phys;
};

/*
 * The cookie window's ranges in use, sorted by address so allocation is
 * first-fit and deterministic.  Changed by process context only.
 */
static LIST_HEAD(iowin_ranges);

static struct iowin_range *iowin_add(unsigned long len, bool io, phys_addr_t phys)
{
	unsigned long start = cosim_iowin_base(), end = start + cosim_iowin_len();
	struct list_head *pos = &iowin_ranges;
	struct iowin_range *r, *new;

	len = round_up(len, PAGE_SIZE);
	if (!start || !len)
		return NULL;
	list_for_each_entry(r, &iowin_ranges, link) {
		if (r->start - start >= len)
			break;
		start = r->start + r->len;
		pos = &r->link;
	}
	if (end - start < len)
		return NULL;
	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return NULL;
	new->start = start;
	new->len = len;
	new->io = io;
	new->phys = phys;
	list_add(&new->link, pos);
	return new;
}

static struct iowin_range *iowin_find(unsigned long addr)
{
	struct iowin_range *r;

	list_for_each_entry(r, &iowin_ranges, link)
		if (addr - r->start < r->len)
			return r;
	return NULL;
}

unsigned long kshim_iowin_alloc(unsigned long len)
{
	struct iowin_range *r = iowin_add(len, false, 0);

	return r ? r->start : 0;
}

void kshim_iowin_free(unsigned long addr)
{
	struct iowin_range *r = iowin_find(addr);

	if (WARN(!r || r->io || r->start != addr,
		 "freeing 0x%lx, which was never handed out\n", addr))
		return;
	list_del(&r->link);
	kfree(r);
}

void __iomem *ioremap(phys_addr_t address, unsigned long size)
{
	unsigned long off = address & ~PAGE_MASK;
	struct iowin_range *r;

	if (!size)
		return NULL;
	r = iowin_add(off + size, true, address - off);
	if (!r) {
		pr_err("ioremap(0x%llx, 0x%lx): cookie window full\n", address, size);
		return NULL;
	}
	return (void __iomem *)(r->start + off);
}

void iounmap(volatile void __iomem *addr)
{
	struct iowin_range *r = iowin_find((unsigned long)addr);

	if (WARN(!r || !r->io, "iounmap(%p): not an ioremap() cookie\n", addr))
		return;
	list_del(&r->link);
	kfree(r);
}

void kshim_bus_spend(u64 ps)
{
	hsched_busy(ps);
	kshim_irq_point();
}

u64 kshim_phys_load(u64 phys, unsigned int width)
{
	unsigned long long val, cost;

	cosim_mmio_read(phys, width, &val, &cost);
	kshim_bus_spend(cost);
	return val;
}

void kshim_phys_store(u64 phys, unsigned int width, u64 val)
{
	unsigned long long cost;

	cosim_mmio_write(phys, width, val, &cost);
	kshim_bus_spend(cost);
}

/* The physical address behind a cookie; a bad cookie is a driver bug. */
static phys_addr_t cookie_phys(const volatile void __iomem *addr, unsigned int width)
{
	unsigned long a = (unsigned long)addr;
	struct iowin_range *r = iowin_find(a);

	if (!r || !r->io || a + width - r->start > r->len)
		kshim_bug(__FILE__, __LINE__, "MMIO through a pointer ioremap() never returned");
	return r->phys + (a - r->start);
}

u64 in_be64(const volatile u64 __iomem *addr)
{
	return kshim_phys_load(cookie_phys(addr, 8), 8);
}

void out_be64(volatile u64 __iomem *addr, u64 val)
{
	kshim_phys_store(cookie_phys(addr, 8), 8, val);
}

u64 in_le64(const volatile u64 __iomem *addr)
{
	return __builtin_bswap64(kshim_phys_load(cookie_phys(addr, 8), 8));
}

u32 in_le32(const volatile u32 __iomem *addr)
{
	return __builtin_bswap32(kshim_phys_load(cookie_phys(addr, 4), 4));
}

void out_le32(volatile u32 __iomem *addr, u32 val)
{
	kshim_phys_store(cookie_phys(addr, 4), 4, __builtin_bswap32(val));
}

/* Bytes up to a word boundary, then words, then bytes, as powerpc's copy does. */
void memcpy_fromio(void *dest, const volatile void __iomem *src, size_t n)
{
	const volatile u8 __iomem *s = src;
	u8 *d = dest;

	while (n && ((unsigned long)s & 3)) {
		*d++ = kshim_phys_load(cookie_phys(s++, 1), 1);
		n--;
	}
	for (; n >= 4; n -= 4, s += 4, d += 4) {
		__be32 w = cpu_to_be32(kshim_phys_load(cookie_phys(s, 4), 4));

		memcpy(d, &w, 4);
	}
	while (n--)
		*d++ = kshim_phys_load(cookie_phys(s++, 1), 1);
}

void kshim_mmio_reset(void)
{
	INIT_LIST_HEAD(&iowin_ranges);
}
