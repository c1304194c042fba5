// SPDX-License-Identifier: GPL-2.0
/*
 * The traffic AFU: a seeded random mix of every CAPI 1.0 command against
 * a region it owns, each response and each byte read checked against a
 * shadow copy (afu/traffic.h, docs/afu-guide.md).  The stress and
 * fault-campaign workhorse: whatever the PSL (or an injected fault) does
 * wrong to its data or responses shows up in its status.
 *
 * Deterministic: the random stream is derived from the seed and the
 * instance name and restarted by every START, and it is consumed only
 * when a command is generated, so the same seed against the same PSL
 * gives the same run.
 *
 * At most one command per line is outstanding (a line is busy from issue
 * to final response), so the expected data and response of each command
 * follow from the shadow alone, whatever order the responses come in.
 * Lock and reservation sequences run one at a time; their line stays
 * busy from the first command to the closing one.
 */
#define pr_fmt(fmt) "afu-traffic: " fmt

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "afu/port.h"
#include "afu/traffic.h"
#include "core/log.h"
#include "core/rng.h"

#define MAX_REGION	(64ULL << 20)
#define LINE_TRIES	8	/* busy lines skipped before giving up a cycle */

enum tr_phase {
	TR_OFF,			/* not running */
	TR_FETCH,		/* reading the parameter block */
	TR_INIT,		/* writing the region with seeded data */
	TR_RUN,			/* the random mix */
	TR_VERIFY,		/* reading the region back */
	TR_REPORT,		/* writing the result words */
	TR_IRQ,
};

enum tr_rec {
	TR_REC_NONE,
	TR_REC_DRAIN,		/* PAGED/FLUSHED or a stop: wait for the rest */
	TR_REC_RESTART,		/* restart sent */
};

/* Lock and reservation sequences, one at a time. */
enum tr_seq {
	SEQ_NONE,
	SEQ_LOCKING,		/* read_cl_lck or lock in flight */
	SEQ_LOCKED,		/* to be closed by write_unlock or unlock */
	SEQ_UNLOCKING,
	SEQ_RESERVING,		/* read_cl_res in flight */
	SEQ_RESERVED,		/* to be closed by write_c */
	SEQ_WRITEC,		/* write_c in flight (closing, or alone expecting NRES) */
};

enum tr_kind {
	K_PARAMS,
	K_INIT,
	K_CMD,
	K_VERIFY,
	K_REPORT,
	K_IRQ,
	K_RESTART,
};

/* What a K_CMD does when it completes (tag arg bits 8:15). */
#define A_READ		0x01	/* compare read data with the shadow */
#define A_WRITE		0x02	/* update the shadow */
#define A_LINE		0x04	/* holds its line busy */
#define A_LOCK		0x08	/* opens a lock sequence */
#define A_UNLOCK	0x10	/* closes it */
#define A_RES		0x20	/* opens a reservation sequence */
#define A_WRITEC	0x40	/* closes it, or stands alone */

#define CMD_ARG(expect, act, line)	((u64)(expect) | (u64)(act) << 8 | (u64)(line) << 32)
#define ARG_EXPECT(arg)			((u8)(arg))
#define ARG_ACT(arg)			((u8)((arg) >> 8))
#define ARG_LINE(arg)			((u32)((arg) >> 32))

/* One traffic AFU; its tick owns all of it. */
struct tr {
	struct afu afu;
	struct afu_port port;
	struct afu_desc desc;
	struct rng rng;
	u64 seed;
	bool out_of_reset;
	bool running;
	bool illegal;		/* include commands that must fail */
	bool verify;		/* read the region back at the end */
	enum tr_phase phase;
	enum tr_rec rec;
	enum tr_seq seq;
	u32 seq_line;
	struct afu_tag *rtag;	/* reserved for restart */
	struct afu_tag *reissue;
	u32 busy;		/* commands outstanding, restart not counted */
	/* The parameter block */
	u64 wed, base, size, ncmds;
	u32 flags;
	u16 lisn;
	/* The region */
	u8 *shadow;
	u8 *line_busy;
	u32 nlines;
	u32 init_next, init_done;
	u32 verify_next, verify_done;
	/* Progress and findings */
	u64 issued, completed;
	u64 data_mm, resp_mm, first_bad;
	u8 why;			/* TRAFFIC_WHY_* */
	bool report_lost;	/* the parameter block failed: no report */
	u8 stop_resp;
	u16 stop_com;
};

