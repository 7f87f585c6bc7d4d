/* The check search.box (search.h). The Chinese wording users read is in
 * the format strings here. */
#include "checks/search.h"

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
#include "core/utf8.h"
#include "fetch/url.h"

/* ---- pure helpers ---- */

static bool opening(uint32_t cp)
{
  static const uint32_t v[] = {' ', '\t', 0x3000, 0x3010 /* 【 */, 0x3014 /* 〔 */, '[', '(', 0xFF08 /* （ */,
                               0x300C /* 「 */, 0x201C /* “ */, '"'};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    if (cp == v[i])
      return true;
  return false;
}

size_t gw_search_word(const char *title, size_t chars, char *buf, size_t size)
{
  if (!size)
    return 0;
  buf[0] = '\0';
  if (!title)
    return 0;
  size_t len = strlen(title), i = 0, k = 0, n = 0;
  while (i < len) {
    uint32_t cp;
    size_t l = gw_utf8_decode(title + i, len - i, &cp);
    if (!l || !opening(cp))
      break;
    i += l;
  }
  while (i < len && n < chars) {
    uint32_t cp;
    size_t l = gw_utf8_decode(title + i, len - i, &cp);
    if (!l)
      break;
    if (cp == 0x2026 || strncmp(title + i, "...", 3) == 0)
      break;
    if (k + l >= size)
      break;
    memcpy(buf + k, title + i, l);
    k += l;
    i += l;
    n++;
  }
  /* no blank at the end of a query */
  while (k && buf[k - 1] == ' ') {
    k--;
    n--;
  }
  buf[k] = '\0';
  return n;
}

char *gw_search_query_url(const char *action, const char *name, const char *value)
{
  struct gw_buf b = GW_BUF_INIT;
  size_t alen = strcspn(action, "#");
  gw_buf_append(&b, action, alen);
  const char *q = memchr(action, '?', alen);
  if (!q)
    gw_buf_putc(&b, '?');
  else if (action[alen - 1] != '?' && action[alen - 1] != '&')
    gw_buf_putc(&b, '&');
  for (int part = 0; part < 2; part++) {
    const unsigned char *s = (const unsigned char *)(part ? value : name);
    for (; *s; s++) {
      if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
          *s == '_' || *s == '.' || *s == '~')
        gw_buf_putc(&b, (char)*s);
      else
        gw_buf_printf(&b, "%%%02X", *s);
    }
    if (!part)
      gw_buf_putc(&b, '=');
  }
  return gw_buf_steal(&b);
}

/* ---- the entry on the homepage ---- */

static bool says_search(const char *s)
{
  static const char *const words[] = {"search", "sousuo", "jsearch", "query", "搜索", "检索"};
  if (!s)
    return false;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    size_t m = strlen(words[i]);
    for (const char *p = s; *p; p++)
      if (strncasecmp(p, words[i], m) == 0)
        return true;
  }
  return false;
}

static bool search_name(const char *n)
{
  static const char *const names[] = {"q", "keyword", "keywords", "searchword", "word", "wd", "kw", "key", "query",
                                      "searchkey", "text"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp(n, names[i]) == 0)
      return true;
  return false;
}

/* The search form of a page, or NULL. */
static const struct gw_form *find_form(const struct gw_page *p)
{
  const struct gw_form *first = NULL;
  for (size_t i = 0; i < p->n_forms; i++) {
    const struct gw_form *f = &p->forms[i];
    if (!f->query || f->hidden)
      continue;
    if (says_search(f->action) || search_name(f->query))
      return f;
    if (!first)
      first = f;
  }
  return first;
}

/* A visible link to a search page, or NULL. */
static const struct gw_link *find_link(const struct gw_page *p)
{
  for (size_t i = 0; i < p->n_links; i++) {
    const struct gw_link *l = &p->links[i];
    if ((l->kind != GW_LINK_A && l->kind != GW_LINK_AREA) || l->hidden)
      continue;
    if (strstr(l->text, "搜索") || strstr(l->text, "检索"))
      return l;
    const char *path = strstr(l->url, "://");
    path = path ? strchr(path + 3, '/') : NULL;
    if (path && says_search(path))
      return l;
  }
  return NULL;
}

/* ---- articles the homepage links ---- */

