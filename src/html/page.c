/* The page model: parsing, the document walk (visible text, hiding, links)
 * and the public accessors. Extraction heuristics are in page_extract.c,
 * CSS handling in page_style.c. */
#include "html/page.h"

#include <ctype.h>
#include <curl/curl.h>
#include <libxml/parserInternals.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"
#include "html/page_int.h"

/* ---- arena ------------------------------------------------------------ */

struct gw_arena_chunk {
  struct gw_arena_chunk *next;
  size_t used, cap;
  char data[];
};

#define ARENA_CHUNK (64u * 1024u)

char *gw_page_strndup(struct gw_page *p, const char *s, size_t n)
{
  struct gw_arena_chunk *c = p->priv->arena;
  if (!c || c->cap - c->used < n + 1) {
    size_t cap = n + 1 > ARENA_CHUNK ? n + 1 : ARENA_CHUNK;
    struct gw_arena_chunk *nc = gw_malloc(sizeof *nc + cap);
    nc->used = 0;
    nc->cap = cap;
    if (c && n + 1 > ARENA_CHUNK) {
      /* A big string gets its own chunk behind the current one, so the
       * current chunk's free space stays usable. */
      nc->next = c->next;
      c->next = nc;
    } else {
      nc->next = c;
      p->priv->arena = nc;
    }
    c = nc;
  }
  char *d = c->data + c->used;
  if (n)
    memcpy(d, s, n);
  d[n] = '\0';
  c->used += n + 1;
  return d;
}

size_t gw_page_utf8_cut(const char *s, size_t n, size_t max)
{
  if (n <= max)
    return n;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
    max--;
  return max;
}

char *gw_page_strdup(struct gw_page *p, const char *s)
{
  return gw_page_strndup(p, s ? s : "", s ? strlen(s) : 0);
}

/* ---- names ------------------------------------------------------------ */

const char *gw_link_kind_name(enum gw_link_kind k)
{
  static const char *const names[GW_LINK_KIND_COUNT_] = {
    "a", "area", "img", "script", "stylesheet", "icon", "link", "iframe", "frame", "form",
    "refresh", "css", "embed", "object", "source", "video", "audio",
  };
  return (unsigned)k < GW_LINK_KIND_COUNT_ ? names[k] : "unknown";
}

char *gw_page_hide_describe(unsigned hide, char *buf, size_t size)
{
  static const char *const names[GW_HIDE_COUNT_] = {
    "display:none", "visibility:hidden", "font-size:0", "zero-size+overflow:hidden",
    "off-screen position", "text-indent", "clip", "same colour as background",
    "hidden attribute", "type=hidden", "tiny marquee", "hidden by CSS rule",
    "tiny iframe", "document.write",
  };
  if (size == 0)
    return buf;
  buf[0] = '\0';
  size_t len = 0;
  for (int i = 0; i < GW_HIDE_COUNT_; i++) {
    if (!(hide & (1u << i)))
      continue;
    int w = snprintf(buf + len, size - len, "%s%s", len ? "," : "", names[i]);
    if (w < 0 || (size_t)w >= size - len) {
      buf[len] = '\0'; /* whole names only */
      break;
    }
    len += (size_t)w;
  }
  return buf;
}

const char *gw_pubdate_source_name(enum gw_pubdate_source s)
{
  switch (s) {
  case GW_PUBDATE_NONE: return "none";
  case GW_PUBDATE_META: return "meta";
  case GW_PUBDATE_LABEL: return "label";
  case GW_PUBDATE_TEXT: return "text";
  }
  return "unknown";
}

/* ---- libxml2 helpers -------------------------------------------------- */

const char *gw_page_attr(xmlNode *n, const char *name)
{
  if (!n || n->type != XML_ELEMENT_NODE)
    return NULL;
  unsigned first = (unsigned char)name[0] | 0x20; /* ASCII names: case-blind first letter */
  for (xmlAttr *a = n->properties; a; a = a->next) {
    if (!a->name || ((unsigned)a->name[0] | 0x20) != first || strcasecmp((const char *)a->name, name) != 0)
      continue;
    if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
      return (const char *)a->children->content;
    return "";
  }
  return NULL;
}

bool gw_page_tag_is(const xmlNode *n, const char *name)
{
  return n && n->type == XML_ELEMENT_NODE && n->name &&
         strcasecmp((const char *)n->name, name) == 0;
}

const char *gw_page_istrstr(const char *hay, const char *needle)
{
  size_t n = strlen(needle);
  if (n == 0)
    return hay;
  /* compare only where the first character matches (most positions fail
   * there; a strncasecmp call at each cost more than the page's class and
   * id checks were worth) */
  int first = tolower((unsigned char)needle[0]);
  for (; *hay; hay++)
    if (tolower((unsigned char)*hay) == first && strncasecmp(hay, needle, n) == 0)
      return hay;
  return NULL;
}

bool gw_page_attr_has_word(xmlNode *n, const char *const *words)
{
  const char *vals[2] = {gw_page_attr(n, "id"), gw_page_attr(n, "class")};
  for (int k = 0; k < 2; k++) {
    const char *v = vals[k];
    if (!v || !*v)
      continue;
    for (const char *const *w = words; *w; w++)
      if (gw_page_istrstr(v, *w))
        return true;
  }
  return false;
}

/* ---- tag names -------------------------------------------------------- */

/* The walk asks several questions of every element's name (is it skipped,
 * a block, a cell, one of the referencing tags); comparing the name with
 * each list cost more than parsing. So each element's name is looked up
 * once in this sorted table (libxml2 gives lower-case HTML names; they are
 * lowered here anyway) and the answers are kept in its gw_einfo. */
enum tag_id {
  T_OTHER,
  T_A,
  T_AREA,
  T_AUDIO,
  T_BASE,
  T_BR,
  T_EMBED,
  T_FONT,
  T_FORM,
  T_FRAME,
  T_IFRAME,
  T_IMG,
  T_INPUT,
  T_LINK,
  T_MARQUEE,
  T_META,
  T_OBJECT,
  T_SCRIPT,
  T_SOURCE,
  T_STYLE,
  T_TITLE,
  T_VIDEO,
};

/* Not rendered as text. */
#define TF_SKIP 1u
/* A line break before and after (block-level). */
#define TF_BLOCK 2u
/* A space before and after (table cells). */
#define TF_CELL 4u

struct tag_info {
  const char *name;
  unsigned char id, flags;
};

