/* One table of typed, bounded settings. Each is read, in rising priority, from
 * its default, the config file (`key = value` lines), the environment
 * (FENGQIAO_<KEY>) and a command-line flag (--key VALUE). An unknown setting or
 * an out-of-range value is an error naming it. */
#ifndef FQ_CONFIG_H
#define FQ_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define FQ_CONFIG_STR_MAX 512

struct fq_config {
	char store[FQ_CONFIG_STR_MAX];
	char listen[FQ_CONFIG_STR_MAX];
	char web_root[FQ_CONFIG_STR_MAX];
	char key_file[FQ_CONFIG_STR_MAX];
	char log_level[16];
	char cookie_secure[16]; /* auto | always | never */
	char trusted_proxies[FQ_CONFIG_STR_MAX];
	int64_t threads;
	int64_t max_connections_per_address;
	int64_t header_timeout_seconds;
	int64_t idle_timeout_seconds;
	int64_t max_body;
	int64_t max_json_depth;
	int64_t max_string;
	int64_t max_list;
	int64_t session_idle_minutes;
	int64_t lockout_failures;
	int64_t lockout_minutes;
	int64_t rate_limit_per_minute;
	bool access_log;
	bool group_commit;
	int64_t long_poll_seconds;
	int64_t utc_offset_minutes;
	int64_t arrival_minutes_urban;
	int64_t arrival_minutes_suburban;
	int64_t arrival_minutes_rural;
	int64_t repeat_window_days;
	/* the outbox (domain/outbox_send.c) */
	bool outbox_allow_private;
	int64_t outbox_max_attempts;
	int64_t outbox_backoff_seconds;
	int64_t outbox_backoff_max_seconds;
	int64_t outbox_timeout_seconds;
	int64_t outbox_lease_seconds;
	int64_t export_max_rows;
	int64_t max_attachment;     /* bytes */
	char attachment_types[64];  /* "jpeg png pdf" */
	/* disputes (domain/dispute.c): days of each tier and risk level, and
	 * the tier owning each risk level */
	/* 一案一码 (domain/dispute_tracking.c): the address residents reach,
	 * the contact printed on the acceptance notice, the public page's
	 * rate limit */
	char public_base_url[FQ_CONFIG_STR_MAX];
	/* the map's background (api/grids.c; the server's CSP admits its hosts) */
	char map_tile_url[FQ_CONFIG_STR_MAX];
	char map_label_url[FQ_CONFIG_STR_MAX];
	char map_tile_subdomains[16];
	char map_tile_attribution[FQ_CONFIG_STR_MAX];
	char dispute_notice_contact[FQ_CONFIG_STR_MAX];
	int64_t track_tries_per_code;
	int64_t track_code_window_minutes;
	int64_t track_tries_per_address;
	int64_t dispute_days_onsite;
	int64_t dispute_days_workstation;
	int64_t dispute_days_centre;
	int64_t dispute_days_joint;
	int64_t dispute_risk_days_red;
	int64_t dispute_risk_days_orange;
	int64_t dispute_risk_days_yellow;
	int64_t dispute_risk_days_blue;
	char dispute_risk_tier_red[16];
	char dispute_risk_tier_orange[16];
	char dispute_risk_tier_yellow[16];
	char dispute_risk_tier_blue[16];
	/* the escalation watch (domain/dispute_watch.c): window, threshold,
	 * weights, the threat words and the phrases that are not threats */
	int64_t dispute_watch_days;
	int64_t dispute_watch_quiet_days;
	int64_t dispute_watch_threshold;
	int64_t dispute_watch_weight_incident;
	int64_t dispute_watch_weight_word;
	int64_t dispute_watch_weight_breach;
	int64_t dispute_watch_weight_red;
	int64_t dispute_watch_weight_orange;
	int64_t dispute_watch_weight_yellow;
	char dispute_watch_words[FQ_CONFIG_STR_MAX];
	char dispute_watch_words_except[FQ_CONFIG_STR_MAX];
	/* people's mediation: days from acceptance to the target (domain/dispute_law.c) */
	int64_t dispute_people_days;
};

enum fq_setting_type { FQ_SET_STRING, FQ_SET_INT, FQ_SET_BOOL, FQ_SET_CHOICE };

struct fq_setting {
	const char *name;
	enum fq_setting_type type;
	size_t offset;
	const char *def;
	int64_t min, max;       /* ints: range; strings: max length in max */
	const char *choices;    /* FQ_SET_CHOICE: "a|b|c" */
	const char *help;
};

extern const struct fq_setting fq_settings[];
extern const int fq_settings_count;

void fq_config_defaults(struct fq_config *cfg);
const struct fq_setting *fq_setting_find(const char *name); /* '-' or '_' */
/* Sets one setting from text; source names where it came from for errors
 * ("flag", "environment", "fengqiao.conf:12"). */
enum fq_err fq_config_set(struct fq_config *cfg, const char *name, const char *value,
			  const char *source, struct fq_error *e);
enum fq_err fq_config_load_file(struct fq_config *cfg, const char *path, struct fq_error *e);
/* Reads FENGQIAO_<NAME> for every setting. */
enum fq_err fq_config_load_env(struct fq_config *cfg, struct fq_error *e);

/* The key file path: the setting, or, for a sqlite store, the database path
 * with ".key" appended. Empty when it cannot be derived. */
void fq_config_key_path(const struct fq_config *cfg, char *out, size_t size);

#endif
