/* fengqiao migrate: applies the pending migrations of the store without
 * starting the server (serve applies them too). */
#include "cli/cli.h"
#include "core/banned.h"

static int run(int argc, char **argv)
{
	struct fq_cli cli;
	int rc = fq_cli_parse(&cli, "migrate", NULL, argc, argv);

	if (rc)
		return rc;
	if (cli.nargs)
		return fq_cli_usage("migrate");
	return fq_cli_migrate(&cli.cfg);
}

const struct fq_cli_command fq_cmd_migrate = {
	.name = "migrate",
	.run = run,
	.summary = "apply pending database migrations",
	.forms = (const char *const[]){"", NULL},
};