static const struct tag_info TAGS[] = {
  {"a", T_A, 0},
  {"address", T_OTHER, TF_BLOCK},
  {"area", T_AREA, 0},
  {"article", T_OTHER, TF_BLOCK},
  {"aside", T_OTHER, TF_BLOCK},
  {"audio", T_AUDIO, 0},
  {"base", T_BASE, 0},
  {"blockquote", T_OTHER, TF_BLOCK},
  {"body", T_OTHER, TF_BLOCK},
  {"br", T_BR, 0},
  {"caption", T_OTHER, TF_BLOCK},
  {"center", T_OTHER, TF_BLOCK},
  {"datalist", T_OTHER, TF_SKIP},
  {"dd", T_OTHER, TF_BLOCK},
  {"details", T_OTHER, TF_BLOCK},
  {"dialog", T_OTHER, TF_BLOCK},
  {"dir", T_OTHER, TF_BLOCK},
  {"div", T_OTHER, TF_BLOCK},
  {"dl", T_OTHER, TF_BLOCK},
  {"dt", T_OTHER, TF_BLOCK},
  {"embed", T_EMBED, 0},
  {"fieldset", T_OTHER, TF_BLOCK},
  {"figcaption", T_OTHER, TF_BLOCK},
  {"figure", T_OTHER, TF_BLOCK},
  {"font", T_FONT, 0},
  {"footer", T_OTHER, TF_BLOCK},
  {"form", T_FORM, TF_BLOCK},
  {"frame", T_FRAME, 0},
  {"frameset", T_OTHER, TF_SKIP},
  {"h1", T_OTHER, TF_BLOCK},
  {"h2", T_OTHER, TF_BLOCK},
  {"h3", T_OTHER, TF_BLOCK},
  {"h4", T_OTHER, TF_BLOCK},
  {"h5", T_OTHER, TF_BLOCK},
  {"h6", T_OTHER, TF_BLOCK},
  {"head", T_OTHER, TF_SKIP},
  {"header", T_OTHER, TF_BLOCK},
  {"hr", T_OTHER, TF_BLOCK},
  {"html", T_OTHER, TF_BLOCK},
  {"iframe", T_IFRAME, TF_SKIP},
  {"img", T_IMG, 0},
  {"input", T_INPUT, 0},
  {"legend", T_OTHER, TF_BLOCK},
  {"li", T_OTHER, TF_BLOCK},
  {"link", T_LINK, 0},
  {"main", T_OTHER, TF_BLOCK},
  {"marquee", T_MARQUEE, TF_BLOCK},
  {"math", T_OTHER, TF_SKIP},
  {"menu", T_OTHER, TF_BLOCK},
  {"meta", T_META, 0},
  {"nav", T_OTHER, TF_BLOCK},
  {"noscript", T_OTHER, TF_SKIP},
  {"object", T_OBJECT, TF_SKIP},
  {"ol", T_OTHER, TF_BLOCK},
  {"option", T_OTHER, TF_BLOCK},
  {"p", T_OTHER, TF_BLOCK},
  {"pre", T_OTHER, TF_BLOCK},
  {"script", T_SCRIPT, TF_SKIP},
  {"section", T_OTHER, TF_BLOCK},
  {"select", T_OTHER, TF_SKIP},
  {"source", T_SOURCE, 0},
  {"style", T_STYLE, TF_SKIP},
  {"summary", T_OTHER, TF_BLOCK},
  {"svg", T_OTHER, TF_SKIP},
  {"table", T_OTHER, TF_BLOCK},
  {"tbody", T_OTHER, TF_BLOCK},
  {"td", T_OTHER, TF_CELL},
  {"template", T_OTHER, TF_SKIP},
  {"textarea", T_OTHER, TF_BLOCK},
  {"tfoot", T_OTHER, TF_BLOCK},
  {"th", T_OTHER, TF_CELL},
  {"thead", T_OTHER, TF_BLOCK},
  {"title", T_TITLE, TF_SKIP},
  {"tr", T_OTHER, TF_BLOCK},
  {"ul", T_OTHER, TF_BLOCK},
  {"video", T_VIDEO, 0},
};

static int tag_cmp(const void *key, const void *elem)
{
  return strcmp(key, ((const struct tag_info *)elem)->name);
}

/* The table entry of element n's name, or NULL for any other name. */
static const struct tag_info *tag_lookup_name(const xmlNode *n)
{
  char low[16];
  size_t i = 0;
  for (const xmlChar *c = n->name; *c; c++) {
    if (i + 1 >= sizeof low)
      return NULL; /* longer than any name in the table */
    low[i++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
  }
  low[i] = '\0';
  return bsearch(low, TAGS, sizeof TAGS / sizeof TAGS[0], sizeof TAGS[0], tag_cmp);
}

/* The table entry of element n's name, or NULL for any other name; a
 * page's names are looked up once each. */
static const struct tag_info *tag_lookup(struct gw_page_priv *pv, const xmlNode *n)
{
  if (!n || n->type != XML_ELEMENT_NODE || !n->name)
    return NULL;
  size_t slot = ((uintptr_t)n->name >> 4) % (sizeof pv->tag_seen / sizeof pv->tag_seen[0]);
  if (pv->tag_seen[slot].name == n->name)
    return pv->tag_seen[slot].info;
  const struct tag_info *ti = tag_lookup_name(n);
  pv->tag_seen[slot].name = n->name;
  pv->tag_seen[slot].info = ti;
  return ti;
}

/* Pre-order successor of n; descend into n's children when asked. */
static xmlNode *dfs_next(xmlNode *n, bool descend)
{
  if (descend && n->type == XML_ELEMENT_NODE && n->children)
    return n->children;
  while (n) {
    if (n->next)
      return n->next;
    n = n->parent;
    if (!n || n->type != XML_ELEMENT_NODE)
      return NULL;
  }
  return NULL;
}

/* ---- URL resolution --------------------------------------------------- */

/* Schemes that are not fetchable references (counted as skipped). */
static bool scheme_of(const char *s, size_t n, char *out, size_t size)
{
  size_t i = 0;
  while (i < n && i + 1 < size && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' ||
                                    s[i] == '.')) {
    out[i] = (char)tolower((unsigned char)s[i]);
    i++;
  }
  out[i] = '\0';
  return i > 0 && i < n && s[i] == ':' && isalpha((unsigned char)s[0]);
}

/* Host names are case-insensitive; libcurl keeps them as written, so the
 * same page would show up under two URLs. */
static bool lower_host(CURLU *h)
{
  char *host = NULL;
  if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK)
    return false;
  bool upper = false;
  for (char *c = host; *c; c++) {
    if (*c >= 'A' && *c <= 'Z') {
      *c = (char)(*c - 'A' + 'a');
      upper = true;
    }
  }
  bool ok = !upper || curl_url_set(h, CURLUPART_HOST, host, 0) == CURLUE_OK;
  curl_free(host);
  return ok;
}

