/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PSL8 register map: P1 (BAR2) and P2 (BAR0) offsets, field masks, and
 * the CAPI VSEC in config space.  Names are spelled as the driver's cxl.h
 * and pci.c spell them, so model code and driver code grep alike; the
 * values come from docs/psl8-reference.md sections 1.4 and 2.
 *
 * IBM bit numbering: bit n of a 64-bit register is IBM_BIT(n) = 1 << (63-n).
 * All P1/P2 registers are 64 bits wide.
 */
#ifndef CAPISIM_PSL_REGS_H
#define CAPISIM_PSL_REGS_H

#include "core/types.h"

/* Right-aligned IBM field: value @v in bits @first..@last. */
#define IBM_FIELD(v, first, last) \
	(((u64)(v) & ((1ULL << ((last) - (first) + 1)) - 1)) << (63 - (last)))

/* ---- Layout of the BARs (reference 1.3) ---- */

#define CXL_MAX_SLICES		4
#define CXL_P1_SLICE_BASE	0x10000		/* slice n P1 at BAR2 + base + n * size */
#define CXL_P1_SLICE_SIZE	0x100
#define CXL_P2_SLICE_SIZE	0x1000		/* slice n P2 at BAR0 + n * size */
#define CXL_VSEC_UNIT		0x10000ULL	/* VSEC offsets and sizes are in 64 KiB */

/* ---- P1 adapter-wide registers (BAR2 + offset) ---- */

#define CXL_PSL_CtxTime		0x0000
#define CXL_PSL_ErrIVTE		0x0008
#define CXL_PSL_KEY1		0x0010
#define CXL_PSL_KEY2		0x0018
#define CXL_PSL_Control		0x0020
#define CXL_PSL_DLCNTL		0x0060
#define CXL_PSL_DLADDR		0x0068
#define CXL_PSL_LBISEL		0x0080
#define CXL_PSL_SLBIE		0x0088
#define CXL_PSL_SLBIA		0x0090
#define CXL_PSL_TLBIE		0x00A0
#define CXL_PSL_TLBIA		0x00A8
#define CXL_PSL_AFUSEL		0x00B0
#define CXL_PSL_FIR1		0x0100
#define CXL_PSL_FIR2		0x0108
#define CXL_PSL_Timebase	0x0110
#define CXL_PSL_VERSION		0x0118
#define CXL_PSL_RESLCKTO	0x0128
#define CXL_PSL_TB_CTLSTAT	0x0140
#define CXL_PSL_FIR_CNTL	0x0148
#define CXL_PSL_DSNDCTL		0x0150
#define CXL_PSL_SNWRALLOC	0x0158
#define CXL_PSL_TRACE		0x0170
#define CXL_P1_ADAPTER_END	0x0178		/* first offset past the last register */

/* ---- P1 per-slice registers (BAR2 + 0x10000 + n * 0x100 + offset) ---- */

#define CXL_PSL_SR_An		0x00
#define CXL_PSL_LPID_An		0x08
#define CXL_PSL_AMBAR_An	0x10
#define CXL_PSL_SPOffset_An	0x18
#define CXL_PSL_ID_An		0x20
#define CXL_PSL_SERR_An		0x28
#define CXL_PSL_SDR_An		0x30
#define CXL_PSL_AMOR_An		0x38
#define CXL_HAURP_An		0x80
#define CXL_PSL_SPAP_An		0x88
#define CXL_PSL_LLCMD_An	0x90
#define CXL_PSL_SCNTL_An	0xA0
#define CXL_PSL_CtxTime_An	0xA8
#define CXL_PSL_IVTE_Offset_An	0xB0
#define CXL_PSL_IVTE_Limit_An	0xB8
#define CXL_PSL_FIR_SLICE_An	0xC0
#define CXL_AFU_DEBUG_An	0xC8
#define CXL_PSL_APCALLOC_A	0xD0
#define CXL_PSL_COALLOC_A	0xD8
#define CXL_PSL_RXCTL_A		0xE0
#define CXL_PSL_SLICE_TRACE	0xE8

/* ---- P2 per-slice registers (BAR0 + n * 0x1000 + offset) ---- */

