/* The security checks (checks/security.h): security.bad_link,
 * security.defacement, security.hidden_link.
 *
 * Each reads the parsed internal pages of the crawl (the page model knows
 * which links are hidden and why), matches anchors and URLs against
 * dict/security/keywords.txt, and groups what it finds by target so a
 * spam link injected into a template gives one finding listing its pages,
 * not one per page. security.hidden_link also fetches a sample of pages
 * twice through the check probe, as Baiduspider and as a browser, to find
 * cloaking; security.defacement compares the homepage with the site's
 * stored baseline (the first run sets it). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/security.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"
#include "store/baseline_store.h"

#define SNIPPET_MAX 300
#define DETAIL_PAGES 3
#define DIFF_SHOWN 5

static const char *const g_rules_hidden[] = {"security.hidden_link", NULL};
static const char *const g_rules_bad[] = {"security.bad_content", NULL};
static const char *const g_rules_deface[] = {"security.defacement", NULL};

/* ---- shared walking ---- */

struct page_ref {
  int64_t id;
  char *url;
  int depth;
};

struct pages {
  struct page_ref *v;
  size_t n, cap;
  int64_t home; /* id of the homepage row, 0 if none */
};

static int on_row(void *ctx, const struct gw_crawl_url *u)
{
  struct pages *p = ctx;
  if (!u->parsed || !u->internal || u->kind != GW_URL_PAGE || !u->body_id)
    return 0;
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 64;
    p->v = gw_reallocarray(p->v, p->cap, sizeof *p->v);
  }
  p->v[p->n].id = u->id;
  p->v[p->n].url = gw_strdup(u->url);
  p->v[p->n].depth = u->depth;
  p->n++;
  if (!p->home && u->depth == 0)
    p->home = u->id;
  return 0;
}

static int list_pages(struct gw_check_view *v, struct pages *out)
{
  memset(out, 0, sizeof *out);
  return gw_check_view_urls(v, GW_URL_DONE, on_row, out);
}

static void pages_free(struct pages *p)
{
  for (size_t i = 0; i < p->n; i++)
    free(p->v[i].url);
  free(p->v);
  memset(p, 0, sizeof *p);
}

static int load_dict(struct gw_security_dict **d)
{
  char dir[1024];
  return gw_security_dict_load(d, gw_security_dict_dir(dir, sizeof dir));
}

/* Source line `line` of row id's stored body, trimmed and cut, when it is
 * UTF-8; else NULL. Caller frees. */
static char *source_line(struct gw_check_view *v, int64_t id, long line)
{
  char *data = NULL;
  size_t len = 0;
  if (line <= 0 || gw_check_view_body(v, id, &data, &len) != GW_OK)
    return NULL;
  const char *p = data, *end = data + len;
  for (long n = 1; n < line && p < end; p++)
    if (*p == '\n')
      n++;
  const char *e = memchr(p, '\n', (size_t)(end - p));
  if (!e)
    e = end;
  while (p < e && (*p == ' ' || *p == '\t'))
    p++;
  size_t n = (size_t)(e - p);
  while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
    n--;
  char *r = NULL;
  if (n && gw_utf8_valid(p, n)) {
    size_t cut = n;
    if (cut > SNIPPET_MAX) {
      cut = SNIPPET_MAX;
      while (cut && ((unsigned char)p[cut] & 0xC0) == 0x80)
        cut--;
    }
    r = gw_strndup(p, cut);
  }
  free(data);
  return r;
}

/* One target found on one or more pages. */
struct hit {
  char *target;
  char *page;        /* the first page */
  char *first_url;   /* the first occurrence's URL (for a host: one of its scripts) */
  int64_t page_id;
  long line;
  enum gw_link_kind kind;
  unsigned hidden;   /* union of the hiding reasons */
  struct gw_strv anchors;
  struct gw_strv pages;
  size_t occurrences;
  const char *word;  /* the keyword (dictionary-owned), NULL if none */
  enum gw_spam_cat cat;
  char *host;
};

struct hits {
  struct hit *v;
  size_t n, cap;
};

static struct hit *hit_get(struct hits *h, const char *target)
{
  for (size_t i = 0; i < h->n; i++)
    if (strcmp(h->v[i].target, target) == 0)
      return &h->v[i];
  if (h->n == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 16;
    h->v = gw_reallocarray(h->v, h->cap, sizeof *h->v);
  }
  struct hit *x = &h->v[h->n++];
  memset(x, 0, sizeof *x);
  x->target = gw_strdup(target);
  return x;
}

