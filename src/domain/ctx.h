/* What a domain call works with: the request's transaction, the keys, the
 * caller (for data scope) and where to put memory and errors. */
#ifndef FQ_CTX_H
#define FQ_CTX_H

struct fq_db;
struct fq_keys;
struct fq_principal;
struct fq_arena;
struct fq_error;
struct fq_config;

struct fq_ctx {
	struct fq_db *db;
	const struct fq_keys *keys;
	const struct fq_principal *who;
	struct fq_arena *arena;
	struct fq_error *e;
	const struct fq_config *cfg; /* settings of local practice (arrival targets …) */
};

#endif
