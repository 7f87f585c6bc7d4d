/* Site identity: the checks identity.footer and identity.domain
 * (identity.h). The Chinese wording users read is in the problem table and
 * the few format strings of this file. */
#include "checks/identity.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/url.h"

/* ---- pure helpers ---- */

bool gw_identity_domain_ok(const char *host)
{
  if (!host)
    return false;
  size_t n = strlen(host);
  if (n && host[n - 1] == '.')
    n--;
  static const char *const suffixes[] = {"gov.cn", "政务", "xn--zfr164b"};
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    size_t sl = strlen(suffixes[i]);
    if (n < sl || strncasecmp(host + n - sl, suffixes[i], sl) != 0)
      continue;
    if (n == sl)
      return i == 0; /* "gov.cn" itself; a bare top-level domain is no site */
    if (host[n - sl - 1] == '.')
      return true;
  }
  return false;
}

bool gw_identity_jiucuo_code(const char *url, char *buf, size_t size)
{
  if (!url || !size)
    return false;
  const char *q = strchr(url, '?');
  if (!q)
    return false;
  for (const char *p = q + 1; *p;) {
    size_t len = strcspn(p, "&#");
    const char *eq = memchr(p, '=', len);
    if (eq) {
      size_t kl = (size_t)(eq - p);
      if ((kl == 9 && strncasecmp(p, "site_code", 9) == 0) || (kl == 8 && strncasecmp(p, "sitecode", 8) == 0)) {
        size_t vl = len - kl - 1;
        if (vl == 0 || vl >= size)
          return false;
        memcpy(buf, eq + 1, vl);
        buf[vl] = '\0';
        return true;
      }
    }
    if (p[len] != '&')
      break;
    p += len + 1;
  }
  return false;
}

bool gw_identity_conac_record(const char *url)
{
  char host[256];
  return url && gw_url_host(url, host, sizeof host) && strcmp(host, "bszs.conac.cn") == 0;
}

/* ASCII case-blind substring test. */
static bool icontains(const char *hay, const char *needle)
{
  size_t m = strlen(needle);
  for (const char *p = hay; *p; p++)
    if (strncasecmp(p, needle, m) == 0)
      return true;
  return false;
}

/* ---- JSON helpers ---- */

/* A JSON string, or null; invalid UTF-8 is never stored (page strings are
 * UTF-8 already, so this only guards against a bug). */
static json_t *jstr(const char *s)
{
  if (!s)
    return json_null();
  json_t *j = json_string(s);
  return j ? j : json_string("?");
}

/* ---- identity.footer ---- */

enum problem {
  P_CONAC_MISSING = 0,
  P_CONAC_UNLINKED,
  P_CODE_MISSING,
  P_CODE_WRONG,
  P_ICP_MISSING,
  P_PSB_MISSING,
  P_JIUCUO_MISSING,
  P_JIUCUO_CODE,
  P_COUNT_
};

static const struct {
  const char *rule, *key, *title, *what;
} g_problem[P_COUNT_] = {
  [P_CONAC_MISSING] = {GW_RULE_IDENTITY_FOOTER, "conac.missing", "页面底部缺少党政机关网站标识",
                       "未发现党政机关网站标识（应为链接至 bszs.conac.cn 注册信息页的标识图片）"},
  [P_CONAC_UNLINKED] = {GW_RULE_IDENTITY_FOOTER, "conac.unlinked", "党政机关网站标识未链接到注册信息页",
                        "有党政机关网站标识，但未链接到 bszs.conac.cn 的注册信息页"},
  [P_CODE_MISSING] = {GW_RULE_IDENTITY_CODE, "code.missing", "页面底部未展示网站标识码", "未发现“网站标识码”"},
  [P_CODE_WRONG] = {GW_RULE_IDENTITY_CODE, "code.wrong", "网站标识码与登记信息不符", "展示的网站标识码与登记的不一致"},
  [P_ICP_MISSING] = {GW_RULE_IDENTITY_FOOTER, "icp.missing", "页面底部未展示ICP备案编号",
                     "未发现符合格式的ICP备案编号（如 浙ICP备05012345号-1）"},
  [P_PSB_MISSING] = {GW_RULE_IDENTITY_FOOTER, "psb.missing", "页面底部未展示公安机关备案编号",
                     "未发现符合格式的公安机关备案编号（如 浙公网安备 33112302000101号）"},
  [P_JIUCUO_MISSING] = {GW_RULE_JIUCUO_MISSING, "jiucuo.missing", "未放置“我为政府网站找错”入口",
                        "未发现“我为政府网站找错”入口"},
  [P_JIUCUO_CODE] = {GW_RULE_JIUCUO_MISSING, "jiucuo.code", "“我为政府网站找错”入口未使用本网站标识码",
                     "“我为政府网站找错”入口链接中的 site_code 不是本网站的标识码"},
};