static void strv_add_once(struct gw_strv *v, const char *s)
{
  for (size_t i = 0; i < v->n; i++)
    if (strcmp(v->v[i], s) == 0)
      return;
  gw_strv_push(v, s);
}

static void hit_note(struct hit *x, const struct page_ref *pr, const struct gw_link *l)
{
  if (!x->page) {
    x->page = gw_strdup(pr->url);
    x->first_url = gw_strdup(l->url);
    x->page_id = pr->id;
    x->line = l->line;
    x->kind = l->kind;
  }
  x->hidden |= l->hidden;
  if (l->text && *l->text)
    strv_add_once(&x->anchors, l->text);
  strv_add_once(&x->pages, pr->url);
  x->occurrences++;
}

static void hits_free(struct hits *h)
{
  for (size_t i = 0; i < h->n; i++) {
    free(h->v[i].target);
    free(h->v[i].page);
    free(h->v[i].first_url);
    free(h->v[i].host);
    gw_strv_free(&h->v[i].anchors);
    gw_strv_free(&h->v[i].pages);
  }
  free(h->v);
  memset(h, 0, sizeof *h);
}

static json_t *strv_json(const struct gw_strv *v, size_t max)
{
  json_t *a = json_array();
  for (size_t i = 0; i < v->n && i < max; i++)
    json_array_append_new(a, json_string(v->v[i]));
  return a;
}

static void join_quoted(struct gw_buf *b, const struct gw_strv *v, size_t max)
{
  for (size_t i = 0; i < v->n && i < max; i++)
    gw_buf_printf(b, "%s“%s”", i ? "、" : "", v->v[i]);
  if (v->n > max)
    gw_buf_printf(b, " 等 %zu 项", v->n);
}

/* Emit a finding built from a hit. */
static int emit_hit(struct gw_check_ctx *ctx, const struct hit *x, const char *rule, const char *key_prefix,
                    enum gw_severity sev, bool review, const char *title, const char *what)
{
  struct gw_buf key = GW_BUF_INIT, loc = GW_BUF_INIT, detail = GW_BUF_INIT;
  char why[256] = "";
  gw_page_hide_describe(x->hidden, why, sizeof why);
  gw_buf_printf(&key, "%s|%s", key_prefix, x->target);
  gw_buf_printf(&loc, "第 %ld 行 <%s>", x->line, gw_link_kind_name(x->kind));
  gw_buf_puts(&detail, what);
  if (x->anchors.n) {
    gw_buf_puts(&detail, "锚文本：");
    join_quoted(&detail, &x->anchors, DETAIL_PAGES);
    gw_buf_puts(&detail, "。");
  }
  if (x->hidden)
    gw_buf_printf(&detail, "隐藏方式：%s。", why);
  if (x->word)
    gw_buf_printf(&detail, "命中%s类关键词“%s”。", gw_spam_cat_label(x->cat), x->word);
  gw_buf_printf(&detail, "共 %zu 个页面 %zu 处，如 %s", x->pages.n, x->occurrences, x->page);
  for (size_t i = 1; i < x->pages.n && i < DETAIL_PAGES; i++)
    gw_buf_printf(&detail, "、%s", x->pages.v[i]);
  gw_buf_puts(&detail, "。");

  json_t *o = json_object();
  json_object_set_new(o, "target", json_string(x->target));
  json_object_set_new(o, "page", json_string(x->page));
  json_object_set_new(o, "line", json_integer(x->line));
  json_object_set_new(o, "tag", json_string(gw_link_kind_name(x->kind)));
  json_object_set_new(o, "anchors", strv_json(&x->anchors, 20));
  json_object_set_new(o, "hidden_by", x->hidden ? json_string(why) : json_null());
  json_object_set_new(o, "keyword", x->word ? json_string(x->word) : json_null());
  json_object_set_new(o, "category", x->word ? json_string(gw_spam_cat_key(x->cat)) : json_null());
  json_object_set_new(o, "pages", strv_json(&x->pages, 50));
  json_object_set_new(o, "page_count", json_integer((json_int_t)x->pages.n));
  json_object_set_new(o, "occurrences", json_integer((json_int_t)x->occurrences));
  if (x->host)
    json_object_set_new(o, "host", json_string(x->host));
  char *obs = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);

  char *snip = source_line(ctx->view, x->page_id, x->line);
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)rule;
  f.severity = sev;
  f.needs_review = review;
  f.key = (char *)gw_buf_cstr(&key);
  f.url = x->page;
  f.target = x->host ? x->first_url : x->target;
  f.locator = (char *)gw_buf_cstr(&loc);
  f.snippet = snip ? snip : (x->anchors.n ? x->anchors.v[0] : NULL);
  f.title = (char *)title;
  f.detail = (char *)gw_buf_cstr(&detail);
  f.observed_json = obs;
  int rc = gw_check_emit(ctx, &f);
  free(snip);
  free(obs);
  gw_buf_free(&key);
  gw_buf_free(&loc);
  gw_buf_free(&detail);
  return rc;
}

