/* The store front: picks the engine by URI, checks what every engine would
 * check the same way, and dispatches through struct gw_store_ops. */
#include "store/store_impl.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"

int gw_store_schema_latest(void)
{
  size_t n;
  const struct gw_store_migration *m = gw_store_migrations(&n);
  return n ? m[n - 1].version : 0;
}

/* The URI as messages may show it: the password of "scheme://user:pw@host"
 * and the query string (which may carry password=...) are hidden. */
static char *redact_uri(const char *uri)
{
  struct gw_buf b = GW_BUF_INIT;
  const char *auth = strstr(uri, "://");
  if (!auth) {
    gw_buf_puts(&b, uri);
    return gw_buf_steal(&b);
  }
  auth += 3;
  gw_buf_append(&b, uri, (size_t)(auth - uri));
  size_t auth_len = strcspn(auth, "/?#");
  const char *at = memchr(auth, '@', auth_len);
  if (at) {
    const char *colon = memchr(auth, ':', (size_t)(at - auth));
    if (colon) {
      gw_buf_append(&b, auth, (size_t)(colon - auth));
      gw_buf_puts(&b, ":***");
    } else {
      gw_buf_append(&b, auth, (size_t)(at - auth));
    }
    auth = at;
  }
  size_t rest = strcspn(auth, "?#");
  gw_buf_append(&b, auth, rest);
  if (auth[rest] == '?')
    gw_buf_puts(&b, "?***");
  return gw_buf_steal(&b);
}

/* "scheme://" at the start (letters, digits, + - . after a letter)? */
static bool has_scheme(const char *uri)
{
  const char *p = uri;
  if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
    return false;
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
         *p == '+' || *p == '-' || *p == '.')
    p++;
  return strncmp(p, "://", 3) == 0;
}

int gw_store_open(struct gw_store **out, const char *uri, int flags)
{
  if (!out || !uri)
    return gw_err_set(GW_EINVAL, "store: no database given");
  if (flags & ~GW_STORE_READONLY)
    return gw_err_set(GW_EINVAL, "%s: unknown store open flags 0x%x", uri, (unsigned)flags);
  if (gw_str_starts(uri, "postgresql://") || gw_str_starts(uri, "postgres://")) {
    char *shown = redact_uri(uri);
    int rc = gw_err_set(GW_EINVAL, "%s: this build has no PostgreSQL store; use a SQLite path", shown);
    free(shown);
    return rc;
  }
  const char *path = uri;
  if (gw_str_starts(uri, "sqlite:"))
    path = uri + strlen("sqlite:");
  else if (has_scheme(uri)) {
    char *shown = redact_uri(uri);
    int rc = gw_err_set(GW_EINVAL,
                        "%s: unsupported store URI (expected a SQLite path, sqlite:PATH or postgresql://...)",
                        shown);
    free(shown);
    return rc;
  }
  if (!*path)
    return gw_err_set(GW_EINVAL, "'%s': empty database path", uri);
  return gw_store_sqlite_open(out, path, path, flags);
}

void gw_store_close(struct gw_store **st)
{
  if (!st || !*st)
    return;
  (*st)->ops->destroy(*st);
  *st = NULL;
}

/* ---- argument and record checks shared by every engine ---- */

#define CHECK_OPEN(st)                                                  \
  do {                                                                  \
    if (!(st))                                                          \
      return gw_err_set(GW_EINVAL, "store: no open store was given");   \
  } while (0)

static int check_write(struct gw_store *st, const char *what)
{
  if (st->flags & GW_STORE_READONLY)
    return gw_err_set(GW_EINVAL, "%s: the store is open read-only; cannot %s", st->label, what);
  return GW_OK;
}

static int check_arg(const void *p, const char *fn)
{
  if (!p)
    return gw_err_set(GW_EINVAL, "%s: missing argument", fn);
  return GW_OK;
}

static int check_new(int64_t id, const char *what)
{
  if (id != 0)
    return gw_err_set(GW_EINVAL, "cannot add %s that already has id %lld (use update)", what, (long long)id);
  return GW_OK;
}

static int check_id(int64_t id, const char *what)
{
  if (id <= 0)
    return gw_err_set(GW_EINVAL, "invalid %s id %lld", what, (long long)id);
  return GW_OK;
}

