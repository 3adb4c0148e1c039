/* The fengqiao command line: one file per subcommand (cmd_<name>.c; the demo
 * is cmd_demo.c and demo_<module>.c), the table of commands (commands.c) and the
 * shared option parsing (common.c). */
#ifndef FQ_CLI_H
#define FQ_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"
#include "core/err.h"

struct fq_app;

#define FQ_CLI_MAX_ARGS 16
#define FQ_CLI_MAX_OPTS 16

/* A command's own flag: --name VALUE, or --name alone when !has_value. */
struct fq_cli_opt {
	const char *name;
	bool has_value;
	const char *help;
};

struct fq_cli {
	struct fq_config cfg;
	const char *args[FQ_CLI_MAX_ARGS]; /* positional arguments */
	int nargs;
	const char *values[FQ_CLI_MAX_OPTS]; /* by index into the command's options */
	bool set[FQ_CLI_MAX_OPTS];
	const struct fq_cli_opt *opts;
};

/* Parses argv (after the command name): settings flags (--store …), the
 * command's own options and positional arguments, then reads the config file
 * (--config or FENGQIAO_CONFIG) and environment. Prints the error and returns
 * non-zero on a bad flag. */
int fq_cli_parse(struct fq_cli *cli, const char *cmd, const struct fq_cli_opt *opts, int argc,
		 char **argv);
const char *fq_cli_opt(const struct fq_cli *cli, const char *name); /* NULL if not given */
bool fq_cli_flag(const struct fq_cli *cli, const char *name);

/* Prints "fengqiao: <message>" to standard error; returns 1. */
int fq_cli_fail(const struct fq_error *e);
/* Prints the usage of command cmd to standard error; returns 2. */
int fq_cli_usage(const char *cmd);

/* Opens the app (store, keys, routes) without migrating. */
int fq_cli_open(struct fq_cli *cli, bool migrate, struct fq_app **app);
/* Appends an audit entry for a command-line change, in its own transaction. */
void fq_cli_audit(struct fq_app *app, const char *action, const char *object_type,
		  const char *object_id, bool success, const char *detail);

struct fq_ctx;
struct fq_arena;
/* A domain context for the command line: the whole tree, acting as the system,
 * in a new write transaction. fq_cli_end commits (ok) or rolls back. */
int fq_cli_begin(struct fq_app *app, struct fq_ctx *c, struct fq_error *e);
int fq_cli_end(struct fq_ctx *c, bool ok);

struct fq_dump_summary;
/* Prints the table of rows and checksums of an export or import. */
void fq_cli_print_dump_summary(const struct fq_dump_summary *sum);

/* Applies pending migrations to cfg's store and says so (init, migrate);
 * returns the exit status. */
int fq_cli_migrate(const struct fq_config *cfg);

/* A subcommand, declared by its file (cmd_<name>.c) and listed in
 * commands.c (git's commands[]). */
struct fq_cli_command {
	const char *name;
	int (*run)(int argc, char **argv); /* argv: what follows the name */
	const char *summary;               /* one line for 'fengqiao --help' */
	/* How to call it, one line each after "fengqiao NAME ", ending with
	 * NULL; with subcommands, each line starts with one. */
	const char *const *forms;
	bool subcommands;
	const struct fq_cli_opt *opts; /* its own flags, ending with {NULL}; may be NULL */
};

/* Every command, ending with NULL (commands.c). */
extern const struct fq_cli_command *const fq_cli_commands[];
const struct fq_cli_command *fq_cli_command_find(const char *name); /* NULL if none */

/* Prints the usage of cmd (only the forms of subcommand sub when it names
 * one), its options and where the settings are listed. */
void fq_cli_print_usage(FILE *out, const struct fq_cli_command *cmd, const char *sub);
/* The list of commands and settings ('fengqiao --help'). */
void fq_cli_print_help(FILE *out);

/* Runs the subcommand named by argv[1]; returns the exit status. COMMAND
 * --help (or -h) anywhere after the command prints its usage and exits 0. */
int fq_cli_main(int argc, char **argv);

extern const struct fq_cli_command fq_cmd_serve;
extern const struct fq_cli_command fq_cmd_init;
extern const struct fq_cli_command fq_cmd_migrate;
extern const struct fq_cli_command fq_cmd_demo;
extern const struct fq_cli_command fq_cmd_user;
extern const struct fq_cli_command fq_cmd_token;
extern const struct fq_cli_command fq_cmd_audit;
extern const struct fq_cli_command fq_cmd_backup;
extern const struct fq_cli_command fq_cmd_export;
extern const struct fq_cli_command fq_cmd_import;
extern const struct fq_cli_command fq_cmd_version;
extern const struct fq_cli_command fq_cmd_help;

#endif
