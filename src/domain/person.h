/* Persons (DOMAIN §3): identity documents validated (GB 11643 for ID cards),
 * sex and birth date derived, ID number and phone encrypted at rest, found by
 * exact number through a keyed hash, masked everywhere unless unmasked with
 * the right (which the router audits). */
#ifndef FQ_PERSON_H
#define FQ_PERSON_H

#include <stdint.h>

#include "core/err.h"
#include "search/source.h" /* an array of them is declared below */

struct fq_ctx;
typedef struct json_t json_t;

extern const char *const fq_person_doc_types[]; /* NULL-terminated */
extern const char *const fq_person_tags[];
/* What full-text search finds of persons: the name; a whole document number
 * by its keyed hash (domain/person.c). */
extern const struct fq_search_source fq_person_search[]; /* ends with {NULL} */

/* The codes of timeline events, each with its parameters (docs/api.md,
 * "Texts as codes"); the browser words them. */
extern const char *const fq_person_event_codes[];

struct fq_person_input {
	const char *name;
	const char *doc_type;
	const char *id_number;
	const char *phone;     /* update: NULL = unchanged, "" = remove */
	int64_t address_id;    /* update: 0 = unchanged, -1 = remove */
	int64_t org_id;        /* 0 = the address's grid, else the caller's unit */
	const char *tags;      /* space-separated; update: NULL = unchanged */
};

enum fq_err fq_person_create(struct fq_ctx *c, const struct fq_person_input *in, int64_t *id);
enum fq_err fq_person_update(struct fq_ctx *c, int64_t id, const struct fq_person_input *in);
/* Masked person, when in the caller's scope (else FQ_ERR_NOT_FOUND). */
json_t *fq_person_get(struct fq_ctx *c, int64_t id);
/* id_number: exact match (normalised); name: prefix. */
json_t *fq_person_list(struct fq_ctx *c, const char *name, const char *id_number,
		       const char *doc_type, int64_t page, int64_t per_page);
/* {"id_number": clear, "phone": clear or null}. */
json_t *fq_person_unmask(struct fq_ctx *c, int64_t id);
json_t *fq_person_timeline(struct fq_ctx *c, int64_t id);

#endif