static int check_unit(const struct gw_unit *u)
{
  if (gw_str_empty(u->name))
    return gw_err_set(GW_EINVAL, "a unit needs a name");
  if (u->parent_id < 0)
    return gw_err_set(GW_EINVAL, "unit '%s': invalid parent id %lld", u->name, (long long)u->parent_id);
  if (u->kind < GW_UNIT_REGION || u->kind > GW_UNIT_TOWN)
    return gw_err_set(GW_EINVAL, "unit '%s': invalid kind %d", u->name, (int)u->kind);
  return GW_OK;
}

static int check_site(const struct gw_site *s)
{
  if (gw_str_empty(s->name))
    return gw_err_set(GW_EINVAL, "a site needs a name (网站名称)");
  if (gw_str_empty(s->url))
    return gw_err_set(GW_EINVAL, "site '%s': a site needs a URL", s->name);
  if (gw_str_empty(s->code))
    return gw_err_set(GW_EINVAL, "site '%s': a site needs a 网站标识码", s->name);
  if (s->unit_id <= 0)
    return gw_err_set(GW_EINVAL, "site '%s': a site needs a responsible unit (unit id %lld)", s->name,
                      (long long)s->unit_id);
  if (s->kind < GW_SITE_PORTAL || s->kind > GW_SITE_DEPARTMENT)
    return gw_err_set(GW_EINVAL, "site '%s': invalid kind %d", s->name, (int)s->kind);
  if (s->status < GW_SITE_RUNNING || s->status > GW_SITE_MIGRATED)
    return gw_err_set(GW_EINVAL, "site '%s': invalid status %d", s->name, (int)s->status);
  return GW_OK;
}

static int check_platform(enum gw_platform p)
{
  if (p < GW_PLATFORM_WECHAT_SUB || p > GW_PLATFORM_OTHER)
    return gw_err_set(GW_EINVAL, "invalid platform %d", (int)p);
  return GW_OK;
}

static int check_account(const struct gw_account *a)
{
  if (gw_str_empty(a->name))
    return gw_err_set(GW_EINVAL, "an account needs a name (账号名称)");
  if (check_platform(a->platform) != GW_OK)
    return gw_err_set(GW_EINVAL, "account '%s': invalid platform %d", a->name, (int)a->platform);
  if (a->unit_id <= 0)
    return gw_err_set(GW_EINVAL, "account '%s': an account needs a unit that runs it (unit id %lld)",
                      a->name, (long long)a->unit_id);
  if (a->status < GW_ACCOUNT_RUNNING || a->status > GW_ACCOUNT_CLOSED)
    return gw_err_set(GW_EINVAL, "account '%s': invalid status %d", a->name, (int)a->status);
  return GW_OK;
}

/* Evaluate a check and return its error, if any. */
#define TRY(expr)         \
  do {                    \
    int rc_ = (expr);     \
    if (rc_ != GW_OK)     \
      return rc_;         \
  } while (0)

/* ---- dispatch ---- */

int gw_store_schema_version(struct gw_store *st, int *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_schema_version"));
  return st->ops->schema_version(st, out);
}

int gw_store_begin(struct gw_store *st)
{
  CHECK_OPEN(st);
  return st->ops->begin(st);
}

int gw_store_commit(struct gw_store *st)
{
  CHECK_OPEN(st);
  return st->ops->commit(st);
}

int gw_store_bulk(struct gw_store *st, bool on)
{
  CHECK_OPEN(st);
  return st->ops->bulk(st, on);
}

int gw_store_rollback(struct gw_store *st)
{
  CHECK_OPEN(st);
  return st->ops->rollback(st);
}

int gw_store_unit_insert(struct gw_store *st, struct gw_unit *u)
{
  CHECK_OPEN(st);
  TRY(check_arg(u, "gw_store_unit_insert"));
  TRY(check_write(st, "add a unit"));
  TRY(check_new(u->id, "a unit"));
  TRY(check_unit(u));
  return st->ops->unit_insert(st, u);
}

