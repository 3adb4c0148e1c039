/* Persons (docs/api.md "Persons", DOMAIN §3 and §13): GB 11643 checks,
 * masking, exact look-up, unmasking with its audit trail, data scope,
 * the timeline and updates. */
#include <jansson.h>
#include <string.h>

#include "api/harness.h"

#define PHONE "13812345678"

static int64_t count_persons(struct api_env *env)
{
	return api_count(env, "SELECT count(*) FROM persons");
}

static struct api_resp register_id(struct api_env *env, struct api_client *c, const char *id_number)
{
	return api_callf(env, c, "POST", "/api/persons",
	                 "{\"name\":\"张三\",\"doc_type\":\"id_card\",\"id_number\":\"%s\"}",
	                 id_number);
}

/* Registers 张三 with API_ID_NUMBER and PHONE as c; returns the id. */
static int64_t zhang_san(struct api_env *env, struct api_client *c)
{
	return api_new_person(env, c, "张三", API_ID_NUMBER,
	                      "{\"phone\":\"" PHONE "\",\"tags\":[\"elderly\"]}");
}

TEST(officer_registers_a_person)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_callf(env, &c, "POST", "/api/persons",
	              "{\"name\":\"张三\",\"doc_type\":\"id_card\",\"id_number\":\"%s\","
	              "\"phone\":\"%s\",\"tags\":[\"elderly\"]}",
	              API_ID_NUMBER, PHONE);
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK(id > 0);
	CHECK_STR(api_str(r.json, "name"), "张三");
	CHECK_STR(api_str(r.json, "doc_type"), "id_card");
	CHECK_STR(api_str(r.json, "id_number"), "110105********002X");
	CHECK_STR(api_str(r.json, "phone"), "138****5678");
	CHECK_STR(api_str(r.json, "sex"), "F");
	CHECK_STR(api_str(r.json, "birth_date"), "1949-12-31");
	CHECK_INT(api_int(r.json, "org_id"), env->st_a);
	CHECK_INT(api_len(r.json, "tags"), 1);
	CHECK_STR(api_str(r.json, "tags.0"), "elderly");
	CHECK(!api_get(r.json, "org_path"));
	CHECK(!strstr(r.body, API_ID_NUMBER) && !strstr(r.body, PHONE));
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "person.create", api_fmt("%lld", (long long)id));
		CHECK_STR(api_str(e, "outcome"), "success");
		CHECK_STR(api_str(e, "object_type"), "person");
		json_decref(e);
	}
	api_env_free(env);
}

TEST(id_number_and_phone_are_encrypted_at_rest)
{
	struct api_env *env = api_env_new();
	struct api_client c;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(zhang_san(env, &c) > 0);
	CHECK_INT(api_count(env, "SELECT count(*) FROM persons WHERE"
	                         " CAST(id_number_enc AS TEXT) LIKE '%19491231%'"
	                         " OR CAST(phone_enc AS TEXT) LIKE '%12345678%'"
	                         " OR id_number_hash LIKE '%19491231%'"),
	          0);
	CHECK_INT(api_count(env, "SELECT count(*) FROM persons WHERE id_number_enc IS NOT NULL"
	                         " AND phone_enc IS NOT NULL"),
	          1);
	api_env_free(env);
}

TEST(list_and_get_are_masked)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = zhang_san(env, &c);
	r = api_call(env, &c, "GET", "/api/persons", NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.id_number"), "110105********002X");
	CHECK_STR(api_str(r.json, "items.0.phone"), "138****5678");
	CHECK(!strstr(r.body, API_ID_NUMBER) && !strstr(r.body, PHONE));
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/persons/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "id_number"), "110105********002X");
	CHECK_STR(api_str(r.json, "phone"), "138****5678");
	CHECK(!strstr(r.body, API_ID_NUMBER) && !strstr(r.body, PHONE));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(wrong_check_character_names_the_right_one)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = register_id(env, &c, "110105194912310021");
	check_error(r, 422, "invalid", "id_number");
	CHECK(api_str(r.json, "error.message") &&
	      strstr(api_str(r.json, "error.message"), "should be X"));
	api_resp_free(&r);
	CHECK_INT(count_persons(env), 0);
	api_env_free(env);
}

