/* Loading the wording engine's data: the word-frequency dictionary, the
 * confusion sets, the office-editable lists and the generated near misses. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"
#include "text/wording_int.h"

/* ---- hash map ----------------------------------------------------------- */

static uint32_t hash_bytes(const char *p, size_t n)
{
  /* FNV-1a; the map keys are short words, so this is fast and good enough */
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)p[i];
    h *= 16777619u;
  }
  return h;
}

void wd_map_free(struct wd_map *m)
{
  free(m->arena);
  free(m->slots);
  memset(m, 0, sizeof *m);
}

static struct wd_slot *find_slot(const struct wd_map *m, const char *key, size_t len, uint32_t h)
{
  size_t mask = m->nslots - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    struct wd_slot *s = &m->slots[i];
    if (s->off == 0)
      return s;
    if (s->hash == h && s->len == len && memcmp(m->arena + s->off, key, len) == 0)
      return s;
  }
}

uint32_t *wd_map_get(const struct wd_map *m, const char *key, size_t len)
{
  if (m->count == 0)
    return NULL;
  struct wd_slot *s = find_slot(m, key, len, hash_bytes(key, len));
  return s->off ? &s->val : NULL;
}

static void grow(struct wd_map *m)
{
  size_t n = m->nslots ? m->nslots * 2 : 1024;
  struct wd_slot *old = m->slots;
  size_t oldn = m->nslots;
  m->slots = gw_calloc(n, sizeof *m->slots);
  m->nslots = n;
  for (size_t i = 0; i < oldn; i++) {
    if (old[i].off == 0)
      continue;
    size_t mask = n - 1, j = old[i].hash & mask;
    while (m->slots[j].off)
      j = (j + 1) & mask;
    m->slots[j] = old[i];
  }
  free(old);
}

uint32_t *wd_map_put(struct wd_map *m, const char *key, size_t len, uint32_t init, bool *created)
{
  if ((m->count + 1) * 4 >= m->nslots * 3)
    grow(m);
  uint32_t h = hash_bytes(key, len);
  struct wd_slot *s = find_slot(m, key, len, h);
  if (s->off) {
    if (created)
      *created = false;
    return &s->val;
  }
  if (m->alen == 0)
    m->alen = 1; /* offset 0 means empty */
  if (m->alen + len > m->acap) {
    size_t cap = m->acap ? m->acap : 4096;
    while (cap < m->alen + len)
      cap *= 2;
    m->arena = gw_realloc(m->arena, cap);
    m->acap = cap;
  }
  memcpy(m->arena + m->alen, key, len);
  s->off = (uint32_t)m->alen;
  s->len = (uint32_t)len;
  s->hash = h;
  s->val = init;
  m->alen += len;
  m->count++;
  if (created)
    *created = true;
  return &s->val;
}

/* ---- 64-bit set --------------------------------------------------------- */

static size_t mix64(uint64_t k)
{
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return (size_t)k;
}

void wd_set64_free(struct wd_set64 *s)
{
  free(s->keys);
  memset(s, 0, sizeof *s);
}

static void set64_insert(uint64_t *keys, size_t n, uint64_t k)
{
  size_t mask = n - 1;
  for (size_t i = mix64(k) & mask;; i = (i + 1) & mask) {
    if (keys[i] == k)
      return;
    if (keys[i] == 0) {
      keys[i] = k;
      return;
    }
  }
}

void wd_set64_add(struct wd_set64 *s, uint64_t k)
{
  if (k == 0 || wd_set64_has(s, k))
    return;
  if ((s->count + 1) * 2 >= s->n) {
    size_t n = s->n ? s->n * 2 : 4096;
    uint64_t *keys = gw_calloc(n, sizeof *keys);
    for (size_t i = 0; i < s->n; i++)
      if (s->keys[i])
        set64_insert(keys, n, s->keys[i]);
    free(s->keys);
    s->keys = keys;
    s->n = n;
  }
  set64_insert(s->keys, s->n, k);
  s->count++;
}

bool wd_set64_has(const struct wd_set64 *s, uint64_t k)
{
  if (s->n == 0 || k == 0)
    return false;
  size_t mask = s->n - 1;
  for (size_t i = mix64(k) & mask;; i = (i + 1) & mask) {
    if (s->keys[i] == k)
      return true;
    if (s->keys[i] == 0)
      return false;
  }
}

/* ---- helpers ------------------------------------------------------------ */

bool wd_is_cjk(uint32_t cp)
{
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2FFFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

int wd_slurp(const char *path, size_t max, char **out, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    if (errno == ENOENT)
      return gw_err_set(GW_ENOTFOUND, "%s: no such file", path);
    return gw_err_set(GW_EIO, "%s: cannot open: %s", path, strerror(errno));
  }
  int rc = GW_OK;
  size_t cap = 1 << 16, n = 0;
  char *buf = gw_malloc(cap + 1);
  for (;;) {
    if (n == cap) {
      if (cap >= max) {
        rc = gw_err_set(GW_ELIMIT, "%s: larger than %zu bytes", path, max);
        goto done;
      }
      cap = cap * 2 > max ? max : cap * 2;
      buf = gw_realloc(buf, cap + 1);
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f))
        rc = gw_err_set(GW_EIO, "%s: read error", path);
      break;
    }
  }
