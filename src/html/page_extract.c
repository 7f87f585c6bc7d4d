/* Heuristic extraction over the walked page: footer block and its
 * identifiers, publish date, list items and pagination. The rules and
 * their limits are described in docs/internals/html.md. */
/* memmem (glibc's is a fast two-way search) */
#define _GNU_SOURCE
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"
#include "html/page_int.h"

#define DAY 86400

static const char *const FOOTER_WORDS[] = {"foot", "bottom", "copyright", "banquan", "btm", NULL};
static const char *const NAV_WORDS[] = {"nav", "menu", "daohang", "header", NULL};
static const char *const RELATED_WORDS[] = {"related", "xglj", "xgxx", "yqlj", "friend",
                                            "share", "rank", "tuijian", NULL};
/* Largest visible text (bytes) a footer block may have. */
#define FOOTER_MAX_TEXT 8000
/* Levels climbed from a marker or a pager link to the block around it. */
#define CLIMB_MAX 64
/* Page URLs kept (a TRS pager may claim 99,999 pages). */
#define PAGE_URLS_MAX 2000

/* Occurrences of the footer markers in s[0..n) (overlapping ones too). */
static size_t count_markers(const char *s, size_t n)
{
  return gw_phrases_count(&gw_page_footer_markers, s, n);
}

static size_t el_text_len(const struct gw_einfo *e) { return e->text_end - e->text_start; }

static bool is_root_tag(const xmlNode *n)
{
  return gw_page_tag_is(n, "body") || gw_page_tag_is(n, "html");
}

/* Copy page text [s, e) trimmed into the arena. */
static const char *text_range(struct gw_page *p, size_t s, size_t e, size_t *off)
{
  while (s < e && (p->text[s] == '\n' || p->text[s] == ' '))
    s++;
  while (e > s && (p->text[e - 1] == '\n' || p->text[e - 1] == ' '))
    e--;
  if (off)
    *off = s;
  return gw_page_strndup(p, p->text + s, e - s);
}

/* ---- patterns ---------------------------------------------------------- */

/* Every PCRE2 pattern of this file, compiled (and JIT-compiled where the
 * library has a JIT) once per process: compiling them for every page cost
 * more than matching them. A compiled pattern is read-only and shared by
 * the parser threads; match data is not, so each thread has its own
 * (thread_md). Each pattern has literals that every match contains; the
 * callers look for those with memmem first, which settles most pages
 * without running the matcher at all. */
enum re_id {
  RE_SITE_CODE_ID,
  RE_ICP_ID,
  RE_PSB_ID,
  RE_PAGER_OF,      /* 第x/N页 */
  RE_PAGER_LABEL,   /* 页次：x/N */
  RE_PAGER_SLASH,   /* x/N页 */
  RE_PAGER_TOTAL,   /* 共N页 */
  RE_PAGER_SPLIT,   /* 分N页 */
  RE_PAGER_CURRENT, /* (当前)第x页 */
  RE_PAGER_GATE,    /* a digit before 页: in every match of the 页 patterns above */
  RE_COUNT_
};

#define RE_SITE_CODE "网站标识码\\s*[：:]?\\s*((?i:bm)\\d{8}|\\d{10})(?!\\d)"
#define RE_ICP "(\\p{Han}\\s*ICP\\s*[备证]\\s*(?:字\\s*)?(?:第\\s*)?\\d{6,12}\\s*号?(?:\\s*-\\s*\\d{1,3})?)"
#define RE_PSB "(\\p{Han}\\s*公网安备\\s*\\d{10,16}\\s*号?)"

static const char *const g_re_src[RE_COUNT_] = {
  [RE_SITE_CODE_ID] = RE_SITE_CODE,
  [RE_ICP_ID] = RE_ICP,
  [RE_PSB_ID] = RE_PSB,
  [RE_PAGER_OF] = "第\\s*(\\d{1,5})\\s*/\\s*(\\d{1,5})\\s*页",
  [RE_PAGER_LABEL] = "(?:页次|页码|当前)\\s*[：:]?\\s*(\\d{1,5})\\s*/\\s*(\\d{1,5})",
  [RE_PAGER_SLASH] = "(\\d{1,5})\\s*/\\s*(\\d{1,5})\\s*页",
  [RE_PAGER_TOTAL] = "共\\s*(\\d{1,5})\\s*页",
  [RE_PAGER_SPLIT] = "分\\s*(\\d{1,5})\\s*页",
  [RE_PAGER_CURRENT] = "(?:当前)?第\\s*(\\d{1,5})\\s*页",
  [RE_PAGER_GATE] = "\\d\\s*页",
};

static pcre2_code *g_re[RE_COUNT_];
static pthread_once_t g_re_once = PTHREAD_ONCE_INIT;
static pthread_key_t g_md_key;

static void md_free(void *md)
{
  pcre2_match_data_free(md);
}

static void re_init(void)
{
  for (int k = 0; k < RE_COUNT_; k++) {
    int err;
    PCRE2_SIZE erroff;
    g_re[k] = pcre2_compile((PCRE2_SPTR)g_re_src[k], PCRE2_ZERO_TERMINATED,
                            PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &err, &erroff, NULL);
    if (!g_re[k]) {
      /* the patterns are constants: a build or library fault */
      fprintf(stderr, "govwatch: internal error: PCRE2 pattern %d does not compile (error %d at %zu)\n", k,
              err, (size_t)erroff);
      abort();
    }
    /* Without a JIT (or when it fails) pcre2_match interprets: same results. */
    (void)pcre2_jit_compile(g_re[k], PCRE2_JIT_COMPLETE);
  }
  if (pthread_key_create(&g_md_key, md_free) != 0) {
    fprintf(stderr, "govwatch: internal error: no thread-specific key for PCRE2 match data\n");
    abort();
  }
}

