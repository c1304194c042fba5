// SPDX-License-Identifier: GPL-2.0
/*
 * Finding AFU models: the built-in ones by name, plug-ins by file.  A
 * plug-in is a shared object exporting "const struct afu_ops
 * capisim_afu_ops" built against the same AFU_ABI_VERSION; it stays
 * loaded until the process exits, since its ops and its AFUs' code live
 * in it.
 */
#define pr_fmt(fmt) "afu: " fmt

#include <dlfcn.h>
#include <errno.h>
#include <string.h>

#include "afu/port.h"
#include "afu/tracedrv.h"
#include "core/log.h"

static const struct afu_ops *const builtins[] = {
	&afu_memcpy_ops,
	&afu_traffic_ops,
	&afu_tracedrv_ops,
};

const struct afu_ops *afu_builtin(unsigned int i)
{
	return i < ARRAY_SIZE(builtins) ? builtins[i] : NULL;
}

const struct afu_ops *afu_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(builtins); i++)
		if (name && !strcmp(builtins[i]->name, name))
			return builtins[i];
	return NULL;
}

int afu_load_plugin(const char *path, const struct afu_ops **ops)
{
	const struct afu_ops *o;
	void *h;

	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		pr_err("%s: cannot load: %s\n", path, dlerror());
		return -ENOENT;
	}
	o = dlsym(h, "capisim_afu_ops");
	if (!o) {
		pr_err("%s: no capisim_afu_ops symbol: not a capisim AFU plug-in\n", path);
		dlclose(h);
		return -ENOEXEC;
	}
	if (o->abi_version != AFU_ABI_VERSION) {
		pr_err("%s: AFU ABI version %u, capisim speaks version %u: rebuild the plug-in\n",
		       path, o->abi_version, AFU_ABI_VERSION);
		dlclose(h);
		return -EPROTO;
	}
	if (!o->name || !o->create || !o->destroy || !o->tick) {
		pr_err("%s: capisim_afu_ops lacks %s\n", path,
		       !o->name ? "a name" : !o->create ? "create" :
		       !o->destroy ? "destroy" : "tick");
		dlclose(h);
		return -EINVAL;
	}
	pr_debug("%s: AFU \"%s\" loaded\n", path, o->name);
	*ops = o;
	return 0;
}
