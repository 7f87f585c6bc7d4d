/* The monitor's store functions on SQLite (see monitor_store.h).
 *
 * Statements are prepared per call: the monitor writes a few rows a minute,
 * so a statement cache would buy nothing. Every function checks the store
 * the way store.c does for the register (open, engine, read-only). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "store/monitor_store.h"
#include "store/store_impl.h"
#include "store/sqlite_util.h"

/* ---- records ---- */

void gw_avail_slot_clear(struct gw_avail_slot *s)
{
  if (!s)
    return;
  free(s->detail);
  memset(s, 0, sizeof *s);
}

void gw_avail_probe_clear(struct gw_avail_probe *p)
{
  if (!p)
    return;
  free(p->url);
  free(p->ip);
  free(p->error_text);
  memset(p, 0, sizeof *p);
}

void gw_alert_row_clear(struct gw_alert_row *a)
{
  if (!a)
    return;
  free(a->text);
  memset(a, 0, sizeof *a);
}

void gw_avail_slot_list_free(struct gw_avail_slot_list *l)
{
  for (size_t i = 0; l && i < l->n; i++)
    gw_avail_slot_clear(&l->v[i]);
  if (l) {
    free(l->v);
    l->v = NULL;
    l->n = 0;
  }
}

void gw_avail_probe_list_free(struct gw_avail_probe_list *l)
{
  for (size_t i = 0; l && i < l->n; i++)
    gw_avail_probe_clear(&l->v[i]);
  if (l) {
    free(l->v);
    l->v = NULL;
    l->n = 0;
  }
}

void gw_alert_list_free(struct gw_alert_list *l)
{
  for (size_t i = 0; l && i < l->n; i++)
    gw_alert_row_clear(&l->v[i]);
  if (l) {
    free(l->v);
    l->v = NULL;
    l->n = 0;
  }
}

static const char *const g_verdict_key[] = {"none", "ok", "fail", "unknown"};
static const char *const g_verdict_label[] = {"未判定", "正常", "失败", "无法判定"};
static const char *const g_reason_key[GW_AR_COUNT_] = {
    "none", "dns", "refused", "timeout", "reset", "tls", "http-5xx", "http-4xx", "waf", "own-network", "other"};
static const char *const g_reason_label[GW_AR_COUNT_] = {
    "无",           "域名解析失败", "连接被拒绝",     "超过15秒未打开", "连接被重置",  "TLS握手失败",
    "服务器错误(5xx)", "首页返回错误(4xx)", "防火墙拦截(403/429)", "本机网络异常", "其他错误"};
static const char *const g_alert_key[GW_ALERT_COUNT_] = {"?", "down", "recovered", "warn", "veto", "finding"};
static const char *const g_alert_label[GW_ALERT_COUNT_] = {"?", "站点无法访问", "站点恢复访问", "可用性预警",
                                                           "触发单项否决", "发现严重问题"};

const char *gw_avail_verdict_key(enum gw_avail_verdict v)
{
  return (unsigned)v <= GW_AV_UNKNOWN ? g_verdict_key[v] : "?";
}
const char *gw_avail_verdict_label(enum gw_avail_verdict v)
{
  return (unsigned)v <= GW_AV_UNKNOWN ? g_verdict_label[v] : "?";
}
const char *gw_avail_reason_key(enum gw_avail_reason r)
{
  return (unsigned)r < GW_AR_COUNT_ ? g_reason_key[r] : "?";
}
const char *gw_avail_reason_label(enum gw_avail_reason r)
{
  return (unsigned)r < GW_AR_COUNT_ ? g_reason_label[r] : "?";
}
const char *gw_alert_kind_key(enum gw_alert_kind k)
{
  return (unsigned)k < GW_ALERT_COUNT_ && k ? g_alert_key[k] : "?";
}
const char *gw_alert_kind_label(enum gw_alert_kind k)
{
  return (unsigned)k < GW_ALERT_COUNT_ && k ? g_alert_label[k] : "?";
}

/* ---- plumbing ---- */