/* Resolved references, per thread. The same navigation, footer and list
 * links stand on every page of a site, and libcurl's URL API (a parse and
 * a re-print per reference) was a fifth of the page model's time. What a
 * reference resolves to depends only on part of the base, by its form
 * (RFC 3986 5.2): nothing for an absolute http(s) URL, the scheme for
 * "//host/...", the origin for "/path", the base path without its query
 * for "?query", the base directory for "a/b.html" and "../x"; anything
 * else is keyed on the whole base. The cache maps (that part, reference)
 * to libcurl's answer, so a hit returns what libcurl returned for the same
 * question before. Direct-mapped: a new key replaces whatever was in its
 * slot, which bounds memory (RCACHE_SLOTS keys of at most RCACHE_KEY_MAX
 * bytes per thread). */
#define RCACHE_SLOTS 4096u
#define RCACHE_KEY_MAX 1024u

struct rc_slot {
  char *key;    /* context '\n' reference; NULL = empty slot */
  size_t klen;
  char *val;    /* the resolved URL, NULL when not an http(s) reference */
};

static pthread_key_t g_rc_key;
static pthread_once_t g_rc_once = PTHREAD_ONCE_INIT;
static bool g_rc_ok;

static void rc_free(void *arg)
{
  struct rc_slot *slots = arg;
  for (size_t i = 0; i < RCACHE_SLOTS; i++) {
    free(slots[i].key);
    free(slots[i].val);
  }
  free(slots);
}

static void rc_init(void)
{
  g_rc_ok = pthread_key_create(&g_rc_key, rc_free) == 0;
}

/* This thread's cache, NULL if none can be kept (then nothing is cached). */
static struct rc_slot *rc_slots(void)
{
  pthread_once(&g_rc_once, rc_init);
  if (!g_rc_ok)
    return NULL;
  struct rc_slot *s = pthread_getspecific(g_rc_key);
  if (!s) {
    s = gw_calloc(RCACHE_SLOTS, sizeof *s);
    if (pthread_setspecific(g_rc_key, s) != 0) {
      free(s);
      return NULL;
    }
  }
  return s;
}

/* How much of base (a normalised absolute http(s) URL) decides what ref
 * resolves to; its length. */
static size_t rc_context_len(const char *base, const char *ref)
{
  const char *sep = strstr(base, "://");
  if (!sep)
    return strlen(base);
  const char *auth = sep + 3;
  const char *path = auth + strcspn(auth, "/?#");
  size_t qpos = (size_t)(path - base) + strcspn(path, "?#");
  char scheme[16];
  if (scheme_of(ref, strlen(ref), scheme, sizeof scheme))
    return 0; /* absolute: only http and https get here */
  if (ref[0] == '/' && ref[1] == '/')
    return (size_t)(sep - base);
  size_t lead = strcspn(ref, ":/?#");
  if (ref[lead] == ':')
    return strlen(base); /* not a scheme libcurl and we agree on: the whole base */
  if (ref[0] == '/')
    return (size_t)(path - base);
  if (ref[0] == '?')
    return qpos;
  /* a relative path: up to the last '/' of the base path */
  size_t dir = (size_t)(path - base);
  for (size_t i = dir; i < qpos; i++)
    if (base[i] == '/')
      dir = i + 1;
  return dir;
}

static uint64_t rc_hash(const char *s, size_t n)
{
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

const char *gw_page_resolve(struct gw_page *p, const char *raw)
{
  if (!raw)
    return NULL;
  size_t n = strlen(raw);
  /* HTML strips leading and trailing ASCII white space and control bytes. */
  while (n && (unsigned char)*raw <= 0x20) {
    raw++;
    n--;
  }
  while (n && (unsigned char)raw[n - 1] <= 0x20)
    n--;
  if (n == 0 || raw[0] == '#' || n > 8192)
    return NULL;
  char scheme[16];
  if (scheme_of(raw, n, scheme, sizeof scheme) && strcmp(scheme, "http") != 0 &&
      strcmp(scheme, "https") != 0)
    return NULL;
  /* Make the reference acceptable to libcurl's parser the way browsers
   * read it: tabs and newlines vanish, a backslash is a slash, and bytes a
   * URL cannot hold literally (space, non-ASCII, quotes) are %-encoded. */
  /* On the stack: this runs for every link of every page, and growing a
   * heap buffer byte by byte cost more than the copy (n <= 8192, so at
   * most three bytes out per byte in). */
  static const char hex[] = "0123456789ABCDEF";
  char ref[3 * 8192 + 1];
  size_t rlen = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)raw[i];
    if (c == '\t' || c == '\n' || c == '\r')
      continue;
    if (c == '\\') {
      ref[rlen++] = '/';
    } else if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '`' ||
               c == '{' || c == '}' || c == '|' || c == '^') {
      ref[rlen++] = '%';
      ref[rlen++] = hex[c >> 4];
      ref[rlen++] = hex[c & 15];
    } else {
      ref[rlen++] = (char)c;
    }
  }
  ref[rlen] = '\0';
  /* the cache first (see rc_context_len); the key is built on the stack
   * and copied only when it goes into the cache */
  struct rc_slot *slots = rc_slots(), *slot = NULL;
  char key[RCACHE_KEY_MAX + 1];
  size_t klen = 0;
  if (slots && p->base) {
    size_t cl = rc_context_len(p->base, ref);
    if (cl + 1 + rlen <= RCACHE_KEY_MAX) {
      klen = cl + 1 + rlen;
      memcpy(key, p->base, cl);
      key[cl] = '\n';
      memcpy(key + cl + 1, ref, rlen + 1);
      slot = &slots[rc_hash(key, klen) & (RCACHE_SLOTS - 1)];
      if (slot->key && slot->klen == klen && memcmp(slot->key, key, klen) == 0)
        return slot->val ? gw_page_strdup(p, slot->val) : NULL;
    }
  }
  /* A reference with no scheme and no authority ("a/b.html", "/x", "?p=2")
   * keeps the base's scheme and host, both already checked and lower-case:
   * only references that may name their own (a ':' before the first '/',
   * '?' or '#', or a leading "//") need those checks, and only one with a
   * '#' has a fragment to drop. Most links are relative, so this saves
   * three of the six URL API calls for them. */
  size_t lead = strcspn(ref, ":/?#");
  bool own_origin = ref[lead] == ':' || (ref[0] == '/' && ref[1] == '/');
  bool has_frag = strchr(ref + lead, '#') != NULL;
  const char *res = NULL;
  CURLU *h = curl_url_dup((CURLU *)p->priv->base_h);
  char *s = NULL, *sch = NULL;
  if (h && curl_url_set(h, CURLUPART_URL, ref, 0) == CURLUE_OK &&
      (!own_origin || (curl_url_get(h, CURLUPART_SCHEME, &sch, 0) == CURLUE_OK &&
                       (strcmp(sch, "http") == 0 || strcmp(sch, "https") == 0))) &&
      (!has_frag || curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK) &&
      (!own_origin || lower_host(h)) && curl_url_get(h, CURLUPART_URL, &s, 0) == CURLUE_OK)
    res = gw_page_strdup(p, s);
  if (slot && h) { /* (no handle: out of memory in libcurl, not an answer to keep) */
    free(slot->key);
    free(slot->val);
    slot->key = gw_strndup(key, klen);
    slot->klen = klen;
    slot->val = res ? gw_strdup(res) : NULL;
  }
  curl_free(s);
  curl_free(sch);
  curl_url_cleanup(h);
  return res;
}