int gw_store_unit_update(struct gw_store *st, struct gw_unit *u)
{
  CHECK_OPEN(st);
  TRY(check_arg(u, "gw_store_unit_update"));
  TRY(check_write(st, "change a unit"));
  TRY(check_id(u->id, "unit"));
  TRY(check_unit(u));
  if (u->parent_id == u->id)
    return gw_err_set(GW_EINVAL, "unit '%s' (id %lld) cannot be its own parent", u->name, (long long)u->id);
  return st->ops->unit_update(st, u);
}

int gw_store_unit_delete(struct gw_store *st, int64_t id)
{
  CHECK_OPEN(st);
  TRY(check_write(st, "delete a unit"));
  TRY(check_id(id, "unit"));
  return st->ops->unit_delete(st, id);
}

int gw_store_unit_get(struct gw_store *st, int64_t id, struct gw_unit *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_unit_get"));
  if (id <= 0)
    return gw_err_set(GW_ENOTFOUND, "no unit with id %lld", (long long)id);
  return st->ops->unit_get(st, id, out);
}

int gw_store_unit_find(struct gw_store *st, int64_t parent_id, const char *name, struct gw_unit *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(name, "gw_store_unit_find"));
  TRY(check_arg(out, "gw_store_unit_find"));
  if (parent_id < 0)
    return gw_err_set(GW_EINVAL, "invalid parent unit id %lld", (long long)parent_id);
  return st->ops->unit_find(st, parent_id, name, out);
}

int gw_store_unit_find_all(struct gw_store *st, const char *name, struct gw_unit_list *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(name, "gw_store_unit_find_all"));
  TRY(check_arg(out, "gw_store_unit_find_all"));
  return st->ops->unit_find_all(st, name, out);
}

int gw_store_unit_list(struct gw_store *st, struct gw_unit_list *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_unit_list"));
  return st->ops->unit_list(st, out);
}

int gw_store_site_insert(struct gw_store *st, struct gw_site *s)
{
  CHECK_OPEN(st);
  TRY(check_arg(s, "gw_store_site_insert"));
  TRY(check_write(st, "add a site"));
  TRY(check_new(s->id, "a site"));
  TRY(check_site(s));
  return st->ops->site_insert(st, s);
}

int gw_store_site_update(struct gw_store *st, struct gw_site *s)
{
  CHECK_OPEN(st);
  TRY(check_arg(s, "gw_store_site_update"));
  TRY(check_write(st, "change a site"));
  TRY(check_id(s->id, "site"));
  TRY(check_site(s));
  return st->ops->site_update(st, s);
}

int gw_store_site_delete(struct gw_store *st, int64_t id)
{
  CHECK_OPEN(st);
  TRY(check_write(st, "delete a site"));
  TRY(check_id(id, "site"));
  return st->ops->site_delete(st, id);
}

int gw_store_site_get(struct gw_store *st, int64_t id, struct gw_site *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_site_get"));
  if (id <= 0)
    return gw_err_set(GW_ENOTFOUND, "no site with id %lld", (long long)id);
  return st->ops->site_get(st, id, out);
}

int gw_store_site_get_by_code(struct gw_store *st, const char *code, struct gw_site *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(code, "gw_store_site_get_by_code"));
  TRY(check_arg(out, "gw_store_site_get_by_code"));
  return st->ops->site_get_by_code(st, code, out);
}

int gw_store_site_get_by_url(struct gw_store *st, const char *url, struct gw_site *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(url, "gw_store_site_get_by_url"));
  TRY(check_arg(out, "gw_store_site_get_by_url"));
  return st->ops->site_get_by_url(st, url, out);
}

int gw_store_site_list(struct gw_store *st, int64_t unit_id, struct gw_site_list *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_site_list"));
  if (unit_id < 0)
    return gw_err_set(GW_EINVAL, "invalid unit id %lld", (long long)unit_id);
  return st->ops->site_list(st, unit_id, out);
}

int gw_store_account_insert(struct gw_store *st, struct gw_account *a)
{
  CHECK_OPEN(st);
  TRY(check_arg(a, "gw_store_account_insert"));
  TRY(check_write(st, "add an account"));
  TRY(check_new(a->id, "an account"));
  TRY(check_account(a));
  return st->ops->account_insert(st, a);
}

