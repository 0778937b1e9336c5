/* Helpers around nanomsg for package sp: blocking send/recv built on non-blocking calls and poll(2), so that a
 * blocked call can be woken by an eventfd when the Go side closes the socket, and timeouts need no socket
 * option round trips. Linux only (eventfd). */
#ifndef SP_H
#define SP_H

#include <stddef.h>

/* A receive result: n >= 0 is the message size, n < 0 is -errno. msg is non-NULL only when the message could not
 * be copied into the caller's buffer: it is then a nanomsg buffer the caller must release with nn_freemsg. */
typedef struct sp_recv_result {
	long n;
	void *msg;
} sp_recv_result;

/* Creates an AF_SP NN_PAIR socket and fetches its NN_RCVFD and NN_SNDFD descriptors (owned by nanomsg, valid until
 * nn_close). Returns the socket id, or -errno (nothing is left open on failure). */
int sp_pair_socket(int *rcvfd, int *sndfd);

/* Creates the non-blocking, close-on-exec eventfd used to wake blocked calls. Returns the fd or -errno. The caller
 * owns it and closes it with sp_wake_close. */
int sp_wake_create(void);

/* Makes the eventfd readable for good (it is never read), so every current and later wait returns. */
void sp_wake_signal(int wakefd);

void sp_wake_close(int wakefd);

/* Sends len bytes of buf (copied by nanomsg before it returns; buf may be NULL when len is 0). timeout_ms < 0
 * waits forever, 0 tries once. Returns 0, ETIMEDOUT, ECANCELED (woken by wakefd) or another errno. */
int sp_send(int s, int sndfd, int wakefd, const void *buf, size_t len, int timeout_ms);

/* Receives one message. If dst is non-NULL and the message fits in cap bytes it is copied to dst and released
 * (result.msg = NULL); otherwise result.msg is nanomsg's buffer, owned by the caller (nn_freemsg). Timeout and
 * errors as sp_send, as result.n = -errno. dst is only used during the call. */
sp_recv_result sp_recv(int s, int rcvfd, int wakefd, void *dst, size_t cap, int timeout_ms);

/* nn_close, retried on EINTR. Returns 0 or errno. */
int sp_close(int s);

/* Sets an int socket option at NN_SOL_SOCKET level. Returns 0 or errno. */
int sp_setopt_int(int s, int option, int value);

/* Reads a statistic (nn_get_statistic). Returns the value, or -errno. */
long long sp_statistic(int s, int stat);

#endif
