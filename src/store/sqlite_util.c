/* SQLite plumbing shared by the store modules (sqlite_util.h). */
#include "store/sqlite_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/error.h"

int gw_sq_db(struct gw_store *st, bool write, const char *what, sqlite3 **out)
{
  if (!st)
    return gw_err_set(GW_EINVAL, "%s: no store is open", what);
  sqlite3 *db = gw_store_sqlite_db(st);
  if (!db)
    return gw_err_set(GW_EDB, "%s: %s: the SQLite engine is needed (not yet on %s)", st->label, what, st->ops->engine);
  if (write && (st->flags & GW_STORE_READONLY))
    return gw_err_set(GW_EINVAL, "%s: the store is open read-only", st->label);
  *out = db;
  return GW_OK;
}

int gw_sq_fail(struct gw_store *st, sqlite3 *db, const char *what)
{
  int rc = sqlite3_errcode(db);
  int code = (rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL ? GW_EIO : GW_EDB;
  return gw_err_set(code, "%s: %s: %s", st->label, what, sqlite3_errmsg(db));
}

int gw_sq_prep(struct gw_store *st, sqlite3 *db, const char *sql, const char *what, sqlite3_stmt **q)
{
  if (sqlite3_prepare_v2(db, sql, -1, q, NULL) != SQLITE_OK) {
    char msg[160];
    snprintf(msg, sizeof msg, "preparing %s", what);
    return gw_sq_fail(st, db, msg);
  }
  return GW_OK;
}

char *gw_sq_col_text(sqlite3_stmt *q, int i)
{
  if (sqlite3_column_type(q, i) == SQLITE_NULL)
    return NULL;
  const unsigned char *t = sqlite3_column_text(q, i);
  if (!t) {
    fprintf(stderr, "govwatch: out of memory (reading a database column)\n");
    abort();
  }
  return gw_strndup((const char *)t, (size_t)sqlite3_column_bytes(q, i));
}

int gw_sq_bind_text(sqlite3_stmt *q, int i, const char *v)
{
  return v ? sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(q, i);
}

int gw_sq_collect(struct gw_store *st, sqlite3 *db, sqlite3_stmt *q, const char *what, size_t size, gw_sq_read_fn read,
                  void **v, size_t *n)
{
  size_t cap = *n;
  int step;
  while ((step = sqlite3_step(q)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      *v = gw_reallocarray(*v, cap, size);
    }
    read(q, (char *)*v + *n * size);
    (*n)++;
  }
  return step == SQLITE_DONE ? GW_OK : gw_sq_fail(st, db, what);
}
