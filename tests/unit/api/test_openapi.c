/* Covers the OpenAPI document as embedded in the binary (merged at build time
 * from src/api/openapi.base.json and each module's src/api/<module>.openapi.json):
 * the document and the modules' route tables describe the same API. Every route
 * is an operation with its method and permission, every operation is a route,
 * and every reference and path parameter resolves. */
#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/module.h"
#include "auth/permission.h"
#include "config/config.h"
#include "core/err.h"
#include "domain/ctx.h"
#include "domain/incident.h"
#include "domain/person.h"
#include "http/route.h"
#include "test.h"

extern const char fq_openapi_json[];

static const char *const operation_keys[] = {
	"get", "put", "post", "delete", "options", "head", "patch", "trace", NULL,
};

static json_t *load(void)
{
	json_error_t err;
	json_t *doc = json_loads(fq_openapi_json, JSON_REJECT_DUPLICATES, &err);

	if (!doc)
		fprintf(stderr, "  openapi.json: line %d, column %d: %s\n", err.line, err.column,
			err.text);
	return doc;
}

static void lower(const char *in, char *out, size_t size)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

static bool is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static json_t *operation(json_t *doc, const struct fq_route *rt)
{
	char method[16];

	lower(rt->method, method, sizeof(method));
	return json_object_get(json_object_get(json_object_get(doc, "paths"), rt->path), method);
}

/* The node a local reference ("#/components/parameters/Id") points to. */
static json_t *resolve(json_t *doc, const char *ref)
{
	char part[128];
	json_t *node = doc;

	if (strncmp(ref, "#/", 2))
		return NULL;
	ref += 2;
	while (node && *ref) {
		size_t n = strcspn(ref, "/");
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, ref, n);
		part[n] = '\0';
		node = json_is_array(node) ? json_array_get(node, strtoul(part, NULL, 10))
					   : json_object_get(node, part);
		ref += n + (ref[n] == '/');
	}
	return node;
}

/* The enum at a schema's path ("Incident/allOf/1/properties/steps/…"). */
static json_t *schema_enum(json_t *doc, const char *path)
{
	return json_object_get(resolve(doc, path), "enum");
}

/* enum holds exactly the NULL-terminated list, in its order. */
static bool enum_is(json_t *e, const char *const *list, const char *what)
{
	size_t n = 0;

	for (; list[n]; n++)
		if (!json_is_string(json_array_get(e, n)) ||
		    strcmp(json_string_value(json_array_get(e, n)), list[n])) {
			fprintf(stderr, "  %s: the document's enum differs from the server's at"
					" '%s'\n",
				what, list[n]);
			return false;
		}
	if (json_array_size(e) != n)
		fprintf(stderr, "  %s: the document lists %zu values, the server %zu\n", what,
			json_array_size(e), n);
	return json_array_size(e) == n;
}

static bool enum_has(json_t *e, const char *value)
{
	size_t i;
	json_t *v;

	json_array_foreach(e, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), value))
			return true;
	fprintf(stderr, "  '%s' is not in the document's enum\n", value);
	return false;
}

/* The codes the server writes (steps, timeline events) and the choices its
 * incident dictionary serves are the enums of the document, which
 * web/test/labels.test.js checks to have labels in both languages. */
TEST(codes_and_choices_are_the_servers)
{
	static const char *const lists[] = {
		"channels", "case_subcategories", "statuses", "disposals", "quick_disposals",
		"satisfaction", "party_roles", "signature_roles", NULL,
	};
	struct fq_config cfg;
	struct fq_error e = {0};
	struct fq_ctx c = {.e = &e, .cfg = &cfg};
	json_t *doc = load(), *dict, *cat;
	size_t i, k;

	fq_config_defaults(&cfg);
	CHECK(doc != NULL);
	if (!doc)
		return;
	CHECK(enum_is(schema_enum(doc, "#/components/schemas/Incident/allOf/1/properties/steps/"
				       "items/properties/code"),
		      fq_incident_step_codes, "incident step codes"));
	CHECK(enum_is(schema_enum(doc, "#/components/schemas/TimelineEvent/properties/code"),
		      fq_person_event_codes, "person event codes"));
	dict = fq_incident_dictionary(&c);
	CHECK(dict != NULL);
	for (int l = 0; dict && lists[l]; l++) {
		char path[128];
		json_t *e, *v;

		snprintf(path, sizeof(path),
			 "#/components/schemas/IncidentDictionary/properties/%s/items", lists[l]);
		e = schema_enum(doc, path);
		CHECK(e != NULL);
		CHECK_INT(json_array_size(e), json_array_size(json_object_get(dict, lists[l])));
		json_array_foreach(json_object_get(dict, lists[l]), i, v)
			CHECK(enum_has(e, json_string_value(v)));
	}
	json_array_foreach(json_object_get(dict, "categories"), i, cat) {
		json_t *sub;

		CHECK(enum_has(schema_enum(doc, "#/components/schemas/IncidentDictionary/"
						"properties/categories/items/properties/value"),
			       json_string_value(json_object_get(cat, "value"))));
		json_array_foreach(json_object_get(cat, "subcategories"), k, sub)
			CHECK(enum_has(schema_enum(doc, "#/components/schemas/IncidentDictionary/"
							"properties/categories/items/properties/"
							"subcategories/items"),
				       json_string_value(sub)));
	}
	json_decref(dict);
	json_decref(doc);
}

