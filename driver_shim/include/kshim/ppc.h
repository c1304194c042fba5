/* SPDX-License-Identifier: GPL-2.0 */
/*
 * POWER8 facts and services: MMIO accessors, SPRs, MSR/PVR/CPU features,
 * hash-MMU segment and page constants, the coprocessor fault helpers and
 * the PowerNV (OPAL) PHB calls for CAPI.
 *
 * Constants are as the Power ISA and the powerpc kernel define them.  The
 * shim reports an HV-mode POWER8 (PVR_POWER8) with the hash MMU.
 */
#ifndef _KSHIM_PPC_H
#define _KSHIM_PPC_H

#include <kshim/types.h>
#include <kshim/mm.h>

struct mm_struct;
struct task_struct;
struct pci_dev;
struct device_node;
struct cxl_irq_ranges;

/* IBM bit numbering: bit 0 is the most significant bit of 64. */
#define PPC_BITLSHIFT(be)	(63 - (be))
#define PPC_BIT(bit)		(1UL << PPC_BITLSHIFT(bit))
#define PPC_BITMASK(bs, be)	((PPC_BIT(bs) - PPC_BIT(be)) | PPC_BIT(bs))

/*
 * MMIO.  ioremap() returns a cookie that faults if dereferenced; the
 * accessors route it to the simulated BAR.  Every access is an interrupt
 * point and costs simulated time (driver_shim/kernel/mmio.c).
 */
void __iomem *ioremap(phys_addr_t address, unsigned long size);
void iounmap(volatile void __iomem *addr);
u64 in_be64(const volatile u64 __iomem *addr);
void out_be64(volatile u64 __iomem *addr, u64 val);
u64 in_le64(const volatile u64 __iomem *addr);
u32 in_le32(const volatile u32 __iomem *addr);
void out_le32(volatile u32 __iomem *addr, u32 val);
void memcpy_fromio(void *dest, const volatile void __iomem *src, size_t n);

/* Kernel linear-map address to simulated physical address. */
unsigned long virt_to_phys(volatile void *address);

/* Special-purpose registers, read from the runtime's CPU model. */
#define SPRN_SDR1	0x019	/* hashed page table base and size */
#define SPRN_UAMOR	0x09d
#define SPRN_LPCR	0x13e
#define SPRN_LPID	0x13f
#define SPRN_PVR	0x11f

#define LPCR_TC		0x0000000000000200UL	/* secondary page-table hash */

unsigned long kshim_mfspr(int sprn);
unsigned long kshim_mfmsr(void);
#define mfspr(sprn)	kshim_mfspr(sprn)
#define mfmsr()		kshim_mfmsr()

#define MSR_SF		(1UL << 63)	/* 64-bit mode */
#define MSR_HV		(1UL << 60)	/* hypervisor state */
#define MSR_PR		(1UL << 14)	/* problem state */
#define MSR_IR		(1UL << 5)	/* instruction relocate */
#define MSR_DR		(1UL << 4)	/* data relocate */
#define MSR_LE		(1UL << 0)	/* little-endian mode */

/* DSISR bits (32-bit register, IBM bit n is 1 << (31 - n)). */
#define DSISR_NOHPTE	0x40000000	/* no translation found */
#define DSISR_PROTFAULT	0x08000000	/* protection fault */
#define DSISR_ISSTORE	0x02000000	/* access was a store */
#define DSISR_KEYFAULT	0x00200000	/* storage key fault */

/* Processor version: the version field is the top half of the PVR. */
#define PVR_VER(pvr)	(((pvr) >> 16) & 0xFFFF)
#define PVR_POWER8E	0x004B
#define PVR_POWER8NVL	0x004C
#define PVR_POWER8	0x004D
#define PVR_POWER9	0x004E

static inline bool pvr_version_is(unsigned int pvr)
{
	return PVR_VER(mfspr(SPRN_PVR)) == pvr;
}

/* Time base: 512 MHz on POWER8. */
#define KSHIM_TB_HZ	512000000UL

unsigned long mftb(void);

static inline unsigned long long tb_to_ns(unsigned long long tb)
{
	/* 1e9 / 512e6 = 125 / 64, split to avoid overflow. */
	return (tb / 64) * 125 + (tb % 64) * 125 / 64;
}

/* CPU features of the running CPU (set up by the runtime). */
#define CPU_FTR_HVMODE	0x0000000000002000UL

struct cpu_spec {
	unsigned int pvr_mask;
	unsigned int pvr_value;
	const char *cpu_name;
	unsigned long cpu_features;
};

extern struct cpu_spec *cur_cpu_spec;

static inline bool cpu_has_feature(unsigned long feature)
{
	return !!(cur_cpu_spec->cpu_features & feature);
}

/* Hash MMU only: a kernel without CONFIG_PPC_RADIX_MMU. */
static inline bool radix_enabled(void)
{
	return false;
}

/* Whether tlbie may be used (cxl needs it to invalidate the PSL). */
extern bool tlbie_capable;

/* POWER9 thread id register; fails on POWER8. */
int set_thread_tidr(struct task_struct *t);

/* Segments (SLB/STE) of the hash MMU. */
#define SID_SHIFT		28
#define SID_SHIFT_1T		40
#define ESID_MASK		0xfffffffff0000000UL
#define ESID_MASK_1T		0xffffff0000000000UL

