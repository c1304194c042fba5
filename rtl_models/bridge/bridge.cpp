// SPDX-License-Identifier: GPL-2.0
/*
 * The Verilator bridge: a verilated `module afu` (class Vafu, whatever
 * the top's name) as a capisim AFU plug-in.  Written once against the
 * standard CAPI 1.0 port list (ports.txt); afu-build.sh checks that the
 * top has exactly those ports and compiles this file next to the model.
 *
 * Compile-time settings (from afu-build.sh):
 *	CAPISIM_AFU_NAME	the plug-in's name, a string
 *	VM_TRACE_FST		1 when built with --trace: "trace=FILE.fst" works
 *
 * One tick is one PSL clock: inputs change, ha_pclock falls (the model
 * settles; a waveform shows the new inputs half a cycle before the edge
 * that samples them), ha_pclock rises, and the outputs are read after
 * the rising edge.  So an output registered at the edge that samples a
 * request is in the @out of the same tick, as afu.h's timing rule wants
 * (ah_brlat 1: data registered on the edge that samples ha_brvalid).
 */
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "verilated.h"
#if VM_TRACE_FST
#include "verilated_fst_c.h"
#endif
#include "Vafu.h"

extern "C" {
#define pr_fmt(fmt) "afu-rtl: " fmt
#include "afu/afu.h"
#include "core/log.h"
}

#ifndef CAPISIM_AFU_NAME
#error "afu-build.sh defines CAPISIM_AFU_NAME"
#endif

/*
 * capisim's logger when the host program exports it (linked with
 * -rdynamic); otherwise lines go to stderr with the same prefix.
 */
extern "C" void log_printf(enum log_level level, const char *fmt, ...) __attribute__((weak));

extern "C" const struct afu_ops capisim_afu_ops;

/* Half a 250 MHz PSL cycle, in picoseconds. */
#define HALF_CYCLE_PS 2000
/* A $write line longer than this is logged in pieces. */
#define VL_LINE_MAX 1024

struct rtl_afu {
	struct afu afu;
	VerilatedContext *ctx;
	Vafu *top;
#if VM_TRACE_FST
	VerilatedFstC *fst;
#endif
	u64 half_units;		/* half a cycle in the model's time precision */
	bool finished;		/* $finish, $stop or a fatal error: model frozen */
	size_t line_len;
	char line[VL_LINE_MAX];	/* $write output not yet ended by a newline */
};

static struct rtl_afu *to_rtl(struct afu *afu)
{
	return container_of(afu, struct rtl_afu, afu);
}

/*
 * The instance whose model is running, so that Verilator's printing and
 * $finish know whom to blame.  Set around every eval by the thread that
 * ticks; one per thread, as Verilator's own current-context pointer.
 */
static thread_local struct rtl_afu *vl_current;

static void afu_log(const struct rtl_afu *ra, enum log_level level, const char *msg)
{
	const char *who = ra ? ra->afu.instance : CAPISIM_AFU_NAME;

	if (log_printf)
		log_printf(level, "afu %s: %s\n", who, msg);
	else
		fprintf(stderr, "afu %s: %s\n", who, msg);
}

static void line_flush(struct rtl_afu *ra)
{
	ra->line[ra->line_len] = '\0';
	afu_log(ra, LOG_INFO, ra->line);
	ra->line_len = 0;
}

/* Verilator's output ($display, $write, its own messages), a log line per line. */
void capisim_vl_printf(const char *fmt, ...)
{
	struct rtl_afu *ra = vl_current;
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (!ra) {
		afu_log(NULL, LOG_INFO, text);
		free(text);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (text[i] == '\n') {
			line_flush(ra);
			continue;
		}
		ra->line[ra->line_len++] = text[i];
		if (ra->line_len == VL_LINE_MAX - 1)
			line_flush(ra);
	}
	free(text);
}

static void vl_end(const char *what, const char *filename, int linenum)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s at %s:%d: the model stops here, its outputs stay idle",
		 what, filename && filename[0] ? filename : "?", linenum);
	afu_log(vl_current, LOG_ERR, msg);
	Verilated::threadContextp()->gotFinish(true);
}

void vl_finish(const char *filename, int linenum, const char *hier)
{
	vl_end("$finish", filename, linenum);
}

void vl_stop(const char *filename, int linenum, const char *hier)
{
	vl_end("$stop", filename, linenum);
}

