/* Reading request fields with limits: unknown fields refused, each field
 * checked and named in the error (text, integers, reals, booleans, choices, lists). */
#include "api/input.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "http/request.h"

static json_t *field_value(const struct fq_req *r, const char *field, unsigned flags)
{
	json_t *v = r->json ? json_object_get(r->json, field) : NULL;

	if (v && json_is_null(v) && (flags & FQ_IN_NULLABLE))
		return NULL;
	return v;
}

static enum fq_err missing(struct fq_req *r, const char *field, unsigned flags)
{
	if (flags & FQ_IN_REQUIRED)
		return fq_req_fail(r, FQ_ERR_INVALID, "required", field, "%s is required", field);
	return FQ_OK;
}

enum fq_err fq_in_only(struct fq_req *r, const char *const *fields)
{
	const char *key;
	json_t *v;

	if (!r->json)
		return FQ_OK;
	json_object_foreach(r->json, key, v) {
		bool known = false;
		for (int i = 0; fields[i] && !known; i++)
			known = !strcmp(fields[i], key);
		if (!known)
			return fq_req_fail(r, FQ_ERR_INVALID, "unknown_field", key,
					   "unknown field '%s'", key);
	}
	return FQ_OK;
}

bool fq_in_has(const struct fq_req *r, const char *field)
{
	return r->json && json_object_get(r->json, field);
}

/* Trims s (len bytes) and checks characters; returns an arena copy or NULL
 * with r->error set. */
static const char *clean_text(struct fq_req *r, const char *field, const char *s, size_t len,
			      unsigned flags, long max_chars)
{
	long chars;

	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !((flags & FQ_IN_MULTILINE) && (c == '\n' || c == '\t' || c == '\r'))) ||
		    c == 0x7f) {
			fq_req_fail(r, FQ_ERR_INVALID, NULL, field,
				    "%s must not contain control characters", field);
			return NULL;
		}
	}
	chars = fq_utf8_len(s, len);
	if (chars < 0) {
		fq_req_fail(r, FQ_ERR_INVALID, NULL, field, "%s is not valid UTF-8", field);
		return NULL;
	}
	if (chars > max_chars) {
		fq_req_fail(r, FQ_ERR_INVALID, "too_long", field,
			    "%s is longer than %ld characters", field, max_chars);
		return NULL;
	}
	if (!len && (flags & (FQ_IN_REQUIRED | FQ_IN_NOT_EMPTY))) {
		fq_req_fail(r, FQ_ERR_INVALID, "required", field, "%s must not be empty", field);
		return NULL;
	}
	return fq_arena_strndup(r->arena, s, len);
}

enum fq_err fq_in_text(struct fq_req *r, const char *field, unsigned flags, long max_chars,
		       const char **out)
{
	json_t *v = field_value(r, field, flags);

	*out = NULL;
	if (!v)
		return missing(r, field, flags);
	if (!json_is_string(v))
		return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", field, "%s must be text", field);
	*out = clean_text(r, field, json_string_value(v), json_string_length(v), flags, max_chars);
	return *out ? FQ_OK : r->error.err;
}

enum fq_err fq_in_int(struct fq_req *r, const char *field, unsigned flags, int64_t min,
		      int64_t max, int64_t *out, bool *present)
{
	json_t *v = field_value(r, field, flags);

	if (present)
		*present = v != NULL;
	if (!v)
		return missing(r, field, flags);
	if (!json_is_integer(v))
		return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", field,
				   "%s must be a whole number", field);
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return fq_req_fail(r, FQ_ERR_INVALID, "out_of_range", field,
				   "%s must be from %lld to %lld", field, (long long)min,
				   (long long)max);
	*out = json_integer_value(v);
	return FQ_OK;
}

enum fq_err fq_in_double(struct fq_req *r, const char *field, unsigned flags, double min,
			 double max, double *out, bool *present)
{
	json_t *v = field_value(r, field, flags);
	double d;

	if (present)
		*present = v != NULL;
	if (!v)
		return missing(r, field, flags);
	if (!json_is_number(v))
		return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", field, "%s must be a number",
				   field);
	d = json_number_value(v);
	if (!isfinite(d) || d < min || d > max)
		return fq_req_fail(r, FQ_ERR_INVALID, "out_of_range", field,
				   "%s must be from %g to %g", field, min, max);
	*out = d;
	return FQ_OK;
}

