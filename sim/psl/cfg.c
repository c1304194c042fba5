// SPDX-License-Identifier: GPL-2.0
/*
 * PCI config space of a PSL8 card: a type-0 header with three 64-bit
 * prefetchable memory BARs, the PCIe capability, optional AER, and the
 * CAPI VSEC the cxl driver parses (reference 1.4).
 *
 * Config space is an image of 4 KiB plus two masks per byte: the bits
 * software may write, and the bits a written 1 clears.  Everything else
 * is read-only, which also makes BAR sizing work as PCI defines it: the
 * address bits below the BAR's size are not writable, so writing
 * all-ones reads back the size.
 */
#define pr_fmt(fmt) "psl-cfg: " fmt

#include <errno.h>
#include <string.h>

#include "core/log.h"
#include "psl/psl.h"

/* Standard header offsets (PCI Local Bus 3.0, type 0). */
#define CFG_VENDOR_ID		0x00
#define CFG_DEVICE_ID		0x02
#define CFG_COMMAND		0x04
#define CFG_STATUS		0x06
#define CFG_REVISION		0x08
#define CFG_CLASS		0x09
#define CFG_CACHE_LINE		0x0C
#define CFG_HEADER_TYPE		0x0E
#define CFG_BAR0		0x10
#define CFG_SUBSYS_VENDOR	0x2C
#define CFG_SUBSYS_ID		0x2E
#define CFG_CAP_PTR		0x34
#define CFG_INT_LINE		0x3C

#define CMD_MEMORY		0x0002
#define CMD_RW_BITS		0x0546	/* memory, master, parity, SERR#, INTx disable */
#define STATUS_CAP_LIST		0x0010
#define STATUS_W1C_BITS		0xF900	/* the error bits */
#define BAR_TYPE_MEM64_PREF	0xC	/* 64-bit, prefetchable: PowerNV puts these in M64 */

/* The PCIe capability (version 2, endpoint) and where our capabilities sit. */
#define CAP_PCIE		0x40
#define PCI_CAP_ID_EXP		0x10
#define PCIE_FLAGS		0x02
#define PCIE_DEVCAP		0x04
#define PCIE_DEVCTL		0x08
#define PCIE_DEVSTA		0x0A
#define PCIE_LNKCAP		0x0C
#define PCIE_LNKCTL		0x10
#define PCIE_LNKSTA		0x12
#define PCIE_DEVCAP2		0x24
#define PCIE_DEVCTL2		0x28
#define PCIE_LNKCAP2		0x2C
#define PCIE_LNKCTL2		0x30

#define EXT_CAP_FIRST		0x100
#define EXT_CAP_VSEC_AFTER_AER	0x200
#define PCI_EXT_CAP_ID_ERR	0x0001
#define AER_UNCOR_STATUS	0x04
#define AER_UNCOR_MASK		0x08
#define AER_UNCOR_SEVER		0x0C
#define AER_COR_STATUS		0x10
#define AER_COR_MASK		0x14
#define AER_UNCOR_BITS		0x007FF030	/* DLP, SDES, poisoned TLP .. internal error */
#define AER_UNCOR_SEVER_DEF	0x00062030	/* DLP, SDES, FCP, overflow, malformed: fatal */
#define AER_COR_BITS		0x0000F1C1
#define AER_COR_MASK_DEF	0x00002000	/* advisory non-fatal masked */

#define IMAGE_BITS (CXL_VSEC_USER_IMAGE_LOADED | CXL_VSEC_PERST_LOADS_IMAGE | \
		    CXL_VSEC_PERST_SELECT_USER)

static struct trace_kind tk_cfg =
	TRACE_KIND("psl.cfg", TRACE_LVL_DEFAULT, "off:u64 width:u64 write:u64 val:u64 lat:u64");

static void cfg_trace(struct psl_card *card, u32 offset, unsigned int width, bool write,
		      u32 val)
{
	trace_emit(&tk_cfg, &card->tsrc, TRACE_CTX_NONE, TRACE_U(offset), TRACE_U(width),
		   TRACE_U(write), TRACE_U(val), TRACE_U(card->p.timing.cfg_access));
}

static void put(u8 *p, u32 off, unsigned int width, u32 val)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		p[off + i] = val >> (8 * i);
}

static u32 get(const u8 *p, u32 off, unsigned int width)
{
	u32 val = 0;
	unsigned int i;

	for (i = 0; i < width; i++)
		val |= (u32)p[off + i] << (8 * i);
	return val;
}

/* One register of the power-on image: value, writable bits, W1C bits. */
static void reg(struct psl_card *card, u32 off, unsigned int width, u32 val,
		u32 wmask, u32 w1c)
{
	put(card->cfg, off, width, val);
	put(card->cfg_wmask, off, width, wmask);
	put(card->cfg_w1c, off, width, w1c);
}

