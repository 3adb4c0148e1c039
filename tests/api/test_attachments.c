/* Attachments (docs/api.md "Attachments"): uploads of real images made here
 * with libgd, the type found from the bytes whatever the name says, limits
 * (size, pixels, empty), thumbnails and SHA-256, downloads with their
 * headers, the record's scope and permissions, deletes, audit entries, and
 * the on-site record's signatures kept as attachments. */
#include <gd.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/harness.h"
#include "http/app.h"

struct bytes {
	unsigned char *p;
	int len;
};

/* A w × h photo-like JPEG or PNG (gdFree the bytes). */
static struct bytes image(int w, int h, bool png)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	struct bytes b = {0};

	for (int y = 0; y < h; y += 8)
		gdImageFilledRectangle(im, 0, y, w - 1, y + 7,
				       gdTrueColor((y * 3) & 255, (y * 7) & 255, 128));
	b.p = png ? gdImagePngPtr(im, &b.len) : gdImageJpegPtr(im, &b.len, 85);
	gdImageDestroy(im);
	return b;
}

static struct api_resp upload(struct api_env *env, struct api_client *c, const char *record,
			      const char *name, const void *data, size_t len)
{
	struct api_raw raw = {
		.method = "POST",
		.target = api_fmt("/api/attachments?%s&name=%s", record, name),
		.body = data ? data : "",
		.body_len = len,
		.content_type = "application/octet-stream",
	};

	return api_call_raw(env, c, &raw);
}

/* A new incident of c's unit; rec (96 bytes) gets its query. */
static const char *incident_of(struct api_env *env, struct api_client *c, int64_t *id, char *rec)
{
	struct api_resp r = api_call(env, c, "POST", "/api/incidents",
				     "{\"channel\":\"110_transfer\",\"category\":\"dispute\","
				     "\"subcategory\":\"neighbour\",\"narrative\":\"楼道堆物纠纷\"}");

	*id = r.status == 201 ? api_int(r.json, "id") : 0;
	if (!*id)
		printf("# intake: %d %s\n", r.status, r.body);
	api_resp_free(&r);
	snprintf(rec, 96, "record_type=incident&record_id=%lld", (long long)*id);
	return rec;
}

static int64_t count_attachments(struct api_env *env)
{
	return api_count(env, "SELECT count(*) FROM attachments") +
	       api_count(env, "SELECT count(*) FROM attachment_contents");
}

