/* The SQLite engine of the store.
 *
 * Durability: WAL with synchronous=FULL, so a COMMIT has reached the disk
 * before it returns and a crash (even of the machine) loses no committed
 * write. foreign_keys=ON makes the database itself refuse dangling unit ids
 * and the deletion of a unit still referred to. busy_timeout lets several
 * GovWatch processes share one file (serve + CLI) without spurious "database
 * is locked" errors.
 *
 * Constraint failures are turned into messages that name the field and the
 * value a user typed. Rather than parse SQLite's error text (which names
 * indexes, not fields, and may change between versions), the engine looks
 * up which existing row conflicts after a UNIQUE failure.
 *
 * Statements are prepared once per handle (on first use) and reset after
 * every use, so no statement keeps a read transaction open in WAL. */
#include "store/store_impl.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "core/log.h"
#include "core/str.h"
#include "store/linkpack.h"
#include "store/sqlite_util.h"

/* PRAGMA application_id of a GovWatch database ('GvWt'), so GovWatch never
 * migrates (writes into) another program's SQLite file. */
#define SQ_APP_ID 0x47765774
#define SQ_BUSY_MS 5000

enum sq_query {
  Q_UNIT_INSERT,
  Q_UNIT_UPDATE,
  Q_UNIT_DELETE,
  Q_UNIT_GET,
  Q_UNIT_FIND,
  Q_UNIT_FIND_ALL,
  Q_UNIT_LIST,
  Q_UNIT_REFS,
  Q_UNIT_CYCLE,
  Q_SITE_INSERT,
  Q_SITE_UPDATE,
  Q_SITE_DELETE,
  Q_SITE_GET,
  Q_SITE_BY_CODE,
  Q_SITE_BY_URL,
  Q_SITE_LIST,
  Q_SITE_LIST_UNIT,
  Q_ACCOUNT_INSERT,
  Q_ACCOUNT_UPDATE,
  Q_ACCOUNT_DELETE,
  Q_ACCOUNT_GET,
  Q_ACCOUNT_FIND,
  Q_ACCOUNT_LIST,
  Q_ACCOUNT_LIST_UNIT,
  Q_CRAWL_INSERT,
  Q_CRAWL_UPDATE,
  Q_CRAWL_GET,
  Q_CRAWL_LAST,
  Q_CRAWL_LAST_DONE,
  Q_CRAWL_LIST,
  Q_CRAWL_LIST_SITE,
  Q_CRAWL_STATS_URLS,
  Q_CURL_INSERT,
  Q_CURL_RESULT,
  Q_CURL_SKIP,
  Q_CURL_GET,
  Q_CURL_FIND,
  Q_CURL_EACH,
  Q_CURL_EACH_STATE,
  Q_CRAWL_LINK_SCOPE,
  Q_LINK_INSERT,
  Q_LINK_UPDATE,
  Q_LINK_FROM,
  Q_LINK_TO,
  Q_LINK_CRAWL,
  Q_BODY_FIND,
  Q_BODY_INSERT,
  Q_BODY_GET,
  Q_RUN_FIND,
  Q_RUN_INSERT,
  Q_RUN_RESTART,
  Q_RUN_CRAWL_SITE,
  Q_RUN_GET,
  Q_RUN_LAST,
  Q_RUN_LIST,
  Q_RUN_LIST_SITE,
  Q_RUN_FINISH,
  Q_RUN_SET_CHECKS,
  Q_FINDING_DELETE,
  Q_FINDING_INSERT,
  Q_FINDING_EACH,
  Q_FINDING_EACH_CHECK,
  Q_COUNT_
};

#define UNIT_COLS "id, parent_id, name, kind, region_code, contact, created_at, updated_at"
#define SITE_COLS                                                                           \
  "id, name, url, code, unit_id, kind, external_service, sponsor, supervisor, status, note, " \
  "created_at, updated_at"
#define ACCOUNT_COLS "id, name, platform, unit_id, cert_subject, url, status, note, created_at, updated_at"
#define CRAWL_COLS "id, site_id, state, started_at, finished_at, as_of, prev_id, runs, options, robots, summary"
#define CURL_COLS                                                                                          \
  "id, crawl_id, url, depth, from_id, kind, internal, state, skip, skip_detail, attempts, method, http_status," \
  " error, error_text, redirects, redirect_chain, final_url, content_type, charset, charset_source, body_id,"   \
  " body_bytes, body_truncated, parsed, title, links, fetched_at, etag, last_modified, elapsed_ms, ip,"         \
  " ip_family, reused_id, attempt_log, notfound"
#define RUN_COLS "id, site_id, crawl_id, as_of, started_at, finished_at, checks"
#define FINDING_COLS                                                                                         \
  "id, run_id, \"check\", rule, severity, needs_review, site_id, account_id, crawl_id, \"key\", fingerprint, url," \
  " target, locator, snippet, title, detail, observed_json, observed_at"
#define LINK_COLS "p.from_id, p.n, p.packed"
/* page_links rows of crawl ?1 in key order over the crawl's id range (a
 * crawl's URL ids are one range unless crawls ran side by side; the join
 * keeps only its own): no sort */
#define LINKS_OF_CRAWL(crawl)                                                                  \
  "SELECT " LINK_COLS " FROM page_links p CROSS JOIN crawl_urls u ON u.id = p.from_id"        \
  " WHERE p.from_id BETWEEN (SELECT min(id) FROM crawl_urls WHERE crawl_id = " crawl ")"      \
  " AND (SELECT max(id) FROM crawl_urls WHERE crawl_id = " crawl ") AND u.crawl_id = " crawl \
  " ORDER BY p.from_id"

static const char *const g_sql[Q_COUNT_] = {
  [Q_UNIT_INSERT] = "INSERT INTO units (parent_id, name, kind, region_code, contact, created_at, updated_at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
  [Q_UNIT_UPDATE] = "UPDATE units SET parent_id = ?2, name = ?3, kind = ?4, region_code = ?5, contact = ?6,"
                    " updated_at = ?7 WHERE id = ?1 RETURNING created_at",
  [Q_UNIT_DELETE] = "DELETE FROM units WHERE id = ?1",
  [Q_UNIT_GET] = "SELECT " UNIT_COLS " FROM units WHERE id = ?1",
  /* ifnull(parent_id, 0) is the expression of the unique index, so the
   * index answers this. */
  [Q_UNIT_FIND] = "SELECT " UNIT_COLS " FROM units WHERE ifnull(parent_id, 0) = ?1 AND name = ?2",
  [Q_UNIT_FIND_ALL] = "SELECT " UNIT_COLS " FROM units WHERE name = ?1 ORDER BY id",
  [Q_UNIT_LIST] = "SELECT " UNIT_COLS " FROM units ORDER BY id",
  [Q_UNIT_REFS] = "SELECT (SELECT count(*) FROM sites WHERE unit_id = ?1),"
                  " (SELECT count(*) FROM accounts WHERE unit_id = ?1),"
                  " (SELECT count(*) FROM units WHERE parent_id = ?1),"
                  " (SELECT name FROM units WHERE id = ?1)",
  /* Walk up from the proposed parent (?1); reaching the unit itself (?2)
   * means the move would make a cycle. UNION (not UNION ALL) stops even on
   * a damaged tree that already has one. */
  [Q_UNIT_CYCLE] = "WITH RECURSIVE up(id) AS (SELECT ?1 UNION"
                   " SELECT u.parent_id FROM units u JOIN up ON u.id = up.id WHERE u.parent_id IS NOT NULL)"
                   " SELECT 1 FROM up WHERE id = ?2",
  [Q_SITE_INSERT] = "INSERT INTO sites (name, url, code, unit_id, kind, external_service, sponsor, supervisor,"
                    " status, note, created_at, updated_at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
  [Q_SITE_UPDATE] = "UPDATE sites SET name = ?2, url = ?3, code = ?4, unit_id = ?5, kind = ?6,"
                    " external_service = ?7, sponsor = ?8, supervisor = ?9, status = ?10, note = ?11,"
                    " updated_at = ?12 WHERE id = ?1 RETURNING created_at",
  [Q_SITE_DELETE] = "DELETE FROM sites WHERE id = ?1",
  [Q_SITE_GET] = "SELECT " SITE_COLS " FROM sites WHERE id = ?1",
  [Q_SITE_BY_CODE] = "SELECT " SITE_COLS " FROM sites WHERE code = ?1",
  [Q_SITE_BY_URL] = "SELECT " SITE_COLS " FROM sites WHERE url = ?1",
  [Q_SITE_LIST] = "SELECT " SITE_COLS " FROM sites ORDER BY id",
  [Q_SITE_LIST_UNIT] = "SELECT " SITE_COLS " FROM sites WHERE unit_id = ?1 ORDER BY id",
  [Q_ACCOUNT_INSERT] = "INSERT INTO accounts (name, platform, unit_id, cert_subject, url, status, note,"
                       " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
  [Q_ACCOUNT_UPDATE] = "UPDATE accounts SET name = ?2, platform = ?3, unit_id = ?4, cert_subject = ?5,"
                       " url = ?6, status = ?7, note = ?8, updated_at = ?9 WHERE id = ?1 RETURNING created_at",
  [Q_ACCOUNT_DELETE] = "DELETE FROM accounts WHERE id = ?1",
  [Q_ACCOUNT_GET] = "SELECT " ACCOUNT_COLS " FROM accounts WHERE id = ?1",
  [Q_ACCOUNT_FIND] = "SELECT " ACCOUNT_COLS " FROM accounts WHERE platform = ?1 AND name = ?2",
  [Q_ACCOUNT_LIST] = "SELECT " ACCOUNT_COLS " FROM accounts ORDER BY id",
  [Q_ACCOUNT_LIST_UNIT] = "SELECT " ACCOUNT_COLS " FROM accounts WHERE unit_id = ?1 ORDER BY id",
  [Q_CRAWL_INSERT] = "INSERT INTO crawls (site_id, state, started_at, finished_at, as_of, prev_id, runs, options,"
                     " robots, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
  [Q_CRAWL_UPDATE] = "UPDATE crawls SET state = ?2, finished_at = ?3, runs = ?4, options = ?5, robots = ?6,"
                     " summary = ?7 WHERE id = ?1",
  [Q_CRAWL_GET] = "SELECT " CRAWL_COLS " FROM crawls WHERE id = ?1",
  [Q_CRAWL_LAST] = "SELECT " CRAWL_COLS " FROM crawls WHERE site_id = ?1 ORDER BY id DESC LIMIT 1",
  [Q_CRAWL_LAST_DONE] = "SELECT " CRAWL_COLS " FROM crawls WHERE site_id = ?1 AND state = 2 ORDER BY id DESC LIMIT 1",
  [Q_CRAWL_LIST] = "SELECT " CRAWL_COLS " FROM crawls ORDER BY id",
  [Q_CRAWL_LIST_SITE] = "SELECT " CRAWL_COLS " FROM crawls WHERE site_id = ?1 ORDER BY id",
  [Q_CRAWL_STATS_URLS] =
      "SELECT state, kind, internal, error, skip, count(*), total(body_bytes), total(parsed),"
      " total(redirects > 0), total(http_status = 304), total(http_status BETWEEN 400 AND 499),"
      " total(http_status >= 500),"
      " total(internal AND kind IN (1, 2) AND state = 2 AND (http_status BETWEEN 200 AND 299 OR http_status = 304))"
      " FROM crawl_urls WHERE crawl_id = ?1 GROUP BY state, kind, internal, error, skip",
  [Q_CURL_INSERT] = "INSERT INTO crawl_urls (crawl_id, url, depth, from_id, kind, internal, state, skip, skip_detail)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
  [Q_CURL_RESULT] = "UPDATE crawl_urls SET state = ?2, attempts = ?3, method = ?4, http_status = ?5, error = ?6,"
                    " error_text = ?7, redirects = ?8, redirect_chain = ?9, final_url = ?10, content_type = ?11,"
                    " charset = ?12, charset_source = ?13, body_id = ?14, body_bytes = ?15, body_truncated = ?16,"
                    " parsed = ?17, title = ?18, links = ?19, fetched_at = ?20, etag = ?21, last_modified = ?22,"
                    " elapsed_ms = ?23, ip = ?24, ip_family = ?25, reused_id = ?26, attempt_log = ?27, notfound = ?28"
                    " WHERE id = ?1",
  [Q_CURL_SKIP] = "UPDATE crawl_urls SET state = 4, skip = ?2, skip_detail = ?3 WHERE id = ?1",
  [Q_CURL_GET] = "SELECT " CURL_COLS " FROM crawl_urls WHERE id = ?1",
  [Q_CURL_FIND] = "SELECT " CURL_COLS " FROM crawl_urls WHERE crawl_id = ?1 AND url = ?2",
  [Q_CURL_EACH] = "SELECT " CURL_COLS " FROM crawl_urls WHERE crawl_id = ?1 ORDER BY id",
  [Q_CURL_EACH_STATE] = "SELECT " CURL_COLS " FROM crawl_urls WHERE crawl_id = ?1 AND state = ?2 ORDER BY id",
  [Q_CRAWL_LINK_SCOPE] = "SELECT id, internal FROM crawl_urls WHERE crawl_id = ?1 ORDER BY id",
  [Q_LINK_INSERT] = "INSERT INTO page_links (from_id, n, packed) VALUES (?1, ?2, ?3)",
  [Q_LINK_UPDATE] = "UPDATE page_links SET n = ?2, packed = ?3 WHERE from_id = ?1",
  [Q_LINK_FROM] = "SELECT " LINK_COLS " FROM page_links p WHERE p.from_id = ?1",
  [Q_LINK_TO] = LINKS_OF_CRAWL("(SELECT crawl_id FROM crawl_urls WHERE id = ?1)"),
  [Q_LINK_CRAWL] = LINKS_OF_CRAWL("?1"),
  [Q_BODY_FIND] = "SELECT id, zdata, codec FROM bodies WHERE hash = ?1 AND size = ?2",
  [Q_BODY_INSERT] = "INSERT INTO bodies (hash, size, zdata, codec) VALUES (?1, ?2, ?3, ?4)",
  [Q_BODY_GET] = "SELECT size, zdata, codec FROM bodies WHERE id = ?1",
  /* ifnull(crawl_id, 0) is the expression of the identity index. */
  [Q_RUN_FIND] = "SELECT " RUN_COLS " FROM check_runs WHERE site_id = ?1 AND ifnull(crawl_id, 0) = ?2 AND as_of = ?3",
  [Q_RUN_INSERT] = "INSERT INTO check_runs (site_id, crawl_id, as_of, started_at, checks) VALUES (?1, ?2, ?3, ?4, '')",
  [Q_RUN_RESTART] = "UPDATE check_runs SET started_at = ?2 WHERE id = ?1",
  [Q_RUN_CRAWL_SITE] = "SELECT site_id FROM crawls WHERE id = ?1",
  [Q_RUN_GET] = "SELECT " RUN_COLS " FROM check_runs WHERE id = ?1",
  [Q_RUN_LAST] = "SELECT " RUN_COLS " FROM check_runs WHERE site_id = ?1 AND finished_at IS NOT NULL"
                 " ORDER BY finished_at DESC, id DESC LIMIT 1",
  [Q_RUN_LIST] = "SELECT " RUN_COLS " FROM check_runs ORDER BY id",
  [Q_RUN_LIST_SITE] = "SELECT " RUN_COLS " FROM check_runs WHERE site_id = ?1 ORDER BY id",
  [Q_RUN_FINISH] = "UPDATE check_runs SET finished_at = ?2 WHERE id = ?1",
  [Q_RUN_SET_CHECKS] = "UPDATE check_runs SET checks = ?2 WHERE id = ?1",
  [Q_FINDING_DELETE] = "DELETE FROM findings WHERE run_id = ?1 AND \"check\" = ?2",
  [Q_FINDING_INSERT] = "INSERT INTO findings (run_id, \"check\", rule, severity, needs_review, site_id, account_id,"
                       " crawl_id, \"key\", fingerprint, url, target, locator, snippet, title, detail, observed_json,"
                       " observed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                       " ?17, ?18)",
  [Q_FINDING_EACH] = "SELECT " FINDING_COLS " FROM findings WHERE run_id = ?1 ORDER BY \"check\", id",
  [Q_FINDING_EACH_CHECK] = "SELECT " FINDING_COLS " FROM findings WHERE run_id = ?1 AND \"check\" = ?2 ORDER BY id",
};

