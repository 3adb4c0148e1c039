/* fengqiao import FILE: loads an export (cmd_export.c) into a new, empty
 * store, checking first that the key file given opens the station's
 * encrypted fields (docs/operations/move-station.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/module.h"
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

static int run(int argc, char **argv)
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
	    fq_dump_import(store, fq_modules_tables(), in, cli.args[0], check_key, &kc,
			   &sum, &e)) {
		rc = fq_cli_fail(&e);
		fprintf(stderr, "fengqiao: nothing was imported\n");
		goto out;
	}
	fq_store_close(store);
	store = NULL;
	fq_cli_print_dump_summary(&sum);
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
	fq_dump_summary_release(&sum);
	fq_app_close(app);
	fq_store_close(store);
	fq_keys_free(keys);
	if (in)
		fclose(in);
	return rc;
}

const struct fq_cli_command fq_cmd_import = {
	.name = "import",
	.run = run,
	.summary = "load an export into a new, empty store, with the key file of its station",
	.forms = (const char *const[]){"FILE --key_file FILE", NULL},
};
