/* Build tool: merges the OpenAPI parts of the modules into the one document
 * served at /api/openapi.json.
 *
 *   openapi-merge BASE PART… > openapi.json
 *
 * BASE (src/api/openapi.base.json) holds the document's head and the
 * components several modules share; each PART (src/api/<module>.openapi.json)
 * holds a module's tags, paths and components. A path or component defined
 * twice is an error, so two modules cannot silently replace each other's. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static json_t *load(const char *path)
{
	json_error_t je;
	json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &je);

	if (!v)
		fprintf(stderr, "openapi-merge: %s:%d: %s\n", path, je.line, je.text);
	else if (!json_is_object(v)) {
		fprintf(stderr, "openapi-merge: %s: not a JSON object\n", path);
		json_decref(v);
		v = NULL;
	}
	return v;
}

/* Adds every member of from to into; a name both hold is an error. */
static int add_members(json_t *into, json_t *from, const char *part, const char *what)
{
	const char *name;
	json_t *v;

	json_object_foreach(from, name, v) {
		if (json_object_get(into, name)) {
			fprintf(stderr, "openapi-merge: %s: %s '%s' is defined twice\n", part, what,
				name);
			return -1;
		}
		json_object_set(into, name, v);
	}
	return 0;
}

static json_t *child(json_t *parent, const char *name, json_t *(*make)(void))
{
	json_t *v = json_object_get(parent, name);

	if (!v) {
		v = make();
		json_object_set_new(parent, name, v);
	}
	return v;
}

static int merge(json_t *doc, json_t *part, const char *path)
{
	const char *key, *kind;
	json_t *v, *items;

	json_object_foreach(part, key, v) {
		if (!strcmp(key, "tags") && json_is_array(v)) {
			json_array_extend(child(doc, "tags", json_array), v);
		} else if (!strcmp(key, "paths") && json_is_object(v)) {
			if (add_members(child(doc, "paths", json_object), v, path, "path"))
				return -1;
		} else if (!strcmp(key, "components") && json_is_object(v)) {
			json_t *comps = child(doc, "components", json_object);

			json_object_foreach(v, kind, items)
				if (!json_is_object(items) ||
				    add_members(child(comps, kind, json_object), items, path, kind))
					return -1;
		} else {
			fprintf(stderr, "openapi-merge: %s: a module part holds only tags, paths "
					"and components, not '%s'\n", path, key);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	json_t *doc;
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: openapi-merge BASE PART... > openapi.json\n");
		return 2;
	}
	if (!(doc = load(argv[1])))
		return 1;
	for (int i = 2; i < argc && !rc; i++) {
		json_t *part = load(argv[i]);

		rc = !part || merge(doc, part, argv[i]);
		json_decref(part);
	}
	if (!rc)
		rc = json_dumpf(doc, stdout, JSON_INDENT(1)) || putchar('\n') == EOF;
	json_decref(doc);
	return rc;
}
