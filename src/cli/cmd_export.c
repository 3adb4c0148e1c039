/* fengqiao export FILE: a whole station as one file, to move it between
 * stores, e.g. from the laptop's SQLite to the city's PostgreSQL and back
 * (docs/operations/move-station.md; the format is in store/dump.h; the other
 * half is cmd_import.c). The key file is not in the export: it travels beside
 * it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/module.h"
#include "cli/cli.h"
#include "core/banned.h"
#include "http/app.h"
#include "store/dump.h"
#include "store/store.h"

/* Creates path (never an existing file) and writes the export into it; a
 * failed export leaves no file behind. */
static enum fq_err export_to(struct fq_db *db, const char *path, struct fq_dump_summary *sum,
			     struct fq_error *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	FILE *out;
	enum fq_err err;

	if (fd < 0 && errno == EEXIST)
		return fq_fail(e, FQ_ERR_CONFLICT, NULL, "file",
			       "export file '%s' exists already; choose a new name", path);
	if (fd < 0)
		return fq_fail(e, FQ_ERR_IO, NULL, "file", "cannot create export file '%s': %s",
			       path, strerror(errno));
	out = fdopen(fd, "w");
	if (!out) {
		close(fd);
		unlink(path);
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	}
	err = fq_dump_export(db, fq_modules_tables(), out, sum, e);
	if (!err && (fflush(out) || fsync(fileno(out))))
		err = fq_fail(e, FQ_ERR_IO, NULL, "file", "cannot write export file '%s': %s", path,
			      strerror(errno));
	if (fclose(out) && !err)
		err = fq_fail(e, FQ_ERR_IO, NULL, "file", "cannot write export file '%s': %s", path,
			      strerror(errno));
	if (err)
		unlink(path);
	return err;
}

static int run(int argc, char **argv)
{
	struct fq_cli cli;
	struct fq_app *app = NULL;
	struct fq_error e = {0};
	struct fq_dump_summary sum = {0};
	struct fq_db *db;
	char key_path[FQ_CONFIG_STR_MAX + 8], detail[160];
	int rc = fq_cli_parse(&cli, "export", NULL, argc, argv);

	if (rc)
		return rc;
	if (cli.nargs != 1)
		return fq_cli_usage("export");
	rc = fq_cli_open(&cli, false, &app);
	if (rc)
		return rc;
	db = fq_store_db(app->store, &e);
	if (!db || export_to(db, cli.args[0], &sum, &e)) {
		rc = fq_cli_fail(&e);
	} else {
		fq_config_key_path(&cli.cfg, key_path, sizeof(key_path));
		fq_cli_print_dump_summary(&sum);
		printf("export written to %s (schema %d). The key file is not in it: move %s with "
		       "it, or the new store cannot read the encrypted fields\n",
		       cli.args[0], sum.schema, key_path);
	}
	snprintf(detail, sizeof(detail), "%lld rows in %d tables, schema %d", (long long)sum.rows,
		 sum.ntables, sum.schema);
	fq_cli_audit(app, "system.export", "file", cli.args[0], rc == 0, rc ? e.message : detail);
	fq_dump_summary_release(&sum);
	fq_app_close(app);
	return rc;
}

const struct fq_cli_command fq_cmd_export = {
	.name = "export",
	.run = run,
	.summary = "write every table to FILE (a new file), to move a station to another store",
	.forms = (const char *const[]){"FILE", NULL},
};
