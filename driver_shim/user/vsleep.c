// SPDX-License-Identifier: GPL-2.0
/*
 * The program's sleeps, on simulated time in lockstep (docs/libcxl.md,
 * "Time").  A program that polls a flag the AFU writes, with a usleep()
 * between looks, must let the machine run for that long: these
 * definitions of sleep, usleep, nanosleep and clock_nanosleep take the
 * program's place in the link (first in the search order of a dynamic
 * program, which needs them exported under glibc's version names: see
 * libcxl.map) and make the calling thread's process sleep that much
 * simulated time.  In free-running mode, before the machine boots and on
 * the simulator's own thread they are the host's sleeps.
 */
#define pr_fmt(fmt) "libcxl: " fmt

#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/time.h"
#include "host/hsched.h"
#include "host/uproc.h"
#include "lx.h"

#define NS_PER_S	1000000000LL

struct vsleep {
	u64 ps;		/* how long */
	u64 left;	/* out: what an interrupted sleep did not sleep */
};

/* In the calling thread's process. */
static long vsleep_call(void *arg)
{
	struct vsleep *vs = arg;
	u64 now = hsched_now();
	u64 t = vs->ps > SIM_TIME_NEVER - now ? SIM_TIME_NEVER : now + vs->ps;
	int ret = kshim_uproc_sleep_until(t);

	vs->left = ret ? t - hsched_now() : 0;
	return ret;
}

static u64 ts_to_ps(const struct timespec *ts)
{
	u64 max_s = SIM_TIME_NEVER / PS_PER_S - 1;

	if ((u64)ts->tv_sec > max_s)
		return SIM_TIME_NEVER;
	return (u64)ts->tv_sec * PS_PER_S + (u64)ts->tv_nsec * PS_PER_NS;
}

static void ps_to_ts(u64 ps, struct timespec *ts)
{
	ts->tv_sec = ps / PS_PER_S;
	ts->tv_nsec = ps % PS_PER_S / PS_PER_NS;
}

/* nanosleep's contract; returns 0 or -errno. */
static int do_nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct vsleep vs;
	long ret;

	if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= NS_PER_S)
		return -EINVAL;
	if (!lx_sleep_virtual())
		return syscall(SYS_nanosleep, req, rem) ? -errno : 0;
	vs.ps = ts_to_ps(req);
	ret = lx_call(vsleep_call, &vs, LX_CALL_NORESTART);
	if (ret == -EINTR && rem)
		ps_to_ts(vs.left, rem);
	return ret;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	int ret = do_nanosleep(req, rem);

	if (!ret)
		return 0;
	errno = -ret;
	return -1;
}

int usleep(useconds_t usec)
{
	struct timespec ts = { .tv_sec = usec / 1000000, .tv_nsec = usec % 1000000 * 1000 };

	return nanosleep(&ts, NULL);
}

unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { .tv_sec = seconds }, rem = { 0 };

	if (do_nanosleep(&ts, &rem) != -EINTR)
		return 0;
	return rem.tv_sec + (rem.tv_nsec > 0);
}

/*
 * A deadline on one of the host's clocks becomes a length from now; the
 * sleep itself is simulated.  Returns an error number, as specified.
 */
int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req,
		    struct timespec *rem)
{
	struct timespec rel = *req, now;

	if (!lx_sleep_virtual() || (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC))
		return syscall(SYS_clock_nanosleep, clock, flags, req, rem) ? errno : 0;
	if (flags & TIMER_ABSTIME) {
		if (clock_gettime(clock, &now))
			return errno;
		rel.tv_sec -= now.tv_sec;
		rel.tv_nsec -= now.tv_nsec;
		if (rel.tv_nsec < 0) {
			rel.tv_nsec += NS_PER_S;
			rel.tv_sec--;
		}
		if (rel.tv_sec < 0)
			return 0;
		rem = NULL;
	}
	return -do_nanosleep(&rel, rem);
}