int gw_store_account_update(struct gw_store *st, struct gw_account *a)
{
  CHECK_OPEN(st);
  TRY(check_arg(a, "gw_store_account_update"));
  TRY(check_write(st, "change an account"));
  TRY(check_id(a->id, "account"));
  TRY(check_account(a));
  return st->ops->account_update(st, a);
}

int gw_store_account_delete(struct gw_store *st, int64_t id)
{
  CHECK_OPEN(st);
  TRY(check_write(st, "delete an account"));
  TRY(check_id(id, "account"));
  return st->ops->account_delete(st, id);
}

int gw_store_account_get(struct gw_store *st, int64_t id, struct gw_account *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_account_get"));
  if (id <= 0)
    return gw_err_set(GW_ENOTFOUND, "no account with id %lld", (long long)id);
  return st->ops->account_get(st, id, out);
}

int gw_store_account_find(struct gw_store *st, enum gw_platform p, const char *name, struct gw_account *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(name, "gw_store_account_find"));
  TRY(check_arg(out, "gw_store_account_find"));
  TRY(check_platform(p));
  return st->ops->account_find(st, p, name, out);
}

int gw_store_account_list(struct gw_store *st, int64_t unit_id, struct gw_account_list *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_account_list"));
  if (unit_id < 0)
    return gw_err_set(GW_EINVAL, "invalid unit id %lld", (long long)unit_id);
  return st->ops->account_list(st, unit_id, out);
}

/* ---- crawls ---- */

static int check_crawl(const struct gw_crawl *c)
{
  if (c->site_id <= 0)
    return gw_err_set(GW_EINVAL, "a crawl needs a site (site id %lld)", (long long)c->site_id);
  if (c->state < GW_CRAWL_RUNNING || c->state > GW_CRAWL_INTERRUPTED)
    return gw_err_set(GW_EINVAL, "crawl of site %lld: invalid state %d", (long long)c->site_id, (int)c->state);
  if (c->runs < 1)
    return gw_err_set(GW_EINVAL, "crawl of site %lld: invalid run count %d", (long long)c->site_id, c->runs);
  if (gw_str_empty(c->options))
    return gw_err_set(GW_EINVAL, "crawl of site %lld: no options recorded", (long long)c->site_id);
  if (c->prev_id < 0)
    return gw_err_set(GW_EINVAL, "crawl of site %lld: invalid previous crawl id %lld", (long long)c->site_id,
                      (long long)c->prev_id);
  return GW_OK;
}

static int check_crawl_url(const struct gw_crawl_url *u)
{
  if (u->crawl_id <= 0)
    return gw_err_set(GW_EINVAL, "a crawl URL needs a crawl (crawl id %lld)", (long long)u->crawl_id);
  if (gw_str_empty(u->url))
    return gw_err_set(GW_EINVAL, "a crawl URL needs a URL");
  if (u->kind < GW_URL_PAGE || u->kind > GW_URL_ROBOTS)
    return gw_err_set(GW_EINVAL, "crawl URL '%s': invalid kind %d", u->url, (int)u->kind);
  if (u->state < GW_URL_QUEUED || u->state > GW_URL_SKIPPED)
    return gw_err_set(GW_EINVAL, "crawl URL '%s': invalid state %d", u->url, (int)u->state);
  if ((int)u->skip < 0 || u->skip >= GW_SKIP_COUNT_ || (u->state == GW_URL_SKIPPED) != (u->skip != GW_SKIP_NONE))
    return gw_err_set(GW_EINVAL, "crawl URL '%s': skip reason %d does not fit state %s", u->url, (int)u->skip,
                      gw_url_state_key(u->state));
  if ((int)u->error < 0 || u->error >= GW_FE_COUNT_)
    return gw_err_set(GW_EINVAL, "crawl URL '%s': invalid error kind %d", u->url, (int)u->error);
  if (u->depth < 0)
    return gw_err_set(GW_EINVAL, "crawl URL '%s': invalid depth %d", u->url, u->depth);
  if (u->ip_family != 0 && u->ip_family != 4 && u->ip_family != 6)
    return gw_err_set(GW_EINVAL, "crawl URL '%s': invalid IP family %d", u->url, u->ip_family);
  return GW_OK;
}