static void site_host(const struct gw_check_ctx *ctx, char *buf, size_t size)
{
  gw_security_url_host(ctx->site->url, buf, size);
}

/* ---- security.bad_link ---- */

static bool kind_for_bad(enum gw_link_kind k)
{
  return k == GW_LINK_A || k == GW_LINK_AREA || k == GW_LINK_IFRAME || k == GW_LINK_FRAME || k == GW_LINK_REFRESH ||
         k == GW_LINK_SCRIPT || k == GW_LINK_EMBED || k == GW_LINK_OBJECT || k == GW_LINK_FORM;
}

static int bad_link_run(struct gw_check_ctx *ctx)
{
  struct gw_security_dict *d = NULL;
  int rc = load_dict(&d);
  if (rc != GW_OK)
    return rc;
  char home_host[256];
  site_host(ctx, home_host, sizeof home_host);
  struct pages pg;
  struct hits bad = {0}, scripts = {0};
  rc = list_pages(ctx->view, &pg);
  for (size_t i = 0; i < pg.n && rc == GW_OK; i++) {
    const struct gw_page *p;
    if (gw_check_view_page(ctx->view, pg.v[i].id, &p) != GW_OK)
      continue;
    for (size_t k = 0; k < p->n_links; k++) {
      const struct gw_link *l = &p->links[k];
      if (!kind_for_bad(l->kind))
        continue;
      struct gw_spam_hit sh;
      char host[256];
      gw_security_url_host(l->url, host, sizeof host);
      /* the URL's host and path, not its query: a search link may carry any word */
      if (gw_security_match(d, l->text, l->url, &sh) && !gw_security_same_site(home_host, host)) {
        struct hit *x = hit_get(&bad, l->url);
        if (!x->word) {
          x->word = sh.word;
          x->cat = sh.cat;
        }
        hit_note(x, &pg.v[i], l);
      }
      if (l->kind == GW_LINK_SCRIPT && *host && !gw_security_same_site(home_host, host) &&
          !gw_security_script_host_allowed(d, host)) {
        struct hit *x = hit_get(&scripts, host);
        if (!x->host)
          x->host = gw_strdup(host);
        hit_note(x, &pg.v[i], l);
      }
    }
  }
  for (size_t i = 0; i < bad.n && rc == GW_OK; i++) {
    const struct hit *x = &bad.v[i];
    struct gw_buf what = GW_BUF_INIT;
    gw_buf_printf(&what, "页面%s链接指向%s类内容 %s。", x->hidden ? "隐藏" : "", gw_spam_cat_label(x->cat), x->target);
    rc = emit_hit(ctx, x, "security.bad_content", "bad", GW_SEV_VETO, false, "链接指向赌博、色情或私彩内容",
                  gw_buf_cstr(&what));
    gw_buf_free(&what);
  }
  for (size_t i = 0; i < scripts.n && rc == GW_OK; i++) {
    const struct hit *x = &scripts.v[i];
    struct gw_buf what = GW_BUF_INIT;
    gw_buf_printf(&what, "页面加载了站外主机 %s 的脚本（不在 dict/security/script-hosts.txt 允许列表中），"
                         "请核实来源，防范挂马。", x->host);
    rc = emit_hit(ctx, x, "security.bad_content", "script", GW_SEV_INFO, true, "加载未列入允许列表的站外脚本",
                  gw_buf_cstr(&what));
    gw_buf_free(&what);
  }
  hits_free(&bad);
  hits_free(&scripts);
  pages_free(&pg);
  gw_security_dict_free(&d);
  return rc;
}

