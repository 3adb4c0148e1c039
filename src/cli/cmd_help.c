/* fengqiao help [COMMAND]: the list of commands and settings, or how to use
 * one command (the same as 'fengqiao COMMAND --help'). */
#include <stdio.h>

#include "cli/cli.h"
#include "core/banned.h"

static int run(int argc, char **argv)
{
	const struct fq_cli_command *cmd;

	if (argc < 1) {
		fq_cli_print_help(stdout);
		return 0;
	}
	cmd = fq_cli_command_find(argv[0]);
	if (!cmd || argc > 2) {
		if (!cmd)
			fprintf(stderr, "fengqiao help: unknown command '%s'\n\n", argv[0]);
		return fq_cli_usage("help");
	}
	fq_cli_print_usage(stdout, cmd, argc > 1 ? argv[1] : NULL);
	return 0;
}

const struct fq_cli_command fq_cmd_help = {
	.name = "help",
	.run = run,
	.summary = "list the commands and settings, or show how to use one command",
	.forms = (const char *const[]){"[COMMAND [SUBCOMMAND]]", NULL},
};