struct sq {
  struct gw_store base; /* first: a struct gw_store * is a struct sq * */
  sqlite3 *db;
  sqlite3_stmt *q[Q_COUNT_];
};

static const struct gw_store_ops g_ops;

static struct sq *SQ(struct gw_store *st)
{
  return (struct sq *)st;
}

/* ---- errors ---- */

/* The gw_err code for a SQLite result code: disk and file trouble is I/O,
 * the rest is the database's. */
static int sq_code(int rc)
{
  switch (rc & 0xff) {
  case SQLITE_IOERR:
  case SQLITE_FULL:
  case SQLITE_CANTOPEN:
  case SQLITE_READONLY:
  case SQLITE_PERM:
    return GW_EIO;
  case SQLITE_NOMEM:
    return GW_ENOMEM;
  default:
    return GW_EDB;
  }
}

/* A failed step, remembered before the statement is reset (which may
 * change what sqlite3_errmsg says). */
struct sq_res {
  int rc;
  char msg[512];
};

static int sq_fail_msg(const char *label, int rc, const char *what, const char *msg)
{
  return gw_err_set(sq_code(rc), "%s: %s: %s", label, what, msg);
}

static int sq_fail(struct sq *s, int rc, const char *what)
{
  return sq_fail_msg(s->base.label, rc, what, sqlite3_errmsg(s->db));
}

static int sq_res_fail(struct sq *s, const struct sq_res *r, const char *what)
{
  return sq_fail_msg(s->base.label, r->rc, what, r->msg);
}

/* Run SQL without results (pragmas, transaction control, migrations). */
static int sq_exec(sqlite3 *db, const char *label, const char *sql, const char *what)
{
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  if (rc == SQLITE_OK)
    return GW_OK;
  int code = sq_fail_msg(label, rc, what, err ? err : sqlite3_errmsg(db));
  sqlite3_free(err);
  return code;
}

/* ---- statements ---- */

static int sq_prep(struct sq *s, enum sq_query id, sqlite3_stmt **out)
{
  if (!s->q[id]) {
    int rc = sqlite3_prepare_v3(s->db, g_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->q[id], NULL);
    if (rc != SQLITE_OK)
      return sq_fail(s, rc, "preparing a query");
  }
  *out = s->q[id];
  return GW_OK;
}

/* Leave a cached statement ready for its next use. */
static void sq_done(sqlite3_stmt *q)
{
  if (q) {
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
  }
}

/* One step. On an error the message is saved in *r and the statement reset
 * at once, which ends the statement (and its automatic transaction) before
 * the caller runs the look-ups that explain the error. */
static int sq_step(struct sq *s, sqlite3_stmt *q, struct sq_res *r)
{
  r->rc = sqlite3_step(q);
  r->msg[0] = '\0';
  if (r->rc != SQLITE_ROW && r->rc != SQLITE_DONE) {
    gw_strlcpy(r->msg, sqlite3_errmsg(s->db), sizeof r->msg);
    sqlite3_reset(q);
  }
  return r->rc;
}

#define bind_text gw_sq_bind_text /* sqlite_util.h */

/* 0 is "none" in the records and NULL in the database. */
static int bind_ref(sqlite3_stmt *q, int i, int64_t id)
{
  return id ? sqlite3_bind_int64(q, i, id) : sqlite3_bind_null(q, i);
}

#define col_text gw_sq_col_text /* sqlite_util.h */

/* ---- generic reads ---- */

typedef void (*sq_row_fn)(sqlite3_stmt *q, void *out);
typedef void (*sq_clear_fn)(void *rec);

/* Read the single row of q into *out. GW_ENOTFOUND (message left to the
 * caller) when there is none. Resets q. */
static int sq_one(struct sq *s, sqlite3_stmt *q, sq_row_fn rd, void *out, const char *what)
{
  struct sq_res r;
  int rc;
  switch (sq_step(s, q, &r)) {
  case SQLITE_ROW:
    rd(q, out);
    rc = GW_OK;
    break;
  case SQLITE_DONE:
    rc = GW_ENOTFOUND;
    break;
  default:
    rc = sq_res_fail(s, &r, what);
    break;
  }
  sq_done(q);
  return rc;
}

/* Read every row of q into a new array of `size`-byte records. Resets q. */
static int sq_many(struct sq *s, sqlite3_stmt *q, sq_row_fn rd, sq_clear_fn clear, size_t size, void **v_out,
                   size_t *n_out, const char *what)
{
  char *v = NULL;
  size_t n = 0, cap = 0;
  struct sq_res r;
  int rc = GW_OK;
  while (sq_step(s, q, &r) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      v = gw_reallocarray(v, cap, size);
    }
    memset(v + n * size, 0, size);
    rd(q, v + n * size);
    n++;
  }
  if (r.rc != SQLITE_DONE) {
    rc = sq_res_fail(s, &r, what);
    for (size_t i = 0; i < n; i++)
      clear(v + i * size);
    free(v);
    goto done;
  }
  *v_out = v;
  *n_out = n;
done:
  sq_done(q);
  return rc;
}

/* ---- write transactions for multi-statement changes ----
 * Outside an explicit transaction: BEGIN IMMEDIATE, which takes the write
 * lock before the first read, so the read-then-write cannot fail with a stale
 * snapshot. Inside one: a savepoint, so a failure undoes only this change. */

static int wtx_begin(struct sq *s, bool *outer)
{
  *outer = sqlite3_get_autocommit(s->db) != 0;
  return sq_exec(s->db, s->base.label, *outer ? "BEGIN IMMEDIATE" : "SAVEPOINT gw_write",
                 "starting a write");
}

/* Finish what wtx_begin started: commit if rc is GW_OK, else undo and keep
 * the caller's error. Returns the final code. */
static int wtx_end(struct sq *s, bool outer, int rc)
{
  if (rc == GW_OK) {
    rc = sq_exec(s->db, s->base.label, outer ? "COMMIT" : "RELEASE gw_write", "committing");
    if (rc == GW_OK)
      return GW_OK;
  }
  char *ignored = NULL;
  sqlite3_exec(s->db, outer ? "ROLLBACK" : "ROLLBACK TO gw_write; RELEASE gw_write", NULL, NULL, &ignored);
  sqlite3_free(ignored);
  return rc;
}

/* ---- transactions ---- */

static int sq_begin(struct gw_store *st)
{
  struct sq *s = SQ(st);
  if (!sqlite3_get_autocommit(s->db))
    return gw_err_set(GW_EINVAL, "%s: a transaction is already open (transactions do not nest)", st->label);
  /* IMMEDIATE: take the write lock now, so a long import cannot fail half
   * way because another process wrote in between. */
  return sq_exec(s->db, st->label, (st->flags & GW_STORE_READONLY) ? "BEGIN" : "BEGIN IMMEDIATE",
                 "starting a transaction");
}

static int sq_bulk(struct gw_store *st, bool on)
{
  struct sq *s = SQ(st);
  if (!sqlite3_get_autocommit(s->db))
    return gw_err_set(GW_EINVAL, "%s: bulk writing is switched outside a transaction", st->label);
  if (st->flags & GW_STORE_READONLY)
    return GW_OK;
  return sq_exec(s->db, st->label,
                 on ? "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384"
                    : "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 1000",
                 "switching bulk writing");
}

static int sq_commit(struct gw_store *st)
{
  struct sq *s = SQ(st);
  if (sqlite3_get_autocommit(s->db))
    return gw_err_set(GW_EINVAL, "%s: no transaction is open to commit", st->label);
  return sq_exec(s->db, st->label, "COMMIT", "committing the transaction");
}

static int sq_rollback(struct gw_store *st)
{
  struct sq *s = SQ(st);
  if (sqlite3_get_autocommit(s->db))
    return gw_err_set(GW_EINVAL, "%s: no transaction is open to roll back", st->label);
  return sq_exec(s->db, st->label, "ROLLBACK", "rolling back the transaction");
}

/* ---- units ---- */

static void read_unit(sqlite3_stmt *q, void *out)
{
  struct gw_unit *u = out;
  u->id = sqlite3_column_int64(q, 0);
  u->parent_id = sqlite3_column_int64(q, 1); /* NULL reads as 0 */
  u->name = col_text(q, 2);
  u->kind = (enum gw_unit_kind)sqlite3_column_int(q, 3);
  u->region_code = col_text(q, 4);
  u->contact = col_text(q, 5);
  u->created_at = sqlite3_column_int64(q, 6);
  u->updated_at = sqlite3_column_int64(q, 7);
}

static void clear_unit(void *p)
{
  gw_unit_clear(p);
}

static int bind_unit(sqlite3_stmt *q, int first, const struct gw_unit *u)
{
  return bind_ref(q, first, u->parent_id) | bind_text(q, first + 1, u->name) |
         sqlite3_bind_int(q, first + 2, (int)u->kind) | bind_text(q, first + 3, u->region_code) |
         bind_text(q, first + 4, u->contact);
}

/* The unit under parent_id named name, or GW_ENOTFOUND (with message). */
static int unit_find(struct sq *s, int64_t parent_id, const char *name, struct gw_unit *out)
{
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, Q_UNIT_FIND, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, parent_id) | bind_text(q, 2, name)) {
    rc = sq_fail(s, SQLITE_ERROR, "finding a unit");
    sq_done(q);
    return rc;
  }
  rc = sq_one(s, q, read_unit, out, "finding a unit");
  if (rc == GW_ENOTFOUND) {
    if (parent_id)
      gw_err_set(rc, "no unit named '%s' under unit %lld", name, (long long)parent_id);
    else
      gw_err_set(rc, "no top-level unit named '%s'", name);
  }
  return rc;
}