/* An ID number with the right check character but the birth date given is
 * refused, the message saying why (says), and nothing is stored. */
static void check_birth_date_refused(const char *birth, const char *says)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	char number[19];

	api_id_number("110105", birth, "002", number);
	CHECK(api_login_enrolled(env, &c, "officer"));
	r = register_id(env, &c, number);
	check_error(r, 422, "invalid", "id_number");
	CHECK(api_str(r.json, "error.message") && strstr(api_str(r.json, "error.message"), says));
	api_resp_free(&r);
	CHECK_INT(count_persons(env), 0);
	api_env_free(env);
}

TEST(impossible_birth_date_is_refused)
{
	check_birth_date_refused("19490230", "1949-02-30");
}

TEST(future_birth_date_is_refused)
{
	check_birth_date_refused("20990101", "future");
}

TEST(malformed_id_numbers_are_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	static const char *const bad[] = {"11010519491231002", "1101051949123100XX",
	                                  "A1010519491231002X", "99010519491231002X",
	                                  "１１０１０５１９４９１２３１００２Ｘ"};

	CHECK(api_login_enrolled(env, &c, "officer"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = register_id(env, &c, bad[i]);
		check_error(r, 422, NULL, "id_number");
		api_resp_free(&r);
	}
	CHECK_INT(count_persons(env), 0);
	api_env_free(env);
}

TEST(duplicate_id_number_is_a_conflict)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(zhang_san(env, &c) > 0);
	r = register_id(env, &c, API_ID_NUMBER);
	check_error(r, 409, "conflict", "id_number");
	api_resp_free(&r);
	/* A lower-case x is the same number. */
	r = register_id(env, &c, "11010519491231002x");
	check_error(r, 409, "conflict", "id_number");
	api_resp_free(&r);
	CHECK_INT(count_persons(env), 1);
	api_env_free(env);
}

TEST(find_by_exact_id_number)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	char other[19];
	int64_t id;

	api_id_number("500112", "19800101", "123", other);
	CHECK(api_login_enrolled(env, &c, "officer"));
	id = zhang_san(env, &c);
	CHECK(api_new_person(env, &c, "李四", other, NULL) > 0);
	r = api_call(env, &c, "GET", "/api/persons?id_number=" API_ID_NUMBER, NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/persons?id_number=11010519491231002x", NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);
	api_id_number("500112", "19800101", "125", other);
	r = api_call(env, &c, "GET", api_fmt("/api/persons?id_number=%s", other), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/persons?id_number=110105194912310021", NULL);
	check_error(r, 422, "invalid", "id_number");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(search_by_name_prefix)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	char n2[19], n3[19];

	api_id_number("500112", "19800101", "123", n2);
	api_id_number("500112", "19800101", "135", n3);
	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(zhang_san(env, &c) > 0);
	CHECK(api_new_person(env, &c, "张三丰", n2, NULL) > 0);
	CHECK(api_new_person(env, &c, "李四", n3, NULL) > 0);
	r = api_call(env, &c, "GET", "/api/persons?q=%E5%BC%A0%E4%B8%89", NULL); /* 张三 */
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 2);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/persons?q=%E6%9D%8E", NULL); /* 李 */
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.name"), "李四");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(other_documents_are_not_checked_as_id_cards)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_call(
	    env, &c, "POST", "/api/persons",
	    "{\"name\":\"John Smith\",\"doc_type\":\"passport\",\"id_number\":\"e12345678\","
	    "\"tags\":[\"foreigner\"]}");
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "doc_type"), "passport");
	CHECK_STR(api_str(r.json, "id_number"), "E1*****78");
	CHECK(json_is_null(api_get(r.json, "sex")));
	api_resp_free(&r);
	r = api_call(env, &c, "POST", "/api/persons",
	             "{\"name\":\"x\",\"doc_type\":\"visa\",\"id_number\":\"E12345678\"}");
	check_error(r, 422, "not_allowed", "doc_type");
	api_resp_free(&r);
	r = api_call(env, &c, "POST", "/api/persons",
	             "{\"name\":\"x\",\"doc_type\":\"passport\",\"id_number\":\"E1 2\"}");
	check_error(r, 422, NULL, "id_number");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(bad_phone_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_callf(env, &c, "POST", "/api/persons",
	              "{\"name\":\"张三\",\"doc_type\":\"id_card\",\"id_number\":\"%s\","
	              "\"phone\":\"+86 138\"}",
	              API_ID_NUMBER);
	check_error(r, 422, NULL, "phone");
	api_resp_free(&r);
	CHECK_INT(count_persons(env), 0);
	api_env_free(env);
}