struct article {
  char *url;
  char *title;
  int64_t pubdate;
};

static int art_cmp(const void *a, const void *b)
{
  const struct article *x = a, *y = b;
  if (x->pubdate != y->pubdate)
    return x->pubdate > y->pubdate ? -1 : 1;
  return strcmp(x->url, y->url);
}

/* Copy what is needed of the homepage's candidate links first: looking at
 * the articles rebuilds pages, and the view may then drop the homepage. */
static int collect_articles(struct gw_check_view *v, const struct gw_page *home, struct article **out, size_t *n_out)
{
  char host[256];
  if (!gw_url_host(home->url, host, sizeof host))
    return GW_OK;
  struct gw_strv urls = {0}, texts = {0};
  for (size_t i = 0; i < home->n_links && urls.n < GW_SEARCH_LINKS; i++) {
    const struct gw_link *l = &home->links[i];
    char h[256];
    if (l->kind != GW_LINK_A || l->hidden || l->in_footer || !gw_url_host(l->url, h, sizeof h) ||
        strcmp(h, host) != 0 || strlen(l->text) < 12)
      continue;
    bool dup = false;
    for (size_t k = 0; k < urls.n && !dup; k++)
      dup = strcmp(urls.v[k], l->url) == 0;
    if (dup)
      continue;
    gw_strv_push(&urls, l->url);
    gw_strv_push(&texts, l->text);
  }
  struct article *a = NULL;
  size_t n = 0;
  int rc = GW_OK;
  for (size_t i = 0; i < urls.n && rc == GW_OK; i++) {
    struct gw_crawl_url u;
    memset(&u, 0, sizeof u);
    rc = gw_check_view_url_find(v, urls.v[i], &u);
    if (rc == GW_ENOTFOUND) {
      rc = GW_OK;
      continue;
    }
    if (rc != GW_OK)
      break;
    bool ok = u.kind == GW_URL_PAGE && u.http_status >= 200 && u.http_status <= 299 && u.body_id;
    int64_t id = u.id;
    gw_crawl_url_clear(&u);
    if (!ok)
      continue;
    const struct gw_page *p = NULL;
    rc = gw_check_view_page(v, id, &p);
    if (rc == GW_ENOTFOUND) {
      rc = GW_OK;
      continue;
    }
    /* an article: dated by its meta or its 发布时间 line (a list page's
     * only date is the first date of its text, its newest item's) */
    if (rc != GW_OK || (p->pubdate_source != GW_PUBDATE_META && p->pubdate_source != GW_PUBDATE_LABEL))
      continue;
    const char *t = gw_page_meta_field(p, GW_MF_ARTICLE_TITLE);
    a = gw_reallocarray(a, n + 1, sizeof *a);
    a[n].url = gw_strdup(urls.v[i]);
    a[n].title = gw_strdup(t && *t ? t : texts.v[i]);
    a[n].pubdate = p->pubdate;
    n++;
  }
  gw_strv_free(&urls);
  gw_strv_free(&texts);
  if (rc != GW_OK) {
    for (size_t i = 0; i < n; i++) {
      free(a[i].url);
      free(a[i].title);
    }
    free(a);
    return rc;
  }
  if (n)
    qsort(a, n, sizeof *a, art_cmp);
  *out = a;
  *n_out = n;
  return GW_OK;
}

/* ---- asking the search ---- */

/* Ask for one article; *found when the answer links it. The attempt goes
 * into `tries` as evidence. */
