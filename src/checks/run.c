/* The check runner, the crawl view and the context helpers (check.h).
 *
 * The runner is the only part of the check stage that writes: it opens the
 * view of the crawl, runs each chosen check with a collector behind
 * ctx->emit, and hands each check's findings to the store in one
 * transaction (gw_store_findings_replace), so a check that fails half way
 * leaves its previous findings as they were. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/map.h"
#include "store/baseline_store.h"

/* ---- the view ---- */

struct view_page {
  int64_t id;             /* 0 = free slot */
  struct gw_page *page;
  uint64_t used;          /* the view's clock at the last request */
};

struct gw_check_view {
  struct gw_store *st;
  struct gw_crawl crawl;
  int64_t as_of;
  struct view_page cache[GW_CHECK_PAGE_CACHE];
  uint64_t clock;
};

int gw_check_view_open(struct gw_check_view **out, struct gw_store *st, int64_t crawl_id, int64_t as_of)
{
  if (!out || !st)
    return gw_err_set(GW_EINVAL, "gw_check_view_open: missing argument");
  struct gw_crawl c = {0};
  int rc = gw_store_crawl_get(st, crawl_id, &c);
  if (rc != GW_OK)
    return rc;
  struct gw_check_view *v = gw_calloc(1, sizeof *v);
  v->st = st;
  v->crawl = c;
  v->as_of = as_of ? as_of : c.as_of;
  *out = v;
  return GW_OK;
}

void gw_check_view_free(struct gw_check_view **v)
{
  if (!v || !*v)
    return;
  for (size_t i = 0; i < GW_CHECK_PAGE_CACHE; i++)
    gw_page_free(&(*v)->cache[i].page);
  gw_crawl_clear(&(*v)->crawl);
  free(*v);
  *v = NULL;
}

const struct gw_crawl *gw_check_view_crawl(const struct gw_check_view *v)
{
  return &v->crawl;
}

int64_t gw_check_view_as_of(const struct gw_check_view *v)
{
  return v->as_of;
}

struct gw_store *gw_check_view_store(struct gw_check_view *v)
{
  return v->st;
}

int gw_check_view_stats(struct gw_check_view *v, struct gw_crawl_stats *out)
{
  return gw_store_crawl_stats(v->st, v->crawl.id, out);
}

int gw_check_view_urls(struct gw_check_view *v, enum gw_url_state state, gw_crawl_url_fn fn, void *ctx)
{
  return gw_store_crawl_url_each(v->st, v->crawl.id, state, fn, ctx);
}

int gw_check_view_links(struct gw_check_view *v, int64_t from_id, int64_t to_id, gw_link_fn fn, void *ctx)
{
  if (from_id < 0 || to_id < 0 || (from_id && to_id))
    return gw_err_set(GW_EINVAL, "crawl %lld: links of one source page or one target, not both",
                      (long long)v->crawl.id);
  if (from_id)
    return gw_store_link_each(v->st, 0, from_id, 0, fn, ctx);
  if (to_id)
    return gw_store_link_each(v->st, 0, 0, to_id, fn, ctx);
  return gw_store_link_each(v->st, v->crawl.id, 0, 0, fn, ctx);
}

/* A row read from the store belongs to this view's crawl, or is not found. */
static int own_row(struct gw_check_view *v, int rc, struct gw_crawl_url *u, const char *what)
{
  if (rc != GW_OK)
    return rc;
  if (u->crawl_id != v->crawl.id) {
    rc = gw_err_set(GW_ENOTFOUND, "crawl %lld has no URL %s (it belongs to crawl %lld)", (long long)v->crawl.id,
                    what, (long long)u->crawl_id);
    gw_crawl_url_clear(u);
  }
  return rc;
}

int gw_check_view_url(struct gw_check_view *v, int64_t id, struct gw_crawl_url *out)
{
  struct gw_crawl_url u = {0};
  char what[32];
  snprintf(what, sizeof what, "%lld", (long long)id);
  int rc = own_row(v, gw_store_crawl_url_get(v->st, id, &u), &u, what);
  if (rc == GW_OK)
    *out = u;
  return rc;
}

int gw_check_view_url_find(struct gw_check_view *v, const char *url, struct gw_crawl_url *out)
{
  return gw_store_crawl_url_find(v->st, v->crawl.id, url, out);
}

int gw_check_view_body(struct gw_check_view *v, int64_t id, char **data, size_t *len)
{
  struct gw_crawl_url u = {0};
  int rc = gw_check_view_url(v, id, &u);
  if (rc != GW_OK)
    return rc;
  if (!u.body_id)
    rc = gw_err_set(GW_ENOTFOUND, "%s: no body was kept in crawl %lld", u.url, (long long)v->crawl.id);
  else
    rc = gw_store_body_get(v->st, u.body_id, data, len);
  gw_crawl_url_clear(&u);
  return rc;
}