int gw_store_crawl_insert(struct gw_store *st, struct gw_crawl *c)
{
  CHECK_OPEN(st);
  TRY(check_arg(c, "gw_store_crawl_insert"));
  TRY(check_write(st, "add a crawl"));
  TRY(check_new(c->id, "a crawl"));
  TRY(check_crawl(c));
  return st->ops->crawl_insert(st, c);
}

int gw_store_crawl_update(struct gw_store *st, const struct gw_crawl *c)
{
  CHECK_OPEN(st);
  TRY(check_arg(c, "gw_store_crawl_update"));
  TRY(check_write(st, "change a crawl"));
  TRY(check_id(c->id, "crawl"));
  TRY(check_crawl(c));
  return st->ops->crawl_update(st, c);
}

int gw_store_crawl_get(struct gw_store *st, int64_t id, struct gw_crawl *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_crawl_get"));
  if (id <= 0)
    return gw_err_set(GW_ENOTFOUND, "no crawl with id %lld", (long long)id);
  return st->ops->crawl_get(st, id, out);
}

int gw_store_crawl_last(struct gw_store *st, int64_t site_id, bool done_only, struct gw_crawl *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_crawl_last"));
  TRY(check_id(site_id, "site"));
  return st->ops->crawl_last(st, site_id, done_only, out);
}

int gw_store_crawl_list(struct gw_store *st, int64_t site_id, struct gw_crawl_list *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_crawl_list"));
  if (site_id < 0)
    return gw_err_set(GW_EINVAL, "invalid site id %lld", (long long)site_id);
  return st->ops->crawl_list(st, site_id, out);
}

int gw_store_crawl_stats(struct gw_store *st, int64_t crawl_id, struct gw_crawl_stats *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_crawl_stats"));
  TRY(check_id(crawl_id, "crawl"));
  return st->ops->crawl_stats(st, crawl_id, out);
}

int gw_store_crawl_url_insert(struct gw_store *st, struct gw_crawl_url *u)
{
  CHECK_OPEN(st);
  TRY(check_arg(u, "gw_store_crawl_url_insert"));
  TRY(check_write(st, "add a crawl URL"));
  TRY(check_new(u->id, "a crawl URL"));
  TRY(check_crawl_url(u));
  return st->ops->crawl_url_insert(st, u);
}

int gw_store_crawl_url_result(struct gw_store *st, const struct gw_crawl_url *u)
{
  CHECK_OPEN(st);
  TRY(check_arg(u, "gw_store_crawl_url_result"));
  TRY(check_write(st, "record a fetch result"));
  TRY(check_id(u->id, "crawl URL"));
  TRY(check_crawl_url(u));
  if (u->state == GW_URL_SKIPPED)
    return gw_err_set(GW_EINVAL, "crawl URL '%s': a fetch result cannot mark it skipped", u->url);
  return st->ops->crawl_url_result(st, u);
}

int gw_store_crawl_url_skip(struct gw_store *st, int64_t id, enum gw_skip_reason reason, const char *detail)
{
  CHECK_OPEN(st);
  TRY(check_write(st, "skip a crawl URL"));
  TRY(check_id(id, "crawl URL"));
  if (reason <= GW_SKIP_NONE || reason >= GW_SKIP_COUNT_)
    return gw_err_set(GW_EINVAL, "crawl URL %lld: invalid skip reason %d", (long long)id, (int)reason);
  return st->ops->crawl_url_skip(st, id, reason, detail);
}

int gw_store_crawl_url_get(struct gw_store *st, int64_t id, struct gw_crawl_url *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_crawl_url_get"));
  if (id <= 0)
    return gw_err_set(GW_ENOTFOUND, "no crawl URL with id %lld", (long long)id);
  return st->ops->crawl_url_get(st, id, out);
}

int gw_store_crawl_url_find(struct gw_store *st, int64_t crawl_id, const char *url, struct gw_crawl_url *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(url, "gw_store_crawl_url_find"));
  TRY(check_arg(out, "gw_store_crawl_url_find"));
  TRY(check_id(crawl_id, "crawl"));
  return st->ops->crawl_url_find(st, crawl_id, url, out);
}

