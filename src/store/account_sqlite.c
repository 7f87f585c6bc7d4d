/* New-media accounts in inspections on SQLite (see account_store.h). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "store/account_store.h"
#include "store/sqlite_util.h"
#include "store/store_impl.h"

void gw_inspection_account_clear(struct gw_inspection_account *a)
{
  if (!a)
    return;
  free(a->reason);
  memset(a, 0, sizeof *a);
}

void gw_inspection_account_list_free(struct gw_inspection_account_list *l)
{
  for (size_t i = 0; l && i < l->n; i++)
    gw_inspection_account_clear(&l->v[i]);
  if (l) {
    free(l->v);
    l->v = NULL;
    l->n = 0;
  }
}

/* ---- plumbing (store/sqlite_util.h) ---- */

static int db_of(struct gw_store *st, bool write, sqlite3 **out)
{
  return gw_sq_db(st, write, "accounts in inspections", out);
}

static int prep(struct gw_store *st, sqlite3 *db, const char *sql, sqlite3_stmt **q)
{
  return gw_sq_prep(st, db, sql, "an account query", q);
}

#define fail gw_sq_fail
#define col_text gw_sq_col_text
#define bind_text gw_sq_bind_text

static int step_write(struct gw_store *st, sqlite3 *db, sqlite3_stmt *q, const char *what)
{
  int rc = sqlite3_step(q);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return GW_OK;
  if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_FOREIGNKEY)
    return gw_err_set(GW_ENOTFOUND, "%s: %s: no such inspection or account", st->label, what);
  return fail(st, db, what);
}

/* ---- inspection_accounts ---- */

#define IACC_COLS "inspection_id, account_id, result, reason, updated_at"

static void read_iacc(sqlite3_stmt *q, void *row)
{
  struct gw_inspection_account *a = row;
  memset(a, 0, sizeof *a);
  a->inspection_id = sqlite3_column_int64(q, 0);
  a->account_id = sqlite3_column_int64(q, 1);
  a->result = sqlite3_column_int(q, 2);
  a->reason = col_text(q, 3);
  a->updated_at = sqlite3_column_int64(q, 4);
}