/* Explain a failed insert or update of a unit. */
static int unit_write_failed(struct sq *s, const struct gw_unit *u, const struct sq_res *r, const char *what)
{
  if (r->rc == SQLITE_CONSTRAINT_UNIQUE) {
    struct gw_unit other = {0};
    if (unit_find(s, u->parent_id, u->name, &other) == GW_OK) {
      long long id = (long long)other.id;
      gw_unit_clear(&other);
      if (u->parent_id)
        return gw_err_set(GW_EEXIST, "a unit named '%s' already exists under the same parent (id %lld)",
                          u->name, id);
      return gw_err_set(GW_EEXIST, "a unit named '%s' already exists at the top level (id %lld)", u->name, id);
    }
    return gw_err_set(GW_EEXIST, "%s: unit '%s': %s", s->base.label, u->name, r->msg);
  }
  if (r->rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return gw_err_set(GW_ENOTFOUND, "unit '%s': no parent unit with id %lld", u->name, (long long)u->parent_id);
  return sq_res_fail(s, r, what);
}

static int sq_unit_insert(struct gw_store *st, struct gw_unit *u)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int64_t now = gw_now();
  int rc = sq_prep(s, Q_UNIT_INSERT, &q);
  if (rc != GW_OK)
    return rc;
  if (bind_unit(q, 1, u) | sqlite3_bind_int64(q, 6, now)) {
    rc = sq_fail(s, SQLITE_ERROR, "adding a unit");
    goto done;
  }
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    rc = unit_write_failed(s, u, &r, "adding a unit");
    goto done;
  }
  u->id = sqlite3_last_insert_rowid(s->db);
  u->created_at = u->updated_at = now;
done:
  sq_done(q);
  return rc;
}

/* Would putting unit `id` under `parent_id` make the tree a cycle? */
static int unit_check_cycle(struct sq *s, const struct gw_unit *u)
{
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int rc = sq_prep(s, Q_UNIT_CYCLE, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, u->parent_id) | sqlite3_bind_int64(q, 2, u->id)) {
    rc = sq_fail(s, SQLITE_ERROR, "checking the unit tree");
    goto done;
  }
  switch (sq_step(s, q, &r)) {
  case SQLITE_DONE:
    break;
  case SQLITE_ROW:
    rc = gw_err_set(GW_EINVAL, "cannot put unit '%s' (id %lld) under unit %lld, which is below it in the tree",
                    u->name, (long long)u->id, (long long)u->parent_id);
    break;
  default:
    rc = sq_res_fail(s, &r, "checking the unit tree");
    break;
  }
done:
  sq_done(q);
  return rc;
}

static int sq_unit_update(struct gw_store *st, struct gw_unit *u)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int64_t now = gw_now(), created = 0;
  bool outer;
  int rc = wtx_begin(s, &outer);
  if (rc != GW_OK)
    return rc;
  if (u->parent_id && (rc = unit_check_cycle(s, u)) != GW_OK)
    goto done;
  if ((rc = sq_prep(s, Q_UNIT_UPDATE, &q)) != GW_OK)
    goto done;
  if (sqlite3_bind_int64(q, 1, u->id) | bind_unit(q, 2, u) | sqlite3_bind_int64(q, 7, now)) {
    rc = sq_fail(s, SQLITE_ERROR, "changing a unit");
    goto done;
  }
  switch (sq_step(s, q, &r)) {
  case SQLITE_ROW:
    created = sqlite3_column_int64(q, 0);
    if (sq_step(s, q, &r) != SQLITE_DONE)
      rc = unit_write_failed(s, u, &r, "changing a unit");
    break;
  case SQLITE_DONE:
    rc = gw_err_set(GW_ENOTFOUND, "no unit with id %lld", (long long)u->id);
    break;
  default:
    rc = unit_write_failed(s, u, &r, "changing a unit");
    break;
  }
done:
  sq_done(q);
  rc = wtx_end(s, outer, rc);
  if (rc == GW_OK) {
    u->created_at = created;
    u->updated_at = now;
  }
  return rc;
}

static const char *plural(int64_t n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

/* Why the unit cannot be deleted: who still refers to it. */
static int unit_in_use(struct sq *s, int64_t id, const struct sq_res *fail)
{
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int rc = sq_prep(s, Q_UNIT_REFS, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, id)) {
    rc = sq_fail(s, SQLITE_ERROR, "counting references to a unit");
    goto done;
  }
  if (sq_step(s, q, &r) != SQLITE_ROW) {
    rc = sq_res_fail(s, &r, "counting references to a unit");
    goto done;
  }
  int64_t sites = sqlite3_column_int64(q, 0), accounts = sqlite3_column_int64(q, 1),
          children = sqlite3_column_int64(q, 2);
  const char *name = (const char *)sqlite3_column_text(q, 3);
  if (sites + accounts + children == 0) /* a table added by a later migration */
    rc = gw_err_set(GW_EINUSE, "cannot delete unit '%s' (id %lld): other records still refer to it (%s)",
                    name ? name : "?", (long long)id, fail->msg);
  else
    rc = gw_err_set(GW_EINUSE, "cannot delete unit '%s' (id %lld): %lld %s, %lld %s and %lld %s still refer to it",
                    name ? name : "?", (long long)id, (long long)sites, plural(sites, "site", "sites"),
                    (long long)accounts, plural(accounts, "account", "accounts"), (long long)children,
                    plural(children, "child unit", "child units"));
done:
  sq_done(q);
  return rc;
}

/* DELETE by id for any table: GW_ENOTFOUND when no row had that id, and
 * `in_use` explains a foreign-key refusal. */
static int sq_delete(struct sq *s, enum sq_query qid, int64_t id, const char *noun,
                     int (*in_use)(struct sq *, int64_t, const struct sq_res *))
{
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  char what[64];
  snprintf(what, sizeof what, "deleting %s %lld", noun, (long long)id);
  int rc = sq_prep(s, qid, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, id)) {
    rc = sq_fail(s, SQLITE_ERROR, what);
    goto done;
  }
  if (sq_step(s, q, &r) == SQLITE_DONE) {
    if (sqlite3_changes(s->db) == 0)
      rc = gw_err_set(GW_ENOTFOUND, "no %s with id %lld", noun, (long long)id);
  } else if ((r.rc & 0xff) == SQLITE_CONSTRAINT) {
    /* ON DELETE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER, a deferred
     * check SQLITE_CONSTRAINT_FOREIGNKEY: both mean "still referred to". */
    rc = in_use ? in_use(s, id, &r)
                : gw_err_set(GW_EINUSE, "cannot delete %s %lld: other records still refer to it (%s)", noun,
                             (long long)id, r.msg);
  } else {
    rc = sq_res_fail(s, &r, what);
  }
done:
  sq_done(q);
  return rc;
}

static int sq_unit_delete(struct gw_store *st, int64_t id)
{
  return sq_delete(SQ(st), Q_UNIT_DELETE, id, "unit", unit_in_use);
}

static int sq_unit_get(struct gw_store *st, int64_t id, struct gw_unit *out)
{
  struct sq *s = SQ(st);
  struct gw_unit u = {0};
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, Q_UNIT_GET, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  rc = sq_one(s, q, read_unit, &u, "reading a unit");
  if (rc == GW_ENOTFOUND)
    return gw_err_set(rc, "no unit with id %lld", (long long)id);
  if (rc == GW_OK)
    *out = u;
  return rc;
}

static int sq_unit_find(struct gw_store *st, int64_t parent_id, const char *name, struct gw_unit *out)
{
  struct gw_unit u = {0};
  int rc = unit_find(SQ(st), parent_id, name, &u);
  if (rc == GW_OK)
    *out = u;
  return rc;
}

static int sq_unit_find_all(struct gw_store *st, const char *name, struct gw_unit_list *out)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  void *v = NULL;
  size_t n = 0;
  int rc = sq_prep(s, Q_UNIT_FIND_ALL, &q);
  if (rc != GW_OK)
    return rc;
  if (bind_text(q, 1, name)) {
    sq_done(q);
    return sq_fail(s, SQLITE_ERROR, "finding units");
  }
  rc = sq_many(s, q, read_unit, clear_unit, sizeof(struct gw_unit), &v, &n, "finding units");
  if (rc == GW_OK) {
    out->v = v;
    out->n = n;
  }
  return rc;
}

static int sq_unit_list(struct gw_store *st, struct gw_unit_list *out)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  void *v = NULL;
  size_t n = 0;
  int rc = sq_prep(s, Q_UNIT_LIST, &q);
  if (rc != GW_OK)
    return rc;
  rc = sq_many(s, q, read_unit, clear_unit, sizeof(struct gw_unit), &v, &n, "listing units");
  if (rc == GW_OK) {
    out->v = v;
    out->n = n;
  }
  return rc;
}

/* ---- sites ---- */

static void read_site(sqlite3_stmt *q, void *out)
{
  struct gw_site *s = out;
  s->id = sqlite3_column_int64(q, 0);
  s->name = col_text(q, 1);
  s->url = col_text(q, 2);
  s->code = col_text(q, 3);
  s->unit_id = sqlite3_column_int64(q, 4);
  s->kind = (enum gw_site_kind)sqlite3_column_int(q, 5);
  s->external_service = sqlite3_column_int(q, 6) != 0;
  s->sponsor = col_text(q, 7);
  s->supervisor = col_text(q, 8);
  s->status = (enum gw_site_status)sqlite3_column_int(q, 9);
  s->note = col_text(q, 10);
  s->created_at = sqlite3_column_int64(q, 11);
  s->updated_at = sqlite3_column_int64(q, 12);
}

static void clear_site(void *p)
{
  gw_site_clear(p);
}

static int bind_site(sqlite3_stmt *q, int first, const struct gw_site *s)
{
  return bind_text(q, first, s->name) | bind_text(q, first + 1, s->url) | bind_text(q, first + 2, s->code) |
         sqlite3_bind_int64(q, first + 3, s->unit_id) | sqlite3_bind_int(q, first + 4, (int)s->kind) |
         sqlite3_bind_int(q, first + 5, s->external_service ? 1 : 0) | bind_text(q, first + 6, s->sponsor) |
         bind_text(q, first + 7, s->supervisor) | sqlite3_bind_int(q, first + 8, (int)s->status) |
         bind_text(q, first + 9, s->note);
}

/* The site whose text column (url or code) equals v, into *out. */
static int site_by(struct sq *s, enum sq_query qid, const char *v, struct gw_site *out)
{
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, qid, &q);
  if (rc != GW_OK)
    return rc;
  if (bind_text(q, 1, v)) {
    sq_done(q);
    return sq_fail(s, SQLITE_ERROR, "finding a site");
  }
  rc = sq_one(s, q, read_site, out, "finding a site");
  if (rc == GW_ENOTFOUND)
    gw_err_set(rc, qid == Q_SITE_BY_URL ? "no site with URL '%s'" : "no site with 网站标识码 '%s'", v);
  return rc;
}

static int site_write_failed(struct sq *s, const struct gw_site *site, const struct sq_res *r, const char *what)
{
  if (r->rc == SQLITE_CONSTRAINT_UNIQUE) {
    struct gw_site other = {0};
    if (site_by(s, Q_SITE_BY_URL, site->url, &other) == GW_OK && other.id != site->id) {
      long long id = (long long)other.id;
      gw_site_clear(&other);
      return gw_err_set(GW_EEXIST, "a site with URL '%s' already exists (id %lld)", site->url, id);
    }
    gw_site_clear(&other);
    if (site_by(s, Q_SITE_BY_CODE, site->code, &other) == GW_OK && other.id != site->id) {
      long long id = (long long)other.id;
      gw_site_clear(&other);
      return gw_err_set(GW_EEXIST, "a site with 网站标识码 '%s' already exists (id %lld)", site->code, id);
    }
    gw_site_clear(&other);
    return gw_err_set(GW_EEXIST, "%s: site '%s': %s", s->base.label, site->name, r->msg);
  }
  if (r->rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return gw_err_set(GW_ENOTFOUND, "site '%s': no unit with id %lld", site->name, (long long)site->unit_id);
  return sq_res_fail(s, r, what);
}

static int sq_site_insert(struct gw_store *st, struct gw_site *site)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int64_t now = gw_now();
  int rc = sq_prep(s, Q_SITE_INSERT, &q);
  if (rc != GW_OK)
    return rc;
  if (bind_site(q, 1, site) | sqlite3_bind_int64(q, 11, now)) {
    rc = sq_fail(s, SQLITE_ERROR, "adding a site");
    goto done;
  }
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    rc = site_write_failed(s, site, &r, "adding a site");
    goto done;
  }
  site->id = sqlite3_last_insert_rowid(s->db);
  site->created_at = site->updated_at = now;
done:
  sq_done(q);
  return rc;
}

