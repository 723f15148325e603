/* `afterburn pack` (pack.c): the subcommand's entry, for afterburner/main.c. */
#ifndef AB_PACK_H
#define AB_PACK_H

int ab_pack_main(int argc, char **argv);

#endif