TEST(unmask_by_officer_returns_clear_values_and_is_audited)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	json_t *e;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = zhang_san(env, &c);
	r = api_call(env, &c, "POST", api_fmt("/api/persons/%lld/unmask", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "id_number"), API_ID_NUMBER);
	CHECK_STR(api_str(r.json, "phone"), PHONE);
	api_resp_free(&r);
	e = api_audit_last(env, "person.unmask", NULL);
	CHECK_STR(api_str(e, "object_type"), "person");
	CHECK_STR(api_str(e, "object_id"), api_fmt("%lld", (long long)id));
	CHECK_STR(api_str(e, "outcome"), "success");
	CHECK_STR(api_str(e, "username"), "officer");
	CHECK_INT(api_int(e, "user_id"), api_user_id(env, "officer"));
	CHECK_STR(api_str(e, "client_addr"), "127.0.0.1");
	json_decref(e);
	api_env_free(env);
}

TEST(every_unmask_is_an_audit_event)
{
	struct api_env *env = api_env_new();
	struct api_client c, chief;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &chief, "chief"));
	id = zhang_san(env, &c);
	for (int i = 0; i < 2; i++) {
		r = api_call(env, &c, "POST", api_fmt("/api/persons/%lld/unmask", (long long)id),
		             NULL);
		check_status(r, 200);
		api_resp_free(&r);
	}
	r = api_call(env, &chief, "POST", api_fmt("/api/persons/%lld/unmask", (long long)id), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM audit_log WHERE action = 'person.unmask'"
	                         " AND outcome = 'success'"),
	          3);
	api_env_free(env);
}

TEST(aux_cannot_unmask_and_the_attempt_is_audited)
{
	struct api_env *env = api_env_new();
	struct api_client officer, aux;
	struct api_resp r;
	json_t *e;
	int64_t id;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK(api_login_enrolled(env, &aux, "aux"));
	id = zhang_san(env, &officer);
	r = api_call(env, &aux, "POST", api_fmt("/api/persons/%lld/unmask", (long long)id), NULL);
	check_error(r, 403, "forbidden", NULL);
	CHECK(!strstr(r.body, API_ID_NUMBER));
	api_resp_free(&r);
	e = api_audit_last(env, "person.unmask", NULL);
	CHECK(e != NULL);
	CHECK_STR(api_str(e, "outcome"), "failure");
	CHECK_STR(api_str(e, "username"), "aux");
	json_decref(e);
	api_env_free(env);
}

