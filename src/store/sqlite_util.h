/* Plumbing shared by the store modules that talk to SQLite directly (the
 * monitor, the job queue, inspections, column overrides, baselines: their
 * tables have no PostgreSQL engine yet, see docs/internals/store.md), and by
 * the SQLite engine itself. Internal to src/store/. */
#ifndef GW_STORE_SQLITE_UTIL_H
#define GW_STORE_SQLITE_UTIL_H

#include <sqlite3.h>
#include <stdbool.h>

#include "store/store_impl.h"

/* The SQLite handle of `st` for a module's queries. GW_EINVAL "WHAT: no
 * store is open" for a NULL store, GW_EDB "LABEL: WHAT: the SQLite engine is
 * needed (not yet on ENGINE)" for another engine, GW_EINVAL when `write` and
 * the store is read-only. `what` names the module's data ("inspections"). */
int gw_sq_db(struct gw_store *st, bool write, const char *what, sqlite3 **out);

/* The last error of db as "LABEL: WHAT: sqlite's message": GW_EIO for I/O
 * errors and a full disk, GW_EDB otherwise. Returns the code. */
int gw_sq_fail(struct gw_store *st, sqlite3 *db, const char *what);

/* Prepare one statement; on failure the gw_sq_fail error "preparing WHAT". */
int gw_sq_prep(struct gw_store *st, sqlite3 *db, const char *sql, const char *what, sqlite3_stmt **q);

/* Column i as a new string, NULL for SQL NULL (aborts when SQLite cannot
 * allocate the text, like gw_malloc). */
char *gw_sq_col_text(sqlite3_stmt *q, int i);

/* Bind v as text, or NULL when v is NULL. Returns SQLite's code. */
int gw_sq_bind_text(sqlite3_stmt *q, int i, const char *v);

/* Reads one result row into the record at `row` (zeroed first by the reader). */
typedef void (*gw_sq_read_fn)(sqlite3_stmt *q, void *row);

/* Step q to its end, appending each row to the array *v of *n records of
 * `size` bytes (grown as needed) through read. GW_OK after the last row;
 * else the gw_sq_fail error "WHAT", with the rows read so far left in *v and
 * *n for the caller's list free. q is not finalized. */
int gw_sq_collect(struct gw_store *st, sqlite3 *db, sqlite3_stmt *q, const char *what, size_t size, gw_sq_read_fn read,
                  void **v, size_t *n);

#endif
