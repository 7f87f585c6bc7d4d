/* IPv6 support: the assessment and the check ipv6.support (ipv6.h). The
 * Chinese wording users read is in the labels and format strings here. */
#include "checks/ipv6.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/map.h"

void gw_ipv6_opts_default(struct gw_ipv6_opts *o)
{
  memset(o, 0, sizeof *o);
  o->sample_level2 = GW_IPV6_SAMPLE;
  o->sample_level3 = GW_IPV6_SAMPLE;
  o->min_ratio = GW_IPV6_MIN_RATIO;
  o->min_similar = GW_IPV6_MIN_SIMILAR;
}

static const struct {
  const char *key, *label;
} g_degree[] = {
  [GW_IPV6_UNKNOWN] = {"unknown", "无法判断"},
  [GW_IPV6_NONE] = {"none", "不支持"},
  [GW_IPV6_PARTIAL] = {"partial", "部分支持"},
  [GW_IPV6_FULL] = {"full", "支持"},
};

const char *gw_ipv6_degree_key(enum gw_ipv6_degree d)
{
  return (int)d >= 0 && d <= GW_IPV6_FULL ? g_degree[d].key : "?";
}

const char *gw_ipv6_degree_label(enum gw_ipv6_degree d)
{
  return (int)d >= 0 && d <= GW_IPV6_FULL ? g_degree[d].label : "?";
}

double gw_ipv6_text_similarity(const char *a, size_t alen, const char *b, size_t blen)
{
  size_t longer = alen > blen ? alen : blen;
  if (longer == 0)
    return 1.0;
  size_t shorter = alen < blen ? alen : blen;
  size_t head = 0;
  while (head < shorter && a[head] == b[head])
    head++;
  size_t tail = 0;
  while (tail < shorter - head && a[alen - 1 - tail] == b[blen - 1 - tail])
    tail++;
  return (double)(head + tail) / (double)longer;
}

/* ---- probes ---- */

struct answer {
  int status;
  enum gw_fetch_error error;
  char *error_text;
  char *ip;
  struct gw_page *page; /* parsed when the answer is 2xx HTML */
};

static void answer_clear(struct answer *a)
{
  free(a->error_text);
  free(a->ip);
  gw_page_free(&a->page);
  memset(a, 0, sizeof *a);
}

static bool good(int status, enum gw_fetch_error e)
{
  return status >= 200 && status <= 299 && (e == GW_FE_NONE || e == GW_FE_TOO_LARGE);
}

static int ask(struct gw_check_ctx *ctx, const char *url, int ipv, bool head, bool parse, struct answer *out)
{
  struct gw_probe_req req;
  memset(&req, 0, sizeof req);
  req.url = url;
  req.ip_version = ipv;
  req.head = head;
  struct gw_probe_result r;
  int rc = gw_check_probe(ctx, &req, &r);
  if (rc != GW_OK)
    return rc;
  memset(out, 0, sizeof *out);
  out->status = r.status;
  out->error = r.error;
  out->error_text = r.error_text ? gw_strdup(r.error_text) : NULL;
  out->ip = r.ip ? gw_strdup(r.ip) : NULL;
  if (parse && good(r.status, r.error) && r.body_len) {
    struct gw_page_input in;
    memset(&in, 0, sizeof in);
    in.url = r.final_url ? r.final_url : r.url;
    in.data = r.body;
    in.len = r.body_len;
    in.content_type = r.content_type;
    in.as_of = ctx->as_of;
    if (gw_page_parse(&out->page, &in) != GW_OK)
      out->page = NULL; /* an unparseable answer is compared as "no page" */
  }
  gw_probe_result_clear(&r);
  return GW_OK;
}

/* The distinct <a>/<area> targets of a page. */
static void link_set(const struct gw_page *p, struct gw_map *m)
{
  for (size_t i = 0; i < p->n_links; i++)
    if (p->links[i].kind == GW_LINK_A || p->links[i].kind == GW_LINK_AREA)
      gw_map_put(m, p->links[i].url, NULL);
}

static double jaccard(const struct gw_map *a, const struct gw_map *b)
{
  size_t both = 0;
  for (size_t i = 0; i < a->cap; i++)
    if (a->slots[i].key && gw_map_has(b, a->slots[i].key))
      both++;
  size_t uni = a->n + b->n - both;
  return uni ? (double)both / (double)uni : 1.0;
}

static void compare(struct gw_ipv6_report *r, const struct gw_page *p4, const struct gw_page *p6, double min)
{
  r->compared = true;
  r->same_title = strcmp(p4->title, p6->title) == 0;
  r->text_similarity = gw_ipv6_text_similarity(p4->text, p4->text_len, p6->text, p6->text_len);
  struct gw_map m4 = GW_MAP_INIT, m6 = GW_MAP_INIT;
  link_set(p4, &m4);
  link_set(p6, &m6);
  r->link_overlap = jaccard(&m4, &m6);
  gw_map_free(&m4);
  gw_map_free(&m6);
  r->consistent = r->same_title && r->text_similarity >= min && r->link_overlap >= min;
}

