/*
 * kbs: dispatches on the program's name and the first argument. Installed as
 * kbs-dashboard it is the dashboard generator, with its options unchanged.
 */
#include <stdio.h>
#include <string.h>

#include "kbs_cli.h"

int
main(int argc, char **argv)
{
	const char *base = argc > 0 && argv[0] != NULL ? argv[0] : "kbs";
	const char *slash = strrchr(base, '/');

	if (slash != NULL)
		base = slash + 1;
	if (strcmp(base, "kbs-dashboard") == 0)
		return kbs_dashboard_main(argc, argv);
	if (argc < 2)
	{
		kbs_usage(stderr);
		return 1;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
	{
		kbs_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "dashboard") == 0)
		return kbs_dashboard_main(argc - 1, argv + 1);
	return kbs_forms_main(argv[1], argc - 1, argv + 1);
}
