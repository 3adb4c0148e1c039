/* fengqiao token: API tokens for integrations — create (shown once), list,
 * revoke. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/session.h"
#include "cli/cli.h"
#include "core/str.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "http/app.h"
#include "store/user_store.h"

/* "person.read,person.write" → "person.read person.write", each a permission
 * of the user's role. */
static int parse_scopes(const char *in, const char *role, char *out, size_t size,
			struct fq_error *e)
{
	char buf[512], *save = NULL, *tok;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", in);
	out[0] = '\0';
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (!fq_permission_known(tok)) {
			fq_fail(e, FQ_ERR_INVALID, NULL, "scopes", "unknown scope '%s'", tok);
			return 1;
		}
		if (!fq_role_allows(role, tok)) {
			fq_fail(e, FQ_ERR_INVALID, NULL, "scopes",
				"the user's role %s does not hold '%s'", role, tok);
			return 1;
		}
		n += (size_t)snprintf(out + n, size - n, "%s%s", n ? " " : "", tok);
		if (n >= size)
			return 1;
	}
	if (!n) {
		fq_fail(e, FQ_ERR_INVALID, NULL, "scopes", "give at least one scope");
		return 1;
	}
	return 0;
}

static int token_create(struct fq_cli *cli, struct fq_app *app)
{
	struct fq_error e = {0};
	struct fq_ctx c;
	struct fq_user_row u;
	char scopes[512], token[80], idtext[24];
	const char *label = fq_cli_opt(cli, "label"), *days = fq_cli_opt(cli, "days");
	int64_t ndays = 0, id = 0;
	int rc;

	if (cli->nargs != 2 || !fq_cli_opt(cli, "scopes"))
		return fq_cli_usage("token");
	if (days && !fq_parse_i64(days, 1, 3650, &ndays)) {
		fprintf(stderr, "fengqiao: --days must be from 1 to 3650\n");
		return 2;
	}
	rc = fq_cli_begin(app, &c, &e);
	if (rc)
		return rc;
	if (fq_store_user_by_name(c.db, cli->args[1], &u))
		fq_fail(&e, FQ_ERR_NOT_FOUND, NULL, NULL, "no user '%s'", cli->args[1]);
	else if (!parse_scopes(fq_cli_opt(cli, "scopes"), u.role, scopes, sizeof(scopes), &e) &&
		 fq_token_create(c.db, u.id, label ? label : "integration", scopes,
				 ndays ? fq_time_now_ms() + ndays * 86400000 : 0, token,
				 sizeof(token), &id))
		fq_fail(&e, FQ_ERR_STORE, NULL, NULL, "cannot save the token");
	rc = fq_cli_end(&c, !e.err);
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	fq_cli_audit(app, "token.create", "token", idtext, !e.err && !rc,
		     e.err ? e.message : cli->args[1]);
	if (e.err)
		return fq_cli_fail(&e);
	if (!rc) {
		fprintf(stderr, "token %lld for %s (scopes: %s); it is shown only this once:\n",
			(long long)id, cli->args[1], scopes);
		printf("%s\n", token);
	}
	return rc;
}

static int token_list(struct fq_app *app)
{
	struct fq_error e = {0};
	struct fq_ctx c;
	enum fq_err err;
	json_t *rows, *row;
	size_t i;
	int rc = fq_cli_begin(app, &c, &e);

	if (rc)
		return rc;
	rows = fq_token_list(c.db, &err);
	fq_cli_end(&c, false);
	if (!rows)
		return 1;
	printf("%-5s %-16s %-16s %-10s %s\n", "id", "user", "label", "state", "scopes");
	json_array_foreach(rows, i, row)
		printf("%-5lld %-16s %-16s %-10s %s\n",
		       (long long)json_integer_value(json_object_get(row, "id")),
		       json_string_value(json_object_get(row, "username")),
		       json_string_value(json_object_get(row, "label")),
		       json_is_string(json_object_get(row, "revoked_at")) ? "revoked" : "active",
		       json_string_value(json_object_get(row, "scopes")));
	json_decref(rows);
	return 0;
}

static int token_revoke(struct fq_cli *cli, struct fq_app *app)
{
	struct fq_error e = {0};
	struct fq_ctx c;
	int64_t id;
	enum fq_err err;
	int rc;

	if (cli->nargs != 2 || !fq_parse_i64(cli->args[1], 1, INT64_MAX, &id))
		return fq_cli_usage("token");
	rc = fq_cli_begin(app, &c, &e);
	if (rc)
		return rc;
	err = fq_token_revoke(c.db, id);
	if (err == FQ_ERR_NOT_FOUND)
		fq_fail(&e, err, NULL, NULL, "no active token %lld", (long long)id);
	else if (err)
		fq_fail(&e, err, NULL, NULL, "cannot revoke the token");
	rc = fq_cli_end(&c, !e.err);
	fq_cli_audit(app, "token.revoke", "token", cli->args[1], !e.err && !rc, NULL);
	if (e.err)
		return fq_cli_fail(&e);
	printf("token %lld revoked\n", (long long)id);
	return rc;
}

static const struct fq_cli_opt opts[] = {
	{"scopes", true, "comma-separated permissions, each held by the user's role"},
	{"label", true, "what the token is for (default integration)"},
	{"days", true, "expires after this many days (1 to 3650; default never)"},
	{NULL, false, NULL},
};

static int run(int argc, char **argv)
{
	struct fq_cli cli;
	struct fq_app *app = NULL;
	int rc = fq_cli_parse(&cli, "token", opts, argc, argv);

	if (rc)
		return rc;
	if (!cli.nargs)
		return fq_cli_usage("token");
	rc = fq_cli_open(&cli, false, &app);
	if (rc)
		return rc;
	if (!strcmp(cli.args[0], "create"))
		rc = token_create(&cli, app);
	else if (!strcmp(cli.args[0], "list"))
		rc = token_list(app);
	else if (!strcmp(cli.args[0], "revoke"))
		rc = token_revoke(&cli, app);
	else
		rc = fq_cli_usage("token");
	fq_app_close(app);
	return rc;
}

const struct fq_cli_command fq_cmd_token = {
	.name = "token",
	.run = run,
	.summary = "API tokens for integrations (a token is shown only when created)",
	.forms = (const char *const[]){
		"create USER --scopes A,B [--label TEXT] [--days N]",
		"list",
		"revoke ID",
		NULL},
	.subcommands = true,
	.opts = opts,
};
