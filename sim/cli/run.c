// SPDX-License-Identifier: GPL-2.0
/*
 * capisim run: a host program (or a built-in workload) on the simulated
 * machine.  The machine lives inside libcxl and boots at the program's
 * first libcxl call; this command only prepares its environment (the
 * CAPISIM_* variables of docs/libcxl.md, the build's lib/ first in
 * LD_LIBRARY_PATH), runs the program with its output untouched, and reads
 * back the status file the machine writes at exit to print the summary.
 */
#define pr_fmt(fmt) "run: " fmt

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/run.h"
#include "core/config.h"
#include "core/log.h"
#include "trace/tt.h"

#define WORKLOAD_BIN	"libexec/capisim-workload"
#define STATUS_MAGIC	"capisim-status 1"

/* The indices of run_keys[]. */
enum {
	RK_AFU,
	RK_AFU_OPTIONS,
	RK_MODE,
	RK_TIMING,
	RK_SEED,
	RK_TIME,
	RK_QUANTUM,
	RK_CONFIG,
	RK_TRACE_LEVEL,
	RK_NR,
};

const struct run_key run_keys[RK_NR] = {
	[RK_AFU] = { "afu", "CAPISIM_AFU", "--afu" },
	[RK_AFU_OPTIONS] = { "afu_options", "CAPISIM_AFU_OPTIONS", NULL },
	[RK_MODE] = { "mode", "CAPISIM_MODE", "--mode" },
	[RK_TIMING] = { "timing", "CAPISIM_TIMING", "--timing" },
	[RK_SEED] = { "seed", "CAPISIM_SEED", "--seed" },
	[RK_TIME] = { "time", "CAPISIM_TIME", "--time" },
	[RK_QUANTUM] = { "quantum", "CAPISIM_QUANTUM", NULL },
	[RK_CONFIG] = { "config", "CAPISIM_CONFIG", "--config" },
	[RK_TRACE_LEVEL] = { "trace_level", "CAPISIM_TRACE_LEVEL", "--trace-level" },
};

const unsigned int run_nr_keys = RK_NR;

/* The built-in workloads and the AFU each needs. */
static const struct {
	const char *name;
	const char *afu;
} workloads[] = {
	{ "memcpy", "memcpy" },
	{ "traffic", "traffic" },
};

/* The machine's status file, one counter per line (the contract in docs/replay.md). */
enum {
	ST_SIM_TIME,
	ST_WALL,
	ST_PROCESSES,
	ST_CONTEXTS,
	ST_BYTES_READ,
	ST_BYTES_WRITTEN,
	ST_FAULTS_SEGMENT,
	ST_FAULTS_PAGE,
	ST_FAULTS_AE,
	ST_IRQ_AFU,
	ST_IRQ_PSL_ERROR,
	ST_IRQ_SLICE_ERROR,
	ST_ERRORS_AFU,
	ST_WARNINGS,
	ST_BUGS,
	ST_LOCK_REPORTS,
	ST_DEADLOCK,
	ST_NR,
};

static const char *const stat_keys[ST_NR] = {
	[ST_SIM_TIME] = "sim_time_ps",
	[ST_WALL] = "wall_ns",
	[ST_PROCESSES] = "processes",
	[ST_CONTEXTS] = "contexts",
	[ST_BYTES_READ] = "bytes_read",
	[ST_BYTES_WRITTEN] = "bytes_written",
	[ST_FAULTS_SEGMENT] = "faults_segment",
	[ST_FAULTS_PAGE] = "faults_page",
	[ST_FAULTS_AE] = "faults_address_error",
	[ST_IRQ_AFU] = "interrupts_afu",
	[ST_IRQ_PSL_ERROR] = "interrupts_psl_error",
	[ST_IRQ_SLICE_ERROR] = "interrupts_slice_error",
	[ST_ERRORS_AFU] = "errors_afu",
	[ST_WARNINGS] = "driver_warnings",
	[ST_BUGS] = "driver_bugs",
	[ST_LOCK_REPORTS] = "lock_reports",
	[ST_DEADLOCK] = "deadlock",
};

struct cmd_count {
	char name[32];
	u64 n;
};

/* What the machine said at its teardown. */
struct run_status {
	u64 v[ST_NR];
	struct cmd_count *cmds;
	unsigned int nr_cmds;
	char trace[PATH_MAX];		/* "-" when none */
	char verdict[16];
	char problem[512];
};

