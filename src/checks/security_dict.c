/* The security checks' data and the comparisons they share: the keyword
 * and script-host lists of dict/security/, host tests, homepage signatures
 * with their differences, and the cloaking comparison (checks/security.h). */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/security.h"
#include "core/dict.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"

#define LINE_MAX_BYTES 1000
#define ENTRIES_MAX 10000

struct kw {
  char *word;
  enum gw_spam_cat cat;
  bool ascii; /* letters and digits only: a URL/text token, lower case */
};

struct gw_security_dict {
  struct kw *kw;
  size_t n_kw;
  struct gw_strv hosts; /* "example.com" or ".example.com" (from *.example.com), lower case */
};

static const char *const CAT_KEYS[GW_SPAM_CAT_COUNT_] = {"gambling", "porn", "lottery"};
static const char *const CAT_LABELS[GW_SPAM_CAT_COUNT_] = {"赌博", "色情", "私彩"};

const char *gw_spam_cat_key(enum gw_spam_cat c)
{
  return (unsigned)c < GW_SPAM_CAT_COUNT_ ? CAT_KEYS[c] : "?";
}

const char *gw_spam_cat_label(enum gw_spam_cat c)
{
  return (unsigned)c < GW_SPAM_CAT_COUNT_ ? CAT_LABELS[c] : "?";
}

char *gw_security_dict_dir(char *buf, size_t size)
{
  snprintf(buf, size, "%s/security", gw_dict_dir());
  return buf;
}

void gw_security_dict_free(struct gw_security_dict **dp)
{
  if (!dp || !*dp)
    return;
  struct gw_security_dict *d = *dp;
  for (size_t i = 0; i < d->n_kw; i++)
    free(d->kw[i].word);
  free(d->kw);
  gw_strv_free(&d->hosts);
  free(d);
  *dp = NULL;
}

/* Read the file's non-comment lines: fn(ctx, path, lineno, line) for each;
 * the first non-zero return stops and is returned. */
static int each_line(const char *path, int (*fn)(void *ctx, const char *path, long no, char *line), void *ctx)
{
  FILE *fp = fopen(path, "r");
  if (!fp)
    return gw_err_set(GW_EIO, "%s: cannot open: %s", path, strerror(errno));
  char buf[LINE_MAX_BYTES + 2];
  long no = 0;
  int rc = GW_OK;
  while (fgets(buf, sizeof buf, fp)) {
    no++;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n') {
      buf[--n] = '\0';
    } else if (!feof(fp)) {
      rc = gw_err_set(GW_ELIMIT, "%s:%ld: line longer than %d bytes", path, no, LINE_MAX_BYTES);
      break;
    }
    if (n && buf[n - 1] == '\r')
      buf[--n] = '\0';
    char *s = gw_str_trim(buf);
    if (no == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
      s = gw_str_trim(s + 3);
    if (!*s || *s == '#')
      continue;
    if ((rc = fn(ctx, path, no, s)) != GW_OK)
      break;
  }
  if (rc == GW_OK && ferror(fp))
    rc = gw_err_set(GW_EIO, "%s: read error", path);
  fclose(fp);
  return rc;
}

static bool is_ascii_word(const char *w)
{
  for (const char *p = w; *p; p++)
    if (!isalnum((unsigned char)*p))
      return false;
  return *w != '\0';
}

static int kw_line(void *ctx, const char *path, long no, char *line)
{
  struct gw_security_dict *d = ctx;
  char *sp = line;
  while (*sp && !isspace((unsigned char)*sp))
    sp++;
  if (!*sp)
    return gw_err_set(GW_EINVAL, "%s:%ld: '%s': expected CATEGORY WORD (gambling, porn or lottery, then the word)",
                      path, no, line);
  *sp++ = '\0';
  char *word = gw_str_trim(sp);
  int cat = -1;
  for (int i = 0; i < GW_SPAM_CAT_COUNT_; i++)
    if (strcmp(line, CAT_KEYS[i]) == 0)
      cat = i;
  if (cat < 0)
    return gw_err_set(GW_EINVAL, "%s:%ld: unknown category '%s' (known: gambling, porn, lottery)", path, no, line);
  for (char *p = word; *p; p++)
    if (isspace((unsigned char)*p))
      return gw_err_set(GW_EINVAL, "%s:%ld: word '%s' contains white space", path, no, word);
  if (d->n_kw >= ENTRIES_MAX)
    return gw_err_set(GW_ELIMIT, "%s:%ld: more than %d keywords", path, no, ENTRIES_MAX);
  bool ascii = is_ascii_word(word);
  if (ascii)
    gw_str_lower(word);
  for (size_t i = 0; i < d->n_kw; i++)
    if (strcmp(d->kw[i].word, word) == 0)
      return gw_err_set(GW_EINVAL, "%s:%ld: '%s' is listed twice", path, no, word);
  d->kw = gw_reallocarray(d->kw, d->n_kw + 1, sizeof *d->kw);
  d->kw[d->n_kw].word = gw_strdup(word);
  d->kw[d->n_kw].cat = (enum gw_spam_cat)cat;
  d->kw[d->n_kw].ascii = ascii;
  d->n_kw++;
  return GW_OK;
}