#define CXL_PSL_PID_TID_An	0x000
#define CXL_CSRP_An		0x008
#define CXL_AURP0_An		0x010
#define CXL_AURP1_An		0x018
#define CXL_SSTP0_An		0x020
#define CXL_SSTP1_An		0x028
#define CXL_PSL_AMR_An		0x030
#define CXL_SLBIE_An		0x040
#define CXL_SLBIA_An		0x048
#define CXL_SLBI_Select_An	0x050
#define CXL_PSL_DSISR_An	0x060
#define CXL_PSL_DAR_An		0x068
#define CXL_PSL_DSR_An		0x070
#define CXL_PSL_TFC_An		0x078
#define CXL_PSL_PEHandle_An	0x080
#define CXL_PSL_ErrStat_An	0x088
#define CXL_AFU_Cntl_An		0x090
#define CXL_AFU_ERR_An		0x098
#define CXL_PSL_WED_An		0x0A0

/* ---- Fields (reference 2.5) ---- */

/* PSL_Control (2.5.1) */
#define CXL_PSL_Control_Fs_MASK		(3ULL << (63 - 29))	/* bits 28:29, RO */
#define CXL_PSL_Control_Fs_Complete	(3ULL << (63 - 29))
#define CXL_PSL_Control_Fr		IBM_BIT(31)
#define CXL_PSL_Control_tb		IBM_BIT(63)

/* PSL_ErrIVTE (2.5.2) */
#define CXL_PSL_ErrIVTE_tberror		IBM_BIT(31)
#define CXL_PSL_ErrIVTE_IVTE_MASK	0xFFFFULL

/* PSL_TB_CTLSTAT (2.5.3) */
#define TBSYNC_CAL(n)			IBM_FIELD(n, 1, 3)
#define TBSYNC_CNT(n)			IBM_FIELD(n, 4, 6)

/* Lookaside-buffer invalidation (2.5.4) */
#define CXL_PSL_AFUSEL_A		IBM_BIT(55)
#define CXL_TLB_SLB_P			IBM_BIT(63)	/* read: invalidation pending */
#define CXL_TLB_SLB_IH_MASK		IBM_FIELD(7, 59, 61)	/* write: hint */
#define CXL_TLB_SLB_IQ_MASK		IBM_FIELD(3, 62, 63)	/* write: qualifier */
#define CXL_TLB_SLB_IQ_ALL		0ULL
#define CXL_TLB_SLB_IQ_LPID		1ULL
#define CXL_TLB_SLB_IQ_LPIDPID		3ULL

/* PSL_SR_An (2.5.5) */
#define CXL_PSL_SR_An_SF		IBM_BIT(0)
#define CXL_PSL_SR_An_TA		IBM_BIT(1)
#define CXL_PSL_SR_An_HV		IBM_BIT(3)
#define CXL_PSL_SR_An_BOT		IBM_BIT(10)
#define CXL_PSL_SR_An_PR		IBM_BIT(49)
#define CXL_PSL_SR_An_ISL		IBM_BIT(53)
#define CXL_PSL_SR_An_TC		IBM_BIT(54)
#define CXL_PSL_SR_An_US		IBM_BIT(56)
#define CXL_PSL_SR_An_SC		IBM_BIT(58)
#define CXL_PSL_SR_An_R			IBM_BIT(59)
#define CXL_PSL_SR_An_MP		IBM_BIT(62)
#define CXL_PSL_SR_An_LE		IBM_BIT(63)

/* PSL_SPAP_An (2.5.6) */
#define CXL_PSL_SPAP_Addr		0x0FFFFFFFFFFFF000ULL	/* bits 4:51 */
#define CXL_PSL_SPAP_Size		0x0000000000000FF0ULL	/* bits 52:59 */
#define CXL_PSL_SPAP_Size_Shift		4
#define CXL_PSL_SPAP_V			IBM_BIT(63)