static int sq_site_update(struct gw_store *st, struct gw_site *site)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int64_t now = gw_now(), created = 0;
  int rc = sq_prep(s, Q_SITE_UPDATE, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, site->id) | bind_site(q, 2, site) | sqlite3_bind_int64(q, 12, now)) {
    rc = sq_fail(s, SQLITE_ERROR, "changing a site");
    goto done;
  }
  switch (sq_step(s, q, &r)) {
  case SQLITE_ROW:
    created = sqlite3_column_int64(q, 0);
    /* Step to the end: the automatic transaction commits when the
     * statement completes. */
    if (sq_step(s, q, &r) != SQLITE_DONE)
      rc = site_write_failed(s, site, &r, "changing a site");
    break;
  case SQLITE_DONE:
    rc = gw_err_set(GW_ENOTFOUND, "no site with id %lld", (long long)site->id);
    break;
  default:
    rc = site_write_failed(s, site, &r, "changing a site");
    break;
  }
  if (rc == GW_OK) {
    site->created_at = created;
    site->updated_at = now;
  }
done:
  sq_done(q);
  return rc;
}

static int sq_site_delete(struct gw_store *st, int64_t id)
{
  return sq_delete(SQ(st), Q_SITE_DELETE, id, "site", NULL);
}

static int sq_site_get(struct gw_store *st, int64_t id, struct gw_site *out)
{
  struct sq *s = SQ(st);
  struct gw_site site = {0};
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, Q_SITE_GET, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  rc = sq_one(s, q, read_site, &site, "reading a site");
  if (rc == GW_ENOTFOUND)
    return gw_err_set(rc, "no site with id %lld", (long long)id);
  if (rc == GW_OK)
    *out = site;
  return rc;
}

static int sq_site_get_by_code(struct gw_store *st, const char *code, struct gw_site *out)
{
  struct gw_site site = {0};
  int rc = site_by(SQ(st), Q_SITE_BY_CODE, code, &site);
  if (rc == GW_OK)
    *out = site;
  return rc;
}

static int sq_site_get_by_url(struct gw_store *st, const char *url, struct gw_site *out)
{
  struct gw_site site = {0};
  int rc = site_by(SQ(st), Q_SITE_BY_URL, url, &site);
  if (rc == GW_OK)
    *out = site;
  return rc;
}

static int sq_site_list(struct gw_store *st, int64_t unit_id, struct gw_site_list *out)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  void *v = NULL;
  size_t n = 0;
  int rc = sq_prep(s, unit_id ? Q_SITE_LIST_UNIT : Q_SITE_LIST, &q);
  if (rc != GW_OK)
    return rc;
  if (unit_id)
    sqlite3_bind_int64(q, 1, unit_id);
  rc = sq_many(s, q, read_site, clear_site, sizeof(struct gw_site), &v, &n, "listing sites");
  if (rc == GW_OK) {
    out->v = v;
    out->n = n;
  }
  return rc;
}

/* ---- accounts ---- */

static void read_account(sqlite3_stmt *q, void *out)
{
  struct gw_account *a = out;
  a->id = sqlite3_column_int64(q, 0);
  a->name = col_text(q, 1);
  a->platform = (enum gw_platform)sqlite3_column_int(q, 2);
  a->unit_id = sqlite3_column_int64(q, 3);
  a->cert_subject = col_text(q, 4);
  a->url = col_text(q, 5);
  a->status = (enum gw_account_status)sqlite3_column_int(q, 6);
  a->note = col_text(q, 7);
  a->created_at = sqlite3_column_int64(q, 8);
  a->updated_at = sqlite3_column_int64(q, 9);
}

static void clear_account(void *p)
{
  gw_account_clear(p);
}

static int bind_account(sqlite3_stmt *q, int first, const struct gw_account *a)
{
  return bind_text(q, first, a->name) | sqlite3_bind_int(q, first + 1, (int)a->platform) |
         sqlite3_bind_int64(q, first + 2, a->unit_id) | bind_text(q, first + 3, a->cert_subject) |
         bind_text(q, first + 4, a->url) | sqlite3_bind_int(q, first + 5, (int)a->status) |
         bind_text(q, first + 6, a->note);
}

static int account_find(struct sq *s, enum gw_platform p, const char *name, struct gw_account *out)
{
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, Q_ACCOUNT_FIND, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int(q, 1, (int)p) | bind_text(q, 2, name)) {
    sq_done(q);
    return sq_fail(s, SQLITE_ERROR, "finding an account");
  }
  rc = sq_one(s, q, read_account, out, "finding an account");
  if (rc == GW_ENOTFOUND)
    gw_err_set(rc, "no account '%s' on %s", name, gw_platform_label(p));
  return rc;
}

static int account_write_failed(struct sq *s, const struct gw_account *a, const struct sq_res *r, const char *what)
{
  if (r->rc == SQLITE_CONSTRAINT_UNIQUE) {
    struct gw_account other = {0};
    if (account_find(s, a->platform, a->name, &other) == GW_OK) {
      long long id = (long long)other.id;
      gw_account_clear(&other);
      return gw_err_set(GW_EEXIST, "an account '%s' on %s already exists (id %lld)", a->name,
                        gw_platform_label(a->platform), id);
    }
    return gw_err_set(GW_EEXIST, "%s: account '%s': %s", s->base.label, a->name, r->msg);
  }
  if (r->rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return gw_err_set(GW_ENOTFOUND, "account '%s': no unit with id %lld", a->name, (long long)a->unit_id);
  return sq_res_fail(s, r, what);
}

static int sq_account_insert(struct gw_store *st, struct gw_account *a)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int64_t now = gw_now();
  int rc = sq_prep(s, Q_ACCOUNT_INSERT, &q);
  if (rc != GW_OK)
    return rc;
  if (bind_account(q, 1, a) | sqlite3_bind_int64(q, 8, now)) {
    rc = sq_fail(s, SQLITE_ERROR, "adding an account");
    goto done;
  }
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    rc = account_write_failed(s, a, &r, "adding an account");
    goto done;
  }
  a->id = sqlite3_last_insert_rowid(s->db);
  a->created_at = a->updated_at = now;
done:
  sq_done(q);
  return rc;
}

static int sq_account_update(struct gw_store *st, struct gw_account *a)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int64_t now = gw_now(), created = 0;
  int rc = sq_prep(s, Q_ACCOUNT_UPDATE, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, a->id) | bind_account(q, 2, a) | sqlite3_bind_int64(q, 9, now)) {
    rc = sq_fail(s, SQLITE_ERROR, "changing an account");
    goto done;
  }
  switch (sq_step(s, q, &r)) {
  case SQLITE_ROW:
    created = sqlite3_column_int64(q, 0);
    if (sq_step(s, q, &r) != SQLITE_DONE)
      rc = account_write_failed(s, a, &r, "changing an account");
    break;
  case SQLITE_DONE:
    rc = gw_err_set(GW_ENOTFOUND, "no account with id %lld", (long long)a->id);
    break;
  default:
    rc = account_write_failed(s, a, &r, "changing an account");
    break;
  }
  if (rc == GW_OK) {
    a->created_at = created;
    a->updated_at = now;
  }
done:
  sq_done(q);
  return rc;
}

static int sq_account_delete(struct gw_store *st, int64_t id)
{
  return sq_delete(SQ(st), Q_ACCOUNT_DELETE, id, "account", NULL);
}

static int sq_account_get(struct gw_store *st, int64_t id, struct gw_account *out)
{
  struct sq *s = SQ(st);
  struct gw_account a = {0};
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, Q_ACCOUNT_GET, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  rc = sq_one(s, q, read_account, &a, "reading an account");
  if (rc == GW_ENOTFOUND)
    return gw_err_set(rc, "no account with id %lld", (long long)id);
  if (rc == GW_OK)
    *out = a;
  return rc;
}

static int sq_account_find(struct gw_store *st, enum gw_platform p, const char *name, struct gw_account *out)
{
  struct gw_account a = {0};
  int rc = account_find(SQ(st), p, name, &a);
  if (rc == GW_OK)
    *out = a;
  return rc;
}

static int sq_account_list(struct gw_store *st, int64_t unit_id, struct gw_account_list *out)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  void *v = NULL;
  size_t n = 0;
  int rc = sq_prep(s, unit_id ? Q_ACCOUNT_LIST_UNIT : Q_ACCOUNT_LIST, &q);
  if (rc != GW_OK)
    return rc;
  if (unit_id)
    sqlite3_bind_int64(q, 1, unit_id);
  rc = sq_many(s, q, read_account, clear_account, sizeof(struct gw_account), &v, &n, "listing accounts");
  if (rc == GW_OK) {
    out->v = v;
    out->n = n;
  }
  return rc;
}

/* ---- opening, schema ---- */

struct sq_info {
  int version;
  int64_t app_id;
  int64_t objects; /* rows of sqlite_schema: tables, indexes, ... */
};

/* Read the schema facts in one statement, hence one consistent snapshot
 * even while another process is migrating the same file. */