/* The shared plumbing (sqlite_util.h), named for this module. */
static int db_of(struct gw_store *st, bool write, sqlite3 **out)
{
  return gw_sq_db(st, write, "the availability monitor", out);
}
#define fail gw_sq_fail
static int prep(struct gw_store *st, sqlite3 *db, const char *sql, sqlite3_stmt **q)
{
  return gw_sq_prep(st, db, sql, "a monitor query", q);
}
#define col_text gw_sq_col_text
#define bind_text gw_sq_bind_text

/* ---- slots ---- */

#define SLOT_COLS \
  "id, site_id, family, slot_at, state, runs, started_at, ifnull(finished_at, 0), verdict, reason, " \
  "http_status, attempts, total_us, detail"

static void read_slot(sqlite3_stmt *q, void *row)
{
  struct gw_avail_slot *s = row;
  memset(s, 0, sizeof *s);
  s->id = sqlite3_column_int64(q, 0);
  s->site_id = sqlite3_column_int64(q, 1);
  s->family = sqlite3_column_int(q, 2);
  s->slot_at = sqlite3_column_int64(q, 3);
  s->state = (enum gw_slot_state)sqlite3_column_int(q, 4);
  s->runs = sqlite3_column_int(q, 5);
  s->started_at = sqlite3_column_int64(q, 6);
  s->finished_at = sqlite3_column_int64(q, 7);
  s->verdict = (enum gw_avail_verdict)sqlite3_column_int(q, 8);
  s->reason = (enum gw_avail_reason)sqlite3_column_int(q, 9);
  s->http_status = sqlite3_column_int(q, 10);
  s->attempts = sqlite3_column_int(q, 11);
  s->total_us = sqlite3_column_int64(q, 12);
  s->detail = col_text(q, 13);
}

/* Run q (bound) expecting at most one slot row. */
static int one_slot(struct gw_store *st, sqlite3 *db, sqlite3_stmt *q, struct gw_avail_slot *out)
{
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    read_slot(q, out);
    return GW_OK;
  }
  if (rc == SQLITE_DONE)
    return GW_ENOTFOUND;
  return fail(st, db, "reading a probe slot");
}

static int exec(struct gw_store *st, sqlite3 *db, const char *sql)
{
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
    return GW_OK;
  int rc = gw_err_set(GW_EDB, "%s: %s: %s", st->label, sql, err ? err : sqlite3_errmsg(db));
  sqlite3_free(err);
  return rc;
}

