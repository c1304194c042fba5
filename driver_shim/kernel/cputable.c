// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU the driver runs on: a POWER8 in hypervisor mode (bare-metal
 * PowerNV), which makes cxl choose its native backend and the PSL8
 * operations, with the hash MMU whose table hash_mmu.c keeps.
 */
#define pr_fmt(fmt) "kshim-cpu: " fmt

#include "kmm.h"

#define PVR_DD20	0x0200	/* revision field: DD2.0 */

static struct cpu_spec power8_spec = {
	.pvr_mask = 0xffff0000,
	.pvr_value = PVR_POWER8 << 16,
	.cpu_name = "POWER8 (raw)",
	.cpu_features = CPU_FTR_HVMODE,
};

struct cpu_spec *cur_cpu_spec = &power8_spec;

/* The processor version register; only kshim_cpu_set_pvr() changes it. */
static unsigned int cpu_pvr = PVR_POWER8 << 16 | PVR_DD20;

int kshim_cpu_set_pvr(unsigned int pvr)
{
	unsigned int ver = PVR_VER(pvr);

	if (ver != PVR_POWER8E && ver != PVR_POWER8NVL && ver != PVR_POWER8)
		return -EINVAL;
	cpu_pvr = pvr;
	power8_spec.pvr_value = pvr & power8_spec.pvr_mask;
	return 0;
}

/*
 * LPCR: every bit the driver looks at is clear, TC (one hash function
 * only) in particular.  UAMOR: user space may set the AMR bits of every
 * storage key but key 0, the key of all ordinary pages.
 */
unsigned long kshim_mfspr(int sprn)
{
	switch (sprn) {
	case SPRN_PVR:
		return cpu_pvr;
	case SPRN_SDR1:
		return kmm_sdr1();
	case SPRN_LPID:
		return 0;	/* bare metal: the host partition */
	case SPRN_LPCR:
		return 0;
	case SPRN_UAMOR:
		return 0x3fffffffffffffffUL;
	}
	WARN(1, "mfspr of unmodelled SPR %#x\n", sprn);
	return 0;
}

/* 64-bit, hypervisor, translation on, little-endian: a running ppc64le kernel. */
unsigned long kshim_mfmsr(void)
{
	return MSR_SF | MSR_HV | MSR_IR | MSR_DR | MSR_LE;
}