static int sq_inspect(sqlite3 *db, const char *label, struct sq_info *out)
{
  sqlite3_stmt *q = NULL;
  int rc = sqlite3_prepare_v2(db,
                              "SELECT (SELECT user_version FROM pragma_user_version),"
                              " (SELECT application_id FROM pragma_application_id),"
                              " (SELECT count(*) FROM sqlite_schema)",
                              -1, &q, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step(q);
  if (rc != SQLITE_ROW) {
    int code = (rc & 0xff) == SQLITE_NOTADB
                   ? gw_err_set(GW_EDB, "%s: not a database file (%s)", label, sqlite3_errmsg(db))
                   : sq_fail_msg(label, rc, "reading the schema version", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return code;
  }
  out->version = sqlite3_column_int(q, 0);
  out->app_id = sqlite3_column_int64(q, 1);
  out->objects = sqlite3_column_int64(q, 2);
  sqlite3_finalize(q);
  return GW_OK;
}

/* May this build use (and, unless read-only, migrate) this database? */
static int sq_judge(const char *label, const struct sq_info *in, bool readonly)
{
  int latest = gw_store_schema_latest();
  if (in->version != 0 && in->app_id != SQ_APP_ID)
    return gw_err_set(GW_ESCHEMA, "%s: not a GovWatch database (application_id %lld, schema version %d)", label,
                      (long long)in->app_id, in->version);
  if (in->version == 0 && in->objects > 0)
    return gw_err_set(GW_ESCHEMA,
                      "%s: not a GovWatch database (it holds %lld tables or indexes but no GovWatch schema version)",
                      label, (long long)in->objects);
  if (in->version > latest)
    return gw_err_set(GW_ESCHEMA,
                      "%s: database schema version %d is newer than this GovWatch supports (%d); upgrade GovWatch",
                      label, in->version, latest);
  if (readonly && in->version == 0)
    return gw_err_set(GW_ESCHEMA,
                      "%s: the database has no GovWatch schema yet; open it once without read-only to create it",
                      label);
  if (readonly && in->version < latest)
    return gw_err_set(GW_ESCHEMA,
                      "%s: database schema version %d is older than this GovWatch (%d); open it once without "
                      "read-only to upgrade it",
                      label, in->version, latest);
  return GW_OK;
}

static int sq_define_functions(sqlite3 *db, const char *label);

/* Apply every pending migration in one IMMEDIATE transaction: all of them
 * or none. The version is read again under the write lock, so two processes
 * opening a new file at once migrate it once. */
static int sq_migrate(sqlite3 *db, const char *label)
{
  struct sq_info info;
  sqlite3_stmt *ins = NULL;
  size_t n;
  const struct gw_store_migration *m = gw_store_migrations(&n);
  int latest = gw_store_schema_latest();
  int rc = sq_exec(db, label, "BEGIN IMMEDIATE", "starting the schema migration");
  if (rc != GW_OK)
    return rc;
  if ((rc = sq_inspect(db, label, &info)) != GW_OK || (rc = sq_judge(label, &info, false)) != GW_OK)
    goto fail;
  if (info.version == latest) {
    rc = sq_exec(db, label, "COMMIT", "ending the schema check");
    if (rc != GW_OK)
      goto fail;
    return GW_OK;
  }
  int64_t now = gw_now();
  for (size_t i = 0; i < n; i++) {
    if (m[i].version <= info.version)
      continue;
    char what[160];
    snprintf(what, sizeof what, "applying schema migration %d (%s)", m[i].version, m[i].name);
    if ((rc = sq_exec(db, label, m[i].sqlite, what)) != GW_OK)
      goto fail;
    int src = ins ? SQLITE_OK
                  : sqlite3_prepare_v2(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                                       -1, &ins, NULL);
    if (src == SQLITE_OK) {
      sqlite3_reset(ins);
      src = sqlite3_bind_int(ins, 1, m[i].version) | sqlite3_bind_text(ins, 2, m[i].name, -1, SQLITE_STATIC) |
            sqlite3_bind_int64(ins, 3, now);
      if (src == SQLITE_OK)
        src = sqlite3_step(ins);
    }
    if (src != SQLITE_DONE) {
      rc = sq_fail_msg(label, src, what, sqlite3_errmsg(db));
      goto fail;
    }
  }
  sqlite3_finalize(ins);
  ins = NULL;
  char sql[128];
  snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d", latest, SQ_APP_ID);
  if ((rc = sq_exec(db, label, sql, "recording the schema version")) != GW_OK)
    goto fail;
  if ((rc = sq_exec(db, label, "COMMIT", "committing the schema migration")) != GW_OK)
    goto fail;
  gw_debug("%s: schema migrated from version %d to %d", label, info.version, latest);
  return GW_OK;
fail:
  sqlite3_finalize(ins);
  char *ignored = NULL;
  sqlite3_exec(db, "ROLLBACK", NULL, NULL, &ignored);
  sqlite3_free(ignored);
  return rc;
}

/* Clear messages for what SQLite would only call "unable to open database
 * file": a missing directory, a directory given as the database. */
static int sq_check_path(const char *path, const char *label, bool readonly)
{
  struct stat sb;
  if (stat(path, &sb) == 0) {
    if (S_ISDIR(sb.st_mode))
      return gw_err_set(GW_EIO, "%s: is a directory, not a database file", label);
    return GW_OK;
  }
  if (errno != ENOENT)
    return gw_err_set(GW_EIO, "%s: cannot open the database: %s", label, strerror(errno));
  if (readonly)
    return gw_err_set(GW_EIO, "%s: cannot open the database read-only: no such file", label);
  const char *slash = strrchr(path, '/');
  if (!slash)
    return GW_OK; /* in the working directory, which exists */
  char *dir = slash == path ? gw_strdup("/") : gw_strndup(path, (size_t)(slash - path));
  int rc = GW_OK;
  if (stat(dir, &sb) != 0)
    rc = gw_err_set(GW_EIO, "%s: cannot create the database: directory '%s' %s", label, dir,
                    errno == ENOENT ? "does not exist" : strerror(errno));
  else if (!S_ISDIR(sb.st_mode))
    rc = gw_err_set(GW_EIO, "%s: cannot create the database: '%s' is not a directory", label, dir);
  free(dir);
  return rc;
}

/* Read a one-value pragma as text into buf. */
static int sq_pragma(sqlite3 *db, const char *label, const char *sql, char *buf, size_t size)
{
  sqlite3_stmt *q = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step(q);
  if (rc != SQLITE_ROW) {
    int code = sq_fail_msg(label, rc, sql, sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return code;
  }
  const unsigned char *t = sqlite3_column_text(q, 0);
  gw_strlcpy(buf, t ? (const char *)t : "", size);
  sqlite3_finalize(q);
  return GW_OK;
}

int gw_store_sqlite_open(struct gw_store **out, const char *path, const char *label, int flags)
{
  bool ro = (flags & GW_STORE_READONLY) != 0;
  bool memory = strcmp(path, ":memory:") == 0;
  sqlite3 *db = NULL;
  struct sq_info info;
  char val[32];
  int rc;
  if (!memory && (rc = sq_check_path(path, label, ro)) != GW_OK)
    return rc;
  /* A store handle is used by one thread at a time (each thread of the
   * service opens its own), so SQLite's per-call connection mutex is left
   * out: it was 8 % of the time of a link report's row walk. */
  int src = sqlite3_open_v2(path, &db,
                            (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                                SQLITE_OPEN_NOMUTEX,
                            NULL);
  if (src != SQLITE_OK) {
    int e = db ? sqlite3_system_errno(db) : 0;
    rc = gw_err_set(GW_EIO, "%s: cannot open the database: %s%s%s%s", label,
                    db ? sqlite3_errmsg(db) : sqlite3_errstr(src), e ? " (" : "", e ? strerror(e) : "", e ? ")" : "");
    goto fail;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, SQ_BUSY_MS);
  /* Judge the schema before anything that writes (journal_mode=WAL does),
   * so a database from a newer GovWatch is left exactly as it was. */
  if ((rc = sq_inspect(db, label, &info)) != GW_OK || (rc = sq_judge(label, &info, ro)) != GW_OK)
    goto fail;
  if (!ro && !memory) {
    if ((rc = sq_pragma(db, label, "PRAGMA journal_mode = WAL", val, sizeof val)) != GW_OK)
      goto fail;
    if (strcmp(val, "wal") != 0) {
      rc = gw_err_set(GW_EDB, "%s: cannot use write-ahead logging (journal mode stays '%s'); "
                      "is the file on a network file system?", label, val);
      goto fail;
    }
  }
  if ((rc = sq_exec(db, label, ro ? "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA query_only = ON"
                                  : "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
                    "setting up the connection")) != GW_OK)
    goto fail;
  if ((rc = sq_pragma(db, label, "PRAGMA foreign_keys", val, sizeof val)) != GW_OK)
    goto fail;
  if (strcmp(val, "1") != 0) {
    rc = gw_err_set(GW_EDB, "%s: this SQLite library cannot enforce foreign keys", label);
    goto fail;
  }
  if (!ro && ((rc = sq_define_functions(db, label)) != GW_OK || (rc = sq_migrate(db, label)) != GW_OK))
    goto fail;
  struct sq *s = gw_calloc(1, sizeof *s);
  s->base.ops = &g_ops;
  s->base.label = gw_strdup(label);
  s->base.flags = flags;
  s->db = db;
  *out = &s->base;
  return GW_OK;
fail:
  sqlite3_close_v2(db);
  return rc;
}

static int sq_schema_version(struct gw_store *st, int *out)
{
  struct sq *s = SQ(st);
  char val[32];
  int64_t v;
  int rc = sq_pragma(s->db, st->label, "PRAGMA user_version", val, sizeof val);
  if (rc != GW_OK)
    return rc;
  if (gw_parse_i64(val, &v) != GW_OK)
    return gw_err_set(GW_EDB, "%s: unreadable schema version '%s'", st->label, val);
  *out = (int)v;
  return GW_OK;
}

static void sq_destroy(struct gw_store *st)
{
  struct sq *s = SQ(st);
  for (int i = 0; i < Q_COUNT_; i++)
    sqlite3_finalize(s->q[i]);
  /* close_v2 rolls back an open transaction; the last connection in WAL
   * mode checkpoints and removes the -wal file. */
  sqlite3_close_v2(s->db);
  free(st->label);
  free(s);
}

struct sqlite3 *gw_store_sqlite_db(struct gw_store *st)
{
  return st && st->ops == &g_ops ? SQ(st)->db : NULL;
}

/* ---- crawls ---- */

static void read_crawl(sqlite3_stmt *q, void *out)
{
  struct gw_crawl *c = out;
  c->id = sqlite3_column_int64(q, 0);
  c->site_id = sqlite3_column_int64(q, 1);
  c->state = (enum gw_crawl_state)sqlite3_column_int(q, 2);
  c->started_at = sqlite3_column_int64(q, 3);
  c->finished_at = sqlite3_column_int64(q, 4);
  c->as_of = sqlite3_column_int64(q, 5);
  c->prev_id = sqlite3_column_int64(q, 6);
  c->runs = sqlite3_column_int(q, 7);
  c->options = col_text(q, 8);
  c->robots = col_text(q, 9);
  c->summary = col_text(q, 10);
}

static void clear_crawl(void *p)
{
  gw_crawl_clear(p);
}

static int sq_crawl_insert(struct gw_store *st, struct gw_crawl *c)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int rc = sq_prep(s, Q_CRAWL_INSERT, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, c->site_id) | sqlite3_bind_int(q, 2, (int)c->state) |
      sqlite3_bind_int64(q, 3, c->started_at) | bind_ref(q, 4, c->finished_at) | sqlite3_bind_int64(q, 5, c->as_of) |
      bind_ref(q, 6, c->prev_id) | sqlite3_bind_int(q, 7, c->runs) | bind_text(q, 8, c->options) |
      bind_text(q, 9, c->robots) | bind_text(q, 10, c->summary)) {
    rc = sq_fail(s, SQLITE_ERROR, "adding a crawl");
    goto done;
  }
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    if (r.rc == SQLITE_CONSTRAINT_FOREIGNKEY)
      rc = gw_err_set(GW_ENOTFOUND, "crawl: no site with id %lld (or no crawl with id %lld)", (long long)c->site_id,
                      (long long)c->prev_id);
    else
      rc = sq_res_fail(s, &r, "adding a crawl");
    goto done;
  }
  c->id = sqlite3_last_insert_rowid(s->db);
done:
  sq_done(q);
  return rc;
}

static int sq_crawl_update(struct gw_store *st, const struct gw_crawl *c)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int rc = sq_prep(s, Q_CRAWL_UPDATE, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, c->id) | sqlite3_bind_int(q, 2, (int)c->state) | bind_ref(q, 3, c->finished_at) |
      sqlite3_bind_int(q, 4, c->runs) | bind_text(q, 5, c->options) | bind_text(q, 6, c->robots) |
      bind_text(q, 7, c->summary)) {
    rc = sq_fail(s, SQLITE_ERROR, "changing a crawl");
    goto done;
  }
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    rc = sq_res_fail(s, &r, "changing a crawl");
    goto done;
  }
  if (sqlite3_changes(s->db) == 0)
    rc = gw_err_set(GW_ENOTFOUND, "no crawl with id %lld", (long long)c->id);
done:
  sq_done(q);
  return rc;
}

static int sq_crawl_get(struct gw_store *st, int64_t id, struct gw_crawl *out)
{
  struct sq *s = SQ(st);
  struct gw_crawl c = {0};
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, Q_CRAWL_GET, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  rc = sq_one(s, q, read_crawl, &c, "reading a crawl");
  if (rc == GW_ENOTFOUND)
    return gw_err_set(rc, "no crawl with id %lld", (long long)id);
  if (rc == GW_OK)
    *out = c;
  return rc;
}

static int sq_crawl_last(struct gw_store *st, int64_t site_id, bool done_only, struct gw_crawl *out)
{
  struct sq *s = SQ(st);
  struct gw_crawl c = {0};
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, done_only ? Q_CRAWL_LAST_DONE : Q_CRAWL_LAST, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  rc = sq_one(s, q, read_crawl, &c, "reading the last crawl");
  if (rc == GW_ENOTFOUND)
    return gw_err_set(rc, "site %lld has no %scrawl", (long long)site_id, done_only ? "finished " : "");
  if (rc == GW_OK)
    *out = c;
  return rc;
}

static int sq_crawl_list(struct gw_store *st, int64_t site_id, struct gw_crawl_list *out)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  void *v = NULL;
  size_t n = 0;
  int rc = sq_prep(s, site_id ? Q_CRAWL_LIST_SITE : Q_CRAWL_LIST, &q);
  if (rc != GW_OK)
    return rc;
  if (site_id)
    sqlite3_bind_int64(q, 1, site_id);
  rc = sq_many(s, q, read_crawl, clear_crawl, sizeof(struct gw_crawl), &v, &n, "listing crawls");
  if (rc == GW_OK) {
    out->v = v;
    out->n = n;
  }
  return rc;
}

static int sq_walk_prepare(struct sq *s, enum sq_query id, sqlite3_stmt **out);
static int links_walk(struct sq *s, sqlite3_stmt *q, int64_t to_id, gw_link_fn fn, void *ctx);

/* Link occurrences of a crawl by the target's scope (the crawl's URL ids
 * as a table over their range: 0 not of this crawl, 1 external, 2
 * internal). */
struct link_count {
  int64_t lo;
  size_t n;
  unsigned char *scope;
  struct gw_crawl_stats *t;
};

static int count_link(void *ctx, const struct gw_link_row *l)
{
  struct link_count *c = ctx;
  uint64_t k = (uint64_t)(l->to_id - c->lo);
  unsigned char sc = l->to_id >= c->lo && k < c->n ? c->scope[k] : 0;
  if (sc) {
    c->t->links++;
    if (sc == 2)
      c->t->links_internal++;
    else
      c->t->links_external++;
  }
  return 0;
}

static int links_count(struct sq *s, int64_t crawl_id, struct gw_crawl_stats *t)
{
  struct link_count c = {0, 0, NULL, t};
  int64_t *ids = NULL;
  unsigned char *in = NULL;
  size_t n = 0, cap = 0;
  sqlite3_stmt *q = NULL;
  int rc = sq_walk_prepare(s, Q_CRAWL_LINK_SCOPE, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, crawl_id);
  int src;
  while ((src = sqlite3_step(q)) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? 2 * cap : 1024;
      ids = gw_reallocarray(ids, cap, sizeof *ids);
      in = gw_realloc(in, cap);
    }
    ids[n] = sqlite3_column_int64(q, 0);
    in[n++] = sqlite3_column_int(q, 1) ? 2 : 1;
  }
  sqlite3_finalize(q);
  if (src != SQLITE_DONE)
    rc = sq_fail(s, src, "counting a crawl's links");
  if (rc == GW_OK && n) {
    c.lo = ids[0];
    c.n = (size_t)(ids[n - 1] - ids[0] + 1);
    c.scope = gw_calloc(c.n, 1);
    for (size_t i = 0; i < n; i++)
      c.scope[ids[i] - c.lo] = in[i];
    if ((rc = sq_walk_prepare(s, Q_LINK_CRAWL, &q)) == GW_OK) {
      sqlite3_bind_int64(q, 1, crawl_id);
      rc = links_walk(s, q, 0, count_link, &c);
      sqlite3_finalize(q);
    }
  }
  free(c.scope);
  free(ids);
  free(in);
  return rc;
}

