/* The job queue and finding alerts on SQLite (see jobs_store.h).
 *
 * Statements are prepared per call: the service touches a job a few times
 * a day per site. Multi-statement changes run in BEGIN IMMEDIATE (or a
 * savepoint inside a caller's transaction) so a claim never races another
 * connection and a crash leaves either all or nothing. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "store/jobs_store.h"
#include "store/store_impl.h"
#include "store/sqlite_util.h"

void gw_job_clear(struct gw_job *j)
{
  if (!j)
    return;
  free(j->detail);
  memset(j, 0, sizeof *j);
}

void gw_job_list_free(struct gw_job_list *l)
{
  if (!l)
    return;
  for (size_t i = 0; i < l->n; i++)
    gw_job_clear(&l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

static const char *const g_kind_key[GW_JOB_KIND_COUNT_] = {"?", "crawl", "check", "inspection"};
static const char *const g_state_key[GW_JOB_STATE_COUNT_] = {"?", "pending", "running", "done", "failed"};

const char *gw_job_kind_key(enum gw_job_kind k)
{
  return (unsigned)k < GW_JOB_KIND_COUNT_ ? g_kind_key[k] : "?";
}

const char *gw_job_state_key(enum gw_job_state s)
{
  return (unsigned)s < GW_JOB_STATE_COUNT_ ? g_state_key[s] : "?";
}

/* ---- plumbing ---- */

/* The shared plumbing (sqlite_util.h), named for this module. */
static int db_of(struct gw_store *st, bool write, sqlite3 **out)
{
  return gw_sq_db(st, write, "the job queue", out);
}
#define fail gw_sq_fail
static int prep(struct gw_store *st, sqlite3 *db, const char *sql, sqlite3_stmt **q)
{
  return gw_sq_prep(st, db, sql, "a job query", q);
}
#define col_text gw_sq_col_text
#define bind_text gw_sq_bind_text

static int exec(struct gw_store *st, sqlite3 *db, const char *sql)
{
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
    return GW_OK;
  int rc = gw_err_set(GW_EDB, "%s: %s: %s", st->label, sql, err ? err : sqlite3_errmsg(db));
  sqlite3_free(err);
  return rc;
}

/* A transaction of our own, or a savepoint inside the caller's. */
static int tx_begin(struct gw_store *st, sqlite3 *db, bool *outer)
{
  *outer = sqlite3_get_autocommit(db) != 0;
  return exec(st, db, *outer ? "BEGIN IMMEDIATE" : "SAVEPOINT gw_job");
}

static int tx_end(struct gw_store *st, sqlite3 *db, bool outer, int rc)
{
  if (rc == GW_OK && (rc = exec(st, db, outer ? "COMMIT" : "RELEASE gw_job")) == GW_OK)
    return GW_OK;
  char *ignored = NULL;
  sqlite3_exec(db, outer ? "ROLLBACK" : "ROLLBACK TO gw_job; RELEASE gw_job", NULL, NULL, &ignored);
  sqlite3_free(ignored);
  return rc;
}

#define JOB_COLS \
  "id, kind, ifnull(site_id, 0), due_at, state, attempts, next_at, ifnull(started_at, 0), " \
  "ifnull(finished_at, 0), ifnull(ref_id, 0), detail"

static void read_job(sqlite3_stmt *q, void *row)
{
  struct gw_job *j = row;
  memset(j, 0, sizeof *j);
  j->id = sqlite3_column_int64(q, 0);
  j->kind = (enum gw_job_kind)sqlite3_column_int(q, 1);
  j->site_id = sqlite3_column_int64(q, 2);
  j->due_at = sqlite3_column_int64(q, 3);
  j->state = (enum gw_job_state)sqlite3_column_int(q, 4);
  j->attempts = sqlite3_column_int(q, 5);
  j->next_at = sqlite3_column_int64(q, 6);
  j->started_at = sqlite3_column_int64(q, 7);
  j->finished_at = sqlite3_column_int64(q, 8);
  j->ref_id = sqlite3_column_int64(q, 9);
  j->detail = col_text(q, 10);
}

/* ---- jobs ---- */

