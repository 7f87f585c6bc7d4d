/* Test helpers for the check stage: an in-memory store with one unit, one
 * site and a finished crawl, and short ways to add crawl rows, links and
 * bodies as the crawler would have written them. Included by
 * test_checks.c and test_links.c (each a program of its own). */
#ifndef GW_TEST_CHECKS_FIXTURE_H
#define GW_TEST_CHECKS_FIXTURE_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/error.h"
#include "store/store.h"
#include "tap.h"

struct fx {
  struct gw_store *st;
  int64_t unit_id, site_id, crawl_id;
  struct gw_site site;
  int64_t as_of;
};

static inline void fx_die(const char *what)
{
  fprintf(stderr, "fixture: %s: %s\n", what, gw_err_msg());
  exit(1);
}

/* A crawl of fx->site_id in `state`, as of fx->as_of. */
static inline int64_t fx_crawl(struct fx *x, int64_t site_id, enum gw_crawl_state state)
{
  struct gw_crawl c;
  memset(&c, 0, sizeof c);
  c.site_id = site_id;
  c.state = state;
  c.started_at = x->as_of - 600;
  c.finished_at = state == GW_CRAWL_DONE ? x->as_of - 60 : 0;
  c.as_of = x->as_of;
  c.runs = 1;
  c.options = (char *)"{}";
  if (gw_store_crawl_insert(x->st, &c))
    fx_die("crawl");
  return c.id;
}

static inline int64_t fx_site(struct fx *x, const char *name, const char *url, const char *code)
{
  struct gw_site s;
  memset(&s, 0, sizeof s);
  s.name = (char *)name;
  s.url = (char *)url;
  s.code = (char *)code;
  s.unit_id = x->unit_id;
  s.kind = GW_SITE_DEPARTMENT;
  s.external_service = true;
  s.status = GW_SITE_RUNNING;
  if (gw_store_site_insert(x->st, &s))
    fx_die("site");
  return s.id;
}

static inline void fx_open(struct fx *x)
{
  memset(x, 0, sizeof *x);
  if (gw_time_parse("2025-03-31 12:00", &x->as_of))
    fx_die("as_of");
  if (gw_store_open(&x->st, ":memory:", 0))
    fx_die("open");
  struct gw_unit u;
  memset(&u, 0, sizeof u);
  u.name = (char *)"青溪县示例局";
  u.kind = GW_UNIT_DEPARTMENT;
  if (gw_store_unit_insert(x->st, &u))
    fx_die("unit");
  x->unit_id = u.id;
  x->site_id = fx_site(x, "青溪县示例局", "http://www.example.gov.cn/", "3399229001");
  if (gw_store_site_get(x->st, x->site_id, &x->site))
    fx_die("site get");
  x->crawl_id = fx_crawl(x, x->site_id, GW_CRAWL_DONE);
}

static inline void fx_close(struct fx *x)
{
  gw_site_clear(&x->site);
  gw_store_close(&x->st);
}

/* A stored body. */
static inline int64_t fx_body(struct fx *x, const char *data)
{
  int64_t id = 0;
  if (gw_store_body_put(x->st, data, strlen(data), &id))
    fx_die("body");
  return id;
}

/* The outcome of one URL, as the crawler records it. */
struct fx_row {
  const char *url;
  enum gw_url_kind kind;
  bool internal;
  int depth;
  enum gw_url_state state;
  enum gw_skip_reason skip;
  int status;
  enum gw_fetch_error error;
  const char *error_text;
  int redirects;
  const char *chain;
  const char *final_url;
  const char *content_type;
  const char *body;      /* stored and marked parsed when not NULL */
  const char *title;
  int attempts;
  int64_t reused_id;
};