int gw_check_view_page(struct gw_check_view *v, int64_t id, const struct gw_page **out)
{
  v->clock++;
  struct view_page *slot = NULL; /* where a new page goes: a free slot, else the least recently used */
  for (size_t i = 0; i < GW_CHECK_PAGE_CACHE; i++) {
    struct view_page *c = &v->cache[i];
    if (c->page && c->id == id) {
      c->used = v->clock;
      *out = c->page;
      return GW_OK;
    }
    if (!slot || (slot->page && (!c->page || c->used < slot->used)))
      slot = c;
  }
  struct gw_crawl_url u = {0};
  char *data = NULL;
  size_t len = 0;
  struct gw_page *p = NULL;
  int rc = gw_check_view_url(v, id, &u);
  if (rc != GW_OK)
    return rc;
  if (!u.body_id) {
    rc = gw_err_set(GW_ENOTFOUND, "%s: no body was kept in crawl %lld", u.url, (long long)v->crawl.id);
    goto done;
  }
  if ((rc = gw_store_body_get(v->st, u.body_id, &data, &len)) != GW_OK)
    goto done;
  struct gw_page_input in;
  memset(&in, 0, sizeof in);
  in.url = u.final_url ? u.final_url : u.url;
  in.data = data;
  in.len = len;
  in.content_type = u.content_type;
  in.as_of = v->as_of;
  in.max_bytes = len > GW_PAGE_MAX_BYTES ? len : 0;
  if ((rc = gw_page_parse(&p, &in)) != GW_OK) {
    gw_err_prefix(rc, "%s", u.url);
    goto done;
  }
  gw_page_free(&slot->page);
  slot->page = p;
  slot->id = id;
  slot->used = v->clock;
  *out = p;
done:
  free(data);
  gw_crawl_url_clear(&u);
  return rc;
}

/* ---- the context ---- */

static bool has_rule(const struct gw_check *c, const char *rule)
{
  for (const char *const *r = c->rules; r && *r; r++)
    if (strcmp(*r, rule) == 0)
      return true;
  return false;
}

int gw_check_emit(struct gw_check_ctx *ctx, const struct gw_finding *f)
{
  const struct gw_check *c = ctx->check;
  struct gw_finding g = *f;
  if (!g.check)
    g.check = c->id;
  if (strcmp(g.check, c->id) != 0)
    return gw_err_set(GW_EINVAL, "check %s: a finding names another check (%s)", c->id, g.check);
  if (gw_str_empty(g.key))
    return gw_err_set(GW_EINVAL, "check %s: a finding without a key", c->id);
  if (gw_str_empty(g.title))
    return gw_err_set(GW_EINVAL, "check %s, finding %s: no title", c->id, g.key);
  if (gw_str_empty(g.rule) || !has_rule(c, g.rule))
    return gw_err_set(GW_EINVAL, "check %s, finding %s: rule '%s' is not one of the check's rules", c->id, g.key,
                      g.rule ? g.rule : "");
  if (g.severity < GW_SEV_VETO || g.severity > GW_SEV_INFO)
    return gw_err_set(GW_EINVAL, "check %s, finding %s: invalid severity %d", c->id, g.key, (int)g.severity);
  if (!g.site_id && !g.account_id && ctx->site)
    g.site_id = ctx->site->id;
  if (!g.crawl_id && ctx->view)
    g.crawl_id = ctx->view->crawl.id;
  if (!g.observed_at)
    g.observed_at = ctx->as_of;
  if (!ctx->emit)
    return gw_err_set(GW_EINVAL, "check %s: no collector for findings", c->id);
  return ctx->emit(ctx->emit_ctx, &g);
}

int gw_check_probe(struct gw_check_ctx *ctx, const struct gw_probe_req *req, struct gw_probe_result *out)
{
  if (!ctx->probe)
    return gw_err_set(GW_ENOTFOUND, "check %s: probing is off; %s was not fetched", ctx->check->id,
                      req && req->url ? req->url : "the URL");
  return ctx->probe(ctx->probe_ctx, req, out);
}

int gw_check_baseline_get(struct gw_check_ctx *ctx, const char *kind, struct gw_baseline *out)
{
  if (!ctx || !ctx->view || !ctx->site)
    return gw_err_set(GW_EINVAL, "baseline: the check has no crawl view");
  return gw_store_baseline_get(ctx->view->st, ctx->site->id, kind, out);
}

int gw_check_baseline_put(struct gw_check_ctx *ctx, const struct gw_baseline *b)
{
  if (!ctx || !ctx->view || !ctx->site)
    return gw_err_set(GW_EINVAL, "baseline: the check has no crawl view");
  return gw_store_baseline_put(ctx->view->st, b);
}