/* The insert without checks or transaction; *added from the change count. */
static int insert_job(struct gw_store *st, sqlite3 *db, enum gw_job_kind kind, int64_t site_id, int64_t due_at,
                      bool *added)
{
  sqlite3_stmt *q = NULL;
  int rc = prep(st, db,
                "INSERT OR IGNORE INTO jobs (kind, site_id, due_at, state, attempts, next_at) "
                "SELECT ?1, nullif(?2, 0), ?3, 1, 0, ?3 WHERE ?2 = 0 OR EXISTS (SELECT 1 FROM sites WHERE id = ?2)",
                &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int(q, 1, (int)kind);
  sqlite3_bind_int64(q, 2, site_id);
  sqlite3_bind_int64(q, 3, due_at);
  if (sqlite3_step(q) != SQLITE_DONE)
    rc = fail(st, db, "adding a job");
  else
    *added = sqlite3_changes(db) > 0;
  sqlite3_finalize(q);
  return rc;
}

static int site_exists(struct gw_store *st, sqlite3 *db, int64_t site_id, bool *out)
{
  sqlite3_stmt *q = NULL;
  int rc = prep(st, db, "SELECT count(*) FROM sites WHERE id = ?1", &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  if (sqlite3_step(q) == SQLITE_ROW)
    *out = sqlite3_column_int(q, 0) > 0;
  else
    rc = fail(st, db, "looking up a site");
  sqlite3_finalize(q);
  return rc;
}

int gw_store_job_add(struct gw_store *st, enum gw_job_kind kind, int64_t site_id, int64_t due_at, bool *added)
{
  sqlite3 *db = NULL;
  bool was_added = false, exists = true;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (kind < GW_JOB_CRAWL || kind >= GW_JOB_KIND_COUNT_)
    return gw_err_set(GW_EINVAL, "%s: job kind %d is not crawl, check or inspection", st->label, (int)kind);
  if ((kind == GW_JOB_INSPECTION) != (site_id == 0))
    return gw_err_set(GW_EINVAL, "%s: a %s job %s", st->label, gw_job_kind_key(kind),
                      kind == GW_JOB_INSPECTION ? "covers every site and takes no site id" : "needs a site id");
  if ((rc = insert_job(st, db, kind, site_id, due_at, &was_added)) != GW_OK)
    return rc;
  if (!was_added && site_id && (rc = site_exists(st, db, site_id, &exists)) == GW_OK && !exists)
    rc = gw_err_set(GW_ENOTFOUND, "%s: %s job: site %lld does not exist", st->label, gw_job_kind_key(kind),
                    (long long)site_id);
  if (rc == GW_OK && added)
    *added = was_added;
  return rc;
}

int gw_store_job_claim(struct gw_store *st, int64_t now, struct gw_job *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  bool outer;
  struct gw_job j = {0};
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  /* A look without the write lock first: most calls find nothing due, and
   * taking the lock for that would hold up the prober's writes. */
  if ((rc = prep(st, db, "SELECT 1 FROM jobs WHERE state = 1 AND next_at <= ?1 LIMIT 1", &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, now);
  int look = sqlite3_step(q);
  sqlite3_finalize(q);
  q = NULL;
  if (look == SQLITE_DONE)
    return GW_ENOTFOUND;
  if (look != SQLITE_ROW)
    return fail(st, db, "reading the job queue");
  if ((rc = tx_begin(st, db, &outer)) != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 "SELECT " JOB_COLS " FROM jobs WHERE state = 1 AND next_at <= ?1 ORDER BY next_at, id LIMIT 1",
                 &q)) != GW_OK)
    goto done;
  sqlite3_bind_int64(q, 1, now);
  int step = sqlite3_step(q);
  if (step == SQLITE_ROW) {
    read_job(q, &j);
  } else if (step == SQLITE_DONE) {
    rc = GW_ENOTFOUND;
    goto done;
  } else {
    rc = fail(st, db, "reading the job queue");
    goto done;
  }
  sqlite3_finalize(q);
  q = NULL;
  if ((rc = prep(st, db, "UPDATE jobs SET state = 2, attempts = attempts + 1, started_at = ?2 WHERE id = ?1", &q)) !=
      GW_OK)
    goto done;
  sqlite3_bind_int64(q, 1, j.id);
  sqlite3_bind_int64(q, 2, now);
  if (sqlite3_step(q) != SQLITE_DONE) {
    rc = fail(st, db, "claiming a job");
    goto done;
  }
  j.state = GW_JOB_RUNNING;
  j.attempts++;
  j.started_at = now;
done:
  sqlite3_finalize(q);
  rc = tx_end(st, db, outer, rc);
  if (rc != GW_OK) {
    gw_job_clear(&j);
    return rc;
  }
  *out = j;
  return GW_OK;
}

/* The RUNNING job `id`, for the finishing functions. */
static int running_job(struct gw_store *st, sqlite3 *db, int64_t id, struct gw_job *out)
{
  sqlite3_stmt *q = NULL;
  int rc = prep(st, db, "SELECT " JOB_COLS " FROM jobs WHERE id = ?1", &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  int step = sqlite3_step(q);
  if (step == SQLITE_ROW) {
    read_job(q, out);
    if (out->state != GW_JOB_RUNNING) {
      rc = gw_err_set(GW_ENOTFOUND, "%s: job %lld is %s, not running", st->label, (long long)id,
                      gw_job_state_key(out->state));
      gw_job_clear(out);
    }
  } else if (step == SQLITE_DONE) {
    rc = gw_err_set(GW_ENOTFOUND, "%s: job %lld does not exist", st->label, (long long)id);
  } else {
    rc = fail(st, db, "reading a job");
  }
  sqlite3_finalize(q);
  return rc;
}

int gw_store_job_done(struct gw_store *st, int64_t id, int64_t now, int64_t ref_id, const char *detail,
                      enum gw_job_kind then)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  bool outer, added;
  struct gw_job j = {0};
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (then && (then < GW_JOB_CRAWL || then >= GW_JOB_KIND_COUNT_ || then == GW_JOB_INSPECTION))
    return gw_err_set(GW_EINVAL, "%s: job %lld: a follow-up job must be a crawl or a check", st->label, (long long)id);
  if ((rc = tx_begin(st, db, &outer)) != GW_OK)
    return rc;
  if ((rc = running_job(st, db, id, &j)) != GW_OK)
    goto done;
  if ((rc = prep(st, db, "UPDATE jobs SET state = 3, finished_at = ?2, ref_id = nullif(?3, 0), detail = ?4 WHERE id = ?1",
                 &q)) != GW_OK)
    goto done;
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int64(q, 2, now);
  sqlite3_bind_int64(q, 3, ref_id);
  bind_text(q, 4, detail);
  if (sqlite3_step(q) != SQLITE_DONE) {
    rc = fail(st, db, "finishing a job");
    goto done;
  }
  if (then) {
    if (!j.site_id) {
      rc = gw_err_set(GW_EINVAL, "%s: job %lld has no site for a follow-up %s job", st->label, (long long)id,
                      gw_job_kind_key(then));
      goto done;
    }
    rc = insert_job(st, db, then, j.site_id, j.due_at, &added);
  }
done:
  sqlite3_finalize(q);
  gw_job_clear(&j);
  return tx_end(st, db, outer, rc);
}

int gw_store_job_fail(struct gw_store *st, int64_t id, int64_t now, int64_t next_at, const char *detail,
                      int max_attempts, bool *failed)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  bool outer;
  struct gw_job j = {0};
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = tx_begin(st, db, &outer)) != GW_OK)
    return rc;
  if ((rc = running_job(st, db, id, &j)) != GW_OK)
    goto done;
  bool final = j.attempts >= max_attempts;
  if ((rc = prep(st, db, "UPDATE jobs SET state = ?2, finished_at = ?3, next_at = ?4, detail = ?5 WHERE id = ?1",
                 &q)) != GW_OK)
    goto done;
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int(q, 2, final ? GW_JOB_FAILED : GW_JOB_PENDING);
  sqlite3_bind_int64(q, 3, now);
  sqlite3_bind_int64(q, 4, final ? j.next_at : next_at);
  bind_text(q, 5, detail);
  if (sqlite3_step(q) != SQLITE_DONE) {
    rc = fail(st, db, "recording a failed job");
    goto done;
  }
  if (failed)
    *failed = final;
