/* Disputes in full-text search (domain/dispute_search.c) and the words of
 * their types, which the search indexes and the spreadsheet writes. */
#ifndef FQ_DISPUTE_SEARCH_H
#define FQ_DISPUTE_SEARCH_H

#include "export/export.h"
#include "search/source.h"

/* As the disputes module declares it (api/module.h `search`): type
 * "dispute", code 3, permission dispute.read; ends with {NULL}. */
extern const struct fq_search_source fq_dispute_search[];
/* The words of each type of fq_dispute_types, zh and en; ends with {NULL}. */
extern const struct fq_export_label fq_dispute_type_labels[];

#endif