enum fq_err fq_in_bool(struct fq_req *r, const char *field, unsigned flags, bool *out,
		       bool *present)
{
	json_t *v = field_value(r, field, flags);

	if (present)
		*present = v != NULL;
	if (!v)
		return missing(r, field, flags);
	if (!json_is_boolean(v))
		return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", field,
				   "%s must be true or false", field);
	*out = json_is_true(v);
	return FQ_OK;
}

static const char *find_choice(const char *const *choices, const char *s)
{
	for (int i = 0; choices[i]; i++)
		if (!strcmp(choices[i], s))
			return choices[i];
	return NULL;
}

static enum fq_err refuse_choice(struct fq_req *r, enum fq_err err, const char *code,
				 const char *field, const char *const *choices)
{
	char list[256] = "";
	size_t n = 0;

	for (int i = 0; choices[i] && n + 2 < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "",
				      choices[i]);
	return fq_req_fail(r, err, code, field, "%s must be one of: %s", field, list);
}

static enum fq_err bad_choice(struct fq_req *r, const char *field, const char *const *choices)
{
	return refuse_choice(r, FQ_ERR_INVALID, "not_allowed", field, choices);
}

enum fq_err fq_in_choice(struct fq_req *r, const char *field, unsigned flags,
			 const char *const *choices, const char **out)
{
	json_t *v = field_value(r, field, flags);

	*out = NULL;
	if (!v)
		return missing(r, field, flags);
	if (!json_is_string(v) || !(*out = find_choice(choices, json_string_value(v))))
		return bad_choice(r, field, choices);
	return FQ_OK;
}

enum fq_err fq_in_choice_list(struct fq_req *r, const char *field, unsigned flags,
			      const char *const *choices, size_t max_items, const char **out)
{
	json_t *v = field_value(r, field, flags), *item;
	size_t i, len = 0;
	char *joined;

	*out = NULL;
	if (!v)
		return missing(r, field, flags);
	if (!json_is_array(v))
		return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", field, "%s must be a list",
				   field);
	if (json_array_size(v) > max_items)
		return fq_req_fail(r, FQ_ERR_INVALID, "too_many", field,
				   "%s has more than %zu items", field, max_items);
	json_array_foreach(v, i, item) {
		const char *c = json_is_string(item) ? find_choice(choices, json_string_value(item))
						     : NULL;
		if (!c)
			return bad_choice(r, field, choices);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(json_string_value(json_array_get(v, k)), c))
				return fq_req_fail(r, FQ_ERR_INVALID, "duplicate", field,
						   "%s lists '%s' twice", field, c);
		len += strlen(c) + 1;
	}
	joined = fq_arena_alloc(r->arena, len + 1);
	if (!joined)
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	len = 0;
	json_array_foreach(v, i, item) {
		size_t n = strlen(json_string_value(item));
		if (i)
			joined[len++] = ' ';
		memcpy(joined + len, json_string_value(item), n);
		len += n;
	}
	joined[len] = '\0';
	*out = joined;
	return FQ_OK;
}

enum fq_err fq_in_path_id(struct fq_req *r, int idx, int64_t *id)
{
	const char *p = fq_req_param(r, idx);

	if (!p || !fq_parse_i64(p, 1, INT64_MAX, id))
		return fq_req_fail(r, FQ_ERR_NOT_FOUND, NULL, NULL, "no such record: '%s'",
				   p ? p : "");
	return FQ_OK;
}

enum fq_err fq_in_query_int(struct fq_req *r, const char *name, int64_t min, int64_t max,
			    int64_t *out, bool *present)
{
	const char *v = fq_req_query(r, name);

	*present = v && *v;
	if (!*present)
		return FQ_OK;
	if (!fq_parse_i64(v, min, max, out))
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", name,
				   "%s must be a whole number from %lld to %lld", name,
				   (long long)min, (long long)max);
	return FQ_OK;
}

