// SPDX-License-Identifier: GPL-2.0
/*
 * bench/events: capisim's event queue against SystemC 2.3's kernel on
 * the workload of events.h, in one process, one part after the other.
 *
 * SystemC gets its fastest idiomatic form: every process is an SC_METHOD
 * (no thread switch) made sensitive to its own sc_event, and re-arms by
 * sc_event::notify(delay) with the delay built by sc_time::from_value(),
 * no floating point.  The ping-pong sides are SC_METHODs notifying each
 * other's events.  Resolution is 1 ps on both sides.  Elaboration is done
 * before any timing (sc_start(SC_ZERO_TIME)); each run times sc_start()
 * alone, ours simq_run_idle() alone.  Each part runs REPS times on each
 * kernel and the fastest run of each is kept.
 *
 *	events [N=events] [M=producers] [K=pairs] [P=events] [REPS=n] [SEED=n]
 *
 * The last line is "bench events-vs-systemc: R x", R being our events per
 * second over SystemC's on the whole workload (all parts' events over all
 * parts' best times).  Exit 1 if the kernels disagree on a checksum or
 * an event count, with no summary line.
 */
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <systemc>

#include "events.h"

using sc_core::sc_event;
using sc_core::sc_module;
using sc_core::sc_module_name;
using sc_core::sc_time;

static u64 sc_now_ps()
{
	return sc_core::sc_time_stamp().value();
}

struct sc_producer : sc_module {
	sc_event ev;
	u64 rng, left, t0, sum;

	SC_HAS_PROCESS(sc_producer);
	explicit sc_producer(sc_module_name name)
		: sc_module(name), rng(0), left(0), t0(0), sum(0)
	{
		SC_METHOD(fire);
		sensitive << ev;
		dont_initialize();
	}

	void start(u64 seed, u64 share)
	{
		rng = seed;
		left = share;
		t0 = sc_now_ps();
		sum = 0;
		if (left)
			ev.notify(sc_time::from_value(evb_delay(&rng)));
	}

	void fire()
	{
		sum += sc_now_ps() - t0;
		if (--left)
			ev.notify(sc_time::from_value(evb_delay(&rng)));
	}
};

struct sc_pingpong : sc_module {
	sc_event ev_a, ev_b;
	u64 left, t0, sum_a, sum_b;

	SC_HAS_PROCESS(sc_pingpong);
	explicit sc_pingpong(sc_module_name name)
		: sc_module(name), left(0), t0(0), sum_a(0), sum_b(0)
	{
		SC_METHOD(fire_a);
		sensitive << ev_a;
		dont_initialize();
		SC_METHOD(fire_b);
		sensitive << ev_b;
		dont_initialize();
	}

	void start(u64 share)
	{
		left = share;
		t0 = sc_now_ps();
		sum_a = sum_b = 0;
		if (left)
			ev_a.notify(sc_core::SC_ZERO_TIME);
	}

	void fire_a()
	{
		sum_a += sc_now_ps() - t0;
		if (--left)
			ev_b.notify(sc_time::from_value(EVB_PINGPONG_DELAY));
	}

	void fire_b()
	{
		sum_b += sc_now_ps() - t0;
		if (--left)
			ev_a.notify(sc_time::from_value(EVB_PINGPONG_DELAY));
	}
};

/* The SystemC model: built once, since SystemC elaborates only once. */
struct sc_world {
	std::vector<sc_producer *> prod;
	std::vector<sc_pingpong *> pairs;
};

static void sc_producers(sc_world &w, const evb_params &prm, evb_result &r)
{
	double t;

	for (u32 i = 0; i < prm.m; i++)
		w.prod[i]->start(evb_stream(prm.seed, i), evb_share(prm.n, prm.m, i));
	t = evb_seconds();
	sc_core::sc_start();
	r.seconds = evb_seconds() - t;
	r.checksum = 0;
	r.events = 0;
	for (u32 i = 0; i < prm.m; i++) {
		r.checksum = evb_fold(r.checksum, i, w.prod[i]->sum);
		r.events += evb_share(prm.n, prm.m, i);
	}
}

static void sc_pingpongs(sc_world &w, const evb_params &prm, evb_result &r)
{
	double t;

	for (u32 i = 0; i < prm.k; i++)
		w.pairs[i]->start(evb_share(prm.p, prm.k, i));
	t = evb_seconds();
	sc_core::sc_start();
	r.seconds = evb_seconds() - t;
	r.checksum = 0;
	r.events = 0;
	for (u32 i = 0; i < prm.k; i++) {
		r.checksum = evb_fold(r.checksum, 2 * i, w.pairs[i]->sum_a);
		r.checksum = evb_fold(r.checksum, 2 * i + 1, w.pairs[i]->sum_b);
		r.events += evb_share(prm.p, prm.k, i);
	}
}

/* One part's best run on each kernel. */
struct part {
	const char *name;
	const char *shape;
	int (*ours)(const evb_params *prm, evb_result *r);
	void (*theirs)(sc_world &w, const evb_params &prm, evb_result &r);
	evb_result best[2];
	bool mismatch;
};

