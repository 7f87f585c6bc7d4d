/* Segmentation over the word-frequency dictionary and the statistical
 * detector.
 *
 * The segmenter is the maximum-probability path of a unigram word model
 * (log P(word) = log(freq / total), unknown characters at frequency 1, as
 * jieba does without its HMM). The detector asks, for each character, whether
 * replacing it by a confusable character (same pinyin or same shape) lets the
 * sentence segment into a much more probable path through a dictionary word:
 * typos break words into runs of rare single characters, and the correction
 * joins them again. Replacements that only trade one word for a more frequent
 * one are not considered (the character must not already sit in a common
 * word), so real but rarer words are left alone. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf8.h"
#include "text/wording_int.h"

static double unit_lp(const struct gw_wording *e, const char *s, const struct wd_unit *u)
{
  if (!u->cjk)
    return 0; /* punctuation, digits, Latin: separators that cost nothing */
  double lp = wd_word_lp(e, s + u->off, u->len);
  return isnan(lp) ? e->unknown_lp : lp;
}

/* log P of units [i, j) as one dictionary word (j - i >= 2), NAN if none. */
static double span_lp(const struct gw_wording *e, const char *s, const struct wd_unit *u, size_t i,
                      size_t j)
{
  size_t from = u[i].off, to = u[j - 1].off + u[j - 1].len;
  return wd_word_lp(e, s + from, to - from);
}

void wd_segment(const struct gw_wording *e, const char *s, const struct wd_unit *u, size_t n,
                struct wd_seg *seg)
{
  seg->n = n;
  seg->fwd = gw_calloc(n + 1, sizeof *seg->fwd);
  seg->bwd = gw_calloc(n + 1, sizeof *seg->bwd);
  seg->seglen = gw_calloc(n + 1, sizeof *seg->seglen);
  seg->segstart = gw_calloc(n + 1, sizeof *seg->segstart);
  seg->seglp = gw_calloc(n + 1, sizeof *seg->seglp);
  uint32_t *back = gw_calloc(n + 1, sizeof *back);
  double *single = gw_calloc(n + 1, sizeof *single);
  for (size_t i = 0; i < n; i++)
    single[i] = unit_lp(e, s, &u[i]);

  seg->fwd[0] = 0;
  for (size_t j = 1; j <= n; j++) {
    double best = seg->fwd[j - 1] + single[j - 1];
    size_t bi = j - 1;
    if (u[j - 1].cjk) {
      for (size_t i = j - 1; i-- > 0 && j - i <= WD_MAX_WORD;) {
        if (!u[i].cjk)
          break;
        double lp = span_lp(e, s, u, i, j);
        if (!isnan(lp) && seg->fwd[i] + lp > best) {
          best = seg->fwd[i] + lp;
          bi = i;
        }
      }
    }
    seg->fwd[j] = best;
    back[j] = (uint32_t)bi;
  }
  seg->bwd[n] = 0;
  for (size_t i = n; i-- > 0;) {
    double best = single[i] + seg->bwd[i + 1];
    if (u[i].cjk) {
      for (size_t j = i + 2; j <= n && j - i <= WD_MAX_WORD; j++) {
        if (!u[j - 1].cjk)
          break;
        double lp = span_lp(e, s, u, i, j);
        if (!isnan(lp) && lp + seg->bwd[j] > best)
          best = lp + seg->bwd[j];
      }
    }
    seg->bwd[i] = best;
  }
  for (size_t j = n; j > 0;) {
    size_t i = back[j];
    float lp = (float)(j - i == 1 ? single[i] : span_lp(e, s, u, i, j));
    for (size_t k = i; k < j; k++) {
      seg->seglen[k] = (uint16_t)(j - i);
      seg->segstart[k] = (uint32_t)i;
      seg->seglp[k] = lp;
    }
    j = i;
  }
  free(back);
  free(single);
}

void wd_seg_free(struct wd_seg *seg)
{
  free(seg->fwd);
  free(seg->bwd);
  free(seg->seglen);
  free(seg->segstart);
  free(seg->seglp);
  memset(seg, 0, sizeof *seg);
}

bool wd_seg_crosses(const struct wd_seg *seg, size_t b)
{
  if (b == 0 || b >= seg->n)
    return false;
  /* unit b - 1 and unit b in the same segment means a word straddles b */
  return seg->segstart[b] == seg->segstart[b - 1] && seg->seglen[b] >= 2;
}

/* Proper names are where a unigram model fails: their characters are rare
 * singles that a confusable replacement turns into a word (柳泉口村 ->
 * 流泉, 主任高雨 -> 高于). A suspect right before a name suffix (村, 社区,
 * 公司 ...) or right after a title (主任, 书记 ...) is taken for a name. */
static bool matches_at(const char *s, const struct wd_unit *u, size_t n, size_t at,
                       const char *w)
{
  size_t wl = strlen(w), got = 0;
  for (size_t k = at; k < n && got < wl; k++) {
    if (got + u[k].len > wl || memcmp(s + u[k].off, w + got, u[k].len) != 0)
      return false;
    got += u[k].len;
  }
  return got == wl;
}

