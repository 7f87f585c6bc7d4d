/* Link availability and soft 404s (links.h), and the check links.broken.
 *
 * The Chinese wording users read is kept in the tables and the few format
 * strings of this file. */
#include "checks/links.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"
#include "fetch/map.h"
#include "fetch/url.h"
#include "html/charset.h"
#include "html/notfound.h"

/* ---- names ---- */

static const struct {
  const char *key, *label;
} g_class[GW_LC_COUNT_] = {
  [GW_LC_OK] = {"ok", "正常"},
  [GW_LC_REDIRECTED] = {"redirected", "重定向"},
  [GW_LC_BROKEN] = {"broken", "不可用"},
  [GW_LC_UNKNOWN] = {"unknown", "无法判断"},
  [GW_LC_UNCHECKED] = {"unchecked", "未检查"},
};

static const struct {
  const char *key, *label;
} g_reason[GW_LR_COUNT_] = {
  [GW_LR_OK] = {"ok", "正常"},
  [GW_LR_NOT_MODIFIED] = {"not_modified", "正常（未修改，沿用上次抓取的应答）"},
  [GW_LR_TOO_LARGE] = {"too_large", "正常（内容超过大小上限，已截断保存）"},
  [GW_LR_REDIRECTED] = {"redirected", "重定向后正常"},
  [GW_LR_HTTP_4XX] = {"http_4xx", "页面不存在或无法访问（HTTP 4xx）"},
  [GW_LR_HTTP_5XX] = {"http_5xx", "服务器错误（HTTP 5xx，重试后仍失败）"},
  [GW_LR_SOFT_404] = {"soft_404", "软404：页面返回200但内容为错误页"},
  [GW_LR_DNS] = {"dns", "域名无法解析"},
  [GW_LR_CONNECT] = {"connect", "无法连接服务器（连接被拒绝或不可达）"},
  [GW_LR_TIMEOUT] = {"timeout", "访问超时（重试后仍超时）"},
  [GW_LR_RESET] = {"reset", "服务器无应答（连接被关闭或重置，重试后仍失败）"},
  [GW_LR_TLS] = {"tls", "HTTPS证书或加密连接错误"},
  [GW_LR_REDIRECT_LOOP] = {"redirect_loop", "重定向循环"},
  [GW_LR_TOO_MANY_REDIRECTS] = {"too_many_redirects", "重定向次数过多"},
  [GW_LR_BAD_REDIRECT] = {"bad_redirect", "重定向目标无效"},
  [GW_LR_PROTOCOL] = {"protocol", "服务器应答格式错误"},
  [GW_LR_BLOCKED] = {"blocked", "访问被拦截（HTTP 403/429，可能为防火墙或限流），无法判断"},
  [GW_LR_AUTH] = {"auth", "需要登录认证（HTTP 401/407），无法判断"},
  [GW_LR_PARTIAL] = {"partial", "应答不完整（收到状态码后传输中断），无法判断"},
  [GW_LR_ODD_STATUS] = {"odd_status", "应答状态无法说明可用性，无法判断"},
  [GW_LR_OTHER] = {"other", "其他错误，无法判断"},
  [GW_LR_SKIPPED] = {"skipped", "爬虫按规则跳过，未检查"},
  [GW_LR_NOT_FETCHED] = {"not_fetched", "尚未抓取，未检查"},
};

const char *gw_link_class_key(enum gw_link_class c)
{
  return c > 0 && c < GW_LC_COUNT_ ? g_class[c].key : "?";
}

const char *gw_link_class_label(enum gw_link_class c)
{
  return c > 0 && c < GW_LC_COUNT_ ? g_class[c].label : "?";
}

const char *gw_link_reason_key(enum gw_link_reason r)
{
  return (int)r >= 0 && r < GW_LR_COUNT_ ? g_reason[r].key : "?";
}

const char *gw_link_reason_label(enum gw_link_reason r)
{
  return (int)r >= 0 && r < GW_LR_COUNT_ ? g_reason[r].label : "?";
}

/* ---- classification ---- */

/* A 2xx answer: ok, or redirected when redirects were followed. */
static void fine(const struct gw_crawl_url *u, enum gw_link_reason plain, enum gw_link_class *cls,
                 enum gw_link_reason *reason)
{
  if (u->redirects > 0) {
    *cls = GW_LC_REDIRECTED;
    *reason = plain == GW_LR_OK ? GW_LR_REDIRECTED : plain;
  } else {
    *cls = GW_LC_OK;
    *reason = plain;
  }
}