/* One invocation: its options, then what the run left behind. */
struct run {
	const char *key_opt[RK_NR];	/* run_keys' values given as options */
	const char *trace, *summary, *log, *log_file, *workload;
	u64 contexts, size, jobs;
	bool wl_opts;			/* --contexts, --size or --jobs given */
	char **prog;			/* PROGRAM ARGS..., NULL-terminated */
	char *wl_argv[9];
	char wl_num[3][24];
	char tmpdir[PATH_MAX - 32];	/* the run's own files; room for their names */
	char status_path[PATH_MAX];
	char afu_so[PATH_MAX];		/* an AFU built from a directory, "" if none */
	double wall_s;
};

void cmd_run_help(void)
{
	puts("usage: capisim run [OPTIONS] -- PROGRAM [ARGS...]\n"
	     "       capisim run [OPTIONS] --workload memcpy|traffic [--contexts N] [--size BYTES]\n"
	     "                   [--jobs N]\n"
	     "\n"
	     "Run a CAPI host program on the simulated POWER8 machine: the real Linux cxl\n"
	     "driver on the PSL8 model with an AFU.  The machine is inside libcxl: a program\n"
	     "built with -lcxl against this build, or one linked elsewhere against IBM's\n"
	     "libcxl.so.1, boots it with its first libcxl call.  capisim run puts the\n"
	     "build's lib/ first in LD_LIBRARY_PATH, passes the machine its configuration\n"
	     "in CAPISIM_* variables (docs/libcxl.md), runs the program with its own\n"
	     "output untouched, and then prints a summary of what the machine did on\n"
	     "standard error.  Address-space randomisation is off for the program (as\n"
	     "with setarch -R), so that a run repeats exactly.\n"
	     "\n"
	     "A built-in workload runs instead of a program: memcpy (each of N contexts,\n"
	     "a thread and so a simulated process of its own, copies BYTES through the\n"
	     "memcpy AFU in N jobs and checks every byte) or traffic (the traffic AFU's\n"
	     "random commands over a region of BYTES, one per 32 bytes, each response\n"
	     "and byte checked; dedicated mode, one context).  A workload picks its AFU\n"
	     "unless --afu names another.\n"
	     "\n"
	     "options:\n"
	     "  --afu NAME|DIR|FILE.so  the AFU: a built-in one (memcpy, traffic; trace, which\n"
	     "                     replays a recorded AFU: CAPISIM_AFU_OPTIONS=trace=T.cxt),\n"
	     "                     memcpy-rtl (the bundled RTL memcpy through Verilator), a\n"
	     "                     directory of Verilog/SystemVerilog built on the fly by\n"
	     "                     'capisim afu build', or a plug-in\n"
	     "  --mode directed|dedicated  the AFU's programming model, set after boot\n"
	     "  --timing FILE      PSL timing (a [timing] section, docs/psl8-model.md)\n"
	     "  --seed N           the master seed of the machine's random streams\n"
	     "  --config FILE      a configuration file with a [libcxl] section\n"
	     "  --time virtual|wall  virtual: the machine runs only during libcxl calls and\n"
	     "                     the program's sleeps are simulated, repeatable (default);\n"
	     "                     wall: the machine runs freely beside the program\n"
	     "  --trace FILE.cxt   record a trace of the run\n"
	     "  --trace-level default|verbose|debug  what the trace holds (default: default)\n"
	     "  --summary FILE     write the summary to FILE instead of standard error\n"
	     "  --log LEVEL        the machine's log: err, warn (default), notice, info, debug\n"
	     "  --log-file FILE    the log goes to FILE instead of standard error\n"
	     "  --workload NAME    run the built-in workload NAME instead of a PROGRAM\n"
	     "  --contexts N       workload: contexts, each a process (default 1)\n"
	     "  --size BYTES       workload: bytes per context; K, M, G suffixes (default 256K)\n"
	     "  --jobs N           workload: jobs per context (default 4)\n"
	     "\n"
	     "The summary: contexts, AFU commands by kind, bytes moved, faults served\n"
	     "(segment, page, address error), interrupts, errors, driver warnings and\n"
	     "lock reports, simulated and wall time, simulation speed, and each trace\n"
	     "file with the commands that open it.  Other CAPISIM_* variables in the\n"
	     "environment (CAPISIM_AFU_OPTIONS, CAPISIM_QUANTUM) reach the machine too.\n"
	     "\n"
	     "Exit status: the program's; 1 if the run failed (a driver warning, bug,\n"
	     "lock report or deadlock, the program killed by a signal, a program that\n"
	     "never called libcxl, an AFU that would not build or load); 2 usage error.\n"
	     "\n"
	     "examples:\n"
	     "  capisim run --workload memcpy --contexts 4 --size 1M\n"
	     "  capisim run --workload memcpy --afu memcpy-rtl --trace run.cxt\n"
	     "  capisim run --workload traffic --size 64K --seed 7\n"
	     "  capisim run --afu ~/my_afu --mode dedicated -- ./my_host_prog --iters 10\n"
	     "  capisim run --summary sum.txt -- ./prog_linked_against_ibm_libcxl\n"
	     "  capisim trace stats run.cxt; capisim replay run.cxt");
}

