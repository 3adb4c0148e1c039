/* Decoding a JSON request body within limits of size, depth, strings, lists
 * and keys. */
#include "http/body.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* Nesting depth, counted before parsing so a hostile body never reaches the
 * parser's recursion. */
static bool depth_ok(const char *s, size_t len, size_t max)
{
	size_t depth = 0;
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				return false;
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return true;
}

static enum fq_err walk(json_t *v, char *path, size_t path_size, const struct fq_body_limits *lim,
			struct fq_error *e)
{
	size_t base = strlen(path);
	enum fq_err err = FQ_OK;

	if (json_is_string(v)) {
		if (json_string_length(v) > lim->max_string)
			return fq_fail(e, FQ_ERR_INVALID, "too_long", path[0] ? path : NULL,
				       "text longer than %zu bytes", lim->max_string);
		if (memchr(json_string_value(v), '\0', json_string_length(v)))
			return fq_fail(e, FQ_ERR_INVALID, NULL, path[0] ? path : NULL,
				       "text must not contain NUL characters");
	} else if (json_is_array(v)) {
		size_t i;
		json_t *item;

		if (json_array_size(v) > lim->max_list)
			return fq_fail(e, FQ_ERR_INVALID, "too_many", path[0] ? path : NULL,
				       "list longer than %zu items", lim->max_list);
		json_array_foreach(v, i, item) {
			snprintf(path + base, path_size - base, "[%zu]", i);
			err = walk(item, path, path_size, lim, e);
			path[base] = '\0';
			if (err)
				return err;
		}
	} else if (json_is_object(v)) {
		const char *key;
		json_t *item;

		if (json_object_size(v) > lim->max_list)
			return fq_fail(e, FQ_ERR_INVALID, "too_many", path[0] ? path : NULL,
				       "object with more than %zu fields", lim->max_list);
		json_object_foreach(v, key, item) {
			if (strlen(key) > 64)
				return fq_fail(e, FQ_ERR_INVALID, "too_long", NULL,
					       "field name longer than 64 bytes");
			snprintf(path + base, path_size - base, "%s%s", base ? "." : "", key);
			err = walk(item, path, path_size, lim, e);
			path[base] = '\0';
			if (err)
				return err;
		}
	}
	return FQ_OK;
}

enum fq_err fq_body_parse(const char *body, size_t len, const struct fq_body_limits *lim,
			  json_t **out, struct fq_error *e)
{
	json_error_t jerr;
	json_t *v;
	char path[256] = "";
	enum fq_err err;

	if (!depth_ok(body, len, lim->max_depth))
		return fq_fail(e, FQ_ERR_BAD_REQUEST, "too_deep", NULL,
			       "JSON nested deeper than %zu levels", lim->max_depth);
	v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v)
		return fq_fail(e, FQ_ERR_BAD_REQUEST, "bad_json", NULL,
			       "malformed JSON at line %d, column %d: %s", jerr.line, jerr.column,
			       jerr.text);
	err = walk(v, path, sizeof(path), lim, e);
	if (err) {
		json_decref(v);
		return err;
	}
	*out = v;
	return FQ_OK;
}