done:
  fclose(f);
  if (rc) {
    free(buf);
    return rc;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return GW_OK;
}

/* Count the code points of a valid UTF-8 string; 0 if not valid. */
static size_t units_of(const char *s, size_t len)
{
  if (!gw_utf8_valid(s, len))
    return 0;
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80)
      n++;
  return n;
}

static bool all_cjk(const char *s, size_t len)
{
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = gw_utf8_decode(s + i, len - i, &cp);
    if (k == 0 || !wd_is_cjk(cp))
      return false;
    i += k;
  }
  return len > 0;
}

/* Next line of buf (modified in place: the terminator becomes NUL); a
 * trailing CR is dropped. NULL at the end. */
static char *next_line(char **cursor, char *end)
{
  char *p = *cursor;
  if (p >= end)
    return NULL;
  char *nl = memchr(p, '\n', (size_t)(end - p));
  char *stop = nl ? nl : end;
  *stop = '\0';
  if (stop > p && stop[-1] == '\r')
    stop[-1] = '\0';
  *cursor = nl ? nl + 1 : end;
  return p;
}

/* ---- word-frequency dictionary ------------------------------------------ */

#define FREQ_MAX_BYTES ((size_t)256 << 20)

static void add_fill(struct gw_wording *e, const char *key, size_t klen, uint32_t cp, float lp)
{
  if (e->nfills == e->fillcap) {
    e->fillcap = e->fillcap ? e->fillcap * 2 : 1 << 16;
    e->fills = gw_reallocarray(e->fills, e->fillcap, sizeof *e->fills);
  }
  uint32_t idx = (uint32_t)e->nfills++;
  uint32_t *head = wd_map_put(&e->masked, key, klen, WD_NONE, NULL);
  e->fills[idx] = (struct wd_fill){cp, lp, *head};
  *head = idx;
}

/* Index a word of 2..WD_STAT_SPAN CJK characters under each of its masked
 * forms: key = mask position byte + the word's bytes without that char. */
static void index_masked(struct gw_wording *e, const char *w, size_t len, float lp)
{
  size_t offs[WD_STAT_SPAN + 1], n = 0;
  uint32_t cps[WD_STAT_SPAN];
  for (size_t i = 0; i < len;) {
    if (n == WD_STAT_SPAN)
      return;
    uint32_t cp;
    size_t k = gw_utf8_decode(w + i, len - i, &cp);
    if (k == 0 || !wd_is_cjk(cp))
      return;
    offs[n] = i;
    cps[n++] = cp;
    i += k;
  }
  offs[n] = len;
  if (n < 2)
    return;
  char key[1 + 4 * WD_STAT_SPAN];
  for (size_t m = 0; m < n; m++) {
    key[0] = (char)(m + 1);
    size_t kl = 1;
    memcpy(key + kl, w, offs[m]);
    kl += offs[m];
    memcpy(key + kl, w + offs[m + 1], len - offs[m + 1]);
    kl += len - offs[m + 1];
    add_fill(e, key, kl, cps[m], lp);
  }
}

int wd_load_freq(struct gw_wording *e, const char *path)
{
  char *buf = NULL;
  size_t len = 0;
  int rc = wd_slurp(path, FREQ_MAX_BYTES, &buf, &len);
  if (rc == GW_ENOTFOUND) {
    rc = gw_err_set(GW_ENOTFOUND,
                    "word-frequency dictionary %s not found: install the Debian package "
                    "python3-jieba (apt-get install python3-jieba) or give the path of a "
                    "jieba-format dict.txt (environment GW_WORDING_FREQ_DICT)",
                    path);
    goto done;
  }
  if (rc)
    goto done;
  double total = 0;
  char *cur = buf, *end = buf + len, *line;
  size_t lineno = 0;
  struct {
    size_t off, len;
    double f;
  } *tmp = NULL;
  size_t ntmp = 0, tmpcap = 0;
  while ((line = next_line(&cur, end)) != NULL) {
    lineno++;
    char *sp = strchr(line, ' ');
    if (!sp || sp == line) {
      if (*line == '\0')
        continue;
      rc = gw_err_set(GW_EPARSE, "%s:%zu: expected \"word frequency [tag]\"", path, lineno);
      free(tmp);
      goto done;
    }
    char *num = sp + 1, *stop = NULL;
    errno = 0;
    long long f = strtoll(num, &stop, 10);
    if (stop == num || errno || f < 0 || (*stop != ' ' && *stop != '\0')) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: frequency '%.20s' is not a non-negative integer", path,
                      lineno, num);
      free(tmp);
      goto done;
    }
    size_t wl = (size_t)(sp - line);
    if (f == 0 || !gw_utf8_valid(line, wl))
      continue; /* jieba keeps zero-frequency prefixes; they are not words */
    if (ntmp == tmpcap) {
      tmpcap = tmpcap ? tmpcap * 2 : 1 << 16;
      tmp = gw_reallocarray(tmp, tmpcap, sizeof *tmp);
    }
    tmp[ntmp].off = (size_t)(line - buf);
    tmp[ntmp].len = wl;
    tmp[ntmp].f = (double)f;
    ntmp++;
    total += (double)f;
  }
  if (ntmp < 1000) {
    rc = gw_err_set(GW_EPARSE, "%s: only %zu words with a frequency; not a word-frequency "
                               "dictionary in jieba's format",
                    path, ntmp);
    free(tmp);
    goto done;
  }
  double logtotal = log(total);
  e->unknown_lp = -logtotal; /* frequency 1, as jieba does */
  e->lp = gw_reallocarray(NULL, ntmp, sizeof *e->lp);
  e->lpcap = ntmp;
  for (size_t i = 0; i < ntmp; i++) {
    const char *w = buf + tmp[i].off;
    bool created;
    uint32_t *v = wd_map_put(&e->words, w, tmp[i].len, (uint32_t)e->nwords, &created);
    float lp = (float)(log(tmp[i].f) - logtotal);
    if (!created) { /* a duplicate line: keep the larger frequency */
      if (lp > e->lp[*v])
        e->lp[*v] = lp;
      continue;
    }
    e->lp[e->nwords++] = lp;
    index_masked(e, w, tmp[i].len, lp);
  }
  free(tmp);
