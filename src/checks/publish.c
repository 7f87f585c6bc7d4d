/* The checks interpretation.link and annual_report.publish (interact.h).
 *
 * Policy documents are recognised by the 文号 in their title, their
 * interpretations by the column (ColumnName 政策解读) or the title (解读,
 * 起草说明, 一图读懂 ...); the link between the two is read from the crawl's
 * link table in both directions. Annual reports are recognised by title;
 * which year is due is computed from the as-of time and the deadlines in
 * dict/reports/deadlines.txt, keyed by the register's unit kind. The
 * Chinese wording users read is kept in the format strings of this file. */
#include "checks/interact.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/sitepages.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/dict.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/url.h"

static json_t *jtime(int64_t t)
{
  char buf[32];
  return json_string(gw_time_format(t, buf, sizeof buf));
}

static int emit(struct gw_check_ctx *ctx, const char *rule, enum gw_severity sev, bool review, const char *key,
                const char *url, const char *target, const char *locator, const char *snippet, const char *title,
                const char *detail, json_t *obs)
{
  char *obs_text = obs ? json_dumps(obs, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  struct gw_finding f;
  memset(&f, 0, sizeof f);
  f.rule = (char *)rule;
  f.severity = sev;
  f.needs_review = review;
  f.key = (char *)key;
  f.url = (char *)url;
  f.target = (char *)target;
  f.locator = (char *)locator;
  f.snippet = (char *)snippet;
  f.title = (char *)title;
  f.detail = (char *)detail;
  f.observed_json = obs_text;
  int rc = gw_check_emit(ctx, &f);
  free(obs_text);
  json_decref(obs);
  return rc;
}

/* A page's own title: ArticleTitle, else <title> up to the first "_" (the
 * CMS appends column and site names). malloc'd. */
static char *own_title(const struct gw_page *p)
{
  const char *a = gw_page_meta_field(p, GW_MF_ARTICLE_TITLE);
  if (a && *a)
    return gw_strdup(a);
  const char *u = strstr(p->title, "_");
  return u && u > p->title ? gw_strndup(p->title, (size_t)(u - p->title)) : gw_strdup(p->title);
}

/* ---- 文号 ---- */

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

/* The opening brackets a 文号 year is written in, and their closers. */
static const char *const g_open[] = {"〔", "[", "［", "【", "（", "(", NULL};
static const char *const g_close[] = {"〕", "]", "］", "】", "）", ")", NULL};

static size_t match_any(const char *s, const char *const *set, size_t *which)
{
  for (size_t i = 0; set[i]; i++) {
    size_t n = strlen(set[i]);
    if (strncmp(s, set[i], n) == 0) {
      if (which)
        *which = i;
      return n;
    }
  }
  return 0;
}

/* Find a 文号 (青政发〔2025〕3号) in s: true with its start and length
 * (the issuer's abbreviation included, up to 10 characters back). */
static bool find_docno(const char *s, size_t *off, size_t *len)
{
  for (size_t i = 0; s[i]; i++) {
    size_t w = 0;
    size_t ol = match_any(s + i, g_open, &w);
    if (!ol)
      continue;
    const char *p = s + i + ol;
    while (*p == ' ')
      p++;
    if (!(is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
          (p[0] == '1' || p[0] == '2')))
      continue;
    p += 4;
    while (*p == ' ')
      p++;
    size_t cw = 0;
    size_t cl = match_any(p, g_close, &cw);
    if (!cl)
      continue;
    p += cl;
    while (*p == ' ')
      p++;
    if (strncmp(p, "第", 3) == 0)
      p += 3;
    if (!is_digit(*p))
      continue;
    while (is_digit(*p))
      p++;
    if (strncmp(p, "号", 3) != 0)
      continue;
    p += 3;
    /* the issuer's abbreviation: CJK characters right before the bracket */
    size_t start = i, chars = 0;
    while (start > 0 && chars < 10) {
      size_t k = start - 1;
      while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
      unsigned char c0 = (unsigned char)s[k];
      if (c0 < 0xE4 || c0 > 0xE9) /* outside U+4E00..U+9FFF */
        break;
      start = k;
      chars++;
    }
    if (chars == 0)
      continue; /* "（2025）3号" alone is not a 文号 */
    *off = start;
    *len = (size_t)(p - s) - start;
    return true;
  }
  return false;
}

static const char *const g_interp_words[] = {"解读", "起草说明", "一图读懂", "图解", "答记者问", "政策问答", NULL};

static bool has_word(const char *s, const char *const *words)
{
  for (size_t i = 0; words[i]; i++)
    if (strstr(s, words[i]))
      return true;
  return false;
}

/* ---- interpretation.link ---- */

struct doc {
  int64_t id;
  char *url;
  char *title;
  char *docno;      /* policies only */
  int64_t *to;      /* interpretation (for a policy) or policy (for an interpretation) rows it links */
  size_t n_to, cap_to;
};

struct docs {
  struct doc *v;
  size_t n, cap;
};

static void docs_free(struct docs *d)
{
  for (size_t i = 0; i < d->n; i++) {
    free(d->v[i].url);
    free(d->v[i].title);
    free(d->v[i].docno);
    free(d->v[i].to);
  }
  free(d->v);
  memset(d, 0, sizeof *d);
}

static struct doc *docs_add(struct docs *d, int64_t id, const char *url, char *title)
{
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 32;
    d->v = gw_reallocarray(d->v, d->cap, sizeof *d->v);
  }
  struct doc *x = &d->v[d->n++];
  memset(x, 0, sizeof *x);
  x->id = id;
  x->url = gw_strdup(url);
  x->title = title;
  return x;
}