static int host_line(void *ctx, const char *path, long no, char *line)
{
  struct gw_security_dict *d = ctx;
  char *h = line;
  bool wild = strncmp(h, "*.", 2) == 0;
  if (wild)
    h += 1; /* keep the dot: ".example.com" */
  gw_str_lower(h);
  for (const char *p = wild ? h + 1 : h; *p; p++)
    if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '.') || (p[0] == '.' && p[1] == '.'))
      return gw_err_set(GW_EINVAL, "%s:%ld: '%s' is not a host name (letters, digits, '-', '.'; '*.' in front only)",
                        path, no, line);
  if (!*h || (wild && !h[1]) || h[strlen(h) - 1] == '.')
    return gw_err_set(GW_EINVAL, "%s:%ld: '%s' is not a host name", path, no, line);
  if (d->hosts.n >= ENTRIES_MAX)
    return gw_err_set(GW_ELIMIT, "%s:%ld: more than %d hosts", path, no, ENTRIES_MAX);
  gw_strv_push(&d->hosts, h);
  return GW_OK;
}

int gw_security_dict_load(struct gw_security_dict **out, const char *dir)
{
  if (!out || !dir)
    return gw_err_set(GW_EINVAL, "security dictionary: no directory given");
  struct gw_security_dict *d = gw_calloc(1, sizeof *d);
  struct gw_buf path = GW_BUF_INIT;
  gw_buf_printf(&path, "%s/keywords.txt", dir);
  int rc = each_line(gw_buf_cstr(&path), kw_line, d);
  if (rc == GW_OK && d->n_kw == 0)
    rc = gw_err_set(GW_EINVAL, "%s: no keywords (an empty list would find nothing)", gw_buf_cstr(&path));
  if (rc == GW_OK) {
    gw_buf_reset(&path);
    gw_buf_printf(&path, "%s/script-hosts.txt", dir);
    rc = each_line(gw_buf_cstr(&path), host_line, d);
  }
  gw_buf_free(&path);
  if (rc != GW_OK) {
    gw_security_dict_free(&d);
    return rc;
  }
  *out = d;
  return GW_OK;
}

/* ---- matching ---- */

/* Whether the ASCII token `w` occurs in s as a whole token (case-insensitive). */
static bool has_token(const char *s, const char *w)
{
  size_t wl = strlen(w);
  for (const char *p = s; *p;) {
    while (*p && !isalnum((unsigned char)*p))
      p++;
    const char *t = p;
    while (*p && isalnum((unsigned char)*p))
      p++;
    if ((size_t)(p - t) == wl && strncasecmp(t, w, wl) == 0)
      return true;
  }
  return false;
}

bool gw_security_match(const struct gw_security_dict *d, const char *text, const char *url, struct gw_spam_hit *hit)
{
  for (size_t i = 0; i < d->n_kw; i++) {
    const struct kw *k = &d->kw[i];
    bool found = k->ascii ? ((text && has_token(text, k->word)) || (url && has_token(url, k->word)))
                          : (text && strstr(text, k->word) != NULL);
    if (found) {
      if (hit) {
        hit->word = k->word;
        hit->cat = k->cat;
      }
      return true;
    }
  }
  return false;
}

void gw_security_words(const struct gw_security_dict *d, const char *text, struct gw_strv *out)
{
  if (!text)
    return;
  for (size_t i = 0; i < d->n_kw; i++) {
    const struct kw *k = &d->kw[i];
    if (k->ascii ? has_token(text, k->word) : strstr(text, k->word) != NULL) {
      bool dup = false;
      for (size_t j = 0; j < out->n && !dup; j++)
        dup = strcmp(out->v[j], k->word) == 0;
      if (!dup)
        gw_strv_push(out, k->word);
    }
  }
}

bool gw_security_script_host_allowed(const struct gw_security_dict *d, const char *host)
{
  for (size_t i = 0; i < d->hosts.n; i++) {
    const char *h = d->hosts.v[i];
    if (h[0] == '.' ? (gw_str_ends(host, h) && strlen(host) > strlen(h)) : strcasecmp(host, h) == 0)
      return true;
  }
  return false;
}