done:
  free(buf);
  return rc;
}

/* Add a word to the frequency dictionary (or raise its frequency). */
static void add_word(struct gw_wording *e, const char *w, size_t len, double freq)
{
  float lp = (float)(log(freq) + e->unknown_lp);
  bool created;
  uint32_t *v = wd_map_put(&e->words, w, len, (uint32_t)e->nwords, &created);
  if (!created) {
    if (lp > e->lp[*v])
      e->lp[*v] = lp;
    return;
  }
  if (e->nwords == e->lpcap) {
    e->lpcap = e->lpcap ? e->lpcap * 2 : 1024;
    e->lp = gw_reallocarray(e->lp, e->lpcap, sizeof *e->lp);
  }
  e->lp[e->nwords++] = lp;
  index_masked(e, w, len, lp);
}

double wd_word_lp(const struct gw_wording *e, const char *w, size_t len)
{
  const uint32_t *v = wd_map_get(&e->words, w, len);
  return v ? (double)e->lp[*v] : NAN;
}

/* ---- confusion sets ----------------------------------------------------- */

#define CONF_MAX_BYTES ((size_t)16 << 20)

static void conf_add_one(struct gw_wording *e, uint32_t a, uint32_t b)
{
  if (a == b || wd_set64_has(&e->confpairs, ((uint64_t)a << 32) | b))
    return;
  wd_set64_add(&e->confpairs, ((uint64_t)a << 32) | b);
  char key[4];
  size_t kl = gw_utf8_encode(a, key);
  bool created;
  uint32_t *v = wd_map_put(&e->confidx, key, kl, (uint32_t)e->nconf, &created);
  if (created) {
    if (e->nconf == e->confcap) {
      e->confcap = e->confcap ? e->confcap * 2 : 1024;
      e->conflists = gw_reallocarray(e->conflists, e->confcap, sizeof *e->conflists);
    }
    e->conflists[e->nconf] = gw_calloc(9, sizeof(uint32_t));
    e->conflists[e->nconf][0] = 0;
    e->nconf++;
  }
  uint32_t *l = e->conflists[*v];
  uint32_t n = l[0];
  /* capacity grows in powers of two above 8 */
  size_t cap = 8;
  while (cap < n)
    cap *= 2;
  if (n == cap) {
    l = gw_reallocarray(l, cap * 2 + 1, sizeof *l);
    e->conflists[*v] = l;
  }
  l[1 + n] = b;
  l[0] = n + 1;
}

static void conf_add(struct gw_wording *e, uint32_t a, uint32_t b)
{
  if (!wd_is_cjk(a) || !wd_is_cjk(b))
    return;
  conf_add_one(e, a, b);
  conf_add_one(e, b, a);
}

const uint32_t *wd_conf_of(const struct gw_wording *e, uint32_t cp, size_t *n)
{
  char key[4];
  size_t kl = gw_utf8_encode(cp, key);
  const uint32_t *v = kl ? wd_map_get(&e->confidx, key, kl) : NULL;
  if (!v) {
    *n = 0;
    return NULL;
  }
  *n = e->conflists[*v][0];
  return e->conflists[*v] + 1;
}

/* Decode the code points of a field; false if not valid UTF-8. */
static bool decode_all(const char *s, size_t len, uint32_t *out, size_t max, size_t *n)
{
  *n = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = gw_utf8_decode(s + i, len - i, &cp);
    if (k == 0)
      return false;
    if (*n < max)
      out[(*n)++] = cp;
    i += k;
  }
  return true;
}