static int __attribute__((format(printf, 1, 2))) usage(const char *fmt, ...)
{
	va_list ap;

	fputs("capisim run: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; see 'capisim run --help'\n", stderr);
	return EXIT_USAGE;
}

int run_exe_path(const char *name, char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	if ((size_t)snprintf(buf, len, "%s/%s", exe, name) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

/* The option values that take one word from a fixed set, and numbers. */
static int check_opts(struct run *r)
{
	static const char *const modes[] = { "directed", "dedicated", NULL };
	static const char *const times[] = { "virtual", "wall", NULL };
	static const char *const levels[] = { "default", "verbose", "debug", NULL };
	enum log_level lvl;
	u64 v;

	if (r->key_opt[RK_MODE] && !one_of(r->key_opt[RK_MODE], modes))
		return usage("--mode '%s': expected directed or dedicated", r->key_opt[RK_MODE]);
	if (r->key_opt[RK_TIME] && !one_of(r->key_opt[RK_TIME], times))
		return usage("--time '%s': expected virtual or wall", r->key_opt[RK_TIME]);
	if (r->key_opt[RK_TRACE_LEVEL] && !one_of(r->key_opt[RK_TRACE_LEVEL], levels))
		return usage("--trace-level '%s': expected default, verbose or debug",
			     r->key_opt[RK_TRACE_LEVEL]);
	if (r->key_opt[RK_SEED] && cfg_parse_u64(r->key_opt[RK_SEED], &v))
		return usage("--seed '%s': expected a number", r->key_opt[RK_SEED]);
	if (r->log && log_parse_level(r->log, &lvl))
		return usage("--log '%s': expected err, warn, notice, info or debug", r->log);
	return 0;
}

static int parse_count(const char *opt, const char *arg, u64 *out)
{
	if (cfg_parse_u64(arg, out) || !*out || *out > UINT32_MAX) {
		fprintf(stderr, "capisim run: %s '%s': expected a number from 1 up; "
			"see 'capisim run --help'\n", opt, arg);
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_size(const char *arg, u64 *out)
{
	if (cfg_parse_u64(arg, out) || !*out) {
		fprintf(stderr, "capisim run: --size '%s': expected a byte count above 0, "
			"e.g. 4096, 64K or 64M; see 'capisim run --help'\n", arg);
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_workload_opt(struct run *r, int c, const char *arg)
{
	r->wl_opts = true;
	if (c == 'n')
		return parse_count("--contexts", arg, &r->contexts);
	if (c == 'j')
		return parse_count("--jobs", arg, &r->jobs);
	return parse_size(arg, &r->size);
}

static int parse_opts(struct run *r, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "afu", required_argument, NULL, RK_AFU },
		{ "mode", required_argument, NULL, RK_MODE },
		{ "timing", required_argument, NULL, RK_TIMING },
		{ "seed", required_argument, NULL, RK_SEED },
		{ "time", required_argument, NULL, RK_TIME },
		{ "config", required_argument, NULL, RK_CONFIG },
		{ "trace-level", required_argument, NULL, RK_TRACE_LEVEL },
		{ "trace", required_argument, NULL, 't' },
		{ "summary", required_argument, NULL, 's' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-file", required_argument, NULL, 'L' },
		{ "workload", required_argument, NULL, 'w' },
		{ "contexts", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 'z' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	/* 0: glibc reads the '+' of a new option string only when it starts afresh. */
	optind = 0;
	opterr = 0;
	/* '+': the first word that is not an option is the PROGRAM; its options are its own. */
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			r->trace = optarg;
			break;
		case 's':
			r->summary = optarg;
			break;
		case 'l':
			r->log = optarg;
			break;
		case 'L':
			r->log_file = optarg;
			break;
		case 'w':
			r->workload = optarg;
			break;
		case 'n':
		case 'z':
		case 'j':
			ret = parse_workload_opt(r, c, optarg);
			if (ret)
				return ret;
			break;
		case '?':
		case ':':
			return usage("unknown or incomplete option '%s'", argv[optind - 1]);
		default:
			r->key_opt[c] = optarg;
			break;
		}
	}
	r->prog = argv + optind;
	return check_opts(r);
}

/* Point r->prog at the workload binary and its arguments. */
static int setup_workload(struct run *r)
{
	static char bin[PATH_MAX];	/* r->prog[0] from here on */
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(workloads); i++)
		if (!strcmp(r->workload, workloads[i].name))
			break;
	if (i == ARRAY_SIZE(workloads))
		return usage("--workload '%s': expected memcpy or traffic", r->workload);
	if (!r->key_opt[RK_AFU])
		r->key_opt[RK_AFU] = workloads[i].afu;
	if (run_exe_path(WORKLOAD_BIN, bin, sizeof(bin)) || access(bin, X_OK)) {
		fprintf(stderr, "capisim run: the workloads are not built (no %s); run make\n",
			bin);
		return EXIT_FAILED;
	}
	snprintf(r->wl_num[0], sizeof(r->wl_num[0]), "%llu", (unsigned long long)r->contexts);
	snprintf(r->wl_num[1], sizeof(r->wl_num[1]), "%llu", (unsigned long long)r->size);
	snprintf(r->wl_num[2], sizeof(r->wl_num[2]), "%llu", (unsigned long long)r->jobs);
	r->wl_argv[n++] = bin;
	r->wl_argv[n++] = (char *)r->workload;
	r->wl_argv[n++] = "--contexts";
	r->wl_argv[n++] = r->wl_num[0];
	r->wl_argv[n++] = "--size";
	r->wl_argv[n++] = r->wl_num[1];
	r->wl_argv[n++] = "--jobs";
	r->wl_argv[n++] = r->wl_num[2];
	r->wl_argv[n] = NULL;
	r->prog = r->wl_argv;
	return 0;
}

static int check_program(struct run *r)
{
	if (r->workload && r->prog[0])
		return usage("give either --workload or a PROGRAM, not both (found '%s')",
			     r->prog[0]);
	if (r->workload)
		return setup_workload(r);
	if (r->wl_opts)
		return usage("--contexts, --size and --jobs apply to --workload only");
	if (!r->prog[0])
		return usage("expected a PROGRAM to run (after --) or --workload NAME");
	return 0;
}

/* A file the machine will read must be readable now; its absolute path in @abs[PATH_MAX]. */
static int readable(const char *opt, const char *path, char *abs)
{
	if (access(path, R_OK) || !realpath(path, abs)) {
		fprintf(stderr, "capisim run: %s %s: %s\n", opt, path, strerror(errno));
		return EXIT_FAILED;
	}
	return 0;
}

/* Build the AFU in directory @dir with 'capisim afu build' into the run's own directory. */
static int build_afu(struct run *r, const char *dir)
{
	/* Options first: getopt may still be in this command's stop-at-the-first-word mode. */
	char *argv[] = { "afu", "build", "-o", r->afu_so, (char *)dir, NULL };

	snprintf(r->afu_so, sizeof(r->afu_so), "%.*s/afu.so", (int)sizeof(r->tmpdir), r->tmpdir);
	fprintf(stderr, "capisim run: building the AFU in %s\n", dir);
	if (cmd_afu(ARRAY_SIZE(argv) - 1, argv)) {
		fprintf(stderr, "capisim run: the AFU in %s did not build (the build's messages "
			"are above); 'capisim afu build %s' shows them again\n", dir, dir);
		r->afu_so[0] = '\0';
		return EXIT_FAILED;
	}
	return 0;
}

/*
 * The value of CAPISIM_AFU for --afu @afu: a built-in name or a plug-in's
 * path, in @out[PATH_MAX].
 */
static int resolve_afu(struct run *r, const char *afu, char *out)
{
	struct stat st;

	if (!stat(afu, &st) && S_ISDIR(st.st_mode)) {
		if (build_afu(r, afu))
			return EXIT_FAILED;
		memcpy(out, r->afu_so, PATH_MAX);
		return 0;
	}
	if (!strcmp(afu, "memcpy-rtl")) {
		if (run_exe_path("afu/memcpy-rtl.so", out, PATH_MAX) || access(out, R_OK)) {
			fprintf(stderr, "capisim run: --afu memcpy-rtl: %s is not built; "
				"run make rtl\n", out);
			return EXIT_FAILED;
		}
		return 0;
	}
	if (strchr(afu, '/') || strstr(afu, ".so"))
		return readable("--afu", afu, out);
	snprintf(out, PATH_MAX, "%s", afu);
	return 0;
}

/* @v in [run]'s vocabulary when it came from the environment. */
static const char *record_value(unsigned int k, const char *v)
{
	if (k == RK_TIME && !strcmp(v, "lockstep"))
		return "virtual";
	if (k == RK_TIME && !strcmp(v, "free"))
		return "wall";
	return v;
}

static void ini_value(FILE *f, const char *key, const char *v)
{
	fprintf(f, "%s = \"", key);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fputc('\\', f);
		fputc(*v == '\n' ? ' ' : *v, f);
	}
	fputs("\"\n", f);
}

/*
 * The [run] section the machine copies into the trace header: what ran
 * and every machine key as this run set it, so replay can set it again.
 */
static char *run_info(const struct run *r, const char *const *vals)
{
	char *text = NULL;
	size_t len;
	unsigned int k;
	FILE *f = open_memstream(&text, &len);
	char **a;

	if (!f)
		return NULL;
	fputs("[run]\n", f);
	if (r->workload) {
		ini_value(f, "workload", r->workload);
		fprintf(f, "contexts = %llu\nsize = %llu\njobs = %llu\n",
			(unsigned long long)r->contexts, (unsigned long long)r->size,
			(unsigned long long)r->jobs);
	} else {
		ini_value(f, "program", r->prog[0]);
		fputs("args = \"", f);
		for (a = r->prog + 1; *a; a++)
			fprintf(f, "%s%s", a == r->prog + 1 ? "" : " ", *a);
		fputs("\"\n", f);
	}
	for (k = 0; k < RK_NR; k++)
		if (vals[k])
			ini_value(f, run_keys[k].key, record_value(k, vals[k]));
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

static int set(const char *var, const char *val)
{
	if (!setenv(var, val, 1))
		return 0;
	fprintf(stderr, "capisim run: setenv %s: %s\n", var, strerror(errno));
	return EXIT_FAILED;
}

/* LD_LIBRARY_PATH with the build's lib/ first, where libcxl.so.1 is. */
static int set_library_path(void)
{
	const char *old = getenv("LD_LIBRARY_PATH");
	char lib[PATH_MAX], *v;
	int ret;

	if (run_exe_path("lib", lib, sizeof(lib)))
		return EXIT_FAILED;
	if (asprintf(&v, "%s%s%s", lib, old && *old ? ":" : "", old && *old ? old : "") < 0)
		return EXIT_FAILED;
	ret = set("LD_LIBRARY_PATH", v);
	free(v);
	return ret;
}

/* One machine key: the option's value as the machine takes it, in @buf[PATH_MAX]. */
static int machine_value(struct run *r, unsigned int k, char *buf)
{
	const char *v = r->key_opt[k];

	switch (k) {
	case RK_AFU:
		return resolve_afu(r, v, buf);
	case RK_TIMING:
	case RK_CONFIG:
		return readable(run_keys[k].opt, v, buf);
	case RK_TIME:
		snprintf(buf, PATH_MAX, "%s", strcmp(v, "wall") ? "lockstep" : "free");
		return 0;
	default:
		snprintf(buf, PATH_MAX, "%s", v);
		return 0;
	}
}

/*
 * How [run] records option @k: files and AFU directories by absolute
 * path (replay may run elsewhere), names as given; in @abs[PATH_MAX].
 */
static const char *record_opt(const struct run *r, unsigned int k, const char *val, char *abs)
{
	const char *v = r->key_opt[k];

	if (k == RK_TIMING || k == RK_CONFIG)
		return val;
	if (k == RK_AFU && (strchr(v, '/') || strstr(v, ".so") || r->afu_so[0]) &&
	    realpath(v, abs))
		return abs;
	return v;
}

/* Every CAPISIM_* variable of the contract, and the [run] record of them. */
static int set_environment(struct run *r)
{
	/* Static: 72 KiB; one run per process. */
	static char vals[RK_NR][PATH_MAX], abs[RK_NR][PATH_MAX];
	const char *rec[RK_NR];
	unsigned int k;
	char *info;
	int ret;

	for (k = 0; k < RK_NR; k++) {
		rec[k] = getenv(run_keys[k].env);
		if (!r->key_opt[k])
			continue;
		ret = machine_value(r, k, vals[k]);
		if (ret || (ret = set(run_keys[k].env, vals[k])))
			return ret;
		rec[k] = record_opt(r, k, vals[k], abs[k]);
	}
	if ((r->trace && (ret = set("CAPISIM_TRACE", r->trace))) ||
	    (r->log && (ret = set("CAPISIM_LOG", r->log))) ||
	    (r->log_file && (ret = set("CAPISIM_LOG_FILE", r->log_file))) ||
	    (ret = set("CAPISIM_STATUS", r->status_path)) || (ret = set_library_path()))
		return ret;
	info = run_info(r, rec);
	if (!info)
		return EXIT_FAILED;
	ret = set("CAPISIM_RUN_INFO", info);
	free(info);
	return ret;
}

/* In the child: no randomisation, default signals, then the program; errno to @fd. */
static void child(struct run *r, int fd)
{
	int pers = personality(0xffffffff);
	int err;

	if (pers != -1)
		personality(pers | ADDR_NO_RANDOMIZE);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	execvp(r->prog[0], r->prog);
	err = errno;
	if (write(fd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Run the program and wait for it; its wait status in @wstatus.  The
 * terminal's ^C goes to the program; capisim run waits for it to end.
 */
static int spawn(struct run *r, int *wstatus)
{
	int pipefd[2], err = 0;
	double t0 = now_s();
	pid_t pid;
	ssize_t n;

	if (pipe2(pipefd, O_CLOEXEC)) {
		fprintf(stderr, "capisim run: pipe: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	fflush(NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	pid = fork();
	if (!pid)
		child(r, pipefd[1]);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		fprintf(stderr, "capisim run: fork: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	n = read(pipefd[0], &err, sizeof(err));
	close(pipefd[0]);
	while (waitpid(pid, wstatus, 0) < 0 && errno == EINTR)
		;
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	r->wall_s = now_s() - t0;
	if (n == sizeof(err)) {
		fprintf(stderr, "capisim run: %s: %s\n", r->prog[0],
			err == ENOENT ? "program not found" : strerror(err));
		return EXIT_FAILED;
	}
	return 0;
}

/* ---- The status file ---- */

static int status_cmd(struct run_status *st, const char *name, u64 n)
{
	struct cmd_count *c;

	if (strlen(name) >= sizeof(c->name))
		return -EINVAL;
	c = realloc(st->cmds, (st->nr_cmds + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	st->cmds = c;
	c += st->nr_cmds++;
	strcpy(c->name, name);
	c->n = n;
	return 0;
}

static int status_line(struct run_status *st, const char *key, const char *val)
{
	unsigned int i;
	u64 v;

	if (!strcmp(key, "trace")) {
		snprintf(st->trace, sizeof(st->trace), "%s", val);
		return 0;
	}
	if (!strcmp(key, "verdict")) {
		snprintf(st->verdict, sizeof(st->verdict), "%s", val);
		return 0;
	}
	if (!strcmp(key, "problem")) {
		snprintf(st->problem, sizeof(st->problem), "%s", val);
		return 0;
	}
	if (cfg_parse_u64(val, &v))
		return -EINVAL;
	if (!strncmp(key, "cmd.", 4))
		return status_cmd(st, key + 4, v);
	for (i = 0; i < ST_NR; i++)
		if (!strcmp(key, stat_keys[i]))
			st->v[i] = v;
	/* Keys a newer machine adds are skipped. */
	return 0;
}

/*
 * Read the status file: 1 read, 0 absent (the machine never booted), or
 * -EINVAL for a malformed file.
 */
static int status_read(const char *path, struct run_status *st)
{
	char line[PATH_MAX + 64], *val;
	unsigned int nr = 0;
	FILE *f = fopen(path, "r");
	int ret = 1;

	memset(st, 0, sizeof(*st));
	snprintf(st->trace, sizeof(st->trace), "-");
	if (!f)
		return 0;
	while (ret > 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!nr++) {
			ret = strcmp(line, STATUS_MAGIC) ? -EINVAL : 1;
			continue;
		}
		val = strchr(line, ' ');
		if (!val) {
			ret = -EINVAL;
			continue;
		}
		*val++ = '\0';
		if (status_line(st, line, val))
			ret = -EINVAL;
	}
	fclose(f);
	if (ret > 0 && !st->verdict[0])
		ret = nr ? -EINVAL : 0;
	if (ret < 0)
		fprintf(stderr, "capisim run: %s: the machine's status is malformed at line %u\n",
			path, nr);
	return ret;
}

/* ---- The summary ---- */

static const char *bytes_str(u64 b, char *buf, size_t len)
{
	if (b < 10240)
		snprintf(buf, len, "%llu bytes", (unsigned long long)b);
	else if (b < (10ULL << 20))
		snprintf(buf, len, "%.1f KiB", b / 1024.0);
	else
		snprintf(buf, len, "%.1f MiB", b / 1048576.0);
	return buf;
}

static void print_commands(FILE *f, const struct run_status *st)
{
	unsigned int i, col;
	u64 total = 0;
	int n;

	for (i = 0; i < st->nr_cmds; i++)
		total += st->cmds[i].n;
	n = fprintf(f, "  %-18s%llu", "commands", (unsigned long long)total);
	col = n > 0 ? n : 0;
	/* "N: name n, name n, ...", continued on lines of their own under the values. */
	for (i = 0; i < st->nr_cmds; i++) {
		char item[64];
		int w = snprintf(item, sizeof(item), "%s %llu", st->cmds[i].name,
				 (unsigned long long)st->cmds[i].n);

		fputc(i ? ',' : ':', f);
		if (col + 2 + w > 92) {
			fprintf(f, "\n%20s", "");
			col = 20;
		} else {
			fputc(' ', f);
			col += 2;
		}
		col += fprintf(f, "%s", item);
	}
	fputc('\n', f);
}

static void print_times(FILE *f, const struct run *r, const struct run_status *st)
{
	u64 sim = st->v[ST_SIM_TIME], wall = st->v[ST_WALL];
	char a[32], b[32];
	double ratio;

	fprintf(f, "  %-18s%s\n", "simulated time", tt_dur_str(sim, a, sizeof(a)));
	fprintf(f, "  %-18s%.3f s (the machine ran %.3f s of it)\n", "wall time", r->wall_s,
		wall / 1e9);
	if (!sim || !wall)
		return;
	/*
	 * ps simulated per wall second = sim / (wall / 1e9).  Idle simulated
	 * time (sleeps, time-outs) costs nothing, so a run can be ahead of the hardware.
	 */
	ratio = (double)wall * 1000 / sim;
	fprintf(f, "  %-18s%s simulated per wall second (%.*fx %s than the hardware)\n",
		"speed", tt_dur_str((u64)((double)sim * 1e9 / wall), b, sizeof(b)),
		ratio < 1 ? 1 : 0, ratio < 1 ? 1 / ratio : ratio, ratio < 1 ? "faster" : "slower");
}

/* @replayable: the run was a workload, whose trace `capisim replay` can re-run. */
static void print_trace(FILE *f, const char *t, bool replayable)
{
	size_t n = strlen(t);
	int stem = n > 4 && !strcmp(t + n - 4, ".cxt") ? (int)n - 4 : (int)n;

	if (!strcmp(t, "-"))
		return;
	fprintf(f, "  %-18s%s, to read with:\n", "trace", t);
	fprintf(f, "    capisim trace dump %s | less       every event, one per line\n", t);
	fprintf(f, "    capisim trace stats %s             counts and latency histograms\n", t);
	fprintf(f, "    capisim trace perfetto %s          writes %.*s.json: open it in "
		"https://ui.perfetto.dev\n", t, stem, t);
	fprintf(f, "    capisim trace fst %s               writes %.*s.fst: gtkwave %.*s.fst\n",
		t, stem, t, stem, t);
	if (replayable)
		fprintf(f, "    capisim replay %s                  runs it again and compares\n", t);
}

static void print_summary(FILE *f, const struct run *r, const struct run_status *st)
{
	const u64 *v = st->v;
	char a[32], b[32];

	fprintf(f, "capisim run: summary\n");
	fprintf(f, "  %-18s%llu in %llu process%s\n", "contexts",
		(unsigned long long)v[ST_CONTEXTS], (unsigned long long)v[ST_PROCESSES],
		v[ST_PROCESSES] == 1 ? "" : "es");
	print_commands(f, st);
	fprintf(f, "  %-18s%s read from host memory, %s written to it\n", "bytes moved",
		bytes_str(v[ST_BYTES_READ], a, sizeof(a)),
		bytes_str(v[ST_BYTES_WRITTEN], b, sizeof(b)));
	fprintf(f, "  %-18s%llu segment, %llu page, %llu address error\n", "faults served",
		(unsigned long long)v[ST_FAULTS_SEGMENT], (unsigned long long)v[ST_FAULTS_PAGE],
		(unsigned long long)v[ST_FAULTS_AE]);
	fprintf(f, "  %-18s%llu AFU, %llu PSL error, %llu slice error\n", "interrupts",
		(unsigned long long)v[ST_IRQ_AFU], (unsigned long long)v[ST_IRQ_PSL_ERROR],
		(unsigned long long)v[ST_IRQ_SLICE_ERROR]);
	fprintf(f, "  %-18s%llu AFU\n", "errors", (unsigned long long)v[ST_ERRORS_AFU]);
	fprintf(f, "  %-18s%llu warnings, %llu bugs, %llu lock reports, %s\n", "driver",
		(unsigned long long)v[ST_WARNINGS], (unsigned long long)v[ST_BUGS],
		(unsigned long long)v[ST_LOCK_REPORTS],
		v[ST_DEADLOCK] ? "DEADLOCK" : "no deadlock");
	print_times(f, r, st);
	if (st->problem[0])
		fprintf(f, "  %-18s%s\n", "problem", st->problem);
	fprintf(f, "  %-18s%s\n", "verdict", st->verdict);
	print_trace(f, st->trace, r->workload);
}

/* Why the verdict is "failed", in one line. */
static void print_failure(const struct run_status *st)
{
	const u64 *v = st->v;

	if (st->problem[0]) {
		fprintf(stderr, "capisim run: the run failed: %s\n", st->problem);
		return;
	}
	fprintf(stderr, "capisim run: the run failed: %llu driver warnings, %llu driver bugs, "
		"%llu lock reports%s (the machine's log above tells where)\n",
		(unsigned long long)v[ST_WARNINGS], (unsigned long long)v[ST_BUGS],
		(unsigned long long)v[ST_LOCK_REPORTS], v[ST_DEADLOCK] ? ", a deadlock" : "");
}

/* What the run ends with: the summary, then the exit status. */
static int finish(struct run *r, int wstatus, FILE *sum)
{
	struct run_status st;
	int have = status_read(r->status_path, &st), ret;

	if (have > 0)
		print_summary(sum, r, &st);
	if (WIFSIGNALED(wstatus)) {
		fprintf(stderr, "capisim run: %s was killed by signal %d (%s)\n", r->prog[0],
			WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
		ret = EXIT_FAILED;
	} else if (!have) {
		fprintf(stderr, "capisim run: %s never called libcxl — is it linked with -lcxl "
			"(or against libcxl.so.1)?\n", r->prog[0]);
		ret = EXIT_FAILED;
	} else if (have < 0) {
		ret = EXIT_FAILED;
	} else if (strcmp(st.verdict, "ok")) {
		print_failure(&st);
		ret = EXIT_FAILED;
	} else {
		ret = WEXITSTATUS(wstatus);
	}
	free(st.cmds);
	return ret;
}

static void cleanup(struct run *r)
{
	if (!r->tmpdir[0])
		return;
	unlink(r->status_path);
	if (r->afu_so[0])
		unlink(r->afu_so);
	rmdir(r->tmpdir);
}

static int make_tmpdir(struct run *r)
{
	const char *t = getenv("TMPDIR");

	snprintf(r->tmpdir, sizeof(r->tmpdir), "%s/capisim-run.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(r->tmpdir)) {
		fprintf(stderr, "capisim run: mkdtemp %s: %s\n", r->tmpdir, strerror(errno));
		r->tmpdir[0] = '\0';
		return EXIT_FAILED;
	}
	snprintf(r->status_path, sizeof(r->status_path), "%.*s/status",
		 (int)sizeof(r->tmpdir), r->tmpdir);
	return 0;
}

static int run_in(struct run *r, FILE *sum)
{
	int ret, wstatus = 0;

	ret = make_tmpdir(r);
	if (!ret)
		ret = set_environment(r);
	if (!ret)
		ret = spawn(r, &wstatus);
	if (!ret)
		ret = finish(r, wstatus, sum);
	cleanup(r);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct run r = { .contexts = 1, .size = 256 << 10, .jobs = 4 };
	FILE *sum = stderr;
	int ret;

	ret = parse_opts(&r, argc, argv);
	if (!ret)
		ret = check_program(&r);
	if (ret)
		return ret;
	if (r.summary) {
		sum = fopen(r.summary, "w");
		if (!sum) {
			fprintf(stderr, "capisim run: --summary %s: %s\n", r.summary,
				strerror(errno));
			return EXIT_FAILED;
		}
	}
	ret = run_in(&r, sum);
	if (sum != stderr && fclose(sum)) {
		fprintf(stderr, "capisim run: --summary %s: %s\n", r.summary, strerror(errno));
		ret = ret ? ret : EXIT_FAILED;
	}
	return ret;
}
