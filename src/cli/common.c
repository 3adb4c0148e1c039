/* What the commands share: option parsing, opening the app, a domain context
 * and audit entries for the command line, migrating, printing an export's
 * summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/principal.h"
#include "core/arena.h"
#include "domain/ctx.h"
#include "cli/cli.h"
#include "core/banned.h"
#include "core/log.h"
#include "http/app.h"
#include "store/dump.h"
#include "store/store.h"

int fq_cli_fail(const struct fq_error *e)
{
	fprintf(stderr, "fengqiao: %s\n", e->message[0] ? e->message : fq_err_default_code(e->err));
	return 1;
}

static int find_opt(const struct fq_cli_opt *opts, const char *name)
{
	for (int i = 0; opts && opts[i].name && i < FQ_CLI_MAX_OPTS; i++)
		if (!strcmp(opts[i].name, name))
			return i;
	return -1;
}

int fq_cli_parse(struct fq_cli *cli, const char *cmd, const struct fq_cli_opt *opts, int argc,
		 char **argv)
{
	const char *settings[64][2];
	int nsettings = 0;
	const char *config = getenv("FENGQIAO_CONFIG");
	struct fq_error e = {0};

	memset(cli, 0, sizeof(*cli));
	cli->opts = opts;
	fq_config_defaults(&cli->cfg);
	for (int i = 0; i < argc; i++) {
		char name[64];
		const char *arg = argv[i], *value = NULL, *eq;
		int k;

		if (strncmp(arg, "--", 2) || !arg[2]) {
			if (cli->nargs >= FQ_CLI_MAX_ARGS) {
				fprintf(stderr, "fengqiao %s: too many arguments\n", cmd);
				return fq_cli_usage(cmd);
			}
			cli->args[cli->nargs++] = arg;
			continue;
		}
		eq = strchr(arg, '=');
		snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - arg - 2) : (int)strlen(arg + 2),
			 arg + 2);
		if (eq)
			value = eq + 1;
		k = find_opt(opts, name);
		if (k >= 0 && !opts[k].has_value) {
			if (eq) {
				fprintf(stderr, "fengqiao %s: --%s takes no value\n", cmd, name);
				return fq_cli_usage(cmd);
			}
			cli->set[k] = true;
			continue;
		}
		if (!value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "fengqiao %s: --%s needs a value\n", cmd, name);
				return fq_cli_usage(cmd);
			}
			value = argv[++i];
		}
		if (k >= 0) {
			cli->set[k] = true;
			cli->values[k] = value;
		} else if (!strcmp(name, "config")) {
			config = value;
		} else if (fq_setting_find(name) && nsettings < 64) {
			settings[nsettings][0] = fq_setting_find(name)->name;
			settings[nsettings++][1] = value;
		} else {
			fprintf(stderr, "fengqiao %s: unknown flag --%s\n", cmd, name);
			return fq_cli_usage(cmd);
		}
	}
	if (config && fq_config_load_file(&cli->cfg, config, &e))
		return fq_cli_fail(&e);
	if (fq_config_load_env(&cli->cfg, &e))
		return fq_cli_fail(&e);
	for (int i = 0; i < nsettings; i++) {
		char source[80];
		snprintf(source, sizeof(source), "flag --%s", settings[i][0]);
		if (fq_config_set(&cli->cfg, settings[i][0], settings[i][1], source, &e))
			return fq_cli_fail(&e);
	}
	fq_log_set_level(!strcmp(cli->cfg.log_level, "debug")  ? FQ_LOG_DEBUG
			 : !strcmp(cli->cfg.log_level, "warn")  ? FQ_LOG_WARN
			 : !strcmp(cli->cfg.log_level, "error") ? FQ_LOG_ERROR
								: FQ_LOG_INFO);
	return 0;
}

const char *fq_cli_opt(const struct fq_cli *cli, const char *name)
{
	int k = find_opt(cli->opts, name);

	return k >= 0 && cli->set[k] ? cli->values[k] : NULL;
}

bool fq_cli_flag(const struct fq_cli *cli, const char *name)
{
	int k = find_opt(cli->opts, name);

	return k >= 0 && cli->set[k];
}

int fq_cli_open(struct fq_cli *cli, bool migrate, struct fq_app **app)
{
	struct fq_error e = {0};

	if (fq_app_open(&cli->cfg, migrate, app, &e))
		return fq_cli_fail(&e);
	return 0;
}

void fq_cli_audit(struct fq_app *app, const char *action, const char *object_type,
		  const char *object_id, bool success, const char *detail)
{
	struct fq_db *db = fq_store_db(app->store, NULL);
	struct fq_audit_entry e = {
		.username = "(command line)",
		.client_addr = "local",
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.success = success,
		.detail = detail,
	};

	if (!db || fq_db_begin(db, true)) {
		fq_log_error("cannot write audit entry for '%s': the store cannot be reached", action);
		return;
	}
	if (fq_audit_append(db, app->keys, &e) || fq_db_commit(db)) {
		fq_db_rollback(db);
		fq_log_error("cannot write audit entry for '%s'", action);
	}
}

static const struct fq_principal cli_principal = {
	.username = "(command line)",
	.display_name = "command line",
	.role = "sysadmin",
	.org_path = "/",
	.whole_tree = true,
};

int fq_cli_begin(struct fq_app *app, struct fq_ctx *c, struct fq_error *e)
{
	memset(c, 0, sizeof(*c));
	c->db = fq_store_db(app->store, e);
	c->keys = app->keys;
	c->cfg = &app->cfg;
	c->who = &cli_principal;
	c->e = e;
	if (!c->db)
		return fq_cli_fail(e);
	c->arena = fq_arena_new();
	if (!c->arena || fq_db_begin(c->db, true)) {
		fq_arena_free(c->arena);
		fq_fail(e, FQ_ERR_STORE, NULL, NULL, "cannot start a transaction");
		return fq_cli_fail(e);
	}
	return 0;
}

int fq_cli_end(struct fq_ctx *c, bool ok)
{
	int rc = 0;

	if (ok && fq_db_commit(c->db)) {
		fq_fail(c->e, FQ_ERR_STORE, NULL, NULL, "cannot save the change");
		rc = fq_cli_fail(c->e);
	} else if (!ok) {
		fq_db_rollback(c->db);
	}
	fq_arena_free(c->arena);
	c->arena = NULL;
	return rc;
}

void fq_cli_print_dump_summary(const struct fq_dump_summary *sum)
{
	printf("%-16s %10s  %s\n", "table", "rows", "sha256");
	for (int i = 0; i < sum->ntables; i++)
		printf("%-16s %10lld  %.16s\n", sum->tables[i].table,
		       (long long)sum->tables[i].rows, sum->tables[i].sha256);
	printf("%-16s %10lld\n", "total", (long long)sum->rows);
}

int fq_cli_migrate(const struct fq_config *cfg)
{
	struct fq_store *store;
	struct fq_error e = {0};
	int applied = 0;

	if (fq_store_open(cfg->store, &store, &e) || fq_store_migrate(store, &applied, &e)) {
		fq_store_close(store);
		return fq_cli_fail(&e);
	}
	{
		char shown[FQ_CONFIG_STR_MAX];

		fq_store_url_redacted(cfg->store, shown, sizeof(shown));
		printf("database %s: %d migration%s applied, schema version %d\n", shown, applied,
		       applied == 1 ? "" : "s", fq_store_latest_version());
	}
	fq_store_close(store);
	return 0;
}
