/*
 * The guest's console on stdout, nothing else ever goes there.  Bytes
 * arrive a line at a time (the UART model's flush, AB_HC_CONSOLE) or as a
 * partial line the devices hand out on a short timer and at the end, so
 * one write(2) per line and nothing lost when the guest stops.  If stdout
 * goes away (a closed pipe), the run goes on without a console.  Under
 * --mode splitcore the polling thread writes the ring's lines while the
 * vCPU thread may flush the UART's: a lock keeps each write whole.
 *
 * --console-times FILE gets the same bytes with each line prefixed by the
 * seconds since the run started ("12.345678 AFTERBURN-DONE"), taken when
 * the monitor writes the line out: how long a guest takes to a marker,
 * without a pipe on stdout that would cost the guest its own time.
 */
#include <errno.h>
#include <string.h>

#include "mon.h"

void mon_console_init(struct mon_console *c, int fd)
{
	*c = (struct mon_console){ .fd = fd };
	pthread_mutex_init(&c->lock, NULL);
}

int mon_console_times(struct mon_console *c, const char *path)
{
	c->times = fopen(path, "w");
	if (!c->times) {
		mon_err("--console-times %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void mon_console_fini(struct mon_console *c)
{
	if (c->times && fclose(c->times))
		mon_err("--console-times: write failed");
	c->times = NULL;
	pthread_mutex_destroy(&c->lock);
}

static void stamp(struct mon_console *c, const uint8_t *p, size_t len)
{
	double t = (double)(mon_now_ns() - c->t0) / 1e9;
	for (size_t i = 0; i < len; i++) {
		if (!c->mid_line)
			fprintf(c->times, "%.6f ", t);
		fputc(p[i], c->times);
		c->mid_line = p[i] != '\n';
	}
}

void mon_console_write(struct mon_console *c, const void *buf, size_t len)
{
	pthread_mutex_lock(&c->lock);
	c->bytes += len;
	if (!c->broken && len) {
		c->writes++;
		if (mon_write_all(c->fd, buf, len)) {
			mon_err("console: writing to stdout: %s; the guest's output is dropped "
				"from here", strerror(errno));
			c->broken = true;
		}
	}
	if (c->times)
		stamp(c, buf, len);
	pthread_mutex_unlock(&c->lock);
}