/* ---- text building ---------------------------------------------------- */

struct tb {
  char *p;
  size_t len, cap, max;
  int pending; /* 0 none, 1 space, 2 newline: a separator owed before the next character */
  bool full;
};

static void tb_reserve(struct tb *t, size_t n)
{
  if (t->len + n + 1 <= t->cap)
    return;
  size_t nc = t->cap ? t->cap : 1024;
  while (nc < t->len + n + 1)
    nc *= 2;
  t->p = gw_realloc(t->p, nc);
  t->cap = nc;
}

static void tb_sep(struct tb *t, int kind)
{
  if (t->len > 0 && kind > t->pending)
    t->pending = kind;
}

/* Append text, collapsing runs of white space (and no-break spaces) into
 * one space; the pending separator is written before the next character. */
static void tb_text(struct tb *t, const char *s, size_t n)
{
  size_t i = 0;
  while (i < n && !t->full) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      tb_sep(t, 1);
      i++;
      continue;
    }
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
      tb_sep(t, 1);
      i += 2;
      continue;
    }
    size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (i + k > n)
      k = n - i;
    size_t need = k + (t->pending ? 1 : 0);
    if (t->max && t->len + need > t->max) {
      t->full = true;
      break;
    }
    tb_reserve(t, need);
    if (t->pending)
      t->p[t->len++] = t->pending == 2 ? '\n' : ' ';
    t->pending = 0;
    memcpy(t->p + t->len, s + i, k);
    t->len += k;
    t->p[t->len] = '\0';
    i += k;
  }
}

/* ---- the walk --------------------------------------------------------- */

static const char *const FOOTER_MARKERS[] = {"版权所有", "主办单位", "承办单位", "网站标识码",
                                             "ICP备", "ICP证", "公网安备", "网站地图",
                                             "联系我们", NULL};
struct gw_phrases gw_page_footer_markers = GW_PHRASES_INIT(FOOTER_MARKERS, 0);

#define SCRIPTS_MAX (1u << 20)
#define ANCHOR_TEXT_MAX 1024

struct walk {
  struct gw_page *p;
  struct gw_page_priv *pv;
  struct tb text;
  size_t max_links;
  size_t cap_links;
  /* the <a>/<area> whose text is being collected */
  size_t anchor_link; /* link index, SIZE_MAX if none */
  xmlNode *anchor_node;
  struct tb anchor_text;
  const char *anchor_img_alt;
  /* the <form> whose inputs are being read */
  xmlNode *form_node;
};

static void push_link(struct walk *w, enum gw_link_kind kind, const char *raw, long line,
                      size_t el, const char *text)
{
  struct gw_page *p = w->p;
  if (!raw)
    return;
  if (p->n_links >= w->max_links) {
    p->links_truncated = true;
    return;
  }
  const char *url = gw_page_resolve(p, raw);
  if (!url) {
    p->n_skipped++;
    return;
  }
  if (p->n_links == w->cap_links) {
    w->cap_links = w->cap_links ? w->cap_links * 2 : 64;
    p->links = gw_reallocarray(p->links, w->cap_links, sizeof *p->links);
    w->pv->link_el = gw_reallocarray(w->pv->link_el, w->cap_links, sizeof *w->pv->link_el);
  }
  struct gw_link *l = &p->links[p->n_links];
  memset(l, 0, sizeof *l);
  l->kind = kind;
  l->raw = gw_page_strndup(p, raw, gw_page_utf8_cut(raw, strlen(raw), 8192));
  l->url = url;
  l->text = text ? gw_page_strdup(p, text) : "";
  l->line = line;
  l->text_off = GW_PAGE_NOPOS;
  if (el != SIZE_MAX) {
    l->hidden = w->pv->el[el].hidden;
    l->hidden_line = l->hidden ? w->pv->el[el].hidden_line : 0;
  }
  w->pv->link_el[p->n_links] = el;
  p->n_links++;
}

struct css_url_ctx {
  struct walk *w;
  long line;
  size_t el;
};

static void css_url_cb(void *ctx, const char *url, size_t n, long line_delta)
{
  struct css_url_ctx *c = ctx;
  char buf[8200];
  if (n >= sizeof buf) {
    c->w->p->n_skipped++;
    return;
  }
  memcpy(buf, url, n);
  buf[n] = '\0';
  push_link(c->w, GW_LINK_CSS, buf, c->line + line_delta, c->el, NULL);
}

/* <meta http-equiv=refresh content="5; url=...">: the URL part. */
static bool refresh_url(const char *content, char *out, size_t size)
{
  const char *s = strchr(content, ';');
  if (!s)
    s = strchr(content, ',');
  if (!s)
    return false;
  s++;
  while (*s == ' ' || *s == '\t')
    s++;
  if (strncasecmp(s, "url", 3) == 0) {
    const char *t = s + 3;
    while (*t == ' ')
      t++;
    if (*t == '=') {
      s = t + 1;
      while (*s == ' ')
        s++;
    }
  }
  size_t n = strlen(s);
  if (n && (*s == '\'' || *s == '"')) {
    char q = *s++;
    const char *e = strchr(s, q);
    n = e ? (size_t)(e - s) : strlen(s);
  }
  if (n == 0 || n >= size)
    return false;
  memcpy(out, s, n);
  out[n] = '\0';
  return true;
}

static long line_of(xmlNode *n)
{
  long l = xmlGetLineNo(n);
  return l > 0 ? l : 0;
}