static void init_bar(struct psl_card *card, unsigned int bar, u64 size)
{
	u64 wmask = ~(size - 1) & ~0xFULL;
	u32 off = CFG_BAR0 + 4 * bar;

	reg(card, off, 4, BAR_TYPE_MEM64_PREF, (u32)wmask, 0);
	reg(card, off + 4, 4, 0, (u32)(wmask >> 32), 0);
}

static void init_header(struct psl_card *card)
{
	const struct psl_params *p = &card->p;

	reg(card, CFG_VENDOR_ID, 2, PCI_VENDOR_ID_IBM, 0, 0);
	reg(card, CFG_DEVICE_ID, 2, p->device_id, 0, 0);
	reg(card, CFG_COMMAND, 2, 0, CMD_RW_BITS, 0);
	reg(card, CFG_STATUS, 2, STATUS_CAP_LIST, 0, STATUS_W1C_BITS);
	reg(card, CFG_REVISION, 1, p->revision, 0, 0);
	reg(card, CFG_CLASS, 1, p->class_code & 0xFF, 0, 0);
	reg(card, CFG_CLASS + 1, 2, p->class_code >> 8, 0, 0);
	reg(card, CFG_CACHE_LINE, 1, 0, 0xFF, 0);
	reg(card, CFG_HEADER_TYPE, 1, 0, 0, 0);
	init_bar(card, 0, p->bar0_size);
	init_bar(card, 2, p->bar2_size);
	init_bar(card, 4, p->bar4_size);
	reg(card, CFG_SUBSYS_VENDOR, 2, p->subsys_vendor, 0, 0);
	reg(card, CFG_SUBSYS_ID, 2, p->subsys_id, 0, 0);
	reg(card, CFG_CAP_PTR, 1, CAP_PCIE, 0, 0);
	reg(card, CFG_INT_LINE, 1, 0, 0xFF, 0);
}

static void init_pcie_cap(struct psl_card *card)
{
	const struct psl_params *p = &card->p;
	u32 link = p->link_speed | (u32)p->link_width << 4;
	u32 c = CAP_PCIE;

	reg(card, c, 2, PCI_CAP_ID_EXP, 0, 0);		/* last capability */
	reg(card, c + PCIE_FLAGS, 2, 0x0002, 0, 0);	/* version 2, endpoint */
	/* 512-byte payloads, extended tags, no latency limits, role-based errors. */
	reg(card, c + PCIE_DEVCAP, 4, 0x00008FE2, 0, 0);
	/* Relaxed ordering, no snoop, 512-byte read requests. */
	reg(card, c + PCIE_DEVCTL, 2, 0x2810, 0x79FF, 0);
	reg(card, c + PCIE_DEVSTA, 2, 0, 0, 0x000F);
	reg(card, c + PCIE_LNKCAP, 4, link | 0x00400000, 0, 0);
	reg(card, c + PCIE_LNKCTL, 2, 0, 0x00CB, 0);
	reg(card, c + PCIE_LNKSTA, 2, link | 0x1000, 0, 0);
	reg(card, c + PCIE_DEVCAP2, 4, 0x00000010, 0, 0);
	reg(card, c + PCIE_DEVCTL2, 2, 0, 0x0010, 0);
	reg(card, c + PCIE_LNKCAP2, 4, ((1U << p->link_speed) - 1) << 1, 0, 0);
	reg(card, c + PCIE_LNKCTL2, 2, p->link_speed, 0xFFBF, 0);
}

static void init_aer(struct psl_card *card, u16 next)
{
	u32 a = card->aer;

	reg(card, a, 4, PCI_EXT_CAP_ID_ERR | 2 << 16 | (u32)next << 20, 0, 0);
	reg(card, a + AER_UNCOR_STATUS, 4, 0, 0, AER_UNCOR_BITS);
	reg(card, a + AER_UNCOR_MASK, 4, 0, AER_UNCOR_BITS, 0);
	reg(card, a + AER_UNCOR_SEVER, 4, AER_UNCOR_SEVER_DEF, AER_UNCOR_BITS, 0);
	reg(card, a + AER_COR_STATUS, 4, 0, 0, AER_COR_BITS);
	reg(card, a + AER_COR_MASK, 4, AER_COR_MASK_DEF, AER_COR_BITS, 0);
}

/*
 * The CAPI VSEC.  Only mode control and the two image-control bits are
 * writable; the flash and PSL programming registers are not modelled and
 * read 0.
 */