done:
  sqlite3_finalize(q);
  gw_job_clear(&j);
  return tx_end(st, db, outer, rc);
}

int gw_store_job_release(struct gw_store *st, bool refund, int64_t *n)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 refund ? "UPDATE jobs SET state = 1, attempts = max(attempts - 1, 0) WHERE state = 2"
                        : "UPDATE jobs SET state = 1 WHERE state = 2",
                 &q)) != GW_OK)
    return rc;
  if (sqlite3_step(q) != SQLITE_DONE)
    rc = fail(st, db, "releasing running jobs");
  else if (n)
    *n = sqlite3_changes(db);
  sqlite3_finalize(q);
  return rc;
}

int gw_store_job_list(struct gw_store *st, int64_t from, int64_t to, struct gw_job_list *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  struct gw_job_list l = {0};
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 "SELECT " JOB_COLS " FROM jobs WHERE due_at >= ?1 AND due_at < ?2 ORDER BY due_at, kind, "
                 "ifnull(site_id, 0)",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, from);
  sqlite3_bind_int64(q, 2, to);
  void *v = NULL;
  rc = gw_sq_collect(st, db, q, "listing jobs", sizeof *l.v, read_job, &v, &l.n);
  l.v = v;
  if (rc != GW_OK)
    gw_job_list_free(&l);
  else
    *out = l;
  sqlite3_finalize(q);
  return rc;
}

