/* The table of typed, bounded settings and their loading from defaults, the
 * config file, the environment and flags. */
#include "config/config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"
#include "core/str.h"

#define S(field) offsetof(struct fq_config, field)

const struct fq_setting fq_settings[] = {
	{"store", FQ_SET_STRING, S(store), "sqlite:data/fengqiao.db", 0, FQ_CONFIG_STR_MAX - 1,
	 NULL, "where the data lives: sqlite:PATH or postgresql://…"},
	{"listen", FQ_SET_STRING, S(listen), "127.0.0.1:8080", 0, 64, NULL,
	 "address the server listens on, HOST:PORT"},
	{"web_root", FQ_SET_STRING, S(web_root), "web/dist", 0, FQ_CONFIG_STR_MAX - 1, NULL,
	 "folder of the built browser app"},
	{"key_file", FQ_SET_STRING, S(key_file), "", 0, FQ_CONFIG_STR_MAX - 1, NULL,
	 "file holding the encryption key (empty: the SQLite path + .key)"},
	{"log_level", FQ_SET_CHOICE, S(log_level), "info", 0, 15, "debug|info|warn|error",
	 "least severe log lines written"},
	{"cookie_secure", FQ_SET_CHOICE, S(cookie_secure), "auto", 0, 15, "auto|always|never",
	 "mark the session cookie Secure (auto: when X-Forwarded-Proto is https)"},
	{"trusted_proxies", FQ_SET_STRING, S(trusted_proxies), "", 0, FQ_CONFIG_STR_MAX - 1, NULL,
	 "addresses of reverse proxies whose X-Forwarded-For names the client (space-separated)"},
	{"threads", FQ_SET_INT, S(threads), "2", 1, 64, NULL, "worker threads"},
	{"max_connections_per_address", FQ_SET_INT, S(max_connections_per_address), "64", 0, 4096,
	 NULL,
	 "connections one client address may hold at once (0: no limit); trusted proxies are "
	 "not limited"},
	{"header_timeout_seconds", FQ_SET_INT, S(header_timeout_seconds), "10", 1, 300, NULL,
	 "seconds a new connection may stay silent before its request head is in"},
	{"idle_timeout_seconds", FQ_SET_INT, S(idle_timeout_seconds), "60", 1, 3600, NULL,
	 "seconds a connection may stay silent once its first request head is in"},
	{"max_body", FQ_SET_INT, S(max_body), "1048576", 1024, 67108864, NULL,
	 "largest request body in bytes"},
	{"max_json_depth", FQ_SET_INT, S(max_json_depth), "32", 2, 256, NULL,
	 "deepest nesting of a JSON body"},
	{"max_string", FQ_SET_INT, S(max_string), "20000", 16, 1048576, NULL,
	 "longest string in a JSON body, in bytes"},
	{"max_list", FQ_SET_INT, S(max_list), "1000", 1, 100000, NULL,
	 "most items of a list in a JSON body"},
	{"session_idle_minutes", FQ_SET_INT, S(session_idle_minutes), "30", 1, 1440, NULL,
	 "minutes before an idle session expires"},
	{"lockout_failures", FQ_SET_INT, S(lockout_failures), "5", 1, 100, NULL,
	 "failed sign-ins that lock an account"},
	{"lockout_minutes", FQ_SET_INT, S(lockout_minutes), "15", 1, 10080, NULL,
	 "minutes a locked account stays locked"},
	{"rate_limit_per_minute", FQ_SET_INT, S(rate_limit_per_minute), "60", 1, 100000, NULL,
	 "sign-in attempts per client address per minute"},
	{"access_log", FQ_SET_BOOL, S(access_log), "true", 0, 0, NULL,
	 "write one line per request to standard error"},
	{"group_commit", FQ_SET_BOOL, S(group_commit), "true", 0, 0, NULL,
	 "SQLite: make concurrent writes durable with one disk flush (false: one flush per write)"},
	{"long_poll_seconds", FQ_SET_INT, S(long_poll_seconds), "25", 1, 300, NULL,
	 "longest a live request (the board, the overview, the bell) waits for a change before answering"},
	{"utc_offset_minutes", FQ_SET_INT, S(utc_offset_minutes), "480", -720, 840, NULL,
	 "the station's local time as minutes east of UTC (China: 480); days and hours of records"},
	{"arrival_minutes_urban", FQ_SET_INT, S(arrival_minutes_urban), "5", 1, 240, NULL,
	 "arrival target after dispatch in an urban area, minutes"},
	{"arrival_minutes_suburban", FQ_SET_INT, S(arrival_minutes_suburban), "10", 1, 240, NULL,
	 "arrival target after dispatch in a suburban area, minutes"},
	{"arrival_minutes_rural", FQ_SET_INT, S(arrival_minutes_rural), "0", 0, 240, NULL,
	 "arrival target in a rural area, minutes (0: as fast as possible, no target)"},
	{"repeat_window_days", FQ_SET_INT, S(repeat_window_days), "30", 0, 3650, NULL,
	 "an incident at the same address, by the same caller or with the same party within "
	 "this many days is a repeat (0: off)"},
	{"outbox_allow_private", FQ_SET_BOOL, S(outbox_allow_private), "false", 0, 0, NULL,
	 "let outbox channels send to loopback and private addresses (127.0.0.1, 10.x, 192.168.x …);"
	 " off: public addresses only"},
	{"outbox_max_attempts", FQ_SET_INT, S(outbox_max_attempts), "10", 1, 100, NULL,
	 "attempts at one outbox message before it is marked failed"},
	{"outbox_backoff_seconds", FQ_SET_INT, S(outbox_backoff_seconds), "30", 1, 86400, NULL,
	 "wait before the second attempt of an outbox message; doubled for each later one (with"
	 " jitter)"},
	{"outbox_backoff_max_seconds", FQ_SET_INT, S(outbox_backoff_max_seconds), "3600", 1, 604800,
	 NULL, "longest wait between two attempts of an outbox message"},
	{"outbox_timeout_seconds", FQ_SET_INT, S(outbox_timeout_seconds), "15", 1, 300, NULL,
	 "time limit of one outbox delivery, connecting included"},
	{"outbox_lease_seconds", FQ_SET_INT, S(outbox_lease_seconds), "60", 2, 3600, NULL,
	 "an outbox message being sent by a server that died is sent again after this long (more"
	 " than outbox_timeout_seconds)"},
	{"export_max_rows", FQ_SET_INT, S(export_max_rows), "200000", 1, 1000000, NULL,
	 "most rows of one Excel or CSV export of a list"},
	/* Attachments (domain/attachment.c). The upper bound keeps one row of
	 * an export (base64) under FQ_DUMP_MAX_LINE. */
	{"max_attachment", FQ_SET_INT, S(max_attachment), "20971520", 1024, 41943040, NULL,
	 "largest attachment (photo, scan, document) in bytes"},
	{"attachment_types", FQ_SET_STRING, S(attachment_types), "jpeg png pdf", 0, 63, NULL,
	 "file types accepted as attachments, found from their content (space-separated: "
	 "jpeg png pdf gif webp)"},
	/* 一案一码 (domain/dispute_tracking.c): the public tracking page. */
	{"public_base_url", FQ_SET_STRING, S(public_base_url), "", 0, 200, NULL,
	 "the address residents reach the server at (https://fq.example.gov.cn): the acceptance "
	 "notice's QR code opens <public_base_url>/#/track/<code> (empty: the QR holds the code "
	 "alone)"},
	/* The map (api/grids.c): tiles of the station's map service. */
	{"map_tile_url", FQ_SET_STRING, S(map_tile_url), "", 0, FQ_CONFIG_STR_MAX - 1, NULL,
	 "address of the map's tiles with {z}, {x}, {y} and optionally {s}, e.g. 天地图 "
	 "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&"
	 "LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&"
	 "TILECOL={x}&tk=KEY (empty: the map shows areas and points on a plain background)"},
	{"map_label_url", FQ_SET_STRING, S(map_label_url), "", 0, FQ_CONFIG_STR_MAX - 1, NULL,
	 "address of a second tile layer drawn over the first, such as 天地图's place names "
	 "(cva_w); empty: none"},
	{"map_tile_subdomains", FQ_SET_STRING, S(map_tile_subdomains), "01234567", 1, 15, NULL,
	 "the values {s} takes in the tile addresses, one character each"},
	{"map_tile_attribution", FQ_SET_STRING, S(map_tile_attribution), "", 0,
	 FQ_CONFIG_STR_MAX - 1, NULL,
	 "the map's credit line, shown in its corner (e.g. 天地图 GS(2024)0650号)"},
	{"dispute_notice_contact", FQ_SET_STRING, S(dispute_notice_contact), "", 0, 200, NULL,
	 "the contact printed on the acceptance notice (telephone, address; empty: the station's "
	 "name only)"},
	{"track_tries_per_code", FQ_SET_INT, S(track_tries_per_code), "5", 1, 1000, NULL,
	 "lookups of one tracking code the public page answers per track_code_window_minutes"},
	{"track_code_window_minutes", FQ_SET_INT, S(track_code_window_minutes), "10", 1, 1440, NULL,
	 "the window of track_tries_per_code, in minutes"},
	{"track_tries_per_address", FQ_SET_INT, S(track_tries_per_address), "30", 1, 100000, NULL,
	 "lookups the public page answers one client address per hour"},
	/* Disputes (domain/dispute.c): the deadline of each tier of the ladder,
	 * counted from the hand-off to it, and of each risk level, counted from
	 * the level's setting, with the tier that should own a dispute of it. */
	{"dispute_days_onsite", FQ_SET_INT, S(dispute_days_onsite), "1", 1, 365, NULL,
	 "days on-site mediation by the responding officer may take"},
	{"dispute_days_workstation", FQ_SET_INT, S(dispute_days_workstation), "7", 1, 365, NULL,
	 "days the community workstation has for a dispute handed to it"},
	{"dispute_days_centre", FQ_SET_INT, S(dispute_days_centre), "15", 1, 365, NULL,
	 "days the mediation centre has for a dispute handed to it"},
	{"dispute_days_joint", FQ_SET_INT, S(dispute_days_joint), "30", 1, 365, NULL,
	 "days multi-department joint mediation has for a dispute handed to it"},
	{"dispute_risk_days_red", FQ_SET_INT, S(dispute_risk_days_red), "3", 1, 365, NULL,
	 "days to settle a dispute of risk level red"},
	{"dispute_risk_days_orange", FQ_SET_INT, S(dispute_risk_days_orange), "7", 1, 365, NULL,
	 "days to settle a dispute of risk level orange"},
	{"dispute_risk_days_yellow", FQ_SET_INT, S(dispute_risk_days_yellow), "15", 1, 365, NULL,
	 "days to settle a dispute of risk level yellow"},
	{"dispute_risk_days_blue", FQ_SET_INT, S(dispute_risk_days_blue), "30", 1, 365, NULL,
	 "days to settle a dispute of risk level blue"},
	{"dispute_people_days", FQ_SET_INT, S(dispute_people_days), "30", 1, 90, NULL,
	 "days from acceptance within which people's mediation should settle a dispute"},
	{"dispute_risk_tier_red", FQ_SET_CHOICE, S(dispute_risk_tier_red), "joint", 0, 15,
	 "onsite|workstation|centre|joint", "the tier that owns a dispute of risk level red"},
	{"dispute_risk_tier_orange", FQ_SET_CHOICE, S(dispute_risk_tier_orange), "centre", 0, 15,
	 "onsite|workstation|centre|joint", "the tier that owns a dispute of risk level orange"},
	{"dispute_risk_tier_yellow", FQ_SET_CHOICE, S(dispute_risk_tier_yellow), "workstation", 0,
	 15, "onsite|workstation|centre|joint",
	 "the tier that owns a dispute of risk level yellow"},
	{"dispute_risk_tier_blue", FQ_SET_CHOICE, S(dispute_risk_tier_blue), "onsite", 0, 15,
	 "onsite|workstation|centre|joint", "the tier that owns a dispute of risk level blue"},
	/* The escalation watch (民转刑, domain/dispute_watch.c). */
	{"dispute_watch_days", FQ_SET_INT, S(dispute_watch_days), "30", 1, 365, NULL,
	 "days back the watch counts incidents of a dispute's parties or address"},
	{"dispute_watch_quiet_days", FQ_SET_INT, S(dispute_watch_quiet_days), "30", 1, 365, NULL,
	 "days without a case-type incident of its parties after which a watched dispute counts as an escalation prevented"},
	{"dispute_watch_threshold", FQ_SET_INT, S(dispute_watch_threshold), "50", 1, 10000, NULL,
	 "score from which a dispute is on the watch list and its station's chiefs are told"},
	{"dispute_watch_weight_incident", FQ_SET_INT, S(dispute_watch_weight_incident), "10", 0,
	 1000, NULL, "points per incident of the same parties or address in the window"},
	{"dispute_watch_weight_word", FQ_SET_INT, S(dispute_watch_weight_word), "15", 0, 1000, NULL,
	 "points per distinct threat word found in the narratives and records"},
	{"dispute_watch_weight_breach", FQ_SET_INT, S(dispute_watch_weight_breach), "20", 0, 1000,
	 NULL, "points per earlier dispute of the same parties that ended failed, and per agreement of the same parties found breached"},
	{"dispute_watch_weight_red", FQ_SET_INT, S(dispute_watch_weight_red), "40", 0, 1000, NULL,
	 "points for risk level red"},
	{"dispute_watch_weight_orange", FQ_SET_INT, S(dispute_watch_weight_orange), "25", 0, 1000,
	 NULL, "points for risk level orange"},
	{"dispute_watch_weight_yellow", FQ_SET_INT, S(dispute_watch_weight_yellow), "10", 0, 1000,
	 NULL, "points for risk level yellow"},
	{"dispute_watch_words", FQ_SET_STRING, S(dispute_watch_words),
	 "砍,杀,报复,同归于尽,放火,弄死,打死,刀,炸,跳楼,喝农药,灭门", 0, FQ_CONFIG_STR_MAX - 1,
	 NULL, "threat and violence words, comma-separated, matched as substrings"},
	{"dispute_watch_words_except", FQ_SET_STRING, S(dispute_watch_words_except),
	 "刀削面,菜刀店,砍价,砍伐,砍树,砍竹,杀价,杀毒,杀虫,杀菌,秒杀,打死也不,打死不,笑死,炸鸡,炸酱,油炸", 0,
	 FQ_CONFIG_STR_MAX - 1, NULL,
	 "phrases that contain a threat word but are not threats, comma-separated: blanked before matching"},
};