int gw_store_crawl_url_each(struct gw_store *st, int64_t crawl_id, enum gw_url_state state, gw_crawl_url_fn fn,
                            void *ctx)
{
  CHECK_OPEN(st);
  if (!fn)
    return gw_err_set(GW_EINVAL, "gw_store_crawl_url_each: missing argument");
  TRY(check_id(crawl_id, "crawl"));
  if ((int)state < 0 || state > GW_URL_SKIPPED)
    return gw_err_set(GW_EINVAL, "invalid crawl URL state %d", (int)state);
  return st->ops->crawl_url_each(st, crawl_id, state, fn, ctx);
}

static int check_link(const struct gw_link_row *l)
{
  TRY(check_id(l->from_id, "link source URL"));
  TRY(check_id(l->to_id, "link target URL"));
  if (l->seq < 0)
    return gw_err_set(GW_EINVAL, "link %lld/%d: invalid sequence number", (long long)l->from_id, l->seq);
  if (gw_str_empty(l->tag))
    return gw_err_set(GW_EINVAL, "link %lld/%d: no tag", (long long)l->from_id, l->seq);
  return GW_OK;
}

int gw_store_link_insert(struct gw_store *st, const struct gw_link_row *l)
{
  CHECK_OPEN(st);
  TRY(check_arg(l, "gw_store_link_insert"));
  TRY(check_write(st, "add a link"));
  TRY(check_link(l));
  return st->ops->link_insert(st, l);
}

int gw_store_link_insert_many(struct gw_store *st, const struct gw_link_row *rows, size_t n)
{
  CHECK_OPEN(st);
  if (n == 0)
    return GW_OK;
  TRY(check_arg(rows, "gw_store_link_insert_many"));
  TRY(check_write(st, "add links"));
  for (size_t i = 0; i < n; i++)
    TRY(check_link(&rows[i]));
  return st->ops->link_insert_many(st, rows, n);
}

int gw_store_link_each(struct gw_store *st, int64_t crawl_id, int64_t from_id, int64_t to_id, gw_link_fn fn,
                       void *ctx)
{
  CHECK_OPEN(st);
  if (!fn)
    return gw_err_set(GW_EINVAL, "gw_store_link_each: missing argument");
  if (crawl_id < 0 || from_id < 0 || to_id < 0 || (crawl_id > 0) + (from_id > 0) + (to_id > 0) != 1)
    return gw_err_set(GW_EINVAL, "gw_store_link_each: give exactly one of crawl, source and target id");
  return st->ops->link_each(st, crawl_id, from_id, to_id, fn, ctx);
}

int gw_store_body_put_prepared(struct gw_store *st, const struct gw_store_body *b, int64_t *id)
{
  CHECK_OPEN(st);
  TRY(check_arg(b, "gw_store_body_put_prepared"));
  TRY(check_arg(id, "gw_store_body_put_prepared"));
  TRY(check_write(st, "store a body"));
  if (!b->zdata)
    return gw_err_set(GW_EINVAL, "gw_store_body_put_prepared: the body was not prepared");
  return st->ops->body_put(st, b, id);
}

int gw_store_body_put(struct gw_store *st, const void *data, size_t len, int64_t *id)
{
  CHECK_OPEN(st);
  TRY(check_arg(id, "gw_store_body_put"));
  TRY(check_write(st, "store a body"));
  struct gw_store_body b;
  TRY(gw_store_body_prepare(data, len, &b));
  int rc = st->ops->body_put(st, &b, id);
  gw_store_body_clear(&b);
  return rc;
}

int gw_store_body_get(struct gw_store *st, int64_t id, char **data, size_t *len)
{
  CHECK_OPEN(st);
  TRY(check_arg(data, "gw_store_body_get"));
  TRY(check_arg(len, "gw_store_body_get"));
  if (id <= 0)
    return gw_err_set(GW_ENOTFOUND, "no stored body with id %lld", (long long)id);
  return st->ops->body_get(st, id, data, len);
}

/* ---- check runs and findings ---- */

