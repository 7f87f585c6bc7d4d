/* gw_bench_wording: accuracy of the wording engine on public Chinese
 * spelling-check sets, used in place from the shared data directory.
 *
 * For each set it scans every source sentence and counts, at sentence level,
 * a sentence as positive when the source differs from the correct text and
 * as predicted positive when the engine reports at least one hit (detection
 * precision, recall, F1; for the all-correct acc_xxqg set the false-alarm
 * rate). It also reports character-level detection (for equal-length pairs)
 * and the sentence-level correction metric pycorrector publishes (apply every
 * suggestion; right only if the result equals the correct text), so the
 * numbers can be set beside pycorrector's. Prints a Markdown table.
 *
 * Usage: gw_bench_wording [--shared DIR] [--dict DIR] [--freq FILE]
 *          [--confusion DIR] [--only NAME] [--set KEY=VALUE]... [--dump FILE]
 *          [--no-stat] [--no-custom-filter-report] */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/utf8.h"
#include "text/wording.h"

#ifndef GW_SRC_DIR
#define GW_SRC_DIR "."
#endif

struct pair {
  char *src, *tgt;
};

struct set {
  const char *name, *file;
  int kind; /* 0 ECSpell TSV n\tsrc\ttgt, 1 src\ttgt TSV, 2 macro-correct JSON,
              3 line-aligned PREFIXerror.txt / PREFIXcorrect.txt */
  struct pair *p;
  size_t n;
};

static struct set SETS[] = {
    {"odw.train (dev)", "data/csc/ecspell/odw.train", 0, NULL, 0},
    {"sighan14 (dev)", "data/csc/sighan/onebula_test14_", 3, NULL, 0},
    {"law.test", "data/csc/ecspell/law.test", 0, NULL, 0},
    {"med.test", "data/csc/ecspell/med.test", 0, NULL, 0},
    {"sighan15 (707)", "data/csc/sighan/sighan15_test_pycorrector_707.tsv", 1, NULL, 0},
    {"acc_xxqg (5,000 correct)", "data/csc/macro_correct/acc_xxqg.tet.json", 2, NULL, 0},
};
#define NSETS (sizeof SETS / sizeof SETS[0])

static void add_pair(struct set *s, const char *a, size_t al, const char *b, size_t bl)
{
  s->p = gw_reallocarray(s->p, s->n + 1, sizeof *s->p);
  s->p[s->n].src = gw_strndup(a, al);
  s->p[s->n].tgt = gw_strndup(b, bl);
  s->n++;
}

static int load_tsv(struct set *s, const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return gw_err_set(GW_ENOTFOUND, "%s: %s", path, strerror(errno));
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  size_t lineno = 0;
  int rc = GW_OK;
  while ((got = getline(&line, &cap, f)) > 0) {
    lineno++;
    while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
      line[--got] = '\0';
    if (got == 0)
      continue;
    char *a = line;
    if (s->kind == 0) {
      a = strchr(line, '\t');
      if (!a) {
        rc = gw_err_set(GW_EPARSE, "%s:%zu: expected n<TAB>source<TAB>target", path, lineno);
        break;
      }
      a++;
    }
    char *b = strchr(a, '\t');
    if (!b) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: expected source<TAB>target", path, lineno);
      break;
    }
    char *c = strchr(b + 1, '\t');
    size_t bl = c ? (size_t)(c - (b + 1)) : strlen(b + 1);
    add_pair(s, a, (size_t)(b - a), b + 1, bl);
  }
  free(line);
  fclose(f);
  return rc;
}