int gw_check_probe_network(void *pctx, const struct gw_probe_req *req, struct gw_probe_result *out)
{
  return gw_probe_fetch(pctx, req, out);
}

/* ---- the registry's ids ---- */

static void known_ids(struct gw_buf *b)
{
  for (size_t i = 0; i < gw_check_count(); i++)
    gw_buf_printf(b, "%s%s", i ? ", " : "", gw_check_at(i)->id);
}

int gw_check_parse_ids(const char *list, struct gw_strv *out)
{
  if (!list || !out)
    return gw_err_set(GW_EINVAL, "gw_check_parse_ids: missing argument");
  const char *p = list;
  int rc = GW_OK;
  bool any = false;
  while (rc == GW_OK) {
    size_t len = strcspn(p, ",");
    char *id = gw_strndup(p, len);
    gw_str_trim(id);
    if (*id) {
      any = true;
      if (!gw_check_find(id)) {
        struct gw_buf b = GW_BUF_INIT;
        known_ids(&b);
        rc = gw_err_set(GW_EINVAL, "unknown check '%s' (known: %s)", id, gw_buf_cstr(&b));
        gw_buf_free(&b);
      } else {
        bool dup = false;
        for (size_t i = 0; i < out->n; i++)
          dup = dup || strcmp(out->v[i], id) == 0;
        if (!dup)
          gw_strv_push(out, id);
      }
    }
    free(id);
    if (!p[len])
      break;
    p += len + 1;
  }
  if (rc == GW_OK && !any)
    rc = gw_err_set(GW_EINVAL, "no check named in '%s'", list);
  return rc;
}

/* ---- the runner ---- */

/* Findings of one check while it runs; identities are checked here so a
 * check that emits one twice fails with a clear message at once. */
struct collector {
  struct gw_finding_list list;
  struct gw_map keys;
  size_t limit;
};

/* More findings than this from one check on one site is a bug, not a site. */
#define MAX_FINDINGS_PER_CHECK 1000000u

static int collect(void *ectx, const struct gw_finding *f)
{
  struct collector *c = ectx;
  struct gw_buf id = GW_BUF_INIT;
  gw_buf_printf(&id, "%lld/%lld/%s", (long long)f->site_id, (long long)f->account_id, f->key);
  int rc = GW_OK;
  if (gw_map_has(&c->keys, gw_buf_cstr(&id)))
    rc = gw_err_set(GW_EEXIST, "check %s emitted two findings with the key '%s'", f->check, f->key);
  else if (c->list.n >= c->limit)
    rc = gw_err_set(GW_ELIMIT, "check %s emitted more than %zu findings", f->check, c->limit);
  if (rc == GW_OK) {
    gw_map_put(&c->keys, gw_buf_cstr(&id), NULL);
    gw_finding_list_push(&c->list, f);
  }
  gw_buf_free(&id);
  return rc;
}

void gw_check_run_report_clear(struct gw_check_run_report *r)
{
  for (size_t i = 0; i < r->n; i++)
    free(r->v[i].error);
  free(r->v);
  memset(r, 0, sizeof *r);
}

static bool chosen(const struct gw_check_run_opts *o, const char *id)
{
  if (!o->n_only)
    return true;
  for (size_t i = 0; i < o->n_only; i++)
    if (strcmp(o->only[i], id) == 0)
      return true;
  return false;
}

/* Pick the crawl: the one asked for (of this site, finished), else the
 * site's latest finished one. *found is false when there is none and none
 * is needed. */
static int pick_crawl(struct gw_store *st, const struct gw_site *site, const struct gw_check_run_opts *o,
                      bool needed, struct gw_crawl *out, bool *found)
{
  struct gw_crawl c = {0};
  int rc;
  *found = false;
  if (o->crawl_id) {
    if ((rc = gw_store_crawl_get(st, o->crawl_id, &c)) != GW_OK)
      return rc;
    if (c.site_id != site->id) {
      rc = gw_err_set(GW_EINVAL, "crawl %lld is a crawl of site %lld, not of %s (site %lld)", (long long)c.id,
                      (long long)c.site_id, site->name, (long long)site->id);
      gw_crawl_clear(&c);
      return rc;
    }
    if (c.state != GW_CRAWL_DONE) {
      rc = gw_err_set(GW_EINVAL, "crawl %lld of %s is not finished (%s); finish it first", (long long)c.id,
                      site->name, gw_crawl_state_key(c.state));
      gw_crawl_clear(&c);
      return rc;
    }
  } else {
    rc = gw_store_crawl_last(st, site->id, true, &c);
    if (rc == GW_ENOTFOUND) {
      if (!needed)
        return GW_OK;
      return gw_err_set(GW_ENOTFOUND, "%s (%s) has no finished crawl; crawl it first (govwatch crawl %s)",
                        site->name, site->url, site->code);
    }
    if (rc != GW_OK)
      return rc;
  }
  *out = c;
  *found = true;
  return GW_OK;
}