TEST(photo_is_stored_with_sha256_and_thumbnail)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	struct bytes jpg = image(800, 600, false);
	unsigned char d[crypto_hash_sha256_BYTES];
	char hex[65];
	int64_t incident, id;
	char rec[96];

	CHECK(api_login_enrolled(env, &c, "officer"));
	incident_of(env, &c, &incident, rec);
	r = upload(env, &c, rec, "%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.JPG", jpg.p, (size_t)jpg.len);
	check_status(r, 201);
	id = api_int(r.json, "id");
	crypto_hash_sha256(d, jpg.p, (unsigned long long)jpg.len);
	sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
	CHECK_STR(api_str(r.json, "sha256"), hex);
	CHECK_STR(api_str(r.json, "name"), "现场照片.JPG");
	CHECK_STR(api_str(r.json, "content_type"), "image/jpeg");
	CHECK_STR(api_str(r.json, "kind"), "file");
	CHECK_INT(api_int(r.json, "size"), jpg.len);
	CHECK_INT(api_int(r.json, "width"), 800);
	CHECK_INT(api_int(r.json, "height"), 600);
	CHECK_INT(api_int(r.json, "has_thumbnail"), 1);
	CHECK_INT(api_int(r.json, "uploaded_by"), api_user_id(env, "officer"));
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "attachment.create", api_fmt("%lld", (long long)id));
		CHECK_STR(api_str(e, "outcome"), "success");
		CHECK(api_str(e, "detail") && strstr(api_str(e, "detail"), hex));
		json_decref(e);
	}

	/* The list of the incident. */
	r = api_call(env, &c, "GET", api_fmt("/api/attachments?%s", rec), NULL);
	check_status(r, 200);
	CHECK_INT(api_len(r.json, "items"), 1);
	CHECK_INT(api_int(r.json, "items.0.id"), id);
	api_resp_free(&r);

	/* The thumbnail: a JPEG of 320 × 240, not audited. */
	r = api_call(env, &c, "GET", api_fmt("/api/attachments/%lld/thumbnail", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(r.content_type, "image/jpeg");
	{
		gdImagePtr t = gdImageCreateFromJpegPtr((int)r.body_len, r.body);

		CHECK(t != NULL);
		if (t) {
			CHECK_INT(gdImageSX(t), 320);
			CHECK_INT(gdImageSY(t), 240);
			gdImageDestroy(t);
		}
	}
	api_resp_free(&r);
	CHECK(api_audit_last(env, "attachment.download", NULL) == NULL);

	/* The download: the same bytes, its type and name; audited. */
	r = api_call(env, &c, "GET", api_fmt("/api/attachments/%lld/content", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(r.content_type, "image/jpeg");
	CHECK_INT(r.body_len, jpg.len);
	CHECK(r.body_len == (size_t)jpg.len && !memcmp(r.body, jpg.p, r.body_len));
	CHECK_STR(r.disposition, "attachment; filename=\"____.JPG\"; "
				 "filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.JPG");
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "attachment.download", api_fmt("%lld", (long long)id));
		CHECK_STR(api_str(e, "outcome"), "success");
		CHECK_STR(api_str(e, "detail"), api_fmt("incident %lld", (long long)incident));
		json_decref(e);
	}
	gdFree(jpg.p);
	api_env_free(env);
}

TEST(png_and_pdf_are_taken_a_name_gets_its_extension)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	struct bytes png = image(200, 400, true);
	static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";
	int64_t incident, id;
	char rec[96];

	CHECK(api_login_enrolled(env, &c, "aux"));
	incident_of(env, &c, &incident, rec);
	r = upload(env, &c, rec, "scan", png.p, (size_t)png.len);
	check_status(r, 201);
	CHECK_STR(api_str(r.json, "name"), "scan.png");
	CHECK_STR(api_str(r.json, "content_type"), "image/png");
	CHECK_INT(api_int(r.json, "height"), 400);
	api_resp_free(&r);
	/* A path in the name is dropped. */
	r = upload(env, &c, rec, "..%2F..%2Fetc%2F%E9%80%9A%E7%9F%A5.pdf", pdf, sizeof(pdf) - 1);
	check_status(r, 201);
	id = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "name"), "通知.pdf");
	CHECK_STR(api_str(r.json, "content_type"), "application/pdf");
	CHECK_INT(api_int(r.json, "has_thumbnail"), 0);
	CHECK_INT(api_int(r.json, "width"), 0);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/attachments/%lld/thumbnail", (long long)id), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &c, "GET", api_fmt("/api/attachments/%lld/content", (long long)id), NULL);
	check_status(r, 200);
	CHECK_STR(r.content_type, "application/pdf");
	api_resp_free(&r);
	gdFree(png.p);
	api_env_free(env);
}