#define SLB_ESID_V		0x0000000008000000UL	/* valid */
#define SLB_VSID_SHIFT		12
#define SLB_VSID_SHIFT_1T	24
#define SLB_VSID_SSIZE_SHIFT	62
#define SLB_VSID_B		0xc000000000000000UL
#define SLB_VSID_B_256M		0x0000000000000000UL
#define SLB_VSID_B_1T		0x4000000000000000UL
#define SLB_VSID_KS		0x0000000000000800UL
#define SLB_VSID_KP		0x0000000000000400UL
#define SLB_VSID_N		0x0000000000000200UL	/* no-execute */
#define SLB_VSID_L		0x0000000000000100UL
#define SLB_VSID_C		0x0000000000000080UL	/* class */
#define SLB_VSID_LP		0x0000000000000030UL
#define SLB_VSID_KERNEL		(SLB_VSID_KP)
#define SLB_VSID_USER		(SLB_VSID_KP | SLB_VSID_KS | SLB_VSID_C)

#define MMU_SEGSIZE_256M	0
#define MMU_SEGSIZE_1T		1

/* Page-size indices into mmu_psize_defs[]. */
#define MMU_PAGE_4K		0
#define MMU_PAGE_16K		1
#define MMU_PAGE_64K		2
#define MMU_PAGE_64K_AP		3
#define MMU_PAGE_256K		4
#define MMU_PAGE_512K		5
#define MMU_PAGE_1M		6
#define MMU_PAGE_2M		7
#define MMU_PAGE_4M		8
#define MMU_PAGE_8M		9
#define MMU_PAGE_16M		10
#define MMU_PAGE_64M		11
#define MMU_PAGE_256M		12
#define MMU_PAGE_1G		13
#define MMU_PAGE_16G		14
#define MMU_PAGE_64G		15
#define MMU_PAGE_COUNT		16

struct mmu_psize_def {
	unsigned int shift;		/* log2 of the page size */
	int penc[MMU_PAGE_COUNT];	/* HPTE encoding per base size */
	unsigned int tlbiel;
	unsigned long avpnm;
	union {
		unsigned long sllp;	/* SLB L||LP bits for this size */
		unsigned long ap;
	};
};

extern struct mmu_psize_def mmu_psize_defs[MMU_PAGE_COUNT];
extern int mmu_linear_psize;	/* page size of the kernel linear map */
extern int mmu_kernel_ssize;	/* segment size of kernel addresses */

/* Region of an effective address; the shim's page pool is the linear map. */
#define USER_REGION_ID		0
#define LINEAR_MAP_REGION_ID	1
int get_region_id(unsigned long ea);

unsigned long get_kernel_vsid(unsigned long ea, int ssize);

/* hash_page_mm() flag: the fault was DSISR[NOHPTE]. */
#define HPTE_NOHPTE_UPDATE	0x2
/* Inserts the HPTE for ea (access: _PAGE_* bits needed); 0 on success. */
int hash_page_mm(struct mm_struct *mm, unsigned long ea, unsigned long access,
		 unsigned long trap, unsigned long flags);

/* Coprocessor (PSL) translation services. */
struct copro_slb {
	u64 esid, vsid;
};

/* Makes ea present in mm with the access DSISR asks for; 0 or -errno. */
int copro_handle_mm_fault(struct mm_struct *mm, unsigned long ea, unsigned long dsisr,
			  vm_fault_t *flt);
/* The segment (ESID/VSID pair) that maps ea in mm; 0 or -errno. */
int copro_calculate_slb(struct mm_struct *mm, u64 ea, struct copro_slb *slb);
/* Invalidates coprocessor SLBs for mm (calls cxl_slbia). */
void copro_flush_all_slbs(struct mm_struct *mm);

/* PowerNV PHB services for CAPI. */
enum {
	OPAL_PHB_CAPI_MODE_PCIE = 0,
	OPAL_PHB_CAPI_MODE_CAPI = 1,
	OPAL_PHB_CAPI_MODE_SNOOP_OFF = 2,
	OPAL_PHB_CAPI_MODE_SNOOP_ON = 3,
	OPAL_PHB_CAPI_MODE_DMA = 4,
	OPAL_PHB_CAPI_MODE_DMA_TVT1 = 5,
};

int pnv_phb_to_cxl_mode(struct pci_dev *dev, uint64_t mode);
int pnv_cxl_ioda_msi_setup(struct pci_dev *dev, unsigned int hwirq, unsigned int virq);
/* First of num consecutive PHB MSI hwirqs, or -errno. */
int pnv_cxl_alloc_hwirqs(struct pci_dev *dev, int num);
void pnv_cxl_release_hwirqs(struct pci_dev *dev, int hwirq, int num);
int pnv_cxl_alloc_hwirq_ranges(struct cxl_irq_ranges *irqs, struct pci_dev *dev, int num);
void pnv_cxl_release_hwirq_ranges(struct cxl_irq_ranges *irqs, struct pci_dev *dev);
/* Number of MSIs of the PHB the device sits on. */
int pnv_cxl_get_irq_count(struct pci_dev *dev);
struct device_node *pnv_pci_get_phb_node(struct pci_dev *dev);
int pnv_pci_set_tunnel_bar(struct pci_dev *dev, uint64_t addr, int enable);

#endif /* _KSHIM_PPC_H */