/* One page where a problem was seen. */
struct seen {
  char *url;
  char *value; /* what the page shows instead (a wrong code), NULL when nothing */
  long line;   /* the footer's source line, 0 unknown */
};

struct tally {
  size_t pages;              /* sampled pages with the problem */
  bool homepage;             /* the homepage has it */
  struct seen ev[GW_IDENTITY_EVIDENCE_PAGES];
  size_t n_ev;
};

struct footer_scan {
  int64_t home_id;
  char *home_url;
  int64_t *ids;              /* other candidate pages, crawl order */
  size_t n_ids, cap;
};

static int footer_collect(void *ctx, const struct gw_crawl_url *u)
{
  struct footer_scan *s = ctx;
  if (u->kind != GW_URL_PAGE || !u->body_id || !u->parsed || u->http_status < 200 || u->http_status > 299)
    return 0;
  if (u->depth == 0 && !s->home_id) {
    s->home_id = u->id;
    s->home_url = gw_strdup(u->url);
    return 0;
  }
  if (!u->internal)
    return 0;
  if (s->n_ids == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 256;
    s->ids = gw_reallocarray(s->ids, s->cap, sizeof *s->ids);
  }
  s->ids[s->n_ids++] = u->id;
  return 0;
}

static void note(struct tally *t, const char *url, bool home, const char *value, long line)
{
  t->pages++;
  if (home)
    t->homepage = true;
  if (t->n_ev < GW_IDENTITY_EVIDENCE_PAGES) {
    struct seen *e = &t->ev[t->n_ev++];
    e->url = gw_strdup(url);
    e->value = value ? gw_strdup(value) : NULL;
    e->line = line;
  }
}

/* Judge one page and add what it lacks to the tallies. */
static void judge_page(const struct gw_page *p, const char *url, bool home, const char *code, struct tally *t)
{
  const struct gw_footer *f = &p->footer;
  long line = f->found ? f->line : 0;
  if (!f->has_conac) {
    note(&t[P_CONAC_MISSING], url, home, NULL, line);
  } else {
    bool linked = false;
    for (size_t i = 0; i < p->n_links && !linked; i++) {
      const struct gw_link *l = &p->links[i];
      if ((l->kind == GW_LINK_A || l->kind == GW_LINK_AREA) && !l->hidden && gw_identity_conac_record(l->url))
        linked = true;
    }
    /* a badge drawn by conac's own script links itself when the page runs */
    if (!linked && f->has_conac) {
      for (size_t i = 0; i < p->n_links && !linked; i++) {
        const struct gw_link *l = &p->links[i];
        char host[256];
        if (l->kind == GW_LINK_SCRIPT && gw_url_host(l->url, host, sizeof host) && gw_str_ends(host, "conac.cn"))
          linked = true;
      }
    }
    if (!linked)
      note(&t[P_CONAC_UNLINKED], url, home, NULL, line);
  }
  const char *meta = gw_page_meta_field(p, GW_MF_SITE_ID_CODE);
  if (!f->site_code) {
    note(&t[P_CODE_MISSING], url, home, NULL, line);
  } else if (code && strcasecmp(f->site_code, code) != 0) {
    note(&t[P_CODE_WRONG], url, home, f->site_code, line);
  } else if (code && meta && *meta && strcasecmp(meta, code) != 0) {
    struct gw_buf b = GW_BUF_INIT;
    gw_buf_printf(&b, "meta SiteIDCode %s", meta);
    note(&t[P_CODE_WRONG], url, home, gw_buf_cstr(&b), line);
    gw_buf_free(&b);
  }
  if (!f->icp)
    note(&t[P_ICP_MISSING], url, home, NULL, line);
  if (!f->psb)
    note(&t[P_PSB_MISSING], url, home, NULL, line);
  if (!f->has_jiucuo) {
    note(&t[P_JIUCUO_MISSING], url, home, NULL, line);
  } else if (code) {
    /* the entry must carry this site's code: any link of the entry with
     * the right code passes; a script-drawn entry cannot be read here */
    bool any_link = false, right = false;
    char first[64] = "";
    for (size_t i = 0; i < p->n_links && !right; i++) {
      const struct gw_link *l = &p->links[i];
      if (l->kind != GW_LINK_A && l->kind != GW_LINK_AREA)
        continue;
      if (!icontains(l->url, "jiucuo") && !icontains(l->url, "zfwzgl"))
        continue;
      any_link = true;
      char c[64];
      if (gw_identity_jiucuo_code(l->url, c, sizeof c)) {
        if (strcasecmp(c, code) == 0)
          right = true;
        else if (!*first)
          gw_strlcpy(first, c, sizeof first);
      }
    }
    if (any_link && !right)
      note(&t[P_JIUCUO_CODE], url, home, *first ? first : "（无 site_code 参数）", line);
  }
}