void gw_links_classify(const struct gw_crawl_url *u, enum gw_link_class *cls, enum gw_link_reason *reason)
{
  if (u->state == GW_URL_SKIPPED) {
    *cls = GW_LC_UNCHECKED;
    *reason = GW_LR_SKIPPED;
    return;
  }
  if (u->state != GW_URL_DONE && u->state != GW_URL_FAILED) {
    *cls = GW_LC_UNCHECKED;
    *reason = GW_LR_NOT_FETCHED;
    return;
  }
  *cls = GW_LC_BROKEN;
  /* failures of the transfer itself: the crawler has already retried the
   * transient ones (timeouts, resets, refused connections) */
  switch (u->error) {
  case GW_FE_DNS:
    *reason = GW_LR_DNS;
    return;
  case GW_FE_CONNECT:
    *reason = GW_LR_CONNECT;
    return;
  case GW_FE_TIMEOUT:
    *reason = GW_LR_TIMEOUT;
    return;
  case GW_FE_RESET:
    /* a status line came, then the body broke off: the resource exists as
     * far as the server says; not evidence of a broken link */
    if (u->http_status > 0) {
      *cls = GW_LC_UNKNOWN;
      *reason = GW_LR_PARTIAL;
    } else {
      *reason = GW_LR_RESET;
    }
    return;
  case GW_FE_TLS:
    *reason = GW_LR_TLS;
    return;
  case GW_FE_REDIRECT_LOOP:
    *reason = GW_LR_REDIRECT_LOOP;
    return;
  case GW_FE_TOO_MANY_REDIRECTS:
    *reason = GW_LR_TOO_MANY_REDIRECTS;
    return;
  case GW_FE_BAD_REDIRECT:
    *reason = GW_LR_BAD_REDIRECT;
    return;
  case GW_FE_PROTOCOL:
    *reason = GW_LR_PROTOCOL;
    return;
  case GW_FE_OTHER:
    *cls = GW_LC_UNKNOWN;
    *reason = GW_LR_OTHER;
    return;
  default:
    break; /* NONE, HTTP, BLOCKED, TOO_LARGE: the status decides */
  }
  int s = u->http_status;
  if (s == 401 || s == 407) {
    *cls = GW_LC_UNKNOWN;
    *reason = GW_LR_AUTH;
  } else if (s == 403 || s == 429 || u->error == GW_FE_BLOCKED) {
    *cls = GW_LC_UNKNOWN;
    *reason = GW_LR_BLOCKED;
  } else if (s >= 400 && s <= 499) {
    *reason = GW_LR_HTTP_4XX;
  } else if (s >= 500 && s <= 599) {
    *reason = GW_LR_HTTP_5XX;
  } else if (s >= 200 && s <= 299) {
    fine(u, u->error == GW_FE_TOO_LARGE ? GW_LR_TOO_LARGE : GW_LR_OK, cls, reason);
  } else if (s == 304 && u->reused_id) {
    fine(u, GW_LR_NOT_MODIFIED, cls, reason);
  } else if (s >= 100 && s <= 199) {
    *reason = GW_LR_PROTOCOL;
  } else {
    *cls = GW_LC_UNKNOWN;
    *reason = GW_LR_ODD_STATUS;
  }
}

/* ---- soft 404 ---- */

/* memmem is a GNU extension; the build is POSIX. */
static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
  if (m == 0)
    return hay;
  while (n >= m) {
    const char *p = memchr(hay, needle[0], n - m + 1);
    if (!p)
      return NULL;
    if (memcmp(p, needle, m) == 0)
      return p;
    n -= (size_t)(p - hay) + 1;
    hay = p + 1;
  }
  return NULL;
}

/* Characters of visible text, white space (also U+3000) not counted. */
static size_t text_chars(const char *s, size_t len)
{
  size_t n = 0, i = 0;
  while (i < len) {
    uint32_t cp;
    size_t k = gw_utf8_decode(s + i, len - i, &cp);
    if (!k)
      k = 1;
    if (!(cp == ' ' || cp == '\n' || cp == '\r' || cp == '\t' || cp == 0x3000 || cp == 0xA0))
      n++;
    i += k;
  }
  return n;
}

/* How alike two texts are: the bytes of their common beginning and common
 * end (not overlapping) over the longer length. A site's error page served
 * for two URLs differs at most where it echoes the URL; an article and the
 * error page share the template's header and footer but not the middle. */
static double similarity(const char *a, size_t la, const char *b, size_t lb)
{
  size_t max = la > lb ? la : lb, min = la < lb ? la : lb;
  if (max == 0)
    return 1.0;
  size_t pre = 0;
  while (pre < min && a[pre] == b[pre])
    pre++;
  size_t suf = 0;
  while (suf < min - pre && a[la - 1 - suf] == b[lb - 1 - suf])
    suf++;
  return (double)(pre + suf) / (double)max;
}

static uint64_t page_phrases(const struct gw_soft404_page *p)
{
  return gw_notfound_page(p->title, p->text, p->text_len);
}

void gw_links_soft404_judge(const struct gw_soft404_page *page, const struct gw_soft404_page *canary,
                            struct gw_soft404_verdict *out)
{
  memset(out, 0, sizeof *out);
  out->phrases = page_phrases(page);
  out->chars = text_chars(page->text ? page->text : "", page->text ? page->text_len : 0);
  if (!out->phrases)
    return;
  if (canary && canary->text) {
    out->shared = out->phrases & page_phrases(canary);
    out->similarity = similarity(page->text ? page->text : "", page->text ? page->text_len : 0, canary->text,
                                 canary->text_len);
    if (out->shared && out->similarity >= GW_SOFT404_SIMILAR) {
      out->soft = true;
      return;
    }
  }
  if (out->chars <= GW_SOFT404_TINY_CHARS) {
    out->soft = true;
    out->weak = true;
  }
}