static const u8 cabts[] = {
	AFU_CABT_STRICT, AFU_CABT_ABORT, AFU_CABT_PAGE, AFU_CABT_PREF, AFU_CABT_SPEC,
};
static const u16 reads[] = {
	AFU_CMD_READ_CL_S, AFU_CMD_READ_CL_M, AFU_CMD_READ_CL_NA, AFU_CMD_READ_PNA,
};
static const u16 writes[] = {
	AFU_CMD_WRITE_MI, AFU_CMD_WRITE_MS, AFU_CMD_WRITE_NA, AFU_CMD_WRITE_INJ,
};
static const u16 line_ops[] = {
	AFU_CMD_TOUCH_I, AFU_CMD_TOUCH_S, AFU_CMD_TOUCH_M, AFU_CMD_PUSH_I,
	AFU_CMD_PUSH_S, AFU_CMD_EVICT_I, AFU_CMD_FLUSH,
};
/* Codes no PSL8 accepts: zero_m (CAIA 2), read_pe (PSLSE only), nothing. */
static const u16 unknown_coms[] = { 0x1260, 0x0A52, 0x1FFF };
static const u16 bad_sizes[] = { 0, 3, 129, 256 };

static const char *const phase_names[] = {
	[TR_OFF] = "off", [TR_FETCH] = "fetch", [TR_INIT] = "init", [TR_RUN] = "run",
	[TR_VERIFY] = "verify", [TR_REPORT] = "report", [TR_IRQ] = "irq",
};

static void set_phase(struct tr *t, enum tr_phase p)
{
	pr_debug("%s: %s -> %s\n", t->afu.instance, phase_names[t->phase], phase_names[p]);
	t->phase = p;
}

static u64 status(const struct tr *t)
{
	u8 why = t->why | (t->data_mm ? TRAFFIC_WHY_DATA : 0) |
		 (t->resp_mm || t->port.proto_errors ? TRAFFIC_WHY_RESPONSE : 0) |
		 (t->port.parity_errors ? TRAFFIC_WHY_PARITY : 0);

	if (!why)
		return TRAFFIC_ST_PASS;
	return TRAFFIC_ST_FAIL | (u64)t->stop_resp << 8 | (u64)t->stop_com << 16 |
	       (u64)why << 32;
}

/* The job ends: ah_jdone with ah_jerror 0 or the failing status. */
static void end_job(struct tr *t, struct afu_out *out)
{
	u64 st = status(t);

	set_phase(t, TR_OFF);
	t->running = false;
	out->jrunning = 0;
	out->jdone = 1;
	out->jerror = st == TRAFFIC_ST_PASS ? 0 : st;
	pr_debug("%s: done: %llu commands, %llu data and %llu response mismatches\n",
		 t->afu.instance, (unsigned long long)t->completed,
		 (unsigned long long)t->data_mm, (unsigned long long)t->resp_mm);
}

static void note_mismatch(struct tr *t, u64 ea)
{
	if (!t->data_mm && !t->resp_mm)
		t->first_bad = ea;
}

/* --- issuing ---------------------------------------------------------- */

static struct afu_tag *new_cmd(struct tr *t, enum tr_kind kind, u16 com, u64 ea, u16 size)
{
	struct afu_tag *tag = afu_port_get(&t->port);

	tag->kind = kind;
	tag->ctx = 0;
	tag->com = com;
	tag->ea = ea;
	tag->size = size;
	tag->cch = 0;
	tag->cabt = AFU_CABT_STRICT;
	tag->arg = 0;
	return tag;
}