const struct gw_check gw_check_security_bad_link = {
  .id = "security.bad_link",
  .title = "违规链接与站外脚本",
  .summary = "links whose anchor or URL names gambling, porn or lottery content (dict/security/keywords.txt); "
             "scripts from hosts outside the allow list",
  .rules = g_rules_bad,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = bad_link_run,
};

/* ---- security.hidden_link ---- */

static bool kind_for_hidden(enum gw_link_kind k)
{
  return k == GW_LINK_A || k == GW_LINK_AREA || k == GW_LINK_IFRAME || k == GW_LINK_FRAME;
}

/* Probe url with a User-Agent and parse the answer; NULL when it gave no
 * HTML page. */
static struct gw_page *fetch_as(struct gw_check_ctx *ctx, const char *url, const char *ua)
{
  struct gw_probe_req req;
  memset(&req, 0, sizeof req);
  req.url = url;
  req.user_agent = ua;
  struct gw_probe_result res;
  if (gw_check_probe(ctx, &req, &res) != GW_OK)
    return NULL;
  struct gw_page *p = NULL;
  if (res.error == GW_FE_NONE && res.status == 200) {
    struct gw_page_input in;
    memset(&in, 0, sizeof in);
    in.url = res.final_url ? res.final_url : res.url;
    in.data = res.body;
    in.len = res.body_len;
    in.content_type = res.content_type;
    in.as_of = ctx->as_of;
    if (gw_page_parse(&p, &in) != GW_OK)
      p = NULL;
  }
  gw_probe_result_clear(&res);
  return p;
}

static int cloak_one(struct gw_check_ctx *ctx, const struct gw_security_dict *d, const char *home_host,
                     const struct page_ref *pr)
{
  struct gw_page *crawler = fetch_as(ctx, pr->url, GW_UA_BAIDUSPIDER);
  struct gw_page *browser = crawler ? fetch_as(ctx, pr->url, GW_UA_BROWSER) : NULL;
  int rc = GW_OK;
  if (!crawler || !browser)
    goto out;
  struct gw_cloak_diff cd;
  gw_cloak_compare(d, home_host, crawler, browser, &cd);
  if (gw_cloak_alarm(&cd)) {
    bool spam = cd.crawler_only_spam.n > 0;
    struct gw_buf key = GW_BUF_INIT, detail = GW_BUF_INIT;
    gw_buf_printf(&key, "cloak|%s", pr->url);
    gw_buf_printf(&detail, "以搜索引擎爬虫（Baiduspider）身份访问与以浏览器身份访问得到的页面不同（链接变化比例 %.0f%%）。",
                  cd.link_change * 100.0);
    if (spam) {
      gw_buf_puts(&detail, "仅爬虫可见的违规关键词：");
      join_quoted(&detail, &cd.crawler_only_spam, DIFF_SHOWN);
      gw_buf_puts(&detail, "。");
    }
    if (cd.crawler_only_links.n) {
      gw_buf_printf(&detail, "仅爬虫可见的站外链接 %zu 个：", cd.crawler_only_links.n);
      join_quoted(&detail, &cd.crawler_only_links, DIFF_SHOWN);
      gw_buf_puts(&detail, "。");
    }
    gw_buf_puts(&detail, "疑为针对搜索引擎的暗链（蜘蛛劫持）。");
    json_t *o = json_object();
    json_object_set_new(o, "crawler_user_agent", json_string(GW_UA_BAIDUSPIDER));
    json_object_set_new(o, "browser_user_agent", json_string(GW_UA_BROWSER));
    json_object_set_new(o, "crawler_only_links", strv_json(&cd.crawler_only_links, 50));
    json_object_set_new(o, "crawler_only_spam", strv_json(&cd.crawler_only_spam, 50));
    json_object_set_new(o, "link_change", json_real(cd.link_change));
    json_object_set_new(o, "crawler_links", json_integer((json_int_t)crawler->n_links));
    json_object_set_new(o, "browser_links", json_integer((json_int_t)browser->n_links));
    char *obs = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    struct gw_finding f;
    memset(&f, 0, sizeof f);
    f.rule = (char *)"security.hidden_link";
    f.severity = spam ? GW_SEV_VETO : GW_SEV_DEDUCT;
    f.needs_review = !spam;
    f.key = (char *)gw_buf_cstr(&key);
    f.url = pr->url;
    f.target = cd.crawler_only_links.n ? cd.crawler_only_links.v[0] : NULL;
    f.locator = (char *)"整页（爬虫与浏览器访问对比）";
    f.snippet = cd.crawler_only_spam.n ? cd.crawler_only_spam.v[0] : NULL;
    f.title = (char *)"页面对搜索引擎爬虫显示不同内容（疑似暗链）";
    f.detail = (char *)gw_buf_cstr(&detail);
    f.observed_json = obs;
    rc = gw_check_emit(ctx, &f);
    free(obs);
    gw_buf_free(&key);
    gw_buf_free(&detail);
  }
  gw_cloak_diff_free(&cd);
out:
  gw_page_free(&crawler);
  gw_page_free(&browser);
  return rc;
}