char *gw_links_canary_url(const char *origin, int64_t crawl_id)
{
  uint64_t h = gw_map_hash(origin);
  for (int i = 0; i < 8; i++) {
    h ^= (uint64_t)(((uint64_t)crawl_id >> (8 * i)) & 0xff);
    h *= 1099511628211ULL;
  }
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_printf(&b, "%s/govwatch-404-check-%016llx.html", origin, (unsigned long long)h);
  return gw_buf_steal(&b);
}

/* ---- analysis ---- */

struct analysis {
  struct gw_link_report *r;
  size_t cap;
  size_t max_src;
  int64_t *last_from;  /* per target: the last source page counted */
  int64_t *last_other; /* per target: the last other (non-homepage) page counted */
};

static void target_clear(struct gw_link_target *t)
{
  free(t->url);
  free(t->method);
  free(t->error_text);
  free(t->redirect_chain);
  free(t->final_url);
  free(t->content_type);
  free(t->title);
  free(t->charset);
  for (size_t i = 0; i < t->n_src; i++) {
    free(t->src[i].tag);
    free(t->src[i].anchor);
  }
  free(t->src);
  memset(t, 0, sizeof *t);
}

static void canary_clear(struct gw_link_canary *c)
{
  free(c->origin);
  free(c->url);
  free(c->error_text);
  free(c->final_url);
  free(c->title);
  free(c->text);
  memset(c, 0, sizeof *c);
}

void gw_link_report_free(struct gw_link_report *r)
{
  for (size_t i = 0; i < r->n; i++)
    target_clear(&r->v[i]);
  free(r->v);
  for (size_t i = 0; i < r->n_canaries; i++)
    canary_clear(&r->canaries[i]);
  free(r->canaries);
  free(r->homepage);
  memset(r, 0, sizeof *r);
}

static int on_url(void *ctx, const struct gw_crawl_url *u)
{
  struct analysis *a = ctx;
  struct gw_link_report *r = a->r;
  if (r->n == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 256;
    r->v = gw_reallocarray(r->v, a->cap, sizeof *r->v);
  }
  struct gw_link_target *t = &r->v[r->n++];
  memset(t, 0, sizeof *t);
  t->id = u->id;
  t->url = gw_strdup(u->url);
  t->kind = u->kind;
  t->internal = u->internal;
  t->depth = u->depth;
  t->state = u->state;
  t->skip = u->skip;
  t->attempts = u->attempts;
  t->method = gw_strdup(u->method);
  t->http_status = u->http_status;
  t->error = u->error;
  t->error_text = gw_strdup(u->error_text);
  t->redirects = u->redirects;
  t->redirect_chain = gw_strdup(u->redirect_chain);
  t->final_url = gw_strdup(u->final_url);
  t->content_type = gw_strdup(u->content_type);
  t->title = gw_strdup(u->title);
  t->charset = gw_strdup(u->charset);
  t->body_id = u->body_id;
  t->body_bytes = u->body_bytes;
  t->parsed = u->parsed;
  t->notfound_known = u->notfound_known;
  t->notfound = u->notfound;
  t->fetched_at = u->fetched_at;
  t->canary = SIZE_MAX;
  gw_links_classify(u, &t->cls, &t->reason);
  if (!r->homepage && u->depth == 0 && u->kind == GW_URL_PAGE)
    r->homepage = gw_strdup(u->url);
  return 0;
}