/* Match data of the calling thread, enough for every pattern above (at
 * most two groups); freed when the thread ends. */
static pcre2_match_data *thread_md(void)
{
  pcre2_match_data *md = pthread_getspecific(g_md_key);
  if (md)
    return md;
  md = pcre2_match_data_create(4, NULL);
  if (!md || pthread_setspecific(g_md_key, md) != 0) {
    fprintf(stderr, "govwatch: out of memory (PCRE2 match data)\n");
    abort();
  }
  return md;
}

/* Run pattern id over s[0..n): pcre2_match's result (groups set, <= 0 for
 * no match); *md_out is the thread's match data holding the ovector. */
static int re_match(enum re_id id, const char *s, size_t n, pcre2_match_data **md_out)
{
  pthread_once(&g_re_once, re_init);
  pcre2_match_data *md = thread_md();
  *md_out = md;
  return pcre2_match(g_re[id], (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, md, NULL);
}

static bool has_lit(const char *s, size_t n, const char *lit)
{
  return memmem(s, n, lit, strlen(lit)) != NULL;
}

/* First match of a PCRE2 pattern in s (UTF-8), whitespace removed, into the
 * arena; NULL if none. */
static const char *match_id(struct gw_page *p, enum re_id id, const char *s, size_t n)
{
  /* the literal every match of the pattern contains */
  static const char *const need[3] = {"网站标识码", "ICP", "公网安备"};
  if (!has_lit(s, n, need[id]))
    return NULL;
  pcre2_match_data *md;
  const char *res = NULL;
  int rc = re_match(id, s, n, &md);
  if (rc > 0) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    /* group 1 when the pattern has one, else the whole match */
    size_t g = rc > 1 ? 1 : 0;
    size_t a = ov[2 * g], b = ov[2 * g + 1];
    /* drop ASCII blanks; keep at most 127 bytes, whole characters only */
    char buf[128];
    size_t k = 0;
    for (size_t i = a; i < b; i++) {
      if (isspace((unsigned char)s[i]))
        continue;
      if (k + 1 >= sizeof buf) {
        if (((unsigned char)s[i] & 0xC0) == 0x80) {
          /* buf ends inside a character: drop its first bytes too */
          while (k > 0 && ((unsigned char)buf[k - 1] & 0xC0) == 0x80)
            k--;
          if (k > 0)
            k--;
        }
        break;
      }
      buf[k++] = s[i];
    }
    buf[k] = '\0';
    res = gw_page_strdup(p, buf);
  }
  return res;
}

/* The host of an absolute URL ends with suffix (a dot boundary). */
static bool host_ends(const char *url, const char *suffix)
{
  const char *h = strstr(url, "://");
  if (!h)
    return false;
  h += 3;
  size_t n = strcspn(h, "/:?#");
  size_t sl = strlen(suffix);
  if (n < sl || strncasecmp(h + n - sl, suffix, sl) != 0)
    return false;
  return n == sl || h[n - sl - 1] == '.';
}

void gw_page_find_footer(struct gw_page *p)
{
  struct gw_page_priv *pv = p->priv;
  struct gw_footer *f = &p->footer;
  if (pv->marker_el != SIZE_MAX) {
    size_t cur = pv->marker_el, best = cur, named = SIZE_MAX;
    bool growing = true;
    /* markers in cur's text: the parent's count of the level below */
    size_t mc = count_markers(p->text + pv->el[cur].text_start, el_text_len(&pv->el[cur]));
    for (int level = 0; level < CLIMB_MAX && pv->el[cur].parent != SIZE_MAX; level++) {
      size_t par = pv->el[cur].parent;
      const struct gw_einfo *pe = &pv->el[par];
      if (is_root_tag(pe->node) || el_text_len(pe) > FOOTER_MAX_TEXT)
        break;
      if (gw_page_tag_is(pe->node, "footer") || gw_page_attr_has_word(pe->node, FOOTER_WORDS))
        named = par;
      if (growing) {
        const struct gw_einfo *ce = &pv->el[cur];
        size_t extra = el_text_len(pe) - el_text_len(ce);
        size_t mp = count_markers(p->text + pe->text_start, el_text_len(pe));
        if (extra <= 400 || (mp > mc && extra <= 1500))
          best = par;
        else
          growing = false;
        mc = mp;
      }
      cur = par;
    }
    if (gw_page_tag_is(pv->el[pv->marker_el].node, "footer") ||
        gw_page_attr_has_word(pv->el[pv->marker_el].node, FOOTER_WORDS))
      named = named == SIZE_MAX ? pv->marker_el : named;
    size_t fe = named != SIZE_MAX && named < best ? named : best;
    pv->footer_el = fe;
    const struct gw_einfo *e = &pv->el[fe];
    f->found = true;
    f->text = text_range(p, e->text_start, e->text_end, &f->text_off);
    long line = xmlGetLineNo(e->node);
    f->line = line > 0 ? line : 0;
    for (size_t i = 0; i < p->n_links; i++) {
      size_t le = pv->link_el[i];
      if (le != SIZE_MAX && le >= fe && le <= e->last)
        p->links[i].in_footer = true;
    }
  } else {
    f->text = "";
  }
  /* Identifiers: from the footer, else anywhere in the visible text. */
  const enum re_id pats[3] = {RE_SITE_CODE_ID, RE_ICP_ID, RE_PSB_ID};
  const char **dst[3] = {&f->site_code, &f->icp, &f->psb};
  for (int k = 0; k < 3; k++) {
    if (f->found)
      *dst[k] = match_id(p, pats[k], f->text, strlen(f->text));
    if (!*dst[k])
      *dst[k] = match_id(p, pats[k], p->text, p->text_len);
  }
  for (size_t i = 0; i < p->n_links; i++) {
    const struct gw_link *l = &p->links[i];
    if (l->hidden && l->kind != GW_LINK_SCRIPT)
      continue;
    if (host_ends(l->url, "conac.cn") ||
        (l->kind == GW_LINK_IMG && (gw_page_istrstr(l->url, "conac") || strstr(l->text, "党政机关"))) ||
        strstr(l->text, "党政机关网站"))
      f->has_conac = true;
    if (strstr(l->text, "我为政府网站找错") || gw_page_istrstr(l->url, "zfwzgl") ||
        gw_page_istrstr(l->url, "jiucuo"))
      f->has_jiucuo = true;
  }
  if (pv->scripts) {
    /* document.write(unescape("...dcs.conac.cn/js/...")) draws the badge. */
    if (gw_page_istrstr(pv->scripts, "conac.cn"))
      f->has_conac = true;
    if (gw_page_istrstr(pv->scripts, "zfwzgl") || gw_page_istrstr(pv->scripts, "jiucuo"))
      f->has_jiucuo = true;
  }
}

