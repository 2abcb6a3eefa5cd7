/*
 * One program, build/kbs, with subcommands; build/kbs-dashboard is the same
 * program under another name and behaves exactly as the dashboard command.
 */
#ifndef KBS_CLI_H
#define KBS_CLI_H

#include <stdio.h>

/* kbs-dashboard, argv[0] being the program or "dashboard". */
int			kbs_dashboard_main(int argc, char **argv);

/* kbs form | read | import | import-requirement | training; argv[0] is the command. */
int			kbs_forms_main(const char *cmd, int argc, char **argv);

/* The help of kbs (Dutch). */
void		kbs_usage(FILE *f);

#endif