int gw_check_run_site(struct gw_store *st, const struct gw_site *site, const struct gw_check_run_opts *o,
                      struct gw_check_run_report *out)
{
  if (!st || !site || !o || !out)
    return gw_err_set(GW_EINVAL, "gw_check_run_site: missing argument");
  if (site->id <= 0)
    return gw_err_set(GW_EINVAL, "site '%s' is not registered", site->name ? site->name : "");
  for (size_t i = 0; i < o->n_only; i++) {
    if (!gw_check_find(o->only[i])) {
      struct gw_buf b = GW_BUF_INIT;
      known_ids(&b);
      int rc = gw_err_set(GW_EINVAL, "unknown check '%s' (known: %s)", o->only[i], gw_buf_cstr(&b));
      gw_buf_free(&b);
      return rc;
    }
  }
  bool need_crawl = false;
  size_t n_run = 0;
  for (size_t i = 0; i < gw_check_count(); i++) {
    const struct gw_check *c = gw_check_at(i);
    if (chosen(o, c->id)) {
      n_run++;
      need_crawl = need_crawl || (c->needs & GW_CHECK_NEEDS_CRAWL);
    }
  }
  struct gw_crawl crawl = {0};
  struct gw_unit unit = {0};
  struct gw_check_view *view = NULL;
  struct gw_check_run run = {0};
  struct gw_check_run_report rep;
  memset(&rep, 0, sizeof rep);
  bool have_crawl = false;
  int rc = pick_crawl(st, site, o, need_crawl, &crawl, &have_crawl);
  if (rc != GW_OK)
    return rc;
  if ((rc = gw_store_unit_get(st, site->unit_id, &unit)) != GW_OK)
    goto done;
  int64_t as_of = o->as_of ? o->as_of : have_crawl ? crawl.as_of : gw_now();
  if (have_crawl && (rc = gw_check_view_open(&view, st, crawl.id, as_of)) != GW_OK)
    goto done;
  run.site_id = site->id;
  run.crawl_id = have_crawl ? crawl.id : 0;
  run.as_of = as_of;
  if ((rc = gw_store_check_run_start(st, &run)) != GW_OK)
    goto done;
  rep.run_id = run.id;
  rep.site_id = site->id;
  rep.crawl_id = run.crawl_id;
  rep.as_of = as_of;
  rep.started_at = run.started_at;
  rep.v = gw_calloc(n_run ? n_run : 1, sizeof *rep.v);
  for (size_t i = 0; i < gw_check_count(); i++) {
    const struct gw_check *c = gw_check_at(i);
    if (!chosen(o, c->id))
      continue;
    struct gw_check_outcome *oc = &rep.v[rep.n++];
    oc->check = c;
    struct collector col;
    memset(&col, 0, sizeof col);
    col.limit = MAX_FINDINGS_PER_CHECK;
    struct gw_check_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.check = c;
    ctx.site = site;
    ctx.unit = &unit;
    ctx.as_of = as_of;
    ctx.view = (c->needs & GW_CHECK_NEEDS_CRAWL) ? view : NULL;
    ctx.probe = o->probe;
    ctx.probe_ctx = o->probe_ctx;
    ctx.config = o->config;
    ctx.emit = collect;
    ctx.emit_ctx = &col;
    int crc = c->run(&ctx);
    if (crc == GW_OK)
      crc = gw_store_findings_replace(st, run.id, c->id, col.list.v, col.list.n);
    if (crc == GW_OK) {
      oc->findings = col.list.n;
      for (size_t k = 0; k < col.list.n; k++)
        if (col.list.v[k].severity >= GW_SEV_VETO && col.list.v[k].severity <= GW_SEV_INFO)
          oc->by_severity[col.list.v[k].severity]++;
      rep.findings += col.list.n;
    } else {
      oc->rc = crc;
      oc->error = gw_strdup(gw_err_msg());
      rep.failed++;
    }
    gw_finding_list_free(&col.list);
    gw_map_free(&col.keys);
  }
  rep.finished_at = gw_now();
  if ((rc = gw_store_check_run_finish(st, run.id, rep.finished_at)) != GW_OK)
    goto done;
  *out = rep;
  memset(&rep, 0, sizeof rep);
done:
  gw_check_run_report_clear(&rep);
  gw_check_run_clear(&run);
  gw_check_view_free(&view);
  gw_unit_clear(&unit);
  gw_crawl_clear(&crawl);
  return rc;
}
