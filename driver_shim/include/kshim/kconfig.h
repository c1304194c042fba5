/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel configuration the unmodified cxl driver is built against:
 * a bare-metal (HV-mode) POWER8 PowerNV host with the hash MMU and the
 * cxl driver built in.  Force-included before every driver file.
 *
 * CONFIG_PPC_PSERIES stays undefined so that the guest backend (guest.c,
 * of.c, hcalls.c) is never referenced.  CONFIG_PPC_RADIX_MMU and
 * CONFIG_SMP stay undefined too: the shim models one CPU with a hash MMU.
 */
#ifndef _KSHIM_KCONFIG_H
#define _KSHIM_KCONFIG_H

#define __KERNEL__ 1

#define CONFIG_PPC64 1
#define CONFIG_PPC_BOOK3S_64 1
#define CONFIG_PPC_POWERNV 1
#define CONFIG_PPC_64S_HASH_MMU 1
#define CONFIG_CPU_LITTLE_ENDIAN 1
#define CONFIG_CXL_BASE 1
#define CONFIG_CXL 1
#define CONFIG_DEBUG_FS 1
#define CONFIG_EEH 1
#define CONFIG_PCI 1
#define CONFIG_PCI_MSI 1

#define KBUILD_MODNAME "cxl"

#ifndef __LP64__
#error "the cxl shim needs an LP64 host, like ppc64"
#endif
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the cxl shim models ppc64le and needs a little-endian host"
#endif

#endif /* _KSHIM_KCONFIG_H */
