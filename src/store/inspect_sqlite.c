/* Inspections and the review log on SQLite (see inspect_store.h).
 *
 * Statements are prepared per call: an inspection writes a few rows per
 * site, so a statement cache would buy nothing. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "store/inspect_store.h"
#include "store/sqlite_util.h"
#include "store/store_impl.h"

void gw_inspection_clear(struct gw_inspection *i)
{
  if (!i)
    return;
  free(i->quarter);
  free(i->rules_path);
  free(i->rules_id);
  memset(i, 0, sizeof *i);
}

void gw_inspection_list_free(struct gw_inspection_list *l)
{
  for (size_t i = 0; l && i < l->n; i++)
    gw_inspection_clear(&l->v[i]);
  if (l) {
    free(l->v);
    l->v = NULL;
    l->n = 0;
  }
}

void gw_inspection_site_clear(struct gw_inspection_site *s)
{
  if (!s)
    return;
  free(s->reason);
  free(s->error);
  memset(s, 0, sizeof *s);
}

void gw_inspection_site_list_free(struct gw_inspection_site_list *l)
{
  for (size_t i = 0; l && i < l->n; i++)
    gw_inspection_site_clear(&l->v[i]);
  if (l) {
    free(l->v);
    l->v = NULL;
    l->n = 0;
  }
}

void gw_review_clear(struct gw_review *r)
{
  if (!r)
    return;
  free(r->who);
  free(r->reason);
  memset(r, 0, sizeof *r);
}

void gw_review_list_free(struct gw_review_list *l)
{
  for (size_t i = 0; l && i < l->n; i++)
    gw_review_clear(&l->v[i]);
  if (l) {
    free(l->v);
    l->v = NULL;
    l->n = 0;
  }
}

/* ---- plumbing ---- */

/* The shared plumbing (sqlite_util.h), named for this module. */
static int db_of(struct gw_store *st, bool write, sqlite3 **out)
{
  return gw_sq_db(st, write, "inspections", out);
}
#define fail gw_sq_fail
static int prep(struct gw_store *st, sqlite3 *db, const char *sql, sqlite3_stmt **q)
{
  return gw_sq_prep(st, db, sql, "an inspection query", q);
}
#define col_text gw_sq_col_text
#define bind_text gw_sq_bind_text

static void bind_id(sqlite3_stmt *q, int i, int64_t v)
{
  if (v)
    sqlite3_bind_int64(q, i, v);
  else
    sqlite3_bind_null(q, i);
}

/* Step a write statement; a failed foreign key becomes GW_ENOTFOUND. */
static int step_write(struct gw_store *st, sqlite3 *db, sqlite3_stmt *q, const char *what)
{
  int rc = sqlite3_step(q);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return GW_OK;
  if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_FOREIGNKEY)
    return gw_err_set(GW_ENOTFOUND, "%s: %s: no such inspection, site, crawl or check run", st->label, what);
  return fail(st, db, what);
}

/* ---- inspections ---- */

#define INSP_COLS "id, quarter, as_of, rules_path, rules_id, started_at, ifnull(finished_at, 0)"

static void read_insp(sqlite3_stmt *q, void *row)
{
  struct gw_inspection *i = row;
  memset(i, 0, sizeof *i);
  i->id = sqlite3_column_int64(q, 0);
  i->quarter = col_text(q, 1);
  i->as_of = sqlite3_column_int64(q, 2);
  i->rules_path = col_text(q, 3);
  i->rules_id = col_text(q, 4);
  i->started_at = sqlite3_column_int64(q, 5);
  i->finished_at = sqlite3_column_int64(q, 6);
}

int gw_store_inspection_insert(struct gw_store *st, struct gw_inspection *i)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (!i || gw_str_empty(i->rules_path) || gw_str_empty(i->rules_id) || i->as_of <= 0)
    return gw_err_set(GW_EINVAL, "%s: an inspection needs an as-of time, a rule file and its id", st->label);
  if ((rc = prep(st, db,
                 "INSERT INTO inspections (quarter, as_of, rules_path, rules_id, started_at, finished_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
                 &q)) != GW_OK)
    return rc;
  bind_text(q, 1, i->quarter);
  sqlite3_bind_int64(q, 2, i->as_of);
  bind_text(q, 3, i->rules_path);
  bind_text(q, 4, i->rules_id);
  sqlite3_bind_int64(q, 5, i->started_at);
  if ((rc = step_write(st, db, q, "recording an inspection")) == GW_OK) {
    i->id = sqlite3_last_insert_rowid(db);
    i->finished_at = 0;
  }
  sqlite3_finalize(q);
  return rc;
}

