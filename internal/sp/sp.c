//go:build linux && cgo

/* See sp.h. Written for package sp; C99. */
#define _GNU_SOURCE
#include "sp.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/pair.h>

int sp_pair_socket(int *rcvfd, int *sndfd)
{
	int s = nn_socket(AF_SP, NN_PAIR);
	if (s < 0) {
		return -nn_errno();
	}
	size_t sz = sizeof(*rcvfd);
	if (nn_getsockopt(s, NN_SOL_SOCKET, NN_RCVFD, rcvfd, &sz) != 0) {
		int e = nn_errno();
		(void)sp_close(s);
		return -e;
	}
	sz = sizeof(*sndfd);
	if (nn_getsockopt(s, NN_SOL_SOCKET, NN_SNDFD, sndfd, &sz) != 0) {
		int e = nn_errno();
		(void)sp_close(s);
		return -e;
	}
	return s;
}

int sp_wake_create(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

void sp_wake_signal(int wakefd)
{
	uint64_t one = 1;
	ssize_t rc;
	do {
		rc = write(wakefd, &one, sizeof(one));
	} while (rc < 0 && errno == EINTR);
	/* EAGAIN means the counter is already huge, so the fd is readable anyway. */
}

void sp_wake_close(int wakefd)
{
	(void)close(wakefd);
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Waits until fd is readable, wakefd is readable (ECANCELED) or the deadline passes (ETIMEDOUT). deadline < 0 means
 * none. Returns 0 when fd is readable. */
static int wait_readable(int fd, int wakefd, int64_t deadline)
{
	struct pollfd p[2];
	p[0].fd = fd;
	p[0].events = POLLIN;
	p[1].fd = wakefd;
	p[1].events = POLLIN;
	for (;;) {
		int timeout = -1;
		if (deadline >= 0) {
			int64_t left = deadline - now_ns();
			if (left <= 0) {
				return ETIMEDOUT;
			}
			int64_t ms = (left + 999999) / 1000000;
			timeout = ms > 0x7fffffff ? 0x7fffffff : (int)ms;
		}
		p[0].revents = 0;
		p[1].revents = 0;
		int rc = poll(p, 2, timeout);
		if (rc < 0) {
			if (errno == EINTR) {
				continue;
			}
			return errno;
		}
		if (p[1].revents != 0) {
			return ECANCELED;
		}
		if (p[0].revents & POLLNVAL) {
			return EBADF;
		}
		if (p[0].revents != 0) {
			return 0;
		}
		/* rc == 0: timed out; the loop re-checks the deadline. */
	}
}

static int64_t deadline_for(int timeout_ms)
{
	return timeout_ms > 0 ? now_ns() + (int64_t)timeout_ms * 1000000 : -1;
}

int sp_send(int s, int sndfd, int wakefd, const void *buf, size_t len, int timeout_ms)
{
	int64_t deadline = deadline_for(timeout_ms);
	for (;;) {
		if (nn_send(s, buf, len, NN_DONTWAIT) >= 0) {
			return 0;
		}
		int e = nn_errno();
		if (e == EINTR) {
			continue;
		}
		if (e != EAGAIN) {
			return e;
		}
		if (timeout_ms == 0) {
			return ETIMEDOUT;
		}
		e = wait_readable(sndfd, wakefd, deadline);
		if (e != 0) {
			return e;
		}
	}
}

sp_recv_result sp_recv(int s, int rcvfd, int wakefd, void *dst, size_t cap, int timeout_ms)
{
	sp_recv_result r = {0, NULL};
	int64_t deadline = deadline_for(timeout_ms);
	for (;;) {
		void *msg = NULL;
		int n = nn_recv(s, &msg, NN_MSG, NN_DONTWAIT);
		if (n >= 0) {
			r.n = n;
			if (dst != NULL && (size_t)n <= cap) {
				memcpy(dst, msg, (size_t)n);
				nn_freemsg(msg);
			} else {
				r.msg = msg;
			}
			return r;
		}
		int e = nn_errno();
		if (e == EINTR) {
			continue;
		}
		if (e != EAGAIN) {
			r.n = -e;
			return r;
		}
		if (timeout_ms == 0) {
			r.n = -ETIMEDOUT;
			return r;
		}
		e = wait_readable(rcvfd, wakefd, deadline);
		if (e != 0) {
			r.n = -e;
			return r;
		}
	}
}

int sp_close(int s)
{
	for (;;) {
		if (nn_close(s) == 0) {
			return 0;
		}
		int e = nn_errno();
		if (e != EINTR) {
			return e;
		}
	}
}

int sp_setopt_int(int s, int option, int value)
{
	return nn_setsockopt(s, NN_SOL_SOCKET, option, &value, sizeof(value)) == 0 ? 0 : nn_errno();
}

long long sp_statistic(int s, int stat)
{
	errno = 0;
	uint64_t v = nn_get_statistic(s, stat);
	if (v == (uint64_t)-1) {
		int e = nn_errno();
		if (e != 0) {
			return -(long long)e;
		}
	}
	return (long long)v;
}