static bool send(struct tr *t, struct afu_tag *tag, struct afu_out *out)
{
	afu_port_issue(&t->port, tag, out);
	t->busy++;
	return true;
}

static u32 pick(struct tr *t, u32 n)
{
	return rng_below(&t->rng, n);
}

/* A line with nothing outstanding (not @avoid), or -1 this cycle. */
static s64 free_line(struct tr *t, s64 avoid)
{
	u32 start = pick(t, t->nlines), i;

	for (i = 0; i < LINE_TRIES && i < t->nlines; i++) {
		u32 l = (start + i) % t->nlines;

		if (!t->line_busy[l] && l != avoid)
			return l;
	}
	return -1;
}

/* A random naturally aligned piece of a line: size and offset. */
static void piece(struct tr *t, u16 *size, u32 *off)
{
	*size = 1 << pick(t, 8);
	*off = pick(t, AFU_LINE_SIZE / *size) * *size;
}

/* A random command on line @l: @act says what it does, @expect its answer. */
static bool issue_on_line(struct tr *t, u16 com, u32 l, u8 expect, u8 act,
			  struct afu_out *out)
{
	struct afu_tag *tag;
	u16 size;
	u32 off;

	piece(t, &size, &off);
	tag = new_cmd(t, K_CMD, com, t->base + (u64)l * AFU_LINE_SIZE + off, size);
	tag->cabt = cabts[pick(t, ARRAY_SIZE(cabts))];
	tag->arg = CMD_ARG(expect, act | A_LINE, l);
	if (act & A_WRITE)
		rng_fill(&t->rng, tag->buf + off, size);
	t->line_busy[l] = 1;
	t->issued++;
	return send(t, tag, out);
}

/* A command the PSL must refuse: misaligned, a bad size, or an unknown code. */
static bool issue_illegal(struct tr *t, struct afu_out *out)
{
	u64 ea = t->base + (u64)pick(t, t->nlines) * AFU_LINE_SIZE;
	u16 com = pick(t, 2) ? reads[pick(t, ARRAY_SIZE(reads))] :
			       writes[pick(t, ARRAY_SIZE(writes))];
	u16 size = AFU_LINE_SIZE;
	struct afu_tag *tag;

	switch (pick(t, 3)) {
	case 0:
		size = 2 << pick(t, 7);
		ea += 1;
		break;
	case 1:
		size = bad_sizes[pick(t, ARRAY_SIZE(bad_sizes))];
		break;
	default:
		com = unknown_coms[pick(t, ARRAY_SIZE(unknown_coms))];
		break;
	}
	tag = new_cmd(t, K_CMD, com, ea, size);
	tag->arg = CMD_ARG(AFU_RESP_FAILED, 0, 0);
	t->issued++;
	return send(t, tag, out);
}

static bool issue_intreq(struct tr *t, struct afu_out *out)
{
	u16 n = t->desc.num_ints_per_process;
	u16 lisn = 1 + pick(t, n);
	u8 expect = AFU_RESP_DONE;
	struct afu_tag *tag;

	if (t->illegal && !pick(t, 8)) {
		lisn = pick(t, 2) ? 0 : n + 1;
		expect = AFU_RESP_FAILED;
	}
	tag = new_cmd(t, K_CMD, AFU_CMD_INTREQ, lisn, 0);
	tag->arg = CMD_ARG(expect, 0, 0);
	t->issued++;
	return send(t, tag, out);
}