/* The index of row `id` (rows are in id order), or SIZE_MAX. */
static size_t find_row(const struct gw_link_report *r, int64_t id)
{
  size_t lo = 0, hi = r->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (r->v[mid].id == id)
      return mid;
    if (r->v[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return SIZE_MAX;
}

static int on_link(void *ctx, const struct gw_link_row *l)
{
  struct analysis *a = ctx;
  struct gw_link_report *r = a->r;
  size_t ti = find_row(r, l->to_id), fi = find_row(r, l->from_id);
  if (ti == SIZE_MAX || fi == SIZE_MAX)
    return 0; /* cannot happen within one crawl (foreign keys); nothing to report it against */
  struct gw_link_target *t = &r->v[ti];
  t->occurrences++;
  if (a->last_from[ti] != l->from_id) {
    a->last_from[ti] = l->from_id;
    t->pages++;
  }
  bool keep = true;
  if (l->on_homepage) {
    t->home_occurrences++;
  } else {
    t->other_occurrences++;
    if (a->last_other[ti] != l->from_id) {
      a->last_other[ti] = l->from_id;
      t->other_pages++;
    }
    size_t kept_other = t->n_src - (t->home_occurrences);
    if (kept_other >= a->max_src) {
      keep = false;
      t->src_truncated = true;
    }
  }
  if (keep) {
    if (t->n_src == t->src_cap) {
      t->src_cap = t->src_cap ? t->src_cap * 2 : 4;
      t->src = gw_reallocarray(t->src, t->src_cap, sizeof *t->src);
    }
    struct gw_link_source *s = &t->src[t->n_src++];
    s->from_id = l->from_id;
    s->page = r->v[fi].url;
    s->tag = gw_strdup(l->tag ? l->tag : "");
    s->anchor = gw_strdup(l->anchor ? l->anchor : "");
    s->line = l->line;
    s->hidden = l->hidden;
    s->in_footer = l->in_footer;
    s->on_homepage = l->on_homepage;
  }
  return 0;
}

/* "scheme://authority" of a normalised URL, or NULL. */
static char *origin_of(const char *url)
{
  struct gw_url_view v;
  if (!url || !gw_url_view(url, &v))
    return NULL;
  return gw_strndup(url, (size_t)(v.authority + v.authority_len - url));
}

static bool html_type(const char *ct)
{
  if (!ct || !*ct)
    return true; /* browsers sniff; so does the parser */
  size_t n = strcspn(ct, ";");
  while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
    n--;
  return (n == 9 && strncasecmp(ct, "text/html", 9) == 0) ||
         (n == 21 && strncasecmp(ct, "application/xhtml+xml", 21) == 0);
}

/* Ask the canary of c->origin and read its page. A failure is kept in the
 * entry; only the store or memory could make this an error, and neither is
 * touched here. */
static void ask_canary(struct gw_check_view *v, const struct gw_links_opts *o, struct gw_link_canary *c)
{
  struct gw_probe_req req;
  memset(&req, 0, sizeof req);
  req.url = c->url;
  struct gw_probe_result res;
  int rc = o->probe(o->probe_ctx, &req, &res);
  c->asked = true;
  if (rc != GW_OK) {
    c->error = GW_FE_OTHER;
    c->error_text = gw_strdup(gw_err_msg());
    gw_err_clear();
    return;
  }
  c->status = res.status;
  c->error = res.error;
  c->error_text = gw_strdup(res.error_text);
  c->final_url = gw_strdup(res.final_url);
  c->fetched_at = res.fetched_at;
  /* the error page is what a browser shows: any status with an HTML body */
  bool answered = res.status > 0 && (res.error == GW_FE_NONE || res.error == GW_FE_HTTP ||
                                     res.error == GW_FE_BLOCKED || res.error == GW_FE_TOO_LARGE);
  if (answered && res.body_len && html_type(res.content_type)) {
    struct gw_page_input in;
    memset(&in, 0, sizeof in);
    in.url = res.final_url ? res.final_url : res.url;
    in.data = res.body;
    in.len = res.body_len;
    in.content_type = res.content_type;
    in.as_of = gw_check_view_as_of(v);
    struct gw_page *p = NULL;
    if (gw_page_parse(&p, &in) == GW_OK) {
      c->title = gw_strdup(p->title);
      c->text = gw_strndup(p->text, p->text_len);
      c->text_len = p->text_len;
      c->phrases = gw_notfound_page(c->title, c->text, c->text_len);
      gw_page_free(&p);
    } else {
      gw_err_clear();
    }
  }
  gw_probe_result_clear(&res);
}

/* Could the stored body of t hold a not-found phrase? A cheap look at the
 * bytes (converted to UTF-8 when the crawler decoded them from another
 * charset) before the page is rebuilt; entities (&#...;) could hide a
 * phrase from it, so a body with any is rebuilt anyway. */
static int maybe_soft(struct gw_check_view *v, const struct gw_link_target *t, bool *maybe)
{
  char *data = NULL, *utf8 = NULL;
  size_t len = 0, ulen = 0, repl = 0;
  bool cut = false;
  int rc = gw_check_view_body(v, t->id, &data, &len);
  if (rc == GW_ENOTFOUND) {
    gw_err_clear();
    *maybe = false;
    return GW_OK;
  }
  if (rc != GW_OK)
    return rc;
  const char *s = data;
  size_t n = len;
  if (t->charset && !gw_str_ieq(t->charset, "UTF-8") &&
      gw_charset_convert(data, len, t->charset, 0, &utf8, &ulen, &repl, &cut) == GW_OK) {
    s = utf8;
    n = ulen;
  }
  gw_err_clear();
  *maybe = gw_notfound_phrases(s, n) != 0 || find_bytes(s, n, "&#", 2) != NULL;
  free(utf8);
  free(data);
  return GW_OK;
}

static bool soft_candidate(const struct gw_link_target *t)
{
  return t->occurrences > 0 && t->state == GW_URL_DONE && (t->cls == GW_LC_OK || t->cls == GW_LC_REDIRECTED) &&
         t->reason != GW_LR_NOT_MODIFIED && t->internal && t->kind == GW_URL_PAGE && t->parsed && t->body_id &&
         t->depth > 0;
}

static size_t canary_for(struct gw_link_report *r, const char *origin, int64_t crawl_id)
{
  for (size_t i = 0; i < r->n_canaries; i++)
    if (strcmp(r->canaries[i].origin, origin) == 0)
      return i;
  r->canaries = gw_reallocarray(r->canaries, r->n_canaries + 1, sizeof *r->canaries);
  struct gw_link_canary *c = &r->canaries[r->n_canaries];
  memset(c, 0, sizeof *c);
  c->origin = gw_strdup(origin);
  c->url = gw_links_canary_url(origin, crawl_id);
  return r->n_canaries++;
}

static int judge_soft404s(struct gw_check_view *v, const struct gw_links_opts *o, struct gw_link_report *r)
{
  /* one canary per origin that has candidate pages, asked once */
  for (size_t i = 0; i < r->n; i++) {
    struct gw_link_target *t = &r->v[i];
    if (!soft_candidate(t))
      continue;
    char *origin = origin_of(t->final_url ? t->final_url : t->url);
    if (!origin)
      continue;
    t->canary = canary_for(r, origin, r->crawl_id);
    free(origin);
  }
  if (o->probe)
    for (size_t i = 0; i < r->n_canaries; i++)
      ask_canary(v, o, &r->canaries[i]);
  for (size_t i = 0; i < r->n; i++) {
    struct gw_link_target *t = &r->v[i];
    if (t->canary == SIZE_MAX)
      continue;
    /* The crawler kept the phrases of the page's text: a page without any
     * is not an error page (gw_links_soft404_judge needs one). Crawls
     * from before they were kept: a look at the stored body first. */
    bool maybe = t->notfound_known && t->notfound != 0;
    if (!t->notfound_known) {
      int rc = maybe_soft(v, t, &maybe);
      if (rc != GW_OK)
        return rc;
    }
    if (!maybe)
      continue;
    const struct gw_page *p = NULL;
    int rc = gw_check_view_page(v, t->id, &p);
    if (rc == GW_ENOTFOUND) {
      gw_err_clear();
      continue;
    }
    if (rc != GW_OK)
      return rc;
    struct gw_link_canary *c = &r->canaries[t->canary];
    struct gw_soft404_page page = {p->title, p->text, p->text_len};
    struct gw_soft404_page can = {c->title, c->text, c->text_len};
    struct gw_soft404_verdict vd;
    gw_links_soft404_judge(&page, c->text ? &can : NULL, &vd);
    if (vd.soft) {
      t->cls = GW_LC_BROKEN;
      t->reason = GW_LR_SOFT_404;
      t->soft404 = vd;
      c->soft404s++;
    }
  }
  return GW_OK;
}

int gw_links_analyze(struct gw_check_view *v, const struct gw_links_opts *o, struct gw_link_report *out)
{
  if (!v || !o || !out)
    return gw_err_set(GW_EINVAL, "gw_links_analyze: missing argument");
  struct gw_link_report r;
  memset(&r, 0, sizeof r);
  r.crawl_id = gw_check_view_crawl(v)->id;
  struct analysis a;
  memset(&a, 0, sizeof a);
  a.r = &r;
  a.max_src = o->max_sources ? o->max_sources : GW_LINKS_MAX_SOURCES;
  int rc = gw_check_view_urls(v, 0, on_url, &a);
  if (rc != GW_OK)
    goto fail;
  a.last_from = gw_calloc(r.n ? r.n : 1, sizeof *a.last_from);
  a.last_other = gw_calloc(r.n ? r.n : 1, sizeof *a.last_other);
  if ((rc = gw_check_view_links(v, 0, 0, on_link, &a)) != GW_OK)
    goto fail;
  if ((rc = judge_soft404s(v, o, &r)) != GW_OK)
    goto fail;
  for (size_t i = 0; i < r.n; i++) {
    if (r.v[i].occurrences == 0)
      continue;
    r.linked++;
    r.by_class[r.v[i].cls]++;
  }
  free(a.last_from);
  free(a.last_other);
  *out = r;
  return GW_OK;
fail:
  free(a.last_from);
  free(a.last_other);
  gw_link_report_free(&r);
  return rc;
}

/* ---- description ---- */

/* The redirect chain as "a → b → c" (the crawler's JSON hops, then where
 * it ended). */
static void chain_text(const struct gw_link_target *t, struct gw_buf *b)
{
  json_error_t je;
  json_t *j = t->redirect_chain ? json_loads(t->redirect_chain, 0, &je) : NULL;
  size_t i;
  json_t *hop;
  bool any = false;
  if (json_is_array(j)) {
    json_array_foreach(j, i, hop) {
      const char *u = json_string_value(json_object_get(hop, "url"));
      if (u) {
        gw_buf_printf(b, "%s%s", any ? " → " : "", u);
        any = true;
      }
    }
  }
  if (t->final_url)
    gw_buf_printf(b, "%s%s", any ? " → " : "", t->final_url);
  json_decref(j);
}

const char *gw_links_describe(const struct gw_link_target *t, char *buf, size_t size)
{
  struct gw_buf b = GW_BUF_INIT;
  char host[256];
  switch (t->reason) {
  case GW_LR_HTTP_4XX:
  case GW_LR_HTTP_5XX:
  case GW_LR_BLOCKED:
  case GW_LR_AUTH:
    gw_buf_printf(&b, "返回 HTTP %d", t->http_status);
    if (t->redirects)
      gw_buf_printf(&b, "（经 %d 次重定向，最终地址 %s）", t->redirects, t->final_url ? t->final_url : "");
    if (t->reason == GW_LR_HTTP_5XX && t->attempts > 1)
      gw_buf_printf(&b, "，共尝试 %d 次", t->attempts);
    if (t->reason == GW_LR_BLOCKED || t->reason == GW_LR_AUTH)
      gw_buf_printf(&b, "，%s", gw_link_reason_label(t->reason));
    break;
  case GW_LR_DNS:
    if (gw_url_host(t->url, host, sizeof host))
      gw_buf_printf(&b, "域名 %s 无法解析", host);
    else
      gw_buf_puts(&b, gw_link_reason_label(t->reason));
    break;
  case GW_LR_CONNECT:
  case GW_LR_TIMEOUT:
  case GW_LR_RESET:
  case GW_LR_PARTIAL:
    gw_buf_puts(&b, gw_link_reason_label(t->reason));
    if (t->attempts > 1)
      gw_buf_printf(&b, "，共尝试 %d 次", t->attempts);
    break;
  case GW_LR_REDIRECT_LOOP:
  case GW_LR_TOO_MANY_REDIRECTS:
  case GW_LR_BAD_REDIRECT:
    gw_buf_printf(&b, "%s：", gw_link_reason_label(t->reason));
    chain_text(t, &b);
    break;
  case GW_LR_TLS:
  case GW_LR_PROTOCOL:
  case GW_LR_OTHER:
    gw_buf_puts(&b, gw_link_reason_label(t->reason));
    if (t->error_text)
      gw_buf_printf(&b, "（%s）", t->error_text);
    break;
  case GW_LR_REDIRECTED:
    gw_buf_printf(&b, "经 %d 次重定向到 %s，返回 HTTP %d", t->redirects, t->final_url ? t->final_url : "",
                  t->http_status);
    break;
  case GW_LR_OK:
  case GW_LR_NOT_MODIFIED:
  case GW_LR_TOO_LARGE:
    gw_buf_printf(&b, "返回 HTTP %d", t->http_status);
    if (t->reason != GW_LR_OK)
      gw_buf_printf(&b, "，%s", gw_link_reason_label(t->reason));
    break;
  case GW_LR_SKIPPED:
    gw_buf_printf(&b, "未检查：%s", gw_skip_reason_label(t->skip));
    break;
  default:
    gw_buf_puts(&b, gw_link_reason_label(t->reason));
    break;
  }
  gw_strlcpy(buf, gw_buf_cstr(&b), size);
  /* never end on half a character */
  size_t n = strlen(buf);
  while (n && !gw_utf8_valid(buf, n))
    buf[--n] = '\0';
  gw_buf_free(&b);
  return buf;
}

/* ---- the check ---- */

static const char *const g_rules[] = {GW_RULE_LINK_BROKEN_HOMEPAGE, GW_RULE_LINK_BROKEN_OTHER, NULL};

/* How many source pages the detail text names. */
#define DETAIL_PAGES 3

/* A JSON string; bytes that are not UTF-8 (they cannot come from the page
 * model, which converts, but error texts are libcurl's) become U+FFFD. */
static json_t *jstr(const char *s)
{
  if (!s)
    return json_null();
  json_t *j = json_string(s);
  if (j)
    return j;
  struct gw_buf b = GW_BUF_INIT;
  size_t len = strlen(s);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = gw_utf8_decode(s + i, len - i, &cp);
    gw_buf_append(&b, k ? s + i : "\xEF\xBF\xBD", k ? k : 3);
    i += k ? k : 1;
  }
  j = json_string(gw_buf_cstr(&b));
  gw_buf_free(&b);
  return j ? j : json_null();
}

static json_t *jtime(int64_t t)
{
  char buf[40];
  return t ? json_string(gw_time_format_iso(t, buf, sizeof buf)) : json_null();
}

static void locator(const struct gw_link_source *s, struct gw_buf *b)
{
  if (s->line > 0)
    gw_buf_printf(b, "第 %ld 行 <%s>", s->line, s->tag);
  else
    gw_buf_printf(b, "<%s>", s->tag);
  if (s->in_footer)
    gw_buf_puts(b, "，页脚");
  if (s->hidden) {
    char why[160];
    gw_buf_printf(b, "，隐藏链接（%s）", gw_page_hide_describe(s->hidden, why, sizeof why));
  }
}

static json_t *source_json(const struct gw_link_source *s)
{
  json_t *j = json_object();
  char why[160];
  json_object_set_new(j, "page", jstr(s->page));
  json_object_set_new(j, "tag", jstr(s->tag));
  json_object_set_new(j, "anchor", jstr(s->anchor));
  json_object_set_new(j, "line", s->line > 0 ? json_integer(s->line) : json_null());
  json_object_set_new(j, "hidden", s->hidden ? jstr(gw_page_hide_describe(s->hidden, why, sizeof why)) : json_null());
  json_object_set_new(j, "in_footer", json_boolean(s->in_footer));
  json_object_set_new(j, "on_homepage", json_boolean(s->on_homepage));
  return j;
}

json_t *gw_links_target_json(const struct gw_link_report *r, const struct gw_link_target *t,
                             enum gw_links_scope scope)
{
  json_t *j = json_object();
  char buf[1024];
  bool homepage = scope == GW_LINKS_SCOPE_HOMEPAGE;
  json_object_set_new(j, "target", jstr(t->url));
  json_object_set_new(j, "scope", json_string(scope == GW_LINKS_SCOPE_ALL ? "all" : homepage ? "homepage" : "other"));
  json_object_set_new(j, "class", json_string(gw_link_class_key(t->cls)));
  json_object_set_new(j, "class_label", json_string(gw_link_class_label(t->cls)));
  json_object_set_new(j, "reason", json_string(gw_link_reason_key(t->reason)));
  json_object_set_new(j, "reason_label", json_string(gw_link_reason_label(t->reason)));
  json_object_set_new(j, "detail", jstr(gw_links_describe(t, buf, sizeof buf)));
  json_object_set_new(j, "status", t->http_status ? json_integer(t->http_status) : json_null());
  json_object_set_new(j, "error", t->error ? json_string(gw_fetch_error_key(t->error)) : json_null());
  json_object_set_new(j, "error_text", jstr(t->error_text));
  json_object_set_new(j, "method", jstr(t->method));
  json_object_set_new(j, "attempts", json_integer(t->attempts));
  json_object_set_new(j, "redirects", json_integer(t->redirects));
  json_object_set_new(j, "final_url", jstr(t->final_url));
  json_error_t je;
  json_t *chain = t->redirect_chain ? json_loads(t->redirect_chain, 0, &je) : NULL;
  json_object_set_new(j, "redirect_chain", chain ? chain : json_null());
  json_object_set_new(j, "internal", json_boolean(t->internal));
  json_object_set_new(j, "kind", json_string(gw_url_kind_key(t->kind)));
  json_object_set_new(j, "fetched_at", jtime(t->fetched_at));
  json_object_set_new(j, "crawl_id", json_integer(r->crawl_id));
  size_t pages = scope == GW_LINKS_SCOPE_ALL ? t->pages : homepage ? (t->home_occurrences ? 1 : 0) : t->other_pages;
  size_t occ = scope == GW_LINKS_SCOPE_ALL ? t->occurrences : homepage ? t->home_occurrences : t->other_occurrences;
  json_object_set_new(j, "pages", json_integer((json_int_t)pages));
  json_object_set_new(j, "occurrences", json_integer((json_int_t)occ));
  json_object_set_new(j, "homepage_occurrences", json_integer((json_int_t)t->home_occurrences));
  json_t *src = json_array();
  for (size_t i = 0; i < t->n_src; i++)
    if (scope == GW_LINKS_SCOPE_ALL || t->src[i].on_homepage == homepage)
      json_array_append_new(src, source_json(&t->src[i]));
  json_object_set_new(j, "sources", src);
  json_object_set_new(j, "sources_truncated", json_boolean(!homepage && t->src_truncated));
  if (t->reason == GW_LR_SOFT_404) {
    json_t *s = json_object();
    json_t *ph = json_array(), *sh = json_array();
    for (size_t k = 0; k < gw_notfound_phrase_count(); k++) {
      if (t->soft404.phrases & ((uint64_t)1 << k))
        json_array_append_new(ph, json_string(gw_notfound_phrase(k)));
      if (t->soft404.shared & ((uint64_t)1 << k))
        json_array_append_new(sh, json_string(gw_notfound_phrase(k)));
    }
    json_object_set_new(s, "page_title", jstr(t->title));
    json_object_set_new(s, "phrases", ph);
    json_object_set_new(s, "shared_with_canary", sh);
    json_object_set_new(s, "similarity", json_real((double)(long)(t->soft404.similarity * 1000 + 0.5) / 1000));
    json_object_set_new(s, "text_chars", json_integer((json_int_t)t->soft404.chars));
    json_object_set_new(s, "weak", json_boolean(t->soft404.weak));
    if (t->canary != SIZE_MAX) {
      const struct gw_link_canary *c = &r->canaries[t->canary];
      json_object_set_new(s, "canary_url", jstr(c->url));
      json_object_set_new(s, "canary_asked", json_boolean(c->asked));
      json_object_set_new(s, "canary_status", c->status ? json_integer(c->status) : json_null());
      json_object_set_new(s, "canary_error", c->error ? json_string(gw_fetch_error_key(c->error)) : json_null());
      json_object_set_new(s, "canary_final_url", jstr(c->final_url));
      json_object_set_new(s, "canary_title", jstr(c->title));
      json_object_set_new(s, "canary_fetched_at", jtime(c->fetched_at));
      /* a 404 to a path that cannot exist proves the server can say "not found" */
      json_object_set_new(s, "server_distinguishes",
                          c->status ? json_boolean(c->status == 404 || c->status == 410) : json_null());
    }
    json_object_set_new(j, "soft_404", s);
  } else {
    json_object_set_new(j, "soft_404", json_null());
  }
  return j;
}

static int emit_scope(struct gw_check_ctx *ctx, const struct gw_link_report *r, const struct gw_link_target *t,
                      bool homepage)
{
  const struct gw_link_source *first = NULL;
  for (size_t i = 0; i < t->n_src && !first; i++)
    if (t->src[i].on_homepage == homepage)
      first = &t->src[i];
  if (!first)
    return GW_OK; /* every occurrence of this scope was left out (cannot happen: the first is always kept) */
  struct gw_buf key = GW_BUF_INIT, loc = GW_BUF_INIT, detail = GW_BUF_INIT;
  char why[1024], when[32];
  gw_buf_printf(&key, "%s|%s", homepage ? "homepage" : "other", t->url);
  locator(first, &loc);
  gw_links_describe(t, why, sizeof why);
  gw_time_format(t->fetched_at, when, sizeof when);
  if (homepage) {
    gw_buf_printf(&detail, "首页（%s）的链接“%s”指向 %s，%s。", gw_buf_cstr(&loc), first->anchor, t->url, why);
    if (t->home_occurrences > 1)
      gw_buf_printf(&detail, "首页共 %zu 处链接指向该地址。", t->home_occurrences);
  } else {
    gw_buf_printf(&detail, "%zu 个页面共 %zu 处链接指向 %s，%s。如：", t->other_pages, t->other_occurrences, t->url,
                  why);
    size_t named = 0;
    int64_t last = 0;
    for (size_t i = 0; i < t->n_src && named < DETAIL_PAGES; i++) {
      const struct gw_link_source *s = &t->src[i];
      if (s->on_homepage || s->from_id == last)
        continue;
      last = s->from_id;
      struct gw_buf l = GW_BUF_INIT;
      locator(s, &l);
      gw_buf_printf(&detail, "%s%s（%s“%s”）", named ? "；" : "", s->page, gw_buf_cstr(&l), s->anchor);
      gw_buf_free(&l);
      named++;
    }
    if (t->other_pages > named)
      gw_buf_printf(&detail, " 等 %zu 个页面", t->other_pages);
    gw_buf_puts(&detail, "。");
  }
  gw_buf_printf(&detail, "检测时间 %s。", when);
  json_t *obs = gw_links_target_json(r, t, homepage ? GW_LINKS_SCOPE_HOMEPAGE : GW_LINKS_SCOPE_OTHER);
  char *obs_text = json_dumps(obs, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(obs);

  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)(homepage ? GW_RULE_LINK_BROKEN_HOMEPAGE : GW_RULE_LINK_BROKEN_OTHER);
  f.severity = GW_SEV_DEDUCT;
  f.needs_review = t->reason == GW_LR_SOFT_404 && t->soft404.weak;
  f.key = (char *)gw_buf_cstr(&key);
  f.url = (char *)first->page;
  f.target = t->url;
  f.locator = (char *)gw_buf_cstr(&loc);
  f.snippet = *first->anchor ? first->anchor : NULL;
  f.title = (char *)(homepage ? "首页链接不可用" : "其他页面链接不可用");
  f.detail = (char *)gw_buf_cstr(&detail);
  f.observed_json = obs_text;
  f.observed_at = t->fetched_at;
  int rc = gw_check_emit(ctx, &f);
  free(obs_text);
  gw_buf_free(&key);
  gw_buf_free(&loc);
  gw_buf_free(&detail);
  return rc;
}

static int links_broken_run(struct gw_check_ctx *ctx)
{
  struct gw_links_opts o;
  memset(&o, 0, sizeof o);
  o.probe = ctx->probe;
  o.probe_ctx = ctx->probe_ctx;
  struct gw_link_report r;
  int rc = gw_links_analyze(ctx->view, &o, &r);
  if (rc != GW_OK)
    return rc;
  for (size_t i = 0; i < r.n && rc == GW_OK; i++) {
    const struct gw_link_target *t = &r.v[i];
    if (t->cls != GW_LC_BROKEN || t->occurrences == 0)
      continue;
    if (t->home_occurrences)
      rc = emit_scope(ctx, &r, t, true);
    if (rc == GW_OK && t->other_occurrences)
      rc = emit_scope(ctx, &r, t, false);
  }
  gw_link_report_free(&r);
  return rc;
}

const struct gw_check gw_check_links_broken = {
  .id = "links.broken",
  .title = "链接可用性",
  .summary = "broken internal and external links (4xx, 5xx, DNS, refused, timeouts, redirect loops, soft 404s), "
             "homepage and other pages apart",
  .rules = g_rules,
  .needs = GW_CHECK_NEEDS_CRAWL | GW_CHECK_NEEDS_PROBE,
  .run = links_broken_run,
};