void vl_fatal(const char *filename, int linenum, const char *hier, const char *msg)
{
	std::string what = std::string("fatal: ") + msg;

	vl_end(what.c_str(), filename, linenum);
}

/*
 * Byte k of a half line is bits [8k:8k+7] of the [0:511] vector, so
 * VlWide word i (the value's bits 32i+31..32i) holds bytes 60-4i..63-4i
 * as a big-endian word: word 15 is bytes 0..3.
 */
static void bytes_to_wide(const u8 *b, VlWide<16> &w)
{
	for (int i = 0; i < 16; i++) {
		u32 v;

		memcpy(&v, b + 60 - 4 * i, 4);
		w[i] = __builtin_bswap32(v);
	}
}

static void wide_to_bytes(const VlWide<16> &w, u8 *b)
{
	for (int i = 0; i < 16; i++) {
		u32 v = __builtin_bswap32(w[i]);

		memcpy(b + 60 - 4 * i, &v, 4);
	}
}

static void set_inputs(Vafu *t, const struct afu_in *in)
{
	t->ha_jval = in->jval;
	t->ha_jcom = in->jcom;
	t->ha_jcompar = in->jcompar;
	t->ha_jea = in->jea;
	t->ha_jeapar = in->jeapar;
	t->ha_mmval = in->mmval;
	t->ha_mmcfg = in->mmcfg;
	t->ha_mmrnw = in->mmrnw;
	t->ha_mmdw = in->mmdw;
	t->ha_mmad = in->mmad & 0xffffff;
	t->ha_mmadpar = in->mmadpar;
	t->ha_mmdata = in->mmdata;
	t->ha_mmdatapar = in->mmdatapar;
	t->ha_croom = in->croom;
	t->ha_brvalid = in->brvalid;
	t->ha_brtag = in->brtag;
	t->ha_brtagpar = in->brtagpar;
	t->ha_brad = in->brad & 0x3f;
	t->ha_bwvalid = in->bwvalid;
	t->ha_bwtag = in->bwtag;
	t->ha_bwtagpar = in->bwtagpar;
	t->ha_bwad = in->bwad & 0x3f;
	bytes_to_wide(in->bwdata, t->ha_bwdata);
	t->ha_bwpar = in->bwpar;
	t->ha_rvalid = in->rvalid;
	t->ha_rtag = in->rtag;
	t->ha_rtagpar = in->rtagpar;
	t->ha_response = in->response;
	t->ha_rcredits = (u16)in->rcredits & 0x1ff;
	t->ha_rcachestate = in->rcachestate & 0x3;
	t->ha_rcachepos = in->rcachepos & 0x1fff;
}

static void get_outputs(const Vafu *t, struct afu_out *out)
{
	out->jrunning = t->ah_jrunning;
	out->jdone = t->ah_jdone;
	out->jcack = t->ah_jcack;
	out->jerror = t->ah_jerror;
	out->jyield = t->ah_jyield;
	out->tbreq = t->ah_tbreq;
	out->paren = t->ah_paren;
	out->mmack = t->ah_mmack;
	out->mmdata = t->ah_mmdata;
	out->mmdatapar = t->ah_mmdatapar;
	out->cvalid = t->ah_cvalid;
	out->ctag = t->ah_ctag;
	out->ctagpar = t->ah_ctagpar;
	out->com = t->ah_com;
	out->compar = t->ah_compar;
	out->cabt = t->ah_cabt;
	out->cea = t->ah_cea;
	out->ceapar = t->ah_ceapar;
	out->cch = t->ah_cch;
	out->csize = t->ah_csize;
	out->brlat = t->ah_brlat;
	wide_to_bytes(t->ah_brdata, out->brdata);
	out->brpar = t->ah_brpar;
}

static void eval_half(struct rtl_afu *ra, int clock)
{
	ra->top->ha_pclock = clock;
	ra->top->eval();
	ra->ctx->time(ra->ctx->time() + ra->half_units);
#if VM_TRACE_FST
	if (ra->fst)
		ra->fst->dump(ra->ctx->time());
#endif
	if (ra->ctx->gotFinish())
		ra->finished = true;
}