/* Close the open lock or reservation sequence. */
static bool close_seq(struct tr *t, struct afu_out *out)
{
	s64 m;

	/* The sequence's line is held (busy 2) until its closing command. */
	if (t->seq == SEQ_LOCKED) {
		t->line_busy[t->seq_line] = 0;
		t->seq = SEQ_UNLOCKING;
		if (pick(t, 2))
			return issue_on_line(t, AFU_CMD_UNLOCK, t->seq_line, AFU_RESP_DONE,
					     A_UNLOCK, out);
		return issue_on_line(t, AFU_CMD_WRITE_UNLOCK, t->seq_line, AFU_RESP_DONE,
				     A_UNLOCK | A_WRITE, out);
	}
	/* SEQ_RESERVED: write_c on the line (DONE) or on another (NRES). */
	if (pick(t, 2)) {
		t->line_busy[t->seq_line] = 0;
		t->seq = SEQ_WRITEC;
		return issue_on_line(t, AFU_CMD_WRITE_C, t->seq_line, AFU_RESP_DONE,
				     A_WRITEC | A_WRITE, out);
	}
	m = free_line(t, t->seq_line);
	if (m < 0)
		return false;
	t->seq = SEQ_WRITEC;
	return issue_on_line(t, AFU_CMD_WRITE_C, m, AFU_RESP_NRES, A_WRITEC, out);
}

static bool open_seq(struct tr *t, u32 l, struct afu_out *out)
{
	t->seq_line = l;
	switch (pick(t, 4)) {
	case 0:
		t->seq = SEQ_LOCKING;
		return issue_on_line(t, AFU_CMD_READ_CL_LCK, l, AFU_RESP_DONE, A_LOCK | A_READ,
				     out);
	case 1:
		t->seq = SEQ_LOCKING;
		return issue_on_line(t, AFU_CMD_LOCK, l, AFU_RESP_DONE, A_LOCK, out);
	case 2:
		t->seq = SEQ_RESERVING;
		return issue_on_line(t, AFU_CMD_READ_CL_RES, l, AFU_RESP_DONE, A_RES | A_READ, out);
	default:
		/* No reservation is held outside a sequence: NRES, nothing written. */
		t->seq = SEQ_WRITEC;
		return issue_on_line(t, AFU_CMD_WRITE_C, l, AFU_RESP_NRES, A_WRITEC, out);
	}
}

/* The next random command of the mix. */
static bool generate(struct tr *t, struct afu_out *out)
{
	u32 roll;
	s64 l;

	if (t->seq == SEQ_LOCKED || t->seq == SEQ_RESERVED)
		return close_seq(t, out);
	if (t->ncmds && t->issued >= t->ncmds)
		return false;
	/* 35% reads, 35% writes, 8% line ops, 10% sequences, 7% intreq, 5% illegal */
	roll = pick(t, 100);
	if (roll >= 95)
		return t->illegal ? issue_illegal(t, out) : issue_intreq(t, out);
	if (roll >= 88)
		return issue_intreq(t, out);
	l = free_line(t, -1);
	if (l < 0)
		return false;
	if (roll < 35)
		return issue_on_line(t, reads[pick(t, ARRAY_SIZE(reads))], l, AFU_RESP_DONE,
				     A_READ, out);
	if (roll < 70)
		return issue_on_line(t, writes[pick(t, ARRAY_SIZE(writes))], l, AFU_RESP_DONE,
				     A_WRITE, out);
	if (roll < 78 || t->seq != SEQ_NONE)
		return issue_on_line(t, line_ops[pick(t, ARRAY_SIZE(line_ops))], l,
				     AFU_RESP_DONE, 0, out);
	return open_seq(t, l, out);
}

static bool issue_restart(struct tr *t, struct afu_out *out)
{
	struct afu_tag *tag = t->rtag;

	tag->kind = K_RESTART;
	tag->com = AFU_CMD_RESTART;
	tag->ea = 0;
	tag->size = 0;
	tag->cch = 0;
	tag->cabt = AFU_CABT_STRICT;
	afu_port_issue(&t->port, tag, out);
	t->rec = TR_REC_RESTART;
	return true;
}

