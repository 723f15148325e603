/*
 * The guest's console on stdout, nothing else ever goes there.  Bytes
 * arrive a line at a time (the UART model's flush, AB_HC_CONSOLE) or as a
 * partial line the devices hand out on a short timer and at the end, so
 * one write(2) per line and nothing lost when the guest stops.  If stdout
 * goes away (a closed pipe), the run goes on without a console.
 */
#include <errno.h>
#include <string.h>

#include "mon.h"

void mon_console_init(struct mon_console *c, int fd)
{
	*c = (struct mon_console){ .fd = fd };
}

void mon_console_write(struct mon_console *c, const void *buf, size_t len)
{
	c->bytes += len;
	if (c->broken || !len)
		return;
	c->writes++;
	if (mon_write_all(c->fd, buf, len)) {
		mon_err("console: writing to stdout: %s; the guest's output is dropped from here",
			strerror(errno));
		c->broken = true;
	}
}