int gw_store_slot_begin(struct gw_store *st, int64_t site_id, int family, int64_t slot_at, int64_t now,
                        struct gw_avail_slot *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  struct gw_avail_slot s = {0};
  bool outer = false;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (family != 4 && family != 6)
    return gw_err_set(GW_EINVAL, "%s: probe slot of site %lld: family %d is neither 4 nor 6", st->label,
                      (long long)site_id, family);
  outer = sqlite3_get_autocommit(db) != 0;
  if ((rc = exec(st, db, outer ? "BEGIN IMMEDIATE" : "SAVEPOINT gw_slot")) != GW_OK)
    return rc;
  if ((rc = prep(st, db, "SELECT " SLOT_COLS " FROM avail_slots WHERE site_id = ?1 AND family = ?2 AND slot_at = ?3",
                 &q)) != GW_OK)
    goto done;
  sqlite3_bind_int64(q, 1, site_id);
  sqlite3_bind_int(q, 2, family);
  sqlite3_bind_int64(q, 3, slot_at);
  rc = one_slot(st, db, q, &s);
  sqlite3_finalize(q);
  q = NULL;
  if (rc == GW_OK) {
    if (s.state == GW_SLOT_DONE) {
      rc = gw_err_set(GW_EEXIST, "%s: probe slot of site %lld, IPv%d at %lld is done already", st->label,
                      (long long)site_id, family, (long long)slot_at);
      goto done;
    }
    if ((rc = prep(st, db, "UPDATE avail_slots SET runs = runs + 1, started_at = ?2 WHERE id = ?1", &q)) != GW_OK)
      goto done;
    sqlite3_bind_int64(q, 1, s.id);
    sqlite3_bind_int64(q, 2, now);
    if (sqlite3_step(q) != SQLITE_DONE) {
      rc = fail(st, db, "taking over a probe slot");
      goto done;
    }
    s.runs++;
    s.started_at = now;
  } else if (rc == GW_ENOTFOUND) {
    if ((rc = prep(st, db,
                   "INSERT INTO avail_slots (site_id, family, slot_at, state, runs, started_at) "
                   "SELECT ?1, ?2, ?3, 1, 1, ?4 WHERE EXISTS (SELECT 1 FROM sites WHERE id = ?1)",
                   &q)) != GW_OK)
      goto done;
    sqlite3_bind_int64(q, 1, site_id);
    sqlite3_bind_int(q, 2, family);
    sqlite3_bind_int64(q, 3, slot_at);
    sqlite3_bind_int64(q, 4, now);
    if (sqlite3_step(q) != SQLITE_DONE) {
      rc = fail(st, db, "adding a probe slot");
      goto done;
    }
    if (sqlite3_changes(db) == 0) {
      rc = gw_err_set(GW_ENOTFOUND, "%s: probe slot: site %lld does not exist", st->label, (long long)site_id);
      goto done;
    }
    memset(&s, 0, sizeof s);
    s.id = sqlite3_last_insert_rowid(db);
    s.site_id = site_id;
    s.family = family;
    s.slot_at = slot_at;
    s.state = GW_SLOT_RUNNING;
    s.runs = 1;
    s.started_at = now;
    rc = GW_OK;
  }
done:
  sqlite3_finalize(q);
  if (rc == GW_OK)
    rc = exec(st, db, outer ? "COMMIT" : "RELEASE gw_slot");
  if (rc != GW_OK) {
    char *ignored = NULL;
    sqlite3_exec(db, outer ? "ROLLBACK" : "ROLLBACK TO gw_slot; RELEASE gw_slot", NULL, NULL, &ignored);
    sqlite3_free(ignored);
    gw_avail_slot_clear(&s);
    return rc;
  }
  *out = s;
  return GW_OK;
}

