/* Subcommands of build/bin/afterburn; each returns the process exit status. */
#ifndef AB_CLI_H
#define AB_CLI_H

int ab_rewrite_main(int argc, char **argv);
int ab_audit_main(int argc, char **argv);
int ab_sites_main(int argc, char **argv);
int ab_compare_main(int argc, char **argv);

#endif