static int one_insp(struct gw_store *st, sqlite3 *db, sqlite3_stmt *q, struct gw_inspection *out)
{
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    read_insp(q, out);
    return GW_OK;
  }
  if (rc == SQLITE_DONE)
    return GW_ENOTFOUND;
  return fail(st, db, "reading an inspection");
}

int gw_store_inspection_get(struct gw_store *st, int64_t id, struct gw_inspection *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK || (rc = prep(st, db, "SELECT " INSP_COLS " FROM inspections WHERE id = ?1", &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  rc = one_insp(st, db, q, out);
  sqlite3_finalize(q);
  if (rc == GW_ENOTFOUND)
    return gw_err_set(GW_ENOTFOUND, "%s: there is no inspection #%lld (govwatch inspect --list)", st->label,
                      (long long)id);
  return rc;
}

int gw_store_inspection_last(struct gw_store *st, const char *quarter, struct gw_inspection *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  rc = prep(st, db,
            quarter ? "SELECT " INSP_COLS " FROM inspections WHERE quarter = ?1 ORDER BY id DESC LIMIT 1"
                    : "SELECT " INSP_COLS " FROM inspections ORDER BY id DESC LIMIT 1",
            &q);
  if (rc != GW_OK)
    return rc;
  if (quarter)
    bind_text(q, 1, quarter);
  rc = one_insp(st, db, q, out);
  sqlite3_finalize(q);
  if (rc == GW_ENOTFOUND)
    return quarter ? gw_err_set(GW_ENOTFOUND, "%s: no inspection of %s yet (govwatch inspect --quarter %s)",
                                st->label, quarter, quarter)
                   : gw_err_set(GW_ENOTFOUND, "%s: no inspection yet (govwatch inspect)", st->label);
  return rc;
}

int gw_store_inspection_list(struct gw_store *st, struct gw_inspection_list *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  struct gw_inspection_list l = {0};
  int rc = db_of(st, false, &db);
  if (rc != GW_OK || (rc = prep(st, db, "SELECT " INSP_COLS " FROM inspections ORDER BY id", &q)) != GW_OK)
    return rc;
  void *v = NULL;
  rc = gw_sq_collect(st, db, q, "listing inspections", sizeof *l.v, read_insp, &v, &l.n);
  l.v = v;
  if (rc != GW_OK)
    gw_inspection_list_free(&l);
  else
    *out = l;
  sqlite3_finalize(q);
  return rc;
}

int gw_store_inspection_finish(struct gw_store *st, int64_t id, int64_t finished_at)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK || (rc = prep(st, db, "UPDATE inspections SET finished_at = ?2 WHERE id = ?1", &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  bind_id(q, 2, finished_at);
  rc = step_write(st, db, q, "finishing an inspection");
  if (rc == GW_OK && sqlite3_changes(db) == 0)
    rc = gw_err_set(GW_ENOTFOUND, "%s: there is no inspection #%lld", st->label, (long long)id);
  sqlite3_finalize(q);
  return rc;
}

/* ---- sites of an inspection ---- */

#define ISITE_COLS \
  "inspection_id, site_id, state, ifnull(crawl_id, 0), ifnull(run_id, 0), score, result, reason, error, updated_at"

static void read_isite(sqlite3_stmt *q, void *row)
{
  struct gw_inspection_site *s = row;
  memset(s, 0, sizeof *s);
  s->inspection_id = sqlite3_column_int64(q, 0);
  s->site_id = sqlite3_column_int64(q, 1);
  s->state = (enum gw_insp_state)sqlite3_column_int(q, 2);
  s->crawl_id = sqlite3_column_int64(q, 3);
  s->run_id = sqlite3_column_int64(q, 4);
  s->has_score = sqlite3_column_type(q, 5) != SQLITE_NULL;
  s->score = sqlite3_column_int64(q, 5);
  s->result = sqlite3_column_int(q, 6);
  s->reason = col_text(q, 7);
  s->error = col_text(q, 8);
  s->updated_at = sqlite3_column_int64(q, 9);
}

int gw_store_inspection_site_put(struct gw_store *st, const struct gw_inspection_site *s, int64_t now)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (!s || s->state < GW_INSP_PENDING || s->state > GW_INSP_SCORED || s->result < 0 || s->result > 3)
    return gw_err_set(GW_EINVAL, "%s: inspection site row: state or result out of range", st->label);
  if ((rc = prep(st, db,
                 "INSERT OR REPLACE INTO inspection_sites (inspection_id, site_id, state, crawl_id, run_id, score, result,"
                 " reason, error, updated_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, s->inspection_id);
  sqlite3_bind_int64(q, 2, s->site_id);
  sqlite3_bind_int(q, 3, (int)s->state);
  bind_id(q, 4, s->crawl_id);
  bind_id(q, 5, s->run_id);
  if (s->has_score)
    sqlite3_bind_int64(q, 6, s->score);
  else
    sqlite3_bind_null(q, 6);
  sqlite3_bind_int(q, 7, s->result);
  bind_text(q, 8, s->reason);
  bind_text(q, 9, s->error);
  sqlite3_bind_int64(q, 10, now);
  rc = step_write(st, db, q, "recording a site of an inspection");
  sqlite3_finalize(q);
  return rc;
}

int gw_store_inspection_site_get(struct gw_store *st, int64_t inspection_id, int64_t site_id,
                                 struct gw_inspection_site *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK ||
      (rc = prep(st, db, "SELECT " ISITE_COLS " FROM inspection_sites WHERE inspection_id = ?1 AND site_id = ?2",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, inspection_id);
  sqlite3_bind_int64(q, 2, site_id);
  rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    read_isite(q, out);
    rc = GW_OK;
  } else if (rc == SQLITE_DONE) {
    rc = gw_err_set(GW_ENOTFOUND, "%s: site %lld is not in inspection #%lld", st->label, (long long)site_id,
                    (long long)inspection_id);
  } else {
    rc = fail(st, db, "reading a site of an inspection");
  }
  sqlite3_finalize(q);
  return rc;
}

int gw_store_inspection_site_list(struct gw_store *st, int64_t inspection_id, struct gw_inspection_site_list *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  struct gw_inspection_site_list l = {0};
  int rc = db_of(st, false, &db);
  if (rc != GW_OK ||
      (rc = prep(st, db, "SELECT " ISITE_COLS " FROM inspection_sites WHERE inspection_id = ?1 ORDER BY site_id",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, inspection_id);
  void *v = NULL;
  rc = gw_sq_collect(st, db, q, "listing the sites of an inspection", sizeof *l.v, read_isite, &v, &l.n);
  l.v = v;
  if (rc != GW_OK)
    gw_inspection_site_list_free(&l);
  else
    *out = l;
  sqlite3_finalize(q);
  return rc;
}

int gw_store_inspection_crawl_used(struct gw_store *st, int64_t crawl_id, bool *used)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK || (rc = prep(st, db, "SELECT EXISTS (SELECT 1 FROM inspection_sites WHERE crawl_id = ?1)", &q)))
    return rc;
  sqlite3_bind_int64(q, 1, crawl_id);
  if (sqlite3_step(q) == SQLITE_ROW) {
    *used = sqlite3_column_int(q, 0) != 0;
    rc = GW_OK;
  } else {
    rc = fail(st, db, "looking up the crawls of inspections");
  }
  sqlite3_finalize(q);
  return rc;
}

/* ---- review log ---- */

static bool fp_ok(const char *fp)
{
  if (!fp || strlen(fp) != 16)
    return false;
  for (const char *p = fp; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return false;
  return true;
}

#define REVIEW_COLS "id, fingerprint, action, who, at, reason"

static void read_review(sqlite3_stmt *q, void *row)
{
  struct gw_review *r = row;
  memset(r, 0, sizeof *r);
  r->id = sqlite3_column_int64(q, 0);
  const unsigned char *fp = sqlite3_column_text(q, 1);
  gw_strlcpy(r->fingerprint, fp ? (const char *)fp : "", sizeof r->fingerprint);
  r->action = (enum gw_review_action)sqlite3_column_int(q, 2);
  r->who = col_text(q, 3);
  r->at = sqlite3_column_int64(q, 4);
  r->reason = col_text(q, 5);
}

int gw_store_review_add(struct gw_store *st, struct gw_review *r)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (!r || !fp_ok(r->fingerprint))
    return gw_err_set(GW_EINVAL, "%s: review: fingerprint '%s' is not 16 lower-case hex digits", st->label,
                      r ? r->fingerprint : "");
  if (r->action < GW_REVIEW_CONFIRM || r->action > GW_REVIEW_ADD)
    return gw_err_set(GW_EINVAL, "%s: review of %s: unknown action %d", st->label, r->fingerprint, (int)r->action);
  if (gw_str_empty(r->who))
    return gw_err_set(GW_EINVAL, "%s: review of %s: who reviewed is not given", st->label, r->fingerprint);
  if (r->action == GW_REVIEW_DISMISS && gw_str_empty(r->reason))
    return gw_err_set(GW_EINVAL, "%s: dismissing %s needs a reason", st->label, r->fingerprint);
  if ((rc = prep(st, db, "INSERT INTO finding_reviews (fingerprint, action, who, at, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                 &q)) != GW_OK)
    return rc;
  bind_text(q, 1, r->fingerprint);
  sqlite3_bind_int(q, 2, (int)r->action);
  bind_text(q, 3, r->who);
  sqlite3_bind_int64(q, 4, r->at);
  bind_text(q, 5, r->reason);
  if ((rc = step_write(st, db, q, "recording a review")) == GW_OK)
    r->id = sqlite3_last_insert_rowid(db);
  sqlite3_finalize(q);
  return rc;
}

int gw_store_review_decision(struct gw_store *st, const char *fingerprint, struct gw_review *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK ||
      (rc = prep(st, db,
                 "SELECT " REVIEW_COLS " FROM finding_reviews WHERE fingerprint = ?1 AND action IN (1, 2)"
                 " ORDER BY id DESC LIMIT 1",
                 &q)) != GW_OK)
    return rc;
  bind_text(q, 1, fingerprint);
  rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    read_review(q, out);
    rc = GW_OK;
  } else if (rc == SQLITE_DONE) {
    rc = GW_ENOTFOUND;
  } else {
    rc = fail(st, db, "reading a review");
  }
  sqlite3_finalize(q);
  return rc;
}

int gw_store_review_list(struct gw_store *st, const char *fingerprint, struct gw_review_list *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  struct gw_review_list l = {0};
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  rc = prep(st, db,
            fingerprint ? "SELECT " REVIEW_COLS " FROM finding_reviews WHERE fingerprint = ?1 ORDER BY id"
                        : "SELECT " REVIEW_COLS " FROM finding_reviews ORDER BY id",
            &q);
  if (rc != GW_OK)
    return rc;
  if (fingerprint)
    bind_text(q, 1, fingerprint);
  void *v = NULL;
  rc = gw_sq_collect(st, db, q, "listing reviews", sizeof *l.v, read_review, &v, &l.n);
  l.v = v;
  if (rc != GW_OK)
    gw_review_list_free(&l);
  else
    *out = l;
  sqlite3_finalize(q);
  return rc;
}

/* ---- single findings ---- */

#define FINDING_COLS                                                                                         \
  "id, run_id, \"check\", rule, severity, needs_review, ifnull(site_id, 0), ifnull(account_id, 0),"        \
  " ifnull(crawl_id, 0), \"key\", fingerprint, url, target, locator, snippet, title, detail, observed_json," \
  " observed_at"

static void read_finding(sqlite3_stmt *q, struct gw_finding_row *r)
{
  memset(r, 0, sizeof *r);
  r->id = sqlite3_column_int64(q, 0);
  r->run_id = sqlite3_column_int64(q, 1);
  r->check = col_text(q, 2);
  r->f.check = r->check;
  r->f.rule = col_text(q, 3);
  r->f.severity = (enum gw_severity)sqlite3_column_int(q, 4);
  r->f.needs_review = sqlite3_column_int(q, 5) != 0;
  r->f.site_id = sqlite3_column_int64(q, 6);
  r->f.account_id = sqlite3_column_int64(q, 7);
  r->f.crawl_id = sqlite3_column_int64(q, 8);
  r->f.key = col_text(q, 9);
  const unsigned char *fp = sqlite3_column_text(q, 10);
  gw_strlcpy(r->fingerprint, fp ? (const char *)fp : "", sizeof r->fingerprint);
  r->f.url = col_text(q, 11);
  r->f.target = col_text(q, 12);
  r->f.locator = col_text(q, 13);
  r->f.snippet = col_text(q, 14);
  r->f.title = col_text(q, 15);
  r->f.detail = col_text(q, 16);
  r->f.observed_json = col_text(q, 17);
  r->f.observed_at = sqlite3_column_int64(q, 18);
}

static int one_finding(struct gw_store *st, const char *sql, int64_t id, const char *fp, struct gw_finding_row *out)
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
    read_finding(q, out);
    rc = GW_OK;
  } else if (rc == SQLITE_DONE) {
    rc = fp ? gw_err_set(GW_ENOTFOUND, "%s: no finding has the fingerprint %s", st->label, fp)
            : gw_err_set(GW_ENOTFOUND, "%s: there is no finding #%lld", st->label, (long long)id);
  } else {
    rc = fail(st, db, "reading a finding");
  }
  sqlite3_finalize(q);
  return rc;
}

int gw_store_finding_get(struct gw_store *st, int64_t id, struct gw_finding_row *out)
{
  return one_finding(st, "SELECT " FINDING_COLS " FROM findings WHERE id = ?1", id, NULL, out);
}

int gw_store_finding_by_fingerprint(struct gw_store *st, const char *fingerprint, struct gw_finding_row *out)
{
  return one_finding(st, "SELECT " FINDING_COLS " FROM findings WHERE fingerprint = ?1 ORDER BY id DESC LIMIT 1", 0,
                     fingerprint ? fingerprint : "", out);
}
