/* The wording engine: loading, the public API and the sentence scan.
 *
 * A scan splits the text into sentences, decodes each into characters,
 * segments it over the word-frequency dictionary, matches every list key
 * (wrong forms, generated near misses, correct forms, leader names, allow
 * phrases), keeps the list candidates that pass their checks, resolves
 * overlaps by priority and finally lets the statistical detector look at the
 * characters no list touched. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/utf8.h"
#include "text/wording.h"
#include "text/wording_int.h"

/* All Chinese strings users read, in one place. */
static const char *const CAT_LABEL[GW_WCAT_COUNT_] = {
    "国家领导人姓名职务", "机构名称", "会议名称", "法律法规政策名称", "行政区划",
    "固定提法",           "一般错别字", "敏感词", "落马官员",
};
static const char *const CAT_ID[GW_WCAT_COUNT_] = {
    "leaders", "institutions", "meetings", "laws", "divisions",
    "fixed",   "misused",      "sensitive", "fallen",
};
static const char *const CAT_NOTE[GW_WCAT_COUNT_] = {
    "领导人姓名疑似有误", "机构名称疑似有误", "会议名称疑似有误", "法律法规政策名称疑似有误",
    "行政区划名称疑似有误", "固定提法疑似有误", "疑似错别字", "含敏感词，请人工核实",
    "涉及落马官员姓名，请人工核实",
};
static const char NOTE_SWAP[] = "领导人姓名字序颠倒";
static const char NOTE_TITLE[] = "领导人职务与姓名不符";
static const char NOTE_STAT[] = "疑似错别字（统计模型发现，请人工核实）";

const char *gw_wording_cat_label(enum gw_wording_cat cat)
{
  return (unsigned)cat < GW_WCAT_COUNT_ ? CAT_LABEL[cat] : "";
}

const char *gw_wording_cat_id(enum gw_wording_cat cat)
{
  return (unsigned)cat < GW_WCAT_COUNT_ ? CAT_ID[cat] : "";
}

#define DEFAULT_FREQ_PATH "/usr/lib/python3/dist-packages/jieba/dict.txt"

const char *gw_wording_default_freq_path(void)
{
  const char *env = getenv("GW_WORDING_FREQ_DICT");
  return env && *env ? env : DEFAULT_FREQ_PATH;
}

/* Tuned on ECSpell odw.train only (bench/wording/README.md). */
static const struct gw_wording_tuning DEFAULT_TUNING = {
    .stat_enabled = true,
    .stat_min_gain = 8.0,
    .stat_min_word_lp = -15.0,
    .stat_max_orig_lp = -9.0,
    .stat_max_per_sentence = 2,
};