/* Docs are added in row id order, so a binary search finds a row. */
static struct doc *docs_find(const struct docs *d, int64_t id)
{
  size_t lo = 0, hi = d->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->v[mid].id == id)
      return &d->v[mid];
    if (d->v[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static bool links_to(const struct doc *x, int64_t id)
{
  for (size_t i = 0; i < x->n_to; i++)
    if (x->to[i] == id)
      return true;
  return false;
}

struct link_walk {
  struct doc *from;
  const struct docs *other;
};

static int on_doc_link(void *ctx, const struct gw_link_row *l)
{
  struct link_walk *w = ctx;
  if (!gw_str_eq(l->tag, "a") || !docs_find(w->other, l->to_id) || links_to(w->from, l->to_id))
    return 0;
  if (w->from->n_to == w->from->cap_to) {
    w->from->cap_to = w->from->cap_to ? w->from->cap_to * 2 : 4;
    w->from->to = gw_reallocarray(w->from->to, w->from->cap_to, sizeof *w->from->to);
  }
  w->from->to[w->from->n_to++] = l->to_id;
  return 0;
}

static bool is_interpretation(const struct gw_page *p, const char *title)
{
  const char *col = gw_page_meta_field(p, GW_MF_COLUMN_NAME);
  return (col && strstr(col, "解读")) || has_word(title, g_interp_words);
}

/* A document (an article), not a list page: it names itself (ArticleTitle)
 * or carries a labelled or meta publish date, and lists at most two items
 * (上一篇/下一篇). A column page also named 政策解读 must not count as an
 * interpretation of everything that links its column. */
static bool is_document(const struct gw_page *p)
{
  if (p->n_items > 2 || gw_interact_is_message_list(p))
    return false;
  const char *a = gw_page_meta_field(p, GW_MF_ARTICLE_TITLE);
  if (a && *a)
    return true;
  return p->pubdate_source == GW_PUBDATE_META || p->pubdate_source == GW_PUBDATE_LABEL;
}

static int interp_findings(struct gw_check_ctx *ctx, const struct docs *pol, const struct docs *itp)
{
  int rc = GW_OK;
  struct gw_buf key = GW_BUF_INIT, d = GW_BUF_INIT;
  for (size_t i = 0; i < pol->n && rc == GW_OK; i++) {
    const struct doc *p = &pol->v[i];
    /* interpretations that link this policy */
    size_t back = 0;
    for (size_t k = 0; k < itp->n; k++)
      if (links_to(&itp->v[k], p->id))
        back++;
    char loc[96];
    snprintf(loc, sizeof loc, "文号：%s", p->docno);
    if (p->n_to == 0 && back == 0) {
      gw_buf_reset(&key);
      gw_buf_reset(&d);
      gw_buf_printf(&key, "missing|%s", p->url);
      gw_buf_printf(&d, "政策文件《%s》（文号 %s）未关联任何解读材料：页面上没有指向解读的链接，站内也没有解读页面链接到该文件。",
                    p->title, p->docno);
      json_t *o = json_object();
      json_object_set_new(o, "title", json_string(p->title));
      json_object_set_new(o, "doc_number", json_string(p->docno));
      json_object_set_new(o, "interpretations_on_site", json_integer((json_int_t)itp->n));
      rc = emit(ctx, GW_RULE_INTERPRETATION_MISSING, GW_SEV_DEDUCT, false, gw_buf_cstr(&key), p->url, NULL, loc,
                p->title, "政策文件无解读", gw_buf_cstr(&d), o);
      continue;
    }
    /* policy -> interpretation without the way back */
    for (size_t k = 0; k < p->n_to && rc == GW_OK; k++) {
      const struct doc *x = docs_find(itp, p->to[k]);
      if (!x || links_to(x, p->id))
        continue;
      gw_buf_reset(&key);
      gw_buf_reset(&d);
      gw_buf_printf(&key, "unlinked|%s|%s", p->url, x->url);
      gw_buf_printf(&d, "政策文件《%s》（文号 %s）链接了解读《%s》（%s），但解读页面没有链接回原文件。", p->title,
                    p->docno, x->title, x->url);
      json_t *o = json_object();
      json_object_set_new(o, "policy", json_string(p->url));
      json_object_set_new(o, "interpretation", json_string(x->url));
      json_object_set_new(o, "doc_number", json_string(p->docno));
      json_object_set_new(o, "policy_links_interpretation", json_true());
      json_object_set_new(o, "interpretation_links_policy", json_false());
      rc = emit(ctx, GW_RULE_INTERPRETATION_UNLINKED, GW_SEV_DEDUCT, false, gw_buf_cstr(&key), x->url, p->url,
                loc, x->title, "政策文件与解读未双向关联", gw_buf_cstr(&d), o);
    }
    /* interpretation -> policy without the way there */
    for (size_t k = 0; k < itp->n && rc == GW_OK; k++) {
      const struct doc *x = &itp->v[k];
      if (!links_to(x, p->id) || links_to(p, x->id))
        continue;
      gw_buf_reset(&key);
      gw_buf_reset(&d);
      gw_buf_printf(&key, "unlinked|%s|%s", p->url, x->url);
      gw_buf_printf(&d, "解读《%s》（%s）链接了政策文件《%s》（文号 %s），但政策文件页面没有链接到该解读。", x->title,
                    x->url, p->title, p->docno);
      json_t *o = json_object();
      json_object_set_new(o, "policy", json_string(p->url));
      json_object_set_new(o, "interpretation", json_string(x->url));
      json_object_set_new(o, "doc_number", json_string(p->docno));
      json_object_set_new(o, "policy_links_interpretation", json_false());
      json_object_set_new(o, "interpretation_links_policy", json_true());
      rc = emit(ctx, GW_RULE_INTERPRETATION_UNLINKED, GW_SEV_DEDUCT, false, gw_buf_cstr(&key), p->url, x->url,
                loc, p->title, "政策文件与解读未双向关联", gw_buf_cstr(&d), o);
    }
  }
  gw_buf_free(&key);
  gw_buf_free(&d);
  return rc;
}

static int interp_run(struct gw_check_ctx *ctx)
{
  struct gw_sitepages sp;
  int rc = gw_sitepages_collect(ctx->view, &sp);
  if (rc != GW_OK)
    return rc;
  struct docs pol, itp;
  memset(&pol, 0, sizeof pol);
  memset(&itp, 0, sizeof itp);
  for (size_t i = 0; i < sp.n && rc == GW_OK; i++) {
    if (sp.v[i].id == sp.home_id)
      continue;
    const struct gw_page *p = NULL;
    rc = gw_check_view_page(ctx->view, sp.v[i].id, &p);
    if (rc == GW_ENOTFOUND) {
      gw_err_clear();
      rc = GW_OK;
      continue;
    }
    if (rc != GW_OK)
      break;
    if (!is_document(p))
      continue;
    char *t = own_title(p);
    size_t off, len;
    if (is_interpretation(p, t)) {
      docs_add(&itp, sp.v[i].id, sp.v[i].url, t);
    } else if (find_docno(t, &off, &len)) {
      struct doc *x = docs_add(&pol, sp.v[i].id, sp.v[i].url, t);
      x->docno = gw_strndup(t + off, len);
    } else {
      free(t);
    }
  }
  for (size_t i = 0; i < pol.n && rc == GW_OK; i++) {
    struct link_walk w = {&pol.v[i], &itp};
    rc = gw_check_view_links(ctx->view, pol.v[i].id, 0, on_doc_link, &w);
  }
  for (size_t i = 0; i < itp.n && rc == GW_OK; i++) {
    struct link_walk w = {&itp.v[i], &pol};
    rc = gw_check_view_links(ctx->view, itp.v[i].id, 0, on_doc_link, &w);
  }
  if (rc == GW_OK)
    rc = interp_findings(ctx, &pol, &itp);
  docs_free(&pol);
  docs_free(&itp);
  gw_sitepages_free(&sp);
  return rc;
}

static const char *const g_interp_rules[] = {GW_RULE_INTERPRETATION_MISSING, GW_RULE_INTERPRETATION_UNLINKED, NULL};

const struct gw_check gw_check_interpretation_link = {
  .id = "interpretation.link",
  .title = "政策解读",
  .summary = "policy documents (文号 in the title) without an interpretation, and interpretations not linked "
             "to their original in both directions",
  .rules = g_interp_rules,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = interp_run,
};

/* ---- annual_report.publish ---- */

enum report_kind { RK_GOV_INFO = 0, RK_SITE = 1 };

struct deadline {
  int month, day; /* of the year after the report's */
  bool set;
};

/* dict/reports/deadlines.txt: "REPORT KIND MM-DD" lines (interact.h). The
 * deadline of `kind` ("department", ...) for each report, "*" matching any
 * kind; an exact kind wins over "*". */
static int load_deadlines(const char *kind, struct deadline out[2], char *path, size_t path_size)
{
  snprintf(path, path_size, "%s/reports/deadlines.txt", gw_dict_dir());
  FILE *f = fopen(path, "r");
  if (!f)
    return gw_err_set(errno == ENOENT ? GW_ENOTFOUND : GW_EIO,
                      "report deadlines %s: %s (set GW_DICT_DIR to the directory holding reports/)", path,
                      strerror(errno));
  int rc = GW_OK;
  char line[256];
  long ln = 0;
  bool exact[2] = {false, false};
  memset(out, 0, 2 * sizeof *out);
  while (fgets(line, sizeof line, f)) {
    ln++;
    char *s = gw_str_trim(line);
    if (!*s || *s == '#')
      continue;
    char rep[40], k[40], md[16];
    int m = 0, d = 0;
    if (sscanf(s, "%39s %39s %15s", rep, k, md) != 3 || sscanf(md, "%2d-%2d", &m, &d) != 2 || m < 1 || m > 12 ||
        d < 1 || d > 31 || strlen(md) != 5) {
      rc = gw_err_set(GW_EPARSE, "report deadlines %s:%ld: expected 'REPORT KIND MM-DD', got '%s'", path, ln, s);
      break;
    }
    int r;
    if (strcmp(rep, "gov_info_report") == 0) {
      r = RK_GOV_INFO;
    } else if (strcmp(rep, "site_report") == 0) {
      r = RK_SITE;
    } else {
      rc = gw_err_set(GW_EPARSE, "report deadlines %s:%ld: unknown report '%s' (known: gov_info_report, site_report)",
                      path, ln, rep);
      break;
    }
    if (strcmp(k, "*") != 0 && strcmp(k, "region") != 0 && strcmp(k, "department") != 0 && strcmp(k, "town") != 0) {
      rc = gw_err_set(GW_EPARSE, "report deadlines %s:%ld: unknown unit kind '%s' (known: region, department, town, *)",
                      path, ln, k);
      break;
    }
    bool is_exact = strcmp(k, kind) == 0;
    if ((is_exact || (strcmp(k, "*") == 0 && !exact[r]))) {
      out[r].month = m;
      out[r].day = d;
      out[r].set = true;
      exact[r] = exact[r] || is_exact;
    }
  }
  fclose(f);
  if (rc == GW_OK && (!out[RK_GOV_INFO].set || !out[RK_SITE].set))
    rc = gw_err_set(GW_EPARSE, "report deadlines %s: no %s deadline for unit kind '%s'", path,
                    !out[RK_GOV_INFO].set ? "gov_info_report" : "site_report", kind);
  return rc;
}

/* The first instant after the deadline of the report of `year`. */
static int64_t deadline_end(const struct deadline *d, int year)
{
  struct gw_civil c = {year + 1, d->month, d->day, 0, 0, 0};
  return gw_time_from_civil(&c) + 86400;
}

/* The year of a report from its title: the first 4-digit 19xx/20xx number
 * followed by 年 (2024年, 2024年度), 0 if none. */
static int report_year(const char *t)
{
  for (size_t i = 0; t[i]; i++) {
    if (!(is_digit(t[i]) && is_digit(t[i + 1]) && is_digit(t[i + 2]) && is_digit(t[i + 3])))
      continue;
    if ((i > 0 && is_digit(t[i - 1])) || is_digit(t[i + 4]))
      continue;
    int y = (t[i] - '0') * 1000 + (t[i + 1] - '0') * 100 + (t[i + 2] - '0') * 10 + (t[i + 3] - '0');
    if (y >= 1990 && y <= 2199 && strncmp(t + i + 4, "年", 3) == 0)
      return y;
  }
  return 0;
}

static bool is_gov_info_title(const char *t)
{
  return strstr(t, "政府信息公开") && (strstr(t, "年度报告") || strstr(t, "年报"));
}

static bool is_site_report_title(const char *t)
{
  return strstr(t, "网站") && (strstr(t, "年度报表") || strstr(t, "工作报表"));
}

/* A list page holding reports: its column or title names one. */
static bool is_report_column(const struct gw_page *p, const char *title)
{
  const char *col = gw_page_meta_field(p, GW_MF_COLUMN_NAME);
  const char *s = col && *col ? col : title;
  return strstr(s, "年报") || strstr(s, "年度报告") || strstr(s, "年度报表");
}

struct seen {
  int year;
  char *url;
  bool on_home; /* linked from the homepage, or listed by a list page linked from it */
};

struct seen_set {
  struct seen *v;
  size_t n, cap;
};

static struct seen *seen_add(struct seen_set *s, int year, const char *url)
{
  for (size_t i = 0; i < s->n; i++)
    if (s->v[i].year == year && strcmp(s->v[i].url, url) == 0)
      return &s->v[i];
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 8;
    s->v = gw_reallocarray(s->v, s->cap, sizeof *s->v);
  }
  struct seen *x = &s->v[s->n++];
  x->year = year;
  x->url = gw_strdup(url);
  x->on_home = false;
  return x;
}

static void seen_free(struct seen_set *s)
{
  for (size_t i = 0; i < s->n; i++)
    free(s->v[i].url);
  free(s->v);
  memset(s, 0, sizeof *s);
}

static const struct seen *seen_year(const struct seen_set *s, int year, bool need_home)
{
  const struct seen *any = NULL;
  for (size_t i = 0; i < s->n; i++)
    if (s->v[i].year == year) {
      if (s->v[i].on_home)
        return &s->v[i];
      if (!any)
        any = &s->v[i];
    }
  return need_home ? NULL : any;
}

static json_t *years_json(const struct seen_set *s)
{
  json_t *a = json_array();
  int last = -1;
  /* distinct years, ascending (small sets: a selection pass) */
  for (;;) {
    int next = 0;
    for (size_t i = 0; i < s->n; i++)
      if (s->v[i].year > last && (!next || s->v[i].year < next))
        next = s->v[i].year;
    if (!next)
      break;
    json_array_append_new(a, json_integer(next));
    last = next;
  }
  return a;
}

struct home_links {
  char **urls;
  size_t n, cap;
  struct gw_check_view *v;
};

static int on_home_link(void *ctx, const struct gw_link_row *l)
{
  struct home_links *h = ctx;
  struct gw_crawl_url u;
  memset(&u, 0, sizeof u);
  int rc = gw_check_view_url(h->v, l->to_id, &u);
  if (rc != GW_OK)
    return rc;
  if (h->n == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 64;
    h->urls = gw_reallocarray(h->urls, h->cap, sizeof *h->urls);
  }
  h->urls[h->n++] = gw_strdup(u.url);
  gw_crawl_url_clear(&u);
  return 0;
}

static bool home_has(const struct home_links *h, const char *url)
{
  for (size_t i = 0; i < h->n; i++)
    if (strcmp(h->urls[i], url) == 0)
      return true;
  return false;
}

/* Item URLs as a page model writes them, compared with stored ones. */
static char *norm(const char *url)
{
  char *n = NULL;
  if (gw_url_normalize(NULL, url, &n) != GW_OK) {
    gw_err_clear();
    return gw_strdup(url);
  }
  return n;
}

static int report_findings(struct gw_check_ctx *ctx, const struct deadline dl[2], const char *kind,
                           const struct seen_set *gov, const struct seen_set *site, const char *gov_col,
                           const char *home)
{
  int rc = GW_OK;
  struct gw_civil now;
  gw_civil_from_time(ctx->as_of, &now);
  struct gw_buf key = GW_BUF_INIT, d = GW_BUF_INIT;
  for (int r = RK_GOV_INFO; r <= RK_SITE && rc == GW_OK; r++) {
    int due = ctx->as_of >= deadline_end(&dl[r], now.year - 1) ? now.year - 1 : now.year - 2;
    char dls[16];
    snprintf(dls, sizeof dls, "%04d-%02d-%02d", due + 1, dl[r].month, dl[r].day);
    const struct seen_set *s = r == RK_GOV_INFO ? gov : site;
    const struct seen *hit = seen_year(s, due, false);
    bool off_home = r == RK_SITE && hit && !seen_year(s, due, true);
    if (hit && !off_home)
      continue;
    gw_buf_reset(&key);
    gw_buf_reset(&d);
    const char *what = r == RK_GOV_INFO ? "政府信息公开工作年度报告" : "政府网站工作年度报表";
    gw_buf_printf(&key, "%s|%d%s", r == RK_GOV_INFO ? "gov_info_report" : "site_report", due,
                  off_home ? "|homepage" : "");
    if (off_home)
      gw_buf_printf(&d, "%d年度%s已发布（%s），但首页及首页链接的栏目页均未链接该报表（应于 %s 前在首页显著位置发布）。",
                    due, what, hit->url, dls);
    else
      gw_buf_printf(&d, "未发现%d年度%s（截止日期 %s，单位类型：%s）。", due, what, dls,
                    strcmp(kind, "department") == 0 ? "部门" : strcmp(kind, "town") == 0 ? "乡镇" : "地区政府");
    if (!off_home && s->n) {
      gw_buf_puts(&d, "网站现有年度：");
      json_t *ys = years_json(s);
      for (size_t i = 0; i < json_array_size(ys); i++)
        gw_buf_printf(&d, "%s%lld", i ? "、" : "", (long long)json_integer_value(json_array_get(ys, i)));
      json_decref(ys);
      gw_buf_puts(&d, "。");
    }
    json_t *o = json_object();
    json_object_set_new(o, "report", json_string(r == RK_GOV_INFO ? "gov_info_report" : "site_report"));
    json_object_set_new(o, "year", json_integer(due));
    json_object_set_new(o, "deadline", json_string(dls));
    json_object_set_new(o, "unit_kind", json_string(kind));
    json_object_set_new(o, "present_years", years_json(s));
    json_object_set_new(o, "published_url", off_home ? json_string(hit->url) : json_null());
    json_object_set_new(o, "as_of", jtime(ctx->as_of));
    const char *url = r == RK_GOV_INFO && gov_col ? gov_col : home;
    rc = emit(ctx, GW_RULE_ANNUAL_REPORT_MISSING, GW_SEV_DEDUCT, false, gw_buf_cstr(&key), url,
              off_home ? hit->url : NULL, r == RK_GOV_INFO && gov_col ? "栏目：政府信息公开年报" : "首页", NULL,
              off_home ? "网站工作年度报表未在首页发布" : r == RK_GOV_INFO ? "政府信息公开工作年度报告未按时发布"
                                                                             : "网站工作年度报表未按时发布",
              gw_buf_cstr(&d), o);
  }
  gw_buf_free(&key);
  gw_buf_free(&d);
  return rc;
}

static int report_run(struct gw_check_ctx *ctx)
{
  const char *kind = ctx->unit ? gw_unit_kind_key(ctx->unit->kind) : "department";
  struct deadline dl[2];
  char path[4096];
  int rc = load_deadlines(kind, dl, path, sizeof path);
  if (rc != GW_OK)
    return rc;
  struct gw_sitepages sp;
  rc = gw_sitepages_collect(ctx->view, &sp);
  if (rc != GW_OK)
    return rc;
  struct seen_set gov, site;
  memset(&gov, 0, sizeof gov);
  memset(&site, 0, sizeof site);
  struct home_links hl;
  memset(&hl, 0, sizeof hl);
  hl.v = ctx->view;
  char *gov_col = NULL;
  struct gw_buf key = GW_BUF_INIT, d = GW_BUF_INIT;
  if (sp.home_id)
    rc = gw_check_view_links(ctx->view, sp.home_id, 0, on_home_link, &hl);
  for (size_t i = 0; i < sp.n && rc == GW_OK; i++) {
    const struct gw_page *p = NULL;
    rc = gw_check_view_page(ctx->view, sp.v[i].id, &p);
    if (rc == GW_ENOTFOUND) {
      gw_err_clear();
      rc = GW_OK;
      continue;
    }
    if (rc != GW_OK)
      break;
    bool linked_home = sp.v[i].id == sp.home_id || home_has(&hl, sp.v[i].url);
    char *t = own_title(p);
    int y = report_year(t);
    if (y && is_gov_info_title(t))
      seen_add(&gov, y, sp.v[i].url)->on_home |= linked_home;
    else if (y && is_site_report_title(t))
      seen_add(&site, y, sp.v[i].url)->on_home |= linked_home;
    bool column = p->n_items > 0 && is_report_column(p, t) && !gw_interact_is_message_list(p);
    if (column && !gov_col && strstr(t, "信息公开"))
      gov_col = gw_strdup(sp.v[i].url);
    for (size_t k = 0; k < p->n_items && rc == GW_OK; k++) {
      const struct gw_list_item *it = &p->items[k];
      if (!it->title || !it->url)
        continue;
      int iy = report_year(it->title);
      char *u = norm(it->url);
      if (iy && is_gov_info_title(it->title))
        seen_add(&gov, iy, u)->on_home |= linked_home;
      else if (iy && is_site_report_title(it->title))
        seen_add(&site, iy, u)->on_home |= linked_home;
      else if (column && !strstr(it->title, "年度报告") && !strstr(it->title, "年报") &&
               !strstr(it->title, "年度报表")) {
        /* a report column holding another document, e.g. a 政府工作报告 */
        gw_buf_reset(&key);
        gw_buf_reset(&d);
        gw_buf_printf(&key, "wrong_document|%s", u);
        gw_buf_printf(&d, "年度报告栏目“%s”中的《%s》不是年度报告或年度报表（如政府工作报告），不能代替应发布的年度报告。",
                      t, it->title);
        json_t *o = json_object();
        json_object_set_new(o, "column", json_string(t));
        json_object_set_new(o, "column_url", json_string(sp.v[i].url));
        json_object_set_new(o, "title", json_string(it->title));
        char loc[160];
        snprintf(loc, sizeof loc, "栏目：%s", t);
        rc = emit(ctx, GW_RULE_ANNUAL_REPORT_MISSING, GW_SEV_DEDUCT, true, gw_buf_cstr(&key), sp.v[i].url, u, loc,
                  it->title, "年度报告栏目发布了其他文件", gw_buf_cstr(&d), o);
      }
      free(u);
    }
    free(t);
  }
  if (rc == GW_OK)
    rc = report_findings(ctx, dl, kind, &gov, &site, gov_col, sp.home_url ? sp.home_url : ctx->site->url);
  for (size_t i = 0; i < hl.n; i++)
    free(hl.urls[i]);
  free(hl.urls);
  free(gov_col);
  gw_buf_free(&key);
  gw_buf_free(&d);
  seen_free(&gov);
  seen_free(&site);
  gw_sitepages_free(&sp);
  return rc;
}

static const char *const g_report_rules[] = {GW_RULE_ANNUAL_REPORT_MISSING, NULL};

const struct gw_check gw_check_annual_report_publish = {
  .id = "annual_report.publish",
  .title = "年度报告",
  .summary = "the previous year's 政府信息公开工作年度报告 by its deadline (by unit kind, dict/reports/deadlines.txt), "
             "the 网站工作年度报表 on the homepage by January 31, report columns holding other documents",
  .rules = g_report_rules,
  .needs = GW_CHECK_NEEDS_CRAWL,
  .run = report_run,
};