const int fq_settings_count = sizeof(fq_settings) / sizeof(fq_settings[0]);

const struct fq_setting *fq_setting_find(const char *name)
{
	char norm[64];
	size_t i;

	for (i = 0; name[i] && i < sizeof(norm) - 1; i++)
		norm[i] = name[i] == '-' ? '_' : name[i];
	norm[i] = '\0';
	for (int k = 0; k < fq_settings_count; k++)
		if (!strcmp(fq_settings[k].name, norm))
			return &fq_settings[k];
	return NULL;
}

static bool choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;

	while (*p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && !memcmp(p, v, n))
			return true;
		if (!bar)
			break;
		p = bar + 1;
	}
	return false;
}

enum fq_err fq_config_set(struct fq_config *cfg, const char *name, const char *value,
			  const char *source, struct fq_error *e)
{
	const struct fq_setting *s = fq_setting_find(name);
	char *field;
	int64_t v;

	if (!s)
		return fq_fail(e, FQ_ERR_INVALID, "unknown_setting", name,
			       "unknown setting '%s' (%s)", name, source);
	field = (char *)cfg + s->offset;
	switch (s->type) {
	case FQ_SET_STRING:
	case FQ_SET_CHOICE:
		if ((int64_t)strlen(value) > s->max)
			return fq_fail(e, FQ_ERR_INVALID, "too_long", s->name,
				       "setting '%s' (%s) is longer than %lld characters", s->name,
				       source, (long long)s->max);
		if (s->type == FQ_SET_CHOICE && !choice_ok(s->choices, value))
			return fq_fail(e, FQ_ERR_INVALID, NULL, s->name,
				       "setting '%s' (%s) must be one of %s, not '%s'", s->name,
				       source, s->choices, value);
		fq_strlcpy(field, value, (size_t)s->max + 1);
		return FQ_OK;
	case FQ_SET_INT:
		if (!fq_parse_i64(value, s->min, s->max, &v))
			return fq_fail(e, FQ_ERR_INVALID, NULL, s->name,
				       "setting '%s' (%s) must be a whole number from %lld to %lld, not '%s'",
				       s->name, source, (long long)s->min, (long long)s->max, value);
		*(int64_t *)(void *)field = v;
		return FQ_OK;
	case FQ_SET_BOOL:
		if (!strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "yes"))
			*(bool *)(void *)field = true;
		else if (!strcmp(value, "false") || !strcmp(value, "0") || !strcmp(value, "no"))
			*(bool *)(void *)field = false;
		else
			return fq_fail(e, FQ_ERR_INVALID, NULL, s->name,
				       "setting '%s' (%s) must be true or false, not '%s'", s->name,
				       source, value);
		return FQ_OK;
	}
	return FQ_ERR_INTERNAL;
}