static void rtl_tick(struct afu *afu, const struct afu_in *in, struct afu_out *out)
{
	struct rtl_afu *ra = to_rtl(afu);

	if (ra->finished) {
		memset(out, 0, sizeof(*out));
		return;
	}
	vl_current = ra;
	set_inputs(ra->top, in);
	eval_half(ra, 0);
	eval_half(ra, 1);
	get_outputs(ra->top, out);
	vl_current = NULL;
}

/* Half a PSL cycle in units of the model's time precision (10^prec s). */
static u64 half_cycle_units(int prec)
{
	u64 half = HALF_CYCLE_PS;

	for (int p = -12; p < prec && half > 1; p++)
		half /= 10;
	return half;
}

/* Options: "trace=FILE.fst", separated by commas; NULL or "" for none. */
static int parse_options(struct rtl_afu *ra, const char *options, std::string *trace)
{
	std::string opts = options ? options : "";
	size_t pos = 0;

	while (pos < opts.size()) {
		size_t end = opts.find(',', pos);
		std::string kv = opts.substr(pos, end == std::string::npos ? end : end - pos);

		pos = end == std::string::npos ? opts.size() : end + 1;
		if (kv.empty())
			continue;
		if (kv.compare(0, 6, "trace=") == 0 && kv.size() > 6) {
			*trace = kv.substr(6);
			continue;
		}
		afu_log(ra, LOG_ERR, ("unknown option '" + kv + "' (known: trace=FILE.fst)").c_str());
		return -EINVAL;
	}
#if !VM_TRACE_FST
	if (!trace->empty()) {
		afu_log(ra, LOG_ERR, "trace= asked, but this plug-in was built without --trace");
		return -EINVAL;
	}
#endif
	return 0;
}

/* Open the waveform; called before the first eval, as Verilator requires. */
static int open_trace(struct rtl_afu *ra, const std::string &path)
{
#if VM_TRACE_FST
	ra->fst = new VerilatedFstC;
	ra->top->trace(ra->fst, 99);
	ra->fst->open(path.c_str());
	if (ra->fst->isOpen())
		return 0;
	afu_log(ra, LOG_ERR, ("cannot open trace file " + path).c_str());
	delete ra->fst;
	ra->fst = NULL;
#endif
	return -EIO;
}

static void rtl_free(struct rtl_afu *ra)
{
	if (ra->line_len)
		line_flush(ra);
	delete ra->top;
	delete ra->ctx;
	delete ra;
}

static struct afu *rtl_create(const char *instance, u64 seed, const char *options)
{
	struct rtl_afu *ra = new (std::nothrow) struct rtl_afu();
	std::string trace;
	u32 s = seed ^ (seed >> 32);

	if (!ra)
		return NULL;
	ra->afu.ops = &capisim_afu_ops;
	snprintf(ra->afu.instance, sizeof(ra->afu.instance), "%s",
		 instance && instance[0] ? instance : CAPISIM_AFU_NAME);
	if (parse_options(ra, options, &trace)) {
		delete ra;
		return NULL;
	}
	vl_current = ra;
	ra->ctx = new VerilatedContext;
	ra->ctx->randReset(0);			/* registers start at 0 */
	ra->ctx->randSeed(s ? s : 1);		/* $random follows the run's seed */
	ra->ctx->fatalOnError(false);
	if (!trace.empty())
		ra->ctx->traceEverOn(true);
	ra->top = new Vafu(ra->ctx, "TOP");
	ra->half_units = half_cycle_units(ra->ctx->timeprecision());
	if (!trace.empty() && open_trace(ra, trace)) {
		vl_current = NULL;
		rtl_free(ra);
		return NULL;
	}
	ra->top->ha_pclock = 0;
	ra->top->eval();
	vl_current = NULL;
	return &ra->afu;
}

static void rtl_destroy(struct afu *afu)
{
	struct rtl_afu *ra;

	if (!afu)
		return;
	ra = to_rtl(afu);
	vl_current = ra;
	ra->top->final();
#if VM_TRACE_FST
	if (ra->fst) {
		ra->fst->close();
		delete ra->fst;
	}
#endif
	vl_current = NULL;
	rtl_free(ra);
}

extern "C" const struct afu_ops capisim_afu_ops = {
	AFU_ABI_VERSION,
	CAPISIM_AFU_NAME,
	rtl_create,
	rtl_destroy,
	rtl_tick,
	NULL,	/* idle: the clock may stop whenever ah_jrunning is low */
};
