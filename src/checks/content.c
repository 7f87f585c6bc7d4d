/* The content checks wording.serious, wording.typo and privacy.leak
 * (content.h): one walk over the crawl's HTML pages, the text engines of
 * text/wording.h and text/privacy.h, grouping of what they find into
 * findings with evidence.
 *
 * Grouping (how one suspect becomes findings): hits are first grouped by
 * (suspect, sentence): a group seen on GW_CONTENT_TEMPLATE_PAGES or more
 * pages is template text and becomes one finding for all its pages. Every
 * other hit is grouped by (page, suspect): one finding per page and suspect,
 * counting its occurrences on that page. The keys hold the page URL and the
 * suspect (for privacy: the kind and the masked number, never the number),
 * so they stay the same from one inspection to the next. */
#include "checks/content.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dict.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "core/log.h"
#include "core/utf8.h"
#include "text/doctext.h"

/* ---- the loaded word lists, shared by the process ---- */

enum cache_kind { CACHE_WORDING = 1, CACHE_PRIVACY };

struct cached {
  enum cache_kind kind;
  char *key;
  void *obj;
  struct cached *next;
};

static pthread_mutex_t g_cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct cached *g_cache;

/* content.dict_dir when set, else the data directory of core/dict.h. */
static const char *dict_dir(const struct gw_config *cfg)
{
  return cfg && cfg->dict_dir && *cfg->dict_dir ? cfg->dict_dir : gw_dict_dir();
}

static void *cache_find(enum cache_kind kind, const char *key)
{
  for (struct cached *c = g_cache; c; c = c->next)
    if (c->kind == kind && strcmp(c->key, key) == 0)
      return c->obj;
  return NULL;
}

static void cache_add(enum cache_kind kind, const char *key, void *obj)
{
  struct cached *c = gw_calloc(1, sizeof *c);
  c->kind = kind;
  c->key = gw_strdup(key);
  c->obj = obj;
  c->next = g_cache;
  g_cache = c;
}

int gw_content_wording(const struct gw_config *cfg, const struct gw_wording **out)
{
  const char *freq = cfg && cfg->freq_dict && *cfg->freq_dict ? cfg->freq_dict : NULL;
  const char *conf = cfg && cfg->confusion_dir && *cfg->confusion_dir ? cfg->confusion_dir : NULL;
  struct gw_buf dir = GW_BUF_INIT, key = GW_BUF_INIT;
  gw_buf_printf(&dir, "%s/wording", dict_dir(cfg));
  gw_buf_printf(&key, "%s\n%s\n%s", gw_buf_cstr(&dir), freq ? freq : "", conf ? conf : "");
  int rc = GW_OK;
  pthread_mutex_lock(&g_cache_mu);
  struct gw_wording *e = cache_find(CACHE_WORDING, gw_buf_cstr(&key));
  if (!e) {
    rc = gw_wording_new(&e, gw_buf_cstr(&dir), freq, conf);
    if (rc == GW_OK)
      cache_add(CACHE_WORDING, gw_buf_cstr(&key), e);
    else
      rc = gw_err_prefix(rc, "wording lists (configuration keys content.dict_dir, content.freq_dict, "
                             "content.confusion_dir)");
  }
  pthread_mutex_unlock(&g_cache_mu);
  if (rc == GW_OK)
    *out = e;
  gw_buf_free(&dir);
  gw_buf_free(&key);
  return rc;
}

int gw_content_privacy(const struct gw_config *cfg, const struct gw_privacy_dict **out)
{
  struct gw_buf dir = GW_BUF_INIT;
  gw_buf_printf(&dir, "%s/privacy", dict_dir(cfg));
  int rc = GW_OK;
  pthread_mutex_lock(&g_cache_mu);
  struct gw_privacy_dict *d = cache_find(CACHE_PRIVACY, gw_buf_cstr(&dir));
  if (!d) {
    gw_privacy_dict_new(&d);
    rc = gw_privacy_dict_load(d, gw_buf_cstr(&dir));
    if (rc == GW_OK) {
      cache_add(CACHE_PRIVACY, gw_buf_cstr(&dir), d);
    } else {
      gw_privacy_dict_free(&d);
      rc = gw_err_prefix(rc, "privacy lists (configuration key content.dict_dir)");
    }
  }
  pthread_mutex_unlock(&g_cache_mu);
  if (rc == GW_OK)
    *out = d;
  gw_buf_free(&dir);
  return rc;
}