TEST(wrong_types_are_refused_by_content_naming_what_was_found)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	struct bytes png = image(10, 10, true);
	static const char html[] = "  <!DOCTYPE html><html><script>alert(1)</script></html>";
	static const char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
	static const char exe[] = "MZ\x90\x00\x03\x00\x00\x00";
	/* A PNG header that claims 100,000 × 100,000 pixels (a bomb). */
	static const unsigned char bomb[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
					     0, 0, 0, 13, 'I', 'H', 'D', 'R',
					     0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0,
					     8, 2, 0, 0, 0, 0, 0, 0, 0};
	int64_t incident;
	char rec[96];

	CHECK(api_login_enrolled(env, &c, "officer"));
	incident_of(env, &c, &incident, rec);

	r = upload(env, &c, rec, "photo.jpg", html, sizeof(html) - 1);
	check_error(r, 422, "file_type", "file");
	CHECK(strstr(api_str(r.json, "error.message"), "HTML text") != NULL);
	CHECK(strstr(api_str(r.json, "error.message"), "JPEG, PNG, PDF") != NULL);
	api_resp_free(&r);
	/* A real PNG named .pdf. */
	r = upload(env, &c, rec, "report.pdf", png.p, (size_t)png.len);
	check_error(r, 422, "file_type", "name");
	CHECK(strstr(api_str(r.json, "error.message"), "a PNG image, but its name ends in .pdf"));
	api_resp_free(&r);
	/* Only the PNG header, then nothing. */
	r = upload(env, &c, rec, "cut.png", png.p, 40);
	check_error(r, 422, "bad_image", "file");
	api_resp_free(&r);
	r = upload(env, &c, rec, "bomb.png", bomb, sizeof(bomb));
	check_error(r, 422, "image_too_large", "file");
	CHECK(strstr(api_str(r.json, "error.message"), "100000 × 100000") != NULL);
	api_resp_free(&r);
	/* GIF is known but not accepted by default. */
	r = upload(env, &c, rec, "a.gif", gif, sizeof(gif) - 1);
	check_error(r, 422, "file_type", "file");
	CHECK(strstr(api_str(r.json, "error.message"), "a GIF image") != NULL);
	api_resp_free(&r);
	r = upload(env, &c, rec, "setup.jpg", exe, sizeof(exe) - 1);
	check_error(r, 422, "file_type", "file");
	CHECK(strstr(api_str(r.json, "error.message"), "a program") != NULL);
	api_resp_free(&r);
	r = upload(env, &c, rec, "empty.jpg", NULL, 0);
	check_error(r, 422, "empty_file", "file");
	api_resp_free(&r);
	/* A kind that is not one. */
	r = upload(env, &c, api_fmt("%s&kind=video", rec), "a.png", png.p, (size_t)png.len);
	check_error(r, 400, NULL, "kind");
	api_resp_free(&r);
	/* A signature is a PNG. */
	r = upload(env, &c, api_fmt("%s&kind=signature", rec), "s.pdf",
		   "%PDF-1.4\n%%EOF\n", 15);
	check_error(r, 422, "file_type", "file");
	api_resp_free(&r);
	CHECK_INT(count_attachments(env), 0);
	{
		json_t *e = api_audit_last(env, "attachment.create", NULL);
		CHECK_STR(api_str(e, "outcome"), "failure");
		json_decref(e);
	}
	gdFree(png.p);
	api_env_free(env);
}

TEST(size_limit_is_the_setting)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	struct bytes big = image(300, 300, false);
	int64_t incident;
	char rec[96];

	CHECK(api_login_enrolled(env, &c, "officer"));
	incident_of(env, &c, &incident, rec);
	CHECK(big.len > 2048);
	env->app->cfg.max_attachment = 2048;
	r = upload(env, &c, rec, "big.jpg", big.p, (size_t)big.len);
	check_error(r, 413, "file_too_large", "file");
	CHECK(strstr(api_str(r.json, "error.message"), "2048 bytes") != NULL);
	api_resp_free(&r);
	CHECK_INT(count_attachments(env), 0);
	/* The limit is the route's: a JSON body is still bounded by max_body. */
	CHECK_INT(fq_app_body_limit(env->app, "POST", "/api/attachments"), 2048);
	CHECK_INT(fq_app_body_limit(env->app, "POST", "/api/incidents"), env->app->cfg.max_body);
	env->app->cfg.max_attachment = 20 << 20;
	r = upload(env, &c, rec, "big.jpg", big.p, (size_t)big.len);
	check_status(r, 201);
	api_resp_free(&r);
	gdFree(big.p);
	api_env_free(env);
}