static int load_pinyin(struct gw_wording *e, const char *path)
{
  char *buf = NULL;
  size_t len = 0;
  int rc = wd_slurp(path, CONF_MAX_BYTES, &buf, &len);
  if (rc)
    return rc;
  char *cur = buf, *end = buf + len, *line;
  size_t lineno = 0;
  uint32_t cps[512];
  while ((line = next_line(&cur, end)) != NULL) {
    lineno++;
    if (*line == '#' || *line == '\0')
      continue;
    char *tab = strchr(line, '\t');
    if (!tab) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: expected \"char<TAB>same-tone chars<TAB>other-tone chars\"",
                      path, lineno);
      goto done;
    }
    uint32_t c;
    size_t n;
    if (!decode_all(line, (size_t)(tab - line), &c, 1, &n) || n != 1) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: first field is not one character", path, lineno);
      goto done;
    }
    char *rest = tab + 1;
    for (char *p = rest; *p; p++)
      if (*p == '\t')
        *p = ' ';
    size_t rl = strlen(rest);
    if (!decode_all(rest, rl, cps, sizeof cps / sizeof cps[0], &n)) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: not valid UTF-8", path, lineno);
      goto done;
    }
    for (size_t i = 0; i < n; i++)
      if (cps[i] != ' ')
        conf_add(e, c, cps[i]);
  }
done:
  free(buf);
  return rc;
}

static int load_stroke(struct gw_wording *e, const char *path)
{
  char *buf = NULL;
  size_t len = 0;
  int rc = wd_slurp(path, CONF_MAX_BYTES, &buf, &len);
  if (rc)
    return rc;
  char *cur = buf, *end = buf + len, *line;
  size_t lineno = 0;
  uint32_t cps[256];
  while ((line = next_line(&cur, end)) != NULL) {
    lineno++;
    if (*line == '#' || *line == '\0')
      continue;
    size_t n;
    if (!decode_all(line, strlen(line), cps, sizeof cps / sizeof cps[0], &n)) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: not valid UTF-8", path, lineno);
      goto done;
    }
    for (size_t i = 0; i < n; i++)
      for (size_t j = i + 1; j < n; j++)
        conf_add(e, cps[i], cps[j]);
  }
done:
  free(buf);
  return rc;
}

int wd_load_confusion(struct gw_wording *e, const char *dir)
{
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return gw_err_set(GW_ENOTFOUND, "confusion-set directory %s not found", dir);
  char path[4096];
  snprintf(path, sizeof path, "%s/pycorrector_same_pinyin.txt", dir);
  int rc = load_pinyin(e, path);
  if (rc)
    return rc;
  snprintf(path, sizeof path, "%s/pycorrector_same_stroke.txt", dir);
  rc = load_stroke(e, path);
  if (rc)
    return rc;
  e->have_confusion = true;
  snprintf(path, sizeof path, "%s/pycorrector_custom_confusion_words.txt", dir);
  if (stat(path, &st) == 0)
    rc = wd_load_custom(e, path);
  return rc;
}

/* ---- rules -------------------------------------------------------------- */

uint32_t wd_add_rule(struct gw_wording *e, const struct wd_rule *r)
{
  if (e->nrules == e->rulecap) {
    e->rulecap = e->rulecap ? e->rulecap * 2 : 1024;
    e->rules = gw_reallocarray(e->rules, e->rulecap, sizeof *e->rules);
  }
  uint32_t idx = (uint32_t)e->nrules++;
  struct wd_rule *nr = &e->rules[idx];
  *nr = *r;
  nr->wrong = gw_strdup(r->wrong);
  nr->right = gw_strdup(r->right ? r->right : "");
  uint32_t *head = wd_map_put(&e->pat, nr->wrong, strlen(nr->wrong), WD_NONE, NULL);
  nr->next = *head;
  *head = idx;
  if (nr->nunits > e->maxpat)
    e->maxpat = nr->nunits;
  if (r->kind == WK_NEAR || r->kind == WK_NAME_NEAR || r->kind == WK_NAME_SWAP)
    e->nnear++;
  else if (r->kind != WK_TERM && r->kind != WK_NAME && r->kind != WK_CUSTOM)
    e->nexact++;
  return idx;
}

/* Is there a rule of one of these kinds under key? */
static bool has_rule(const struct gw_wording *e, const char *key, size_t len, unsigned kinds)
{
  const uint32_t *h = wd_map_get(&e->pat, key, len);
  for (uint32_t i = h ? *h : WD_NONE; i != WD_NONE; i = e->rules[i].next)
    if (kinds & (1u << e->rules[i].kind))
      return true;
  return false;
}

int wd_add_allow(struct gw_wording *e, const char *phrase, const char *where)
{
  size_t len = strlen(phrase);
  size_t n = units_of(phrase, len);
  if (len == 0)
    return gw_err_set(GW_EINVAL, "%s: allow-list phrase is empty", where);
  if (n == 0)
    return gw_err_set(GW_EINVAL, "%s: allow-list phrase is not valid UTF-8", where);
  if (n > WD_MAX_TERM)
    return gw_err_set(GW_EINVAL, "%s: allow-list phrase is longer than %d characters", where,
                      WD_MAX_TERM);
  bool created;
  wd_map_put(&e->allow, phrase, len, 0, &created);
  if (created)
    e->nallow++;
  if (n > e->maxallow)
    e->maxallow = n;
  return GW_OK;
}