static int check_finding(const struct gw_finding *f, const char *check, size_t i)
{
  if (!f->check || strcmp(f->check, check) != 0)
    return gw_err_set(GW_EINVAL, "finding %zu of check %s: it names check '%s'", i + 1, check,
                      f->check ? f->check : "(none)");
  if (gw_str_empty(f->key))
    return gw_err_set(GW_EINVAL, "finding %zu of check %s: no key", i + 1, check);
  if (gw_str_empty(f->rule))
    return gw_err_set(GW_EINVAL, "finding %zu of check %s (key %s): no rule", i + 1, check, f->key);
  if (gw_str_empty(f->title))
    return gw_err_set(GW_EINVAL, "finding %zu of check %s (key %s): no title", i + 1, check, f->key);
  if (f->severity < GW_SEV_VETO || f->severity > GW_SEV_INFO)
    return gw_err_set(GW_EINVAL, "finding %zu of check %s (key %s): invalid severity %d", i + 1, check, f->key,
                      (int)f->severity);
  if (f->site_id < 0 || f->account_id < 0 || (f->site_id > 0) == (f->account_id > 0))
    return gw_err_set(GW_EINVAL, "finding %zu of check %s (key %s): needs exactly one of a site and an account",
                      i + 1, check, f->key);
  if (f->crawl_id < 0)
    return gw_err_set(GW_EINVAL, "finding %zu of check %s (key %s): invalid crawl id %lld", i + 1, check, f->key,
                      (long long)f->crawl_id);
  return GW_OK;
}

int gw_store_check_run_start(struct gw_store *st, struct gw_check_run *r)
{
  CHECK_OPEN(st);
  TRY(check_arg(r, "gw_store_check_run_start"));
  TRY(check_write(st, "start a check run"));
  TRY(check_id(r->site_id, "site"));
  if (r->crawl_id < 0)
    return gw_err_set(GW_EINVAL, "check run of site %lld: invalid crawl id %lld", (long long)r->site_id,
                      (long long)r->crawl_id);
  return st->ops->check_run_start(st, r);
}

int gw_store_findings_replace(struct gw_store *st, int64_t run_id, const char *check, const struct gw_finding *f,
                              size_t n)
{
  CHECK_OPEN(st);
  TRY(check_arg(check, "gw_store_findings_replace"));
  TRY(check_write(st, "store findings"));
  TRY(check_id(run_id, "check run"));
  if (!*check)
    return gw_err_set(GW_EINVAL, "check run %lld: findings of a check without an id", (long long)run_id);
  if (strchr(check, ','))
    return gw_err_set(GW_EINVAL, "check run %lld: check id '%s' contains a comma", (long long)run_id, check);
  if (n && !f)
    return gw_err_set(GW_EINVAL, "gw_store_findings_replace: no findings for a count of %zu", n);
  for (size_t i = 0; i < n; i++)
    TRY(check_finding(&f[i], check, i));
  return st->ops->findings_replace(st, run_id, check, f, n);
}

int gw_store_check_run_finish(struct gw_store *st, int64_t run_id, int64_t finished_at)
{
  CHECK_OPEN(st);
  TRY(check_write(st, "finish a check run"));
  TRY(check_id(run_id, "check run"));
  return st->ops->check_run_finish(st, run_id, finished_at);
}

int gw_store_check_run_get(struct gw_store *st, int64_t id, struct gw_check_run *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_check_run_get"));
  if (id <= 0)
    return gw_err_set(GW_ENOTFOUND, "no check run with id %lld", (long long)id);
  return st->ops->check_run_get(st, id, out);
}

int gw_store_check_run_last(struct gw_store *st, int64_t site_id, struct gw_check_run *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_check_run_last"));
  TRY(check_id(site_id, "site"));
  return st->ops->check_run_last(st, site_id, out);
}

int gw_store_check_run_list(struct gw_store *st, int64_t site_id, struct gw_check_run_list *out)
{
  CHECK_OPEN(st);
  TRY(check_arg(out, "gw_store_check_run_list"));
  if (site_id < 0)
    return gw_err_set(GW_EINVAL, "invalid site id %lld", (long long)site_id);
  return st->ops->check_run_list(st, site_id, out);
}

int gw_store_finding_each(struct gw_store *st, int64_t run_id, const char *check, gw_finding_fn fn, void *ctx)
{
  CHECK_OPEN(st);
  if (!fn)
    return gw_err_set(GW_EINVAL, "gw_store_finding_each: missing argument");
  TRY(check_id(run_id, "check run"));
  return st->ops->finding_each(st, run_id, check, fn, ctx);
}