enum fq_err fq_in_query_text(struct fq_req *r, const char *name, long max_chars,
			     const char **out)
{
	const char *v = fq_req_query(r, name);

	*out = NULL;
	if (!v)
		return FQ_OK;
	*out = clean_text(r, name, v, strlen(v), 0, max_chars);
	if (!*out) {
		/* A bad query argument is a bad request, not a bad field. */
		if (r->error.err == FQ_ERR_INVALID) {
			r->error.err = FQ_ERR_BAD_REQUEST;
			fq_strlcpy(r->error.code, "bad_query", sizeof(r->error.code));
		}
		return r->error.err;
	}
	if (!**out)
		*out = NULL;
	return FQ_OK;
}

enum fq_err fq_in_array(struct fq_req *r, const char *field, unsigned flags, size_t max_items,
			json_t **out)
{
	json_t *v = field_value(r, field, flags);

	*out = NULL;
	if (!v)
		return missing(r, field, flags);
	if (!json_is_array(v))
		return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", field, "%s must be a list", field);
	if (json_array_size(v) > max_items)
		return fq_req_fail(r, FQ_ERR_INVALID, "too_many", field,
				   "%s holds at most %zu items", field, max_items);
	*out = v;
	return FQ_OK;
}

/* ---- times and dates ---- */

enum fq_err fq_in_time(struct fq_req *r, const char *field, unsigned flags, int64_t *ms)
{
	const char *s;
	enum fq_err err = fq_in_text(r, field, flags, 64, &s);

	*ms = 0;
	if (err || !s)
		return err;
	if (!fq_time_parse_datetime(s, ms))
		return fq_req_fail(r, FQ_ERR_INVALID, "bad_time", field,
				   "%s must be a time like 2026-05-01T08:00:00Z or "
				   "2026-05-01T08:00:00.000Z",
				   field);
	return FQ_OK;
}

enum fq_err fq_in_date(struct fq_req *r, const char *field, unsigned flags, int64_t *day)
{
	const char *s;
	enum fq_err err = fq_in_text(r, field, flags, 64, &s);

	*day = 0;
	if (err || !s)
		return err;
	if (!fq_date_parse(s, day))
		return fq_req_fail(r, FQ_ERR_INVALID, "bad_date", field,
				   "%s must be a date like 2026-05-01", field);
	return FQ_OK;
}

/* ---- lists and objects ---- */

/* "field[idx]" in the arena (field itself when out of memory). */
static const char *item_name(struct fq_req *r, const char *field, size_t idx)
{
	const char *name = fq_arena_printf(r->arena, "%s[%zu]", field, idx);

	return name ? name : field;
}

/* After a failure inside the object prefix ("positions[0]", "template"):
 * field "x" becomes "prefix.x", and so does the message's first word when it
 * is "x" (the fq_in_* messages begin with the field's name), or 'x' quoted
 * (unknown field 'x'). */
static void name_inside(struct fq_req *r, const char *prefix)
{
	const char *field = r->error.field;
	size_t n = strlen(field);
	const char *name, *msg = NULL, *quoted, *at;

	if (!r->error.err || !n)
		return;
	name = fq_arena_printf(r->arena, "%s.%s", prefix, field);
	if (!name)
		return;
	quoted = fq_arena_printf(r->arena, "'%s'", field);
	if (!strncmp(r->error.message, field, n) && r->error.message[n] == ' ')
		msg = fq_arena_printf(r->arena, "%s%s", name, r->error.message + n);
	else if (quoted && (at = strstr(r->error.message, quoted)))
		msg = fq_arena_printf(r->arena, "%.*s'%s'%s", (int)(at - r->error.message),
				      r->error.message, name, at + n + 2);
	if (msg)
		fq_strlcpy(r->error.message, msg, sizeof(r->error.message));
	fq_strlcpy(r->error.field, name, sizeof(r->error.field));
}

enum fq_err fq_in_enter(struct fq_req *r, json_t *array, const char *field, size_t idx,
			json_t **saved)
{
	json_t *item = json_array_get(array, idx);
	const char *name;

	*saved = r->json;
	if (!json_is_object(item)) {
		name = item_name(r, field, idx);
		return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", name, "%s must be an object",
				   name);
	}
	r->json = item;
	return FQ_OK;
}