TEST(scope_and_permissions_are_the_records)
{
	struct api_env *env = api_env_new();
	struct api_client c, b, res, tok;
	struct api_resp r;
	struct bytes png = image(20, 20, true);
	int64_t incident, id;
	char rec[96];

	CHECK(api_login_enrolled(env, &c, "officer"));
	CHECK(api_login_enrolled(env, &b, "officer.b"));
	CHECK(api_login_enrolled(env, &res, "resident"));
	incident_of(env, &c, &incident, rec);
	r = upload(env, &c, rec, "a.png", png.p, (size_t)png.len);
	check_status(r, 201);
	id = api_int(r.json, "id");
	api_resp_free(&r);

	/* Another station's officer: as if it did not exist. */
	r = api_call(env, &b, "GET", api_fmt("/api/attachments?%s", rec), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", api_fmt("/api/attachments/%lld", (long long)id), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", api_fmt("/api/attachments/%lld/content", (long long)id), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "GET", api_fmt("/api/attachments/%lld/thumbnail", (long long)id),
		     NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = upload(env, &b, rec, "b.png", png.p, (size_t)png.len);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &b, "DELETE", api_fmt("/api/attachments/%lld", (long long)id), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	/* A role without the permission. */
	r = api_call(env, &res, "GET", api_fmt("/api/attachments?%s", rec), NULL);
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	/* A token with attachment.read but not incident.read. */
	CHECK(api_token(env, &tok, "officer", "attachment.read") > 0);
	r = api_call(env, &tok, "GET", api_fmt("/api/attachments/%lld", (long long)id), NULL);
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	/* Unknown records and types. */
	r = upload(env, &c, "record_type=incident&record_id=999999", "a.png", png.p,
		   (size_t)png.len);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = upload(env, &c, "record_type=person&record_id=1", "a.png", png.p, (size_t)png.len);
	check_error(r, 400, NULL, "record_type");
	api_resp_free(&r);
	r = upload(env, &c, "record_type=incident", "a.png", png.p, (size_t)png.len);
	check_error(r, 400, NULL, "record_id");
	api_resp_free(&r);
	r = api_call(env, &c, "GET", "/api/attachments/999999", NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM attachments"), 1);
	gdFree(png.p);
	api_env_free(env);
}

TEST(delete_by_uploader_or_chief_keeps_the_row)
{
	struct api_env *env = api_env_new();
	struct api_client off, aux, chief;
	struct api_resp r;
	struct bytes png = image(20, 20, true);
	int64_t incident, a1, a2;
	char rec[96];

	CHECK(api_login_enrolled(env, &off, "officer"));
	CHECK(api_login_enrolled(env, &aux, "aux"));
	CHECK(api_login_enrolled(env, &chief, "chief"));
	incident_of(env, &off, &incident, rec);
	r = upload(env, &off, rec, "a.png", png.p, (size_t)png.len);
	a1 = api_int(r.json, "id");
	api_resp_free(&r);
	r = upload(env, &off, rec, "b.png", png.p, (size_t)png.len);
	a2 = api_int(r.json, "id");
	api_resp_free(&r);
	CHECK(a1 && a2);

	r = api_call(env, &aux, "DELETE", api_fmt("/api/attachments/%lld", (long long)a1), NULL);
	check_error(r, 403, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &off, "DELETE", api_fmt("/api/attachments/%lld", (long long)a1), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	r = api_call(env, &chief, "DELETE", api_fmt("/api/attachments/%lld", (long long)a2), NULL);
	check_status(r, 200);
	api_resp_free(&r);
	{
		json_t *e = api_audit_last(env, "attachment.delete", api_fmt("%lld", (long long)a2));
		CHECK_STR(api_str(e, "outcome"), "success");
		CHECK_STR(api_str(e, "username"), "chief");
		json_decref(e);
		e = api_audit_last(env, "attachment.delete", api_fmt("%lld", (long long)a1));
		CHECK_STR(api_str(e, "outcome"), "success");
		CHECK_STR(api_str(e, "username"), "officer");
		json_decref(e);
	}
	r = api_call(env, &off, "DELETE", api_fmt("/api/attachments/%lld", (long long)a2), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &off, "GET", api_fmt("/api/attachments/%lld/content", (long long)a1), NULL);
	check_error(r, 404, NULL, NULL);
	api_resp_free(&r);
	r = api_call(env, &off, "GET", api_fmt("/api/attachments?%s", rec), NULL);
	CHECK_INT(api_len(r.json, "items"), 0);
	api_resp_free(&r);
	/* The rows stay, the bytes go. */
	CHECK_INT(api_count(env, "SELECT count(*) FROM attachments WHERE deleted_at IS NOT NULL"), 2);
	CHECK_INT(api_count(env, "SELECT count(*) FROM attachment_contents"), 0);
	gdFree(png.p);
	api_env_free(env);
}

/* An incident of officer's station taken to handling, ready for its record. */
static int64_t handled(struct api_env *env, struct api_client *c)
{
	static const char *const staff[] = {"officer", "chief", NULL};
	int64_t id;
	struct api_resp r;

	CHECK(api_on_shift(env, env->st_a, staff));
	char rec[96];

	incident_of(env, c, &id, rec);
	r = api_callf(env, c, "POST", api_fmt("/api/incidents/%lld/dispatch", (long long)id),
		      "{\"user_ids\":[%lld]}", (long long)api_user_id(env, "officer"));
	api_resp_free(&r);
	r = api_call(env, c, "POST", api_fmt("/api/incidents/%lld/arrive", (long long)id), "{}");
	api_resp_free(&r);
	r = api_call(env, c, "POST", api_fmt("/api/incidents/%lld/handle", (long long)id),
		     "{\"note\":\"现场调解\"}");
	check_status(r, 200);
	api_resp_free(&r);
	return id;
}

TEST(signatures_are_attachments_of_the_sealed_record)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	struct bytes png = image(300, 120, true), jpg = image(30, 30, false);
	int64_t incident, party, officer, photo, other;
	char rec[96];
	const char *body;

	CHECK(api_login_enrolled(env, &c, "officer"));
	incident = handled(env, &c);
	snprintf(rec, sizeof(rec), "record_type=incident&record_id=%lld&kind=signature",
		 (long long)incident);
	r = upload(env, &c, rec, "party.png", png.p, (size_t)png.len);
	check_status(r, 201);
	party = api_int(r.json, "id");
	CHECK_STR(api_str(r.json, "kind"), "signature");
	api_resp_free(&r);
	r = upload(env, &c, rec, "officer.png", png.p, (size_t)png.len);
	officer = api_int(r.json, "id");
	api_resp_free(&r);
	r = upload(env, &c, api_fmt("record_type=incident&record_id=%lld", (long long)incident),
		   "photo.jpg", jpg.p, (size_t)jpg.len);
	photo = api_int(r.json, "id");
	api_resp_free(&r);
	/* A signature of another incident is not this record's. */
	{
		int64_t second;
		char rec2[96];

		incident_of(env, &c, &second, rec2);

		r = upload(env, &c, api_fmt("%s&kind=signature", rec2), "x.png", png.p,
			   (size_t)png.len);
		other = api_int(r.json, "id");
		api_resp_free(&r);
	}
	CHECK(party && officer && photo && other);
	/* The photo list leaves the signatures out when asked for files. */
	r = api_call(env, &c, "GET",
		     api_fmt("/api/attachments?record_type=incident&record_id=%lld&kind=file",
			     (long long)incident),
		     NULL);
	CHECK_INT(api_len(r.json, "items"), 1);
	api_resp_free(&r);

	body = "{\"facts\":\"堆物已清\",\"disposal\":\"现场调解\",\"signatures\":["
	       "{\"role\":\"party\",\"name\":\"张三\",\"attachment_id\":%lld},"
	       "{\"role\":\"officer\",\"name\":\"李警官\",\"attachment_id\":%lld}]}";
	r = api_callf(env, &c, "POST", api_fmt("/api/incidents/%lld/onsite-record", (long long)incident),
		      body, (long long)party, (long long)photo);
	check_error(r, 422, NULL, "signatures");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", api_fmt("/api/incidents/%lld/onsite-record", (long long)incident),
		      body, (long long)party, (long long)other);
	check_error(r, 422, NULL, "signatures");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", api_fmt("/api/incidents/%lld/onsite-record", (long long)incident),
		      "{\"facts\":\"x\",\"disposal\":\"y\",\"signatures\":[{\"role\":\"party\","
		      "\"name\":\"张三\"}]}");
	check_error(r, 422, NULL, "signatures[0].image");
	api_resp_free(&r);
	r = api_callf(env, &c, "POST", api_fmt("/api/incidents/%lld/onsite-record", (long long)incident),
		      body, (long long)party, (long long)officer);
	check_status(r, 201);
	api_resp_free(&r);
	/* Nothing kept twice: the row's image column is empty. */
	CHECK_INT(api_count(env, "SELECT count(*) FROM onsite_signatures WHERE length(image) = 0"
				 " AND attachment_id IS NOT NULL"),
		  2);
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld/onsite-record", (long long)incident),
		     NULL);
	check_status(r, 200);
	CHECK(api_bool(r.json, "seal_ok"));
	CHECK_INT(api_int(r.json, "signatures.0.attachment_id"), officer);
	CHECK(api_str(r.json, "signatures.0.image") &&
	      !strncmp(api_str(r.json, "signatures.0.image"), "data:image/png;base64,", 22));
	api_resp_free(&r);
	/* A sealed signature stays. */
	r = api_call(env, &c, "DELETE", api_fmt("/api/attachments/%lld", (long long)party), NULL);
	check_error(r, 409, "in_use", NULL);
	api_resp_free(&r);
	/* Changing the kept bytes breaks the seal. */
	CHECK(api_exec(env, api_fmt("UPDATE attachment_contents SET content = (SELECT content FROM"
				    " attachment_contents WHERE id = %lld) WHERE id = %lld",
				    (long long)photo, (long long)party)));
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld/onsite-record", (long long)incident),
		     NULL);
	CHECK(!api_bool(r.json, "seal_ok"));
	api_resp_free(&r);
	gdFree(png.p);
	gdFree(jpg.p);
	api_env_free(env);
}