/* Width or height given as an attribute: its leading number, or -1. */
static long attr_px(xmlNode *n, const char *name)
{
  const char *v = gw_page_attr(n, name);
  if (!v)
    return -1;
  while (*v == ' ')
    v++;
  if (!isdigit((unsigned char)*v))
    return -1;
  long x = 0;
  while (isdigit((unsigned char)*v) && x < 100000)
    x = x * 10 + (*v++ - '0');
  return x;
}

/* A <form>: its action (the base URL when empty), method, and later the
 * name of its first text input (form_input). */
static void push_form(struct walk *w, xmlNode *n, long line, size_t el)
{
  struct gw_page *p = w->p;
  w->form_node = NULL;
  if (p->n_forms >= GW_PAGE_MAX_FORMS) {
    p->n_forms_skipped++;
    return;
  }
  const char *raw = gw_page_attr(n, "action");
  const char *url = gw_page_resolve(p, raw && *raw ? raw : p->base);
  if (!url) {
    p->n_forms_skipped++;
    return;
  }
  if (p->n_forms == 0)
    p->forms = gw_calloc(GW_PAGE_MAX_FORMS, sizeof *p->forms);
  struct gw_form *f = &p->forms[p->n_forms++];
  const char *m = gw_page_attr(n, "method");
  f->action = url;
  f->method = m && strcasecmp(m, "post") == 0 ? "post" : "get";
  f->query = NULL;
  f->line = line;
  f->hidden = w->pv->el[el].hidden;
  w->form_node = n;
}

static void form_input(struct walk *w, xmlNode *n, const char *type)
{
  if (!w->form_node || !w->p->n_forms)
    return;
  struct gw_form *f = &w->p->forms[w->p->n_forms - 1];
  const char *name = gw_page_attr(n, "name");
  if (f->query || !name || !*name)
    return;
  if (!type || !*type || strcasecmp(type, "text") == 0 || strcasecmp(type, "search") == 0)
    f->query = gw_page_strdup(w->p, name);
}

static void enter_element(struct walk *w, xmlNode *n)
{
  struct gw_page_priv *pv = w->pv;
  size_t idx = pv->n_el++;
  struct gw_einfo *e = &pv->el[idx];
  memset(e, 0, sizeof *e);
  e->node = n;
  n->_private = e;
  e->parent = SIZE_MAX;
  if (n->parent && n->parent->type == XML_ELEMENT_NODE && n->parent->_private) {
    const struct gw_einfo *pe = n->parent->_private;
    e->parent = (size_t)(pe - pv->el);
    e->hidden = pe->hidden;
    e->hidden_line = pe->hidden_line;
    e->bg = pe->bg;
    e->has_bg = pe->has_bg;
    e->skip = pe->skip;
  }
  long line = line_of(n);
  const struct tag_info *ti = tag_lookup(w->pv, n);
  unsigned tid = ti ? ti->id : T_OTHER, tfl = ti ? ti->flags : 0;
  e->tag_id = (unsigned char)tid;
  e->tag_flags = (unsigned char)tfl;
  if (tfl & TF_SKIP)
    e->skip = true;

  /* Own hiding. */
  unsigned own = 0;
  struct gw_style st = {0};
  const char *style = gw_page_attr(n, "style");
  if (style)
    gw_page_style_parse(style, strlen(style), &st);
  own |= st.hide;
  if (gw_page_attr(n, "hidden"))
    own |= GW_HIDE_ATTRIBUTE;
  const char *type = gw_page_attr(n, "type");
  if (type && strcasecmp(type, "hidden") == 0)
    own |= GW_HIDE_INPUT_HIDDEN;
  if (tid == T_MARQUEE) {
    long wd = attr_px(n, "width"), ht = attr_px(n, "height");
    if ((wd >= 0 && wd <= 5) || (ht >= 0 && ht <= 5) || (st.hide & GW_HIDE_ZERO_SIZE) ||
        st.tiny_box)
      own |= GW_HIDE_MARQUEE;
  }
  if (gw_page_tag_is(n, "iframe") || gw_page_tag_is(n, "frame")) {
    long wd = attr_px(n, "width"), ht = attr_px(n, "height");
    if ((wd >= 0 && wd <= 2) || (ht >= 0 && ht <= 2) || st.tiny_frame)
      own |= GW_HIDE_TINY_FRAME;
  }
  struct gw_style rule = {0};
  if (pv->n_css) {
    own |= gw_page_css_lookup(w->p, gw_page_attr(n, "class"), gw_page_attr(n, "id"));
    gw_page_css_colors(w->p, gw_page_attr(n, "class"), gw_page_attr(n, "id"), &rule);
  }
  uint32_t rgb;
  /* The style attribute wins over the page's rules, as in a browser. */
  bool has_color = st.has_color || rule.has_color;
  uint32_t color = st.has_color ? st.color : rule.color;
  if (!st.has_bg && rule.has_bg) {
    st.has_bg = true;
    st.bg = rule.bg;
  }
  const char *fc = tid == T_FONT ? gw_page_attr(n, "color") : NULL;
  if (!has_color && fc && gw_page_color_parse(fc, strlen(fc), &rgb)) {
    has_color = true;
    color = rgb;
  }
  if (st.has_bg) {
    e->bg = st.bg;
    e->has_bg = true;
  } else {
    const char *bgc = gw_page_attr(n, "bgcolor");
    if (bgc && gw_page_color_parse(bgc, strlen(bgc), &rgb)) {
      e->bg = rgb;
      e->has_bg = true;
    }
  }
  if (has_color && e->has_bg && color == e->bg)
    own |= GW_HIDE_SAME_COLOR;
  if (own) {
    if (!e->hidden)
      e->hidden_line = line ? line : 1;
    e->hidden |= own;
  }

  e->text_start = w->text.len;
  e->link_first = w->p->n_links;
  if ((tfl & TF_BLOCK) || tid == T_BR)
    tb_sep(&w->text, 2);
  else if (tfl & TF_CELL)
    tb_sep(&w->text, 1);

  /* References. */
  const char *v;
  if (!n->name)
    return;
  if (tid == T_A || tid == T_AREA) {
    bool area = tid == T_AREA;
    v = gw_page_attr(n, "href");
    if (v) {
      size_t before = w->p->n_links;
      const char *alt = NULL;
      if (area) {
        alt = gw_page_attr(n, "alt");
        if (!alt || !*alt)
          alt = gw_page_attr(n, "title");
      }
      push_link(w, area ? GW_LINK_AREA : GW_LINK_A, v, line, idx, alt);
      if (!area && w->p->n_links > before) {
        w->anchor_link = before;
        w->anchor_node = n;
        w->anchor_text.len = 0;
        if (w->anchor_text.p)
          w->anchor_text.p[0] = '\0';
        w->anchor_text.pending = 0;
        w->anchor_text.full = false;
        w->anchor_img_alt = NULL;
      }
    }
  } else if (tid == T_IMG || (tid == T_INPUT && type && strcasecmp(type, "image") == 0)) {
    const char *alt = gw_page_attr(n, "alt");
    if (!alt || !*alt)
      alt = gw_page_attr(n, "title");
    push_link(w, GW_LINK_IMG, gw_page_attr(n, "src"), line, idx, alt);
    if (w->anchor_node && !w->anchor_img_alt && alt && *alt)
      w->anchor_img_alt = alt;
  } else if (tid == T_SCRIPT) {
    push_link(w, GW_LINK_SCRIPT, gw_page_attr(n, "src"), line, idx, NULL);
  } else if (tid == T_LINK) {
    const char *rel = gw_page_attr(n, "rel");
    enum gw_link_kind k = GW_LINK_LINK;
    if (rel && gw_page_istrstr(rel, "stylesheet"))
      k = GW_LINK_STYLESHEET;
    else if (rel && gw_page_istrstr(rel, "icon"))
      k = GW_LINK_ICON;
    push_link(w, k, gw_page_attr(n, "href"), line, idx, NULL);
  } else if (tid == T_IFRAME) {
    push_link(w, GW_LINK_IFRAME, gw_page_attr(n, "src"), line, idx, gw_page_attr(n, "title"));
  } else if (tid == T_FRAME) {
    push_link(w, GW_LINK_FRAME, gw_page_attr(n, "src"), line, idx, gw_page_attr(n, "title"));
  } else if (tid == T_FORM) {
    push_link(w, GW_LINK_FORM, gw_page_attr(n, "action"), line, idx, NULL);
    push_form(w, n, line, idx);
  } else if (tid == T_INPUT) {
    form_input(w, n, type);
  } else if (tid == T_EMBED) {
    push_link(w, GW_LINK_EMBED, gw_page_attr(n, "src"), line, idx, NULL);
  } else if (tid == T_OBJECT) {
    push_link(w, GW_LINK_OBJECT, gw_page_attr(n, "data"), line, idx, NULL);
  } else if (tid == T_SOURCE) {
    push_link(w, GW_LINK_SOURCE, gw_page_attr(n, "src"), line, idx, NULL);
  } else if (tid == T_VIDEO) {
    push_link(w, GW_LINK_VIDEO, gw_page_attr(n, "src"), line, idx, NULL);
    push_link(w, GW_LINK_VIDEO, gw_page_attr(n, "poster"), line, idx, NULL);
  } else if (tid == T_AUDIO) {
    push_link(w, GW_LINK_AUDIO, gw_page_attr(n, "src"), line, idx, NULL);
  } else if (tid == T_META) {
    const char *he = gw_page_attr(n, "http-equiv");
    const char *content = gw_page_attr(n, "content");
    char url[8200];
    if (he && content && strcasecmp(he, "refresh") == 0 && refresh_url(content, url, sizeof url))
      push_link(w, GW_LINK_REFRESH, url, line, idx, NULL);
  }
  if (style) {
    struct css_url_ctx c = {w, line, idx};
    gw_page_css_urls(style, strlen(style), css_url_cb, &c);
  }
}