static int sq_crawl_stats(struct gw_store *st, int64_t crawl_id, struct gw_crawl_stats *out)
{
  struct sq *s = SQ(st);
  struct gw_crawl_stats t;
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  memset(&t, 0, sizeof t);
  int rc = sq_prep(s, Q_CRAWL_STATS_URLS, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, crawl_id);
  while (sq_step(s, q, &r) == SQLITE_ROW) {
    int state = sqlite3_column_int(q, 0), kind = sqlite3_column_int(q, 1), internal = sqlite3_column_int(q, 2);
    int error = sqlite3_column_int(q, 3), skip = sqlite3_column_int(q, 4);
    int64_t n = sqlite3_column_int64(q, 5);
    t.urls += n;
    if (state >= 0 && state < 5)
      t.by_state[state] += n;
    if (kind >= 0 && kind < 5)
      t.by_kind[kind] += n;
    if (internal)
      t.internal += n;
    else
      t.external += n;
    if (state == GW_URL_DONE || state == GW_URL_FAILED)
      t.fetched += n;
    if (error >= 0 && error < GW_FE_COUNT_ && (state == GW_URL_DONE || state == GW_URL_FAILED))
      t.by_error[error] += n;
    if (skip > 0 && skip < GW_SKIP_COUNT_)
      t.by_skip[skip] += n;
    t.body_bytes += (int64_t)sqlite3_column_double(q, 6);
    t.parsed += (int64_t)sqlite3_column_double(q, 7);
    t.redirected += (int64_t)sqlite3_column_double(q, 8);
    t.not_modified += (int64_t)sqlite3_column_double(q, 9);
    t.status_4xx += (int64_t)sqlite3_column_double(q, 10);
    t.status_5xx += (int64_t)sqlite3_column_double(q, 11);
    t.pages_ok += (int64_t)sqlite3_column_double(q, 12);
  }
  if (r.rc != SQLITE_DONE) {
    rc = sq_res_fail(s, &r, "counting a crawl's URLs");
    sq_done(q);
    return rc;
  }
  sq_done(q);
  if ((rc = links_count(s, crawl_id, &t)) != GW_OK)
    return rc;
  if (rc == GW_OK)
    *out = t;
  return rc;
}

/* ---- crawl URLs ---- */

static void read_curl(sqlite3_stmt *q, void *out)
{
  struct gw_crawl_url *u = out;
  u->id = sqlite3_column_int64(q, 0);
  u->crawl_id = sqlite3_column_int64(q, 1);
  u->url = col_text(q, 2);
  u->depth = sqlite3_column_int(q, 3);
  u->from_id = sqlite3_column_int64(q, 4);
  u->kind = (enum gw_url_kind)sqlite3_column_int(q, 5);
  u->internal = sqlite3_column_int(q, 6) != 0;
  u->state = (enum gw_url_state)sqlite3_column_int(q, 7);
  u->skip = (enum gw_skip_reason)sqlite3_column_int(q, 8);
  u->skip_detail = col_text(q, 9);
  u->attempts = sqlite3_column_int(q, 10);
  u->method = col_text(q, 11);
  u->http_status = sqlite3_column_int(q, 12);
  u->error = (enum gw_fetch_error)sqlite3_column_int(q, 13);
  u->error_text = col_text(q, 14);
  u->redirects = sqlite3_column_int(q, 15);
  u->redirect_chain = col_text(q, 16);
  u->final_url = col_text(q, 17);
  u->content_type = col_text(q, 18);
  u->charset = col_text(q, 19);
  u->charset_source = col_text(q, 20);
  u->body_id = sqlite3_column_int64(q, 21);
  u->body_bytes = sqlite3_column_int64(q, 22);
  u->body_truncated = sqlite3_column_int(q, 23) != 0;
  u->parsed = sqlite3_column_int(q, 24) != 0;
  u->title = col_text(q, 25);
  u->links = sqlite3_column_int(q, 26);
  u->fetched_at = sqlite3_column_int64(q, 27);
  u->etag = col_text(q, 28);
  u->last_modified = col_text(q, 29);
  u->elapsed_ms = sqlite3_column_int(q, 30);
  u->ip = col_text(q, 31);
  u->ip_family = sqlite3_column_int(q, 32);
  u->reused_id = sqlite3_column_int64(q, 33);
  u->attempt_log = col_text(q, 34);
  u->notfound_known = sqlite3_column_type(q, 35) != SQLITE_NULL;
  u->notfound = u->notfound_known ? (uint64_t)sqlite3_column_int64(q, 35) : 0;
}

static int sq_crawl_url_insert(struct gw_store *st, struct gw_crawl_url *u)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int rc = sq_prep(s, Q_CURL_INSERT, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, u->crawl_id) | bind_text(q, 2, u->url) | sqlite3_bind_int(q, 3, u->depth) |
      bind_ref(q, 4, u->from_id) | sqlite3_bind_int(q, 5, (int)u->kind) | sqlite3_bind_int(q, 6, u->internal) |
      sqlite3_bind_int(q, 7, (int)u->state) | sqlite3_bind_int(q, 8, (int)u->skip) |
      bind_text(q, 9, u->skip_detail)) {
    rc = sq_fail(s, SQLITE_ERROR, "adding a crawl URL");
    goto done;
  }
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    if (r.rc == SQLITE_CONSTRAINT_UNIQUE)
      rc = gw_err_set(GW_EEXIST, "crawl %lld already has URL '%s'", (long long)u->crawl_id, u->url);
    else if (r.rc == SQLITE_CONSTRAINT_FOREIGNKEY)
      rc = gw_err_set(GW_ENOTFOUND, "URL '%s': no crawl with id %lld", u->url, (long long)u->crawl_id);
    else
      rc = sq_res_fail(s, &r, "adding a crawl URL");
    goto done;
  }
  u->id = sqlite3_last_insert_rowid(s->db);
done:
  sq_done(q);
  return rc;
}

static int sq_crawl_url_result(struct gw_store *st, const struct gw_crawl_url *u)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int rc = sq_prep(s, Q_CURL_RESULT, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, u->id) | sqlite3_bind_int(q, 2, (int)u->state) | sqlite3_bind_int(q, 3, u->attempts) |
      bind_text(q, 4, u->method) | sqlite3_bind_int(q, 5, u->http_status) | sqlite3_bind_int(q, 6, (int)u->error) |
      bind_text(q, 7, u->error_text) | sqlite3_bind_int(q, 8, u->redirects) | bind_text(q, 9, u->redirect_chain) |
      bind_text(q, 10, u->final_url) | bind_text(q, 11, u->content_type) | bind_text(q, 12, u->charset) |
      bind_text(q, 13, u->charset_source) | bind_ref(q, 14, u->body_id) | sqlite3_bind_int64(q, 15, u->body_bytes) |
      sqlite3_bind_int(q, 16, u->body_truncated) | sqlite3_bind_int(q, 17, u->parsed) | bind_text(q, 18, u->title) |
      sqlite3_bind_int(q, 19, u->links) | bind_ref(q, 20, u->fetched_at) | bind_text(q, 21, u->etag) |
      bind_text(q, 22, u->last_modified) | sqlite3_bind_int(q, 23, u->elapsed_ms) | bind_text(q, 24, u->ip) |
      sqlite3_bind_int(q, 25, u->ip_family) | bind_ref(q, 26, u->reused_id) | bind_text(q, 27, u->attempt_log) |
      (u->notfound_known ? sqlite3_bind_int64(q, 28, (sqlite3_int64)u->notfound) : sqlite3_bind_null(q, 28))) {
    rc = sq_fail(s, SQLITE_ERROR, "recording a fetch result");
    goto done;
  }
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    rc = sq_res_fail(s, &r, "recording a fetch result");
    goto done;
  }
  if (sqlite3_changes(s->db) == 0)
    rc = gw_err_set(GW_ENOTFOUND, "no crawl URL with id %lld", (long long)u->id);
done:
  sq_done(q);
  return rc;
}

static int sq_crawl_url_skip(struct gw_store *st, int64_t id, enum gw_skip_reason reason, const char *detail)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int rc = sq_prep(s, Q_CURL_SKIP, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, id) | sqlite3_bind_int(q, 2, (int)reason) | bind_text(q, 3, detail)) {
    rc = sq_fail(s, SQLITE_ERROR, "skipping a crawl URL");
    goto done;
  }
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    rc = sq_res_fail(s, &r, "skipping a crawl URL");
    goto done;
  }
  if (sqlite3_changes(s->db) == 0)
    rc = gw_err_set(GW_ENOTFOUND, "no crawl URL with id %lld", (long long)id);
done:
  sq_done(q);
  return rc;
}

static int sq_crawl_url_get(struct gw_store *st, int64_t id, struct gw_crawl_url *out)
{
  struct sq *s = SQ(st);
  struct gw_crawl_url u = {0};
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, Q_CURL_GET, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  rc = sq_one(s, q, read_curl, &u, "reading a crawl URL");
  if (rc == GW_ENOTFOUND)
    return gw_err_set(rc, "no crawl URL with id %lld", (long long)id);
  if (rc == GW_OK)
    *out = u;
  return rc;
}

static int sq_crawl_url_find(struct gw_store *st, int64_t crawl_id, const char *url, struct gw_crawl_url *out)
{
  struct sq *s = SQ(st);
  struct gw_crawl_url u = {0};
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, Q_CURL_FIND, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, crawl_id);
  bind_text(q, 2, url);
  rc = sq_one(s, q, read_curl, &u, "finding a crawl URL");
  if (rc == GW_ENOTFOUND)
    return gw_err_set(rc, "crawl %lld has no URL '%s'", (long long)crawl_id, url);
  if (rc == GW_OK)
    *out = u;
  return rc;
}

/* Walks use a statement of their own rather than a cached one: the
 * callback may call other store reads (which would reset a shared cached
 * statement under the walk). */
static int sq_walk_prepare(struct sq *s, enum sq_query id, sqlite3_stmt **out)
{
  int rc = sqlite3_prepare_v2(s->db, g_sql[id], -1, out, NULL);
  if (rc != SQLITE_OK)
    return sq_fail(s, rc, "preparing a query");
  return GW_OK;
}

static int sq_crawl_url_each(struct gw_store *st, int64_t crawl_id, enum gw_url_state state, gw_crawl_url_fn fn,
                             void *ctx)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  int rc = sq_walk_prepare(s, state ? Q_CURL_EACH_STATE : Q_CURL_EACH, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, crawl_id);
  if (state)
    sqlite3_bind_int(q, 2, (int)state);
  int src;
  while ((src = sqlite3_step(q)) == SQLITE_ROW) {
    struct gw_crawl_url u = {0};
    read_curl(q, &u);
    rc = fn(ctx, &u);
    gw_crawl_url_clear(&u);
    if (rc != 0)
      break;
  }
  if (rc == 0 && src != SQLITE_DONE)
    rc = sq_fail(s, src, "reading a crawl's URLs");
  sqlite3_finalize(q);
  return rc;
}

/* ---- links ---- */

/* A page's links are one page_links row (store/linkpack.h has the value's
 * layout). */