/* PSL_SCNTL_An (2.5.8) */
#define CXL_PSL_SCNTL_An_CR		IBM_BIT(15)
#define CXL_PSL_SCNTL_An_PM_MASK	IBM_FIELD(0xFFFF, 16, 31)
#define CXL_PSL_SCNTL_An_PM_Shared	IBM_FIELD(0x0000, 16, 31)
#define CXL_PSL_SCNTL_An_PM_OS		IBM_FIELD(0x0001, 16, 31)
#define CXL_PSL_SCNTL_An_PM_Process	IBM_FIELD(0x0002, 16, 31)
#define CXL_PSL_SCNTL_An_PM_AFU		IBM_FIELD(0x0004, 16, 31)
#define CXL_PSL_SCNTL_An_PM_AFU_PBT	IBM_FIELD(0x0104, 16, 31)
#define CXL_PSL_SCNTL_An_Ps_MASK	IBM_FIELD(3, 38, 39)	/* RO */
#define CXL_PSL_SCNTL_An_Ps_Pending	IBM_FIELD(1, 38, 39)
#define CXL_PSL_SCNTL_An_Ps_Complete	IBM_FIELD(3, 38, 39)
#define CXL_PSL_SCNTL_An_Pc		IBM_BIT(48)
#define CXL_PSL_SCNTL_An_Ss_MASK	IBM_FIELD(3, 54, 55)	/* RO */
#define CXL_PSL_SCNTL_An_Ss_Pending	IBM_FIELD(1, 54, 55)
#define CXL_PSL_SCNTL_An_Ss_Complete	IBM_FIELD(3, 54, 55)
#define CXL_PSL_SCNTL_An_Sc		IBM_BIT(63)

/* PSL_ID_An (2.5.9) */
#define CXL_PSL_ID_An_F			IBM_BIT(31)
#define CXL_PSL_ID_An_L			IBM_BIT(30)

/* PSL_SERR_An (2.5.12): nine status bits 0:8, their masks at 32:40 */
#define CXL_PSL_SERR_An_afuto		IBM_BIT(0)
#define CXL_PSL_SERR_An_afudis		IBM_BIT(1)
#define CXL_PSL_SERR_An_afuov		IBM_BIT(2)
#define CXL_PSL_SERR_An_badsrc		IBM_BIT(3)
#define CXL_PSL_SERR_An_badctx		IBM_BIT(4)
#define CXL_PSL_SERR_An_llcmdis		IBM_BIT(5)
#define CXL_PSL_SERR_An_llcmdto		IBM_BIT(6)
#define CXL_PSL_SERR_An_afupar		IBM_BIT(7)
#define CXL_PSL_SERR_An_afudup		IBM_BIT(8)
#define CXL_PSL_SERR_An_AE		IBM_BIT(30)
#define CXL_PSL_SERR_An_IRQS		0xFF80000000000000ULL
#define CXL_PSL_SERR_An_IRQ_MASKS	0x00000000FF800000ULL
#define CXL_PSL_SERR_An_IVTE_MASK	0xFFFFULL

/* PSL_DSISR_An (2.5.13) */
#define CXL_PSL_DSISR_An_DS		IBM_BIT(0)
#define CXL_PSL_DSISR_An_DM		IBM_BIT(1)
#define CXL_PSL_DSISR_An_ST		IBM_BIT(2)
#define CXL_PSL_DSISR_An_UR		IBM_BIT(3)
#define CXL_PSL_DSISR_An_PE		IBM_BIT(4)
#define CXL_PSL_DSISR_An_AE		IBM_BIT(5)
#define CXL_PSL_DSISR_An_OC		IBM_BIT(6)
#define CXL_PSL_DSISR_An_M		IBM_BIT(33)
#define CXL_PSL_DSISR_An_P		IBM_BIT(36)
#define CXL_PSL_DSISR_An_A		IBM_BIT(37)
#define CXL_PSL_DSISR_An_S		IBM_BIT(38)
#define CXL_PSL_DSISR_An_K		IBM_BIT(42)
#define CXL_PSL_DSISR_TRANS		0xF000000000000000ULL	/* DS|DM|ST|UR */
#define CXL_PSL_DSISR_PENDING		0xFE00000000000000ULL	/* DS..OC */

/* PSL_TFC_An (2.5.14): write one bit at a time */
#define CXL_PSL_TFC_An_A		IBM_BIT(28)
#define CXL_PSL_TFC_An_C		IBM_BIT(29)
#define CXL_PSL_TFC_An_AE		IBM_BIT(30)
#define CXL_PSL_TFC_An_R		IBM_BIT(31)

/* PSL_PEHandle_An (2.5.15) */
#define CXL_PSL_PEHandle_An_MASK	0xFFFFULL

/*
 * PSL_ErrStat_An (2.5.16): the bit layout is implementation-specific [U];
 * this is the model's, documented in docs/psl8-model.md.
 */