static bool ends_at(const char *s, const struct wd_unit *u, size_t at, const char *w)
{
  size_t wl = strlen(w), got = 0;
  for (size_t k = at; k-- > 0 && got < wl;) {
    if (got + u[k].len > wl || memcmp(s + u[k].off, w + wl - got - u[k].len, u[k].len) != 0)
      return false;
    got += u[k].len;
  }
  return got == wl;
}

static bool looks_like_name(const char *s, const struct wd_unit *u, size_t n, size_t a, size_t b)
{
  static const char *const suffix[] = {"村", "镇", "乡", "屯", "寨", "嘎查", "社区", "街道",
                                       "公司", "集团", "小区", "大厦", "宾馆", "酒店"};
  static const char *const title[] = {"主任", "书记", "局长", "处长", "科长", "县长", "市长",
                                      "省长", "部长", "厅长", "经理", "董事长", "理事长",
                                      "校长", "院长", "委员", "代表", "同志", "先生", "女士"};
  for (size_t k = b - 1; k <= b + 1 && k < n; k++)
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
      if (matches_at(s, u, n, k, suffix[i]))
        return true;
  for (size_t i = 0; i < sizeof title / sizeof title[0]; i++)
    if (ends_at(s, u, a, title[i]))
      return true;
  return false;
}

static int cmp_gain(const void *pa, const void *pb)
{
  const struct wd_stat_hit *a = pa, *b = pb;
  if (a->gain != b->gain)
    return a->gain > b->gain ? -1 : 1;
  return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int cmp_pos(const void *pa, const void *pb)
{
  const struct wd_stat_hit *a = pa, *b = pb;
  return a->a < b->a ? -1 : a->a > b->a;
}

size_t wd_stat_scan(const struct gw_wording *e, const char *s, const struct wd_unit *u, size_t n,
                    const struct wd_seg *seg, const bool *skip, struct wd_stat_hit *out,
                    size_t max)
{
  const struct gw_wording_tuning *t = &e->tune;
  if (!t->stat_enabled || !e->have_confusion || n < 2)
    return 0;
  struct wd_stat_hit *cand = NULL;
  size_t ncand = 0, candcap = 0;
  double base = seg->fwd[n];
  char key[1 + 4 * WD_STAT_SPAN];
  for (size_t pos = 0; pos < n; pos++) {
    if (!u[pos].cjk || skip[pos])
      continue;
    if (seg->seglen[pos] >= 2 && seg->seglp[pos] > t->stat_max_orig_lp)
      continue;
    size_t nconf;
    if (!wd_conf_of(e, u[pos].cp, &nconf))
      continue;
    struct wd_stat_hit best = {0, 0, pos, 0, -INFINITY, 0};
    size_t a0 = pos + 1 >= WD_STAT_SPAN ? pos + 1 - WD_STAT_SPAN : 0;
    for (size_t a = a0; a <= pos; a++) {
      for (size_t b = pos + 1; b <= n && b - a <= WD_STAT_SPAN; b++) {
        if (b - a < 2)
          continue;
        bool ok = true;
        for (size_t k = a; k < b && ok; k++)
          ok = u[k].cjk;
        if (!ok)
          break;
        size_t kl = 0;
        key[kl++] = (char)(pos - a + 1);
        for (size_t k = a; k < b; k++) {
          if (k == pos)
            continue;
          memcpy(key + kl, s + u[k].off, u[k].len);
          kl += u[k].len;
        }
        const uint32_t *h = wd_map_get(&e->masked, key, kl);
        for (uint32_t f = h ? *h : WD_NONE; f != WD_NONE; f = e->fills[f].next) {
          const struct wd_fill *fl = &e->fills[f];
          if (fl->cp == u[pos].cp || fl->lp < t->stat_min_word_lp)
            continue;
          if (!wd_set64_has(&e->confpairs, ((uint64_t)u[pos].cp << 32) | fl->cp))
            continue;
          double total = seg->fwd[a] + fl->lp + seg->bwd[b];
          if (total > best.gain) {
            best.gain = total;
            best.a = a;
            best.b = b;
            best.cp = fl->cp;
            best.newlp = fl->lp;
          }
        }
      }
    }
    if (!isfinite(best.gain))
      continue;
    best.gain -= base;
    if (best.gain < t->stat_min_gain || looks_like_name(s, u, n, best.a, best.b))
      continue;
    if (ncand == candcap) {
      candcap = candcap ? candcap * 2 : 16;
      cand = gw_reallocarray(cand, candcap, sizeof *cand);
    }
    cand[ncand++] = best;
  }
  /* keep the strongest of overlapping suspects */
  if (ncand > 1)
    qsort(cand, ncand, sizeof *cand, cmp_gain);
  size_t kept = 0;
  for (size_t i = 0; i < ncand; i++) {
    bool overlap = false;
    for (size_t k = 0; k < kept && !overlap; k++)
      overlap = cand[i].a < cand[k].b && cand[k].a < cand[i].b;
    if (!overlap)
      cand[kept++] = cand[i];
  }
  if (kept > 1)
    qsort(cand, kept, sizeof *cand, cmp_pos);
  for (size_t i = 0; i < kept && i < max; i++)
    out[i] = cand[i];
  free(cand);
  return kept;
}