static int by_from_seq(const void *a, const void *b)
{
  const struct gw_link_row *x = *(const struct gw_link_row *const *)a, *y = *(const struct gw_link_row *const *)b;
  if (x->from_id != y->from_id)
    return x->from_id < y->from_id ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

static int link_dup(const struct gw_link_row *l)
{
  return gw_err_set(GW_EEXIST, "link %d of crawl URL %lld is already stored", l->seq, (long long)l->from_id);
}

/* The stored links of page from_id, copied (strings too) into *out. */
struct link_copy {
  struct gw_link_row *v;
  size_t n, cap;
};

static int copy_link(void *ctx, const struct gw_link_row *l)
{
  struct link_copy *c = ctx;
  if (c->n == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 32;
    c->v = gw_reallocarray(c->v, c->cap, sizeof *c->v);
  }
  struct gw_link_row *d = &c->v[c->n++];
  *d = *l;
  d->tag = gw_strdup(l->tag);
  d->anchor = gw_strdup(l->anchor);
  return 0;
}

static void link_copy_free(struct link_copy *c)
{
  for (size_t i = 0; i < c->n; i++)
    gw_link_row_clear(&c->v[i]);
  free(c->v);
}

static int links_read_page(struct sq *s, int64_t from_id, struct link_copy *out)
{
  sqlite3_stmt *q = NULL;
  int rc = sq_walk_prepare(s, Q_LINK_FROM, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, from_id);
  rc = links_walk(s, q, 0, copy_link, out);
  sqlite3_finalize(q);
  return rc;
}

/* Pack one page's links v[0..n) into b (emptied first) in seq order,
 * sorting them first unless they are; GW_EEXIST when a seq repeats. */
static int pack_links(struct gw_buf *b, const struct gw_link_row **v, size_t n, bool sorted)
{
  if (!sorted)
    qsort(v, n, sizeof *v, by_from_seq);
  for (size_t i = 1; i < n; i++)
    if (v[i]->seq == v[i - 1]->seq)
      return link_dup(v[i]);
  gw_buf_reset(b);
  int rc = GW_OK;
  for (size_t i = 0; i < n && rc == GW_OK; i++)
    rc = gw_linkpack_encode(b, v[i], 1);
  return rc;
}

/* Write (insert, or write back with a page's stored links) the value of
 * n links of one page (rows[0..n): one from_id, ascending seq, no seq
 * twice). */
static int links_put_page(struct sq *s, const struct gw_link_row **rows, size_t n)
{
  int64_t from_id = rows[0]->from_id;
  struct gw_buf b = GW_BUF_INIT;
  struct link_copy old = {0};
  const struct gw_link_row **all = NULL;
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int rc = GW_OK;
  for (int pass = 0; pass < 2 && rc == GW_OK; pass++) {
    /* pass 0 inserts the page's row; pass 1 (the row exists) merges */
    size_t total = n;
    if (pass == 0) {
      rc = pack_links(&b, rows, n, true);
    } else {
      if ((rc = links_read_page(s, from_id, &old)) != GW_OK)
        break;
      total = old.n + n;
      all = gw_reallocarray(NULL, total, sizeof *all);
      for (size_t i = 0; i < old.n; i++)
        all[i] = &old.v[i];
      memcpy(all + old.n, rows, n * sizeof *rows);
      rc = pack_links(&b, all, total, false);
    }
    if (rc != GW_OK || (rc = sq_prep(s, pass ? Q_LINK_UPDATE : Q_LINK_INSERT, &q)) != GW_OK)
      break;
    if (sqlite3_bind_int64(q, 1, from_id) | sqlite3_bind_int64(q, 2, (int64_t)total) |
        sqlite3_bind_blob(q, 3, b.data, (int)b.len, SQLITE_STATIC)) {
      sq_done(q);
      rc = sq_fail(s, SQLITE_ERROR, "adding links");
      break;
    }
    int src = sq_step(s, q, &r);
    sq_done(q);
    if (src == SQLITE_DONE)
      break;
    if (pass == 0 && r.rc == SQLITE_CONSTRAINT_PRIMARYKEY)
      continue;
    if (r.rc == SQLITE_CONSTRAINT_FOREIGNKEY)
      rc = gw_err_set(GW_ENOTFOUND, "links of crawl URL %lld: no crawl URL with that id", (long long)from_id);
    else
      rc = sq_res_fail(s, &r, "adding links");
  }
  free(all);
  link_copy_free(&old);
  gw_buf_free(&b);
  return rc;
}

static int sq_link_insert_many(struct gw_store *st, const struct gw_link_row *rows, size_t n)
{
  struct sq *s = SQ(st);
  const struct gw_link_row **v = gw_reallocarray(NULL, n, sizeof *v);
  bool sorted = true;
  for (size_t i = 0; i < n; i++) {
    v[i] = &rows[i];
    if (i && by_from_seq(&v[i - 1], &v[i]) >= 0)
      sorted = false;
  }
  if (!sorted)
    qsort(v, n, sizeof *v, by_from_seq);
  int rc = GW_OK;
  for (size_t i = 1; i < n && rc == GW_OK; i++)
    if (v[i]->from_id == v[i - 1]->from_id && v[i]->seq == v[i - 1]->seq)
      rc = link_dup(v[i]);
  /* one value per page */
  for (size_t i = 0, j; i < n && rc == GW_OK; i = j) {
    for (j = i + 1; j < n && v[j]->from_id == v[i]->from_id; j++)
      ;
    rc = links_put_page(s, v + i, j - i);
  }
  free(v);
  return rc;
}

static int sq_link_insert(struct gw_store *st, const struct gw_link_row *l)
{
  return sq_link_insert_many(st, l, 1);
}

struct link_filter {
  int64_t to_id;
  gw_link_fn fn;
  void *ctx;
};

static int filter_link(void *ctx, const struct gw_link_row *l)
{
  struct link_filter *f = ctx;
  return l->to_id == f->to_id ? f->fn(f->ctx, l) : 0;
}

/* Call fn for every occurrence in the page_links rows q yields (from_id, n,
 * packed); only those to target to_id when it is not 0. */
static int links_walk(struct sq *s, sqlite3_stmt *q, int64_t to_id, gw_link_fn fn, void *ctx)
{
  struct link_filter f = {to_id, fn, ctx};
  int src, rc = 0;
  while ((src = sqlite3_step(q)) == SQLITE_ROW) {
    int64_t from_id = sqlite3_column_int64(q, 0), n = sqlite3_column_int64(q, 1);
    const void *data = sqlite3_column_blob(q, 2);
    int len = sqlite3_column_bytes(q, 2);
    if (!data && len > 0) {
      rc = gw_err_set(GW_ENOMEM, "%s: out of memory reading links", s->base.label);
      break;
    }
    rc = gw_linkpack_each(data, (size_t)len, from_id, n, "page_links", to_id ? filter_link : fn,
                          to_id ? (void *)&f : ctx);
    if (rc != 0)
      break;
  }
  if (rc == 0 && src != SQLITE_DONE)
    rc = sq_fail(s, src, "reading links");
  return rc;
}

static int sq_link_each(struct gw_store *st, int64_t crawl_id, int64_t from_id, int64_t to_id, gw_link_fn fn,
                        void *ctx)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  enum sq_query qid = crawl_id ? Q_LINK_CRAWL : from_id ? Q_LINK_FROM : Q_LINK_TO;
  int rc = sq_walk_prepare(s, qid, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, crawl_id ? crawl_id : from_id ? from_id : to_id);
  rc = links_walk(s, q, crawl_id || from_id ? 0 : to_id, fn, ctx);
  sqlite3_finalize(q);
  return rc;
}

/* gw_links_pack(from_id, seq, to_id, tag, anchor, hidden, line, in_footer,
 * on_homepage): the aggregate migration 11 packs the rows of the old
 * links table with, a page (GROUP BY from_id) at a time. */
static void pack_step(sqlite3_context *cx, int argc, sqlite3_value **av)
{
  (void)argc;
  struct link_copy *a = sqlite3_aggregate_context(cx, sizeof *a);
  if (!a) {
    sqlite3_result_error_nomem(cx);
    return;
  }
  struct gw_link_row l = {0};
  l.from_id = sqlite3_value_int64(av[0]);
  l.seq = sqlite3_value_int(av[1]);
  l.to_id = sqlite3_value_int64(av[2]);
  l.tag = (char *)sqlite3_value_text(av[3]);
  l.anchor = (char *)sqlite3_value_text(av[4]);
  l.hidden = (unsigned)sqlite3_value_int64(av[5]);
  l.line = (long)sqlite3_value_int64(av[6]);
  l.in_footer = sqlite3_value_int(av[7]) != 0;
  l.on_homepage = sqlite3_value_int(av[8]) != 0;
  copy_link(a, &l);
}

static void pack_final(sqlite3_context *cx)
{
  struct link_copy *a = sqlite3_aggregate_context(cx, 0);
  if (!a || !a->n) {
    sqlite3_result_null(cx);
    return;
  }
  const struct gw_link_row **v = gw_reallocarray(NULL, a->n, sizeof *v);
  for (size_t i = 0; i < a->n; i++)
    v[i] = &a->v[i];
  struct gw_buf b = GW_BUF_INIT;
  int rc = pack_links(&b, v, a->n, false);
  if (rc == GW_OK)
    sqlite3_result_blob(cx, b.data, (int)b.len, SQLITE_TRANSIENT);
  else if (rc == GW_EEXIST)
    sqlite3_result_error(cx, gw_err_msg(), -1);
  else
    sqlite3_result_error_nomem(cx);
  gw_buf_free(&b);
  free(v);
  link_copy_free(a);
}

static int sq_define_functions(sqlite3 *db, const char *label)
{
  int rc = sqlite3_create_function_v2(db, "gw_links_pack", 9, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, NULL,
                                      pack_step, pack_final, NULL);
  return rc == SQLITE_OK ? GW_OK : sq_fail_msg(label, rc, "defining SQL functions", sqlite3_errmsg(db));
}

/* ---- bodies ---- */

static int sq_body_put(struct gw_store *st, const struct gw_store_body *b, int64_t *id)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  /* the same bytes compress to the same bytes with the same codec (and
   * library version): compare the compressed form */
  int rc = sq_prep(s, Q_BODY_FIND, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, b->hash);
  sqlite3_bind_int64(q, 2, (int64_t)b->size);
  int64_t found = 0;
  while (sq_step(s, q, &r) == SQLITE_ROW) {
    const void *z = sqlite3_column_blob(q, 1);
    if (sqlite3_column_int(q, 2) == (int)b->codec && (size_t)sqlite3_column_bytes(q, 1) == b->zlen && z &&
        memcmp(z, b->zdata, b->zlen) == 0) {
      found = sqlite3_column_int64(q, 0);
      break;
    }
  }
  if (!found && r.rc != SQLITE_DONE) {
    rc = sq_res_fail(s, &r, "looking up a stored body");
    goto out;
  }
  sq_done(q);
  q = NULL;
  if (found) {
    *id = found;
    goto out;
  }
  if ((rc = sq_prep(s, Q_BODY_INSERT, &q)) != GW_OK)
    goto out;
  if (sqlite3_bind_int64(q, 1, b->hash) | sqlite3_bind_int64(q, 2, (int64_t)b->size) |
      sqlite3_bind_blob64(q, 3, b->zdata, (sqlite3_uint64)b->zlen, SQLITE_STATIC) |
      sqlite3_bind_int(q, 4, (int)b->codec)) {
    rc = sq_fail(s, SQLITE_ERROR, "storing a body");
    goto out;
  }
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    rc = sq_res_fail(s, &r, "storing a body");
    goto out;
  }
  *id = sqlite3_last_insert_rowid(s->db);
out:
  sq_done(q);
  return rc;
}

static int sq_body_get(struct gw_store *st, int64_t id, char **data, size_t *len)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  char *buf = NULL;
  int rc = sq_prep(s, Q_BODY_GET, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  switch (sq_step(s, q, &r)) {
  case SQLITE_ROW:
    break;
  case SQLITE_DONE:
    rc = gw_err_set(GW_ENOTFOUND, "no stored body with id %lld", (long long)id);
    goto out;
  default:
    rc = sq_res_fail(s, &r, "reading a stored body");
    goto out;
  }
  int64_t size = sqlite3_column_int64(q, 0);
  const void *z = sqlite3_column_blob(q, 1);
  int zlen = sqlite3_column_bytes(q, 1);
  if (size < 0 || (uint64_t)size > (uint64_t)UINT32_MAX) {
    rc = gw_err_set(GW_EDB, "%s: stored body %lld has an impossible size %lld", st->label, (long long)id,
                    (long long)size);
    goto out;
  }
  buf = gw_malloc((size_t)size + 1);
  if ((rc = gw_store_body_decode(sqlite3_column_int(q, 2), z, zlen > 0 ? (size_t)zlen : 0, buf, (size_t)size, id,
                                 st->label)) != GW_OK)
    goto out;
  buf[size] = '\0';
  *data = buf;
  *len = (size_t)size;
  buf = NULL;
out:
  free(buf);
  sq_done(q);
  return rc;
}

/* ---- check runs and findings ---- */

static void read_run(sqlite3_stmt *q, void *out)
{
  struct gw_check_run *r = out;
  r->id = sqlite3_column_int64(q, 0);
  r->site_id = sqlite3_column_int64(q, 1);
  r->crawl_id = sqlite3_column_int64(q, 2);
  r->as_of = sqlite3_column_int64(q, 3);
  r->started_at = sqlite3_column_int64(q, 4);
  r->finished_at = sqlite3_column_int64(q, 5);
  r->checks = col_text(q, 6);
  if (!r->checks)
    r->checks = gw_strdup("");
}

static void clear_run(void *p)
{
  gw_check_run_clear(p);
}

/* One run by a prepared, bound statement (reset here). */
static int run_read(struct sq *s, sqlite3_stmt *q, struct gw_check_run *out, const char *what)
{
  struct gw_check_run r = {0};
  int rc = sq_one(s, q, read_run, &r, what);
  if (rc == GW_OK)
    *out = r;
  return rc;
}