static void tally_clear(struct tally *t)
{
  for (size_t i = 0; i < t->n_ev; i++) {
    free(t->ev[i].url);
    free(t->ev[i].value);
  }
  memset(t, 0, sizeof *t);
}

static int footer_emit(struct gw_check_ctx *ctx, enum problem k, const struct tally *t, size_t sampled,
                       const char *home_url, const char *code)
{
  struct gw_buf detail = GW_BUF_INIT, loc = GW_BUF_INIT;
  gw_buf_printf(&detail, "抽查本网站 %zu 个页面（%s），其中 %zu 个页面%s", sampled,
                home_url ? "含首页" : "首页未能读取", t->pages, g_problem[k].what);
  if (k == P_CODE_WRONG || k == P_JIUCUO_CODE)
    gw_buf_printf(&detail, "：登记的网站标识码为 %s，页面展示为 %s", code, t->ev[0].value);
  gw_buf_puts(&detail, "。");
  if (t->homepage)
    gw_buf_puts(&detail, "首页存在此问题。");
  gw_buf_puts(&detail, "如：");
  for (size_t i = 0; i < t->n_ev; i++)
    gw_buf_printf(&detail, "%s%s", i ? "；" : "", t->ev[i].url);
  if (t->pages > t->n_ev)
    gw_buf_printf(&detail, " 等 %zu 个页面", t->pages);
  gw_buf_puts(&detail, "。");
  if (t->ev[0].line > 0)
    gw_buf_printf(&loc, "页面底部（第 %ld 行起）", t->ev[0].line);
  else
    gw_buf_puts(&loc, "页面底部");

  json_t *obs = json_object();
  json_object_set_new(obs, "problem", json_string(g_problem[k].key));
  json_object_set_new(obs, "expected", k == P_CODE_WRONG || k == P_JIUCUO_CODE || k == P_CODE_MISSING
                                           ? jstr(code)
                                           : json_string(g_problem[k].what));
  json_object_set_new(obs, "register_code", jstr(code));
  json_object_set_new(obs, "pages_sampled", json_integer((json_int_t)sampled));
  json_object_set_new(obs, "pages_affected", json_integer((json_int_t)t->pages));
  json_object_set_new(obs, "homepage_affected", json_boolean(t->homepage));
  json_t *pages = json_array();
  for (size_t i = 0; i < t->n_ev; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "url", jstr(t->ev[i].url));
    json_object_set_new(e, "seen", jstr(t->ev[i].value));
    json_object_set_new(e, "footer_line", t->ev[i].line > 0 ? json_integer(t->ev[i].line) : json_null());
    json_array_append_new(pages, e);
  }
  json_object_set_new(obs, "pages", pages);
  char *obs_text = json_dumps(obs, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(obs);

  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)g_problem[k].rule;
  f.severity = GW_SEV_DEDUCT;
  f.key = (char *)g_problem[k].key;
  f.url = (char *)(home_url ? home_url : t->ev[0].url);
  f.target = t->ev[0].value && (k == P_CODE_WRONG || k == P_JIUCUO_CODE) ? t->ev[0].value : NULL;
  f.locator = (char *)gw_buf_cstr(&loc);
  f.title = (char *)g_problem[k].title;
  f.detail = (char *)gw_buf_cstr(&detail);
  f.observed_json = obs_text;
  int rc = gw_check_emit(ctx, &f);
  free(obs_text);
  gw_buf_free(&detail);
  gw_buf_free(&loc);
  return rc;
}

