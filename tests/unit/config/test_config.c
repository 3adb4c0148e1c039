/* Covers src/config/config.c: defaults, typed and bounded settings, the config file and the environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "core/err.h"
#include "test.h"

/* Writes text to a new temporary file; path must hold 64 bytes. */
static int write_temp(const char *text, char *path)
{
	int fd;
	size_t n = strlen(text);

	snprintf(path, 64, "/tmp/fq_test_config_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, text, n) != (ssize_t)n) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/* Loads text as a config file into cfg; the error (if any) goes to *e. */
static enum fq_err load_text(struct fq_config *cfg, const char *text, struct fq_error *e,
			     char *path)
{
	enum fq_err err;

	if (write_temp(text, path)) {
		fprintf(stderr, "  cannot write a temporary file\n");
		fq_test_failed_checks++;
		return FQ_ERR_IO;
	}
	err = fq_config_load_file(cfg, path, e);
	unlink(path);
	return err;
}

TEST(defaults)
{
	struct fq_config cfg;

	fq_config_defaults(&cfg);
	CHECK_STR(cfg.store, "sqlite:data/fengqiao.db");
	CHECK_STR(cfg.listen, "127.0.0.1:8080");
	CHECK_STR(cfg.web_root, "web/dist");
	CHECK_STR(cfg.key_file, "");
	CHECK_STR(cfg.log_level, "info");
	CHECK_STR(cfg.cookie_secure, "auto");
	CHECK_INT(cfg.threads, 2);
	CHECK_INT(cfg.max_body, 1048576);
	CHECK_INT(cfg.session_idle_minutes, 30);
	CHECK_INT(cfg.lockout_failures, 5);
	CHECK_INT(cfg.max_connections_per_address, 64);
	CHECK_INT(cfg.header_timeout_seconds, 10);
	CHECK_INT(cfg.idle_timeout_seconds, 60);
	CHECK(cfg.access_log);
	/* Every default is within its own bounds. */
	for (int k = 0; k < fq_settings_count; k++) {
		struct fq_error e = {0};
		struct fq_config tmp;

		fq_config_defaults(&tmp);
		if (fq_config_set(&tmp, fq_settings[k].name, fq_settings[k].def, "test", &e)) {
			fprintf(stderr, "  default of %s refused: %s\n", fq_settings[k].name,
				e.message);
			fq_test_failed_checks++;
		}
	}
}

TEST(set_int)
{
	struct fq_config cfg;
	struct fq_error e = {0};

	fq_config_defaults(&cfg);
	CHECK_INT(fq_config_set(&cfg, "threads", "8", "flag", &e), FQ_OK);
	CHECK_INT(cfg.threads, 8);
	CHECK_INT(fq_config_set(&cfg, "threads", "1", "flag", &e), FQ_OK);
	CHECK_INT(fq_config_set(&cfg, "threads", "64", "flag", &e), FQ_OK);
	CHECK_INT(cfg.threads, 64);

	CHECK_INT(fq_config_set(&cfg, "threads", "65", "flag", &e), FQ_ERR_INVALID);
	CHECK_STR(e.field, "threads");
	CHECK(strstr(e.message, "'threads'"));
	CHECK(strstr(e.message, "from 1 to 64"));
	CHECK(strstr(e.message, "'65'"));
	CHECK(strstr(e.message, "flag"));
	CHECK_INT(cfg.threads, 64); /* unchanged */

	fq_error_clear(&e);
	CHECK_INT(fq_config_set(&cfg, "threads", "0", "flag", &e), FQ_ERR_INVALID);
	CHECK_INT(fq_config_set(&cfg, "threads", "", "flag", &e), FQ_ERR_INVALID);
	CHECK_INT(fq_config_set(&cfg, "threads", "4x", "flag", &e), FQ_ERR_INVALID);
	CHECK_INT(fq_config_set(&cfg, "threads", "-4", "flag", &e), FQ_ERR_INVALID);
	CHECK_INT(fq_config_set(&cfg, "threads", "9223372036854775808", "flag", &e),
		  FQ_ERR_INVALID);
	CHECK_INT(cfg.threads, 64);
	/* '-' and '_' are the same in names. */
	CHECK_INT(fq_config_set(&cfg, "max-body", "2048", "flag", &e), FQ_OK);
	CHECK_INT(cfg.max_body, 2048);
}

TEST(unknown_setting)
{
	struct fq_config cfg;
	struct fq_error e = {0};

	fq_config_defaults(&cfg);
	CHECK_INT(fq_config_set(&cfg, "thread", "4", "flag", &e), FQ_ERR_INVALID);
	CHECK_STR(e.code, "unknown_setting");
	CHECK(strstr(e.message, "unknown setting 'thread'"));
	CHECK_INT(fq_config_set(&cfg, "", "4", "flag", &e), FQ_ERR_INVALID);
	CHECK_INT(fq_config_set(&cfg, "THREADS", "4", "flag", &e), FQ_ERR_INVALID);
	CHECK(fq_setting_find("threads") != NULL);
	CHECK(fq_setting_find("access-log") != NULL);
	CHECK(fq_setting_find("nope") == NULL);
}

TEST(choice_bool_and_strings)
{
	struct fq_config cfg;
	struct fq_error e = {0};
	char long_value[80];

	fq_config_defaults(&cfg);
	CHECK_INT(fq_config_set(&cfg, "log_level", "debug", "flag", &e), FQ_OK);
	CHECK_STR(cfg.log_level, "debug");
	CHECK_INT(fq_config_set(&cfg, "log_level", "verbose", "flag", &e), FQ_ERR_INVALID);
	CHECK_STR(e.field, "log_level");
	CHECK(strstr(e.message, "debug|info|warn|error"));
	CHECK(strstr(e.message, "'verbose'"));
	CHECK_INT(fq_config_set(&cfg, "log_level", "inf", "flag", &e), FQ_ERR_INVALID);
	CHECK_INT(fq_config_set(&cfg, "log_level", "infos", "flag", &e), FQ_ERR_INVALID);
	CHECK_INT(fq_config_set(&cfg, "log_level", "", "flag", &e), FQ_ERR_INVALID);
	CHECK_STR(cfg.log_level, "debug");
	CHECK_INT(fq_config_set(&cfg, "cookie_secure", "always", "flag", &e), FQ_OK);
	CHECK_STR(cfg.cookie_secure, "always");

	CHECK_INT(fq_config_set(&cfg, "access_log", "false", "flag", &e), FQ_OK);
	CHECK(!cfg.access_log);
	CHECK_INT(fq_config_set(&cfg, "access_log", "yes", "flag", &e), FQ_OK);
	CHECK(cfg.access_log);
	CHECK_INT(fq_config_set(&cfg, "access_log", "0", "flag", &e), FQ_OK);
	CHECK(!cfg.access_log);
	fq_error_clear(&e);
	CHECK_INT(fq_config_set(&cfg, "access_log", "maybe", "flag", &e), FQ_ERR_INVALID);
	CHECK_STR(e.field, "access_log");
	CHECK(strstr(e.message, "true or false"));
	CHECK(!cfg.access_log);

	CHECK_INT(fq_config_set(&cfg, "listen", "0.0.0.0:9000", "flag", &e), FQ_OK);
	CHECK_STR(cfg.listen, "0.0.0.0:9000");
	memset(long_value, 'a', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	CHECK_INT(fq_config_set(&cfg, "listen", long_value, "flag", &e), FQ_ERR_INVALID);
	CHECK_STR(e.code, "too_long");
	CHECK_STR(cfg.listen, "0.0.0.0:9000");
}

TEST(file_good)
{
	struct fq_config cfg;
	struct fq_error e = {0};
	char path[64];

	fq_config_defaults(&cfg);
	CHECK_INT(load_text(&cfg,
			    "# Fengqiao\n"
			    "\n"
			    "threads = 4\n"
			    "  listen=127.0.0.1:9090  \n"
			    "store = \"sqlite:/var/lib/fengqiao/fq.db\"\n"
			    "log-level = warn\n"
			    "\taccess_log = no\n"
			    "web_root = /srv/web # not a comment: part of the value\n"
			    "max_body = 4096",
			    &e, path),
		  FQ_OK);
	CHECK_INT(e.err, FQ_OK);
	CHECK_INT(cfg.threads, 4);
	CHECK_STR(cfg.listen, "127.0.0.1:9090");
	CHECK_STR(cfg.store, "sqlite:/var/lib/fengqiao/fq.db");
	CHECK_STR(cfg.log_level, "warn");
	CHECK(!cfg.access_log);
	CHECK_STR(cfg.web_root, "/srv/web # not a comment: part of the value");
	CHECK_INT(cfg.max_body, 4096); /* last line without a newline */
}

TEST(file_errors)
{
	struct fq_config cfg;
	struct fq_error e = {0};
	char path[64], want[100];

	fq_config_defaults(&cfg);
	CHECK_INT(load_text(&cfg, "threads = 4\n# comment\nthreds = 8\n", &e, path),
		  FQ_ERR_INVALID);
	CHECK_STR(e.code, "unknown_setting");
	snprintf(want, sizeof(want), "unknown setting 'threds' (%s:3)", path);
	CHECK(strstr(e.message, want));

	fq_error_clear(&e);
	CHECK_INT(load_text(&cfg, "\n\nthreads 4\n", &e, path), FQ_ERR_INVALID);
	snprintf(want, sizeof(want), "%s:3: expected 'key = value'", path);
	CHECK_STR(e.message, want);

	fq_error_clear(&e);
	CHECK_INT(load_text(&cfg, "threads = 100\n", &e, path), FQ_ERR_INVALID);
	CHECK_STR(e.field, "threads");
	snprintf(want, sizeof(want), "setting 'threads' (%s:1) must be", path);
	CHECK(strstr(e.message, want));

	fq_error_clear(&e);
	CHECK_INT(fq_config_load_file(&cfg, "/nonexistent/fengqiao.conf", &e), FQ_ERR_IO);
	CHECK(strstr(e.message, "/nonexistent/fengqiao.conf"));
}

TEST(file_long_line)
{
	struct fq_config cfg;
	struct fq_error e = {0};
	char path[64], text[1200];

	fq_config_defaults(&cfg);
	snprintf(text, sizeof(text), "threads = 3\nweb_root = ");
	memset(text + strlen(text), 'w', 1100);
	text[1100 + 23] = '\0';
	CHECK_INT(load_text(&cfg, text, &e, path), FQ_ERR_INVALID);
	CHECK(strstr(e.message, ":2: line too long"));
}

TEST(env_override)
{
	struct fq_config cfg;
	struct fq_error e = {0};

	fq_config_defaults(&cfg);
	setenv("FENGQIAO_THREADS", "12", 1);
	setenv("FENGQIAO_ACCESS_LOG", "false", 1);
	CHECK_INT(fq_config_load_env(&cfg, &e), FQ_OK);
	CHECK_INT(cfg.threads, 12);
	CHECK(!cfg.access_log);

	setenv("FENGQIAO_THREADS", "1000", 1);
	CHECK_INT(fq_config_load_env(&cfg, &e), FQ_ERR_INVALID);
	CHECK_STR(e.field, "threads");
	CHECK(strstr(e.message, "environment FENGQIAO_THREADS"));
	CHECK_INT(cfg.threads, 12);
	unsetenv("FENGQIAO_THREADS");
	unsetenv("FENGQIAO_ACCESS_LOG");

	fq_error_clear(&e);
	fq_config_defaults(&cfg);
	CHECK_INT(fq_config_load_env(&cfg, &e), FQ_OK);
	CHECK_INT(cfg.threads, 2);
}

TEST(key_path)
{
	struct fq_config cfg;
	struct fq_error e = {0};
	char out[FQ_CONFIG_STR_MAX + 8];

	fq_config_defaults(&cfg);
	fq_config_key_path(&cfg, out, sizeof(out));
	CHECK_STR(out, "data/fengqiao.db.key");
	CHECK_INT(fq_config_set(&cfg, "key_file", "/etc/fengqiao/key", "flag", &e), FQ_OK);
	fq_config_key_path(&cfg, out, sizeof(out));
	CHECK_STR(out, "/etc/fengqiao/key");
	fq_config_defaults(&cfg);
	CHECK_INT(fq_config_set(&cfg, "store", "postgresql://localhost/fq", "flag", &e), FQ_OK);
	fq_config_key_path(&cfg, out, sizeof(out));
	CHECK_STR(out, "");
}

static const struct fq_test tests[] = {
	TEST_ENTRY(defaults),  TEST_ENTRY(set_int),        TEST_ENTRY(unknown_setting),
	TEST_ENTRY(choice_bool_and_strings), TEST_ENTRY(file_good), TEST_ENTRY(file_errors),
	TEST_ENTRY(file_long_line), TEST_ENTRY(env_override), TEST_ENTRY(key_path),
};

int main(int argc, char **argv)
{
	return fq_test_main("config", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
