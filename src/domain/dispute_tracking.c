/* 一案一码: the public lookup and the acceptance notice
 * (domain/dispute_tracking.h). */
#include "domain/dispute_tracking.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/secret.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"
#include "document/pdf.h"
#include "domain/ctx.h"
#include "domain/outbox.h"
#include "domain/dispute.h"
#include "store/dispute_tracking_store.h"
#include "core/banned.h"

const char *const fq_track_statuses[] = {"accepted", "mediating", "agreed",
					 "failed",   "withdrawn", "closed", NULL};

#define HOUR_MS 3600000LL
/* A code as typed may carry spaces and dashes ("ABCD-EFGH-JK"). */
#define CODE_MAX 32

static enum fq_err fail_store(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? c->e->err : fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
}

/* Upper-cased, without spaces and dashes, into out; false when it is not
 * 4 to 16 letters and digits. */
static bool normal_code(const char *in, char out[CODE_MAX + 1])
{
	size_t n = 0;

	for (; *in; in++) {
		unsigned char ch = (unsigned char)*in;

		if (ch == ' ' || ch == '-')
			continue;
		if (!isalnum(ch) || ch > 127 || n == 16)
			return false;
		out[n++] = (char)toupper(ch);
	}
	out[n] = '\0';
	return n >= 4;
}

/* One try against one counter; *retry_after the seconds to its window's end
 * when it is over the limit. */
static enum fq_err count_try(struct fq_ctx *c, const char *key, int64_t window_ms, int64_t limit,
			     int64_t now, int64_t *retry_after)
{
	int64_t start = now - now % window_ms, count = 0, wait;
	int64_t keep = 2 * (window_ms > HOUR_MS ? window_ms : HOUR_MS);
	enum fq_err err = fq_store_track_hit(c->db, key, start, now - keep, &count);

	if (err)
		return fail_store(c, err);
	if (count > limit) {
		wait = (start + window_ms - now + 999) / 1000;
		if (wait > *retry_after)
			*retry_after = wait;
	}
	return FQ_OK;
}

struct phone_match {
	const struct fq_keys *keys;
	char last4[5];
	bool found;
};

/* Compares the last four digits of one sealed phone with the ones typed;
 * every party's phone is opened and compared, a match or not. */
static enum fq_err match_phone(const void *sealed, size_t len, void *arg)
{
	struct phone_match *m = arg;
	char *phone = NULL, tail[5] = "";
	size_t n = 0;

	if (fq_unseal(m->keys, sealed, len, &phone))
		return FQ_ERR_INTERNAL;
	for (size_t i = strlen(phone); i > 0 && n < 4; i--)
		if (isdigit((unsigned char)phone[i - 1]))
			tail[3 - n++] = phone[i - 1];
	if (n == 4 && fq_ct_equal(tail, m->last4, 4))
		m->found = true;
	sodium_memzero(phone, strlen(phone));
	sodium_memzero(tail, sizeof(tail));
	free(phone);
	return FQ_OK;
}

static const char *public_status(const struct fq_store_track_row *row)
{
	if (!strcmp(row->status, "registered"))
		return "accepted";
	if (!strcmp(row->status, "mediating"))
		return "mediating";
	for (int i = 2; fq_track_statuses[i + 1]; i++) /* agreed failed withdrawn */
		if (!strcmp(row->outcome, fq_track_statuses[i]))
			return fq_track_statuses[i];
	return "closed";
}

enum fq_err fq_dispute_track(struct fq_ctx *c, const char *code, const char *last4,
			     const char *client_addr, struct fq_track_answer *a)
{
	struct fq_store_track_row row;
	struct phone_match m = {.keys = c->keys};
	char norm[CODE_MAX + 1];
	int64_t now = fq_time_now_ms();
	enum fq_err err;

	memset(a, 0, sizeof(*a));
	if (!code || !normal_code(code, norm))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "code",
			       "the tracking code is 10 letters and digits, as printed on the notice");
	if (!last4 || strlen(last4) != 4 || !isdigit((unsigned char)last4[0]) ||
	    !isdigit((unsigned char)last4[1]) || !isdigit((unsigned char)last4[2]) ||
	    !isdigit((unsigned char)last4[3]))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "phone_last4",
			       "give the last four digits of a party's phone number");
	/* Both counters move on every try, so that neither waits for the other. */
	err = count_try(c, fq_arena_printf(c->arena, "addr:%s", client_addr ? client_addr : ""),
			HOUR_MS, c->cfg->track_tries_per_address, now, &a->retry_after);
	if (!err)
		err = count_try(c, fq_arena_printf(c->arena, "code:%s", norm),
				c->cfg->track_code_window_minutes * 60000,
				c->cfg->track_tries_per_code, now, &a->retry_after);
	if (err)
		return err;
	if (a->retry_after)
		return fq_fail(c->e, FQ_ERR_LIMIT, "rate_limited", NULL,
			       "too many tries: try again in %lld minutes",
			       (long long)((a->retry_after + 59) / 60));
	memcpy(m.last4, last4, 4);
	err = fq_store_track_dispute(c->db, norm, &row);
	if (!err)
		err = fq_store_track_phones(c->db, row.id, match_phone, &m);
	sodium_memzero(m.last4, sizeof(m.last4));
	if (err == FQ_ERR_INTERNAL)
		return fq_fail(c->e, err, NULL, NULL, "cannot decrypt a phone: is the key file right?");
	if (err && err != FQ_ERR_NOT_FOUND)
		return fail_store(c, err);
	if (err || !m.found)
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, "not_found", NULL,
			       "no dispute has this code with a party whose phone ends in these digits");
	a->dispute_id = row.id;
	a->status = public_status(&row);
	a->concluded_at = strcmp(row.status, "closed") ? 0 : row.concluded_at;
	if (strcmp(row.status, "closed")) {
		err = fq_store_track_next_session(c->db, row.id, now, &a->next_session_at);
		if (err)
			return fail_store(c, err);
	}
	return FQ_OK;
}