static void leave_element(struct walk *w, xmlNode *n)
{
  struct gw_einfo *e = n->_private;
  if (!e)
    return;
  struct gw_page_priv *pv = w->pv;
  e->text_end = w->text.len;
  e->last = pv->n_el - 1;
  e->link_end = w->p->n_links;
  if (e->tag_flags & TF_BLOCK)
    tb_sep(&w->text, 2);
  else if (e->tag_flags & TF_CELL)
    tb_sep(&w->text, 1);
  if (w->form_node == n)
    w->form_node = NULL;
  if (w->anchor_node == n) {
    struct gw_link *l = &w->p->links[w->anchor_link];
    const char *t = w->anchor_text.p ? w->anchor_text.p : "";
    if (!*t && w->anchor_img_alt)
      t = w->anchor_img_alt;
    char *dup = gw_page_strdup(w->p, t);
    l->text = gw_str_trim(dup);
    if (!e->hidden && !e->skip && e->text_end > e->text_start) {
      size_t off = e->text_start;
      while (off < e->text_end && (w->text.p[off] == '\n' || w->text.p[off] == ' '))
        off++;
      if (off < e->text_end)
        l->text_off = off;
    }
    w->anchor_node = NULL;
    w->anchor_link = SIZE_MAX;
  }
}

static bool has_marker(const char *s)
{
  return gw_phrases_find(&gw_page_footer_markers, s, strlen(s)) != 0;
}

struct write_ctx {
  struct walk *w;
  size_t el;
};

/* An anchor written by document.write: a link hidden at least by being
 * script-written, plus whatever its written markup hides it with. */
static void written_anchor(void *ctx, const char *href, const char *text, long line, unsigned hide)
{
  struct write_ctx *c = ctx;
  struct gw_page *p = c->w->p;
  size_t before = p->n_links;
  push_link(c->w, GW_LINK_A, href, line, c->el, text);
  if (p->n_links == before)
    return;
  struct gw_link *l = &p->links[before];
  if (!l->hidden)
    l->hidden_line = line ? line : 1;
  l->hidden |= hide | GW_HIDE_SCRIPT_WRITE;
}

static void text_node(struct walk *w, xmlNode *n)
{
  if (!n->content || !n->parent || n->parent->type != XML_ELEMENT_NODE)
    return;
  const struct gw_einfo *pe = n->parent->_private;
  if (!pe)
    return;
  const char *s = (const char *)n->content;
  size_t len = strlen(s);
  xmlNode *par = n->parent;
  if (pe->tag_id == T_SCRIPT) {
    struct gw_page_priv *pv = w->pv;
    size_t room = SCRIPTS_MAX - pv->scripts_len;
    size_t take = len < room ? len : room;
    if (take) {
      pv->scripts = gw_realloc(pv->scripts, pv->scripts_len + take + 2);
      memcpy(pv->scripts + pv->scripts_len, s, take);
      pv->scripts_len += take;
      pv->scripts[pv->scripts_len++] = '\n';
      pv->scripts[pv->scripts_len] = '\0';
    }
    struct write_ctx wc = {w, (size_t)(pe - pv->el)};
    gw_page_script_writes(s, len, line_of(par), written_anchor, &wc);
    return;
  }
  if (pe->tag_id == T_STYLE) {
    struct css_url_ctx c = {w, line_of(par), (size_t)(pe - w->pv->el)};
    gw_page_css_urls(s, len, css_url_cb, &c);
    return;
  }
  if (pe->skip)
    return;
  if (w->anchor_node)
    tb_text(&w->anchor_text, s, len);
  if (pe->hidden)
    return;
  tb_text(&w->text, s, len);
  if (has_marker(s))
    w->pv->marker_el = (size_t)(pe - w->pv->el);
}