static int try_article(struct gw_check_ctx *ctx, const struct gw_form *f, const struct article *a, json_t *tries,
                       bool *found)
{
  char word[256];
  *found = false;
  if (!gw_search_word(a->title, GW_SEARCH_WORD_CHARS, word, sizeof word))
    return GW_OK;
  char *url = gw_search_query_url(f->action, f->query, word);
  struct gw_probe_req req;
  memset(&req, 0, sizeof req);
  req.url = url;
  struct gw_probe_result r;
  int rc = gw_check_probe(ctx, &req, &r);
  if (rc != GW_OK) {
    free(url);
    return rc;
  }
  size_t results = 0;
  if (r.status >= 200 && r.status <= 299 && r.body_len) {
    struct gw_page_input in;
    memset(&in, 0, sizeof in);
    in.url = r.final_url ? r.final_url : r.url;
    in.data = r.body;
    in.len = r.body_len;
    in.content_type = r.content_type;
    in.as_of = ctx->as_of;
    struct gw_page *p = NULL;
    if (gw_page_parse(&p, &in) == GW_OK) {
      for (size_t i = 0; i < p->n_links; i++) {
        const struct gw_link *l = &p->links[i];
        if (l->kind != GW_LINK_A || l->in_footer)
          continue;
        if (strcmp(l->url, a->url) == 0)
          *found = true;
        /* results: links whose text shows the word (not the page's frame) */
        if (strstr(l->text, word))
          results++;
      }
      gw_page_free(&p);
    }
  }
  json_t *t = json_object();
  json_object_set_new(t, "article", json_string(a->url));
  json_object_set_new(t, "article_title", json_string(a->title));
  json_object_set_new(t, "word", json_string(word));
  json_object_set_new(t, "query_url", json_string(url));
  json_object_set_new(t, "status", r.status ? json_integer(r.status) : json_null());
  json_object_set_new(t, "error", r.error ? json_string(gw_fetch_error_key(r.error)) : json_null());
  json_object_set_new(t, "error_text", r.error_text ? json_string(r.error_text) : json_null());
  json_object_set_new(t, "result_links", json_integer((json_int_t)results));
  json_object_set_new(t, "found", json_boolean(*found));
  json_array_append_new(tries, t);
  gw_probe_result_clear(&r);
  free(url);
  return GW_OK;
}

static int emit(struct gw_check_ctx *ctx, const char *rule, const char *key, const char *title, const char *url,
                const char *target, const char *locator, const char *detail, bool review, json_t *obs)
{
  char *obs_text = json_dumps(obs, JSON_COMPACT | JSON_SORT_KEYS);
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)rule;
  f.severity = GW_SEV_DEDUCT;
  f.needs_review = review;
  f.key = (char *)key;
  f.url = (char *)url;
  f.target = (char *)target;
  f.locator = (char *)locator;
  f.title = (char *)title;
  f.detail = (char *)detail;
  f.observed_json = obs_text;
  int rc = gw_check_emit(ctx, &f);
  free(obs_text);
  return rc;
}

struct home_find {
  int64_t id;
};

static int home_row(void *ctx, const struct gw_crawl_url *u)
{
  struct home_find *h = ctx;
  if (u->depth == 0 && u->kind == GW_URL_PAGE && u->body_id && u->http_status >= 200 && u->http_status <= 299) {
    h->id = u->id;
    return 1;
  }
  return 0;
}