enum fq_err fq_track_code_new(struct fq_ctx *c, int (*taken)(struct fq_db *db, const char *code),
			      char out[11])
{
	static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

	for (int attempt = 0; attempt < 5; attempt++) {
		int in_use;

		for (int i = 0; i < 10; i++)
			out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
		out[10] = '\0';
		in_use = taken(c->db, out);
		if (in_use < 0)
			return fail_store(c, (enum fq_err)-in_use);
		if (!in_use)
			return FQ_OK;
	}
	return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "no free tracking code");
}

const char *fq_dispute_track_url(struct fq_ctx *c, const char *code)
{
	const char *base = c->cfg->public_base_url;
	size_t n = strlen(base);

	while (n && base[n - 1] == '/')
		n--;
	return n ? fq_arena_printf(c->arena, "%.*s/#/track/%s", (int)n, base, code)
		 : fq_arena_strdup(c->arena, code);
}

/* ---- the acceptance notice ---- */

static const char *field(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* "2026年12月6日" of an ISO time, in station time; "" when it is none. */
static const char *cn_day(struct fq_ctx *c, const char *iso)
{
	int64_t ms;
	int y, mo, d;
	char t[24];

	if (!fq_time_parse_datetime(iso, &ms))
		return "";
	fq_time_format(ms + c->cfg->utc_offset_minutes * 60000, t, sizeof(t));
	return sscanf(t, "%4d-%2d-%2d", &y, &mo, &d) == 3
		       ? fq_arena_printf(c->arena, "%d年%d月%d日", y, mo, d)
		       : "";
}

static const char *role_cn(const char *role)
{
	return !strcmp(role, "applicant")    ? "申请人"
	       : !strcmp(role, "respondent") ? "被申请人"
					     : "第三人";
}

/* The parties' rights, in the words of the People's Mediation Law art. 23
 * and the station's practice. */
static const char *const rights =
	"一、调解遵循自愿、平等的原则。您可以接受调解，也可以拒绝调解；调解过程中可以随时要求终止调解。\n"
	"二、您可以选择或者接受调解员，认为调解员与纠纷有利害关系或者有其他可能影响公正调解的情形的，可以要求更换调解员。\n"
	"三、您可以要求调解公开进行或者不公开进行，可以自主表达意愿，自愿达成调解协议。\n"
	"四、调解不是起诉、仲裁等途径的前置程序，不影响您依法通过仲裁、行政、司法等途径维护自己的权利。\n"
	"五、您应当如实陈述纠纷事实，遵守调解现场秩序，尊重调解员和对方当事人，自觉履行依法达成的调解协议。\n"
	"六、调解过程中涉及的个人信息和隐私依法保密。";

enum fq_err fq_dispute_notice_pdf(struct fq_ctx *c, int64_t id,
				  const char *(*type_label)(const char *code), struct fq_buf *out,
				  const char **filename)
{
	json_t *d = fq_dispute_get(c, id), *parties, *p;
	const char *station, *code, *number, *type, *day, *contact, *url, *lookup;
	struct fq_pdf *pdf = NULL;
	enum fq_err err = d ? FQ_OK : c->e->err ? c->e->err : FQ_ERR_NOMEM;
	size_t k;

	if (err)
		return err;
	station = *field(d, "station_name") ? field(d, "station_name") : field(d, "org_name");
	code = field(d, "tracking_code");
	number = field(d, "number");
	type = type_label ? type_label(field(d, "type")) : NULL;
	day = cn_day(c, field(d, "created_at"));
	url = fq_dispute_track_url(c, code);
	pdf = fq_pdf_new(&(struct fq_pdf_head){.unit = station,
					       .title = "受理告知书",
					       .number = fq_arena_printf(c->arena, "编号：%s", number),
					       .qr = url,
					       .qr_caption = fq_arena_printf(c->arena, "扫码查询 %s", code),
					       .subject = fq_arena_printf(c->arena, "受理告知书 %s", number)},
			 c->e);
	if (!pdf) {
		err = c->e->err;
		goto out;
	}
	parties = json_object_get(d, "parties");
	fq_pdf_row(pdf, 2, (const char *const[]){"当事人", "身份"}, (const double[]){0.7, 0.3}, 0x3);
	json_array_foreach(parties, k, p)
		fq_pdf_row(pdf, 2, (const char *const[]){field(p, "name"), role_cn(field(p, "role"))},
			   (const double[]){0.7, 0.3}, 0);
	fq_pdf_fields2(pdf, "纠纷类型", type ? type : field(d, "type"), "受理日期", day);
	fq_pdf_fields2(pdf, "纠纷编号", number, "查询码", code);
	fq_pdf_space(pdf, 6);
	fq_pdf_paragraph(pdf, fq_arena_printf(c->arena,
					      "你（们）申请调解的纠纷，本单位已于%s受理，"
					      "将依法组织调解。现将有关事项告知如下。",
					      day));
	fq_pdf_heading(pdf, "当事人的权利和义务");
	fq_pdf_paragraph(pdf, rights);
	fq_pdf_heading(pdf, "查询办理进度（一案一码）");
	lookup = *c->cfg->public_base_url
			 ? fq_arena_printf(c->arena,
					   "用手机扫描右上角二维码，或在浏览器打开 %s ，"
					   "输入任一当事人手机号码的后四位，即可查询本纠纷的办理状态和下次调解时间。"
					   "查询结果不显示姓名和案情。",
					   url)
			 : fq_arena_printf(c->arena,
					   "在本单位公布的纠纷查询页面输入查询码 %s 和任一当事人手机号码的后四位，"
					   "即可查询本纠纷的办理状态和下次调解时间。查询结果不显示姓名和案情。",
					   code);
	fq_pdf_paragraph(pdf, lookup);
	contact = c->cfg->dispute_notice_contact;
	fq_pdf_heading(pdf, "联系方式");
	fq_pdf_paragraph(pdf, *contact ? fq_arena_printf(c->arena, "%s：%s", station, contact)
				       : fq_arena_printf(c->arena, "请与%s联系。", station));
	fq_pdf_seal(pdf, station, day);
	err = fq_pdf_finish(pdf, out, NULL);
	if (!err)
		*filename = fq_arena_printf(c->arena, "受理告知书-%s.pdf", number);
out:
	fq_pdf_free(pdf);
	json_decref(d);
	return err;
}

/* ---- telling the parties ---- */

struct phone_list {
	const struct fq_keys *keys;
	json_t *phones;
};

/* Opens one party's phone into the list (at most FQ_OUTBOX_MAX_PHONES). */
static enum fq_err add_phone(const void *sealed, size_t len, void *arg)
{
	struct phone_list *l = arg;
	char *phone = NULL;
	enum fq_err err;

	if (json_array_size(l->phones) >= FQ_OUTBOX_MAX_PHONES)
		return FQ_OK;
	if ((err = fq_unseal(l->keys, sealed, len, &phone)))
		return err;
	err = json_array_append_new(l->phones, json_string(phone)) ? FQ_ERR_NOMEM : FQ_OK;
	sodium_memzero(phone, strlen(phone));
	free(phone);
	return err;
}

enum fq_err fq_dispute_tell_session(struct fq_ctx *c, int64_t station_id, int64_t id,
				    const char *number, int64_t starts_at, const char *place)
{
	struct phone_list l = {.keys = c->keys, .phones = json_array()};
	char at[32];
	json_t *payload = NULL;
	enum fq_err err = l.phones ? fq_store_track_phones(c->db, id, add_phone, &l) : FQ_ERR_NOMEM;

	fq_time_format(starts_at + c->cfg->utc_offset_minutes * 60000LL, at, sizeof(at));
	at[10] = ' ';
	at[16] = '\0';
	if (!err)
		payload = json_pack("{s:s,s:s,s:s,s:O}", "number", number, "start", at, "place",
				    place && *place ? place : "派出所", "phones", l.phones);
	if (!err && !payload)
		err = FQ_ERR_NOMEM;
	if (!err)
		err = fq_outbox_enqueue(c, station_id, "dispute.session_scheduled", payload);
	json_decref(payload);
	json_decref(l.phones);
	return err && !c->e->err ? fq_fail(c->e, err, NULL, NULL, NULL) : err;
}