static uint32_t add_source(struct gw_wording *e, const char *name)
{
  for (size_t i = 0; i < e->nsources; i++)
    if (strcmp(e->sources[i], name) == 0)
      return (uint32_t)i;
  if (e->nsources == e->sourcecap) {
    e->sourcecap = e->sourcecap ? e->sourcecap * 2 : 16;
    e->sources = gw_reallocarray(e->sources, e->sourcecap, sizeof *e->sources);
  }
  e->sources[e->nsources] = gw_strdup(name);
  return (uint32_t)e->nsources++;
}

static uint32_t add_title(struct gw_wording *e, const char *t)
{
  size_t len = strlen(t);
  bool created;
  uint32_t *v = wd_map_put(&e->titles, t, len, (uint32_t)e->ntitles, &created);
  if (created) {
    if (e->ntitles == e->titlecap) {
      e->titlecap = e->titlecap ? e->titlecap * 2 : 32;
      e->titlenames = gw_reallocarray(e->titlenames, e->titlecap, sizeof *e->titlenames);
    }
    e->titlenames[e->ntitles++] = gw_strdup(t);
    size_t n = units_of(t, len);
    if (n > e->maxtitle)
      e->maxtitle = n;
  }
  return *v;
}

/* Split s at TAB into at most max fields (in place); returns the count. */
static size_t split_tabs(char *s, char **f, size_t max)
{
  size_t n = 0;
  f[n++] = s;
  for (char *p = s; *p; p++) {
    if (*p == '\t') {
      *p = '\0';
      if (n == max)
        return max + 1;
      f[n++] = p + 1;
    }
  }
  return n;
}

/* Validate one list entry: non-empty, valid UTF-8, not too long. */
static int check_entry(const char *s, const char *file, size_t lineno, const char *what,
                       size_t *units)
{
  size_t len = strlen(s);
  if (len == 0)
    return gw_err_set(GW_EPARSE, "%s:%zu: %s is empty", file, lineno, what);
  size_t n = units_of(s, len);
  if (n == 0)
    return gw_err_set(GW_EPARSE, "%s:%zu: %s is not valid UTF-8", file, lineno, what);
  if (n > WD_MAX_TERM)
    return gw_err_set(GW_EPARSE, "%s:%zu: %s is longer than %d characters", file, lineno, what,
                      WD_MAX_TERM);
  *units = n;
  return GW_OK;
}

#define LIST_MAX_BYTES ((size_t)32 << 20)

static const float CONF_PAIR = 0.95f, CONF_FLAG = 0.9f;

static int load_leaders(struct gw_wording *e, const char *path, const char *fname, char *buf,
                        size_t len)
{
  int rc = GW_OK;
  uint32_t src = add_source(e, fname);
  char *cur = buf, *end = buf + len, *line;
  size_t lineno = 0;
  while ((line = next_line(&cur, end)) != NULL) {
    lineno++;
    gw_str_trim(line);
    if (*line == '#' || *line == '\0')
      continue;
    char *f[3] = {NULL, NULL, NULL};
    size_t nf = split_tabs(line, f, 2);
    if (nf != 2) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: expected \"name<TAB>title|title...\" (or "
                                 "\"*<TAB>title|...\" for titles alone)",
                      path, lineno);
      break;
    }
    gw_str_trim(f[0]);
    gw_str_trim(f[1]);
    size_t nu = 0;
    bool titles_only = strcmp(f[0], "*") == 0;
    if (!titles_only && (rc = check_entry(f[0], path, lineno, "name", &nu)) != GW_OK)
      break;
    if (!titles_only && (nu < 2 || !all_cjk(f[0], strlen(f[0])))) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: name '%s' must be two or more Chinese characters",
                      path, lineno, f[0]);
      break;
    }
    struct wd_leader ld = {titles_only ? NULL : gw_strdup(f[0]), NULL, 0, src, (uint32_t)lineno};
    char *save = f[1];
    size_t tcap = 0;
    for (char *t = save; t;) {
      char *bar = strchr(t, '|');
      if (bar)
        *bar = '\0';
      gw_str_trim(t);
      size_t tu;
      if ((rc = check_entry(t, path, lineno, "title", &tu)) != GW_OK)
        break;
      uint32_t id = add_title(e, t);
      if (ld.ntitles == tcap) {
        tcap = tcap ? tcap * 2 : 4;
        ld.titles = gw_reallocarray(ld.titles, tcap, sizeof *ld.titles);
      }
      ld.titles[ld.ntitles++] = id;
      t = bar ? bar + 1 : NULL;
    }
    if (rc) {
      free(ld.name);
      free(ld.titles);
      break;
    }
    if (titles_only) {
      free(ld.titles);
      continue;
    }
    if (e->nleaders == e->leadercap) {
      e->leadercap = e->leadercap ? e->leadercap * 2 : 16;
      e->leaders = gw_reallocarray(e->leaders, e->leadercap, sizeof *e->leaders);
    }
    e->leaders[e->nleaders] = ld;
    struct wd_rule r = {GW_WCAT_LEADER, WK_NAME, (uint16_t)nu, 1.0f, ld.name, "", src,
                        (uint32_t)lineno, (int32_t)e->nleaders, WD_NONE};
    wd_add_rule(e, &r);
    e->nleaders++;
  }
  return rc;
}