static int hidden_link_run(struct gw_check_ctx *ctx)
{
  struct gw_security_dict *d = NULL;
  int rc = load_dict(&d);
  if (rc != GW_OK)
    return rc;
  char home_host[256];
  site_host(ctx, home_host, sizeof home_host);
  struct pages pg;
  struct hits hidden = {0}, refresh = {0};
  rc = list_pages(ctx->view, &pg);
  for (size_t i = 0; i < pg.n && rc == GW_OK; i++) {
    const struct gw_page *p;
    if (gw_check_view_page(ctx->view, pg.v[i].id, &p) != GW_OK)
      continue;
    for (size_t k = 0; k < p->n_links; k++) {
      const struct gw_link *l = &p->links[k];
      char host[256];
      gw_security_url_host(l->url, host, sizeof host);
      bool other = !gw_security_same_site(home_host, host) && !gw_security_gov_host(host);
      struct gw_spam_hit sh;
      bool spam = gw_security_match(d, l->text, l->url, &sh) && !gw_security_same_site(home_host, host);
      if (l->kind == GW_LINK_REFRESH) {
        if (other || spam) {
          struct hit *x = hit_get(&refresh, l->url);
          if (spam && !x->word) {
            x->word = sh.word;
            x->cat = sh.cat;
          }
          hit_note(x, &pg.v[i], l);
        }
        continue;
      }
      if (!l->hidden || !kind_for_hidden(l->kind) || !(other || spam))
        continue;
      struct hit *x = hit_get(&hidden, l->url);
      if (spam && !x->word) {
        x->word = sh.word;
        x->cat = sh.cat;
      }
      hit_note(x, &pg.v[i], l);
    }
  }
  for (size_t i = 0; i < hidden.n && rc == GW_OK; i++) {
    const struct hit *x = &hidden.v[i];
    struct gw_buf what = GW_BUF_INIT;
    gw_buf_printf(&what, "页面含访问者看不到的%s链接，指向%s %s。", x->kind == GW_LINK_A || x->kind == GW_LINK_AREA ? "" : "框架",
                  x->word ? "违规内容" : "站外网站", x->target);
    rc = emit_hit(ctx, x, "security.hidden_link", "hidden", GW_SEV_VETO, x->word == NULL, "页面含暗链（隐藏的站外链接）",
                  gw_buf_cstr(&what));
    gw_buf_free(&what);
  }
  for (size_t i = 0; i < refresh.n && rc == GW_OK; i++) {
    const struct hit *x = &refresh.v[i];
    struct gw_buf what = GW_BUF_INIT;
    gw_buf_printf(&what, "页面用 <meta http-equiv=refresh> 把访问者自动转到站外网站 %s。", x->target);
    rc = emit_hit(ctx, x, "security.hidden_link", "refresh", GW_SEV_VETO, x->word == NULL, "页面自动跳转到站外网站",
                  gw_buf_cstr(&what));
    gw_buf_free(&what);
  }
  /* Cloaking: the homepage and the next pages of the crawl, as a crawler and as a browser. */
  if (ctx->probe) {
    size_t done = 0;
    for (size_t i = 0; i < pg.n && rc == GW_OK; i++) {
      if (pg.v[i].id == pg.home) {
        rc = cloak_one(ctx, d, home_host, &pg.v[i]);
        done++;
      }
    }
    for (size_t i = 0; i < pg.n && done < GW_CLOAK_PAGES && rc == GW_OK; i++) {
      if (pg.v[i].id == pg.home)
        continue;
      rc = cloak_one(ctx, d, home_host, &pg.v[i]);
      done++;
    }
  }
  hits_free(&hidden);
  hits_free(&refresh);
  pages_free(&pg);
  gw_security_dict_free(&d);
  return rc;
}