static void init_vsec(struct psl_card *card)
{
	const struct psl_params *p = &card->p;
	u32 v = card->vsec;

	reg(card, v, 4, PCI_EXT_CAP_ID_VNDR | 1 << 16, 0, 0);	/* last capability */
	reg(card, v + CXL_VSEC_ID_REV_LEN, 4,
	    CXL_PCI_VSEC_ID | (u32)CXL_VSEC_MIN_SIZE << 20, 0, 0);
	reg(card, v + CXL_VSEC_NAFUS, 1, p->nr_slices, 0, 0);
	reg(card, v + CXL_VSEC_STATUS, 1, p->vsec_status, 0, 0);
	reg(card, v + CXL_VSEC_PROTOCOL, 1, 0,
	    CXL_VSEC_PROTOCOL_MASK | CXL_VSEC_PROTOCOL_ENABLE, 0);
	reg(card, v + CXL_VSEC_PSL_REV, 2, p->psl_rev, 0, 0);
	reg(card, v + CXL_VSEC_CAIA_MINOR, 1, p->caia_minor, 0, 0);
	reg(card, v + CXL_VSEC_CAIA_MAJOR, 1, p->caia_major, 0, 0);
	reg(card, v + CXL_VSEC_BASE_IMAGE, 2, p->base_image, 0, 0);
	reg(card, v + CXL_VSEC_IMAGE_STATE, 1, p->image_state,
	    CXL_VSEC_PERST_LOADS_IMAGE | CXL_VSEC_PERST_SELECT_USER, 0);
	reg(card, v + CXL_VSEC_AFU_DESC_OFF, 4, p->afu_desc_off, 0, 0);
	reg(card, v + CXL_VSEC_AFU_DESC_SIZE, 4, p->afu_desc_size, 0, 0);
	reg(card, v + CXL_VSEC_PS_OFF, 4, p->ps_off, 0, 0);
	reg(card, v + CXL_VSEC_PS_SIZE, 4, p->ps_size, 0, 0);
}

void psl_cfg_init(struct psl_card *card)
{
	memset(card->cfg, 0, sizeof(card->cfg));
	memset(card->cfg_wmask, 0, sizeof(card->cfg_wmask));
	memset(card->cfg_w1c, 0, sizeof(card->cfg_w1c));
	card->aer = card->p.aer ? EXT_CAP_FIRST : 0;
	card->vsec = card->p.aer ? EXT_CAP_VSEC_AFTER_AER : EXT_CAP_FIRST;
	init_header(card);
	init_pcie_cap(card);
	if (card->aer)
		init_aer(card, card->vsec);
	init_vsec(card);
}

void psl_cfg_perst(struct psl_card *card)
{
	u32 off = card->vsec + CXL_VSEC_IMAGE_STATE;
	u8 image = card->cfg[off];

	psl_cfg_init(card);
	image &= IMAGE_BITS;
	if (image & CXL_VSEC_PERST_LOADS_IMAGE) {
		image &= ~CXL_VSEC_USER_IMAGE_LOADED;
		if (image & CXL_VSEC_PERST_SELECT_USER)
			image |= CXL_VSEC_USER_IMAGE_LOADED;
		card->stats.image_loads++;
		pr_info("%s: PERST loads the %s image\n", card->p.name,
			image & CXL_VSEC_USER_IMAGE_LOADED ? "user" : "factory");
	}
	card->cfg[off] = (card->cfg[off] & ~IMAGE_BITS) | image;
}

bool psl_cfg_mem_enabled(const struct psl_card *card)
{
	return card->cfg[CFG_COMMAND] & CMD_MEMORY;
}

u64 psl_cfg_bar_addr(const struct psl_card *card, unsigned int bar)
{
	u32 off = CFG_BAR0 + 4 * bar;
	u64 lo = get(card->cfg, off, 4), hi = get(card->cfg, off + 4, 4);

	return (hi << 32 | lo) & ~0xFULL;
}

/* Inside config space and inside one dword; logs and counts otherwise. */
static bool cfg_access_ok(struct psl_card *card, u32 offset, unsigned int width,
			  const char *what)
{
	if (offset < PSL_CFG_SIZE && (offset & 3) + width <= 4)
		return true;
	card->stats.cfg_bad++;
	pr_warn("%s: config %s of %u bytes at 0x%x outside config space or across a dword: dropped\n",
		card->p.name, what, width, offset);
	return false;
}

static bool cfg_width_ok(unsigned int width)
{
	return width == 1 || width == 2 || width == 4;
}

int psl_cfg_read(struct psl_card *card, u32 offset, unsigned int width, u32 *val)
{
	if (!cfg_width_ok(width))
		return -EINVAL;
	card->stats.cfg_reads++;
	if (!cfg_access_ok(card, offset, width, "read"))
		*val = width == 4 ? 0xFFFFFFFF : (1U << (8 * width)) - 1;
	else
		*val = get(card->cfg, offset, width);
	cfg_trace(card, offset, width, false, *val);
	return 0;
}

int psl_cfg_write(struct psl_card *card, u32 offset, unsigned int width, u32 val)
{
	unsigned int i;

	if (!cfg_width_ok(width))
		return -EINVAL;
	card->stats.cfg_writes++;
	cfg_trace(card, offset, width, true, val);
	if (!cfg_access_ok(card, offset, width, "write"))
		return 0;
	for (i = 0; i < width; i++) {
		u32 o = offset + i;
		u8 b = val >> (8 * i);

		card->cfg[o] = (card->cfg[o] & ~card->cfg_wmask[o]) | (b & card->cfg_wmask[o]);
		card->cfg[o] &= ~(b & card->cfg_w1c[o]);
	}
	return 0;
}