void fq_config_defaults(struct fq_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (int k = 0; k < fq_settings_count; k++) {
		enum fq_err err = fq_config_set(cfg, fq_settings[k].name, fq_settings[k].def,
						"default", NULL);
		if (err)
			abort(); /* a broken default is a programming error */
	}
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

enum fq_err fq_config_load_file(struct fq_config *cfg, const char *path, struct fq_error *e)
{
	FILE *f = fopen(path, "r");
	char line[1024], source[600];
	int lineno = 0;
	enum fq_err err = FQ_OK;

	if (!f)
		return fq_fail(e, FQ_ERR_IO, NULL, "config", "cannot open config file '%s'", path);
	while (fgets(line, sizeof(line), f)) {
		char *p, *eq, *key, *val;
		size_t n;

		lineno++;
		n = strlen(line);
		if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
			err = fq_fail(e, FQ_ERR_INVALID, NULL, "config",
				      "%s:%d: line too long", path, lineno);
			break;
		}
		p = trim(line);
		if (!*p || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (!eq) {
			err = fq_fail(e, FQ_ERR_INVALID, NULL, "config",
				      "%s:%d: expected 'key = value'", path, lineno);
			break;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		n = strlen(val);
		if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {
			val[n - 1] = '\0';
			val++;
		}
		snprintf(source, sizeof(source), "%s:%d", path, lineno);
		err = fq_config_set(cfg, key, val, source, e);
		if (err)
			break;
	}
	fclose(f);
	return err;
}

enum fq_err fq_config_load_env(struct fq_config *cfg, struct fq_error *e)
{
	for (int k = 0; k < fq_settings_count; k++) {
		char var[80];
		const char *v;
		size_t i;

		snprintf(var, sizeof(var), "FENGQIAO_%s", fq_settings[k].name);
		for (i = 9; var[i]; i++)
			var[i] = (char)toupper((unsigned char)var[i]);
		v = getenv(var);
		if (v) {
			char source[100];
			enum fq_err err;

			snprintf(source, sizeof(source), "environment %s", var);
			err = fq_config_set(cfg, fq_settings[k].name, v, source, e);
			if (err)
				return err;
		}
	}
	return FQ_OK;
}

void fq_config_key_path(const struct fq_config *cfg, char *out, size_t size)
{
	if (cfg->key_file[0])
		snprintf(out, size, "%s", cfg->key_file);
	else if (!strncmp(cfg->store, "sqlite:", 7))
		snprintf(out, size, "%s.key", cfg->store + 7);
	else
		out[0] = '\0';
}