struct perm_list {
	const char *list[64];
	size_t n;
};

static void add_perm(const char *perm, void *arg)
{
	struct perm_list *l = arg;

	if (l->n + 1 < sizeof(l->list) / sizeof(l->list[0]))
		l->list[l->n++] = perm;
}

/* The permissions a role or a session lists are those the modules declare,
 * in module order: the document says so, and labels each (x-labels). */
TEST(permissions_are_the_modules)
{
	struct perm_list all = {{NULL}, 0};
	json_t *doc = load();

	fq_permissions_each(NULL, add_perm, &all);
	CHECK(all.n > 10);
	CHECK(doc != NULL);
	if (!doc)
		return;
	CHECK(enum_is(schema_enum(doc, "#/components/schemas/Role/properties/permissions/items"),
		      all.list, "permissions of a role"));
	CHECK(enum_is(schema_enum(doc, "#/components/schemas/Session/properties/permissions/items"),
		      all.list, "permissions of a session"));
	json_decref(doc);
}

TEST(document_is_openapi_3)
{
	json_t *doc = load();

	CHECK(doc != NULL);
	if (!doc)
		return;
	CHECK_STR(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
	CHECK(json_is_string(json_object_get(json_object_get(doc, "info"), "title")));
	CHECK(json_is_string(json_object_get(json_object_get(doc, "info"), "version")));
	CHECK(json_object_size(json_object_get(doc, "paths")) > 0);
	CHECK(json_is_object(json_object_get(json_object_get(json_object_get(doc, "components"),
							     "schemas"),
					     "Error")));
	json_decref(doc);
}

TEST(every_route_is_documented)
{
	int nroutes;
	const struct fq_route *routes = fq_modules_routes(&nroutes);

	json_t *doc = load();

	CHECK(doc != NULL);
	CHECK(nroutes > 0);
	for (int i = 0; doc && i < nroutes; i++) {
		const struct fq_route *rt = &routes[i];
		json_t *op = operation(doc, rt), *action;
		bool audited = is_write(rt->method) || (rt->flags & FQ_AUDIT);

		if (!op) {
			fprintf(stderr, "  %s %s is in the route table but not in openapi.json\n",
				rt->method, rt->path);
			CHECK(op != NULL);
			continue;
		}
		if (!json_is_string(json_object_get(op, "x-permission")) ||
		    strcmp(json_string_value(json_object_get(op, "x-permission")), rt->permission))
			fprintf(stderr, "  %s %s: x-permission should be \"%s\"\n", rt->method,
				rt->path, rt->permission);
		CHECK_STR(json_string_value(json_object_get(op, "x-permission")), rt->permission);

		action = json_object_get(op, "x-audit-action");
		if (rt->action)
			CHECK_STR(json_string_value(action), rt->action);
		else
			CHECK(action == NULL);
		CHECK(json_is_boolean(json_object_get(op, "x-audited")) &&
		      json_is_true(json_object_get(op, "x-audited")) == audited);

		CHECK(json_is_string(json_object_get(op, "summary")) &&
		      json_string_length(json_object_get(op, "summary")) > 0);
		CHECK(json_object_size(json_object_get(op, "responses")) > 0);
		/* Public routes need no credentials; the others name at least one way. */
		CHECK(json_is_array(json_object_get(op, "security")));
		if (!strcmp(rt->permission, FQ_PERM_PUBLIC))
			CHECK_INT(json_array_size(json_object_get(op, "security")), 0);
		else
			CHECK(json_array_size(json_object_get(op, "security")) > 0);
	}
	json_decref(doc);
}

TEST(every_operation_is_a_route)
{
	int nroutes;
	const struct fq_route *routes = fq_modules_routes(&nroutes);

	json_t *doc = load(), *item;
	const char *path;

	CHECK(doc != NULL);
	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		for (int k = 0; operation_keys[k]; k++) {
			bool found = false;

			if (!json_object_get(item, operation_keys[k]))
				continue;
			for (int i = 0; i < nroutes && !found; i++) {
				char method[16];

				lower(routes[i].method, method, sizeof(method));
				found = !strcmp(method, operation_keys[k]) &&
					!strcmp(routes[i].path, path);
			}
			if (!found)
				fprintf(stderr, "  %s %s is in openapi.json but not a route\n",
					operation_keys[k], path);
			CHECK(found);
		}
	}
	json_decref(doc);
}

