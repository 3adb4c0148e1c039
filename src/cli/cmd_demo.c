#include <stdio.h>

#include "cli/cli.h"

int fq_cmd_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "fengqiao: demo is being written\n");
	return 1;
}