/* ---- publish date ------------------------------------------------------ */

static bool in_footer_text(const struct gw_page *p, size_t off)
{
  const struct gw_page_priv *pv = p->priv;
  if (pv->footer_el == SIZE_MAX)
    return false;
  const struct gw_einfo *e = &pv->el[pv->footer_el];
  return off >= e->text_start && off < e->text_end;
}

/* Labels that date a publication (not a deadline or an effective date). */
static bool publish_label(const char *label)
{
  static const char *const no[] = {"截止日期", "截止时间", "有效期至", "生效日期",
                                   "施行日期", "实施日期", NULL};
  if (!label[0])
    return false;
  for (const char *const *n = no; *n; n++)
    if (strcmp(label, *n) == 0)
      return false;
  return true;
}

/* Where the article starts in the text: the visible h1 (else h2) whose text
 * is part of the title or ArticleTitle, else the first visible h1. */
static size_t content_start(struct gw_page *p)
{
  struct gw_page_priv *pv = p->priv;
  const char *at = gw_page_meta_field(p, GW_MF_ARTICLE_TITLE);
  size_t first_h1 = GW_PAGE_NOPOS;
  for (int level = 1; level <= 2; level++) {
    const char *tag = level == 1 ? "h1" : "h2";
    int seen = 0;
    for (size_t i = 0; i < pv->n_el && seen < 64; i++) {
      const struct gw_einfo *e = &pv->el[i];
      if (!gw_page_tag_is(e->node, tag) || e->hidden || e->skip || el_text_len(e) < 6)
        continue;
      seen++;
      size_t off;
      const char *t = text_range(p, e->text_start, e->text_end, &off);
      if (!*t)
        continue;
      if (level == 1 && first_h1 == GW_PAGE_NOPOS)
        first_h1 = off;
      if ((p->title[0] && strstr(p->title, t)) || (at && strstr(at, t)) ||
          (at && *at && strstr(t, at)))
        return off;
    }
  }
  return first_h1 == GW_PAGE_NOPOS ? 0 : first_h1;
}

void gw_page_find_pubdate(struct gw_page *p)
{
  int64_t as_of = p->priv->as_of;
  static const char *const metas[] = {"PubDate", "publishdate", "article:published_time",
                                      "pubtime", "publish_date", "og:release_date",
                                      "dc.date", "dc.date.issued", "firstpublishedtime",
                                      "publishtime", NULL};
  for (const char *const *m = metas; *m; m++) {
    const char *v = gw_page_meta(p, *m);
    struct gw_date_hit h;
    if (v && *v && gw_date_extract_value(v, as_of, &h) == GW_OK && !h.year_inferred) {
      p->pubdate = h.time;
      p->pubdate_hit = h;
      p->pubdate_source = GW_PUBDATE_META;
      return;
    }
  }
  size_t start = content_start(p);
  struct gw_date_iter it;
  struct gw_date_hit h;
  /* A labelled date from a little before the headline (some templates put
   * the date line above it) to a few screens after it. */
  size_t from = start > 300 ? start - 300 : 0;
  gw_date_extract_iter(&it, p->text, p->text_len, as_of);
  while (gw_date_extract_next(&it, &h)) {
    if (h.offset < from || in_footer_text(p, h.offset))
      continue;
    if (h.offset > start + 4000)
      break;
    if (publish_label(h.label) && !h.year_inferred) {
      p->pubdate = h.time;
      p->pubdate_hit = h;
      p->pubdate_source = GW_PUBDATE_LABEL;
      return;
    }
  }
  gw_date_extract_iter(&it, p->text, p->text_len, as_of);
  while (gw_date_extract_next(&it, &h)) {
    if (h.offset < start || in_footer_text(p, h.offset) || h.year_inferred)
      continue;
    if (h.civil.year < 1990 || h.time > as_of + DAY)
      continue;
    p->pubdate = h.time;
    p->pubdate_hit = h;
    p->pubdate_source = GW_PUBDATE_TEXT;
    return;
  }
}

