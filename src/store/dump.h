/* Export and import of every data table of a store as line-oriented JSON,
 * the same on every backend, so a station can move from SQLite to PostgreSQL
 * and back (docs/operations/move-station.md describes the file).
 *
 * The file is one JSON value per line:
 *   {"format":"fengqiao-export","version":1,"schema":N,"exported_at":"…",…}
 *   then for each table of the list the caller gives (the tables of every
 *   module, parents first; derived tables such as the search index are left
 *   out and rebuilt on import):
 *   {"table":"users","columns":["id","username",…]}
 *   [1,"admin",…]                one array per row, in primary-key order
 *   {"end":"users","rows":N,"sha256":"…"}
 *   and last {"end":"fengqiao-export","tables":N}.
 * A row's values are integers, reals, strings, null or {"b64":"…"} (a blob).
 * sha256 is taken over the table's row lines in their canonical form (the
 * form export writes: no spaces, reals as "%.17g" with ".0" added when that
 * looks like an integer, strings escaped only where JSON requires, blobs in
 * standard padded base64), each followed by "\n". */
#ifndef FQ_DUMP_H
#define FQ_DUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

struct fq_db;
struct fq_store;

#define FQ_DUMP_FORMAT "fengqiao-export"
#define FQ_DUMP_VERSION 1
#define FQ_DUMP_MAX_LINE ((size_t)64 << 20) /* one row, encoded */

#define FQ_DUMP_MAX_KEY 3

/* One exported table, as a module declares it (api/module.h). A list of them
 * ends with {NULL}. */
struct fq_dump_table {
	const char *name;
	/* The primary key, up to FQ_DUMP_MAX_KEY columns then NULL. {"id"}: one
	 * integer column, read page by page and an identity column on
	 * PostgreSQL. Otherwise the rows are sorted in memory, byte by byte,
	 * since text order differs between backends. */
	const char *key[FQ_DUMP_MAX_KEY + 1];
	/* A column referring to this table's own id, or NULL: a row may point to
	 * a later one, so import sets such references after the table's rows. */
	const char *self_ref;
	/* Rows per query of an id-keyed table; 0: the default (1,000). A table
	 * of large rows (attachment bytes) reads a few at a time, since a
	 * PostgreSQL result is held whole in memory. */
	int page_rows;
	/* Rows its migration ships (the working-day calendar): a new store has
	 * them, so import does not count them as data of the store and replaces
	 * them with the file's rows. */
	bool seeded;
};


struct fq_dump_table_sum {
	const char *table; /* the name in the caller's list */
	int64_t rows;
	char sha256[65]; /* lower-case hex */
};

struct fq_dump_summary {
	int schema;
	int ntables;
	int64_t rows; /* all tables */
	char exported_at[32];
	struct fq_dump_table_sum *tables; /* ntables of them; fq_dump_summary_release */
};

/* Frees sum->tables; the summary can be filled again. */
void fq_dump_summary_release(struct fq_dump_summary *sum);

/* Writes the tables of lists (an array of lists of tables, each ending with
 * {NULL}, the array ending with NULL; parents before the tables that refer to
 * them, each table once) of db to out, all read in one read transaction that
 * this function begins and ends (one snapshot: a consistent copy while
 * servers go on writing). Fills *sum, also on failure (release it). The
 * caller creates, flushes and closes out; on failure *e says why and what was
 * written is incomplete. */
enum fq_err fq_dump_export(struct fq_db *db, const struct fq_dump_table *const *lists, FILE *out,
			   struct fq_dump_summary *sum, struct fq_error *e);

/* Called inside the import's transaction after each table was read and its
 * checksum verified; a non-zero return (with *e set) rolls everything back. */
typedef enum fq_err (*fq_dump_table_done_fn)(struct fq_db *db, const char *table, void *arg,
					     struct fq_error *e);

/* Reads an export from in (name is used in messages: "NAME:LINE: …") into
 * store; the file must hold the tables of lists (as for fq_dump_export), in
 * that order. A store without tables is migrated first; then its schema
 * version must equal the file's and every table of lists must be empty. All
 * rows go in one write transaction, checked against each table's row count
 * and sha256 as they are read: a damaged, truncated or foreign file, a wrong
 * column count, an unknown table, bad base64 or a line longer than
 * FQ_DUMP_MAX_LINE changes nothing. Identity sequences are moved past the
 * imported ids. done (may be NULL) is called after each table. Fills *sum,
 * also on failure (release it). */
enum fq_err fq_dump_import(struct fq_store *store, const struct fq_dump_table *const *lists,
			   FILE *in, const char *name, fq_dump_table_done_fn done, void *arg,
			   struct fq_dump_summary *sum, struct fq_error *e);

#endif