/* Inside the write transaction of a start: is crawl_id a crawl of site_id? */
static int run_check_crawl(struct sq *s, int64_t site_id, int64_t crawl_id)
{
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int rc = sq_prep(s, Q_RUN_CRAWL_SITE, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, crawl_id);
  switch (sq_step(s, q, &r)) {
  case SQLITE_ROW:
    if (sqlite3_column_int64(q, 0) != site_id)
      rc = gw_err_set(GW_EINVAL, "crawl %lld is a crawl of site %lld, not of site %lld", (long long)crawl_id,
                      (long long)sqlite3_column_int64(q, 0), (long long)site_id);
    break;
  case SQLITE_DONE:
    rc = gw_err_set(GW_ENOTFOUND, "no crawl with id %lld", (long long)crawl_id);
    break;
  default:
    rc = sq_res_fail(s, &r, "reading a crawl");
    break;
  }
  sq_done(q);
  return rc;
}

static int sq_check_run_start(struct gw_store *st, struct gw_check_run *r)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res res;
  struct gw_check_run found = {0};
  bool outer;
  int64_t now = gw_now();
  int rc = wtx_begin(s, &outer);
  if (rc != GW_OK)
    return rc;
  if (r->crawl_id && (rc = run_check_crawl(s, r->site_id, r->crawl_id)) != GW_OK)
    goto done;
  if ((rc = sq_prep(s, Q_RUN_FIND, &q)) != GW_OK)
    goto done;
  sqlite3_bind_int64(q, 1, r->site_id);
  sqlite3_bind_int64(q, 2, r->crawl_id);
  sqlite3_bind_int64(q, 3, r->as_of);
  rc = run_read(s, q, &found, "finding a check run");
  q = NULL;
  if (rc == GW_OK) {
    if ((rc = sq_prep(s, Q_RUN_RESTART, &q)) != GW_OK)
      goto done;
    sqlite3_bind_int64(q, 1, found.id);
    sqlite3_bind_int64(q, 2, now);
    if (sq_step(s, q, &res) != SQLITE_DONE) {
      rc = sq_res_fail(s, &res, "restarting a check run");
      goto done;
    }
    found.started_at = now;
  } else if (rc == GW_ENOTFOUND) {
    if ((rc = sq_prep(s, Q_RUN_INSERT, &q)) != GW_OK)
      goto done;
    sqlite3_bind_int64(q, 1, r->site_id);
    bind_ref(q, 2, r->crawl_id);
    sqlite3_bind_int64(q, 3, r->as_of);
    sqlite3_bind_int64(q, 4, now);
    if (sq_step(s, q, &res) != SQLITE_DONE) {
      if (res.rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        rc = gw_err_set(GW_ENOTFOUND, "check run: no site with id %lld", (long long)r->site_id);
      else
        rc = sq_res_fail(s, &res, "adding a check run");
      goto done;
    }
    found.id = sqlite3_last_insert_rowid(s->db);
    found.site_id = r->site_id;
    found.crawl_id = r->crawl_id;
    found.as_of = r->as_of;
    found.started_at = now;
    found.finished_at = 0;
    found.checks = gw_strdup("");
  } else {
    goto done;
  }
done:
  sq_done(q);
  rc = wtx_end(s, outer, rc);
  if (rc == GW_OK) {
    gw_check_run_clear(r);
    *r = found;
  } else {
    gw_check_run_clear(&found);
  }
  return rc;
}

/* `list` (sorted, comma-separated ids) with `id` added, sorted; malloc'd. */
static char *checks_add(const char *list, const char *id)
{
  size_t cap = 1, n = 0;
  for (const char *p = list; *p; p++)
    cap += *p == ',';
  char **v = gw_calloc(cap + 1, sizeof *v);
  const char *p = list;
  while (*p) {
    size_t len = strcspn(p, ",");
    if (len)
      v[n++] = gw_strndup(p, len);
    p += len;
    if (*p == ',')
      p++;
  }
  bool have = false;
  for (size_t i = 0; i < n; i++)
    have = have || strcmp(v[i], id) == 0;
  if (!have) {
    size_t i = n;
    while (i > 0 && strcmp(v[i - 1], id) > 0) {
      v[i] = v[i - 1];
      i--;
    }
    v[i] = gw_strdup(id);
    n++;
  }
  size_t total = 1;
  for (size_t i = 0; i < n; i++)
    total += strlen(v[i]) + 1;
  char *out = gw_malloc(total), *w = out;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(v[i]);
    if (i)
      *w++ = ',';
    memcpy(w, v[i], len);
    w += len;
    free(v[i]);
  }
  *w = '\0';
  free(v);
  return out;
}

static int finding_insert(struct sq *s, int64_t run_id, const struct gw_finding *f)
{
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  char fp[17];
  gw_finding_fingerprint(f, fp);
  int rc = sq_prep(s, Q_FINDING_INSERT, &q);
  if (rc != GW_OK)
    return rc;
  if (sqlite3_bind_int64(q, 1, run_id) | bind_text(q, 2, f->check) | bind_text(q, 3, f->rule) |
      sqlite3_bind_int(q, 4, (int)f->severity) | sqlite3_bind_int(q, 5, f->needs_review) |
      bind_ref(q, 6, f->site_id) | bind_ref(q, 7, f->account_id) | bind_ref(q, 8, f->crawl_id) |
      bind_text(q, 9, f->key) | bind_text(q, 10, fp) | bind_text(q, 11, f->url) | bind_text(q, 12, f->target) |
      bind_text(q, 13, f->locator) | bind_text(q, 14, f->snippet) | bind_text(q, 15, f->title) |
      bind_text(q, 16, f->detail) | bind_text(q, 17, f->observed_json) | sqlite3_bind_int64(q, 18, f->observed_at)) {
    rc = sq_fail(s, SQLITE_ERROR, "storing a finding");
    goto done;
  }
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    if (r.rc == SQLITE_CONSTRAINT_UNIQUE)
      rc = gw_err_set(GW_EEXIST, "check %s: two findings with the key '%s' (fingerprint %s)", f->check, f->key, fp);
    else if (r.rc == SQLITE_CONSTRAINT_FOREIGNKEY)
      rc = gw_err_set(GW_ENOTFOUND, "check %s, finding '%s': no %s with id %lld, or no crawl with id %lld", f->check,
                      f->key, f->site_id ? "site" : "account", (long long)(f->site_id ? f->site_id : f->account_id),
                      (long long)f->crawl_id);
    else
      rc = sq_res_fail(s, &r, "storing a finding");
  }
done:
  sq_done(q);
  return rc;
}

static int sq_findings_replace(struct gw_store *st, int64_t run_id, const char *check, const struct gw_finding *f,
                               size_t n)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  struct gw_check_run run = {0};
  char *checks = NULL;
  bool outer;
  int rc = wtx_begin(s, &outer);
  if (rc != GW_OK)
    return rc;
  if ((rc = sq_prep(s, Q_RUN_GET, &q)) != GW_OK)
    goto done;
  sqlite3_bind_int64(q, 1, run_id);
  rc = run_read(s, q, &run, "reading a check run");
  q = NULL;
  if (rc == GW_ENOTFOUND)
    rc = gw_err_set(rc, "no check run with id %lld", (long long)run_id);
  if (rc != GW_OK)
    goto done;
  if ((rc = sq_prep(s, Q_FINDING_DELETE, &q)) != GW_OK)
    goto done;
  sqlite3_bind_int64(q, 1, run_id);
  bind_text(q, 2, check);
  if (sq_step(s, q, &r) != SQLITE_DONE) {
    rc = sq_res_fail(s, &r, "removing the previous findings");
    goto done;
  }
  sq_done(q);
  q = NULL;
  for (size_t i = 0; i < n && rc == GW_OK; i++)
    rc = finding_insert(s, run_id, &f[i]);
  if (rc != GW_OK)
    goto done;
  checks = checks_add(run.checks ? run.checks : "", check);
  if ((rc = sq_prep(s, Q_RUN_SET_CHECKS, &q)) != GW_OK)
    goto done;
  sqlite3_bind_int64(q, 1, run_id);
  bind_text(q, 2, checks);
  if (sq_step(s, q, &r) != SQLITE_DONE)
    rc = sq_res_fail(s, &r, "recording the checks of a run");
done:
  sq_done(q);
  free(checks);
  gw_check_run_clear(&run);
  return wtx_end(s, outer, rc);
}

static int sq_check_run_finish(struct gw_store *st, int64_t run_id, int64_t finished_at)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  struct sq_res r;
  int rc = sq_prep(s, Q_RUN_FINISH, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, run_id);
  sqlite3_bind_int64(q, 2, finished_at);
  if (sq_step(s, q, &r) != SQLITE_DONE)
    rc = sq_res_fail(s, &r, "finishing a check run");
  else if (sqlite3_changes(s->db) == 0)
    rc = gw_err_set(GW_ENOTFOUND, "no check run with id %lld", (long long)run_id);
  sq_done(q);
  return rc;
}

static int sq_check_run_get(struct gw_store *st, int64_t id, struct gw_check_run *out)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, Q_RUN_GET, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  rc = run_read(s, q, out, "reading a check run");
  if (rc == GW_ENOTFOUND)
    return gw_err_set(rc, "no check run with id %lld", (long long)id);
  return rc;
}

static int sq_check_run_last(struct gw_store *st, int64_t site_id, struct gw_check_run *out)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  int rc = sq_prep(s, Q_RUN_LAST, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  rc = run_read(s, q, out, "reading the last check run");
  if (rc == GW_ENOTFOUND)
    return gw_err_set(rc, "site %lld has no finished check run", (long long)site_id);
  return rc;
}

static int sq_check_run_list(struct gw_store *st, int64_t site_id, struct gw_check_run_list *out)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  void *v = NULL;
  size_t n = 0;
  int rc = sq_prep(s, site_id ? Q_RUN_LIST_SITE : Q_RUN_LIST, &q);
  if (rc != GW_OK)
    return rc;
  if (site_id)
    sqlite3_bind_int64(q, 1, site_id);
  rc = sq_many(s, q, read_run, clear_run, sizeof(struct gw_check_run), &v, &n, "listing check runs");
  if (rc == GW_OK) {
    out->v = v;
    out->n = n;
  }
  return rc;
}

static void read_finding(sqlite3_stmt *q, struct gw_finding_row *r)
{
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

static int sq_finding_each(struct gw_store *st, int64_t run_id, const char *check, gw_finding_fn fn, void *ctx)
{
  struct sq *s = SQ(st);
  sqlite3_stmt *q = NULL;
  int rc = sq_walk_prepare(s, check ? Q_FINDING_EACH_CHECK : Q_FINDING_EACH, &q);
  if (rc != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, run_id);
  if (check)
    bind_text(q, 2, check);
  int src;
  while ((src = sqlite3_step(q)) == SQLITE_ROW) {
    struct gw_finding_row r;
    memset(&r, 0, sizeof r);
    read_finding(q, &r);
    rc = fn(ctx, &r);
    gw_finding_row_clear(&r);
    if (rc != 0)
      break;
  }
  if (rc == 0 && src != SQLITE_DONE)
    rc = sq_fail(s, src, "reading findings");
  sqlite3_finalize(q);
  return rc;
}

static const struct gw_store_ops g_ops = {
  .engine = "sqlite",
  .destroy = sq_destroy,
  .schema_version = sq_schema_version,
  .begin = sq_begin,
  .bulk = sq_bulk,
  .commit = sq_commit,
  .rollback = sq_rollback,
  .unit_insert = sq_unit_insert,
  .unit_update = sq_unit_update,
  .unit_delete = sq_unit_delete,
  .unit_get = sq_unit_get,
  .unit_find = sq_unit_find,
  .unit_find_all = sq_unit_find_all,
  .unit_list = sq_unit_list,
  .site_insert = sq_site_insert,
  .site_update = sq_site_update,
  .site_delete = sq_site_delete,
  .site_get = sq_site_get,
  .site_get_by_code = sq_site_get_by_code,
  .site_get_by_url = sq_site_get_by_url,
  .site_list = sq_site_list,
  .account_insert = sq_account_insert,
  .account_update = sq_account_update,
  .account_delete = sq_account_delete,
  .account_get = sq_account_get,
  .account_find = sq_account_find,
  .account_list = sq_account_list,
  .crawl_insert = sq_crawl_insert,
  .crawl_update = sq_crawl_update,
  .crawl_get = sq_crawl_get,
  .crawl_last = sq_crawl_last,
  .crawl_list = sq_crawl_list,
  .crawl_stats = sq_crawl_stats,
  .crawl_url_insert = sq_crawl_url_insert,
  .crawl_url_result = sq_crawl_url_result,
  .crawl_url_skip = sq_crawl_url_skip,
  .crawl_url_get = sq_crawl_url_get,
  .crawl_url_find = sq_crawl_url_find,
  .crawl_url_each = sq_crawl_url_each,
  .link_insert = sq_link_insert,
  .link_insert_many = sq_link_insert_many,
  .link_each = sq_link_each,
  .body_put = sq_body_put,
  .body_get = sq_body_get,
  .check_run_start = sq_check_run_start,
  .findings_replace = sq_findings_replace,
  .check_run_finish = sq_check_run_finish,
  .check_run_get = sq_check_run_get,
  .check_run_last = sq_check_run_last,
  .check_run_list = sq_check_run_list,
  .finding_each = sq_finding_each,
};