/* ---- list items -------------------------------------------------------- */

/* Anchor texts that are navigation, not titles. */
static bool nav_text(const char *t)
{
  static const char *const words[] = {"更多", "more", "首页", "上一页", "下一页", "尾页", "末页",
                                      "返回", "详细", "查看", "进入", NULL};
  for (const char *const *w = words; *w; w++)
    if (strstr(t, *w) && gw_utf8_len(t) <= gw_utf8_len(*w) + 3)
      return true;
  return false;
}

struct cand {
  size_t el;     /* the item element */
  size_t link;   /* its principal anchor */
  size_t cps;    /* title length in code points */
};

/* The principal anchor of an item element: the longest-titled visible
 * <a>; SIZE_MAX when the element is not an item (no anchor, too many, too
 * much text, a navigation word). */
static size_t principal(const struct gw_page *p, const struct gw_einfo *e, size_t *cps)
{
  size_t best = SIZE_MAX, best_len = 0, anchors = 0;
  if (el_text_len(e) > 1500 || e->hidden)
    return SIZE_MAX;
  for (size_t i = e->link_first; i < e->link_end; i++) {
    const struct gw_link *l = &p->links[i];
    if (l->kind != GW_LINK_A || l->hidden)
      continue;
    if (++anchors > 8)
      return SIZE_MAX;
    size_t n = gw_utf8_len(l->text);
    if (n > best_len) {
      best_len = n;
      best = i;
    }
  }
  /* Two characters is a title too: leader lists show names (孙志强). */
  if (best == SIZE_MAX || anchors > 8 || best_len < 2 || nav_text(p->links[best].text))
    return SIZE_MAX;
  *cps = best_len;
  return best;
}

static bool ancestors_named(const struct gw_page_priv *pv, size_t el, const char *const *words,
                            int levels)
{
  for (int k = 0; k < levels && el != SIZE_MAX; k++) {
    if (gw_page_attr_has_word(pv->el[el].node, words))
      return true;
    if (gw_page_tag_is(pv->el[el].node, "nav"))
      return words == NAV_WORDS;
    el = pv->el[el].parent;
  }
  return false;
}

/* The first date in page text [s, e) that is not inside [ts, te). */
static bool date_in(struct gw_page *p, size_t s, size_t e, size_t ts, size_t te,
                    struct gw_date_hit *out)
{
  struct gw_date_iter it;
  struct gw_date_hit h;
  gw_date_extract_iter(&it, p->text + s, e - s, p->priv->as_of);
  while (gw_date_extract_next(&it, &h)) {
    size_t a = s + h.offset, b = a + h.length;
    if (a < te && b > ts)
      continue;
    h.offset = a;
    h.label_offset += s;
    *out = h;
    return true;
  }
  return false;
}

/* Where an item's date may be: its text [s, e) and its elements
 * [el_lo, el_hi] (with, for flat lists, the siblings up to the next item). */
struct irange {
  size_t s, e, el_lo, el_hi;
};

/* Elements looked at one by one for an item's date. */
#define ITEM_DATE_ELEMENTS 64

/* The item's date. A date in an element of its own (<span class="date">,
 * <td class="rq">) comes first: inline elements are not separated in the
 * text, so "2024/12/15" before a title "2024年..." reads as one number. */
static bool item_date(struct gw_page *p, const struct irange *r, size_t ts, size_t te,
                      struct gw_date_hit *out)
{
  const struct gw_page_priv *pv = p->priv;
  for (size_t i = r->el_lo, k = 0; i <= r->el_hi && i < pv->n_el && k < ITEM_DATE_ELEMENTS;
       i++, k++) {
    const struct gw_einfo *e = &pv->el[i];
    size_t n = e->text_end - e->text_start;
    if (e->link_first != e->link_end || e->hidden || n < 4 || n > 64)
      continue;
    if (date_in(p, e->text_start, e->text_end, ts, te, out))
      return true;
  }
  return date_in(p, r->s, r->e, ts, te, out);
}

struct group {
  struct cand *c;
  size_t n, cap;
  size_t total;     /* children of the item tag, items or not */
  size_t title_cps; /* sum of title lengths (each capped at 40) */
};

static void group_add(struct group *g, struct cand c)
{
  if (g->n == g->cap) {
    g->cap = g->cap ? g->cap * 2 : 32;
    g->c = gw_reallocarray(g->c, g->cap, sizeof *g->c);
  }
  g->c[g->n++] = c;
  g->title_cps += c.cps < 40 ? c.cps : 40;
}

/* Add the children of `container` with tag `tag` that are items. */
static void group_collect(const struct gw_page *p, xmlNode *container, const char *tag,
                          struct group *g)
{
  const struct gw_page_priv *pv = p->priv;
  for (xmlNode *c = container->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || !c->_private || !c->name ||
        strcmp((const char *)c->name, tag) != 0)
      continue;
    g->total++;
    const struct gw_einfo *ce = c->_private;
    size_t ci = (size_t)(ce - pv->el);
    /* a block holding the footer is page layout, not an item */
    if (pv->footer_el != SIZE_MAX && ci <= pv->footer_el && pv->footer_el <= ce->last)
      continue;
    size_t cps = 0;
    size_t l = principal(p, ce, &cps);
    if (l != SIZE_MAX)
      group_add(g, (struct cand){(size_t)(ce - pv->el), l, cps});
  }
}