enum fq_err fq_in_leave(struct fq_req *r, json_t *saved, const char *field, size_t idx,
			enum fq_err err)
{
	if (r->json != saved) {
		r->json = saved;
		if (err)
			name_inside(r, item_name(r, field, idx));
	}
	return err;
}

enum fq_err fq_in_objects(struct fq_req *r, const char *field, unsigned flags, size_t max_items,
			  const char *const *fields, fq_in_item_fn *read, void *arg, size_t *n,
			  bool *present)
{
	json_t *list, *saved;
	enum fq_err err = fq_in_array(r, field, flags, max_items, &list);

	*n = 0;
	if (present)
		*present = list != NULL;
	if (err || !list)
		return err;
	for (size_t k = 0; !err && k < json_array_size(list); k++) {
		err = fq_in_enter(r, list, field, k, &saved);
		if (!err)
			err = fq_in_only(r, fields);
		if (!err)
			err = read(r, k, arg);
		err = fq_in_leave(r, saved, field, k, err);
	}
	if (!err)
		*n = json_array_size(list);
	return err;
}

enum fq_err fq_in_object(struct fq_req *r, const char *field, unsigned flags,
			 const char *const *fields, fq_in_item_fn *read, void *arg, bool *present)
{
	json_t *v = field_value(r, field, flags), *saved = r->json;
	enum fq_err err;

	if (present)
		*present = v != NULL;
	if (!v)
		return missing(r, field, flags);
	if (!json_is_object(v))
		return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", field, "%s must be an object",
				   field);
	r->json = v;
	err = fq_in_only(r, fields);
	if (!err)
		err = read(r, 0, arg);
	r->json = saved;
	if (err)
		name_inside(r, field);
	return err;
}

enum fq_err fq_in_id_list(struct fq_req *r, const char *field, unsigned flags, size_t max_items,
			  const int64_t **ids, size_t *n)
{
	json_t *list, *v;
	int64_t *out;
	size_t i;
	enum fq_err err = fq_in_array(r, field, flags, max_items, &list);

	*ids = NULL;
	*n = 0;
	if (err || !list)
		return err;
	out = fq_arena_alloc(r->arena, sizeof(*out) * (json_array_size(list) + 1));
	if (!out)
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	json_array_foreach(list, i, v) {
		const char *name;
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			name = item_name(r, field, i);
			return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", name,
					   "%s must be an id (a whole number from 1)", name);
		}
		out[i] = json_integer_value(v);
		for (size_t k = 0; k < i; k++)
			if (out[k] == out[i]) {
				name = item_name(r, field, i);
				return fq_req_fail(r, FQ_ERR_INVALID, "duplicate", name,
						   "%s repeats %lld (%s)", name,
						   (long long)out[i], item_name(r, field, k));
			}
	}
	*ids = out;
	*n = json_array_size(list);
	return FQ_OK;
}

enum fq_err fq_in_text_list(struct fq_req *r, const char *field, unsigned flags, size_t max_items,
			    unsigned item_flags, long max_chars, const char ***out, size_t *n)
{
	json_t *list, *v;
	const char **texts;
	size_t i;
	enum fq_err err = fq_in_array(r, field, flags, max_items, &list);

	*out = NULL;
	*n = 0;
	if (err || !list)
		return err;
	texts = fq_arena_alloc(r->arena, sizeof(*texts) * (json_array_size(list) + 1));
	if (!texts)
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	json_array_foreach(list, i, v) {
		const char *name = item_name(r, field, i);
		if (json_is_null(v) && !(item_flags & FQ_IN_REQUIRED)) {
			texts[i] = NULL;
			continue;
		}
		if (json_is_null(v))
			return fq_req_fail(r, FQ_ERR_INVALID, "required", name, "%s is required",
					   name);
		if (!json_is_string(v))
			return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", name, "%s must be text",
					   name);
		texts[i] = clean_text(r, name, json_string_value(v), json_string_length(v),
				      item_flags, max_chars);
		if (!texts[i])
			return r->error.err;
	}
	*out = texts;
	*n = json_array_size(list);
	return FQ_OK;
}