TEST(signatures_written_before_attachments_are_still_read)
{
	struct api_env *env = api_env_new();
	struct api_client c;
	struct api_resp r;
	int64_t incident;

	CHECK(api_login_enrolled(env, &c, "officer"));
	incident = handled(env, &c);
	/* Sealed with inline images, as the browser did before. */
	r = api_callf(env, &c, "POST", api_fmt("/api/incidents/%lld/onsite-record", (long long)incident),
		      "{\"facts\":\"f\",\"disposal\":\"d\",\"signatures\":[{\"role\":\"party\","
		      "\"name\":\"张三\",\"image\":\"%s\"},{\"role\":\"officer\",\"name\":\"李\","
		      "\"image\":\"%s\"}]}",
		      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
		      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
	check_status(r, 201);
	api_resp_free(&r);
	CHECK_INT(api_count(env, "SELECT count(*) FROM attachments WHERE kind = 'signature'"), 2);
	/* Put the images back into the rows, as migration 013 found them. */
	CHECK(api_exec(env, "UPDATE onsite_signatures SET image = (SELECT content FROM"
			    " attachment_contents c WHERE c.id = onsite_signatures.attachment_id),"
			    " attachment_id = NULL"));
	CHECK(api_exec(env, "DELETE FROM attachment_contents"));
	r = api_call(env, &c, "GET", api_fmt("/api/incidents/%lld/onsite-record", (long long)incident),
		     NULL);
	check_status(r, 200);
	CHECK(api_bool(r.json, "seal_ok"));
	api_resp_free(&r);
	api_env_free(env);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(photo_is_stored_with_sha256_and_thumbnail),
    TEST_ENTRY(png_and_pdf_are_taken_a_name_gets_its_extension),
    TEST_ENTRY(wrong_types_are_refused_by_content_naming_what_was_found),
    TEST_ENTRY(size_limit_is_the_setting),
    TEST_ENTRY(scope_and_permissions_are_the_records),
    TEST_ENTRY(delete_by_uploader_or_chief_keeps_the_row),
    TEST_ENTRY(signatures_are_attachments_of_the_sealed_record),
    TEST_ENTRY(signatures_written_before_attachments_are_still_read),
};

int main(int argc, char **argv)
{
	return fq_test_main("api/attachments", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
