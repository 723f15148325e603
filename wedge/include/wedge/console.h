/*
 * Where the wedge's own messages go (wedge/rt/console.c).  By default the
 * real 16550 at 0x3f8; a backend whose host owns the console gives a sink,
 * which then receives whole lines (or 256-byte pieces of longer ones).
 */
#ifndef WEDGE_CONSOLE_H
#define WEDGE_CONSOLE_H

#include <stddef.h>

typedef void wedge_console_sink_fn(const char *buf, size_t len);

/* NULL: back to the real UART.  A partial line is handed out first. */
void wedge_console_set_sink(wedge_console_sink_fn *fn);
/* Hand out a partial line now (before the machine stops). */
void wedge_console_flush(void);

#endif