static int load_aligned(struct set *s, const char *prefix)
{
  char pe[4200], pc[4200];
  snprintf(pe, sizeof pe, "%serror.txt", prefix);
  snprintf(pc, sizeof pc, "%scorrect.txt", prefix);
  FILE *fe = fopen(pe, "rb"), *fc = fopen(pc, "rb");
  int rc = GW_OK;
  if (!fe || !fc) {
    rc = gw_err_set(GW_ENOTFOUND, "%s: %s", !fe ? pe : pc, strerror(errno));
    goto done;
  }
  char *le = NULL, *lc = NULL;
  size_t ce = 0, cc = 0;
  ssize_t ge, gc;
  size_t lineno = 0;
  while ((ge = getline(&le, &ce, fe)) > 0) {
    lineno++;
    gc = getline(&lc, &cc, fc);
    if (gc <= 0) {
      rc = gw_err_set(GW_EPARSE, "%s: has fewer lines than %s (line %zu)", pc, pe, lineno);
      break;
    }
    while (ge > 0 && (le[ge - 1] == '\n' || le[ge - 1] == '\r'))
      le[--ge] = '\0';
    while (gc > 0 && (lc[gc - 1] == '\n' || lc[gc - 1] == '\r'))
      lc[--gc] = '\0';
    add_pair(s, le, (size_t)ge, lc, (size_t)gc);
  }
  free(le);
  free(lc);
done:
  if (fe)
    fclose(fe);
  if (fc)
    fclose(fc);
  return rc;
}

static int load_json(struct set *s, const char *path)
{
  json_error_t err;
  json_t *root = json_load_file(path, 0, &err);
  if (!root)
    return gw_err_set(GW_EPARSE, "%s:%d: %s", path, err.line, err.text);
  int rc = GW_OK;
  if (!json_is_array(root)) {
    rc = gw_err_set(GW_EPARSE, "%s: not a JSON array", path);
    goto done;
  }
  for (size_t i = 0; i < json_array_size(root); i++) {
    json_t *o = json_array_get(root, i);
    const char *a = json_string_value(json_object_get(o, "original_text"));
    const char *b = json_string_value(json_object_get(o, "correct_text"));
    if (!a || !b) {
      rc = gw_err_set(GW_EPARSE, "%s: element %zu lacks original_text/correct_text", path, i);
      goto done;
    }
    add_pair(s, a, strlen(a), b, strlen(b));
  }
done:
  json_decref(root);
  return rc;
}

/* ---- per-sentence scan ---------------------------------------------------- */

struct hitrec {
  size_t start, len;
  char *sugg, *suspect, *rule;
  int cat;
  double conf;
};

struct hits {
  struct hitrec *h;
  size_t n, cap;
};

static int collect(const struct gw_wording_hit *hit, void *arg)
{
  struct hits *hs = arg;
  if (hs->n == hs->cap) {
    hs->cap = hs->cap ? hs->cap * 2 : 8;
    hs->h = gw_reallocarray(hs->h, hs->cap, sizeof *hs->h);
  }
  hs->h[hs->n++] = (struct hitrec){hit->start, hit->len, gw_strdup(hit->suggestion),
                                   gw_strdup(hit->suspect), gw_strdup(hit->rule), (int)hit->cat,
                                   hit->confidence};
  return 0;
}

static void hits_clear(struct hits *hs)
{
  for (size_t i = 0; i < hs->n; i++) {
    free(hs->h[i].sugg);
    free(hs->h[i].suspect);
    free(hs->h[i].rule);
  }
  hs->n = 0;
}

/* Code points of a string (at most max). */
static size_t cps_of(const char *s, uint32_t *out, size_t max)
{
  size_t n = 0, len = strlen(s);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = gw_utf8_decode(s + i, len - i, &cp);
    if (k == 0)
      k = 1;
    if (n < max)
      out[n] = cp;
    n++;
    i += k;
  }
  return n;
}

/* Character index of byte offset off in s. */
static size_t char_index(const char *s, size_t off)
{
  size_t n = 0;
  for (size_t i = 0; i < off; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80)
      n++;
  return n;
}

struct counts {
  size_t n, pos, tp, fp, fn, tn;
  size_t ctp, cfp, cfn;       /* character level */
  size_t ktp, kfp, kfn, ktn;  /* pycorrector-style correction level */
  size_t bycat[GW_WCAT_COUNT_], stat_hits, list_hits;
  double secs;
};