int gw_wording_new(struct gw_wording **out, const char *dict_dir, const char *freq_path,
                   const char *confusion_dir)
{
  if (!dict_dir || !*dict_dir)
    return gw_err_set(GW_EINVAL, "wording: no dictionary directory given");
  struct gw_wording *e = gw_calloc(1, sizeof *e);
  e->tune = DEFAULT_TUNING;
  const char *fp = freq_path && *freq_path ? freq_path : gw_wording_default_freq_path();
  int rc = wd_load_freq(e, fp);
  if (rc)
    goto fail;
  struct stat st;
  if (stat(dict_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    rc = gw_err_set(GW_ENOTFOUND, "wording dictionary directory %s not found", dict_dir);
    goto fail;
  }
  if (confusion_dir && *confusion_dir) {
    /* the sets first: the custom pairs are filtered against the lists, so
     * they load after them (wd_load_confusion loads them when present) */
    rc = wd_load_lists(e, dict_dir);
    if (rc)
      goto fail;
    rc = wd_load_confusion(e, confusion_dir);
    if (rc)
      goto fail;
  } else {
    rc = wd_load_lists(e, dict_dir);
    if (rc)
      goto fail;
  }
  wd_gen_near(e);
  *out = e;
  return GW_OK;
fail:
  gw_wording_free(&e);
  return rc;
}

void gw_wording_free(struct gw_wording **pe)
{
  if (!pe || !*pe)
    return;
  struct gw_wording *e = *pe;
  wd_map_free(&e->words);
  free(e->lp);
  wd_map_free(&e->masked);
  free(e->fills);
  wd_set64_free(&e->confpairs);
  wd_map_free(&e->confidx);
  for (size_t i = 0; i < e->nconf; i++)
    free(e->conflists[i]);
  free(e->conflists);
  wd_map_free(&e->pat);
  for (size_t i = 0; i < e->nrules; i++) {
    free(e->rules[i].wrong);
    free(e->rules[i].right);
  }
  free(e->rules);
  wd_map_free(&e->allow);
  wd_map_free(&e->titles);
  for (size_t i = 0; i < e->ntitles; i++)
    free(e->titlenames[i]);
  free(e->titlenames);
  for (size_t i = 0; i < e->nleaders; i++) {
    free(e->leaders[i].name);
    free(e->leaders[i].titles);
  }
  free(e->leaders);
  for (size_t i = 0; i < e->nsources; i++)
    free(e->sources[i]);
  free(e->sources);
  free(e);
  *pe = NULL;
}

int gw_wording_allow_add(struct gw_wording *e, const char *phrase)
{
  if (!phrase)
    return gw_err_set(GW_EINVAL, "allow list: phrase is NULL");
  return wd_add_allow(e, phrase, "allow list");
}

void gw_wording_tuning_get(const struct gw_wording *e, struct gw_wording_tuning *out)
{
  *out = e->tune;
}

int gw_wording_tuning_set(struct gw_wording *e, const struct gw_wording_tuning *t)
{
  if (!isfinite(t->stat_min_gain))
    return gw_err_set(GW_EINVAL, "wording tuning: stat_min_gain is not a finite number");
  if (!isfinite(t->stat_min_word_lp))
    return gw_err_set(GW_EINVAL, "wording tuning: stat_min_word_lp is not a finite number");
  if (!isfinite(t->stat_max_orig_lp))
    return gw_err_set(GW_EINVAL, "wording tuning: stat_max_orig_lp is not a finite number");
  if (t->stat_max_per_sentence < 1)
    return gw_err_set(GW_EINVAL, "wording tuning: stat_max_per_sentence must be at least 1 (got %d)",
                      t->stat_max_per_sentence);
  e->tune = *t;
  return GW_OK;
}

void gw_wording_get_stats(const struct gw_wording *e, struct gw_wording_stats *out)
{
  out->words = e->nwords;
  out->confusion_chars = e->nconf;
  out->rules = e->nexact;
  out->near_misses = e->nnear;
  out->custom_kept = e->custom_kept;
  out->custom_dropped = e->custom_dropped;
  out->allow = e->nallow;
}

/* ---- scanning ----------------------------------------------------------- */

/* A candidate hit in a sentence, spans in units. */
struct cand {
  size_t a, b;
  int prio; /* lower wins */
  uint8_t cat;
  float conf;
  const char *sugg;
  const char *note;
  uint32_t src, line; /* WD_NONE src: statistical */
  char buf[4 * WD_STAT_SPAN + 1]; /* statistical suggestion */
};

struct ival {
  size_t a, b;
};

struct scan_ctx {
  const struct gw_wording *e;
  const char *text;
  gw_wording_fn fn;
  void *arg;
  struct wd_unit *u;
  struct cand *c;
  size_t nc, ccap;
  struct ival *allow, *prot;
  size_t nallow, allowcap, nprot, protcap;
};

static void push_ival(struct ival **v, size_t *n, size_t *cap, size_t a, size_t b)
{
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 16;
    *v = gw_reallocarray(*v, *cap, sizeof **v);
  }
  (*v)[(*n)++] = (struct ival){a, b};
}

static bool inside(const struct ival *v, size_t n, size_t a, size_t b)
{
  for (size_t i = 0; i < n; i++)
    if (v[i].a <= a && b <= v[i].b)
      return true;
  return false;
}

static struct cand *push_cand(struct scan_ctx *x)
{
  if (x->nc == x->ccap) {
    x->ccap = x->ccap ? x->ccap * 2 : 16;
    x->c = gw_reallocarray(x->c, x->ccap, sizeof *x->c);
  }
  struct cand *c = &x->c[x->nc++];
  memset(c, 0, sizeof *c);
  return c;
}

static size_t span_bytes(const struct wd_unit *u, size_t a, size_t b)
{
  return u[b - 1].off + u[b - 1].len - u[a].off;
}

/* The longest title ending at unit `end` (before = true) or starting at
 * unit `start`; returns its id and sets *len (units), or WD_NONE. */