/* ---- the crawl's internal pages by level ---- */

struct levels {
  char **l2, **l3;
  size_t n2, n3, cap2, cap3;
};

static void push(char ***v, size_t *n, size_t *cap, const char *s)
{
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 64;
    *v = gw_reallocarray(*v, *cap, sizeof **v);
  }
  (*v)[(*n)++] = gw_strdup(s);
}

static int level_row(void *ctx, const struct gw_crawl_url *u)
{
  struct levels *l = ctx;
  if (u->kind != GW_URL_PAGE || !u->internal || u->http_status < 200 || u->http_status > 299)
    return 0;
  if (u->depth == 1)
    push(&l->l2, &l->n2, &l->cap2, u->url);
  else if (u->depth == 2)
    push(&l->l3, &l->n3, &l->cap3, u->url);
  return 0;
}

static void levels_free(struct levels *l)
{
  for (size_t i = 0; i < l->n2; i++)
    free(l->l2[i]);
  for (size_t i = 0; i < l->n3; i++)
    free(l->l3[i]);
  free(l->l2);
  free(l->l3);
  memset(l, 0, sizeof *l);
}

static int probe_level(struct gw_check_ctx *ctx, char **urls, size_t n, size_t sample, struct gw_ipv6_level *lv)
{
  lv->candidates = n;
  lv->failures = json_array();
  size_t take = n < sample ? n : sample;
  for (size_t i = 0; i < take; i++) {
    const char *url = urls[i * n / take];
    struct answer a;
    int rc = ask(ctx, url, 6, true, false, &a);
    if (rc != GW_OK)
      return rc;
    lv->probed++;
    if (good(a.status, a.error)) {
      lv->ok++;
    } else {
      json_t *f = json_object();
      json_object_set_new(f, "url", json_string(url));
      json_object_set_new(f, "status", a.status ? json_integer(a.status) : json_null());
      json_object_set_new(f, "error", a.error ? json_string(gw_fetch_error_key(a.error)) : json_null());
      json_object_set_new(f, "error_text", a.error_text ? json_string(a.error_text) : json_null());
      json_array_append_new(lv->failures, f);
    }
    answer_clear(&a);
  }
  return GW_OK;
}

static bool level_fine(const struct gw_ipv6_level *lv, double min)
{
  return lv->probed == 0 || (double)lv->ok >= min * (double)lv->probed;
}

int gw_ipv6_assess(struct gw_check_ctx *ctx, const struct gw_ipv6_opts *opts, struct gw_ipv6_report *out)
{
  struct gw_ipv6_opts o;
  gw_ipv6_opts_default(&o);
  if (opts) {
    if (opts->sample_level2)
      o.sample_level2 = opts->sample_level2;
    if (opts->sample_level3)
      o.sample_level3 = opts->sample_level3;
    if (opts->min_ratio > 0)
      o.min_ratio = opts->min_ratio;
    if (opts->min_similar > 0)
      o.min_similar = opts->min_similar;
  }
  if (!ctx->probe)
    return gw_err_set(GW_ENOTFOUND, "ipv6.support: probing is off, IPv6 support cannot be measured");
  if (!ctx->site || gw_str_empty(ctx->site->url))
    return gw_err_set(GW_EINVAL, "ipv6.support: the site has no homepage URL");
  struct gw_ipv6_report r;
  memset(&r, 0, sizeof r);
  struct answer a4, a6;
  memset(&a4, 0, sizeof a4);
  memset(&a6, 0, sizeof a6);
  struct levels lv;
  memset(&lv, 0, sizeof lv);
  r.homepage = gw_strdup(ctx->site->url);
  int rc = ask(ctx, r.homepage, 4, false, true, &a4);
  if (rc == GW_OK)
    rc = ask(ctx, r.homepage, 6, false, true, &a6);
  if (rc != GW_OK)
    goto fail;
  r.v4_status = a4.status;
  r.v4_error = a4.error;
  r.v4_error_text = a4.error_text ? gw_strdup(a4.error_text) : NULL;
  r.v4_ok = good(a4.status, a4.error);
  r.v6_status = a6.status;
  r.v6_error = a6.error;
  r.v6_error_text = a6.error_text ? gw_strdup(a6.error_text) : NULL;
  r.v6_ip = a6.ip ? gw_strdup(a6.ip) : NULL;
  r.v6_ok = good(a6.status, a6.error);
  /* a probe forced to IPv6 that fails to resolve found no IPv6 address */
  r.aaaa = a6.error != GW_FE_DNS;
  if (r.v4_ok && r.v6_ok && a4.page && a6.page)
    compare(&r, a4.page, a6.page, o.min_similar);
  else if (r.v6_ok && !r.v4_ok)
    r.consistent = true; /* nothing to compare with: IPv6 is the only way in */
  if (r.v6_ok && ctx->view) {
    rc = gw_check_view_urls(ctx->view, GW_URL_DONE, level_row, &lv);
    if (rc == GW_OK)
      rc = probe_level(ctx, lv.l2, lv.n2, o.sample_level2, &r.level2);
    if (rc == GW_OK)
      rc = probe_level(ctx, lv.l3, lv.n3, o.sample_level3, &r.level3);
    if (rc != GW_OK)
      goto fail;
  }
  if (!r.v4_ok && !r.v6_ok && r.aaaa)
    r.degree = GW_IPV6_UNKNOWN; /* the site is down, not an IPv6 matter */
  else if (!r.aaaa || !r.v6_ok)
    r.degree = GW_IPV6_NONE;
  else if (r.consistent && level_fine(&r.level2, o.min_ratio) && level_fine(&r.level3, o.min_ratio))
    r.degree = GW_IPV6_FULL;
  else
    r.degree = GW_IPV6_PARTIAL;
  answer_clear(&a4);
  answer_clear(&a6);
  levels_free(&lv);
  *out = r;
  return GW_OK;
fail:
  answer_clear(&a4);
  answer_clear(&a6);
  levels_free(&lv);
  gw_ipv6_report_clear(&r);
  return rc;
}