char *gw_security_url_host(const char *url, char *buf, size_t size)
{
  if (size)
    buf[0] = '\0';
  if (!url)
    return buf;
  const char *p = strstr(url, "://");
  if (!p)
    return buf;
  p += 3;
  const char *e = p + strcspn(p, "/?#");
  const char *at = memchr(p, '@', (size_t)(e - p));
  if (at)
    p = at + 1;
  const char *colon = memchr(p, ':', (size_t)(e - p));
  if (colon && *p != '[')
    e = colon;
  size_t n = (size_t)(e - p);
  if (n >= size)
    n = size ? size - 1 : 0;
  if (size) {
    memcpy(buf, p, n);
    buf[n] = '\0';
    gw_str_lower(buf);
  }
  return buf;
}

/* The site domain of a host: three labels under a two-label public suffix
 * (gov.cn, com.cn, ...), else two. */
static const char *site_domain(const char *host)
{
  static const char *const SL[] = {".gov.cn", ".com.cn", ".org.cn", ".net.cn", ".edu.cn", ".ac.cn", NULL};
  int want = 2;
  for (const char *const *s = SL; *s; s++)
    if (gw_str_ends(host, *s))
      want = 3;
  const char *p = host + strlen(host);
  int labels = 0;
  while (p > host) {
    p--;
    if (*p == '.' && ++labels == want)
      return p + 1;
  }
  return host;
}

bool gw_security_same_site(const char *site_host, const char *host)
{
  if (!site_host || !host || !*host)
    return false;
  if (strcasecmp(site_host, host) == 0)
    return true;
  return strcasecmp(site_domain(site_host), site_domain(host)) == 0;
}

bool gw_security_gov_host(const char *host)
{
  return host && (gw_str_ends(host, ".gov.cn") || strcmp(host, "gov.cn") == 0 || gw_str_ends(host, ".政务") ||
                  gw_str_ends(host, ".xn--zfr164b"));
}

/* ---- homepage signatures ---- */

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates. */
static void uniq(struct gw_strv *v)
{
  if (v->n < 2)
    return;
  qsort(v->v, v->n, sizeof *v->v, cmp_str);
  size_t k = 1;
  for (size_t i = 1; i < v->n; i++) {
    if (strcmp(v->v[i], v->v[k - 1]) == 0)
      free(v->v[i]);
    else
      v->v[k++] = v->v[i];
  }
  v->n = k;
}

static bool is_anchor(const struct gw_link *l)
{
  return l->kind == GW_LINK_A || l->kind == GW_LINK_AREA;
}

/* The page's text, lines trimmed, plus every anchor text (hidden anchors
 * carry spam the visible text does not show). */
static void page_words(const struct gw_security_dict *d, const struct gw_page *p, struct gw_strv *out)
{
  gw_security_words(d, p->text, out);
  gw_security_words(d, p->title, out);
  for (size_t i = 0; i < p->n_links; i++)
    if (is_anchor(&p->links[i]))
      gw_security_words(d, p->links[i].text, out);
  uniq(out);
}

void gw_home_sig_build(const struct gw_security_dict *d, const struct gw_page *p, struct gw_home_sig *out)
{
  memset(out, 0, sizeof *out);
  const char *s = p->text;
  while (s && *s) {
    const char *e = strchr(s, '\n');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    char *line = gw_strndup(s, n);
    char *t = gw_str_trim(line);
    if (*t)
      gw_strv_push(&out->lines, t);
    free(line);
    s = e ? e + 1 : s + n;
  }
  uniq(&out->lines);
  for (size_t i = 0; i < p->n_links; i++)
    if (is_anchor(&p->links[i]))
      gw_strv_push(&out->links, p->links[i].url);
  uniq(&out->links);
  page_words(d, p, &out->spam);
}

void gw_home_sig_free(struct gw_home_sig *s)
{
  gw_strv_free(&s->lines);
  gw_strv_free(&s->links);
  gw_strv_free(&s->spam);
}

static json_t *strv_json(const struct gw_strv *v)
{
  json_t *a = json_array();
  for (size_t i = 0; i < v->n; i++)
    json_array_append_new(a, json_string(v->v[i]));
  return a;
}

char *gw_home_sig_json(const struct gw_home_sig *s)
{
  json_t *o = json_object();
  json_object_set_new(o, "lines", strv_json(&s->lines));
  json_object_set_new(o, "links", strv_json(&s->links));
  json_object_set_new(o, "spam", strv_json(&s->spam));
  char *t = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (!t) {
    fprintf(stderr, "govwatch: out of memory (homepage signature)\n");
    abort();
  }
  char *r = gw_strdup(t);
  free(t);
  return r;
}

static int json_strv(json_t *o, const char *name, struct gw_strv *out)
{
  json_t *a = json_object_get(o, name);
  if (!json_is_array(a))
    return gw_err_set(GW_EINVAL, "homepage baseline: \"%s\" is not an array", name);
  size_t i;
  json_t *x;
  json_array_foreach(a, i, x)
  {
    if (!json_is_string(x))
      return gw_err_set(GW_EINVAL, "homepage baseline: \"%s\"[%zu] is not a string", name, i);
    gw_strv_push(out, json_string_value(x));
  }
  uniq(out);
  return GW_OK;
}