static int identity_footer_run(struct gw_check_ctx *ctx)
{
  struct footer_scan s;
  memset(&s, 0, sizeof s);
  struct tally t[P_COUNT_];
  memset(t, 0, sizeof t);
  const char *code = ctx->site && !gw_str_empty(ctx->site->code) ? ctx->site->code : NULL;
  int rc = gw_check_view_urls(ctx->view, GW_URL_DONE, footer_collect, &s);
  if (rc != GW_OK)
    goto done;
  /* the homepage, then GW_IDENTITY_SAMPLE_PAGES others spread evenly */
  size_t take = s.n_ids < GW_IDENTITY_SAMPLE_PAGES ? s.n_ids : GW_IDENTITY_SAMPLE_PAGES;
  size_t sampled = 0;
  for (size_t i = 0; i <= take && rc == GW_OK; i++) {
    int64_t id;
    if (i == 0) {
      if (!s.home_id)
        continue;
      id = s.home_id;
    } else {
      id = s.ids[(i - 1) * s.n_ids / take];
    }
    const struct gw_page *p = NULL;
    rc = gw_check_view_page(ctx->view, id, &p);
    if (rc == GW_ENOTFOUND) {
      rc = GW_OK; /* no stored body after all: not judged */
      continue;
    }
    if (rc != GW_OK)
      break;
    judge_page(p, p->url, i == 0, code, t);
    sampled++;
  }
  for (int k = 0; k < P_COUNT_ && rc == GW_OK; k++)
    if (t[k].pages)
      rc = footer_emit(ctx, (enum problem)k, &t[k], sampled, s.home_url, code);
done:
  for (int k = 0; k < P_COUNT_; k++)
    tally_clear(&t[k]);
  free(s.ids);
  free(s.home_url);
  return rc;
}

static const char *const g_footer_rules[] = {GW_RULE_IDENTITY_FOOTER, GW_RULE_IDENTITY_CODE, GW_RULE_JIUCUO_MISSING,
                                             NULL};

const struct gw_check gw_check_identity_footer = {
  .id = "identity.footer",
  .title = "页面底部标识",
  .summary = "党政机关网站标识 linked to bszs.conac.cn, 网站标识码 equal to the register's, ICP and 公安备案 "
             "numbers, 我为政府网站找错 entry with the site's code, on the homepage and a page sample",
  .rules = g_footer_rules,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = identity_footer_run,
};

/* ---- identity.domain ---- */

struct domain_scan {
  size_t redirects;          /* rows whose redirects leave the government domain */
  bool homepage;             /* the homepage's own redirect does */
  json_t *ev;                /* up to GW_IDENTITY_EVIDENCE_PAGES of them */
  struct gw_buf names;       /* the same for the detail */
};

static int domain_row(void *ctx, const struct gw_crawl_url *u)
{
  struct domain_scan *d = ctx;
  bool home = u->depth == 0 && u->kind == GW_URL_PAGE;
  if ((!u->internal && !home) || u->redirects <= 0 || !u->final_url)
    return 0;
  char host[256];
  if (!gw_url_host(u->final_url, host, sizeof host) || gw_identity_domain_ok(host))
    return 0;
  d->redirects++;
  if (home)
    d->homepage = true;
  if (json_array_size(d->ev) < GW_IDENTITY_EVIDENCE_PAGES) {
    json_t *e = json_object();
    json_object_set_new(e, "url", jstr(u->url));
    json_object_set_new(e, "final_url", jstr(u->final_url));
    json_object_set_new(e, "final_host", jstr(host));
    json_object_set_new(e, "redirects", json_integer(u->redirects));
    json_error_t je;
    json_t *chain = u->redirect_chain ? json_loads(u->redirect_chain, 0, &je) : NULL;
    json_object_set_new(e, "redirect_chain", chain ? chain : json_null());
    json_object_set_new(e, "homepage", json_boolean(home));
    json_array_append_new(d->ev, e);
    gw_buf_printf(&d->names, "%s%s → %s", d->names.len ? "；" : "", u->url, u->final_url);
  }
  return 0;
}