static bool issue_report(struct tr *t, struct afu_out *out)
{
	struct afu_tag *tag = new_cmd(t, K_REPORT, AFU_CMD_WRITE_NA, t->wed + TRAFFIC_RESULT, 32);
	u64 w[4] = {
		htole64(status(t)), htole64(t->completed),
		htole64(t->data_mm + t->resp_mm), htole64(t->first_bad),
	};

	memcpy(tag->buf + TRAFFIC_RESULT, w, sizeof(w));
	return send(t, tag, out);
}

static bool run_finished(const struct tr *t)
{
	return t->ncmds && t->issued >= t->ncmds && t->seq == SEQ_NONE && !t->busy &&
	       !t->reissue;
}

static bool issue(struct tr *t, struct afu_out *out)
{
	struct afu_tag *tag;

	if (t->rec == TR_REC_DRAIN)
		return !t->busy && issue_restart(t, out);
	if (t->rec == TR_REC_RESTART)
		return false;
	if (t->reissue) {
		tag = t->reissue;
		t->reissue = tag->next;
		return send(t, tag, out);
	}
	if (!t->port.free)
		return false;
	switch (t->phase) {
	case TR_FETCH:
		tag = t->busy ? NULL :
		      new_cmd(t, K_PARAMS, AFU_CMD_READ_CL_NA, t->wed, AFU_LINE_SIZE);
		return tag && send(t, tag, out);
	case TR_INIT:
		if (t->init_next == t->nlines)
			return false;
		tag = new_cmd(t, K_INIT, AFU_CMD_WRITE_NA,
			      t->base + (u64)t->init_next * AFU_LINE_SIZE, AFU_LINE_SIZE);
		tag->arg = t->init_next++;
		rng_fill(&t->rng, tag->buf, AFU_LINE_SIZE);
		return send(t, tag, out);
	case TR_RUN:
		if (run_finished(t)) {
			set_phase(t, t->verify ? TR_VERIFY : TR_REPORT);
			return false;
		}
		return generate(t, out);
	case TR_VERIFY:
		if (t->verify_next == t->nlines)
			return false;
		tag = new_cmd(t, K_VERIFY, AFU_CMD_READ_CL_NA,
			      t->base + (u64)t->verify_next * AFU_LINE_SIZE, AFU_LINE_SIZE);
		tag->arg = t->verify_next++;
		return send(t, tag, out);
	case TR_REPORT:
		return !t->busy && issue_report(t, out);
	case TR_IRQ:
		return !t->busy &&
		       send(t, new_cmd(t, K_IRQ, AFU_CMD_INTREQ, t->lisn ? t->lisn : 1, 0), out);
	default:
		return false;
	}
}

/* --- responses -------------------------------------------------------- */

