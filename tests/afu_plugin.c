// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal AFU plug-in for tests/test_afu_registry.c, built by
 * mk/afu.mk in four variants: PLUGIN_good (a working AFU that answers
 * the job handshakes and MMIO reads with 0xEC40 + the word address),
 * PLUGIN_oldabi (another ABI version), PLUGIN_nosym (exports no
 * capisim_afu_ops), PLUGIN_notick (no tick).  It uses nothing from
 * capisim but afu.h, as an out-of-tree plug-in would.
 */
#include <stdio.h>
#include <stdlib.h>

#include "afu/afu.h"

#ifdef PLUGIN_nosym
#define capisim_afu_ops not_the_ops
#endif

const struct afu_ops capisim_afu_ops;

struct echo {
	struct afu afu;
};

#ifndef PLUGIN_notick
static void echo_tick(struct afu *afu, const struct afu_in *in, struct afu_out *out)
{
	out->paren = 1;
	out->brlat = 1;
	if (in->jval && in->jcom == AFU_JCOM_RESET) {
		out->jrunning = 0;
		out->jdone = 1;
	} else if (in->jval && in->jcom == AFU_JCOM_START) {
		out->jrunning = 1;
	}
	if (in->mmval) {
		out->mmack = 1;
		out->mmdata = in->mmrnw ? 0xEC40 + in->mmad : 0;
		out->mmdatapar = afu_parity64(out->mmdata);
	}
}
#endif

static struct afu *echo_create(const char *instance, u64 seed, const char *options)
{
	struct echo *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->afu.ops = &capisim_afu_ops;
	snprintf(e->afu.instance, sizeof(e->afu.instance), "%s", instance);
	return &e->afu;
}

static void echo_destroy(struct afu *afu)
{
	free(container_of(afu, struct echo, afu));
}

const struct afu_ops capisim_afu_ops = {
#ifdef PLUGIN_oldabi
	.abi_version = AFU_ABI_VERSION + 1,
#else
	.abi_version = AFU_ABI_VERSION,
#endif
	.name = "echo",
	.create = echo_create,
	.destroy = echo_destroy,
#ifndef PLUGIN_notick
	.tick = echo_tick,
#endif
};