#define MAXC 4096

static void eval_pair(const struct pair *p, const struct hits *hs, struct counts *c)
{
  bool gold = strcmp(p->src, p->tgt) != 0, pred = hs->n > 0;
  c->n++;
  c->pos += gold;
  if (gold && pred)
    c->tp++;
  else if (!gold && pred)
    c->fp++;
  else if (gold)
    c->fn++;
  else
    c->tn++;
  for (size_t i = 0; i < hs->n; i++) {
    c->bycat[hs->h[i].cat]++;
    if (strcmp(hs->h[i].rule, "statistical") == 0)
      c->stat_hits++;
    else
      c->list_hits++;
  }

  /* character level, equal-length pairs only */
  static uint32_t a[MAXC], b[MAXC];
  size_t na = cps_of(p->src, a, MAXC), nb = cps_of(p->tgt, b, MAXC);
  if (na == nb && na <= MAXC) {
    static bool predc[MAXC];
    memset(predc, 0, na * sizeof *predc);
    for (size_t i = 0; i < hs->n; i++) {
      size_t ci = char_index(p->src, hs->h[i].start);
      static uint32_t sa[MAXC], sb[MAXC];
      size_t ns = cps_of(hs->h[i].suspect, sa, MAXC), ng = cps_of(hs->h[i].sugg, sb, MAXC);
      for (size_t k = 0; k < ns && ci + k < na; k++)
        if (ns != ng || sa[k] != sb[k])
          predc[ci + k] = true;
    }
    for (size_t k = 0; k < na; k++) {
      bool g = a[k] != b[k];
      if (g && predc[k])
        c->ctp++;
      else if (predc[k])
        c->cfp++;
      else if (g)
        c->cfn++;
    }
  }

  /* correction level: apply the suggestions */
  struct gw_buf out;
  gw_buf_init(&out, 0);
  size_t at = 0, srclen = strlen(p->src);
  for (size_t i = 0; i < hs->n; i++) {
    const struct hitrec *h = &hs->h[i];
    if (!*h->sugg || h->start < at)
      continue;
    gw_buf_append(&out, p->src + at, h->start - at);
    gw_buf_puts(&out, h->sugg);
    at = h->start + h->len;
  }
  gw_buf_append(&out, p->src + at, srclen - at);
  const char *corr = gw_buf_cstr(&out);
  if (!gold) {
    if (strcmp(corr, p->src) == 0)
      c->ktn++;
    else
      c->kfp++;
  } else if (strcmp(corr, p->tgt) == 0) {
    c->ktp++;
  } else {
    c->kfn++;
  }
  gw_buf_free(&out);
}

static double ratio(size_t a, size_t b)
{
  return b ? (double)a / (double)b : 0.0;
}