static uint32_t find_title(const struct gw_wording *e, const char *s, const struct wd_unit *u,
                           size_t n, size_t at, bool before, size_t *len)
{
  for (size_t l = e->maxtitle; l >= 1; l--) {
    size_t a, b;
    if (before) {
      if (at < l)
        continue;
      a = at - l, b = at;
    } else {
      if (at + l > n)
        continue;
      a = at, b = at + l;
    }
    const uint32_t *v = wd_map_get(&e->titles, s + u[a].off, span_bytes(u, a, b));
    if (v) {
      *len = l;
      return *v;
    }
  }
  return WD_NONE;
}

static bool leader_has(const struct wd_leader *ld, uint32_t title)
{
  for (size_t i = 0; i < ld->ntitles; i++)
    if (ld->titles[i] == title)
      return true;
  return false;
}

static const int PRIO_PAIR = 0, PRIO_TITLE = 1, PRIO_NAME = 2, PRIO_NEAR = 3, PRIO_CUSTOM = 4,
                 PRIO_STAT = 5;

/* Add the candidates of one matched rule at units [a, b). */
static void match_rule(struct scan_ctx *x, const char *s, size_t n, const struct wd_seg *seg,
                       const struct wd_rule *r, size_t a, size_t b)
{
  const struct gw_wording *e = x->e;
  const struct wd_unit *u = x->u;
  switch (r->kind) {
  case WK_TERM:
    push_ival(&x->prot, &x->nprot, &x->protcap, a, b);
    return;
  case WK_NAME: {
    push_ival(&x->prot, &x->nprot, &x->protcap, a, b);
    const struct wd_leader *ld = &e->leaders[r->leader];
    for (int side = 0; side < 2; side++) {
      size_t tl = 0;
      uint32_t t = find_title(e, s, u, n, side == 0 ? a : b, side == 0, &tl);
      /* only full titles (four or more characters): a short 副主席 or
       * 总理 may end a longer local title (市政协副主席李强), another
       * person with the same name */
      if (t == WD_NONE || tl < 4 || leader_has(ld, t))
        continue;
      struct cand *c = push_cand(x);
      c->a = side == 0 ? a - tl : b;
      c->b = side == 0 ? a : b + tl;
      c->prio = PRIO_TITLE;
      c->cat = GW_WCAT_LEADER;
      c->conf = 0.9f;
      c->sugg = e->titlenames[ld->titles[0]];
      c->note = NOTE_TITLE;
      c->src = ld->src;
      c->line = ld->line;
    }
    return;
  }
  case WK_FLAG: {
    struct cand *c = push_cand(x);
    c->a = a, c->b = b, c->prio = PRIO_PAIR, c->cat = r->cat, c->conf = r->conf;
    c->sugg = "", c->note = CAT_NOTE[r->cat], c->src = r->src, c->line = r->line;
    return;
  }
  default:
    break;
  }
  /* a wrong form of a few characters must stand on its own: a dictionary
   * word of the best segmentation running across either end means the
   * characters belong to their neighbours (单位|于, 国家|重点) */
  /* Generated near misses always (社会主义|法治理念 holds 义法治理, one
   * character off 依法治理); curated pairs of four or more characters are
   * whole expressions and are trusted. */
  bool generated = r->kind == WK_NEAR || r->kind == WK_NAME_NEAR || r->kind == WK_NAME_SWAP ||
                   r->kind == WK_CUSTOM;
  if ((generated || r->nunits <= 3) && (wd_seg_crosses(seg, a) || wd_seg_crosses(seg, b)))
    return;
  float conf = r->conf;
  if (r->kind == WK_NAME_NEAR || r->kind == WK_NAME_SWAP) {
    size_t tl = 0, tr = 0;
    bool titled = (find_title(e, s, u, n, a, true, &tl) != WD_NONE && tl >= 4) ||
                  (find_title(e, s, u, n, b, false, &tr) != WD_NONE && tr >= 4);
    if (!titled && r->nunits < 3)
      return; /* a two-character near miss alone is too often another name */
    if (!titled)
      conf = 0.8f;
  }
  struct cand *c = push_cand(x);
  c->a = a, c->b = b, c->cat = r->cat, c->conf = conf, c->sugg = r->right;
  c->src = r->src, c->line = r->line;
  switch (r->kind) {
  case WK_PAIR:
    c->prio = PRIO_PAIR, c->note = CAT_NOTE[r->cat];
    break;
  case WK_NAME_NEAR:
    c->prio = PRIO_NAME, c->note = CAT_NOTE[r->cat];
    break;
  case WK_NAME_SWAP:
    c->prio = PRIO_NAME, c->note = NOTE_SWAP;
    break;
  case WK_NEAR:
    c->prio = PRIO_NEAR, c->note = CAT_NOTE[r->cat];
    break;
  default:
    c->prio = PRIO_CUSTOM, c->note = CAT_NOTE[GW_WCAT_TYPO];
    break;
  }
}