static int load_list(struct gw_wording *e, enum gw_wording_cat cat, const char *path,
                     const char *fname)
{
  char *buf = NULL;
  size_t len = 0;
  int rc = wd_slurp(path, LIST_MAX_BYTES, &buf, &len);
  if (rc)
    return rc;
  if (!gw_utf8_valid(buf, len)) {
    /* name the first bad line */
    size_t lineno = 1, i = 0;
    while (i < len) {
      char *nl = memchr(buf + i, '\n', len - i);
      size_t l = nl ? (size_t)(nl - (buf + i)) : len - i;
      if (!gw_utf8_valid(buf + i, l))
        break;
      lineno++;
      i += l + 1;
    }
    rc = gw_err_set(GW_EPARSE, "%s:%zu: not valid UTF-8 (save the file as UTF-8)", path, lineno);
    goto done;
  }
  if (cat == GW_WCAT_LEADER) {
    rc = load_leaders(e, path, fname, buf, len);
    goto done;
  }
  uint32_t src = add_source(e, fname);
  char *cur = buf, *end = buf + len, *line;
  size_t lineno = 0;
  while ((line = next_line(&cur, end)) != NULL) {
    lineno++;
    gw_str_trim(line);
    if (*line == '#' || *line == '\0')
      continue;
    char *f[3] = {NULL, NULL, NULL};
    size_t nf = split_tabs(line, f, 2);
    if (nf > 2) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: more than two TAB-separated fields", path, lineno);
      goto done;
    }
    gw_str_trim(f[0]);
    if (nf == 2)
      gw_str_trim(f[1]);
    size_t nu = 0, nu2 = 0;
    if ((rc = check_entry(f[0], path, lineno, nf == 2 ? "wrong form" : "entry", &nu)) != GW_OK)
      goto done;
    if (cat == GW_WCAT_SENSITIVE || cat == GW_WCAT_FALLEN) {
      /* word [TAB note]: the note is for the office, not matched */
      struct wd_rule r = {(uint8_t)cat, WK_FLAG, (uint16_t)nu, CONF_FLAG, f[0], "", src,
                          (uint32_t)lineno, -1, WD_NONE};
      wd_add_rule(e, &r);
      continue;
    }
    if (nf == 1) {
      struct wd_rule r = {(uint8_t)cat, WK_TERM, (uint16_t)nu, 1.0f, f[0], "", src,
                          (uint32_t)lineno, -1, WD_NONE};
      wd_add_rule(e, &r);
      continue;
    }
    if ((rc = check_entry(f[1], path, lineno, "correct form", &nu2)) != GW_OK)
      goto done;
    if (strcmp(f[0], f[1]) == 0) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: wrong form and correct form are the same ('%s')", path,
                      lineno, f[0]);
      goto done;
    }
    struct wd_rule r = {(uint8_t)cat, WK_PAIR, (uint16_t)nu, CONF_PAIR, f[0], f[1], src,
                        (uint32_t)lineno, -1, WD_NONE};
    wd_add_rule(e, &r);
    /* the correct form of a pair is a correct form too */
    if (!has_rule(e, f[1], strlen(f[1]), 1u << WK_TERM)) {
      struct wd_rule t = {(uint8_t)cat, WK_TERM, (uint16_t)nu2, 1.0f, f[1], "", src,
                          (uint32_t)lineno, -1, WD_NONE};
      wd_add_rule(e, &t);
    }
  }
done:
  free(buf);
  return rc;
}

static int load_allow_file(struct gw_wording *e, const char *path)
{
  char *buf = NULL;
  size_t len = 0;
  int rc = wd_slurp(path, LIST_MAX_BYTES, &buf, &len);
  if (rc)
    return rc;
  char *cur = buf, *end = buf + len, *line;
  size_t lineno = 0;
  char where[4200];
  while ((line = next_line(&cur, end)) != NULL) {
    lineno++;
    gw_str_trim(line);
    if (*line == '#' || *line == '\0')
      continue;
    snprintf(where, sizeof where, "%s:%zu", path, lineno);
    if ((rc = wd_add_allow(e, line, where)) != GW_OK) {
      char msg[512];
      snprintf(msg, sizeof msg, "%s", gw_err_msg());
      rc = gw_err_set(GW_EPARSE, "%s", msg);
      break;
    }
  }
  free(buf);
  return rc;
}

/* vocab.txt: words correct in government text that the frequency
 * dictionary lacks ("word [frequency]", default frequency 100), so the
 * segmenter and the statistical detector treat them as words. */