static double f1(double p, double r)
{
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

static int set_tuning(struct gw_wording *e, const char *kv)
{
  struct gw_wording_tuning t;
  gw_wording_tuning_get(e, &t);
  const char *eq = strchr(kv, '=');
  if (!eq)
    return gw_err_set(GW_EUSAGE, "--set %s: expected KEY=VALUE", kv);
  char *end = NULL;
  double v = strtod(eq + 1, &end);
  if (end == eq + 1 || *end)
    return gw_err_set(GW_EUSAGE, "--set %s: value is not a number", kv);
  size_t kl = (size_t)(eq - kv);
  if (kl == 8 && strncmp(kv, "min_gain", kl) == 0)
    t.stat_min_gain = v;
  else if (kl == 11 && strncmp(kv, "min_word_lp", kl) == 0)
    t.stat_min_word_lp = v;
  else if (kl == 11 && strncmp(kv, "max_orig_lp", kl) == 0)
    t.stat_max_orig_lp = v;
  else if (kl == 16 && strncmp(kv, "max_per_sentence", kl) == 0)
    t.stat_max_per_sentence = (int)v;
  else
    return gw_err_set(GW_EUSAGE, "--set %s: unknown key (min_gain, min_word_lp, max_orig_lp, "
                                 "max_per_sentence)",
                      kv);
  return gw_wording_tuning_set(e, &t);
}

static void usage(FILE *f)
{
  fprintf(f, "usage: gw_bench_wording [--shared DIR] [--dict DIR] [--freq FILE] "
             "[--confusion DIR]\n"
             "         [--only NAME] [--set KEY=VALUE]... [--no-stat] [--dump FILE]\n"
             "  --shared DIR     shared data (default $GW_TEST_SHARED, else ../shared)\n"
             "  --dict DIR       wording lists (default %s/dict/wording)\n"
             "  --freq FILE      word-frequency dictionary (default: jieba's from python3-jieba)\n"
             "  --confusion DIR  confusion sets (default SHARED/data/confusion)\n"
             "  --only NAME      run only the sets whose name starts with NAME\n"
             "  --set KEY=VALUE  tuning: min_gain, min_word_lp, max_orig_lp, max_per_sentence\n"
             "  --no-stat        lists only, no statistical detector\n"
             "  --dump FILE      write every hit and every missed error (TSV) for analysis\n",
             GW_SRC_DIR);
}

int main(int argc, char **argv)
{
  const char *shared = getenv("GW_TEST_SHARED");
  if (!shared || !*shared)
    shared = "../shared";
  char dictdef[4096], confdef[4096];
  snprintf(dictdef, sizeof dictdef, "%s/dict/wording", GW_SRC_DIR);
  const char *dict = dictdef, *freq = NULL, *conf = NULL, *only = NULL, *dump = NULL;
  const char *sets[32];
  size_t nsets = 0;
  bool nostat = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool more = i + 1 < argc;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return 0;
    } else if (strcmp(a, "--shared") == 0 && more) {
      shared = argv[++i];
    } else if (strcmp(a, "--dict") == 0 && more) {
      dict = argv[++i];
    } else if (strcmp(a, "--freq") == 0 && more) {
      freq = argv[++i];
    } else if (strcmp(a, "--confusion") == 0 && more) {
      conf = argv[++i];
    } else if (strcmp(a, "--only") == 0 && more) {
      only = argv[++i];
    } else if (strcmp(a, "--dump") == 0 && more) {
      dump = argv[++i];
    } else if (strcmp(a, "--set") == 0 && more && nsets < 32) {
      sets[nsets++] = argv[++i];
    } else if (strcmp(a, "--no-stat") == 0) {
      nostat = true;
    } else {
      fprintf(stderr, "gw_bench_wording: unknown or incomplete option '%s'\n", a);
      usage(stderr);
      return 2;
    }
  }
  if (!conf) {
    snprintf(confdef, sizeof confdef, "%s/data/confusion", shared);
    conf = confdef;
  }

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct gw_wording *e = NULL;
  if (gw_wording_new(&e, dict, freq, conf)) {
    fprintf(stderr, "gw_bench_wording: %s\n", gw_err_msg());
    return 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double load_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  for (size_t i = 0; i < nsets; i++) {
    if (set_tuning(e, sets[i])) {
      fprintf(stderr, "gw_bench_wording: %s\n", gw_err_msg());
      gw_wording_free(&e);
      return 2;
    }
  }
  if (nostat) {
    struct gw_wording_tuning t;
    gw_wording_tuning_get(e, &t);
    t.stat_enabled = false;
    gw_wording_tuning_set(e, &t);
  }
  FILE *df = NULL;
  if (dump && !(df = fopen(dump, "w"))) {
    fprintf(stderr, "gw_bench_wording: %s: %s\n", dump, strerror(errno));
    gw_wording_free(&e);
    return 1;
  }

  struct gw_wording_stats st;
  gw_wording_get_stats(e, &st);
  struct gw_wording_tuning tu;
  gw_wording_tuning_get(e, &tu);
  printf("Engine: %zu dictionary words, %zu characters with confusion sets, %zu list rules, "
         "%zu generated near misses, pycorrector custom pairs kept %zu / dropped %zu, "
         "%zu allow phrases; loaded in %.2f s.\n",
         st.words, st.confusion_chars, st.rules, st.near_misses, st.custom_kept,
         st.custom_dropped, st.allow, load_s);
  printf("Tuning: statistical %s, min_gain %.2f, min_word_lp %.2f, max_orig_lp %.2f, "
         "max_per_sentence %d.\n\n",
         tu.stat_enabled ? "on" : "off", tu.stat_min_gain, tu.stat_min_word_lp,
         tu.stat_max_orig_lp, tu.stat_max_per_sentence);

  printf("| set | sentences | with errors | sent. P | sent. R | sent. F1 | false alarms | "
         "char P | char R | corr. P | corr. R | corr. F1 | list / stat hits | s |\n");
  printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  int status = 0;
  struct hits hs = {0};
  for (size_t si = 0; si < NSETS; si++) {
    struct set *s = &SETS[si];
    if (only && strncmp(s->name, only, strlen(only)) != 0)
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", shared, s->file);
    int rc = s->kind == 2 ? load_json(s, path) : s->kind == 3 ? load_aligned(s, path) : load_tsv(s, path);
    if (rc) {
      fprintf(stderr, "gw_bench_wording: %s\n", gw_err_msg());
      status = 1;
      break;
    }
    struct counts c = {0};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < s->n; i++) {
      hits_clear(&hs);
      gw_wording_scan(e, s->p[i].src, strlen(s->p[i].src), collect, &hs);
      eval_pair(&s->p[i], &hs, &c);
      if (df) {
        bool gold = strcmp(s->p[i].src, s->p[i].tgt) != 0;
        for (size_t k = 0; k < hs.n; k++)
          fprintf(df, "%s\t%s\t%zu\t%s\t%s->%s\t%s\t%.2f\t%s\n", s->name, gold ? "ERR" : "OK", i,
                  gw_wording_cat_id((enum gw_wording_cat)hs.h[k].cat), hs.h[k].suspect,
                  hs.h[k].sugg, hs.h[k].rule, hs.h[k].conf, s->p[i].src);
        if (gold && hs.n == 0)
          fprintf(df, "%s\tMISS\t%zu\t-\t-\t-\t-\t%s\t%s\n", s->name, i, s->p[i].src,
                  s->p[i].tgt);
      }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    c.secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double p = ratio(c.tp, c.tp + c.fp), r = ratio(c.tp, c.tp + c.fn);
    double cp = ratio(c.ctp, c.ctp + c.cfp), cr = ratio(c.ctp, c.ctp + c.cfn);
    double kp = ratio(c.ktp, c.ktp + c.kfp), kr = ratio(c.ktp, c.ktp + c.kfn);
    size_t neg = c.n - c.pos;
    if (c.pos == 0)
      printf("| %s | %zu | 0 | – | – | – | **%zu = %.2f %%** | – | – | – | – | – | %zu / %zu | "
             "%.1f |\n",
             s->name, c.n, c.fp, 100.0 * ratio(c.fp, neg), c.list_hits, c.stat_hits, c.secs);
    else
      printf("| %s | %zu | %zu | %.3f | %.3f | **%.3f** | %zu / %zu = %.1f %% | %.3f | %.3f | "
             "%.3f | %.3f | %.3f | %zu / %zu | %.1f |\n",
             s->name, c.n, c.pos, p, r, f1(p, r), c.fp, neg, 100.0 * ratio(c.fp, neg), cp, cr, kp,
             kr, f1(kp, kr), c.list_hits, c.stat_hits, c.secs);
    for (size_t i = 0; i < s->n; i++) {
      free(s->p[i].src);
      free(s->p[i].tgt);
    }
    free(s->p);
    s->p = NULL;
    s->n = 0;
  }
  hits_clear(&hs);
  free(hs.h);
  if (df)
    fclose(df);
  gw_wording_free(&e);
  return status;
}