static int cmp_cand(const void *pa, const void *pb)
{
  const struct cand *a = pa, *b = pb;
  if (a->prio != b->prio)
    return a->prio - b->prio;
  size_t la = a->b - a->a, lb = b->b - b->a;
  if (la != lb)
    return la > lb ? -1 : 1;
  return a->a < b->a ? -1 : a->a > b->a;
}

static int cmp_cand_pos(const void *pa, const void *pb)
{
  const struct cand *a = pa, *b = pb;
  return a->a < b->a ? -1 : a->a > b->a;
}

static int report(struct scan_ctx *x, size_t sstart, size_t slen, const struct cand *c)
{
  const struct gw_wording *e = x->e;
  const struct wd_unit *u = x->u;
  size_t start = sstart + u[c->a].off, len = span_bytes(u, c->a, c->b);
  char suspect[4 * WD_MAX_SENT + 1];
  if (len >= sizeof suspect)
    len = sizeof suspect - 1;
  memcpy(suspect, x->text + start, len);
  suspect[len] = '\0';
  char rule[256];
  if (c->src == WD_NONE)
    snprintf(rule, sizeof rule, "statistical");
  else if (c->line)
    snprintf(rule, sizeof rule, "%s:%u", e->sources[c->src], (unsigned)c->line);
  else
    snprintf(rule, sizeof rule, "%s", e->sources[c->src]);
  struct gw_wording_hit h = {
      .cat = (enum gw_wording_cat)c->cat,
      .start = start,
      .len = len,
      .sent_start = sstart,
      .sent_len = slen,
      .suspect = suspect,
      .suggestion = c->sugg ? c->sugg : "",
      .rule = rule,
      .note = c->note,
      .confidence = c->conf,
  };
  return x->fn(&h, x->arg);
}