static u64 le64_at(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static void params_read(struct tr *t, const struct afu_tag *tag)
{
	u32 flags;
	u16 lisn;

	t->base = le64_at(tag->buf + offsetof(struct traffic_params, base));
	t->size = le64_at(tag->buf + offsetof(struct traffic_params, size));
	t->ncmds = le64_at(tag->buf + offsetof(struct traffic_params, ncmds));
	memcpy(&flags, tag->buf + offsetof(struct traffic_params, flags), 4);
	memcpy(&lisn, tag->buf + offsetof(struct traffic_params, lisn), 2);
	t->flags = le32toh(flags);
	t->lisn = le16toh(lisn);
	if (t->base & (AFU_LINE_SIZE - 1) || !t->size || t->size & (AFU_LINE_SIZE - 1) ||
	    t->size > MAX_REGION) {
		t->why |= TRAFFIC_WHY_PARAMS;
		set_phase(t, TR_REPORT);
		return;
	}
	t->nlines = t->size / AFU_LINE_SIZE;
	free(t->shadow);
	free(t->line_busy);
	t->shadow = malloc(t->size);
	t->line_busy = calloc(t->nlines, 1);
	if (!t->shadow || !t->line_busy) {
		pr_err("%s: no memory for a %llu-byte shadow\n", t->afu.instance,
		       (unsigned long long)t->size);
		t->why |= TRAFFIC_WHY_PARAMS;
		set_phase(t, TR_REPORT);
		return;
	}
	set_phase(t, TR_INIT);
}

/* Read data against the shadow: one mismatch per command, at its first byte. */
static void compare(struct tr *t, const struct afu_tag *tag, u32 off, u32 size)
{
	const u8 *want = t->shadow + (tag->ea - t->base - (tag->ea & (AFU_LINE_SIZE - 1))) + off;
	u32 i;

	if (!memcmp(tag->buf + off, want, size))
		return;
	for (i = 0; tag->buf[off + i] == want[i]; i++)
		;
	note_mismatch(t, tag->ea - (tag->ea & (AFU_LINE_SIZE - 1)) + off + i);
	t->data_mm++;
	pr_debug("%s: data mismatch at 0x%llx\n", t->afu.instance,
		 (unsigned long long)(tag->ea - (tag->ea & (AFU_LINE_SIZE - 1)) + off + i));
}

/* A random command's final response. */
static void cmd_done(struct tr *t, struct afu_tag *tag, u8 code)
{
	u8 expect = ARG_EXPECT(tag->arg), act = ARG_ACT(tag->arg);
	u32 l = ARG_LINE(tag->arg), off = tag->ea & (AFU_LINE_SIZE - 1);

	t->completed++;
	if (code != expect) {
		note_mismatch(t, tag->ea);
		t->resp_mm++;
		pr_debug("%s: 0x%x at 0x%llx: response 0x%x, expected 0x%x\n", t->afu.instance,
			 tag->com, (unsigned long long)tag->ea, code, expect);
	} else if (code == AFU_RESP_DONE && act & A_READ) {
		compare(t, tag, off, tag->size);
	} else if (code == AFU_RESP_DONE && act & A_WRITE) {
		memcpy(t->shadow + (u64)l * AFU_LINE_SIZE + off, tag->buf + off, tag->size);
	}
	if (act & A_LINE)
		t->line_busy[l] = 0;
	if (act & (A_LOCK | A_RES)) {
		if (code == AFU_RESP_DONE) {
			t->seq = act & A_LOCK ? SEQ_LOCKED : SEQ_RESERVED;
			/* 2: held by the sequence, until the closing command is issued */
			t->line_busy[l] = 2;
		} else {
			t->seq = SEQ_NONE;
		}
	}
	if (act & A_WRITEC)
		t->line_busy[t->seq_line] = 0;
	if (act & (A_UNLOCK | A_WRITEC))
		t->seq = SEQ_NONE;
}

static void done(struct tr *t, struct afu_tag *tag, u8 code, struct afu_out *out)
{
	switch (tag->kind) {
	case K_PARAMS:
		params_read(t, tag);
		break;
	case K_INIT:
		memcpy(t->shadow + tag->arg * AFU_LINE_SIZE, tag->buf, AFU_LINE_SIZE);
		if (++t->init_done == t->nlines)
			set_phase(t, TR_RUN);
		break;
	case K_CMD:
		cmd_done(t, tag, code);
		break;
	case K_VERIFY:
		compare(t, tag, 0, AFU_LINE_SIZE);
		if (++t->verify_done == t->nlines)
			set_phase(t, TR_REPORT);
		break;
	case K_REPORT:
		if (t->flags & TRAFFIC_F_IRQ)
			set_phase(t, TR_IRQ);
		else
			end_job(t, out);
		break;
	case K_IRQ:
		end_job(t, out);
		break;
	}
}

/* AERROR or DERROR where none was expected: stop, report after restart. */
static void stop(struct tr *t, struct afu_tag *tag, u8 code)
{
	if (!(t->why & TRAFFIC_WHY_STOPPED)) {
		t->why |= TRAFFIC_WHY_STOPPED;
		t->stop_resp = code;
		t->stop_com = tag->com;
		note_mismatch(t, tag->ea);
	}
	/* The parameter block or the report itself failed: nothing to write. */
	if (tag->kind == K_PARAMS || tag->kind == K_REPORT)
		t->report_lost = true;
}

static void restarted(struct tr *t, u8 code, struct afu_out *out)
{
	t->rec = TR_REC_NONE;
	if (code != AFU_RESP_DONE && !(t->why & TRAFFIC_WHY_STOPPED)) {
		t->why |= TRAFFIC_WHY_STOPPED;
		t->stop_resp = code;
		t->stop_com = AFU_CMD_RESTART;
	}
	if (!(t->why & TRAFFIC_WHY_STOPPED))
		return;
	while (t->reissue) {
		struct afu_tag *tag = t->reissue;

		t->reissue = tag->next;
		afu_port_put(&t->port, tag);
	}
	if (t->report_lost || t->phase == TR_IRQ || code != AFU_RESP_DONE)
		end_job(t, out);
	else
		set_phase(t, TR_REPORT);
}

static void on_response(struct tr *t, struct afu_tag *tag, u8 code, struct afu_out *out)
{
	u8 expect = tag->kind == K_CMD ? ARG_EXPECT(tag->arg) : AFU_RESP_DONE;

	if (tag->kind == K_RESTART) {
		restarted(t, code, out);
		return;
	}
	t->busy--;
	/* Once stopped, only the report and its interrupt go on. */
	if (t->why & TRAFFIC_WHY_STOPPED && tag->kind != K_REPORT && tag->kind != K_IRQ) {
		afu_port_put(&t->port, tag);
		return;
	}
	if (code == AFU_RESP_PAGED || code == AFU_RESP_FLUSHED) {
		tag->next = t->reissue;
		t->reissue = tag;
		if (t->rec == TR_REC_NONE)
			t->rec = TR_REC_DRAIN;
		return;
	}
	if ((code == AFU_RESP_AERROR || code == AFU_RESP_DERROR || tag->kind != K_CMD) &&
	    code != expect) {
		stop(t, tag, code);
		afu_port_put(&t->port, tag);
		if (t->rec == TR_REC_NONE)
			t->rec = TR_REC_DRAIN;
		return;
	}
	done(t, tag, code, out);
	afu_port_put(&t->port, tag);
}

/* --- job control and MMIO -------------------------------------------- */

static void tr_reset(struct tr *t, const struct afu_in *in, struct afu_out *out)
{
	afu_port_reset(&t->port, in->croom);
	t->rtag = afu_port_get(&t->port);
	t->reissue = NULL;
	t->busy = 0;
	t->rec = TR_REC_NONE;
	t->running = false;
	t->out_of_reset = true;
	set_phase(t, TR_OFF);
	out->jrunning = 0;
	out->jerror = 0;
	out->jdone = 1;
}

static void tr_start(struct tr *t, const struct afu_in *in, struct afu_out *out)
{
	if (!t->out_of_reset || t->running) {
		pr_warn("%s: START while %s: ignored\n", t->afu.instance,
			t->running ? "running" : "held in reset");
		return;
	}
	rng_init(&t->rng, t->seed, t->afu.instance);
	t->wed = in->jea;
	t->running = true;
	t->seq = SEQ_NONE;
	t->init_next = t->init_done = 0;
	t->verify_next = t->verify_done = 0;
	t->issued = t->completed = 0;
	t->data_mm = t->resp_mm = t->first_bad = 0;
	t->why = 0;
	t->report_lost = false;
	t->stop_resp = 0;
	t->stop_com = 0;
	t->port.parity_errors = 0;
	t->port.proto_errors = 0;
	out->jrunning = 1;
	if (!t->wed || t->wed & (AFU_LINE_SIZE - 1)) {
		t->why = TRAFFIC_WHY_PARAMS;
		end_job(t, out);
		return;
	}
	set_phase(t, TR_FETCH);
}

static void job(struct tr *t, const struct afu_in *in, struct afu_out *out)
{
	switch (in->jcom) {
	case AFU_JCOM_RESET:
		tr_reset(t, in, out);
		break;
	case AFU_JCOM_START:
		tr_start(t, in, out);
		break;
	default:
		/* No LLCMD in dedicated mode; TIMEBASE never requested. */
		pr_warn("%s: job command 0x%x ignored\n", t->afu.instance, in->jcom);
		break;
	}
}

static u64 psa_read(const struct tr *t, u32 reg)
{
	switch (reg) {
	case TRAFFIC_PSA_ISSUED:
		return t->issued;
	case TRAFFIC_PSA_DONE:
		return t->completed;
	case TRAFFIC_PSA_DATA_MM:
		return t->data_mm;
	case TRAFFIC_PSA_RESP_MM:
		return t->resp_mm;
	case TRAFFIC_PSA_PHASE:
		return t->phase;
	default:
		return 0;
	}
}

static void mmio(struct tr *t, const struct afu_in *in, struct afu_out *out)
{
	u32 off = afu_mmio_offset(in);
	u64 data = ~0ULL;

	if (t->out_of_reset)
		data = in->mmcfg ? afu_desc_dword(&t->desc, off) : psa_read(t, off & ~7U);
	afu_port_mmio_ack(&t->port, out, in->mmrnw ? afu_mmio_read_lanes(data, in) : 0);
}

static struct tr *to_tr(const struct afu *a)
{
	return container_of(a, struct tr, afu);
}

static void tr_tick(struct afu *a, const struct afu_in *in, struct afu_out *out)
{
	struct tr *t = to_tr(a);
	struct afu_tag *tag;

	if (in->jval)
		job(t, in, out);
	if (in->mmval)
		mmio(t, in, out);
	if (!t->out_of_reset)
		return;
	afu_port_tick(&t->port, in, out);
	tag = afu_port_response(&t->port, in);
	if (tag)
		on_response(t, tag, in->response, out);
	if (t->running && t->port.credits > 0)
		issue(t, out);
}

static bool tr_idle(const struct afu *a)
{
	const struct tr *t = to_tr(a);

	return !t->running && !t->port.nr_busy;
}

static void tr_destroy(struct afu *a)
{
	struct tr *t;

	if (!a)
		return;
	t = to_tr(a);
	afu_port_exit(&t->port);
	free(t->shadow);
	free(t->line_busy);
	free(t);
}

static struct afu *tr_create(const char *instance, u64 seed, const char *options)
{
	u64 tags = 32, brlat = 1, paren = 1, irqs = 4, illegal = 1, verify = 1;
	const struct afu_opt opts[] = {
		{ "tags", &tags, 1, AFU_PORT_MAX_TAGS - 1 },
		{ "brlat", &brlat, 1, 3 },
		{ "paren", &paren, 0, 1 },
		{ "irqs", &irqs, 1, 2037 },
		{ "illegal", &illegal, 0, 1 },
		{ "verify", &verify, 0, 1 },
	};
	struct tr *t;

	if (afu_opts_parse("traffic", options, opts, ARRAY_SIZE(opts)))
		return NULL;
	if (brlat == 2) {
		pr_err("traffic: brlat 1 or 3\n");
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->afu.ops = &afu_traffic_ops;
	snprintf(t->afu.instance, sizeof(t->afu.instance), "%s",
		 instance ? instance : "traffic");
	t->seed = seed;
	t->illegal = illegal;
	t->verify = verify;
	t->desc = (struct afu_desc){
		.num_ints_per_process = irqs,
		.num_of_processes = 1,
		.req_prog_model = AFU_PROG_DEDICATED,
		.psa = true,
	};
	if (afu_port_init(&t->port, tags + 1, brlat, paren)) {
		free(t);
		return NULL;
	}
	return &t->afu;
}

const struct afu_ops afu_traffic_ops = {
	.abi_version = AFU_ABI_VERSION,
	.name = "traffic",
	.create = tr_create,
	.destroy = tr_destroy,
	.tick = tr_tick,
	.idle = tr_idle,
};
