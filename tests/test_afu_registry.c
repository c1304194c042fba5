// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of sim/afu/registry.c: built-in AFUs by name, plug-ins loaded
 * from shared objects (built by mk/afu.mk into AFU_PLUGIN_DIR), and the
 * clock-stop rule of afu.h.
 */
#define pr_fmt(fmt) "test-afu-registry: " fmt

#include <errno.h>
#include <stdio.h>

#include "harness.h"
#include "afu/afu.h"
#include "afu/responder.h"
#include "core/log.h"

#ifndef AFU_PLUGIN_DIR
#error "mk/afu.mk defines AFU_PLUGIN_DIR, where the test plug-ins are"
#endif

TEST builtins_by_name(void)
{
	const struct afu_ops *m = afu_find("memcpy"), *t = afu_find("traffic");

	ASSERT(m && t);
	ASSERT_STR_EQ("memcpy", m->name);
	ASSERT_STR_EQ("traffic", t->name);
	ASSERT_EQ(AFU_ABI_VERSION, m->abi_version);
	ASSERT_FALSE(afu_find("nosuch"));
	ASSERT_FALSE(afu_find(NULL));
	ASSERT(afu_builtin(0) == m);
	ASSERT(afu_builtin(1) == t);
	ASSERT(afu_builtin(2) == afu_find("trace"));
	ASSERT_FALSE(afu_builtin(3));
	PASS();
}

TEST builtin_instance(void)
{
	const struct afu_ops *m = afu_find("memcpy");
	struct afu *a = m->create("card0.afu0", 7, "tags=8");

	ASSERT(a);
	ASSERT(a->ops == m);
	ASSERT_STR_EQ("card0.afu0", a->instance);
	a->ops->destroy(a);
	PASS();
}

/* Load @name from the plug-in directory, capturing the log in @log. */
static int load(const char *name, const struct afu_ops **ops, char *log, size_t len)
{
	char path[512];
	FILE *f = tmpfile();
	size_t n = 0;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", AFU_PLUGIN_DIR, name);
	log_set_file(f);
	ret = afu_load_plugin(path, ops);
	log_set_file(NULL);
	log[0] = '\0';
	if (f) {
		rewind(f);
		n = fread(log, 1, len - 1, f);
		log[n] = '\0';
		fclose(f);
	}
	return ret;
}

TEST plugin_loads_and_runs(void)
{
	const struct afu_ops *ops = NULL;
	struct host_mem mem;
	struct responder r;
	struct afu *a;
	char log[512];
	u64 v;

	ASSERT_EQ(0, load("afu_plugin_good.so", &ops, log, sizeof(log)));
	ASSERT_STR_EQ("echo", ops->name);
	a = ops->create("echo0", 1, NULL);
	ASSERT(a);
	mem_init(&mem);
	ASSERT_EQ(0, responder_init(&r, a, &mem, NULL));
	ASSERT_EQ(0, responder_reset(&r));
	ASSERT_EQ(0, responder_mmio_read(&r, false, true, 0x40, &v));
	ASSERT_EQ(0xEC40 + 0x10, v);
	responder_exit(&r);
	mem_exit(&mem);
	ops->destroy(a);
	PASS();
}

TEST plugin_errors_name_the_file(void)
{
	const struct afu_ops *ops = NULL;
	char log[512];

	ASSERT_EQ(-ENOENT, load("afu_plugin_missing.so", &ops, log, sizeof(log)));
	ASSERT_STR_HAS(log, "afu_plugin_missing.so");
	ASSERT_EQ(-ENOEXEC, load("afu_plugin_nosym.so", &ops, log, sizeof(log)));
	ASSERT_STR_HAS(log, "afu_plugin_nosym.so: no capisim_afu_ops");
	ASSERT_EQ(-EPROTO, load("afu_plugin_oldabi.so", &ops, log, sizeof(log)));
	ASSERT_STR_HAS(log, "afu_plugin_oldabi.so: AFU ABI version 2");
	ASSERT_EQ(-EINVAL, load("afu_plugin_notick.so", &ops, log, sizeof(log)));
	ASSERT_STR_HAS(log, "afu_plugin_notick.so: capisim_afu_ops lacks tick");
	ASSERT_FALSE(ops);
	PASS();
}

/* An AFU whose idle hook answers what the test says. */
struct idle_afu {
	struct afu afu;
	bool idle;
};

static bool idle_hook(const struct afu *a)
{
	return container_of(a, struct idle_afu, afu)->idle;
}

TEST clock_stop_rule(void)
{
	static const struct afu_ops with_hook = { .idle = idle_hook };
	static const struct afu_ops without_hook = { .idle = NULL };
	struct idle_afu a = { .afu = { .ops = &with_hook }, .idle = true };
	struct afu_out out = { .jrunning = 1 };

	ASSERT(afu_clock_may_stop(&a.afu, &out, 0, false, false));
	ASSERT_FALSE(afu_clock_may_stop(&a.afu, &out, 1, false, false));
	ASSERT_FALSE(afu_clock_may_stop(&a.afu, &out, 0, true, false));
	ASSERT_FALSE(afu_clock_may_stop(&a.afu, &out, 0, false, true));
	a.idle = false;
	ASSERT_FALSE(afu_clock_may_stop(&a.afu, &out, 0, false, false));
	a.afu.ops = &without_hook;
	ASSERT_FALSE(afu_clock_may_stop(&a.afu, &out, 0, false, false));
	out.jrunning = 0;
	ASSERT(afu_clock_may_stop(&a.afu, &out, 0, false, false));
	PASS();
}

SUITE(registry)
{
	RUN_TEST(builtins_by_name);
	RUN_TEST(builtin_instance);
	RUN_TEST(plugin_loads_and_runs);
	RUN_TEST(plugin_errors_name_the_file);
	RUN_TEST(clock_stop_rule);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(registry);
	HARNESS_MAIN_END();
}
