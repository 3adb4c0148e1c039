/* SQL for standard addresses. */
#ifndef FQ_ADDRESS_STORE_H
#define FQ_ADDRESS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_db;
typedef struct json_t json_t;

struct fq_address_fields {
	const char *division_code;
	const char *street;
	const char *door_no;
	const char *building;
	const char *unit;
	const char *floor;
	const char *room;
	const char *full_text;
	bool has_coords;
	double lat, lng;
	int64_t grid_id;
	const char *org_path; /* the grid's */
};

/* FQ_ERR_CONFLICT when the same full address exists. */
enum fq_err fq_store_address_insert(struct fq_db *db, const struct fq_address_fields *f,
				    int64_t *id);
/* Replaces every field (the domain merged the old values in). */
enum fq_err fq_store_address_update(struct fq_db *db, int64_t id,
				    const struct fq_address_fields *f);
/* The address row as JSON (FQ_ERR_NOT_FOUND), with org_path for scope checks. */
json_t *fq_store_address_json(struct fq_db *db, int64_t id, enum fq_err *err);
/* Addresses in scope [lo, hi), newest first; q matches the full text. */
json_t *fq_store_address_list(struct fq_db *db, const char *lo, const char *hi, const char *q,
			      int64_t grid_id, int64_t limit, int64_t offset, enum fq_err *err);

#endif