#define PSL_ERRSTAT_BAD_RA		IBM_BIT(0)	/* a walk or R/C update hit no memory */
#define PSL_ERRSTAT_PARITY		IBM_BIT(1)	/* bad parity on an AFU command or data */
#define PSL_ERRSTAT_ILL_CMD		IBM_BIT(2)	/* an AFU command the PSL cannot execute */
#define PSL_ERRSTAT_INJECTED		IBM_BIT(3)	/* raised by psl_err_injected() */

/* PSL_FIR1 / PSL_FIR2 (6.1): implementation-specific [U]; the model's layout. */
#define PSL_FIR1_SPA_DATA		IBM_BIT(0)	/* an SPA access hit no memory */
#define PSL_FIR1_BAD_RA			IBM_BIT(1)	/* any slice's ErrStat BAD_RA */
#define PSL_FIR1_PARITY			IBM_BIT(2)	/* any parity error */
#define PSL_FIR1_ILL_CMD		IBM_BIT(3)	/* any illegal AFU command */
#define PSL_FIR1_AFU			IBM_BIT(4)	/* any AFU error */
#define PSL_FIR2_INJECTED		IBM_BIT(0)	/* raised by psl_err_injected() */

/* CXL_AFU_Cntl_An (2.5.17) */
#define CXL_AFU_Cntl_An_ES_MASK		IBM_FIELD(7, 0, 2)	/* RO */
#define CXL_AFU_Cntl_An_ES_Disabled	IBM_FIELD(0, 0, 2)
#define CXL_AFU_Cntl_An_ES_Enabled	IBM_FIELD(4, 0, 2)
#define CXL_AFU_Cntl_An_E		IBM_BIT(3)
#define CXL_AFU_Cntl_An_RS_MASK		IBM_FIELD(3, 4, 5)	/* RO */
#define CXL_AFU_Cntl_An_RS_Pending	IBM_FIELD(1, 4, 5)
#define CXL_AFU_Cntl_An_RS_Complete	IBM_FIELD(2, 4, 5)
#define CXL_AFU_Cntl_An_RA		IBM_BIT(7)

/* PSL_DLCNTL (2.5.20) */
#define CXL_PSL_DLCNTL_D		IBM_BIT(28)
#define CXL_PSL_DLCNTL_C		IBM_BIT(29)
#define CXL_PSL_DLCNTL_E		IBM_BIT(30)
#define CXL_PSL_DLCNTL_S		IBM_BIT(31)

/* ---- The scheduled process area (reference 3.3) ---- */

#define CXL_SPA_PAGE			4096ULL	/* PSL_SPAP_An size unit */
#define CXL_SPA_PE_SIZE			128ULL

/* sw_command_status (3.3.4) */
#define CXL_SPA_SW_CMD_MASK		0xFFFF000000000000ULL
#define CXL_SPA_SW_CMD_TERMINATE	0x0001000000000000ULL
#define CXL_SPA_SW_CMD_REMOVE		0x0002000000000000ULL
#define CXL_SPA_SW_CMD_SUSPEND		0x0003000000000000ULL
#define CXL_SPA_SW_CMD_RESUME		0x0004000000000000ULL
#define CXL_SPA_SW_CMD_ADD		0x0005000000000000ULL
#define CXL_SPA_SW_CMD_UPDATE		0x0006000000000000ULL
#define CXL_SPA_SW_STATE_MASK		0x0000FFFF00000000ULL
#define CXL_SPA_SW_STATE_ERROR		0x0000800000000000ULL	/* 1ccc...: command c failed */
#define CXL_SPA_SW_PSL_ID_MASK		0x00000000FFFF0000ULL
#define CXL_SPA_SW_LINK_MASK		0x000000000000FFFFULL

/* Process element fields: byte offsets, big-endian (3.3.3) */
#define CXL_PE_SR			0x00
#define CXL_PE_SPOFFSET			0x08
#define CXL_PE_SDR			0x10
#define CXL_PE_HAURP			0x18
#define CXL_PE_CTXTIME			0x20	/* 4 bytes */
#define CXL_PE_IVTE_OFFSETS		0x24	/* 4 x 2 bytes */
#define CXL_PE_IVTE_RANGES		0x2C	/* 4 x 2 bytes */
#define CXL_PE_LPID			0x34	/* 4 bytes */
#define CXL_PE_TID			0x38	/* 4 bytes */
#define CXL_PE_PID			0x3C	/* 4 bytes */
#define CXL_PE_CSRP			0x40
#define CXL_PE_AURP0			0x48
#define CXL_PE_AURP1			0x50
#define CXL_PE_SSTP0			0x58
#define CXL_PE_SSTP1			0x60
#define CXL_PE_AMR			0x68
#define CXL_PE_WED			0x74	/* not 8-byte aligned */
#define CXL_PE_SOFTWARE_STATE		0x7C	/* 4 bytes */