const struct gw_check gw_check_security_hidden_link = {
  .id = "security.hidden_link",
  .title = "暗链",
  .summary = "hidden links to other hosts or to spam (CSS, markup, document.write), meta refresh off the site, "
             "cloaking (Baiduspider and browser fetches compared)",
  .rules = g_rules_hidden,
  .needs = GW_CHECK_NEEDS_CRAWL | GW_CHECK_NEEDS_PROBE,
  .run = hidden_link_run,
};

/* ---- security.defacement ---- */

#define BASELINE_KIND "homepage"

static int deface_run(struct gw_check_ctx *ctx)
{
  struct gw_security_dict *d = NULL;
  int rc = load_dict(&d);
  if (rc != GW_OK)
    return rc;
  struct pages pg;
  struct gw_baseline b;
  memset(&b, 0, sizeof b);
  struct gw_home_sig now, base;
  memset(&now, 0, sizeof now);
  memset(&base, 0, sizeof base);
  struct gw_home_diff df;
  memset(&df, 0, sizeof df);
  rc = list_pages(ctx->view, &pg);
  if (rc != GW_OK || !pg.home)
    goto out; /* no parsed homepage: nothing to compare (links.broken reports an unreachable one) */
  const struct gw_page *p;
  if (gw_check_view_page(ctx->view, pg.home, &p) != GW_OK)
    goto out;
  gw_home_sig_build(d, p, &now);
  rc = gw_check_baseline_get(ctx, BASELINE_KIND, &b);
  if (rc == GW_ENOTFOUND) {
    /* The first check of the site: what it shows now is the baseline. */
    struct gw_baseline nb = {0};
    nb.site_id = ctx->site->id;
    nb.kind = (char *)BASELINE_KIND;
    nb.crawl_id = gw_check_view_crawl(ctx->view)->id;
    nb.set_at = gw_now();
    nb.threshold = GW_DEFACE_THRESHOLD;
    nb.data = gw_home_sig_json(&now);
    rc = gw_check_baseline_put(ctx, &nb);
    free(nb.data);
    goto out;
  }
  if (rc != GW_OK)
    goto out;
  rc = gw_home_sig_parse(b.data, &base);
  if (rc != GW_OK) {
    rc = gw_err_prefix(rc, "site %s", ctx->site->code);
    goto out;
  }
  gw_home_diff(&base, &now, &df);
  if (gw_home_diff_alarm(&df, b.threshold)) {
    char when[32];
    gw_time_format(b.set_at, when, sizeof when);
    struct gw_buf detail = GW_BUF_INIT, key = GW_BUF_INIT;
    gw_buf_printf(&key, "homepage|%s", ctx->site->url);
    gw_buf_printf(&detail, "首页与 %s 设定的基线（抓取 #%lld）相比：文字变化 %.0f%%，链接变化 %.0f%%（阈值 %.0f%%）。",
                  when, (long long)b.crawl_id, df.text_change * 100.0, df.link_change * 100.0, b.threshold * 100.0);
    if (df.new_spam.n) {
      gw_buf_puts(&detail, "新出现违规关键词：");
      join_quoted(&detail, &df.new_spam, DIFF_SHOWN);
      gw_buf_puts(&detail, "。");
    }
    gw_buf_printf(&detail, "新增链接 %zu 个", df.added_links.n);
    if (df.added_links.n) {
      gw_buf_puts(&detail, "（");
      join_quoted(&detail, &df.added_links, DIFF_SHOWN);
      gw_buf_puts(&detail, "）");
    }
    gw_buf_printf(&detail, "，移除链接 %zu 个；新增文字 %zu 行", df.removed_links.n, df.added_lines.n);
    if (df.added_lines.n) {
      gw_buf_puts(&detail, "（");
      join_quoted(&detail, &df.added_lines, DIFF_SHOWN);
      gw_buf_puts(&detail, "）");
    }
    gw_buf_printf(&detail, "，移除文字 %zu 行。确认为正常改版后请运行 govwatch baseline %s --accept。",
                  df.removed_lines.n, ctx->site->code);
    json_t *o = json_object();
    json_object_set_new(o, "baseline_crawl_id", json_integer(b.crawl_id));
    json_object_set_new(o, "baseline_set_at", json_integer(b.set_at));
    json_object_set_new(o, "threshold", json_real(b.threshold));
    json_object_set_new(o, "text_change", json_real(df.text_change));
    json_object_set_new(o, "link_change", json_real(df.link_change));
    json_object_set_new(o, "new_spam", strv_json(&df.new_spam, 50));
    json_object_set_new(o, "added_links", strv_json(&df.added_links, 50));
    json_object_set_new(o, "removed_links", strv_json(&df.removed_links, 50));
    json_object_set_new(o, "added_lines", strv_json(&df.added_lines, 50));
    json_object_set_new(o, "removed_lines", strv_json(&df.removed_lines, 50));
    char *obs = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    struct gw_finding f;
    memset(&f, 0, sizeof f);
    f.rule = (char *)"security.defacement";
    f.severity = GW_SEV_VETO;
    f.needs_review = df.new_spam.n == 0; /* a redesign also changes much; spam words do not come with one */
    f.key = (char *)gw_buf_cstr(&key);
    f.url = ctx->site->url;
    for (size_t i = 0; i < pg.n; i++)
      if (pg.v[i].id == pg.home)
        f.url = pg.v[i].url;
    f.target = NULL;
    f.locator = (char *)"首页";
    f.snippet = df.added_lines.n ? df.added_lines.v[0] : NULL;
    f.title = (char *)(df.new_spam.n ? "首页疑被篡改（出现违规内容）" : "首页内容较基线变化过大（疑被篡改）");
    f.detail = (char *)gw_buf_cstr(&detail);
    f.observed_json = obs;
    rc = gw_check_emit(ctx, &f);
    free(obs);
    gw_buf_free(&detail);
    gw_buf_free(&key);
  }
out:
  gw_home_diff_free(&df);
  gw_home_sig_free(&now);
  gw_home_sig_free(&base);
  gw_baseline_clear(&b);
  pages_free(&pg);
  gw_security_dict_free(&d);
  return rc;
}

