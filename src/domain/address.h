/* Standard addresses (标准地址, DOMAIN §2): a GB/T 2260 county code, street,
 * door number, building, unit, floor, room; each belongs to a grid. */
#ifndef FQ_ADDRESS_H
#define FQ_ADDRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_ctx;
typedef struct json_t json_t;

struct fq_address_input {
	const char *division_code;
	const char *street;
	const char *door_no;
	const char *building; /* NULL = none (create) / unchanged (update) */
	const char *unit;
	const char *floor;
	const char *room;
	bool has_coords;
	double lat, lng;
	int64_t grid_id; /* 0 on create: the drawn grid holding lat, lng */
};

enum fq_err fq_address_create(struct fq_ctx *c, const struct fq_address_input *in, int64_t *id);
/* Fields left NULL / 0 keep their value. */
enum fq_err fq_address_update(struct fq_ctx *c, int64_t id, const struct fq_address_input *in);
/* The address when the caller may see it; else NULL with FQ_ERR_NOT_FOUND
 * (field names the input that referred to it, or NULL for a path id). */
json_t *fq_address_get(struct fq_ctx *c, int64_t id, const char *field);
json_t *fq_address_list(struct fq_ctx *c, const char *q, int64_t grid_id, int64_t page,
			int64_t per_page);

#endif
