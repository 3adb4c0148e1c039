/* fengqiao audit verify: checks the hash chain of the audit log. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "core/banned.h"
#include "http/app.h"
#include "store/store.h"

static int run(int argc, char **argv)
{
	struct fq_cli cli;
	struct fq_app *app = NULL;
	struct fq_audit_check check;
	struct fq_error e = {0};
	struct fq_db *db;
	int rc = fq_cli_parse(&cli, "audit", NULL, argc, argv);

	if (rc)
		return rc;
	if (cli.nargs != 1 || strcmp(cli.args[0], "verify"))
		return fq_cli_usage("audit");
	rc = fq_cli_open(&cli, false, &app);
	if (rc)
		return rc;
	db = fq_store_db(app->store, &e);
	if (!db || fq_db_begin(db, false) || fq_audit_verify(db, app->keys, &check)) {
		fq_fail_keep(&e, FQ_ERR_STORE, "cannot read the audit log");
		rc = fq_cli_fail(&e);
	} else if (check.whole) {
		printf("audit chain whole: %lld entries verified\n", (long long)check.checked);
	} else {
		printf("audit chain BROKEN at entry %lld: %s (%lld entries before it verified)\n",
		       (long long)check.first_broken_id, check.reason, (long long)check.checked);
		rc = 3;
	}
	if (db)
		fq_db_rollback(db);
	fq_app_close(app);
	return rc;
}

const struct fq_cli_command fq_cmd_audit = {
	.name = "audit",
	.run = run,
	.summary = "check the audit log: every entry chained and unchanged (exit 3 when broken)",
	.forms = (const char *const[]){"verify", NULL},
	.subcommands = true,
};