int gw_store_job_counts(struct gw_store *st, int64_t now, int64_t by_state[GW_JOB_STATE_COUNT_],
                        int64_t due[GW_JOB_KIND_COUNT_])
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int64_t s[GW_JOB_STATE_COUNT_] = {0}, d[GW_JOB_KIND_COUNT_] = {0};
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 "SELECT state, kind, count(*), sum(state = 1 AND next_at <= ?1) FROM jobs GROUP BY state, kind",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, now);
  int step;
  while ((step = sqlite3_step(q)) == SQLITE_ROW) {
    int state = sqlite3_column_int(q, 0), kind = sqlite3_column_int(q, 1);
    if (state > 0 && state < GW_JOB_STATE_COUNT_)
      s[state] += sqlite3_column_int64(q, 2);
    if (kind > 0 && kind < GW_JOB_KIND_COUNT_)
      d[kind] += sqlite3_column_int64(q, 3);
  }
  if (step != SQLITE_DONE)
    rc = fail(st, db, "counting jobs");
  sqlite3_finalize(q);
  if (rc == GW_OK) {
    memcpy(by_state, s, sizeof s);
    memcpy(due, d, sizeof d);
  }
  return rc;
}

/* ---- finding alerts ---- */

int gw_store_finding_alert_add(struct gw_store *st, int64_t site_id, const char *fingerprint, const char *rule,
                               int64_t at, bool *added)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 "INSERT OR IGNORE INTO finding_alerts (site_id, fingerprint, rule, at) VALUES (?1, ?2, ?3, ?4)",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  bind_text(q, 2, fingerprint);
  bind_text(q, 3, rule);
  sqlite3_bind_int64(q, 4, at);
  if (sqlite3_step(q) != SQLITE_DONE)
    rc = fail(st, db, "recording a finding alert");
  else if (added)
    *added = sqlite3_changes(db) > 0;
  sqlite3_finalize(q);
  return rc;
}

int gw_store_finding_alert_sent(struct gw_store *st, int64_t site_id, const char *fingerprint, int sent, int failed)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db, "UPDATE finding_alerts SET sent = ?3, failed = ?4 WHERE site_id = ?1 AND fingerprint = ?2",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  bind_text(q, 2, fingerprint);
  sqlite3_bind_int(q, 3, sent);
  sqlite3_bind_int(q, 4, failed);
  if (sqlite3_step(q) != SQLITE_DONE)
    rc = fail(st, db, "recording finding alert deliveries");
  else if (sqlite3_changes(db) == 0)
    rc = gw_err_set(GW_ENOTFOUND, "%s: no finding alert %s of site %lld", st->label, fingerprint,
                    (long long)site_id);
  sqlite3_finalize(q);
  return rc;
}

int gw_store_finding_alert_count(struct gw_store *st, int64_t site_id, int64_t *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db, "SELECT count(*) FROM finding_alerts WHERE ?1 = 0 OR site_id = ?1", &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  if (sqlite3_step(q) == SQLITE_ROW)
    *out = sqlite3_column_int64(q, 0);
  else
    rc = fail(st, db, "counting finding alerts");
  sqlite3_finalize(q);
  return rc;
}