/* Same tag name and class attribute. */
static bool same_sig(xmlNode *a, xmlNode *b)
{
  if (!a->name || !b->name || strcmp((const char *)a->name, (const char *)b->name) != 0)
    return false;
  const char *ca = gw_page_attr(a, "class"), *cb = gw_page_attr(b, "class");
  return (!ca && !cb) || (ca && cb && strcmp(ca, cb) == 0);
}

#define MERGE_LEVELS 3
/* Children of an ancestor looked at for sibling blocks (a bound for
 * hostile pages with huge flat trees). */
#define MERGE_SCAN_MAX 2000

/* Containers under `x` (at depth `level` of `path`) whose tag/class path
 * matches path[level..depth]. */
static void match_path(xmlNode *x, xmlNode **path, int level, int depth, xmlNode **out,
                       size_t *n, size_t max)
{
  if (level == depth) {
    if (*n < max)
      out[(*n)++] = x;
    return;
  }
  size_t scanned = 0;
  for (xmlNode *c = x->children; c && scanned < MERGE_SCAN_MAX; c = c->next, scanned++)
    if (c->type == XML_ELEMENT_NODE && c->_private && same_sig(c, path[level + 1]))
      match_path(c, path, level + 1, depth, out, n, max);
}

/* A list split into blocks (ul per 5 items, a separator between blocks):
 * the containers that sit at the same tag/class path as `container` under
 * its nearest ancestor that has more than one. Returns the count (>= 1;
 * out[0] is container itself when nothing else matches). */
static size_t sibling_containers(xmlNode *container, xmlNode **out, size_t max)
{
  xmlNode *path[MERGE_LEVELS + 1];
  xmlNode *x = container;
  for (int up = 1; up <= MERGE_LEVELS; up++) {
    /* path[0] is the ancestor, path[up] the container */
    xmlNode *anc = x->parent;
    if (!anc || anc->type != XML_ELEMENT_NODE || is_root_tag(anc))
      break;
    x = anc;
    xmlNode *y = container;
    for (int k = up; k >= 0; k--) {
      path[k] = y;
      y = y->parent;
    }
    size_t n = 0, scanned = 0;
    for (xmlNode *c = anc->children; c && scanned < MERGE_SCAN_MAX; c = c->next, scanned++)
      if (c->type == XML_ELEMENT_NODE && c->_private && same_sig(c, path[1]))
        match_path(c, path, 1, up, out, &n, max);
    if (n > 1)
      return n;
  }
  out[0] = container;
  return 1;
}

/* The text and elements where item a's date may be: the item, and in flat
 * lists (<a> then <span>) what follows it up to the next item of the same
 * container. */
