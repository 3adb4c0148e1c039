/* The table of subcommands (git's commands[]) and the dispatch. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/banned.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{"serve", fq_cmd_serve, "serve [--listen HOST:PORT]     run the server"},
	{"init", fq_cmd_init, "init [--org-name N --org-code C] create the database, key and first sysadmin"},
	{"migrate", fq_cmd_migrate, "migrate                        apply pending database migrations"},
	{"demo", fq_cmd_demo, "demo [--residents N --addresses N] add a demo station with one login per role"},
	{"user", fq_cmd_user, "user add NAME --role R --org CODE | list | unlock NAME | passwd NAME | reset-totp NAME"},
	{"token", fq_cmd_token, "token create USER --scopes A,B | list | revoke ID"},
	{"audit", fq_cmd_audit, "audit verify                   check the audit hash chain"},
	{"backup", fq_cmd_backup, "backup FILE                    online copy of the database"},
	{"export", fq_cmd_export, "export FILE                    write every table to FILE (to move a station)"},
	{"import", fq_cmd_import, "import FILE [--key_file K]     load an export into a new, empty store"},
	{"version", fq_cmd_version, "version                        print the version"},
	{"help", fq_cmd_help, "help                           this text"},
};

int fq_cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: fengqiao COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %s\n", commands[i].usage);
	printf("\nsettings (any command; also in the config file and as FENGQIAO_<NAME>):\n");
	for (int i = 0; i < fq_settings_count; i++)
		printf("  --%-22s %s (default: %s)\n", fq_settings[i].name, fq_settings[i].help,
		       fq_settings[i].def[0] ? fq_settings[i].def : "none");
	printf("  --%-22s %s\n", "config FILE", "read settings from FILE (key = value lines)");
	return 0;
}

int fq_cli_usage(const char *cmd)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, cmd)) {
			fprintf(stderr, "usage: fengqiao %s\n", commands[i].usage);
			return 2;
		}
	fq_cmd_help(0, NULL);
	return 2;
}

int fq_cli_main(int argc, char **argv)
{
	/* The database, its backups and the key hold personal data: owner only. */
	umask(077);
	if (argc < 2) {
		fq_cmd_help(0, NULL);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return fq_cmd_help(0, NULL);
	if (!strcmp(argv[1], "--version"))
		return fq_cmd_version(0, NULL);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, argv[1]))
			return commands[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "fengqiao: unknown command '%s'\n\n", argv[1]);
	fq_cmd_help(0, NULL);
	return 2;
}
