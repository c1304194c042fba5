/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included at the end of a trace header, outside its guard.  The shim's
 * tracepoints are all inline (see kshim/trace.h): nothing to generate.
 */