const struct gw_check gw_check_security_defacement = {
  .id = "security.defacement",
  .title = "首页篡改",
  .summary = "homepage text and link set against the site's baseline (the first check sets it; "
             "`govwatch baseline SITE --accept` renews it)",
  .rules = g_rules_deface,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = deface_run,
};

int gw_security_baseline_accept(struct gw_store *st, const struct gw_site *site, int64_t crawl_id, double threshold)
{
  struct gw_security_dict *d = NULL;
  struct gw_check_view *v = NULL;
  struct pages pg;
  memset(&pg, 0, sizeof pg);
  struct gw_home_sig sig;
  memset(&sig, 0, sizeof sig);
  int rc = load_dict(&d);
  if (rc != GW_OK)
    return rc;
  rc = gw_check_view_open(&v, st, crawl_id, 0);
  if (rc != GW_OK)
    goto out;
  rc = list_pages(v, &pg);
  if (rc != GW_OK)
    goto out;
  const struct gw_page *p;
  if (!pg.home || gw_check_view_page(v, pg.home, &p) != GW_OK) {
    rc = gw_err_set(GW_ENOTFOUND, "site %s: crawl #%lld has no parsed homepage to take as the baseline", site->code,
                    (long long)crawl_id);
    goto out;
  }
  gw_home_sig_build(d, p, &sig);
  if (threshold <= 0.0) {
    struct gw_baseline old;
    threshold = GW_DEFACE_THRESHOLD;
    if (gw_store_baseline_get(st, site->id, BASELINE_KIND, &old) == GW_OK) {
      threshold = old.threshold;
      gw_baseline_clear(&old);
    }
  }
  struct gw_baseline nb = {0};
  nb.site_id = site->id;
  nb.kind = (char *)BASELINE_KIND;
  nb.crawl_id = crawl_id;
  nb.set_at = gw_now();
  nb.threshold = threshold;
  nb.data = gw_home_sig_json(&sig);
  rc = gw_store_baseline_put(st, &nb);
  free(nb.data);
out:
  gw_home_sig_free(&sig);
  pages_free(&pg);
  gw_check_view_free(&v);
  gw_security_dict_free(&d);
  return rc;
}