int gw_store_slot_finish(struct gw_store *st, const struct gw_avail_slot *s)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (s->verdict < GW_AV_OK || s->verdict > GW_AV_UNKNOWN || (unsigned)s->reason >= GW_AR_COUNT_)
    return gw_err_set(GW_EINVAL, "%s: probe slot %lld: verdict %d / reason %d out of range", st->label,
                      (long long)s->id, (int)s->verdict, (int)s->reason);
  if ((rc = prep(st, db,
                 "UPDATE avail_slots SET state = 2, finished_at = ?2, verdict = ?3, reason = ?4, http_status = ?5, "
                 "attempts = ?6, total_us = ?7, detail = ?8 WHERE id = ?1 AND state = 1",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, s->id);
  sqlite3_bind_int64(q, 2, s->finished_at);
  sqlite3_bind_int(q, 3, (int)s->verdict);
  sqlite3_bind_int(q, 4, (int)s->reason);
  sqlite3_bind_int(q, 5, s->http_status);
  sqlite3_bind_int(q, 6, s->attempts);
  sqlite3_bind_int64(q, 7, s->total_us);
  bind_text(q, 8, s->detail);
  if (sqlite3_step(q) != SQLITE_DONE) {
    rc = fail(st, db, "finishing a probe slot");
    goto done;
  }
  if (sqlite3_changes(db) == 0) {
    sqlite3_finalize(q);
    q = NULL;
    int exists = 0;
    if (prep(st, db, "SELECT count(*) FROM avail_slots WHERE id = ?1", &q) == GW_OK) {
      sqlite3_bind_int64(q, 1, s->id);
      if (sqlite3_step(q) == SQLITE_ROW)
        exists = sqlite3_column_int(q, 0);
    }
    rc = exists ? gw_err_set(GW_EEXIST, "%s: probe slot %lld is done already", st->label, (long long)s->id)
                : gw_err_set(GW_ENOTFOUND, "%s: probe slot %lld does not exist", st->label, (long long)s->id);
  }
done:
  sqlite3_finalize(q);
  return rc;
}

int gw_store_slot_reclassify(struct gw_store *st, int64_t id, enum gw_avail_verdict v, enum gw_avail_reason r)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (v < GW_AV_OK || v > GW_AV_UNKNOWN || (unsigned)r >= GW_AR_COUNT_)
    return gw_err_set(GW_EINVAL, "%s: probe slot %lld: verdict %d / reason %d out of range", st->label,
                      (long long)id, (int)v, (int)r);
  if ((rc = prep(st, db, "UPDATE avail_slots SET verdict = ?2, reason = ?3 WHERE id = ?1 AND state = 2", &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int(q, 2, (int)v);
  sqlite3_bind_int(q, 3, (int)r);
  if (sqlite3_step(q) != SQLITE_DONE)
    rc = fail(st, db, "changing a probe slot's verdict");
  else if (sqlite3_changes(db) == 0)
    rc = gw_err_set(GW_ENOTFOUND, "%s: no finished probe slot %lld", st->label, (long long)id);
  sqlite3_finalize(q);
  return rc;
}

int gw_store_slot_list(struct gw_store *st, int64_t site_id, int family, int64_t from, int64_t to,
                       struct gw_avail_slot_list *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  struct gw_avail_slot_list l = {0};
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 "SELECT " SLOT_COLS " FROM avail_slots WHERE slot_at >= ?3 AND slot_at < ?4 "
                 "AND (?1 = 0 OR site_id = ?1) AND (?2 = 0 OR family = ?2) ORDER BY slot_at, site_id, family",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  sqlite3_bind_int(q, 2, family);
  sqlite3_bind_int64(q, 3, from);
  sqlite3_bind_int64(q, 4, to);
  void *v = NULL;
  rc = gw_sq_collect(st, db, q, "listing probe slots", sizeof *l.v, read_slot, &v, &l.n);
  l.v = v;
  if (rc != GW_OK)
    gw_avail_slot_list_free(&l);
  else
    *out = l;
  sqlite3_finalize(q);
  return rc;
}

int gw_store_slot_last_judged(struct gw_store *st, int64_t site_id, int family, int64_t before,
                              struct gw_avail_slot *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 "SELECT " SLOT_COLS " FROM avail_slots WHERE site_id = ?1 AND family = ?2 AND slot_at < ?3 "
                 "AND state = 2 AND verdict IN (1, 2) ORDER BY slot_at DESC LIMIT 1",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  sqlite3_bind_int(q, 2, family);
  sqlite3_bind_int64(q, 3, before);
  struct gw_avail_slot s;
  rc = one_slot(st, db, q, &s);
  sqlite3_finalize(q);
  if (rc == GW_OK)
    *out = s;
  return rc;
}

/* ---- probes ---- */

int gw_store_probe_insert(struct gw_store *st, struct gw_avail_probe *p)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (p->id != 0 || gw_str_empty(p->url) || (p->family != 4 && p->family != 6) ||
      (p->role != GW_PROBE_SITE && p->role != GW_PROBE_CONTROL))
    return gw_err_set(GW_EINVAL, "%s: probe of slot %lld: id must be 0, url, family 4/6 and role are required",
                      st->label, (long long)p->slot_id);
  if ((rc = prep(st, db,
                 "INSERT INTO avail_probes (slot_id, seq, role, family, at, url, ip, dns_us, connect_us, tls_us, "
                 "ttfb_us, total_us, http_status, error, error_text, bytes) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, p->slot_id);
  sqlite3_bind_int(q, 2, p->seq);
  sqlite3_bind_int(q, 3, (int)p->role);
  sqlite3_bind_int(q, 4, p->family);
  sqlite3_bind_int64(q, 5, p->at);
  bind_text(q, 6, p->url);
  bind_text(q, 7, p->ip);
  sqlite3_bind_int64(q, 8, p->dns_us);
  sqlite3_bind_int64(q, 9, p->connect_us);
  sqlite3_bind_int64(q, 10, p->tls_us);
  sqlite3_bind_int64(q, 11, p->ttfb_us);
  sqlite3_bind_int64(q, 12, p->total_us);
  sqlite3_bind_int(q, 13, p->http_status);
  sqlite3_bind_int(q, 14, p->error);
  bind_text(q, 15, p->error_text);
  sqlite3_bind_int64(q, 16, p->bytes);
  int step = sqlite3_step(q);
  if (step == SQLITE_DONE) {
    p->id = sqlite3_last_insert_rowid(db);
  } else if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_CONSTRAINT) {
    rc = gw_err_set(sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE ? GW_EEXIST : GW_ENOTFOUND,
                    "%s: probe %d of slot %lld: %s", st->label, p->seq, (long long)p->slot_id, sqlite3_errmsg(db));
  } else {
    rc = fail(st, db, "adding a probe");
  }
  sqlite3_finalize(q);
  return rc;
}

int gw_store_probe_list(struct gw_store *st, int64_t slot_id, struct gw_avail_probe_list *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  struct gw_avail_probe_list l = {0};
  size_t cap = 0;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 "SELECT id, slot_id, seq, role, family, at, url, ip, dns_us, connect_us, tls_us, ttfb_us, total_us, "
                 "http_status, error, error_text, bytes FROM avail_probes WHERE slot_id = ?1 ORDER BY seq",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, slot_id);
  int step;
  while ((step = sqlite3_step(q)) == SQLITE_ROW) {
    if (l.n == cap) {
      cap = cap ? cap * 2 : 4;
      l.v = gw_reallocarray(l.v, cap, sizeof *l.v);
    }
    struct gw_avail_probe *p = &l.v[l.n++];
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(q, 0);
    p->slot_id = sqlite3_column_int64(q, 1);
    p->seq = sqlite3_column_int(q, 2);
    p->role = (enum gw_probe_role)sqlite3_column_int(q, 3);
    p->family = sqlite3_column_int(q, 4);
    p->at = sqlite3_column_int64(q, 5);
    p->url = col_text(q, 6);
    p->ip = col_text(q, 7);
    p->dns_us = sqlite3_column_int64(q, 8);
    p->connect_us = sqlite3_column_int64(q, 9);
    p->tls_us = sqlite3_column_int64(q, 10);
    p->ttfb_us = sqlite3_column_int64(q, 11);
    p->total_us = sqlite3_column_int64(q, 12);
    p->http_status = sqlite3_column_int(q, 13);
    p->error = sqlite3_column_int(q, 14);
    p->error_text = col_text(q, 15);
    p->bytes = sqlite3_column_int64(q, 16);
  }
  if (step != SQLITE_DONE) {
    rc = fail(st, db, "listing probes");
    gw_avail_probe_list_free(&l);
  } else {
    *out = l;
  }
  sqlite3_finalize(q);
  return rc;
}

/* ---- alerts ---- */

int gw_store_alert_insert(struct gw_store *st, struct gw_alert_row *a)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, true, &db);
  if (rc != GW_OK)
    return rc;
  if (a->id != 0 || a->kind < GW_ALERT_DOWN || a->kind >= GW_ALERT_COUNT_ || gw_str_empty(a->text) ||
      (a->family != 4 && a->family != 6))
    return gw_err_set(GW_EINVAL, "%s: alert of site %lld: id must be 0, kind, family and text are required",
                      st->label, (long long)a->site_id);
  if ((rc = prep(st, db,
                 "INSERT INTO alerts (site_id, family, kind, at, muted, sent, failed, text) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, a->site_id);
  sqlite3_bind_int(q, 2, a->family);
  sqlite3_bind_int(q, 3, (int)a->kind);
  sqlite3_bind_int64(q, 4, a->at);
  sqlite3_bind_int(q, 5, a->muted ? 1 : 0);
  sqlite3_bind_int(q, 6, a->sent);
  sqlite3_bind_int(q, 7, a->failed);
  bind_text(q, 8, a->text);
  if (sqlite3_step(q) == SQLITE_DONE)
    a->id = sqlite3_last_insert_rowid(db);
  else if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_CONSTRAINT)
    rc = gw_err_set(GW_ENOTFOUND, "%s: alert: site %lld does not exist", st->label, (long long)a->site_id);
  else
    rc = fail(st, db, "adding an alert");
  sqlite3_finalize(q);
  return rc;
}

#define ALERT_COLS "id, site_id, family, kind, at, muted, sent, failed, text"

static void read_alert(sqlite3_stmt *q, void *row)
{
  struct gw_alert_row *a = row;
  memset(a, 0, sizeof *a);
  a->id = sqlite3_column_int64(q, 0);
  a->site_id = sqlite3_column_int64(q, 1);
  a->family = sqlite3_column_int(q, 2);
  a->kind = (enum gw_alert_kind)sqlite3_column_int(q, 3);
  a->at = sqlite3_column_int64(q, 4);
  a->muted = sqlite3_column_int(q, 5) != 0;
  a->sent = sqlite3_column_int(q, 6);
  a->failed = sqlite3_column_int(q, 7);
  a->text = col_text(q, 8);
}

static int alert_one(struct gw_store *st, sqlite3 *db, sqlite3_stmt *q, struct gw_alert_row *out)
{
  int step = sqlite3_step(q);
  int rc = GW_OK;
  if (step == SQLITE_ROW)
    read_alert(q, out);
  else if (step == SQLITE_DONE)
    rc = GW_ENOTFOUND;
  else
    rc = fail(st, db, "reading an alert");
  sqlite3_finalize(q);
  return rc;
}

int gw_store_alert_last_sent(struct gw_store *st, int64_t site_id, int family, enum gw_alert_kind kind,
                             int64_t before, struct gw_alert_row *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 "SELECT " ALERT_COLS " FROM alerts WHERE site_id = ?1 AND family = ?2 AND kind = ?3 AND at <= ?4 "
                 "AND muted = 0 ORDER BY at DESC, id DESC LIMIT 1",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  sqlite3_bind_int(q, 2, family);
  sqlite3_bind_int(q, 3, (int)kind);
  sqlite3_bind_int64(q, 4, before);
  return alert_one(st, db, q, out);
}

int gw_store_alert_last_of(struct gw_store *st, int64_t site_id, int family, unsigned kinds, int64_t before,
                           struct gw_alert_row *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 "SELECT " ALERT_COLS " FROM alerts WHERE site_id = ?1 AND family = ?2 AND ((?3 >> kind) & 1) = 1 "
                 "AND at <= ?4 ORDER BY at DESC, id DESC LIMIT 1",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  sqlite3_bind_int(q, 2, family);
  sqlite3_bind_int64(q, 3, (sqlite3_int64)kinds);
  sqlite3_bind_int64(q, 4, before);
  return alert_one(st, db, q, out);
}

int gw_store_alert_list(struct gw_store *st, int64_t site_id, int64_t from, int64_t to, struct gw_alert_list *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  struct gw_alert_list l = {0};
  int rc = db_of(st, false, &db);
  if (rc != GW_OK)
    return rc;
  if ((rc = prep(st, db,
                 "SELECT " ALERT_COLS " FROM alerts WHERE at >= ?2 AND at < ?3 AND (?1 = 0 OR site_id = ?1) "
                 "ORDER BY at, id",
                 &q)) != GW_OK)
    return rc;
  sqlite3_bind_int64(q, 1, site_id);
  sqlite3_bind_int64(q, 2, from);
  sqlite3_bind_int64(q, 3, to);
  void *v = NULL;
  rc = gw_sq_collect(st, db, q, "listing alerts", sizeof *l.v, read_alert, &v, &l.n);
  l.v = v;
  if (rc != GW_OK)
    gw_alert_list_free(&l);
  else
    *out = l;
  sqlite3_finalize(q);
  return rc;
}
