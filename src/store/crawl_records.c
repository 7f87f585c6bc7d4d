/* Crawl records: clearing and enum names. The Chinese labels are the
 * crawler's wording for users, kept in this one place. */
#include "store/crawl_records.h"

#include <stdlib.h>
#include <string.h>

void gw_crawl_clear(struct gw_crawl *c)
{
  free(c->options);
  free(c->robots);
  free(c->summary);
  memset(c, 0, sizeof *c);
}

void gw_crawl_url_clear(struct gw_crawl_url *u)
{
  free(u->url);
  free(u->skip_detail);
  free(u->method);
  free(u->error_text);
  free(u->redirect_chain);
  free(u->final_url);
  free(u->content_type);
  free(u->charset);
  free(u->charset_source);
  free(u->title);
  free(u->etag);
  free(u->last_modified);
  free(u->ip);
  free(u->attempt_log);
  memset(u, 0, sizeof *u);
}

void gw_link_row_clear(struct gw_link_row *l)
{
  free(l->tag);
  free(l->anchor);
  memset(l, 0, sizeof *l);
}

void gw_crawl_list_free(struct gw_crawl_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    gw_crawl_clear(&l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

#define NAME(arr, i) ((size_t)(i) < sizeof(arr) / sizeof(arr)[0] && (arr)[i] ? (arr)[i] : "?")

const char *gw_crawl_state_key(enum gw_crawl_state s)
{
  static const char *const k[] = {NULL, "running", "done", "interrupted"};
  return NAME(k, s);
}

const char *gw_url_kind_key(enum gw_url_kind kind)
{
  static const char *const k[] = {NULL, "page", "resource", "external", "robots"};
  return NAME(k, kind);
}

const char *gw_url_state_key(enum gw_url_state s)
{
  static const char *const k[] = {NULL, "queued", "done", "failed", "skipped"};
  return NAME(k, s);
}

const char *gw_skip_reason_key(enum gw_skip_reason r)
{
  static const char *const k[] = {"none", "trap", "depth", "cap", "robots"};
  return NAME(k, r);
}

const char *gw_skip_reason_label(enum gw_skip_reason r)
{
  static const char *const k[] = {"无", "爬虫陷阱", "超过深度上限", "超过页数上限", "robots.txt 禁止"};
  return NAME(k, r);
}

const char *gw_fetch_error_key(enum gw_fetch_error e)
{
  static const char *const k[] = {"none",    "dns",       "connect",   "timeout",
                                  "reset",   "tls",       "http",      "too_large",
                                  "too_many_redirects",   "redirect_loop", "blocked",
                                  "bad_redirect", "protocol", "other"};
  return NAME(k, e);
}

const char *gw_fetch_error_label(enum gw_fetch_error e)
{
  static const char *const k[] = {"无",           "域名无法解析", "无法连接",     "超时",
                                  "连接中断",     "TLS 错误",     "HTTP 错误状态", "内容过大",
                                  "重定向次数过多", "重定向循环", "被拦截（403/429，可用性未知）",
                                  "重定向地址无效", "响应格式错误", "其他错误"};
  return NAME(k, e);
}