static const char *text_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* True when op (or its path item) declares the required path parameter name. */
static bool declares_path_param(json_t *doc, json_t *item, json_t *op, const char *name)
{
	json_t *lists[2] = {json_object_get(op, "parameters"), json_object_get(item, "parameters")};

	for (int l = 0; l < 2; l++) {
		size_t i;
		json_t *p;

		json_array_foreach(lists[l], i, p) {
			json_t *ref = json_object_get(p, "$ref");

			if (ref)
				p = resolve(doc, json_string_value(ref));
			if (p && !strcmp(text_of(p, "in"), "path") &&
			    !strcmp(text_of(p, "name"), name) &&
			    json_is_true(json_object_get(p, "required")))
				return true;
		}
	}
	return false;
}

TEST(path_parameters_are_declared)
{
	int nroutes;
	const struct fq_route *routes = fq_modules_routes(&nroutes);

	json_t *doc = load();

	CHECK(doc != NULL);
	for (int i = 0; doc && i < nroutes; i++) {
		const struct fq_route *rt = &routes[i];
		json_t *item = json_object_get(json_object_get(doc, "paths"), rt->path);
		json_t *op = operation(doc, rt);
		const char *p = rt->path;

		if (!op)
			continue; /* reported by every_route_is_documented */
		while ((p = strchr(p, '{'))) {
			char name[64];
			size_t n = strcspn(p + 1, "}");

			if (n >= sizeof(name))
				n = sizeof(name) - 1;
			memcpy(name, p + 1, n);
			name[n] = '\0';
			if (!declares_path_param(doc, item, op, name))
				fprintf(stderr, "  %s %s does not declare the path parameter %s\n",
					rt->method, rt->path, name);
			CHECK(declares_path_param(doc, item, op, name));
			p += n + 1;
		}
	}
	json_decref(doc);
}

/* Counts "$ref"s under v that point nowhere. */
static int broken_refs(json_t *doc, json_t *v)
{
	int broken = 0;

	if (json_is_object(v)) {
		const char *key;
		json_t *item;

		json_object_foreach(v, key, item) {
			if (!strcmp(key, "$ref") && json_is_string(item)) {
				if (!resolve(doc, json_string_value(item))) {
					fprintf(stderr, "  broken reference %s\n",
						json_string_value(item));
					broken++;
				}
			} else {
				broken += broken_refs(doc, item);
			}
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *item;

		json_array_foreach(v, i, item)
			broken += broken_refs(doc, item);
	}
	return broken;
}

TEST(references_resolve)
{
	json_t *doc = load();

	CHECK(doc != NULL);
	if (doc)
		CHECK_INT(broken_refs(doc, doc), 0);
	json_decref(doc);
}

static const struct fq_test tests[] = {
	TEST_ENTRY(permissions_are_the_modules),
	TEST_ENTRY(document_is_openapi_3),
	TEST_ENTRY(every_route_is_documented),
	TEST_ENTRY(every_operation_is_a_route),
	TEST_ENTRY(path_parameters_are_declared),
	TEST_ENTRY(references_resolve),
	TEST_ENTRY(codes_and_choices_are_the_servers),
};

int main(int argc, char **argv)
{
	return fq_test_main("openapi", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