static int search_box_run(struct gw_check_ctx *ctx)
{
  struct home_find hf = {0};
  int rc = gw_check_view_urls(ctx->view, GW_URL_DONE, home_row, &hf);
  if (rc != GW_OK && rc != 1)
    return rc;
  if (!hf.id)
    return GW_OK; /* no homepage page in the crawl: availability is another check's finding */
  const struct gw_page *home = NULL;
  rc = gw_check_view_page(ctx->view, hf.id, &home);
  if (rc == GW_ENOTFOUND)
    return GW_OK;
  if (rc != GW_OK)
    return rc;
  char *home_url = gw_strdup(home->url);
  const struct gw_form *form = find_form(home);
  const struct gw_link *link = form ? NULL : find_link(home);
  struct gw_buf d = GW_BUF_INIT, loc = GW_BUF_INIT;
  json_t *obs = json_object();
  struct article *arts = NULL;
  size_t n_arts = 0;
  if (!form && !link) {
    gw_buf_printf(&d, "首页 %s 未发现站内搜索：没有带文本输入框的表单（共 %zu 个表单），也没有指向搜索页面的链接。", home_url,
                  home->n_forms);
    json_object_set_new(obs, "problem", json_string("missing"));
    json_object_set_new(obs, "homepage", json_string(home_url));
    json_object_set_new(obs, "forms", json_integer((json_int_t)home->n_forms));
    json_object_set_new(obs, "expected", json_string("首页有搜索框（含文本输入框的表单）或搜索页面入口"));
    rc = emit(ctx, GW_RULE_SEARCH_MISSING, "missing", "首页未提供站内搜索", home_url, NULL, "首页", gw_buf_cstr(&d), false,
              obs);
    goto done;
  }
  if (!form || strcmp(form->method, "get") != 0)
    goto done; /* a search page link or a POST form: its existence is all that is judged */
  /* copy the form: the homepage may be dropped from the view's cache */
  char *action = gw_strdup(form->action), *qname = gw_strdup(form->query), *method = gw_strdup(form->method);
  long fline = form->line;
  struct gw_form f = {action, method, qname, fline, 0};
  rc = collect_articles(ctx->view, home, &arts, &n_arts);
  if (rc != GW_OK || !n_arts || !ctx->probe)
    goto done_form; /* nothing to ask for, or probing is off */
  json_t *tries = json_array();
  bool found = false;
  for (size_t i = 0; i < n_arts && i < GW_SEARCH_TRIES && !found && rc == GW_OK; i++)
    rc = try_article(ctx, &f, &arts[i], tries, &found);
  if (rc != GW_OK || found || json_array_size(tries) == 0) {
    json_decref(tries);
    goto done_form;
  }
  size_t answered = 0;
  json_t *t0 = json_array_get(tries, 0);
  for (size_t i = 0; i < json_array_size(tries); i++) {
    json_t *st = json_object_get(json_array_get(tries, i), "status");
    if (json_is_integer(st) && json_integer_value(st) >= 200 && json_integer_value(st) <= 299)
      answered++;
  }
  gw_buf_printf(&d, "用首页最新 %zu 篇文章标题中的词语检索站内搜索，结果均未列出对应文章", json_array_size(tries));
  if (answered < json_array_size(tries))
    gw_buf_printf(&d, "（其中 %zu 次检索未正常返回结果页）", json_array_size(tries) - answered);
  gw_buf_printf(&d, "。如：检索“%s”（%s），返回 ", json_string_value(json_object_get(t0, "word")),
                json_string_value(json_object_get(t0, "query_url")));
  json_t *st0 = json_object_get(t0, "status");
  if (json_is_integer(st0))
    gw_buf_printf(&d, "HTTP %lld，结果页中标题含检索词的链接 %lld 个", (long long)json_integer_value(st0),
                  (long long)json_integer_value(json_object_get(t0, "result_links")));
  else
    gw_buf_printf(&d, "无应答（%s）", json_string_value(json_object_get(t0, "error")));
  gw_buf_printf(&d, "，未包含文章 %s。", json_string_value(json_object_get(t0, "article")));
  if (fline > 0)
    gw_buf_printf(&loc, "首页搜索框（第 %ld 行 <form>）", fline);
  else
    gw_buf_puts(&loc, "首页搜索框");
  json_object_set_new(obs, "problem", json_string("broken"));
  json_object_set_new(obs, "homepage", json_string(home_url));
  json_object_set_new(obs, "form_action", json_string(action));
  json_object_set_new(obs, "form_input", json_string(qname));
  json_object_set_new(obs, "expected", json_string("检索近期文章标题中的词语，结果列出该文章"));
  json_object_set_new(obs, "attempts", tries);
  /* an answer without the article may be a ranking or indexing lag; no
   * answer at all is plain */
  rc = emit(ctx, GW_RULE_SEARCH_BROKEN, "broken", "站内搜索不可用或检索不到近期文章", home_url, action,
            gw_buf_cstr(&loc), gw_buf_cstr(&d), answered > 0, obs);
done_form:
  free(action);
  free(qname);
  free(method);
done:
  for (size_t i = 0; i < n_arts; i++) {
    free(arts[i].url);
    free(arts[i].title);
  }
  free(arts);
  json_decref(obs);
  gw_buf_free(&d);
  gw_buf_free(&loc);
  free(home_url);
  return rc;
}

static const char *const g_rules[] = {GW_RULE_SEARCH_MISSING, GW_RULE_SEARCH_BROKEN, NULL};

const struct gw_check gw_check_search_box = {
  .id = "search.box",
  .title = "站内搜索",
  .summary = "a search box on the homepage, and a query for a word of a recent article that lists the article",
  .rules = g_rules,
  .needs = GW_CHECK_NEEDS_CRAWL | GW_CHECK_NEEDS_PROBE,
  .run = search_box_run,
};