static int domain_emit(struct gw_check_ctx *ctx, const char *key, const char *title, const char *detail,
                       const char *target, json_t *obs)
{
  char *obs_text = json_dumps(obs, JSON_COMPACT | JSON_SORT_KEYS);
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)GW_RULE_IDENTITY_DOMAIN;
  f.severity = GW_SEV_DEDUCT;
  f.key = (char *)key;
  f.url = ctx->site->url;
  f.target = (char *)target;
  f.locator = (char *)"网站域名";
  f.title = (char *)title;
  f.detail = (char *)detail;
  f.observed_json = obs_text;
  int rc = gw_check_emit(ctx, &f);
  free(obs_text);
  return rc;
}

static int identity_domain_run(struct gw_check_ctx *ctx)
{
  char host[256];
  int rc = GW_OK;
  struct gw_buf detail = GW_BUF_INIT;
  struct domain_scan d;
  memset(&d, 0, sizeof d);
  d.ev = json_array();
  if (!ctx->site || !ctx->site->url || !gw_url_host(ctx->site->url, host, sizeof host)) {
    rc = gw_err_set(GW_EINVAL, "identity.domain: site %lld: homepage URL '%s' has no host",
                    ctx->site ? (long long)ctx->site->id : 0LL, ctx->site && ctx->site->url ? ctx->site->url : "");
    goto done;
  }
  if (!gw_identity_domain_ok(host)) {
    gw_buf_printf(&detail, "网站首页 %s 的域名 %s 不以 .gov.cn 或 .政务 结尾。", ctx->site->url, host);
    json_t *obs = json_object();
    json_object_set_new(obs, "problem", json_string("suffix"));
    json_object_set_new(obs, "host", jstr(host));
    json_object_set_new(obs, "expected", json_string("*.gov.cn 或 *.政务"));
    rc = domain_emit(ctx, "suffix", "网站域名不以 .gov.cn 结尾", gw_buf_cstr(&detail), host, obs);
    json_decref(obs);
    if (rc != GW_OK)
      goto done;
  }
  rc = gw_check_view_urls(ctx->view, GW_URL_DONE, domain_row, &d);
  if (rc == GW_OK)
    rc = gw_check_view_urls(ctx->view, GW_URL_FAILED, domain_row, &d);
  if (rc != GW_OK || !d.redirects)
    goto done;
  gw_buf_reset(&detail);
  gw_buf_printf(&detail, "%s%zu 个本网站地址重定向到 .gov.cn / .政务 以外的域名。如：%s", d.homepage ? "首页及" : "",
                d.redirects, gw_buf_cstr(&d.names));
  if (d.redirects > json_array_size(d.ev))
    gw_buf_printf(&detail, " 等 %zu 个", d.redirects);
  gw_buf_puts(&detail, "。");
  json_t *obs = json_object();
  json_object_set_new(obs, "problem", json_string("redirect"));
  json_object_set_new(obs, "host", jstr(host));
  json_object_set_new(obs, "expected", json_string("重定向目标仍在 *.gov.cn 或 *.政务 内"));
  json_object_set_new(obs, "homepage_affected", json_boolean(d.homepage));
  json_object_set_new(obs, "urls_affected", json_integer((json_int_t)d.redirects));
  json_object_set_new(obs, "urls", json_incref(d.ev));
  const char *target = json_string_value(json_object_get(json_array_get(d.ev, 0), "final_url"));
  rc = domain_emit(ctx, "redirect", d.homepage ? "首页重定向到非政府网站域名" : "网站页面重定向到非政府网站域名",
                   gw_buf_cstr(&detail), target, obs);
  json_decref(obs);
done:
  json_decref(d.ev);
  gw_buf_free(&d.names);
  gw_buf_free(&detail);
  return rc;
}

static const char *const g_domain_rules[] = {GW_RULE_IDENTITY_DOMAIN, NULL};

const struct gw_check gw_check_identity_domain = {
  .id = "identity.domain",
  .title = "域名规范",
  .summary = "the homepage host ends in .gov.cn (or .政务) and no redirect of the homepage or an internal page "
             "leaves it",
  .rules = g_domain_rules,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = identity_domain_run,
};