static int scan_sentence(struct scan_ctx *x, size_t sstart, size_t slen, size_t n)
{
  const struct gw_wording *e = x->e;
  const char *s = x->text + sstart;
  struct wd_unit *u = x->u;
  x->nc = x->nallow = x->nprot = 0;
  bool any_cjk = false;
  for (size_t i = 0; i < n && !any_cjk; i++)
    any_cjk = u[i].cjk;
  if (!any_cjk)
    return 0;

  struct wd_seg seg;
  wd_segment(e, s, u, n, &seg);

  /* every list key and allow phrase that occurs */
  size_t maxlen = e->maxpat > e->maxallow ? e->maxpat : e->maxallow;
  for (size_t a = 0; a < n; a++) {
    if (u[a].cp == 0xFFFD && u[a].len == 1)
      continue;
    for (size_t b = a + 1; b <= n && b - a <= maxlen; b++) {
      if (u[b - 1].cp == 0xFFFD && u[b - 1].len == 1)
        break; /* keys are valid UTF-8 */
      const char *k = s + u[a].off;
      size_t kl = span_bytes(u, a, b);
      if (b - a <= e->maxallow && wd_map_get(&e->allow, k, kl))
        push_ival(&x->allow, &x->nallow, &x->allowcap, a, b);
      if (b - a > e->maxpat)
        continue;
      const uint32_t *h = wd_map_get(&e->pat, k, kl);
      for (uint32_t r = h ? *h : WD_NONE; r != WD_NONE; r = e->rules[r].next)
        match_rule(x, s, n, &seg, &e->rules[r], a, b);
    }
  }

  /* drop allowed candidates and near misses inside correct forms, then keep
   * the best of overlapping ones */
  size_t keep = 0;
  for (size_t i = 0; i < x->nc; i++) {
    struct cand *c = &x->c[i];
    if (inside(x->allow, x->nallow, c->a, c->b))
      continue;
    if (c->prio != PRIO_TITLE && c->cat != GW_WCAT_SENSITIVE && c->cat != GW_WCAT_FALLEN &&
        inside(x->prot, x->nprot, c->a, c->b))
      continue;
    x->c[keep++] = *c;
  }
  if (keep > 1)
    qsort(x->c, keep, sizeof *x->c, cmp_cand);
  bool *covered = gw_calloc(n + 1, sizeof *covered);
  size_t nk = 0;
  for (size_t i = 0; i < keep; i++) {
    struct cand *c = &x->c[i];
    bool overlap = false;
    for (size_t k = c->a; k < c->b && !overlap; k++)
      overlap = covered[k];
    if (overlap)
      continue;
    for (size_t k = c->a; k < c->b; k++)
      covered[k] = true;
    x->c[nk++] = *c;
  }
  x->nc = nk;

  /* the statistical detector on what is left: never inside correct forms,
   * allowed phrases or list hits */
  bool *skip = gw_calloc(n + 1, sizeof *skip);
  memcpy(skip, covered, n * sizeof *skip);
  for (size_t i = 0; i < x->nprot; i++)
    for (size_t k = x->prot[i].a; k < x->prot[i].b; k++)
      skip[k] = true;
  for (size_t i = 0; i < x->nallow; i++)
    for (size_t k = x->allow[i].a; k < x->allow[i].b; k++)
      skip[k] = true;
  struct wd_stat_hit st[8];
  size_t cap = (size_t)e->tune.stat_max_per_sentence;
  if (cap > sizeof st / sizeof st[0])
    cap = sizeof st / sizeof st[0];
  size_t ns = wd_stat_scan(e, s, u, n, &seg, skip, st, cap);
  free(skip);
  if (ns <= cap) {
    for (size_t i = 0; i < ns; i++) {
      bool clash = false;
      for (size_t k = st[i].a; k < st[i].b && !clash; k++)
        clash = covered[k];
      if (clash)
        continue;
      struct cand *c = push_cand(x);
      c->a = st[i].a, c->b = st[i].b, c->prio = PRIO_STAT, c->cat = GW_WCAT_TYPO;
      /* the gain above the threshold, mapped to 0.5 .. 0.9 */
      double g = st[i].gain - e->tune.stat_min_gain;
      c->conf = (float)(0.5 + 0.4 * (1.0 - exp(-g / 4.0)));
      c->note = NOTE_STAT;
      c->src = WD_NONE;
      size_t bl = 0;
      for (size_t k = c->a; k < c->b; k++) {
        if (k == st[i].pos)
          bl += gw_utf8_encode(st[i].cp, c->buf + bl);
        else {
          memcpy(c->buf + bl, s + u[k].off, u[k].len);
          bl += u[k].len;
        }
      }
      c->buf[bl] = '\0';
      c->sugg = NULL; /* set below: c->buf moves when x->c grows */
    }
  }
  free(covered);
  wd_seg_free(&seg);
  if (x->nc > 1)
    qsort(x->c, x->nc, sizeof *x->c, cmp_cand_pos);
  for (size_t i = 0; i < x->nc; i++) {
    struct cand *c = &x->c[i];
    if (c->src == WD_NONE)
      c->sugg = c->buf;
    int rc = report(x, sstart, slen, c);
    if (rc)
      return rc;
  }
  return 0;
}

static bool is_terminator(uint32_t cp)
{
  switch (cp) {
  case 0x3002: /* 。 */
  case 0xFF01: /* ！ */
  case 0xFF1F: /* ？ */
  case 0xFF1B: /* ； */
  case '!':
  case '?':
  case ';':
  case '\n':
  case '\r':
    return true;
  default:
    return false;
  }
}

int gw_wording_scan(const struct gw_wording *e, const char *text, size_t len, gw_wording_fn fn,
                    void *arg)
{
  struct scan_ctx x = {.e = e, .text = text, .fn = fn, .arg = arg};
  x.u = gw_calloc(WD_MAX_SENT + 1, sizeof *x.u);
  int rc = 0;
  size_t i = 0;
  while (i < len && rc == 0) {
    size_t sstart = i, n = 0;
    while (i < len && n < WD_MAX_SENT) {
      uint32_t cp;
      size_t k = gw_utf8_decode(text + i, len - i, &cp);
      if (k == 0) {
        k = 1;
        cp = 0xFFFD;
      }
      x.u[n].cp = cp;
      x.u[n].off = (uint32_t)(i - sstart);
      x.u[n].len = (uint8_t)k;
      x.u[n].cjk = wd_is_cjk(cp);
      n++;
      i += k;
      if (is_terminator(cp))
        break;
    }
    rc = scan_sentence(&x, sstart, i - sstart, n);
  }
  free(x.u);
  free(x.c);
  free(x.allow);
  free(x.prot);
  return rc;
}
