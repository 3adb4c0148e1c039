/* The fengqiao command line: one function per subcommand (cmd_<name>.c) and
 * the shared option parsing. */
#ifndef FQ_CLI_H
#define FQ_CLI_H

#include <stdbool.h>

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

/* Runs the subcommand named by argv[1]; returns the exit status. */
int fq_cli_main(int argc, char **argv);

int fq_cmd_serve(int argc, char **argv);
int fq_cmd_init(int argc, char **argv);
int fq_cmd_migrate(int argc, char **argv);
int fq_cmd_demo(int argc, char **argv);
int fq_cmd_user(int argc, char **argv);
int fq_cmd_token(int argc, char **argv);
int fq_cmd_audit(int argc, char **argv);
int fq_cmd_backup(int argc, char **argv);
int fq_cmd_export(int argc, char **argv);
int fq_cmd_import(int argc, char **argv);
int fq_cmd_version(int argc, char **argv);
int fq_cmd_help(int argc, char **argv);

#endif