static void walk_doc(struct walk *w, xmlDoc *doc)
{
  xmlNode *n = doc->children;
  while (n) {
    if (n->type == XML_ELEMENT_NODE)
      enter_element(w, n);
    else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
      text_node(w, n);
    if (n->type == XML_ELEMENT_NODE && n->children) {
      n = n->children;
      continue;
    }
    for (;;) {
      if (n->type == XML_ELEMENT_NODE)
        leave_element(w, n);
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
      if (!n || n->type != XML_ELEMENT_NODE) {
        n = NULL;
        break;
      }
    }
  }
}

/* Before the walk: count elements, read <style> rules (they apply to the
 * whole document wherever they stand), <base>, <title> and <meta>. */
static size_t prepass(struct gw_page *p, xmlDoc *doc)
{
  size_t count = 0, cap_meta = 0;
  bool have_base = false, have_title = false;
  for (xmlNode *n = doc->children; n; n = dfs_next(n, true)) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    count++;
    const struct tag_info *ti = tag_lookup(p->priv, n);
    unsigned tid = ti ? ti->id : T_OTHER;
    if (tid == T_OTHER)
      continue;
    if (tid == T_STYLE) {
      for (xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
          gw_page_css_collect(p, (const char *)c->content, strlen((const char *)c->content));
    } else if (tid == T_BASE && !have_base) {
      const char *href = gw_page_attr(n, "href");
      if (href) {
        have_base = true;
        const char *b = gw_page_resolve(p, href);
        if (b) {
          CURLU *bh = curl_url();
          if (curl_url_set(bh, CURLUPART_URL, b, 0) == CURLUE_OK) {
            curl_url_cleanup((CURLU *)p->priv->base_h);
            p->priv->base_h = bh;
            p->base = b;
          } else {
            curl_url_cleanup(bh);
          }
        }
      }
    } else if (tid == T_TITLE && !have_title) {
      have_title = true;
      xmlChar *t = xmlNodeGetContent(n);
      struct tb tb = {.max = 4096};
      if (t)
        tb_text(&tb, (const char *)t, strlen((const char *)t));
      xmlFree(t);
      p->title = gw_page_strdup(p, tb.p ? tb.p : "");
      free(tb.p);
    } else if (tid == T_META) {
      enum gw_meta_attr a = GW_META_NAME;
      const char *name = gw_page_attr(n, "name");
      if (!name) {
        name = gw_page_attr(n, "property");
        a = GW_META_PROPERTY;
      }
      if (!name) {
        name = gw_page_attr(n, "http-equiv");
        a = GW_META_HTTP_EQUIV;
      }
      if (!name || p->n_metas >= 1000)
        continue;
      if (p->n_metas == cap_meta) {
        cap_meta = cap_meta ? cap_meta * 2 : 16;
        p->metas = gw_reallocarray(p->metas, cap_meta, sizeof *p->metas);
      }
      struct gw_meta *m = &p->metas[p->n_metas++];
      const char *content = gw_page_attr(n, "content");
      size_t nl = strlen(name), cl = content ? strlen(content) : 0;
      m->attr = a;
      m->name = gw_page_strndup(p, name, gw_page_utf8_cut(name, nl, 256));
      m->content = gw_page_strndup(p, content ? content : "", gw_page_utf8_cut(content, cl, 8192));
      m->line = line_of(n);
    }
  }
  return count;
}

void gw_page_free(struct gw_page **pp)
{
  if (!pp || !*pp)
    return;
  struct gw_page *p = *pp;
  if (p->priv) {
    struct gw_arena_chunk *c = p->priv->arena;
    while (c) {
      struct gw_arena_chunk *next = c->next;
      free(c);
      c = next;
    }
    for (size_t i = 0; i < p->priv->css_cap; i++)
      free(p->priv->css[i].name);
    free(p->priv->css);
    free(p->priv->el);
    free(p->priv->link_el);
    free(p->priv->scripts);
    if (p->priv->doc)
      xmlFreeDoc(p->priv->doc);
    curl_url_cleanup((CURLU *)p->priv->base_h);
    free(p->priv);
  }
  free(p->links);
  free(p->forms);
  free(p->metas);
  free(p->items);
  free(p->pages.urls);
  free(p);
  *pp = NULL;
}

/* Drop what only the parse needed (the tree, per-element data). */
static void release_parse_state(struct gw_page *p)
{
  struct gw_page_priv *pv = p->priv;
  if (pv->doc) {
    xmlFreeDoc(pv->doc);
    pv->doc = NULL;
  }
  free(pv->el);
  pv->el = NULL;
  pv->n_el = 0;
  free(pv->link_el);
  pv->link_el = NULL;
  free(pv->scripts);
  pv->scripts = NULL;
  pv->scripts_len = 0;
  curl_url_cleanup((CURLU *)pv->base_h);
  pv->base_h = NULL;
}

/* libxml2's HTML parser over UTF-8 we made ourselves. IGNORE_ENC keeps a
 * <meta charset> from re-decoding it; HUGE lifts the depth limit of 256,
 * past which libxml2 silently drops the rest of the page (our own caps
 * bound the input); BIG_LINES keeps line numbers past 65535, which
 * htmlCtxtUseOptions does not pass on, hence the context is set up by
 * hand rather than with htmlReadMemory. */
static xmlDoc *read_html(const char *utf8, size_t len)
{
  const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                   HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC |
                   XML_PARSE_HUGE;
  htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(utf8, (int)len);
  if (!ctxt)
    return NULL;
  htmlCtxtUseOptions(ctxt, opts);
  ctxt->options |= XML_PARSE_BIG_LINES;
  xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
  htmlParseDocument(ctxt);
  xmlDoc *doc = ctxt->myDoc;
  ctxt->myDoc = NULL;
  htmlFreeParserCtxt(ctxt);
  return doc;
}