void gw_ipv6_report_clear(struct gw_ipv6_report *r)
{
  free(r->homepage);
  free(r->v4_error_text);
  free(r->v6_error_text);
  free(r->v6_ip);
  json_decref(r->level2.failures);
  json_decref(r->level3.failures);
  memset(r, 0, sizeof *r);
}

static double round3(double x)
{
  return (double)(long)(x * 1000 + 0.5) / 1000;
}

static json_t *level_json(const struct gw_ipv6_level *lv)
{
  json_t *j = json_object();
  json_object_set_new(j, "candidates", json_integer((json_int_t)lv->candidates));
  json_object_set_new(j, "probed", json_integer((json_int_t)lv->probed));
  json_object_set_new(j, "ok", json_integer((json_int_t)lv->ok));
  json_object_set_new(j, "ratio", lv->probed ? json_real(round3((double)lv->ok / (double)lv->probed)) : json_null());
  json_object_set_new(j, "failures", lv->failures ? json_incref(lv->failures) : json_array());
  return j;
}

static json_t *jstr(const char *s)
{
  return s ? json_string(s) : json_null();
}

json_t *gw_ipv6_report_json(const struct gw_ipv6_report *r, const struct gw_ipv6_opts *o)
{
  json_t *j = json_object();
  json_object_set_new(j, "homepage", jstr(r->homepage));
  json_object_set_new(j, "degree", json_string(gw_ipv6_degree_key(r->degree)));
  json_object_set_new(j, "degree_label", json_string(gw_ipv6_degree_label(r->degree)));
  json_object_set_new(j, "aaaa", json_boolean(r->aaaa));
  json_t *h = json_object();
  json_object_set_new(h, "v4_status", r->v4_status ? json_integer(r->v4_status) : json_null());
  json_object_set_new(h, "v4_error", r->v4_error ? json_string(gw_fetch_error_key(r->v4_error)) : json_null());
  json_object_set_new(h, "v4_error_text", jstr(r->v4_error_text));
  json_object_set_new(h, "v6_status", r->v6_status ? json_integer(r->v6_status) : json_null());
  json_object_set_new(h, "v6_error", r->v6_error ? json_string(gw_fetch_error_key(r->v6_error)) : json_null());
  json_object_set_new(h, "v6_error_text", jstr(r->v6_error_text));
  json_object_set_new(h, "v6_ip", jstr(r->v6_ip));
  json_object_set_new(h, "v4_ok", json_boolean(r->v4_ok));
  json_object_set_new(h, "v6_ok", json_boolean(r->v6_ok));
  json_object_set_new(j, "homepage_access", h);
  json_t *c = json_object();
  json_object_set_new(c, "compared", json_boolean(r->compared));
  json_object_set_new(c, "same_title", r->compared ? json_boolean(r->same_title) : json_null());
  json_object_set_new(c, "text_similarity", r->compared ? json_real(round3(r->text_similarity)) : json_null());
  json_object_set_new(c, "link_overlap", r->compared ? json_real(round3(r->link_overlap)) : json_null());
  json_object_set_new(c, "consistent", json_boolean(r->consistent));
  json_object_set_new(j, "content", c);
  json_object_set_new(j, "level2", level_json(&r->level2));
  json_object_set_new(j, "level3", level_json(&r->level3));
  json_t *t = json_object();
  json_object_set_new(t, "min_ratio", json_real(o ? o->min_ratio : GW_IPV6_MIN_RATIO));
  json_object_set_new(t, "min_similar", json_real(o ? o->min_similar : GW_IPV6_MIN_SIMILAR));
  json_object_set_new(t, "sample_level2", json_integer((json_int_t)(o ? o->sample_level2 : GW_IPV6_SAMPLE)));
  json_object_set_new(t, "sample_level3", json_integer((json_int_t)(o ? o->sample_level3 : GW_IPV6_SAMPLE)));
  json_object_set_new(j, "thresholds", t);
  return j;
}