/* Run @pt REPS times on both kernels, alternating; false on an error. */
static bool run_part(part &pt, sc_world &w, const evb_params &prm, int reps)
{
	u64 want = 0;

	for (int i = 0; i < reps; i++) {
		evb_result r[2];
		int ret = pt.ours(&prm, &r[0]);

		if (ret) {
			fprintf(stderr, "events: %s: %s\n", pt.name, strerror(-ret));
			return false;
		}
		pt.theirs(w, prm, r[1]);
		if (!i)
			want = r[0].checksum;
		for (int k = 0; k < 2; k++) {
			if (r[k].checksum != want || r[k].events != r[0].events)
				pt.mismatch = true;
			if (!i || r[k].seconds < pt.best[k].seconds)
				pt.best[k] = r[k];
		}
	}
	return true;
}

static void print_part(const part &pt)
{
	static const char *const kernel[2] = { "capisim", "SystemC" };

	printf("\n%s: %s\n", pt.name, pt.shape);
	printf("  %-8s %12s %10s %12s  %s\n", "kernel", "events", "seconds", "events/s",
	       "checksum");
	for (int k = 0; k < 2; k++)
		printf("  %-8s %12" PRIu64 " %10.3f %11.2fM  %016" PRIx64 "\n", kernel[k],
		       pt.best[k].events, pt.best[k].seconds,
		       pt.best[k].events / pt.best[k].seconds / 1e6, pt.best[k].checksum);
	printf("  ratio    %.2f x%s\n",
	       pt.best[1].seconds / pt.best[0].seconds * pt.best[0].events / pt.best[1].events,
	       pt.mismatch ? "   MISMATCH: the kernels did different work" : "");
}

/* NAME=value arguments; false on anything else. */
static bool parse_args(int argc, char **argv, evb_params &prm, int &reps)
{
	for (int i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		char *end;
		u64 v;

		if (!eq || !eq[1])
			return false;
		v = strtoull(eq + 1, &end, 0);
		if (*end || !v)
			return false;
		if (!strncmp(argv[i], "N=", 2))
			prm.n = v;
		else if (!strncmp(argv[i], "M=", 2) && v <= UINT32_MAX)
			prm.m = v;
		else if (!strncmp(argv[i], "K=", 2) && v <= UINT32_MAX)
			prm.k = v;
		else if (!strncmp(argv[i], "P=", 2))
			prm.p = v;
		else if (!strncmp(argv[i], "REPS=", 5) && v <= 100)
			reps = v;
		else if (!strncmp(argv[i], "SEED=", 5))
			prm.seed = v;
		else
			return false;
	}
	return true;
}

int sc_main(int argc, char **argv)
{
	evb_params prm = { 20000000, 256, 64, 10000000, 1 };
	int reps = 3;
	sc_world w;
	char shape[2][160];
	part parts[2] = {
		{ "producers", shape[0], evb_capisim_producers, sc_producers, {}, false },
		{ "ping-pong", shape[1], evb_capisim_pingpong, sc_pingpongs, {}, false },
	};
	double secs[2] = { 0, 0 };
	u64 events[2] = { 0, 0 };
	bool bad = false;

	if (!parse_args(argc, argv, prm, reps)) {
		fprintf(stderr, "usage: events [N=events] [M=producers] [K=pairs] [P=events] "
			"[REPS=1..100] [SEED=n], all > 0\n");
		return 2;
	}
	snprintf(shape[0], sizeof(shape[0]),
		 "%" PRIu64 " events from %u producers, delays 1-4 PSL cycles (3 in 4) "
		 "or 1 ps-16 ns", prm.n, prm.m);
	snprintf(shape[1], sizeof(shape[1]),
		 "%" PRIu64 " events from %u pairs, each waking its peer one PSL cycle later",
		 prm.p, prm.k);

	sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
	for (u32 i = 0; i < prm.m; i++)
		w.prod.push_back(new sc_producer(sc_core::sc_gen_unique_name("producer")));
	for (u32 i = 0; i < prm.k; i++)
		w.pairs.push_back(new sc_pingpong(sc_core::sc_gen_unique_name("pair")));
	sc_core::sc_start(sc_core::SC_ZERO_TIME);

	printf("bench/events: capisim's event queue vs SystemC %s kernel "
	       "(SC_METHOD + sc_event::notify(delay)), 1 ps resolution, best of %d\n",
	       sc_core::sc_release(), reps);
	for (part &pt : parts) {
		if (!run_part(pt, w, prm, reps))
			return 1;
		print_part(pt);
		bad |= pt.mismatch;
		for (int k = 0; k < 2; k++) {
			secs[k] += pt.best[k].seconds;
			events[k] += pt.best[k].events;
		}
	}
	printf("\nwhole workload: capisim %.2fM events/s, SystemC %.2fM events/s\n",
	       events[0] / secs[0] / 1e6, events[1] / secs[1] / 1e6);
	if (bad) {
		fprintf(stderr, "events: the kernels disagree on a checksum or an event count\n");
		return 1;
	}
	printf("bench events-vs-systemc: %.2f x\n",
	       (events[0] / secs[0]) / (events[1] / secs[1]));
	return 0;
}

/* SystemC must not print its banner: say so before it starts. */
int main(int argc, char **argv)
{
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	return sc_core::sc_elab_and_sim(argc, argv);
}
