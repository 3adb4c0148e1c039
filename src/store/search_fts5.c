/* FTS5 glue for the Chinese tokenizer (see search_fts5.h and search/bigram.h).
 * FTS5 asks for document tokens when a row is written (and for auxiliary
 * functions) and for query tokens when it reads a MATCH string: each quoted
 * string of the MATCH expression search_store.c builds is one query token,
 * which the tokenizer gives back unchanged. The keys column holds
 * FQ_SEARCH_FTS5_SCOPE_MARK and the record's key tokens (store/search_store.c),
 * separated by spaces. */
#include "store/search_fts5.h"

#include <sqlite3.h>
#include <stddef.h>

#include "search/bigram.h"
#include "core/banned.h"

#define TOKENIZER_NAME "fq_bigram"

struct fts5_call {
	void *ctx;
	int (*token)(void *ctx, int tflags, const char *p, int n, int start, int end);
};

static int fts5_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)user;
	(void)argv;
	if (argc)
		return SQLITE_ERROR; /* fq_bigram takes no options */
	*out = (Fts5Tokenizer *)user; /* no state: any non-NULL pointer */
	return SQLITE_OK;
}

static void fts5_delete(Fts5Tokenizer *t)
{
	(void)t;
}

static int fts5_token(void *arg, const struct fq_bigram_token *tok)
{
	const struct fts5_call *call = arg;

	return call->token(call->ctx, 0, tok->text, (int)tok->len, (int)tok->start, (int)tok->end);
}

static int fts5_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
			 int (*token)(void *ctx, int tflags, const char *p, int n, int start,
				      int end))
{
	struct fts5_call call = {ctx, token};
	enum fq_bigram_mode mode =
		(flags & FTS5_TOKENIZE_QUERY) ? FQ_BIGRAM_QUERY : FQ_BIGRAM_DOCUMENT;

	(void)t;
	if (len <= 0 || !text)
		return SQLITE_OK;
	if (text[0] == FQ_SEARCH_FTS5_SCOPE_MARK) {
		/* Key tokens separated by spaces, in documents and queries alike. */
		size_t i = 1, n = (size_t)len, index = 0;
		int rc = SQLITE_OK;

		while (i < n && rc == SQLITE_OK) {
			size_t j = i;
			while (j < n && text[j] != ' ')
				j++;
			if (j > i) {
				struct fq_bigram_token key = {text + i, j - i, i, j, index++};
				rc = fts5_token(&call, &key);
			}
			i = j + 1;
		}
		return rc;
	}
	return fq_bigram_tokenize(text, (size_t)len, mode, 0, fts5_token, &call);
}

static fts5_tokenizer tokenizer = {
	.xCreate = fts5_create,
	.xDelete = fts5_delete,
	.xTokenize = fts5_tokenize,
};

static char tokenizer_state; /* what xCreate hands out */

/* The connection's fts5_api, as the FTS5 documentation shows: SELECT fts5(?1)
 * with a pointer bound as type "fts5_api_ptr". */
static fts5_api *fts5_api_of(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

int fq_search_fts5_register(struct sqlite3 *h)
{
	fts5_api *api = fts5_api_of(h);

	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, TOKENIZER_NAME, &tokenizer_state, &tokenizer, NULL);
}