int gw_store_inspection_account_put(struct gw_store *st, const struct gw_inspection_account *a, int64_t now)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  if (a->result < 0 || a->result > 3)
    return gw_err_set(GW_EINVAL, "account #%lld in inspection #%lld: result %d is not 0..3", (long long)a->account_id,
                      (long long)a->inspection_id, a->result);
  int rc = db_of(st, true, &db);
  if (rc != GW_OK ||
      (rc = prep(st, db, "INSERT OR REPLACE INTO inspection_accounts (" IACC_COLS ") VALUES (?1, ?2, ?3, ?4, ?5)",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, a->inspection_id);
  sqlite3_bind_int64(q, 2, a->account_id);
  sqlite3_bind_int(q, 3, a->result);
  bind_text(q, 4, a->reason);
  sqlite3_bind_int64(q, 5, now);
  rc = step_write(st, db, q, "writing an inspection's account");
  sqlite3_finalize(q);
  return rc;
}

int gw_store_inspection_account_get(struct gw_store *st, int64_t inspection_id, int64_t account_id,
                                    struct gw_inspection_account *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK ||
      (rc = prep(st, db, "SELECT " IACC_COLS " FROM inspection_accounts WHERE inspection_id = ?1 AND account_id = ?2",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, inspection_id);
  sqlite3_bind_int64(q, 2, account_id);
  rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    read_iacc(q, out);
    rc = GW_OK;
  } else if (rc == SQLITE_DONE) {
    rc = gw_err_set(GW_ENOTFOUND, "%s: account #%lld is not in inspection #%lld", st->label, (long long)account_id,
                    (long long)inspection_id);
  } else {
    rc = fail(st, db, "reading an inspection's account");
  }
  sqlite3_finalize(q);
  return rc;
}

int gw_store_inspection_account_list(struct gw_store *st, int64_t inspection_id,
                                     struct gw_inspection_account_list *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK ||
      (rc = prep(st, db, "SELECT " IACC_COLS " FROM inspection_accounts WHERE inspection_id = ?1 ORDER BY account_id",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, inspection_id);
  struct gw_inspection_account_list l = {0};
  void *v = NULL;
  rc = gw_sq_collect(st, db, q, "listing an inspection's accounts", sizeof *l.v, read_iacc, &v, &l.n);
  l.v = v;
  if (rc != GW_OK)
    gw_inspection_account_list_free(&l);
  else
    *out = l;
  sqlite3_finalize(q);
  return rc;
}

/* ---- account_findings ---- */

#define AF_COLS                                                                                                  \
  "id, inspection_id, \"check\", rule, severity, needs_review, account_id, \"key\", fingerprint, url, target,"  \
  " locator, snippet, title, detail, observed_json, observed_at"

static void read_af(sqlite3_stmt *q, struct gw_finding_row *r, int64_t *insp)
{
  memset(r, 0, sizeof *r);
  r->id = sqlite3_column_int64(q, 0);
  if (insp)
    *insp = sqlite3_column_int64(q, 1);
  r->check = col_text(q, 2);
  r->f.check = r->check;
  r->f.rule = col_text(q, 3);
  r->f.severity = (enum gw_severity)sqlite3_column_int(q, 4);
  r->f.needs_review = sqlite3_column_int(q, 5) != 0;
  r->f.account_id = sqlite3_column_int64(q, 6);
  r->f.key = col_text(q, 7);
  const unsigned char *fp = sqlite3_column_text(q, 8);
  gw_strlcpy(r->fingerprint, fp ? (const char *)fp : "", sizeof r->fingerprint);
  r->f.url = col_text(q, 9);
  r->f.target = col_text(q, 10);
  r->f.locator = col_text(q, 11);
  r->f.snippet = col_text(q, 12);
  r->f.title = col_text(q, 13);
  r->f.detail = col_text(q, 14);
  r->f.observed_json = col_text(q, 15);
  r->f.observed_at = sqlite3_column_int64(q, 16);
}

static int validate(const char *check, int64_t account_id, const struct gw_finding *f, size_t i)
{
  const char *what = NULL;
  if (!f->check || strcmp(f->check, check) != 0)
    what = "its check is not the one being replaced";
  else if (f->account_id != account_id || f->site_id)
    what = "it is not about this account";
  else if (gw_str_empty(f->rule))
    what = "it has no rule key";
  else if (gw_str_empty(f->key))
    what = "it has no key";
  else if (gw_str_empty(f->title))
    what = "it has no title";
  else if (f->severity < GW_SEV_VETO || f->severity > GW_SEV_INFO)
    what = "its severity is out of range";
  if (what)
    return gw_err_set(GW_EINVAL, "account #%lld, check %s: finding %zu (key '%.80s'): %s", (long long)account_id,
                      check, i, f->key ? f->key : "", what);
  return GW_OK;
}

int gw_store_account_findings_replace(struct gw_store *st, int64_t inspection_id, int64_t account_id,
                                      const char *check, const struct gw_finding *f, size_t n)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *del = NULL, *ins = NULL;
  bool open = false;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (gw_str_empty(check))
    return gw_err_set(GW_EINVAL, "account #%lld: no check named for its findings", (long long)account_id);
  for (size_t i = 0; i < n; i++)
    if ((rc = validate(check, account_id, &f[i], i)) != GW_OK)
      return rc;
  if (sqlite3_exec(db, "SAVEPOINT gw_account_findings", NULL, NULL, NULL) != SQLITE_OK)
    return fail(st, db, "starting to replace an account's findings");
  open = true;
  if ((rc = prep(st, db,
                 "DELETE FROM account_findings WHERE inspection_id = ?1 AND account_id = ?2 AND \"check\" = ?3",
                 &del)) != GW_OK ||
      (rc = prep(st, db,
                 "INSERT INTO account_findings (inspection_id, account_id, \"check\", rule, severity, needs_review,"
                 " \"key\", fingerprint, url, target, locator, snippet, title, detail, observed_json, observed_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                 &ins)) != GW_OK)
    goto done;
  sqlite3_bind_int64(del, 1, inspection_id);
  sqlite3_bind_int64(del, 2, account_id);
  bind_text(del, 3, check);
  if ((rc = step_write(st, db, del, "replacing an account's findings")) != GW_OK)
    goto done;
  for (size_t i = 0; i < n; i++) {
    char fp[17];
    gw_finding_fingerprint(&f[i], fp);
    sqlite3_reset(ins);
    sqlite3_clear_bindings(ins);
    sqlite3_bind_int64(ins, 1, inspection_id);
    sqlite3_bind_int64(ins, 2, account_id);
    bind_text(ins, 3, check);
    bind_text(ins, 4, f[i].rule);
    sqlite3_bind_int(ins, 5, (int)f[i].severity);
    sqlite3_bind_int(ins, 6, f[i].needs_review ? 1 : 0);
    bind_text(ins, 7, f[i].key);
    bind_text(ins, 8, fp);
    bind_text(ins, 9, f[i].url);
    bind_text(ins, 10, f[i].target);
    bind_text(ins, 11, f[i].locator);
    bind_text(ins, 12, f[i].snippet);
    bind_text(ins, 13, f[i].title);
    bind_text(ins, 14, f[i].detail);
    bind_text(ins, 15, f[i].observed_json);
    sqlite3_bind_int64(ins, 16, f[i].observed_at);
    int s = sqlite3_step(ins);
    if (s != SQLITE_DONE) {
      if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE)
        rc = gw_err_set(GW_EEXIST, "account #%lld, check %s: two findings have the key '%.200s'",
                        (long long)account_id, check, f[i].key);
      else if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_FOREIGNKEY)
        rc = gw_err_set(GW_ENOTFOUND, "%s: inspection #%lld or account #%lld does not exist", st->label,
                        (long long)inspection_id, (long long)account_id);
      else
        rc = fail(st, db, "writing an account finding");
      goto done;
    }
  }
  rc = GW_OK;
done:
  sqlite3_finalize(del);
  sqlite3_finalize(ins);
  if (open) {
    if (rc != GW_OK)
      sqlite3_exec(db, "ROLLBACK TO gw_account_findings", NULL, NULL, NULL);
    if (sqlite3_exec(db, "RELEASE gw_account_findings", NULL, NULL, NULL) != SQLITE_OK && rc == GW_OK)
      rc = fail(st, db, "committing an account's findings");
  }
  return rc;
}

int gw_store_account_finding_each(struct gw_store *st, int64_t inspection_id, int64_t account_id, const char *check,
                                  gw_finding_fn fn, void *ctx)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK ||
      (rc = prep(st, db,
                 "SELECT " AF_COLS " FROM account_findings WHERE inspection_id = ?1 AND account_id = ?2"
                 " AND (?3 IS NULL OR \"check\" = ?3) ORDER BY \"check\", id",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, inspection_id);
  sqlite3_bind_int64(q, 2, account_id);
  bind_text(q, 3, check);
  int s;
  rc = GW_OK;
  while ((s = sqlite3_step(q)) == SQLITE_ROW) {
    struct gw_finding_row r;
    read_af(q, &r, NULL);
    rc = fn(ctx, &r);
    gw_finding_row_clear(&r);
    if (rc)
      break;
  }
  if (!rc && s != SQLITE_DONE)
    rc = fail(st, db, "reading an account's findings");
  sqlite3_finalize(q);
  return rc;
}

/* One account finding by the query's single parameter (an id or a fingerprint). */
static int one_af(struct gw_store *st, const char *sql, int64_t id, const char *fp, struct gw_finding_row *out,
                  int64_t *inspection_id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK || (rc = prep(st, db, sql, &q)) != GW_OK)
    return rc;
  if (fp)
    bind_text(q, 1, fp);
  else
    sqlite3_bind_int64(q, 1, id);
  rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    int64_t in = 0;
    read_af(q, out, &in);
    if (inspection_id)
      *inspection_id = in;
    rc = GW_OK;
  } else if (rc == SQLITE_DONE) {
    rc = fp ? gw_err_set(GW_ENOTFOUND, "%s: no account finding has the fingerprint %s", st->label, fp)
            : gw_err_set(GW_ENOTFOUND, "%s: there is no account finding a%lld", st->label, (long long)id);
  } else {
    rc = fail(st, db, "reading an account finding");
  }
  sqlite3_finalize(q);
  return rc;
}

int gw_store_account_finding_get(struct gw_store *st, int64_t id, struct gw_finding_row *out, int64_t *inspection_id)
{
  return one_af(st, "SELECT " AF_COLS " FROM account_findings WHERE id = ?1", id, NULL, out, inspection_id);
}

int gw_store_account_finding_by_fingerprint(struct gw_store *st, const char *fingerprint, struct gw_finding_row *out,
                                            int64_t *inspection_id)
{
  return one_af(st, "SELECT " AF_COLS " FROM account_findings WHERE fingerprint = ?1 ORDER BY id DESC LIMIT 1", 0,
                fingerprint ? fingerprint : "", out, inspection_id);
}