int gw_page_parse(struct gw_page **out, const struct gw_page_input *in)
{
  if (!in || !in->url)
    return gw_err_set(GW_EINVAL, "page parse: no URL given");
  CURLU *h = curl_url();
  char *u = NULL, *sch = NULL;
  if (!h || curl_url_set(h, CURLUPART_URL, in->url, 0) != CURLUE_OK ||
      curl_url_get(h, CURLUPART_SCHEME, &sch, 0) != CURLUE_OK ||
      (strcmp(sch, "http") != 0 && strcmp(sch, "https") != 0) ||
      curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK || !lower_host(h) ||
      curl_url_get(h, CURLUPART_URL, &u, 0) != CURLUE_OK) {
    curl_free(sch);
    curl_url_cleanup(h);
    return gw_err_set(GW_EINVAL, "page parse: URL '%.200s' is not an absolute http(s) URL", in->url);
  }
  curl_free(sch);
  struct gw_page *p = gw_calloc(1, sizeof *p);
  p->priv = gw_calloc(1, sizeof *p->priv);
  struct gw_page_priv *pv = p->priv;
  pv->base_h = h;
  pv->footer_el = SIZE_MAX;
  pv->marker_el = SIZE_MAX;
  pv->as_of = in->as_of;
  p->url = gw_page_strdup(p, u);
  p->base = p->url;
  p->title = "";
  p->text = "";
  p->footer.text = "";
  curl_free(u);

  size_t max_bytes = in->max_bytes ? in->max_bytes : GW_PAGE_MAX_BYTES;
  size_t len = in->data ? in->len : 0;
  if (len > max_bytes) {
    len = max_bytes;
    p->input_truncated = true;
  }
  /* The UTF-8 text may be up to 1.5 times the GBK bytes; libxml2 takes an int. */
  size_t max_out = max_bytes > (size_t)INT_MAX / 2 ? (size_t)INT_MAX : max_bytes * 2;
  char *utf8 = NULL;
  size_t ulen = 0;
  int rc = gw_charset_to_utf8(in->data, len, in->content_type, max_out, &utf8, &ulen, &p->charset);
  if (rc != GW_OK) {
    /* The decided charset cannot be converted (an iconv without it):
     * read the bytes as UTF-8 with replacements rather than fail. */
    gw_strlcpy(p->charset.charset, "UTF-8", sizeof p->charset.charset);
    rc = gw_charset_convert(in->data, len, "UTF-8", max_out, &utf8, &ulen,
                            &p->charset.replacements, &p->charset.truncated);
    if (rc != GW_OK) {
      gw_page_free(&p);
      return rc;
    }
  }
  if (p->charset.truncated)
    p->input_truncated = true;

  xmlDoc *doc = ulen > 0 ? read_html(utf8, ulen) : NULL;
  free(utf8);
  pv->doc = doc;
  if (doc) {
    size_t count = prepass(p, doc);
    pv->el = gw_calloc(count ? count : 1, sizeof *pv->el);
    struct walk w = {.p = p, .pv = pv, .anchor_link = SIZE_MAX};
    w.text.max = in->max_text ? in->max_text : GW_PAGE_MAX_TEXT;
    w.anchor_text.max = ANCHOR_TEXT_MAX;
    w.max_links = in->max_links ? in->max_links : GW_PAGE_MAX_LINKS;
    walk_doc(&w, doc);
    p->text_truncated = w.text.full;
    p->text = gw_page_strndup(p, w.text.p ? w.text.p : "", w.text.len);
    p->text_len = w.text.len;
    free(w.text.p);
    free(w.anchor_text.p);
    gw_page_find_footer(p);
    gw_page_find_pubdate(p);
    gw_page_find_list(p);
    gw_page_find_pagination(p);
  }
  release_parse_state(p);
  *out = p;
  return GW_OK;
}

const char *gw_page_meta(const struct gw_page *p, const char *name)
{
  if (!p || !name)
    return NULL;
  for (size_t i = 0; i < p->n_metas; i++)
    if (strcasecmp(p->metas[i].name, name) == 0)
      return p->metas[i].content;
  return NULL;
}

const char *gw_page_meta_field(const struct gw_page *p, enum gw_meta_field f)
{
  static const char *const names[GW_MF_COUNT_][8] = {
    [GW_MF_ARTICLE_TITLE] = {"ArticleTitle", "og:title", NULL},
    [GW_MF_PUBDATE] = {"PubDate", "publishdate", "article:published_time", "pubtime",
                       "publish_date", "og:release_date", "dc.date", NULL},
    [GW_MF_CONTENT_SOURCE] = {"ContentSource", "source", NULL},
    [GW_MF_SITE_NAME] = {"SiteName", "og:site_name", NULL},
    [GW_MF_SITE_DOMAIN] = {"SiteDomain", NULL},
    [GW_MF_SITE_ID_CODE] = {"SiteIDCode", NULL},
    [GW_MF_COLUMN_NAME] = {"ColumnName", NULL},
    [GW_MF_COLUMN_TYPE] = {"ColumnType", NULL},
    [GW_MF_KEYWORDS] = {"keywords", NULL},
    [GW_MF_DESCRIPTION] = {"description", "og:description", NULL},
  };
  if (!p || (unsigned)f >= GW_MF_COUNT_)
    return NULL;
  for (const char *const *n = names[f]; *n; n++) {
    const char *v = gw_page_meta(p, *n);
    if (v && *v)
      return v;
  }
  return NULL;
}

char *gw_page_snippet(const struct gw_page *p, size_t off, size_t len, size_t context, char *buf,
                      size_t size)
{
  if (size == 0)
    return buf;
  buf[0] = '\0';
  if (!p || off > p->text_len)
    return buf;
  if (len > p->text_len - off)
    len = p->text_len - off;
  size_t start = off > context ? off - context : 0;
  size_t end = off + len + context < p->text_len ? off + len + context : p->text_len;
  while (start > 0 && ((unsigned char)p->text[start] & 0xC0) == 0x80)
    start--;
  while (end < p->text_len && ((unsigned char)p->text[end] & 0xC0) == 0x80)
    end++;
  size_t o = 0;
  for (size_t i = start; i < end; i++) {
    const char *piece = p->text[i] == '\n' ? " / " : NULL;
    size_t pl = piece ? 3 : 1;
    if (o + pl >= size)
      break;
    if (!piece && ((unsigned char)p->text[i] & 0xC0) != 0x80) {
      /* do not start a character that does not fit whole */
      unsigned char c = (unsigned char)p->text[i];
      size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      if (o + k >= size)
        break;
    }
    if (piece) {
      memcpy(buf + o, piece, 3);
    } else {
      buf[o] = p->text[i];
    }
    o += pl;
  }
  buf[o] = '\0';
  return buf;
}