enum fq_err fq_in_choice_array(struct fq_req *r, const char *field, unsigned flags,
			       const char *const *choices, size_t max_items, const char **out,
			       size_t *n)
{
	json_t *list, *v;
	size_t i;
	enum fq_err err = fq_in_array(r, field, flags, max_items, &list);

	*n = 0;
	if (err || !list)
		return err;
	json_array_foreach(list, i, v) {
		out[i] = json_is_string(v) ? find_choice(choices, json_string_value(v)) : NULL;
		if (!out[i])
			return bad_choice(r, item_name(r, field, i), choices);
	}
	*n = json_array_size(list);
	return FQ_OK;
}

/* ---- query ---- */

enum fq_err fq_in_query_date(struct fq_req *r, const char *name, int64_t *day)
{
	const char *v = fq_req_query(r, name);
	int64_t d;

	if (!v || !*v)
		return FQ_OK;
	if (!fq_date_parse(v, &d) || d < 19000101 || d > 29991231)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", name,
				   "%s must be a date like 2026-05-01", name);
	*day = d;
	return FQ_OK;
}

enum fq_err fq_in_query_choice(struct fq_req *r, const char *name, const char *const *choices,
			       const char **out)
{
	const char *v = fq_req_query(r, name);

	*out = NULL;
	if (!v || !*v)
		return FQ_OK;
	if (!(*out = find_choice(choices, v)))
		return refuse_choice(r, FQ_ERR_BAD_REQUEST, "bad_query", name, choices);
	return FQ_OK;
}

enum fq_err fq_in_page(struct fq_req *r, int64_t *page, int64_t *per_page)
{
	bool present;
	enum fq_err err;

	*page = 1;
	*per_page = 20;
	err = fq_in_query_int(r, "page", 1, 100000, page, &present);
	if (!err)
		err = fq_in_query_int(r, "per_page", 1, r->per_page_max ? r->per_page_max : 100,
				      per_page, &present);
	return err;
}

void fq_out_list(struct fq_req *r, json_t *items, int64_t page, int64_t per_page)
{
	bool more = (int64_t)json_array_size(items) > per_page;

	if (more)
		json_array_remove(items, json_array_size(items) - 1);
	fq_req_reply(r, 200,
		     json_pack("{s:o,s:I,s:I,s:b}", "items", items, "page", (json_int_t)page,
			       "per_page", (json_int_t)per_page, "has_more", more));
}

/* A cursor is the id of the last item of the page before, in digits: opaque
 * to clients, who only hand back what next_cursor said. */
enum fq_err fq_in_cursor(struct fq_req *r, int64_t *after)
{
	const char *v = fq_req_query(r, "cursor"), *page = fq_req_query(r, "page");

	*after = 0;
	if (!v || !*v)
		return FQ_OK;
	if (!fq_parse_i64(v, 1, INT64_MAX, after) || strspn(v, "0123456789") != strlen(v))
		return fq_req_fail(r, FQ_ERR_INVALID, "bad_cursor", "cursor",
				   "cursor must be the next_cursor of a page of this list");
	if (page && *page)
		return fq_req_fail(r, FQ_ERR_INVALID, "bad_cursor", "cursor",
				   "give cursor or page, not both");
	return FQ_OK;
}

void fq_out_keyset(struct fq_req *r, json_t *items, int64_t page, int64_t per_page,
		   int64_t after)
{
	bool more = (int64_t)json_array_size(items) > per_page;
	json_t *next = json_null();

	if (more) {
		json_array_remove(items, json_array_size(items) - 1);
		next = json_sprintf("%lld", (long long)json_integer_value(json_object_get(
						    json_array_get(items, json_array_size(items) - 1),
						    "id")));
	}
	fq_req_reply(r, 200,
		     json_pack("{s:o,s:o,s:I,s:b,s:o}", "items", items, "page",
			       after ? json_null() : json_integer(page), "per_page",
			       (json_int_t)per_page, "has_more", more, "next_cursor", next));
}
