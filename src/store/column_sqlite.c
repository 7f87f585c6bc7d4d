/* Inspectors' column classes on SQLite (see column_store.h). A handful of
 * rows per site: statements are prepared per call. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "store/column_store.h"
#include "store/store_impl.h"
#include "store/sqlite_util.h"

/* The shared plumbing (sqlite_util.h), named for this module. */
static int db_of(struct gw_store *st, bool write, sqlite3 **out)
{
  return gw_sq_db(st, write, "column overrides", out);
}
#define fail gw_sq_fail
/* NULL columns read as "" here. */
static char *col_text(sqlite3_stmt *q, int i)
{
  char *t = gw_sq_col_text(q, i);
  return t ? t : gw_strdup("");
}

void gw_column_override_clear(struct gw_column_override *o)
{
  if (!o)
    return;
  free(o->url);
  free(o->cls);
  free(o->reason);
  memset(o, 0, sizeof *o);
}

void gw_column_override_list_free(struct gw_column_override_list *l)
{
  if (!l)
    return;
  for (size_t i = 0; i < l->n; i++)
    gw_column_override_clear(&l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

int gw_store_column_override_set(struct gw_store *st, struct gw_column_override *o)
{
  sqlite3 *db = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (!o || gw_str_empty(o->url))
    return gw_err_set(GW_EINVAL, "%s: column override: the column URL is missing", st->label);
  if (gw_str_empty(o->cls))
    return gw_err_set(GW_EINVAL, "%s: column override of %s: the class is missing", st->label, o->url);
  if (gw_str_empty(o->reason))
    return gw_err_set(GW_EINVAL, "%s: column override of %s: the reason is missing", st->label, o->url);
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO column_overrides (site_id, url, class, reason, created_at) "
                         "SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM sites WHERE id = ?1) "
                         "ON CONFLICT (site_id, url) DO UPDATE SET class = excluded.class, "
                         "reason = excluded.reason, created_at = excluded.created_at",
                         -1, &q, NULL) != SQLITE_OK)
    return fail(st, db, "preparing a column override");
  sqlite3_bind_int64(q, 1, o->site_id);
  sqlite3_bind_text(q, 2, o->url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 3, o->cls, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 4, o->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(q, 5, o->created_at);
  if (sqlite3_step(q) != SQLITE_DONE) {
    rc = fail(st, db, "storing a column override");
  } else if (sqlite3_changes(db) == 0) {
    rc = gw_err_set(GW_ENOTFOUND, "%s: column override of %s: no site with id %lld", st->label, o->url,
                    (long long)o->site_id);
  }
  sqlite3_finalize(q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_prepare_v2(db, "SELECT id FROM column_overrides WHERE site_id = ?1 AND url = ?2", -1, &q, NULL) !=
      SQLITE_OK)
    return fail(st, db, "preparing a column override look-up");
  sqlite3_bind_int64(q, 1, o->site_id);
  sqlite3_bind_text(q, 2, o->url, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q) == SQLITE_ROW)
    o->id = sqlite3_column_int64(q, 0);
  else
    rc = fail(st, db, "reading a column override back");
  sqlite3_finalize(q);
  return rc;
}

int gw_store_column_override_unset(struct gw_store *st, int64_t site_id, const char *url)
{
  sqlite3 *db = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(db, "DELETE FROM column_overrides WHERE site_id = ?1 AND url = ?2", -1, &q, NULL) !=
      SQLITE_OK)
    return fail(st, db, "preparing a column override removal");
  sqlite3_bind_int64(q, 1, site_id);
  sqlite3_bind_text(q, 2, url ? url : "", -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q) != SQLITE_DONE)
    rc = fail(st, db, "removing a column override");
  else if (sqlite3_changes(db) == 0)
    rc = gw_err_set(GW_ENOTFOUND, "%s: site %lld has no class override for column %s", st->label,
                    (long long)site_id, url ? url : "");
  sqlite3_finalize(q);
  return rc;
}

int gw_store_column_override_list(struct gw_store *st, int64_t site_id, struct gw_column_override_list *out)
{
  sqlite3 *db = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(db,
                         "SELECT id, site_id, url, class, reason, created_at FROM column_overrides "
                         "WHERE ?1 = 0 OR site_id = ?1 ORDER BY site_id, url",
                         -1, &q, NULL) != SQLITE_OK)
    return fail(st, db, "preparing the column override list");
  sqlite3_bind_int64(q, 1, site_id);
  struct gw_column_override_list l = {NULL, 0};
  int s;
  while ((s = sqlite3_step(q)) == SQLITE_ROW) {
    l.v = gw_reallocarray(l.v, l.n + 1, sizeof *l.v);
    struct gw_column_override *o = &l.v[l.n++];
    o->id = sqlite3_column_int64(q, 0);
    o->site_id = sqlite3_column_int64(q, 1);
    o->url = col_text(q, 2);
    o->cls = col_text(q, 3);
    o->reason = col_text(q, 4);
    o->created_at = sqlite3_column_int64(q, 5);
  }
  if (s != SQLITE_DONE)
    rc = fail(st, db, "listing column overrides");
  sqlite3_finalize(q);
  if (rc != GW_OK) {
    gw_column_override_list_free(&l);
    return rc;
  }
  *out = l;
  return GW_OK;
}