TEST(refused_unmask_audit_entry_names_the_person)
{
	struct api_env *env = api_env_new();
	struct api_client officer, aux;
	struct api_resp r;
	json_t *e;
	int64_t id;

	CHECK(api_login_enrolled(env, &officer, "officer"));
	CHECK(api_login_enrolled(env, &aux, "aux"));
	id = zhang_san(env, &officer);
	r = api_call(env, &aux, "POST", api_fmt("/api/persons/%lld/unmask", (long long)id), NULL);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	/* BUG: src/http/app.c run() writes the failure entry when admit() refuses
	 * the request, before the handler has called fq_api_audit_object, so the
	 * entry of a refused unmask has no object: the log cannot tell whose data
	 * the aux tried to see (DOMAIN §13 wants the object of every event). */
	e = api_audit_last(env, "person.unmask", NULL);
	CHECK_STR(api_str(e, "object_type"), "person");
	CHECK_STR(api_str(e, "object_id"), api_fmt("%lld", (long long)id));
	json_decref(e);
	api_env_free(env);
}

TEST(station_b_officer_cannot_see_or_unmask_a_station_a_person)
{
	struct api_env *env = api_env_new();
	struct api_client a, b;
	struct api_resp r;
	json_t *e;
	int64_t id;

	CHECK(api_login_enrolled(env, &a, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	id = zhang_san(env, &a);
	r = api_call(env, &b, "GET", api_fmt("/api/persons/%lld", (long long)id), NULL);
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "POST", api_fmt("/api/persons/%lld/unmask", (long long)id), NULL);
	check_error(r, 404, "not_found", NULL);
	CHECK(!strstr(r.body, API_ID_NUMBER));
	api_resp_free(&r);
	e = api_audit_last(env, "person.unmask", api_fmt("%lld", (long long)id));
	CHECK_STR(api_str(e, "outcome"), "failure");
	CHECK_STR(api_str(e, "username"), "officer.b");
	json_decref(e);
	r = api_call(env, &b, "GET", api_fmt("/api/persons/%lld/timeline", (long long)id), NULL);
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "PATCH", api_fmt("/api/persons/%lld", (long long)id),
	             "{\"name\":\"王五\"}");
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	/* Nor find them by list or by number. */
	r = api_call(env, &b, "GET", "/api/persons", NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", "/api/persons?id_number=" API_ID_NUMBER, NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(unmask_of_an_unknown_person_is_not_found)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_call(env, &c, "POST", "/api/persons/9999/unmask", NULL);
	check_error(r, 404, "not_found", NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(timeline_has_the_registration)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "aux"));
	id = zhang_san(env, &c);
	r = api_call(env, &c, "GET", api_fmt("/api/persons/%lld/timeline", (long long)id), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_STR(api_str(r.json, "items.0.kind"), "registered");
	CHECK_STR(api_str(r.json, "items.0.code"), "registered");
	CHECK(json_is_object(api_get(r.json, "items.0.params")));
	CHECK_INT(json_object_size(api_get(r.json, "items.0.params")), 0);
	CHECK(api_get(r.json, "items.0.title") == NULL);
	CHECK_STR(api_str(r.json, "items.0.object_type"), "person");
	CHECK_INT(api_int(r.json, "items.0.object_id"), id);
	CHECK(api_str(r.json, "items.0.time") != NULL);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(patch_changes_phone_and_tags)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	const char *path;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = zhang_san(env, &c);
	path = api_fmt("/api/persons/%lld", (long long)id);
	r = api_call(env, &c, "PATCH", path,
	             "{\"phone\":\"13900001111\",\"tags\":[\"elderly\",\"disabled\"]}");
	check_status(r, 200);
	CHECK_STR(api_str(r.json, "phone"), "139****1111");
	CHECK_INT(api_len(r.json, "tags"), 2);
	CHECK_STR(api_str(r.json, "tags.1"), "disabled");
	CHECK_STR(api_str(r.json, "name"), "张三");
	CHECK_STR(api_str(r.json, "id_number"), "110105********002X");
	api_resp_free(&r);
	r = api_call(env, &c, "POST", api_fmt("/api/persons/%lld/unmask", (long long)id), NULL);
	CHECK_STR(api_str(r.json, "phone"), "13900001111");
	CHECK_STR(api_str(r.json, "id_number"), API_ID_NUMBER);
	api_resp_free(&r);
	/* A name change keeps the phone; null removes it; [] clears the tags. */
	r = api_call(env, &c, "PATCH", path, "{\"name\":\"张叁\"}");
	CHECK_STR(api_str(r.json, "phone"), "139****1111");
	api_resp_free(&r);
	r = api_call(env, &c, "PATCH", path, "{\"phone\":null,\"tags\":[]}");
	check_status(r, 200);
	CHECK(json_is_null(api_get(r.json, "phone")));
	CHECK_INT(api_len(r.json, "tags"), 0);
	api_resp_free(&r);
	r = api_call(env, &c, "POST", api_fmt("/api/persons/%lld/unmask", (long long)id), NULL);
	CHECK(json_is_null(api_get(r.json, "phone")));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(patch_unknown_field_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = zhang_san(env, &c);
	r = api_call(env, &c, "PATCH", api_fmt("/api/persons/%lld", (long long)id),
	             "{\"nickname\":\"三儿\"}");
	check_error(r, 422, "unknown_field", "nickname");
	api_resp_free(&r);
	/* The ID number is not editable. */
	r = api_call(env, &c, "PATCH", api_fmt("/api/persons/%lld", (long long)id),
	             "{\"id_number\":\"110105194912310029\"}");
	check_error(r, 422, "unknown_field", "id_number");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(tags_outside_the_list_are_refused)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	r = api_callf(env, &c, "POST", "/api/persons",
	              "{\"name\":\"张三\",\"doc_type\":\"id_card\",\"id_number\":\"%s\","
	              "\"tags\":[\"suspect\"]}",
	              API_ID_NUMBER);
	check_error(r, 422, "not_allowed", "tags");
	api_resp_free(&r);
	CHECK_INT(count_persons(env), 0);
	id = zhang_san(env, &c);
	r = api_call(env, &c, "PATCH", api_fmt("/api/persons/%lld", (long long)id),
	             "{\"tags\":[\"elderly\",\"elderly\"]}");
	check_error(r, 422, "duplicate", "tags");
	api_resp_free(&r);
	r = api_call(env, &c, "PATCH", api_fmt("/api/persons/%lld", (long long)id),
	             "{\"tags\":\"elderly\"}");
	check_error(r, 422, "wrong_type", "tags");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/persons/%lld", (long long)id), NULL);
	CHECK_INT(api_len(r.json, "tags"), 1);
	api_resp_free(&r);
	api_env_free(env);
}

TEST(patch_refuses_an_empty_name)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	id = zhang_san(env, &c);
	/* BUG: src/api/persons.c fq_api_persons_update reads name with flags 0,
	 * so "" is accepted and the person's required name is blanked. */
	r = api_call(env, &c, "PATCH", api_fmt("/api/persons/%lld", (long long)id),
	             "{\"name\":\"\"}");
	check_error(r, 422, NULL, "name");
	api_resp_free(&r);
	api_env_free(env);
}

TEST(person_at_an_address_belongs_to_its_grid)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t addr, id;

	CHECK(api_login_enrolled(env, &c, "officer"));
	addr = api_new_address(env, &c, env->g_a2, "双龙大道", "88号");
	id = api_new_person(env, &c, "张三", API_ID_NUMBER,
	                    api_fmt("{\"address_id\":%lld}", (long long)addr));
	r = api_call(env, &c, "GET", api_fmt("/api/persons/%lld", (long long)id), NULL);
	check_status(r, 200);
	CHECK_INT(api_int(r.json, "org_id"), env->g_a2);
	CHECK_INT(api_int(r.json, "address_id"), addr);
	CHECK_STR(api_str(r.json, "address_text"), "渝北区双龙大道88号");
	api_resp_free(&r);
	r = api_call(env, &c, "PATCH", api_fmt("/api/persons/%lld", (long long)id),
	             "{\"address_id\":null}");
	check_status(r, 200);
	CHECK(json_is_null(api_get(r.json, "address_id")));
	api_resp_free(&r);
	api_env_free(env);
}

