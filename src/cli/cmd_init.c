/* fengqiao init: creates the database (migrations), the key file and the root
 * org unit with its first sysadmin, whose password is printed once. Running
 * it again changes nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/secret.h"
#include "cli/cli.h"
#include "core/str.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "domain/org.h"
#include "domain/user.h"
#include "http/app.h"
#include "store/meta_store.h"
#include "store/store.h"
#include "store/user_store.h"

/* Creates the folder of a sqlite:PATH store when it is missing. */
static void make_store_dir(const char *store)
{
	char dir[FQ_CONFIG_STR_MAX];
	char *slash;

	if (strncmp(store, "sqlite:", 7))
		return;
	fq_strlcpy(dir, store + 7, sizeof(dir));
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0700) && errno != EEXIST)
		fprintf(stderr, "fengqiao: cannot create folder '%s': %s\n", dir, strerror(errno));
}

/* Whether the store already holds user accounts. */
static bool initialised(const struct fq_config *cfg)
{
	struct fq_store *store = NULL;
	struct fq_db *db;
	struct fq_error e = {0};
	int has = 0;

	if (!fq_store_open(cfg->store, &store, &e) && (db = fq_store_db(store, &e)))
		fq_store_has_users(db, &has);
	fq_store_close(store);
	return has;
}

static const struct fq_cli_opt opts[] = {
	{"org-name", true, "name of the root org unit (default 本级)"},
	{"org-code", true, "code of the root org unit (default root)"},
	{"admin", true, "user name of the first sysadmin (default admin)"},
	{NULL, false, NULL},
};

static int run(int argc, char **argv)
{
	struct fq_cli cli;
	struct fq_app *app = NULL;
	struct fq_error e = {0};
	struct fq_ctx c;
	struct fq_user_row existing;
	char key_path[FQ_CONFIG_STR_MAX + 8], password[17];
	const char *admin;
	int64_t org_id = 0, user_id = 0;
	int rc = fq_cli_parse(&cli, "init", opts, argc, argv);

	if (rc)
		return rc;
	if (cli.nargs)
		return fq_cli_usage("init");
	admin = fq_cli_opt(&cli, "admin") ? fq_cli_opt(&cli, "admin") : "admin";
	make_store_dir(cli.cfg.store);
	rc = fq_cli_migrate(&cli.cfg);
	if (rc)
		return rc;
	fq_config_key_path(&cli.cfg, key_path, sizeof(key_path));
	if (!key_path[0]) {
		fprintf(stderr, "fengqiao: set key_file for this store\n");
		return 1;
	}
	if (fq_secret_init(&e))
		return fq_cli_fail(&e);
	if (access(key_path, F_OK) && initialised(&cli.cfg)) {
		fprintf(stderr,
			"fengqiao: the database is initialised but its key file '%s' is missing:\n"
			"restore the key file saved with the database; a new key could not read it\n",
			key_path);
		return 1;
	}
	if (fq_keys_create(key_path, &e) && e.err != FQ_ERR_CONFLICT)
		return fq_cli_fail(&e);
	if (!e.err)
		printf("key file %s created (mode 0600): back it up with the database\n", key_path);
	fq_error_clear(&e);
	rc = fq_cli_open(&cli, false, &app);
	if (rc)
		return rc;
	rc = fq_cli_begin(app, &c, &e);
	if (rc)
		goto out;
	if (!fq_store_user_by_name(c.db, admin, &existing)) {
		printf("already initialised: the user '%s' exists\n", admin);
		rc = fq_cli_end(&c, false);
		goto out;
	}
	{
		struct fq_org_input org = {
			.kind = "bureau",
			.name = fq_cli_opt(&cli, "org-name") ? fq_cli_opt(&cli, "org-name") : "本级",
			.code = fq_cli_opt(&cli, "org-code") ? fq_cli_opt(&cli, "org-code") : "root",
		};
		struct fq_user_input u = {admin, "系统管理员", "sysadmin", 0, password, true};

		fq_random_password(password);
		if (!fq_org_create(&c, &org, &org_id)) {
			u.org_id = org_id;
			fq_user_create(&c, &u, true, &user_id);
		}
	}
	rc = fq_cli_end(&c, !e.err);
	if (e.err)
		rc = fq_cli_fail(&e);
	if (rc)
		goto out;
	fq_cli_audit(app, "system.init", "user", admin, true, NULL);
	printf("first administrator created; sign in and change the password:\n"
	       "  username: %s\n  password: %s\n",
	       admin, password);
out:
	fq_app_close(app);
	return rc;
}

const struct fq_cli_command fq_cmd_init = {
	.name = "init",
	.run = run,
	.summary = "create the database, the key file and the first sysadmin",
	.forms = (const char *const[]){"[--org-name NAME] [--org-code CODE] [--admin USER]", NULL},
	.opts = opts,
};