static int load_vocab_file(struct gw_wording *e, const char *path)
{
  char *buf = NULL;
  size_t len = 0;
  int rc = wd_slurp(path, LIST_MAX_BYTES, &buf, &len);
  if (rc)
    return rc;
  char *cur = buf, *end = buf + len, *line;
  size_t lineno = 0;
  while ((line = next_line(&cur, end)) != NULL) {
    lineno++;
    gw_str_trim(line);
    if (*line == '#' || *line == '\0')
      continue;
    double freq = 100;
    char *sp = strpbrk(line, " \t");
    if (sp) {
      *sp = '\0';
      char *num = sp + 1, *stop = NULL;
      while (*num == ' ' || *num == '\t')
        num++;
      errno = 0;
      long long f = strtoll(num, &stop, 10);
      gw_str_trim(stop);
      if (stop == num || errno || f < 1 || f > 100000000 || *stop) {
        rc = gw_err_set(GW_EPARSE, "%s:%zu: frequency '%s' is not an integer from 1 to 100000000",
                        path, lineno, num);
        break;
      }
      freq = (double)f;
    }
    size_t nu;
    if ((rc = check_entry(line, path, lineno, "word", &nu)) != GW_OK)
      break;
    if (nu > WD_MAX_WORD || !all_cjk(line, strlen(line))) {
      rc = gw_err_set(GW_EPARSE, "%s:%zu: word '%s' must be 1 to %d Chinese characters", path,
                      lineno, line, WD_MAX_WORD);
      break;
    }
    add_word(e, line, strlen(line), freq);
  }
  free(buf);
  return rc;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Which category (or -1 for the allow list, -3 for the vocabulary, -2 for
 * none) a file name is. */
static int file_cat(const char *name)
{
  size_t nl = strlen(name);
  if (nl < 5 || strcmp(name + nl - 4, ".txt") != 0)
    return -2;
  size_t stem = nl - 4;
  if ((stem == 5 || (stem > 6 && name[5] == '-')) && strncmp(name, "vocab", 5) == 0)
    return -3;
  for (int c = 0; c <= GW_WCAT_COUNT_; c++) {
    const char *id = c == GW_WCAT_COUNT_ ? "allow" : gw_wording_cat_id((enum gw_wording_cat)c);
    size_t il = strlen(id);
    if (stem >= il && strncmp(name, id, il) == 0 && (stem == il || name[il] == '-'))
      return c == GW_WCAT_COUNT_ ? -1 : c;
  }
  return -2;
}

int wd_load_lists(struct gw_wording *e, const char *dir)
{
  DIR *d = opendir(dir);
  if (!d)
    return gw_err_set(errno == ENOENT ? GW_ENOTFOUND : GW_EIO,
                      "wording dictionary directory %s: %s", dir, strerror(errno));
  struct gw_strv names = {0};
  struct dirent *de;
  while ((de = readdir(d)) != NULL)
    if (file_cat(de->d_name) != -2)
      gw_strv_push(&names, de->d_name);
  closedir(d);
  /* leaders first (names must be known before near misses), then the rest
   * in name order so the load is deterministic */
  qsort(names.v, names.n, sizeof *names.v, cmp_str);
  int rc = GW_OK;
  char path[4096];
  for (int pass = 0; pass < 2 && rc == GW_OK; pass++) {
    for (size_t i = 0; i < names.n; i++) {
      int c = file_cat(names.v[i]);
      if ((pass == 0) != (c == GW_WCAT_LEADER))
        continue;
      snprintf(path, sizeof path, "%s/%s", dir, names.v[i]);
      rc = c == -1   ? load_allow_file(e, path)
           : c == -3 ? load_vocab_file(e, path)
                     : load_list(e, (enum gw_wording_cat)c, path, names.v[i]);
      if (rc)
        break;
    }
  }
  gw_strv_free(&names);
  return rc;
}

/* ---- pycorrector custom confusion pairs --------------------------------- */

/* Characters whose swaps are grammar or style, not 错别字: 的/地/得 usage,
 * 他/她/它, 那/哪, 做/作 and 在/再 are argued over in usage guides, and a
 * finding about them would be disputed, so pairs that differ only there go. */
static bool style_only(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
  static const uint32_t style[] = {0x7684, 0x5730, 0x5F97, 0x4ED6, 0x5979, 0x5B83,
                                   0x90A3, 0x54EA, 0x505A, 0x4F5C, 0x5728, 0x518D};
  if (na != nb)
    return false;
  size_t diffs = 0;
  for (size_t i = 0; i < na; i++) {
    if (a[i] == b[i])
      continue;
    diffs++;
    bool sa = false, sb = false;
    for (size_t k = 0; k < sizeof style / sizeof style[0]; k++) {
      sa |= a[i] == style[k];
      sb |= b[i] == style[k];
    }
    if (!sa || !sb)
      return false;
  }
  return diffs > 0;
}

int wd_load_custom(struct gw_wording *e, const char *path)
{
  char *buf = NULL;
  size_t len = 0;
  int rc = wd_slurp(path, LIST_MAX_BYTES, &buf, &len);
  if (rc)
    return rc;
  uint32_t src = add_source(e, "custom_confusion");
  char *cur = buf, *end = buf + len, *line;
  size_t lineno = 0;
  uint32_t a[WD_MAX_TERM], b[WD_MAX_TERM];
  while ((line = next_line(&cur, end)) != NULL) {
    lineno++;
    if (*line == '#' || *line == '\0')
      continue;
    char *f[4] = {NULL, NULL, NULL, NULL};
    size_t nf = split_tabs(line, f, 3);
    if (nf < 2 || nf > 3) {
      e->custom_dropped++;
      continue;
    }
    size_t la = strlen(f[0]), lb = strlen(f[1]), na, nb;
    if (!decode_all(f[0], la, a, WD_MAX_TERM, &na) || !decode_all(f[1], lb, b, WD_MAX_TERM, &nb) ||
        na > WD_MAX_TERM || nb > WD_MAX_TERM || na < 2 || !all_cjk(f[0], la) || !all_cjk(f[1], lb)) {
      e->custom_dropped++; /* single characters, punctuation tricks (微·信) */
      continue;
    }
    /* a wrong form the dictionary knows as a word is a real word (指摘,
     * 智识, 人材): flagging it would be wrong more often than right */
    if (!isnan(wd_word_lp(e, f[0], la)) || style_only(a, na, b, nb) ||
        has_rule(e, f[0], la, (1u << WK_TERM) | (1u << WK_PAIR))) {
      e->custom_dropped++;
      continue;
    }
    /* clause fragments (more than 6 characters) are sentences from a
     * learner corpus, not reusable pairs */
    if (na > 6) {
      e->custom_dropped++;
      continue;
    }
    struct wd_rule r = {GW_WCAT_TYPO, WK_CUSTOM, (uint16_t)na, 0.7f, f[0], f[1], src,
                        (uint32_t)lineno, -1, WD_NONE};
    wd_add_rule(e, &r);
    e->custom_kept++;
  }
  free(buf);
  return rc;
}

/* ---- near misses -------------------------------------------------------- */

/* Is the string a word of the frequency dictionary, a correct form or an
 * allowed phrase? Then it is never a near miss of something else. */
static bool is_known(const struct gw_wording *e, const char *s, size_t len)
{
  return !isnan(wd_word_lp(e, s, len)) || wd_map_get(&e->allow, s, len) ||
         has_rule(e, s, len, (1u << WK_TERM) | (1u << WK_NAME) | (1u << WK_PAIR) | (1u << WK_FLAG));
}

static void add_variant(struct gw_wording *e, const struct wd_rule *base, const char *variant,
                        uint8_t kind, float conf)
{
  size_t vl = strlen(variant);
  if (is_known(e, variant, vl))
    return;
  /* one generated rule per (variant, correct form) is enough */
  const uint32_t *h = wd_map_get(&e->pat, variant, vl);
  for (uint32_t i = h ? *h : WD_NONE; i != WD_NONE; i = e->rules[i].next)
    if (strcmp(e->rules[i].right, base->wrong) == 0)
      return;
  struct wd_rule r = *base;
  r.kind = kind;
  r.conf = conf;
  r.right = base->wrong;
  r.wrong = (char *)variant;
  wd_add_rule(e, &r);
}

/* For every correct form of four or more characters (and every leader's
 * name), add the variants one confusable character away; for names also the
 * swaps of two neighbouring characters. Shorter terms are skipped: a one-
 * character change to a two- or three-character term is too often another
 * real word or name. */
void wd_gen_near(struct gw_wording *e)
{
  size_t nbase = e->nrules;
  uint32_t cps[WD_MAX_TERM];
  char buf[WD_MAX_TERM * 4 + 1];
  for (size_t i = 0; i < nbase; i++) {
    struct wd_rule base = e->rules[i];
    if (base.kind != WK_TERM && base.kind != WK_NAME)
      continue;
    size_t n;
    if (!decode_all(base.wrong, strlen(base.wrong), cps, WD_MAX_TERM, &n))
      continue;
    bool name = base.kind == WK_NAME;
    if (!name && n < 4)
      continue;
    for (size_t k = 0; k < n && e->have_confusion; k++) {
      if (!wd_is_cjk(cps[k]))
        continue;
      size_t nc;
      const uint32_t *cs = wd_conf_of(e, cps[k], &nc);
      for (size_t c = 0; c < nc; c++) {
        size_t bl = 0;
        for (size_t m = 0; m < n; m++)
          bl += gw_utf8_encode(m == k ? cs[c] : cps[m], buf + bl);
        buf[bl] = '\0';
        add_variant(e, &base, buf, name ? WK_NAME_NEAR : WK_NEAR, name ? 0.9f : 0.85f);
      }
    }
    if (!name)
      continue;
    for (size_t k = 0; k + 1 < n; k++) {
      if (cps[k] == cps[k + 1])
        continue;
      size_t bl = 0;
      for (size_t m = 0; m < n; m++) {
        uint32_t c = m == k ? cps[k + 1] : m == k + 1 ? cps[k] : cps[m];
        bl += gw_utf8_encode(c, buf + bl);
      }
      buf[bl] = '\0';
      add_variant(e, &base, buf, WK_NAME_SWAP, 0.9f);
    }
  }
}