/* ---- the check ---- */

static void level_text(struct gw_buf *b, const char *name, const struct gw_ipv6_level *lv)
{
  if (lv->probed)
    gw_buf_printf(b, "%s抽查 %zu 个（共 %zu 个），IPv6 可访问 %zu 个（%.0f%%）；", name, lv->probed, lv->candidates,
                  lv->ok, 100.0 * (double)lv->ok / (double)lv->probed);
  else
    gw_buf_printf(b, "%s：%s；", name, lv->candidates ? "未检测" : "爬取结果中没有");
}

static int ipv6_support_run(struct gw_check_ctx *ctx)
{
  if (!ctx->probe)
    return GW_OK; /* probing is off: nothing is measured, nothing is claimed */
  struct gw_ipv6_opts o;
  gw_ipv6_opts_default(&o);
  struct gw_ipv6_report r;
  int rc = gw_ipv6_assess(ctx, &o, &r);
  if (rc != GW_OK)
    return rc;
  if (r.degree == GW_IPV6_FULL || r.degree == GW_IPV6_UNKNOWN) {
    gw_ipv6_report_clear(&r);
    return GW_OK;
  }
  struct gw_buf d = GW_BUF_INIT;
  gw_buf_printf(&d, "IPv6 支持度：%s。", gw_ipv6_degree_label(r.degree));
  gw_buf_printf(&d, "AAAA 记录（IPv6 地址）：%s；", r.aaaa ? "有" : "无");
  if (r.v6_ok)
    gw_buf_printf(&d, "首页 IPv6 访问：正常（HTTP %d）；", r.v6_status);
  else if (r.v6_status)
    gw_buf_printf(&d, "首页 IPv6 访问：失败（HTTP %d）；", r.v6_status);
  else
    gw_buf_printf(&d, "首页 IPv6 访问：失败（%s）；", r.v6_error ? gw_fetch_error_key(r.v6_error) : "无应答");
  if (r.compared)
    gw_buf_printf(&d, "IPv4 与 IPv6 首页内容%s（标题%s，文本相似度 %.2f，链接重合度 %.2f）；",
                  r.consistent ? "一致" : "不一致", r.same_title ? "相同" : "不同", r.text_similarity, r.link_overlap);
  if (r.v6_ok) {
    level_text(&d, "二级页面", &r.level2);
    level_text(&d, "三级页面", &r.level3);
  }
  if (d.len >= 3 && strcmp(d.data + d.len - 3, "；") == 0) {
    d.len -= 3;
    d.data[d.len] = '\0';
  }
  gw_buf_printf(&d, "。判定条件：有 IPv6 地址、首页可经 IPv6 访问、内容一致，二、三级页面 IPv6 可访问比例不低于 %.0f%%。",
                o.min_ratio * 100);
  json_t *obs = gw_ipv6_report_json(&r, &o);
  char *obs_text = json_dumps(obs, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(obs);
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)GW_RULE_IPV6_UNSUPPORTED;
  f.severity = GW_SEV_DEDUCT;
  f.key = (char *)"ipv6";
  f.url = r.homepage;
  f.locator = (char *)"网站首页及二、三级页面";
  f.title = (char *)(r.degree == GW_IPV6_NONE ? "网站不支持IPv6访问" : "网站IPv6支持不完整");
  f.detail = (char *)gw_buf_cstr(&d);
  f.observed_json = obs_text;
  rc = gw_check_emit(ctx, &f);
  free(obs_text);
  gw_buf_free(&d);
  gw_ipv6_report_clear(&r);
  return rc;
}

static const char *const g_rules[] = {GW_RULE_IPV6_UNSUPPORTED, NULL};

const struct gw_check gw_check_ipv6_support = {
  .id = "ipv6.support",
  .title = "IPv6支持",
  .summary = "IPv6 address, homepage over IPv6, the same content as over IPv4, and the share of second- and "
             "third-level pages answering over IPv6",
  .rules = g_rules,
  .needs = GW_CHECK_NEEDS_CRAWL | GW_CHECK_NEEDS_PROBE,
  .run = ipv6_support_run,
};