static inline int64_t fx_add(struct fx *x, int64_t crawl_id, const struct fx_row *r)
{
  struct gw_crawl_url u;
  memset(&u, 0, sizeof u);
  u.crawl_id = crawl_id;
  u.url = (char *)r->url;
  u.depth = r->depth;
  u.kind = r->kind ? r->kind : GW_URL_PAGE;
  u.internal = r->internal;
  u.state = r->state == GW_URL_SKIPPED ? GW_URL_SKIPPED : GW_URL_QUEUED;
  u.skip = r->skip;
  if (gw_store_crawl_url_insert(x->st, &u))
    fx_die(r->url);
  if (r->state == GW_URL_DONE || r->state == GW_URL_FAILED) {
    u.state = r->state;
    u.attempts = r->attempts ? r->attempts : 1;
    u.method = (char *)(u.kind == GW_URL_PAGE ? "GET" : "HEAD");
    u.http_status = r->status;
    u.error = r->error;
    u.error_text = (char *)r->error_text;
    u.redirects = r->redirects;
    u.redirect_chain = (char *)r->chain;
    u.final_url = (char *)r->final_url;
    u.content_type = (char *)(r->content_type ? r->content_type : (r->body ? "text/html; charset=UTF-8" : NULL));
    u.fetched_at = x->as_of - 120;
    u.reused_id = r->reused_id;
    if (r->body) {
      u.body_id = fx_body(x, r->body);
      u.body_bytes = (int64_t)strlen(r->body);
      u.parsed = true;
      u.charset = (char *)"UTF-8";
      u.charset_source = (char *)"header";
    }
    u.title = (char *)r->title;
    if (gw_store_crawl_url_result(x->st, &u))
      fx_die(r->url);
  }
  return u.id;
}

static inline void fx_link(struct fx *x, int64_t from, int seq, int64_t to, const char *tag, const char *anchor,
                    bool home, long line, unsigned hidden)
{
  struct gw_link_row l;
  memset(&l, 0, sizeof l);
  l.from_id = from;
  l.seq = seq;
  l.to_id = to;
  l.tag = (char *)tag;
  l.anchor = (char *)anchor;
  l.on_homepage = home;
  l.line = line;
  l.hidden = hidden;
  if (gw_store_link_insert(x->st, &l))
    fx_die("link");
}

/* A page of the site's template with `middle` as its content. */
static inline char *fx_page(const char *title, const char *middle)
{
  const char *head = "<html><head><meta charset=\"utf-8\"><title>";
  const char *nav = "</title></head><body><div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/col/1/\">政务公开</a> "
                    "<a href=\"/col/2/\">政务服务</a> <a href=\"/col/3/\">互动交流</a></div><div class=\"main\">";
  const char *foot = "</div><div class=\"footer\"><p>主办单位：青溪县示例局　承办单位：青溪县大数据发展中心</p>"
                     "<p>地址：青溪县城关镇人民路1号　邮编：324400　联系电话：0570-6012345</p>"
                     "<p>网站标识码：3399229001　浙ICP备05012345号-9　浙公网安备 33112302000109号</p>"
                     "<p>本网站由青溪县示例局主办，版权所有，未经许可不得转载。建议使用1366x768以上分辨率浏览。</p>"
                     "</div></body></html>";
  size_t n = strlen(head) + strlen(title) + strlen(nav) + strlen(middle) + strlen(foot) + 1;
  char *s = malloc(n);
  snprintf(s, n, "%s%s%s%s%s", head, title, nav, middle, foot);
  return s;
}

/* The value at a dotted path of a JSON finding ("observed.soft_404.weak",
 * "sources.0.page") as text: strings as they are, integers in decimal,
 * true/false/null; "(missing)" when the path leads nowhere, "(other)" for
 * any other JSON value. */
static inline const char *fx_jget(json_t *o, const char *path)
{
  json_t *j = o;
  char part[64];
  const char *p = path;
  while (j && *p) {
    size_t n = strcspn(p, ".");
    snprintf(part, sizeof part, "%.*s", (int)n, p);
    if (json_is_array(j))
      j = json_array_get(j, (size_t)strtol(part, NULL, 10));
    else
      j = json_object_get(j, part);
    p += n;
    if (*p == '.')
      p++;
  }
  static char buf[1024];
  if (json_is_string(j))
    return json_string_value(j);
  if (json_is_integer(j)) {
    snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(j));
    return buf;
  }
  if (json_is_true(j))
    return "true";
  if (json_is_false(j))
    return "false";
  if (json_is_null(j))
    return "null";
  return j ? "(other)" : "(missing)";
}

#endif
