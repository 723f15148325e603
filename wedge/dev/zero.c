/* wedge_dev_zero: the device models' only bulk memory operation. */
#include "dev.h"

void wedge_dev_zero(void *p, size_t n)
{
	/*
	 * volatile keeps the compiler from turning the loop back into a
	 * call to memset, which a freestanding wedge does not have.
	 */
	volatile uint8_t *b = p;
	while (n--)
		*b++ = 0;
}