void gw_content_cache_clear(void)
{
  pthread_mutex_lock(&g_cache_mu);
  while (g_cache) {
    struct cached *c = g_cache;
    g_cache = c->next;
    if (c->kind == CACHE_WORDING) {
      struct gw_wording *e = c->obj;
      gw_wording_free(&e);
    } else {
      struct gw_privacy_dict *d = c->obj;
      gw_privacy_dict_free(&d);
    }
    free(c->key);
    free(c);
  }
  pthread_mutex_unlock(&g_cache_mu);
}

/* ---- masking numbers in quoted text ---- */

static bool digit_at(const char *s, size_t len, size_t i, size_t *adv)
{
  uint32_t cp = 0;
  size_t n = gw_utf8_decode(s + i, len - i, &cp);
  if (n == 0)
    return false;
  *adv = n;
  return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

static bool x_at(const char *s, size_t len, size_t i, size_t *adv)
{
  uint32_t cp = 0;
  size_t n = gw_utf8_decode(s + i, len - i, &cp);
  *adv = n;
  return n && (cp == 'X' || cp == 'x' || cp == 0xFF38 || cp == 0xFF58);
}

void gw_content_mask_numbers(struct gw_buf *b, const char *s, size_t len)
{
  size_t i = 0;
  while (i < len) {
    size_t adv = 0;
    if (digit_at(s, len, i, &adv)) {
      /* a run of digits (and a trailing X): its code points' offsets */
      size_t start = i, n = 0, offs[64];
      size_t j = i;
      while (j < len && digit_at(s, len, j, &adv)) {
        if (n < 64)
          offs[n] = j;
        n++;
        j += adv;
      }
      if (j < len && x_at(s, len, j, &adv) && adv) {
        if (n < 64)
          offs[n] = j;
        n++;
        j += adv;
      }
      if (n >= 11 && n <= 64) {
        /* first two and last three characters kept */
        gw_buf_append(b, s + start, offs[2] - start);
        for (size_t k = 2; k + 3 < n; k++)
          gw_buf_putc(b, '*');
        gw_buf_append(b, s + offs[n - 3], j - offs[n - 3]);
      } else if (n > 64) {
        for (size_t k = 0; k < n; k++)
          gw_buf_putc(b, '*');
      } else {
        gw_buf_append(b, s + start, j - start);
      }
      i = j;
      continue;
    }
    uint32_t cp = 0;
    size_t n = gw_utf8_decode(s + i, len - i, &cp);
    if (n == 0) {
      gw_buf_puts(b, "\xEF\xBF\xBD");
      i++;
    } else {
      gw_buf_append(b, s + i, n);
      i += n;
    }
  }
}

static char *masked_dup(const char *s, size_t len)
{
  /* quoted text ends where its words end (sentences keep their line end) */
  while (len && (s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
    len--;
  struct gw_buf b = GW_BUF_INIT;
  gw_content_mask_numbers(&b, s, len);
  gw_buf_puts(&b, ""); /* never NULL */
  return gw_buf_steal(&b);
}

/* ---- the page walk ---- */

struct page_ref {
  int64_t id;
  char *url;
  char *title;           /* masked; for a document its file name */
  enum gw_doc_kind doc;  /* GW_DOC_UNKNOWN for an HTML page */
};

enum which { W_SERIOUS = 1, W_TYPO, W_PRIVACY };

struct hit {
  size_t page;        /* index into run.pages */
  size_t para, off;   /* paragraph (line of the visible text, 1-based) and byte offset */
  char *what;         /* identity within a page: the suspect, or kind:masked */
  char *ctx;          /* the sentence (numbers masked) or the privacy snippet (masked) */
  /* wording */
  enum gw_wording_cat cat;
  char *suspect, *suggestion, *rule, *note;
  double conf;
  /* privacy */
  enum gw_privacy_kind kind;
  enum gw_privacy_conf pconf;
  unsigned reasons;
  char *masked, *why, *label;
  /* grouping */
  bool templated;
};

struct run {
  struct gw_check_ctx *cx;
  enum which which;
  const struct gw_wording *we;
  const struct gw_privacy_dict *pd;
  struct page_ref *pages;
  size_t n_pages, cap_pages;
  struct hit *hits;
  size_t n_hits, cap_hits;
  bool cut;              /* GW_CONTENT_MAX_HITS reached */
  size_t cur;            /* page being scanned */
  const char *text;      /* its text */
  size_t text_len;
  size_t line_off, line_no; /* paragraph counting, monotonic within a page */
  size_t docs, doc_errors;  /* attachments read, and those that could not be */
};

static void hit_free(struct hit *h)
{
  free(h->what);
  free(h->ctx);
  free(h->suspect);
  free(h->suggestion);
  free(h->rule);
  free(h->note);
  free(h->masked);
  free(h->why);
  free(h->label);
}

static void run_free(struct run *r)
{
  for (size_t i = 0; i < r->n_pages; i++) {
    free(r->pages[i].url);
    free(r->pages[i].title);
  }
  free(r->pages);
  for (size_t i = 0; i < r->n_hits; i++)
    hit_free(&r->hits[i]);
  free(r->hits);
}

static int on_url(void *arg, const struct gw_crawl_url *u)
{
  struct run *r = arg;
  if (!u->internal || u->state != GW_URL_DONE)
    return 0;
  if (!(u->http_status >= 200 && u->http_status < 300) && u->http_status != 304)
    return 0;
  if (!u->body_id && !u->reused_id)
    return 0;
  /* HTML pages, and the office documents the crawler kept
   * (crawl.keep_documents); a document cut at the body cap is not a
   * readable archive */
  enum gw_doc_kind doc = GW_DOC_UNKNOWN;
  if (u->kind == GW_URL_RESOURCE) {
    doc = u->body_truncated ? GW_DOC_UNKNOWN : gw_doctext_kind(u->content_type, u->url);
    if (doc == GW_DOC_UNKNOWN)
      return 0;
  } else if (u->kind != GW_URL_PAGE) {
    return 0;
  }
  if (r->n_pages == r->cap_pages) {
    r->cap_pages = r->cap_pages ? r->cap_pages * 2 : 64;
    r->pages = gw_reallocarray(r->pages, r->cap_pages, sizeof *r->pages);
  }
  struct page_ref *p = &r->pages[r->n_pages++];
  p->id = u->id;
  p->url = gw_strdup(u->url); /* unique in the crawl (two URLs may redirect to one page) */
  p->title = NULL;
  p->doc = doc;
  return 0;
}

/* The paragraph (1-based line of the visible text) holding byte `off`;
 * offsets arrive in text order, so counting goes on from the last one. */
static size_t para_of(struct run *r, size_t off)
{
  const char *t = r->text;
  if (off < r->line_off) {
    r->line_off = 0;
    r->line_no = 1;
  }
  for (size_t i = r->line_off; i < off && i < r->text_len; i++)
    if (t[i] == '\n')
      r->line_no++;
  r->line_off = off;
  return r->line_no;
}

static struct hit *new_hit(struct run *r)
{
  if (r->n_hits >= GW_CONTENT_MAX_HITS) {
    r->cut = true;
    return NULL;
  }
  if (r->n_hits == r->cap_hits) {
    r->cap_hits = r->cap_hits ? r->cap_hits * 2 : 64;
    r->hits = gw_reallocarray(r->hits, r->cap_hits, sizeof *r->hits);
  }
  struct hit *h = &r->hits[r->n_hits++];
  memset(h, 0, sizeof *h);
  h->page = r->cur;
  return h;
}

static bool serious_cat(enum gw_wording_cat c)
{
  return c != GW_WCAT_TYPO;
}

static int on_wording(const struct gw_wording_hit *w, void *arg)
{
  struct run *r = arg;
  if ((r->which == W_SERIOUS) != serious_cat(w->cat))
    return 0;
  struct hit *h = new_hit(r);
  if (!h)
    return 1; /* stop this page: the cap is reached */
  h->para = para_of(r, w->start);
  h->off = w->start;
  h->cat = w->cat;
  h->suspect = masked_dup(w->suspect, strlen(w->suspect));
  h->what = gw_strdup(h->suspect);
  h->ctx = masked_dup(r->text + w->sent_start, w->sent_len);
  h->suggestion = masked_dup(w->suggestion, strlen(w->suggestion));
  h->rule = gw_strdup(w->rule ? w->rule : "");
  h->note = gw_strdup(w->note ? w->note : "");
  h->conf = w->confidence;
  return 0;
}

static int on_privacy(const struct gw_privacy_hit *p, void *arg)
{
  struct run *r = arg;
  struct hit *h = new_hit(r);
  if (!h)
    return 1;
  h->para = para_of(r, p->start);
  h->off = p->start;
  h->kind = p->kind;
  h->pconf = p->confidence;
  h->reasons = p->reasons;
  h->masked = gw_strdup(p->masked);
  struct gw_buf w = GW_BUF_INIT;
  gw_buf_printf(&w, "%s:%s", gw_privacy_kind_name(p->kind), p->masked);
  h->what = gw_buf_steal(&w);
  /* the engine masks every long number of its snippet; masking again costs
   * nothing and keeps this file's guarantee independent of that */
  h->ctx = masked_dup(p->snippet, strlen(p->snippet));
  h->why = gw_strdup(p->why ? p->why : "");
  h->label = p->context ? gw_strdup(p->context) : NULL;
  return 0;
}

/* The text of document row i into *b: GW_OK, GW_ENOTFOUND (no body, or
 * not readable: logged and counted, the site's problem is not ours to
 * fail on), or a store error. */
static int doc_text(struct run *r, size_t i, struct gw_buf *b)
{
  struct page_ref *pg = &r->pages[i];
  char *data = NULL;
  size_t len = 0;
  int rc = gw_check_view_body(r->cx->view, pg->id, &data, &len);
  if (rc == GW_ENOTFOUND) {
    gw_err_clear();
    return GW_ENOTFOUND;
  }
  if (rc != GW_OK)
    return rc;
  r->docs++;
  rc = gw_doctext_extract(pg->url, pg->doc, data, len, b, NULL);
  free(data);
  if (rc != GW_OK) {
    gw_warn("%s: attachment not read: %s", r->cx->check->id, gw_err_msg());
    gw_err_clear();
    r->doc_errors++;
    return GW_ENOTFOUND;
  }
  /* its file name stands for a title */
  const char *u = pg->url;
  size_t n = strcspn(u, "?#");
  size_t s = n;
  while (s > 0 && u[s - 1] != '/')
    s--;
  pg->title = masked_dup(u + s, n - s);
  return GW_OK;
}

static int scan_pages(struct run *r)
{
  struct gw_check_view *v = r->cx->view;
  int rc = gw_check_view_urls(v, 0, on_url, r);
  struct gw_buf doc = GW_BUF_INIT;
  for (size_t i = 0; i < r->n_pages && rc == GW_OK && !r->cut; i++) {
    gw_buf_reset(&doc);
    if (r->pages[i].doc != GW_DOC_UNKNOWN) {
      int drc = doc_text(r, i, &doc);
      if (drc == GW_ENOTFOUND)
        continue;
      if (drc != GW_OK) {
        rc = drc;
        break;
      }
      r->text = doc.data ? doc.data : "";
      r->text_len = doc.len;
    } else {
      const struct gw_page *p = NULL;
      int prc = gw_check_view_page(v, r->pages[i].id, &p);
      if (prc == GW_ENOTFOUND) {
        gw_err_clear(); /* no stored body (not HTML after all): nothing to read */
        continue;
      }
      if (prc != GW_OK) {
        rc = prc;
        break;
      }
      r->pages[i].title = masked_dup(p->title, strlen(p->title));
      r->text = p->text;
      r->text_len = p->text_len;
    }
    r->cur = i;
    r->line_off = 0;
    r->line_no = 1;
    if (r->which == W_PRIVACY) {
      struct gw_privacy_opts o;
      memset(&o, 0, sizeof o);
      o.dict = r->pd;
      o.as_of = r->cx->as_of;
      o.min_confidence = GW_PRIVACY_MEDIUM;
      size_t len = r->text_len < GW_PRIVACY_MAX_TEXT ? r->text_len : GW_PRIVACY_MAX_TEXT;
      int src = gw_privacy_scan(r->text, len, &o, on_privacy, r);
      if (src != GW_OK && src != 1)
        rc = gw_err_prefix(src, "privacy.leak: %s", r->pages[i].url);
    } else {
      gw_wording_scan(r->we, r->text, r->text_len, on_wording, r);
    }
    r->text = NULL;
  }
  gw_buf_free(&doc);
  return rc;
}

/* ---- grouping ---- */

static int cmp_tpl(const void *a, const void *b)
{
  const struct hit *x = *(const struct hit *const *)a, *y = *(const struct hit *const *)b;
  int c = strcmp(x->what, y->what);
  if (!c)
    c = strcmp(x->ctx, y->ctx);
  if (!c)
    c = x->page < y->page ? -1 : x->page > y->page;
  if (!c)
    c = x->off < y->off ? -1 : x->off > y->off;
  return c;
}

static int cmp_page(const void *a, const void *b)
{
  const struct hit *x = *(const struct hit *const *)a, *y = *(const struct hit *const *)b;
  int c = x->page < y->page ? -1 : x->page > y->page;
  if (!c) {
    /* by first appearance on the page: the group's first hit is earliest */
    c = strcmp(x->what, y->what);
  }
  if (!c)
    c = x->off < y->off ? -1 : x->off > y->off;
  return c;
}

static uint64_t fnv64(const char *s)
{
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

static json_t *jstr(const char *s)
{
  return s ? json_string(s) : json_null();
}

static bool wording_review(const struct hit *h)
{
  return h->cat == GW_WCAT_SENSITIVE || h->cat == GW_WCAT_FALLEN || !*h->suggestion ||
         strcmp(h->rule, "statistical") == 0 || h->conf < 0.85;
}

/* Emit one finding for hits g[0..n) (sorted by page then offset);
 * `tpl` when they are one template group over several pages. */
static int emit_group(struct run *r, struct hit **g, size_t n, bool tpl)
{
  const struct hit *h = g[0];
  const struct page_ref *pg = &r->pages[h->page];
  size_t pages = 0;
  for (size_t i = 0; i < n; i++)
    if (i == 0 || g[i]->page != g[i - 1]->page)
      pages++;
  struct gw_buf key = GW_BUF_INIT, loc = GW_BUF_INIT, detail = GW_BUF_INIT, title = GW_BUF_INIT;
  if (tpl)
    gw_buf_printf(&key, "template|%s|%016llx", h->what, (unsigned long long)fnv64(h->ctx));
  else
    gw_buf_printf(&key, "page|%s|%s", pg->url, h->what);
  /* a paragraph of a page or DOCX, a row of a worksheet */
  const char *unit = pg->doc == GW_DOC_XLSX ? "行" : "段";
  const char *where = pg->doc != GW_DOC_UNKNOWN ? "附件" : "页面";
  if (tpl)
    gw_buf_printf(&loc, "模板文字：%zu 个%s的同一语句（首见于第 %zu %s）", pages, where, h->para, unit);
  else if (n > 1)
    gw_buf_printf(&loc, "%s第 %zu %s（%s共 %zu 处）", pg->doc != GW_DOC_UNKNOWN ? "附件" : "", h->para, unit,
                  pg->doc != GW_DOC_UNKNOWN ? "本件" : "本页", n);
  else
    gw_buf_printf(&loc, "%s第 %zu %s", pg->doc != GW_DOC_UNKNOWN ? "附件" : "", h->para, unit);

  json_t *obs = json_object();
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  if (r->which == W_PRIVACY) {
    f.rule = (char *)GW_RULE_PRIVACY_LEAK;
    f.severity = GW_SEV_VETO;
    f.needs_review = h->pconf != GW_PRIVACY_HIGH;
    gw_buf_printf(&title, "个人隐私泄露：%s未脱敏", gw_privacy_kind_label(h->kind));
    gw_buf_printf(&detail, "%s《%s》%s公开了未脱敏的%s %s（%s；可信度%s）。", where, pg->title, gw_buf_cstr(&loc),
                  gw_privacy_kind_label(h->kind), h->masked, h->why, gw_privacy_conf_label(h->pconf));
    if (f.needs_review)
      gw_buf_puts(&detail, "号码旁没有表明个人信息的标签或栏目，需人工确认是否为个人信息。");
    json_object_set_new(obs, "kind", json_string(gw_privacy_kind_name(h->kind)));
    json_object_set_new(obs, "kind_label", json_string(gw_privacy_kind_label(h->kind)));
    json_object_set_new(obs, "masked", json_string(h->masked));
    json_object_set_new(obs, "confidence", json_string(gw_privacy_conf_name(h->pconf)));
    json_object_set_new(obs, "why", json_string(h->why));
    json_object_set_new(obs, "context_word", jstr(h->label));
    json_object_set_new(obs, "snippet", json_string(h->ctx));
  } else {
    bool serious = r->which == W_SERIOUS;
    bool stat = strcmp(h->rule, "statistical") == 0;
    f.rule = (char *)(serious ? GW_RULE_SERIOUS_WORDING : GW_RULE_TYPO);
    f.severity = serious ? GW_SEV_VETO : GW_SEV_DEDUCT;
    f.needs_review = wording_review(h);
    if (serious)
      gw_buf_printf(&title, "疑似严重表述错误（%s）", gw_wording_cat_label(h->cat));
    else
      gw_buf_puts(&title, stat ? "疑似错别字（统计检测）" : "疑似错别字");
    gw_buf_printf(&detail, "%s《%s》%s：“%s”", where, pg->title, gw_buf_cstr(&loc), h->suspect);
    if (*h->suggestion)
      gw_buf_printf(&detail, "疑为“%s”之误", h->suggestion);
    else
      gw_buf_printf(&detail, "属于%s名单", gw_wording_cat_label(h->cat));
    gw_buf_printf(&detail, "（%s；类别：%s；依据：%s）。", h->note, gw_wording_cat_label(h->cat),
                  stat ? "统计检测（词频模型）" : h->rule);
    if (f.needs_review)
      gw_buf_puts(&detail, stat || h->conf < 0.85 ? "此为低置信度疑点，需人工确认后方计入。"
                                                  : "需人工判断后方计入。");
    json_object_set_new(obs, "category", json_string(gw_wording_cat_id(h->cat)));
    json_object_set_new(obs, "category_label", json_string(gw_wording_cat_label(h->cat)));
    json_object_set_new(obs, "suspect", json_string(h->suspect));
    json_object_set_new(obs, "suggestion", json_string(h->suggestion));
    json_object_set_new(obs, "source", json_string(h->rule));
    json_object_set_new(obs, "statistical", json_boolean(stat));
    json_object_set_new(obs, "note", json_string(h->note));
    json_object_set_new(obs, "confidence", json_real((double)(long)(h->conf * 100 + 0.5) / 100));
    json_object_set_new(obs, "sentence", json_string(h->ctx));
  }
  if (tpl) {
    gw_buf_printf(&detail, "同一语句出现在 %zu 个%s（模板文字，合并为一条），如：", pages, where);
    size_t named = 0;
    for (size_t i = 0; i < n && named < 3; i++)
      if (i == 0 || g[i]->page != g[i - 1]->page)
        gw_buf_printf(&detail, "%s%s", named++ ? "；" : "", r->pages[g[i]->page].url);
    gw_buf_puts(&detail, pages > named ? " 等。" : "。");
  }
  if (r->cut)
    gw_buf_printf(&detail, "（疑点超过 %d 处，其余未列出。）", GW_CONTENT_MAX_HITS);
  json_object_set_new(obs, "paragraph", json_integer((json_int_t)h->para));
  json_object_set_new(obs, "offset", json_integer((json_int_t)h->off));
  json_object_set_new(obs, "occurrences", json_integer((json_int_t)n));
  json_object_set_new(obs, "page_title", json_string(pg->title));
  json_object_set_new(obs, "document", pg->doc != GW_DOC_UNKNOWN ? json_string(gw_doctext_kind_name(pg->doc)) : json_null());
  json_object_set_new(obs, "template", json_boolean(tpl));
  json_object_set_new(obs, "hits_cut", json_boolean(r->cut));
  json_t *plist = json_array(), *paras = json_array();
  for (size_t i = 0; i < n; i++) {
    if (tpl && (i == 0 || g[i]->page != g[i - 1]->page) && json_array_size(plist) < GW_CONTENT_MAX_PAGES_LISTED)
      json_array_append_new(plist, json_string(r->pages[g[i]->page].url));
    if (!tpl && json_array_size(paras) < 100)
      json_array_append_new(paras, json_integer((json_int_t)g[i]->para));
  }
  json_object_set_new(obs, "pages", json_integer((json_int_t)pages));
  json_object_set_new(obs, "page_urls", plist);
  json_object_set_new(obs, "paragraphs", paras);
  char *obs_text = json_dumps(obs, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(obs);

  f.key = (char *)gw_buf_cstr(&key);
  f.url = pg->url;
  f.locator = (char *)gw_buf_cstr(&loc);
  f.snippet = h->ctx;
  f.title = (char *)gw_buf_cstr(&title);
  f.detail = (char *)gw_buf_cstr(&detail);
  f.observed_json = obs_text;
  int rc = gw_check_emit(r->cx, &f);
  free(obs_text);
  gw_buf_free(&key);
  gw_buf_free(&loc);
  gw_buf_free(&detail);
  gw_buf_free(&title);
  return rc;
}

static int emit_all(struct run *r)
{
  if (r->n_hits == 0)
    return GW_OK;
  struct hit **v = gw_reallocarray(NULL, r->n_hits, sizeof *v);
  for (size_t i = 0; i < r->n_hits; i++)
    v[i] = &r->hits[i];
  int rc = GW_OK;
  /* template groups: the same suspect in the same sentence on many pages */
  qsort(v, r->n_hits, sizeof *v, cmp_tpl);
  for (size_t i = 0; i < r->n_hits && rc == GW_OK;) {
    size_t j = i + 1, pages = 1;
    while (j < r->n_hits && strcmp(v[j]->what, v[i]->what) == 0 && strcmp(v[j]->ctx, v[i]->ctx) == 0) {
      if (v[j]->page != v[j - 1]->page)
        pages++;
      j++;
    }
    if (pages >= GW_CONTENT_TEMPLATE_PAGES) {
      for (size_t k = i; k < j; k++)
        v[k]->templated = true;
      rc = emit_group(r, v + i, j - i, true);
    }
    i = j;
  }
  /* the rest: one finding per (page, suspect) */
  size_t m = 0;
  for (size_t i = 0; i < r->n_hits; i++)
    if (!v[i]->templated)
      v[m++] = v[i];
  qsort(v, m, sizeof *v, cmp_page);
  for (size_t i = 0; i < m && rc == GW_OK;) {
    size_t j = i + 1;
    while (j < m && v[j]->page == v[i]->page && strcmp(v[j]->what, v[i]->what) == 0)
      j++;
    rc = emit_group(r, v + i, j - i, false);
    i = j;
  }
  free(v);
  return rc;
}

static int content_run(struct gw_check_ctx *cx, enum which which)
{
  struct run r;
  memset(&r, 0, sizeof r);
  r.cx = cx;
  r.which = which;
  int rc = which == W_PRIVACY ? gw_content_privacy(cx->config, &r.pd) : gw_content_wording(cx->config, &r.we);
  if (rc == GW_OK)
    rc = scan_pages(&r);
  if (rc == GW_OK)
    rc = emit_all(&r);
  run_free(&r);
  return rc;
}

static int serious_run(struct gw_check_ctx *cx)
{
  return content_run(cx, W_SERIOUS);
}

static int typo_run(struct gw_check_ctx *cx)
{
  return content_run(cx, W_TYPO);
}

static int privacy_run(struct gw_check_ctx *cx)
{
  return content_run(cx, W_PRIVACY);
}

static const char *const g_rules_serious[] = {GW_RULE_SERIOUS_WORDING, NULL};
static const char *const g_rules_typo[] = {GW_RULE_TYPO, NULL};
static const char *const g_rules_privacy[] = {GW_RULE_PRIVACY_LEAK, NULL};

const struct gw_check gw_check_privacy_leak = {
  .id = "privacy.leak",
  .title = "个人隐私泄露",
  .summary = "unmasked resident ID, mobile and bank card numbers in page text and tables (evidence masked)",
  .rules = g_rules_privacy,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = privacy_run,
};

const struct gw_check gw_check_wording_serious = {
  .id = "wording.serious",
  .title = "严重表述错误",
  .summary = "wrong leader names and titles, institution, meeting, law and place names, fixed expressions, "
             "sensitive words and fallen officials in page text (dict/wording)",
  .rules = g_rules_serious,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = serious_run,
};

const struct gw_check gw_check_wording_typo = {
  .id = "wording.typo",
  .title = "错别字",
  .summary = "misused words from dict/wording and statistical typo suspects (those need a person to confirm)",
  .rules = g_rules_typo,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = typo_run,
};
