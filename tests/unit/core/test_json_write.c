/* fq_json_write writes what json_dumps(v, JSON_COMPACT) writes, byte for byte. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/json_write.h"
#include "test.h"

/* Encodes v both ways and compares; frees v. */
static int same_as_jansson(json_t *v)
{
	struct fq_buf b;
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	int ok;

	fq_buf_init(&b, 1 << 20);
	ok = want && !fq_json_write(&b, v) && b.len == strlen(want) && !memcmp(b.ptr, want, b.len);
	if (!ok)
		fprintf(stderr, "  want %s\n  got  %.*s\n", want ? want : "(null)", (int)b.len,
			b.ptr ? b.ptr : "");
	free(want);
	fq_buf_release(&b);
	json_decref(v);
	return ok;
}

TEST(scalars)
{
	CHECK(same_as_jansson(json_null()));
	CHECK(same_as_jansson(json_true()));
	CHECK(same_as_jansson(json_false()));
	CHECK(same_as_jansson(json_integer(0)));
	CHECK(same_as_jansson(json_integer(-42)));
	CHECK(same_as_jansson(json_integer(INT64_MAX)));
	CHECK(same_as_jansson(json_integer(INT64_MIN)));
	CHECK(same_as_jansson(json_real(0.0)));
	CHECK(same_as_jansson(json_real(1.0)));
	CHECK(same_as_jansson(json_real(-2.5)));
	CHECK(same_as_jansson(json_real(0.1)));
	CHECK(same_as_jansson(json_real(1e300)));
	CHECK(same_as_jansson(json_real(123456789012345678.0)));
	CHECK(same_as_jansson(json_real(29.5789)));
	CHECK(same_as_jansson(json_real(-1.5e-10)));
	CHECK(same_as_jansson(json_real(1e-5)));
	CHECK(same_as_jansson(json_real(1e100)));
	CHECK(same_as_jansson(json_real(5e-324)));
	CHECK(same_as_jansson(json_real(1.7976931348623157e308)));
	CHECK(same_as_jansson(json_real(1e21)));
}

TEST(strings)
{
	char all[128];

	CHECK(same_as_jansson(json_string("")));
	CHECK(same_as_jansson(json_string("plain")));
	CHECK(same_as_jansson(json_string("报警人称楼上噪音扰民")));
	CHECK(same_as_jansson(json_string("quote \" backslash \\ slash / end")));
	CHECK(same_as_jansson(json_string("\b\f\n\r\t\x01\x1f\x7f")));
	CHECK(same_as_jansson(json_string("emoji 😀 and U+2028 \xe2\x80\xa8")));
	CHECK(same_as_jansson(json_stringn("nul\0inside", 10)));
	/* every ASCII byte */
	for (int i = 0; i < 127; i++)
		all[i] = (char)(i + 1);
	all[127] = '\0';
	CHECK(same_as_jansson(json_string(all)));
}

TEST(containers)
{
	json_t *o = json_object(), *deep = json_array(), *at = deep;

	CHECK(same_as_jansson(json_object()));
	CHECK(same_as_jansson(json_array()));
	CHECK(same_as_jansson(json_pack("[i,s,n,b,f]", 1, "二", 0, 2.5)));
	/* keys in the order they were set, keys that need escapes */
	json_object_set_new(o, "z", json_integer(1));
	json_object_set_new(o, "a", json_string("x"));
	json_object_set_new(o, "中文键", json_null());
	json_object_set_new(o, "k\"\n", json_pack("{s:[]}", "inner"));
	json_object_set_new(o, "m", json_integer(2));
	json_object_del(o, "a");
	json_object_set_new(o, "a", json_true());
	CHECK(same_as_jansson(o));
	for (int i = 0; i < 100; i++) {
		json_t *next = json_array();
		json_array_append_new(at, next);
		at = next;
	}
	CHECK(same_as_jansson(deep));
	CHECK(same_as_jansson(json_pack("{s:{s:[{s:i},{}]},s:s}", "items", "rows", "id", 7, "next",
					"cursor")));
}

TEST(limits)
{
	struct fq_buf b;
	json_t *deep = json_array(), *at = deep, *s = json_string("longer than eight");

	/* past the buffer's maximum: a clean error */
	fq_buf_init(&b, 8);
	CHECK(fq_json_write(&b, s) == FQ_ERR_TOO_LARGE);
	fq_buf_release(&b);
	json_decref(s);
	/* deeper than any answer: refused, not a stack overflow */
	for (int i = 0; i < 3000; i++) {
		json_t *next = json_array();
		json_array_append_new(at, next);
		at = next;
	}
	fq_buf_init(&b, 1 << 20);
	CHECK(fq_json_write(&b, deep) == FQ_ERR_INVALID);
	CHECK(fq_json_write(&b, NULL) == FQ_ERR_INVALID);
	fq_buf_release(&b);
	json_decref(deep);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(scalars),
	TEST_ENTRY(strings),
	TEST_ENTRY(containers),
	TEST_ENTRY(limits),
};

int main(int argc, char **argv)
{
	return fq_test_main("json_write", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