int gw_home_sig_parse(const char *json, struct gw_home_sig *out)
{
  json_error_t err;
  json_t *o = json_loads(json ? json : "", 0, &err);
  if (!json_is_object(o)) {
    json_decref(o);
    return gw_err_set(GW_EINVAL, "homepage baseline: not a JSON object (line %d: %s)", err.line, err.text);
  }
  struct gw_home_sig s;
  memset(&s, 0, sizeof s);
  int rc = json_strv(o, "lines", &s.lines);
  if (rc == GW_OK)
    rc = json_strv(o, "links", &s.links);
  if (rc == GW_OK)
    rc = json_strv(o, "spam", &s.spam);
  json_decref(o);
  if (rc != GW_OK) {
    gw_home_sig_free(&s);
    return rc;
  }
  *out = s;
  return GW_OK;
}

/* Set difference of sorted distinct lists; returns |a ∩ b|. */
static size_t set_diff(const struct gw_strv *a, const struct gw_strv *b, struct gw_strv *only_a, struct gw_strv *only_b)
{
  size_t i = 0, j = 0, common = 0;
  while (i < a->n || j < b->n) {
    int c = i >= a->n ? 1 : j >= b->n ? -1 : strcmp(a->v[i], b->v[j]);
    if (c == 0) {
      common++;
      i++;
      j++;
    } else if (c < 0) {
      if (only_a)
        gw_strv_push(only_a, a->v[i]);
      i++;
    } else {
      if (only_b)
        gw_strv_push(only_b, b->v[j]);
      j++;
    }
  }
  return common;
}

static double change(size_t common, size_t na, size_t nb)
{
  size_t all = na + nb - common;
  return all ? 1.0 - (double)common / (double)all : 0.0;
}

void gw_home_diff(const struct gw_home_sig *base, const struct gw_home_sig *now, struct gw_home_diff *out)
{
  memset(out, 0, sizeof *out);
  size_t c = set_diff(&base->lines, &now->lines, &out->removed_lines, &out->added_lines);
  out->text_change = change(c, base->lines.n, now->lines.n);
  c = set_diff(&base->links, &now->links, &out->removed_links, &out->added_links);
  out->link_change = change(c, base->links.n, now->links.n);
  set_diff(&base->spam, &now->spam, NULL, &out->new_spam);
}

void gw_home_diff_free(struct gw_home_diff *d)
{
  gw_strv_free(&d->added_lines);
  gw_strv_free(&d->removed_lines);
  gw_strv_free(&d->added_links);
  gw_strv_free(&d->removed_links);
  gw_strv_free(&d->new_spam);
}

bool gw_home_diff_alarm(const struct gw_home_diff *d, double threshold)
{
  return d->new_spam.n > 0 || d->text_change > threshold || d->link_change > threshold;
}

/* ---- cloaking ---- */

static void anchor_set(const struct gw_page *p, struct gw_strv *out)
{
  for (size_t i = 0; i < p->n_links; i++)
    if (is_anchor(&p->links[i]))
      gw_strv_push(out, p->links[i].url);
  uniq(out);
}

void gw_cloak_compare(const struct gw_security_dict *d, const char *site_host, const struct gw_page *crawler,
                      const struct gw_page *browser, struct gw_cloak_diff *out)
{
  memset(out, 0, sizeof *out);
  struct gw_strv a = {0}, b = {0}, only = {0};
  anchor_set(crawler, &a);
  anchor_set(browser, &b);
  size_t c = set_diff(&a, &b, &only, NULL);
  out->link_change = change(c, a.n, b.n);
  for (size_t i = 0; i < only.n; i++) {
    char host[256];
    gw_security_url_host(only.v[i], host, sizeof host);
    if (!gw_security_same_site(site_host, host))
      gw_strv_push(&out->crawler_only_links, only.v[i]);
  }
  struct gw_strv wa = {0}, wb = {0};
  page_words(d, crawler, &wa);
  page_words(d, browser, &wb);
  set_diff(&wa, &wb, &out->crawler_only_spam, NULL);
  gw_strv_free(&a);
  gw_strv_free(&b);
  gw_strv_free(&only);
  gw_strv_free(&wa);
  gw_strv_free(&wb);
}

void gw_cloak_diff_free(struct gw_cloak_diff *c)
{
  gw_strv_free(&c->crawler_only_links);
  gw_strv_free(&c->crawler_only_spam);
}

bool gw_cloak_alarm(const struct gw_cloak_diff *c)
{
  return c->crawler_only_spam.n > 0 || (c->crawler_only_links.n >= 3 && c->link_change > 0.2);
}