TEST(address_or_unit_outside_the_scope_is_refused)
{
	struct api_env *env = api_env_new();
	struct api_client a, b;
	struct api_resp r;
	int64_t addr_b;

	CHECK(api_login_enrolled(env, &a, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	addr_b = api_new_address(env, &b, env->g_b1, "回兴路", "1号");
	r = api_callf(env, &a, "POST", "/api/persons",
	              "{\"name\":\"张三\",\"doc_type\":\"id_card\",\"id_number\":\"%s\","
	              "\"address_id\":%lld}",
	              API_ID_NUMBER, (long long)addr_b);
	check_error(r, 422, NULL, "address_id");
	api_resp_free(&r);
	r = api_callf(env, &a, "POST", "/api/persons",
	              "{\"name\":\"张三\",\"doc_type\":\"id_card\",\"id_number\":\"%s\","
	              "\"org_id\":%lld}",
	              API_ID_NUMBER, (long long)env->st_b);
	check_error(r, 422, NULL, "org_id");
	api_resp_free(&r);
	CHECK_INT(count_persons(env), 0);
	api_env_free(env);
}

TEST(aux_registers_but_volunteer_cannot)
{
	struct api_env *env = api_env_new();
	struct api_client aux, vol;
	struct api_resp r;

	CHECK(api_login_enrolled(env, &aux, "aux"));
	CHECK(api_login_enrolled(env, &vol, "volunteer"));
	r = register_id(env, &vol, API_ID_NUMBER);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	r = api_call(env, &vol, "GET", "/api/persons", NULL);
	check_error(r, 403, "forbidden", NULL);
	api_resp_free(&r);
	CHECK_INT(count_persons(env), 0);
	r = register_id(env, &aux, API_ID_NUMBER);
	check_status(r, 201);
	api_resp_free(&r);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(officer_registers_a_person),
    TEST_ENTRY(id_number_and_phone_are_encrypted_at_rest),
    TEST_ENTRY(list_and_get_are_masked),
    TEST_ENTRY(wrong_check_character_names_the_right_one),
    TEST_ENTRY(impossible_birth_date_is_refused),
    TEST_ENTRY(future_birth_date_is_refused),
    TEST_ENTRY(malformed_id_numbers_are_refused),
    TEST_ENTRY(duplicate_id_number_is_a_conflict),
    TEST_ENTRY(find_by_exact_id_number),
    TEST_ENTRY(search_by_name_prefix),
    TEST_ENTRY(other_documents_are_not_checked_as_id_cards),
    TEST_ENTRY(bad_phone_is_refused),
    TEST_ENTRY(unmask_by_officer_returns_clear_values_and_is_audited),
    TEST_ENTRY(every_unmask_is_an_audit_event),
    TEST_ENTRY(aux_cannot_unmask_and_the_attempt_is_audited),
    TEST_ENTRY(refused_unmask_audit_entry_names_the_person),
    TEST_ENTRY(station_b_officer_cannot_see_or_unmask_a_station_a_person),
    TEST_ENTRY(unmask_of_an_unknown_person_is_not_found),
    TEST_ENTRY(timeline_has_the_registration),
    TEST_ENTRY(patch_changes_phone_and_tags),
    TEST_ENTRY(patch_unknown_field_is_refused),
    TEST_ENTRY(tags_outside_the_list_are_refused),
    TEST_ENTRY(patch_refuses_an_empty_name),
    TEST_ENTRY(person_at_an_address_belongs_to_its_grid),
    TEST_ENTRY(address_or_unit_outside_the_scope_is_refused),
    TEST_ENTRY(aux_registers_but_volunteer_cannot),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/persons", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
