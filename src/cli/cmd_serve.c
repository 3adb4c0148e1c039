/* fengqiao serve: runs the server until SIGINT or SIGTERM, then finishes the
 * requests in flight. */
#include <signal.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/sweep.h"
#include "core/banned.h"
#include "core/log.h"
#include "document/pdf.h"
#include "domain/outbox_send.h"
#include "http/app.h"
#include "http/server.h"
#include "store/group_commit.h"
#include "store/store.h"

static int run(int argc, char **argv)
{
	struct fq_cli cli;
	struct fq_app *app = NULL;
	struct fq_server *server = NULL;
	struct fq_outbox_worker *outbox = NULL;
	struct fq_sweeper *sweeper;
	struct fq_error e = {0};
	sigset_t set;
	int sig = 0, rc;

	rc = fq_cli_parse(&cli, "serve", NULL, argc, argv);
	if (rc)
		return rc;
	if (cli.nargs)
		return fq_cli_usage("serve");
	/* Block the stop signals in every thread; this one waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Only the server: the command line commits one change at a time. */
	fq_group_commit_enable(cli.cfg.group_commit);
	rc = fq_cli_open(&cli, true, &app);
	if (rc)
		return rc;
	if (fq_server_start(app, &server, &e)) {
		fq_app_close(app);
		return fq_cli_fail(&e);
	}
	/* The outbox's deliveries, in the background (domain/outbox_send.h). */
	if (fq_outbox_worker_start(&(struct fq_outbox_runner){app->store, app->keys, &app->cfg},
				   &outbox, &e)) {
		fq_server_stop(server, 0);
		fq_app_close(app);
		return fq_cli_fail(&e);
	}
	sweeper = fq_sweeper_start(app); /* time-driven notifications */
	/* Without the fonts everything works but the PDF documents (503). */
	if (fq_pdf_fonts_check(&e))
		fq_log_warn("pdf documents unavailable: %s", e.message);
	fq_log_info("fengqiao listening on http://%s (store %s, %lld threads)", cli.cfg.listen,
		    fq_store_kind(app->store), (long long)cli.cfg.threads);
	sigwait(&set, &sig);
	fq_log_info("stopping on signal %d: finishing requests in flight", sig);
	fq_sweeper_stop(sweeper);
	fq_server_stop(server, 10000);
	fq_outbox_worker_stop(outbox);
	fq_app_close(app);
	fq_log_info("stopped");
	return 0;
}

const struct fq_cli_command fq_cmd_serve = {
	.name = "serve",
	.run = run,
	.summary = "run the server (applies pending migrations first); stop it with SIGTERM",
	.forms = (const char *const[]){"[--listen HOST:PORT] [SETTINGS]", NULL},
};
