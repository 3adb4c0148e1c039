/* The table of subcommands (git's commands[]), their usage and the dispatch.
 * Each command declares its name, forms and options in its own file. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "core/json_alloc.h"

const struct fq_cli_command *const fq_cli_commands[] = {
	&fq_cmd_serve,  &fq_cmd_init,   &fq_cmd_migrate, &fq_cmd_demo,
	&fq_cmd_user,   &fq_cmd_token,  &fq_cmd_audit,   &fq_cmd_backup,
	&fq_cmd_export, &fq_cmd_import, &fq_cmd_version, &fq_cmd_help,
	NULL,
};

const struct fq_cli_command *fq_cli_command_find(const char *name)
{
	for (int i = 0; fq_cli_commands[i]; i++)
		if (!strcmp(fq_cli_commands[i]->name, name))
			return fq_cli_commands[i];
	return NULL;
}

/* Whether form is one of subcommand sub: its first word. */
static bool form_of(const char *form, const char *sub)
{
	size_t n = strlen(sub);

	return !strncmp(form, sub, n) && (form[n] == ' ' || form[n] == '\0');
}

void fq_cli_print_usage(FILE *out, const struct fq_cli_command *cmd, const char *sub)
{
	bool known = false;
	int shown = 0;

	for (int i = 0; sub && cmd->subcommands && cmd->forms[i]; i++)
		known = known || form_of(cmd->forms[i], sub);
	for (int i = 0; cmd->forms[i]; i++) {
		if (known && !form_of(cmd->forms[i], sub))
			continue;
		fprintf(out, "%s fengqiao %s%s%s\n", shown++ ? "   or:" : "usage:", cmd->name,
			cmd->forms[i][0] ? " " : "", cmd->forms[i]);
	}
	fprintf(out, "\n%s\n", cmd->summary);
	if (cmd->opts && cmd->opts[0].name) {
		fprintf(out, "\noptions:\n");
		for (int i = 0; cmd->opts[i].name; i++) {
			char flag[48];

			snprintf(flag, sizeof(flag), "--%s%s", cmd->opts[i].name,
				 cmd->opts[i].has_value ? " VALUE" : "");
			fprintf(out, "  %-24s %s\n", flag, cmd->opts[i].help);
		}
	}
	fprintf(out, "\nsettings such as --store and --config work with every command: see "
		     "'fengqiao --help'\n");
}

void fq_cli_print_help(FILE *out)
{
	fprintf(out, "usage: fengqiao COMMAND [OPTIONS]\n\ncommands:\n");
	for (int i = 0; fq_cli_commands[i]; i++)
		fprintf(out, "  %-8s %s\n", fq_cli_commands[i]->name, fq_cli_commands[i]->summary);
	fprintf(out, "\n'fengqiao COMMAND --help' shows how to use a command.\n");
	fprintf(out, "\nsettings (any command; also in the config file and as FENGQIAO_<NAME>):\n");
	for (int i = 0; i < fq_settings_count; i++)
		fprintf(out, "  --%-22s %s (default: %s)\n", fq_settings[i].name, fq_settings[i].help,
			fq_settings[i].def[0] ? fq_settings[i].def : "none");
	fprintf(out, "  --%-22s %s\n", "config FILE", "read settings from FILE (key = value lines)");
}

int fq_cli_usage(const char *cmd)
{
	const struct fq_cli_command *c = fq_cli_command_find(cmd);

	if (c)
		fq_cli_print_usage(stderr, c, NULL);
	else
		fq_cli_print_help(stderr);
	return 2;
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

int fq_cli_main(int argc, char **argv)
{
	const struct fq_cli_command *cmd;

	/* The database, its backups and the key hold personal data: owner only. */
	umask(077);
	fq_json_alloc_init();
	if (argc < 2) {
		fq_cli_print_help(stderr);
		return 2;
	}
	if (is_help(argv[1])) {
		fq_cli_print_help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return fq_cmd_version.run(0, NULL);
	cmd = fq_cli_command_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "fengqiao: unknown command '%s'\n\n", argv[1]);
		fq_cli_print_help(stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++)
		if (is_help(argv[i])) {
			fq_cli_print_usage(stdout, cmd,
					   argc > 2 && strncmp(argv[2], "-", 1) ? argv[2] : NULL);
			return 0;
		}
	return cmd->run(argc - 2, argv + 2);
}