static void item_range(const struct gw_page *p, const struct group *g, size_t a, struct irange *r)
{
  const struct gw_page_priv *pv = p->priv;
  size_t ii = g->c[a].el;
  const struct gw_einfo *ie = &pv->el[ii];
  r->s = ie->text_start;
  r->e = ie->text_end;
  r->el_lo = ii;
  r->el_hi = ie->last;
  if (ie->parent != SIZE_MAX) {
    const struct gw_einfo *pe = &pv->el[ie->parent];
    bool same = a + 1 < g->n && pv->el[g->c[a + 1].el].parent == ie->parent;
    size_t next = same ? pv->el[g->c[a + 1].el].text_start : pe->text_end;
    if (next > r->e)
      r->e = next;
    size_t next_el = same ? g->c[a + 1].el - 1 : pe->last;
    if (next_el > r->el_hi)
      r->el_hi = next_el;
  }
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static double group_score(struct gw_page *p, struct group *g, size_t container)
{
  const struct gw_page_priv *pv = p->priv;
  size_t n = g->n;
  if (n < 1 || n * 2 < g->total)
    return 0;
  /* Distinct targets: a menu repeating one URL is no list. */
  size_t distinct = 0, dated = 0;
  const char **urls = gw_reallocarray(NULL, n, sizeof *urls);
  for (size_t a = 0; a < n; a++)
    urls[a] = p->links[g->c[a].link].url;
  qsort(urls, n, sizeof *urls, cmp_str);
  for (size_t a = 0; a < n; a++)
    distinct += a == 0 || strcmp(urls[a], urls[a - 1]) != 0;
  free(urls);
  for (size_t a = 0; a < n; a++) {
    struct irange r;
    item_range(p, g, a, &r);
    struct gw_date_hit h;
    if (item_date(p, &r, 0, 0, &h))
      dated++;
  }
  double avg = (double)g->title_cps / (double)n;
  /* A list is dated (most government columns are), or long enough with
   * headline-length titles (news portals); a single item must be dated. */
  if (dated * 2 < n && !(n >= 5 && avg >= 8.0))
    return 0;
  if (n == 1 && !dated)
    return 0;
  double score = (double)n * avg * (1.0 + (double)dated / (double)n) * ((double)distinct / (double)n);
  if (avg < 5.0)
    score *= 0.2;
  if (ancestors_named(pv, container, NAV_WORDS, 3))
    score *= 0.2;
  if (ancestors_named(pv, container, RELATED_WORDS, 3))
    score *= 0.5;
  return score;
}

#define MAX_CONTAINERS 256

void gw_page_find_list(struct gw_page *p)
{
  struct gw_page_priv *pv = p->priv;
  struct group best = {0};
  double best_score = 0;
  xmlNode **conts = gw_reallocarray(NULL, MAX_CONTAINERS, sizeof *conts);
  /* Containers already scored as part of a merged set are not scored
   * again (each of N blocks would find the same N blocks). */
  bool *done = gw_calloc(pv->n_el ? pv->n_el : 1, sizeof *done);
  for (size_t i = 0; i < pv->n_el; i++) {
    const struct gw_einfo *pe = &pv->el[i];
    if (done[i] || pe->skip || pe->hidden || pe->link_end == pe->link_first ||
        is_root_tag(pe->node))
      continue;
    if (pv->footer_el != SIZE_MAX && i >= pv->footer_el && i <= pv->el[pv->footer_el].last)
      continue;
    /* Group the element children by tag name; try each tag. */
    const char *tags[8];
    size_t ntags = 0, nchildren = 0;
    for (xmlNode *c = pe->node->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE || !c->_private || !c->name)
        continue;
      nchildren++;
      bool seen = false;
      for (size_t k = 0; k < ntags; k++)
        if (strcmp(tags[k], (const char *)c->name) == 0)
          seen = true;
      if (!seen && ntags < 8)
        tags[ntags++] = (const char *)c->name;
    }
    if (nchildren < 1)
      continue;
    for (size_t t = 0; t < ntags; t++) {
      struct group g = {0};
      group_collect(p, pe->node, tags[t], &g);
      if (g.n < 1) {
        free(g.c);
        continue;
      }
      size_t nc = sibling_containers(pe->node, conts, MAX_CONTAINERS);
      if (nc > 1) {
        struct group m = {0};
        for (size_t k = 0; k < nc; k++)
          group_collect(p, conts[k], tags[t], &m);
        for (size_t k = 0; k < nc; k++)
          if (conts[k]->_private)
            done[(const struct gw_einfo *)conts[k]->_private - pv->el] = true;
        /* Keep the merge only if the other blocks are lists too. */
        if (m.n >= g.n + nc - 1) {
          free(g.c);
          g = m;
        } else {
          free(m.c);
        }
      }
      double score = group_score(p, &g, i);
      if (score > best_score) {
        best_score = score;
        free(best.c);
        best = g;
      } else {
        free(g.c);
      }
    }
  }
  free(conts);
  free(done);
  if (!best.n)
    return;
  p->items = gw_calloc(best.n, sizeof *p->items);
  for (size_t a = 0; a < best.n; a++) {
    struct gw_list_item *it = &p->items[p->n_items++];
    const struct gw_link *l = &p->links[best.c[a].link];
    it->link = best.c[a].link;
    it->url = l->url;
    it->line = l->line;
    it->title = l->text;
    /* Titles cut short in the list ("关于印发...") are whole in title="". */
    const char *full = gw_page_attr(pv->el[pv->link_el[best.c[a].link]].node, "title");
    size_t tl = strlen(l->text);
    if (full && *full && strlen(full) > tl &&
        ((tl >= 3 && strcmp(l->text + tl - 3, "...") == 0) ||
         (tl >= 3 && strcmp(l->text + tl - 3, "\xE2\x80\xA6") == 0) ||
         (tl >= 2 && strcmp(l->text + tl - 2, "..") == 0)))
      it->title = gw_page_strdup(p, full);
    struct irange r;
    item_range(p, &best, a, &r);
    size_t ts = l->text_off, te = ts == GW_PAGE_NOPOS ? 0 : ts + strlen(l->text);
    if (ts == GW_PAGE_NOPOS)
      ts = 0;
    it->has_date = item_date(p, &r, ts, te, &it->date);
  }
  free(best.c);
}

/* ---- pagination -------------------------------------------------------- */

static bool numeric_text(const char *t, int *v)
{
  const char *s = t;
  while (*s == ' ' || *s == '[')
    s++;
  if (!isdigit((unsigned char)*s))
    return false;
  long x = 0;
  while (isdigit((unsigned char)*s) && x < 100000)
    x = x * 10 + (*s++ - '0');
  while (*s == ' ' || *s == ']')
    s++;
  if (*s || x < 1 || x > 99999)
    return false;
  *v = (int)x;
  return true;
}

static bool next_text(const char *t)
{
  static const char *const words[] = {"下一页", "下页", "后一页", "next", "Next", "NEXT", ">",
                                      ">>", "»", "›", "下一页>", "下一页>>", NULL};
  char buf[64];
  gw_strlcpy(buf, t, sizeof buf);
  gw_str_trim(buf);
  for (const char *const *w = words; *w; w++)
    if (strcmp(buf, *w) == 0)
      return true;
  return strstr(buf, "下一页") && gw_utf8_len(buf) <= 6;
}

static bool last_text(const char *t)
{
  return (strstr(t, "尾页") || strstr(t, "末页") || strstr(t, "最后一页")) && gw_utf8_len(t) <= 6;
}

static bool prev_text(const char *t)
{
  return (strstr(t, "上一页") || strstr(t, "前一页") || strstr(t, "上页")) && gw_utf8_len(t) <= 6;
}

static bool pager_text(const char *t)
{
  int v;
  return numeric_text(t, &v) || next_text(t) || last_text(t) || prev_text(t) ||
         (strstr(t, "首页") && gw_utf8_len(t) <= 4);
}

