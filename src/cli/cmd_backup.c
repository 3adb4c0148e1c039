/* fengqiao backup FILE: an online, consistent copy of the database while the
 * server goes on (SQLite; docs/operations). */
#include <stdio.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "http/app.h"
#include "store/store.h"

static int run(int argc, char **argv)
{
	struct fq_cli cli;
	struct fq_app *app = NULL;
	struct fq_error e = {0};
	struct fq_db *db;
	int rc = fq_cli_parse(&cli, "backup", NULL, argc, argv);

	if (rc)
		return rc;
	if (cli.nargs != 1)
		return fq_cli_usage("backup");
	rc = fq_cli_open(&cli, false, &app);
	if (rc)
		return rc;
	db = fq_store_db(app->store, &e);
	if (!db || fq_db_backup(db, cli.args[0], &e)) {
		rc = fq_cli_fail(&e);
	} else {
		printf("backup written to %s; keep the key file with it\n", cli.args[0]);
	}
	fq_cli_audit(app, "system.backup", "file", cli.args[0], rc == 0, NULL);
	fq_app_close(app);
	return rc;
}

const struct fq_cli_command fq_cmd_backup = {
	.name = "backup",
	.run = run,
	.summary = "online copy of the SQLite database into FILE (a new file)",
	.forms = (const char *const[]){"FILE", NULL},
};