#define CXL_PE_SOFTWARE_STATE_V		0x80000000U
#define CXL_PE_SOFTWARE_STATE_C		0x00000004U
#define CXL_PE_SOFTWARE_STATE_S		0x00000002U
#define CXL_PE_SOFTWARE_STATE_T		0x00000001U

/* Interrupt ranges (5.2): four 16-bit fields, range 0 in bits 0:15 */
#define CXL_IRQ_RANGES			4

/* SSTP0/SSTP1 (4.2) */
#define CXL_SSTP0_An_B_MASK		IBM_FIELD(3, 0, 1)
#define CXL_SSTP0_An_SegTableSize_MASK	IBM_FIELD(0xFFF, 20, 31)
#define CXL_SSTP0_An_STVA_U_MASK	IBM_FIELD(0x3FFF, 50, 63)
#define CXL_SSTP1_An_STVA_L_MASK	0xFFFFFFFFFFFFFF00ULL
#define CXL_SSTP1_An_V			IBM_BIT(63)

/* ---- The CAPI VSEC in config space (reference 1.4) ---- */

#define PCI_VENDOR_ID_IBM		0x1014
#define PCI_EXT_CAP_ID_VNDR		0x000B
#define CXL_PCI_VSEC_ID			0x1280
#define CXL_VSEC_MIN_SIZE		0x80

/* Offsets from the start of the VSEC. */
#define CXL_VSEC_ID_REV_LEN		0x04	/* dword: id 15:0, rev 19:16, length 31:20 */
#define CXL_VSEC_LENGTH			0x06	/* word >> 4 is the length */
#define CXL_VSEC_NAFUS			0x08
#define CXL_VSEC_STATUS			0x09
#define CXL_VSEC_PROTOCOL		0x0A
#define CXL_VSEC_PSL_REV		0x0C
#define CXL_VSEC_CAIA_MINOR		0x0E
#define CXL_VSEC_CAIA_MAJOR		0x0F
#define CXL_VSEC_BASE_IMAGE		0x10
#define CXL_VSEC_IMAGE_STATE		0x13
#define CXL_VSEC_AFU_DESC_OFF		0x20
#define CXL_VSEC_AFU_DESC_SIZE		0x24
#define CXL_VSEC_PS_OFF			0x28
#define CXL_VSEC_PS_SIZE		0x2C
#define CXL_VSEC_PSL_PROG_PORT		0x40
#define CXL_VSEC_PSL_PROG_CNTL		0x44
#define CXL_VSEC_FLASH_ADDR		0x50
#define CXL_VSEC_FLASH_SIZE		0x54
#define CXL_VSEC_FLASH_CNTL		0x58
#define CXL_VSEC_FLASH_DATA		0x5C

/* CXL_VSEC_STATUS bits */
#define CXL_STATUS_SECOND_PORT		0x80
#define CXL_STATUS_MSI_X_FULL		0x40
#define CXL_STATUS_MSI_X_SINGLE		0x20
#define CXL_STATUS_FLASH_RW		0x08
#define CXL_STATUS_FLASH_RO		0x04
#define CXL_STATUS_LOADABLE_AFU		0x02
#define CXL_STATUS_LOADABLE_PSL		0x01

/* CXL_VSEC_PROTOCOL (mode control) bits */
#define CXL_VSEC_PROTOCOL_MASK		0xE0
#define CXL_VSEC_PROTOCOL_1024TB	0x80
#define CXL_VSEC_PROTOCOL_512TB		0x40
#define CXL_VSEC_PROTOCOL_256TB		0x20
#define CXL_VSEC_PROTOCOL_ENABLE	0x01

/* CXL_VSEC_IMAGE_STATE bits */
#define CXL_VSEC_USER_IMAGE_LOADED	0x80	/* RO */
#define CXL_VSEC_PERST_LOADS_IMAGE	0x20
#define CXL_VSEC_PERST_SELECT_USER	0x10

#endif
