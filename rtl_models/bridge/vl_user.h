/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced into every C++ file of an RTL plug-in (Verilator runtime, model
 * and bridge alike; afu-build.sh passes -include): Verilator's printing
 * goes to capisim_vl_printf() instead of stdout, and $finish, $stop and
 * fatal errors call the bridge's handlers instead of exiting the process.
 */
#ifndef CAPISIM_RTL_VL_USER_H
#define CAPISIM_RTL_VL_USER_H

#define VL_PRINTF capisim_vl_printf
#define VL_USER_FINISH 1
#define VL_USER_STOP 1
#define VL_USER_FATAL 1

void capisim_vl_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