static void add_url(struct gw_page *p, size_t *cap, const char *url)
{
  struct gw_pagination *pg = &p->pages;
  for (size_t i = 0; i < pg->n_urls; i++)
    if (strcmp(pg->urls[i], url) == 0)
      return;
  if (pg->n_urls >= PAGE_URLS_MAX)
    return;
  if (pg->n_urls == *cap) {
    *cap = *cap ? *cap * 2 : 16;
    pg->urls = gw_reallocarray(pg->urls, *cap, sizeof *pg->urls);
  }
  pg->urls[pg->n_urls++] = url;
}

/* The page number a URL names: ..._N.html (0-based after index.html, so
 * N + 1), or a page/pageNum/pageNo/p/curPage/pageIndex query value. 0 if none. */
static int page_of_url(const char *url)
{
  static const char *const keys[] = {"pageNum=", "pageNo=", "page=", "curPage=", "pageIndex=",
                                     "currentPage=", "p=", "pn=", NULL};
  const char *q = strchr(url, '?');
  if (q) {
    for (const char *const *k = keys; *k; k++) {
      size_t kl = strlen(*k);
      for (const char *s = q; (s = gw_page_istrstr(s, *k)) != NULL; s += kl) {
        if (s[-1] != '?' && s[-1] != '&')
          continue;
        const char *d = s + kl;
        long v = 0;
        int digits = 0;
        while (isdigit((unsigned char)*d) && v < 100000) {
          v = v * 10 + (*d++ - '0');
          digits++;
        }
        if (digits && v > 0 && v < 100000)
          return (int)v;
      }
    }
  }
  size_t n = q ? (size_t)(q - url) : strlen(url);
  const char *slash = url;
  for (size_t i = 0; i < n; i++)
    if (url[i] == '/')
      slash = url + i + 1;
  const char *u = NULL;
  for (const char *s = slash; s < url + n; s++)
    if (*s == '_')
      u = s;
  if (!u || !isdigit((unsigned char)u[1]))
    return 0;
  long v = 0;
  const char *d = u + 1;
  while (isdigit((unsigned char)*d) && v < 100000)
    v = v * 10 + (*d++ - '0');
  if (*d != '.' || v < 1 || v >= 100000)
    return 0;
  return (int)v + 1;
}

/* The numbers of capture groups g1 (and g2, if > 0) of the first match of
 * pattern id in s[0..n); false if none. */
static bool match_numbers(enum re_id id, const char *s, size_t n, int g1, long *v1, int g2, long *v2)
{
  pcre2_match_data *md;
  int rc = re_match(id, s, n, &md);
  bool ok = rc > g1 && rc > g2;
  if (ok) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    int gs[2] = {g1, g2};
    long *vs[2] = {v1, v2};
    for (int k = 0; k < 2; k++) {
      if (gs[k] <= 0)
        continue;
      long v = 0;
      for (size_t i = ov[2 * gs[k]]; i < ov[2 * gs[k] + 1]; i++)
        v = v * 10 + (s[i] - '0');
      *vs[k] = v;
    }
  }
  return ok;
}

/* "第x/N页", "页次：x/N", "x/N页", "共N页", "分N页" and "当前第x页" in s:
 * the total and the current page. */
static void total_from_text(const char *s, size_t n, int *total, int *current)
{
  static const struct {
    enum re_id re;
    int g_cur, g_total;
  } pats[] = {
    {RE_PAGER_OF, 1, 2},
    {RE_PAGER_LABEL, 1, 2},
    {RE_PAGER_SLASH, 1, 2},
    {RE_PAGER_TOTAL, 0, 1},
    {RE_PAGER_SPLIT, 0, 1},
  };
  /* Every pattern but 页次/页码/当前 x/N ends in \d{1,5}\s*页, so a text
   * without a digit before 页 (most pages: 首页 is everywhere) cannot
   * match them; one scan for that (the same \d and \s) stands in for
   * five. The label pattern needs one of its three words. */
  pcre2_match_data *md;
  bool ye = has_lit(s, n, "页") && re_match(RE_PAGER_GATE, s, n, &md) > 0;
  bool label = has_lit(s, n, "页次") || has_lit(s, n, "页码") || has_lit(s, n, "当前");
  if (!ye && !label)
    return;
  for (size_t k = 0; k < sizeof pats / sizeof pats[0]; k++) {
    long cur = 0, tot = 0;
    if (pats[k].re == RE_PAGER_LABEL ? !label : !ye)
      continue;
    if (!match_numbers(pats[k].re, s, n, pats[k].g_total, &tot, pats[k].g_cur, &cur))
      continue;
    if (tot < 1 || tot >= 100000 || cur > tot)
      continue;
    *total = (int)tot;
    if (cur > 0)
      *current = (int)cur;
    break;
  }
  long cur = 0;
  if (*total && !*current && ye && match_numbers(RE_PAGER_CURRENT, s, n, 1, &cur, 0, NULL) && cur >= 1 &&
      cur <= *total)
    *current = (int)cur;
}

/* TRS WCM: createPageHTML(total, current, "index", "html") draws the pager
 * from a script; pages are index.html, index_1.html, ... index_{total-1}. */
