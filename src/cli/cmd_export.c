/* fengqiao export FILE / fengqiao import FILE: a whole station as one file, to
 * move it between stores, e.g. from the laptop's SQLite to the city's
 * PostgreSQL and back (docs/operations/move-station.md; the format is in
 * store/dump.h). The key file is not in the export: it travels beside it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/secret.h"
#include "cli/cli.h"
#include "core/banned.h"
#include "http/app.h"
#include "store/dump.h"
#include "store/meta_store.h"
#include "store/store.h"

/* The value sealed with the key file that http/app.c keeps in table meta. */
#define KEY_CHECK_NAME "key_check"
#define KEY_CHECK_TEXT "fengqiao key check"

static void print_summary(const struct fq_dump_summary *sum)
{
	printf("%-16s %10s  %s\n", "table", "rows", "sha256");
	for (int i = 0; i < sum->ntables; i++)
		printf("%-16s %10lld  %.16s\n", sum->tables[i].table,
		       (long long)sum->tables[i].rows, sum->tables[i].sha256);
	printf("%-16s %10lld\n", "total", (long long)sum->rows);
}

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
	err = fq_dump_export(db, out, sum, e);
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

int fq_cmd_export(int argc, char **argv)
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
		print_summary(&sum);
		printf("export written to %s (schema %d). The key file is not in it: move %s with "
		       "it, or the new store cannot read the encrypted fields\n",
		       cli.args[0], sum.schema, key_path);
	}
	snprintf(detail, sizeof(detail), "%lld rows in %d tables, schema %d", (long long)sum.rows,
		 sum.ntables, sum.schema);
	fq_cli_audit(app, "system.export", "file", cli.args[0], rc == 0, rc ? e.message : detail);
	fq_app_close(app);
	return rc;
}

struct key_check {
	const struct fq_keys *keys;
	const char *path;
};

/* Once table meta is in, before any personal data: the key file must open
 * the station's key check, or encrypted fields would be lost. */
static enum fq_err check_key(struct fq_db *db, const char *table, void *arg, struct fq_error *e)
{
	const struct key_check *kc = arg;
	void *stored = NULL;
	char *plain = NULL;
	size_t len = 0;
	enum fq_err err;

	if (strcmp(table, "meta"))
		return FQ_OK;
	err = fq_store_meta_get(db, KEY_CHECK_NAME, &stored, &len);
	if (err == FQ_ERR_NOT_FOUND)
		err = fq_fail(e, FQ_ERR_INVALID, "bad_export", "file",
			      "the export holds no key check in table meta: it was not written by "
			      "'fengqiao export'");
	else if (err)
		err = fq_fail(e, err, NULL, NULL, "cannot read the key check");
	else if (fq_unseal(kc->keys, stored, len, &plain) || strcmp(plain, KEY_CHECK_TEXT))
		err = fq_fail(e, FQ_ERR_FORBIDDEN, "wrong_key", "key_file",
			      "the key file '%s' does not belong to the exported station: give "
			      "the key file of the store it came from with --key_file",
			      kc->path);
	free(stored);
	free(plain);
	return err;
}

int fq_cmd_import(int argc, char **argv)
{
	struct fq_cli cli;
	struct fq_app *app = NULL;
	struct fq_store *store = NULL;
	struct fq_keys *keys = NULL;
	struct fq_error e = {0};
	struct fq_dump_summary sum = {0};
	struct key_check kc;
	struct stat st;
	char key_path[FQ_CONFIG_STR_MAX + 8], detail[160];
	FILE *in = NULL;
	int rc = fq_cli_parse(&cli, "import", NULL, argc, argv);

	if (rc)
		return rc;
	if (cli.nargs != 1)
		return fq_cli_usage("import");
	fq_config_key_path(&cli.cfg, key_path, sizeof(key_path));
	if (!key_path[0]) {
		fq_fail(&e, FQ_ERR_INVALID, NULL, "key_file",
			"give the key file of the exported station with --key_file: it is not in "
			"the export");
		return fq_cli_fail(&e);
	}
	if (fq_secret_init(&e) || fq_keys_load(key_path, &keys, &e))
		return fq_cli_fail(&e);
	in = fopen(cli.args[0], "re");
	if (!in || fstat(fileno(in), &st) || !S_ISREG(st.st_mode)) {
		fq_fail(&e, FQ_ERR_IO, NULL, "file", "cannot read export file '%s': %s",
			cli.args[0], in ? "not a regular file" : strerror(errno));
		rc = fq_cli_fail(&e);
		goto out;
	}
	kc.keys = keys;
	kc.path = key_path;
	if (fq_store_open(cli.cfg.store, &store, &e) ||
	    fq_dump_import(store, in, cli.args[0], check_key, &kc, &sum, &e)) {
		rc = fq_cli_fail(&e);
		fprintf(stderr, "fengqiao: nothing was imported\n");
		goto out;
	}
	fq_store_close(store);
	store = NULL;
	print_summary(&sum);
	printf("imported %s (exported %s, schema %d) into %s\n", cli.args[0], sum.exported_at,
	       sum.schema, cli.cfg.store);
	/* The audit entry extends the imported chain. */
	rc = fq_cli_open(&cli, false, &app);
	if (rc)
		goto out;
	snprintf(detail, sizeof(detail), "%lld rows in %d tables, exported %s", (long long)sum.rows,
		 sum.ntables, sum.exported_at);
	fq_cli_audit(app, "system.import", "file", cli.args[0], true, detail);
out:
	fq_app_close(app);
	fq_store_close(store);
	fq_keys_free(keys);
	if (in)
		fclose(in);
	return rc;
}
