/* fengqiao user: adds, lists and unlocks accounts, sets passwords (read from
 * standard input) and resets TOTP, as the command line (audited). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/banned.h"
#include "domain/ctx.h"
#include "auth/secret.h"
#include "domain/user.h"
#include "http/app.h"
#include "store/org_store.h"
#include "store/user_store.h"

/* Reads one line (the password) from standard input. */
static int read_password(char *buf, size_t size)
{
	size_t n;

	if (!fgets(buf, (int)size, stdin)) {
		fprintf(stderr, "fengqiao: give the password on standard input\n");
		return 1;
	}
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == size - 1) {
		fprintf(stderr, "fengqiao: the password is too long\n");
		return 1;
	}
	buf[n] = '\0';
	return 0;
}

static int user_add(struct fq_cli *cli, struct fq_app *app)
{
	struct fq_error e = {0};
	struct fq_ctx c;
	struct fq_org_row org;
	char password[256];
	const char *code = fq_cli_opt(cli, "org"), *role = fq_cli_opt(cli, "role");
	struct fq_user_input in = {cli->args[1], NULL, role, 0, password,
				   fq_cli_flag(cli, "temporary")};
	int64_t id = 0;
	int rc;

	if (cli->nargs != 2 || !code || !role)
		return fq_cli_usage("user");
	in.display_name = fq_cli_opt(cli, "display-name") ? fq_cli_opt(cli, "display-name")
							    : cli->args[1];
	if (read_password(password, sizeof(password)))
		return 1;
	rc = fq_cli_begin(app, &c, &e);
	if (rc)
		return rc;
	if (fq_store_org_by_code(c.db, code, &org))
		fq_fail(&e, FQ_ERR_INVALID, NULL, "org", "no org unit has the code '%s'", code);
	else
		in.org_id = org.id;
	if (!e.err)
		fq_user_create(&c, &in, true, &id);
	rc = fq_cli_end(&c, !e.err);
	fq_cli_audit(app, "user.create", "user", cli->args[1], !e.err && !rc,
		     e.err ? e.message : role);
	if (e.err)
		return fq_cli_fail(&e);
	if (!rc)
		printf("user %s (%s) created with id %lld\n", cli->args[1], role, (long long)id);
	return rc;
}

static int user_list(struct fq_app *app)
{
	struct fq_error e = {0};
	struct fq_ctx c;
	json_t *rows, *row;
	size_t i;
	int rc = fq_cli_begin(app, &c, &e);

	if (rc)
		return rc;
	rows = fq_user_list(&c, NULL, 1, 10000);
	fq_cli_end(&c, false);
	if (!rows)
		return fq_cli_fail(&e);
	printf("%-6s %-20s %-10s %-20s %s\n", "id", "username", "role", "org", "state");
	json_array_foreach(rows, i, row) {
		printf("%-6lld %-20s %-10s %-20s %s\n",
		       (long long)json_integer_value(json_object_get(row, "id")),
		       json_string_value(json_object_get(row, "username")),
		       json_string_value(json_object_get(row, "role")),
		       json_string_value(json_object_get(row, "org_name")),
		       json_integer_value(json_object_get(row, "disabled")) ? "disabled"
		       : json_is_string(json_object_get(row, "locked_until"))  ? "locked?"
									       : "active");
	}
	json_decref(rows);
	return 0;
}

enum user_change { CHANGE_UNLOCK, CHANGE_PASSWD, CHANGE_TOTP };

/* unlock NAME, passwd NAME (new password from standard input), reset-totp NAME. */
static int user_change(struct fq_cli *cli, struct fq_app *app, enum user_change what)
{
	struct fq_error e = {0};
	struct fq_ctx c;
	struct fq_user_row u;
	char password[256], hash[128];
	int rc;

	if (cli->nargs != 2)
		return fq_cli_usage("user");
	bool passwd = what == CHANGE_PASSWD;
	static const char *const actions[] = {"user.unlock", "user.password_reset", "user.totp_reset"};
	static const char *const done[] = {"unlocked", "has a new password", "sets up TOTP again"};

	if (passwd && read_password(password, sizeof(password)))
		return 1;
	rc = fq_cli_begin(app, &c, &e);
	if (rc)
		return rc;
	if (fq_store_user_by_name(c.db, cli->args[1], &u))
		fq_fail(&e, FQ_ERR_NOT_FOUND, NULL, NULL, "no user '%s'", cli->args[1]);
	else if (what == CHANGE_UNLOCK)
		fq_user_unlock(&c, u.id);
	else if (what == CHANGE_TOTP)
		fq_user_reset_totp(&c, u.id);
	else if (!fq_password_policy(password, "password", &e) && fq_password_hash(password, hash))
		fq_fail(&e, FQ_ERR_NOMEM, NULL, NULL, "cannot hash the password");
	else if (!e.err && fq_store_user_set_password(c.db, u.id, hash, fq_cli_flag(cli, "temporary")))
		fq_fail(&e, FQ_ERR_STORE, NULL, NULL, "cannot save the password");
	rc = fq_cli_end(&c, !e.err);
	fq_cli_audit(app, actions[what], "user", cli->args[1],
		     !e.err && !rc, e.err ? e.message : NULL);
	if (e.err)
		return fq_cli_fail(&e);
	if (!rc)
		printf("user %s %s\n", cli->args[1], done[what]);
	return rc;
}

static const struct fq_cli_opt opts[] = {
	{"role", true, "role of the new user"},
	{"org", true, "code of the user's org unit"},
	{"display-name", true, "name shown in the app"},
	{"temporary", false, "the password must be changed at first sign-in"},
	{NULL, false, NULL},
};

static int run(int argc, char **argv)
{
	struct fq_cli cli;
	struct fq_app *app = NULL;
	int rc = fq_cli_parse(&cli, "user", opts, argc, argv);

	if (rc)
		return rc;
	if (!cli.nargs)
		return fq_cli_usage("user");
	rc = fq_cli_open(&cli, false, &app);
	if (rc)
		return rc;
	if (!strcmp(cli.args[0], "add"))
		rc = user_add(&cli, app);
	else if (!strcmp(cli.args[0], "list"))
		rc = user_list(app);
	else if (!strcmp(cli.args[0], "unlock"))
		rc = user_change(&cli, app, CHANGE_UNLOCK);
	else if (!strcmp(cli.args[0], "passwd"))
		rc = user_change(&cli, app, CHANGE_PASSWD);
	else if (!strcmp(cli.args[0], "reset-totp"))
		rc = user_change(&cli, app, CHANGE_TOTP);
	else
		rc = fq_cli_usage("user");
	fq_app_close(app);
	return rc;
}

const struct fq_cli_command fq_cmd_user = {
	.name = "user",
	.run = run,
	.summary = "manage user accounts; passwords are read from standard input",
	.forms = (const char *const[]){
		"add NAME --role ROLE --org CODE [--display-name TEXT] [--temporary]",
		"list",
		"unlock NAME",
		"passwd NAME [--temporary]",
		"reset-totp NAME",
		NULL},
	.subcommands = true,
	.opts = opts,
};
