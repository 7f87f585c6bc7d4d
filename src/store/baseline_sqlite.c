/* The baselines table on SQLite (store/baseline_store.h). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "store/baseline_store.h"
#include "store/store_impl.h"
#include "store/sqlite_util.h"

/* The shared plumbing (sqlite_util.h), named for this module. */
static int db_of(struct gw_store *st, bool write, sqlite3 **out)
{
  return gw_sq_db(st, write, "baselines", out);
}
#define fail gw_sq_fail
/* NULL columns read as "" here. */
static char *col_dup(sqlite3_stmt *q, int i)
{
  char *t = gw_sq_col_text(q, i);
  return t ? t : gw_strdup("");
}

void gw_baseline_clear(struct gw_baseline *b)
{
  if (!b)
    return;
  free(b->kind);
  free(b->data);
  memset(b, 0, sizeof *b);
}

int gw_store_baseline_get(struct gw_store *st, int64_t site_id, const char *kind, struct gw_baseline *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  if (!kind || !*kind || !out)
    return gw_err_set(GW_EINVAL, "baseline get: missing kind");
  if (sqlite3_prepare_v2(db,
                         "SELECT crawl_id, set_at, threshold, data FROM baselines WHERE site_id = ? AND kind = ?",
                         -1, &q, NULL) != SQLITE_OK) {
    rc = fail(st, db, "reading a baseline");
    goto out;
  }
  sqlite3_bind_int64(q, 1, site_id);
  sqlite3_bind_text(q, 2, kind, -1, SQLITE_TRANSIENT);
  int s = sqlite3_step(q);
  if (s == SQLITE_ROW) {
    memset(out, 0, sizeof *out);
    out->site_id = site_id;
    out->kind = gw_strdup(kind);
    out->crawl_id = sqlite3_column_int64(q, 0);
    out->set_at = sqlite3_column_int64(q, 1);
    out->threshold = sqlite3_column_double(q, 2);
    out->data = col_dup(q, 3);
    rc = GW_OK;
  } else if (s == SQLITE_DONE) {
    rc = gw_err_set(GW_ENOTFOUND, "site %lld has no %s baseline", (long long)site_id, kind);
  } else {
    rc = fail(st, db, "reading a baseline");
  }
out:
  sqlite3_finalize(q);
  return rc;
}

int gw_store_baseline_put(struct gw_store *st, const struct gw_baseline *b)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (!b || !b->kind || !*b->kind || !b->data || !*b->data)
    return gw_err_set(GW_EINVAL, "baseline put: kind and data are required");
  if (!(b->threshold > 0.0 && b->threshold <= 1.0))
    return gw_err_set(GW_EINVAL, "baseline put: threshold %g is outside (0, 1]", b->threshold);
  if (sqlite3_prepare_v2(db,
                         "INSERT OR REPLACE INTO baselines (site_id, kind, crawl_id, set_at, threshold, data) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         -1, &q, NULL) != SQLITE_OK) {
    rc = fail(st, db, "storing a baseline");
    goto out;
  }
  sqlite3_bind_int64(q, 1, b->site_id);
  sqlite3_bind_text(q, 2, b->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(q, 3, b->crawl_id);
  sqlite3_bind_int64(q, 4, b->set_at);
  sqlite3_bind_double(q, 5, b->threshold);
  sqlite3_bind_text(q, 6, b->data, -1, SQLITE_TRANSIENT);
  int s = sqlite3_step(q);
  if (s == SQLITE_DONE)
    rc = GW_OK;
  else if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_CONSTRAINT)
    rc = gw_err_set(GW_ENOTFOUND, "%s: no site with id %lld for a baseline", st->label, (long long)b->site_id);
  else
    rc = fail(st, db, "storing a baseline");
out:
  sqlite3_finalize(q);
  return rc;
}