static bool trs_pager(const char *scripts, int *total, int *current, char *prefix, size_t psize,
                      char *suffix, size_t ssize)
{
  const char *s = scripts;
  while ((s = strstr(s, "createPageHTML")) != NULL) {
    s += 14;
    const char *q = s;
    while (*q == ' ')
      q++;
    if (*q != '(')
      continue;
    q++;
    long v[2];
    int k;
    for (k = 0; k < 2; k++) {
      while (*q == ' ' || *q == '\'' || *q == '"')
        q++;
      if (!isdigit((unsigned char)*q))
        break;
      v[k] = 0;
      while (isdigit((unsigned char)*q) && v[k] < 100000)
        v[k] = v[k] * 10 + (*q++ - '0');
      while (*q == ' ' || *q == '\'' || *q == '"')
        q++;
      if (*q != ',' && !(k == 1 && *q == ')'))
        break;
      if (*q == ',')
        q++;
    }
    if (k < 2 || v[0] < 1 || v[0] >= 100000 || v[1] < 0 || v[1] >= v[0])
      continue;
    char *outs[2] = {prefix, suffix};
    size_t sizes[2] = {psize, ssize};
    const char *defaults[2] = {"index", "html"};
    for (int j = 0; j < 2; j++) {
      gw_strlcpy(outs[j], defaults[j], sizes[j]);
      while (*q == ' ')
        q++;
      if (*q == '"' || *q == '\'') {
        char qc = *q++;
        size_t n = 0;
        while (q[n] && q[n] != qc && (isalnum((unsigned char)q[n]) || q[n] == '_' || q[n] == '-'))
          n++;
        if (q[n] == qc && n > 0 && n < sizes[j]) {
          memcpy(outs[j], q, n);
          outs[j][n] = '\0';
        }
        q += n;
        if (*q == qc)
          q++;
      }
      while (*q == ' ')
        q++;
      if (*q == ',')
        q++;
    }
    *total = (int)v[0];
    *current = (int)v[1] + 1;
    return true;
  }
  return false;
}

void gw_page_find_pagination(struct gw_page *p)
{
  struct gw_page_priv *pv = p->priv;
  struct gw_pagination *pg = &p->pages;
  size_t cap = 0;
  /* The pager: the smallest block around the next/last link or 共N页 text. */
  size_t anchor_el = SIZE_MAX;
  for (size_t i = 0; i < p->n_links; i++) {
    const struct gw_link *l = &p->links[i];
    if (l->kind != GW_LINK_A || l->hidden || l->in_footer)
      continue;
    if (next_text(l->text) || last_text(l->text) || prev_text(l->text)) {
      anchor_el = pv->link_el[i];
      if (next_text(l->text) && !pg->next && strcmp(l->url, p->url) != 0)
        pg->next = l->url;
    }
  }
  int total = 0, current = 0;
  if (anchor_el != SIZE_MAX) {
    /* climb while the block stays pager-sized */
    size_t box = anchor_el;
    for (int level = 0; level < CLIMB_MAX && pv->el[box].parent != SIZE_MAX; level++) {
      size_t par = pv->el[box].parent;
      if (el_text_len(&pv->el[par]) > 600 || is_root_tag(pv->el[par].node))
        break;
      box = par;
    }
    const struct gw_einfo *be = &pv->el[box];
    for (size_t i = be->link_first; i < be->link_end; i++) {
      const struct gw_link *l = &p->links[i];
      if (l->kind == GW_LINK_A && !l->hidden && pager_text(l->text))
        add_url(p, &cap, l->url);
      if (l->kind == GW_LINK_A && last_text(l->text)) {
        int v = page_of_url(l->url);
        if (v > total)
          total = v;
      }
    }
    int t2 = 0, c2 = 0;
    total_from_text(p->text + be->text_start, el_text_len(be), &t2, &c2);
    if (t2) {
      total = t2;
      current = c2;
    }
    /* The current page is the number in the pager that is not a link
     * (<span class="current">2</span>). */
    for (size_t i = box + 1; !current && i <= be->last && i < pv->n_el; i++) {
      const struct gw_einfo *e = &pv->el[i];
      size_t n = el_text_len(e);
      if (e->link_first != e->link_end || e->hidden || n == 0 || n > 8)
        continue;
      char num[16];
      size_t off;
      const char *t = text_range(p, e->text_start, e->text_end, &off);
      gw_strlcpy(num, t, sizeof num);
      int v;
      if (numeric_text(num, &v) && (!total || v <= total))
        current = v;
    }
  }
  if (!total) {
    /* "共5页" / "第1/5页" drawn outside any link block (or by a script). */
    int t2 = 0, c2 = 0;
    size_t from = p->text_len > 20000 ? p->text_len - 20000 : 0;
    total_from_text(p->text + from, p->text_len - from, &t2, &c2);
    total = t2;
    current = c2;
  }
  char prefix[64], suffix[16];
  int tt = 0, tc = 0;
  if (pv->scripts && trs_pager(pv->scripts, &tt, &tc, prefix, sizeof prefix, suffix, sizeof suffix)) {
    if (!total)
      total = tt;
    if (!current)
      current = tc;
    for (int k = 0; k < tt && k < PAGE_URLS_MAX; k++) {
      char rel[128];
      if (k == 0)
        snprintf(rel, sizeof rel, "%s.%s", prefix, suffix);
      else
        snprintf(rel, sizeof rel, "%s_%d.%s", prefix, k, suffix);
      const char *u = gw_page_resolve(p, rel);
      if (u) {
        add_url(p, &cap, u);
        if (k == tc && !pg->next)
          pg->next = u;
      }
    }
  }
  if (total == 1 && !current)
    current = 1;
  pg->total = total;
  pg->current = current;
}
