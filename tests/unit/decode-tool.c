/*
 * Host driver for the shared decoder: each stdin line holds the hex bytes
 * of one instruction ("0f 01 cb"); prints "KIND LEN" or "none".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afterburn/decode.h"
#include "afterburn/kind.h"

int main(void)
{
	char line[256];
	while (fgets(line, sizeof(line), stdin)) {
		unsigned char bytes[16];
		size_t n = 0;
		for (char *tok = strtok(line, " \t\n"); tok && n < sizeof(bytes);
		     tok = strtok(NULL, " \t\n"))
			bytes[n++] = (unsigned char)strtoul(tok, NULL, 16);
		struct ab_insn insn;
		if (ab_decode_sensitive(bytes, n, &insn) == 0)
			printf("%s %u\n", ab_kind_name(insn.kind), insn.len);
		else
			printf("none\n");
	}
	return 0;
}
