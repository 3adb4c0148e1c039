/* fengqiao version: the version of the binary and of the schema it brings. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "store/store.h"

#ifndef FQ_VERSION
#define FQ_VERSION "0.1.0-dev"
#endif

static int run(int argc, char **argv)
{
	(void)argv;
	if (argc > 0)
		return fq_cli_usage("version");
	printf("fengqiao %s (schema %d)\n", FQ_VERSION, fq_store_latest_version());
	return 0;
}

const struct fq_cli_command fq_cmd_version = {
	.name = "version",
	.run = run,
	.summary = "print the version (also: fengqiao --version)",
	.forms = (const char *const[]){"", NULL},
};
