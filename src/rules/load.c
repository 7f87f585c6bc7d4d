/* The rule-set loader: files and bases, the merge, validation and compiling
 * into struct gw_rules (rules_int.h). The format is docs/rules.md. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "rules/rules_int.h"
#include "rules/ytree.h"

/* Bounds on amounts: more than a million points or a billion findings is a
 * typo, and the bounds keep every product in int64. */
#define MAX_CENTS 100000000LL
#define MAX_COUNT 1000000000LL
#define MAX_E4 10000000000000LL
#define NAME_MAX_BYTES 60

/* ---- small helpers -------------------------------------------------------- */

/* Bytes of s that fit in max bytes without cutting a UTF-8 character, so a
 * quoted name never ends in half a character. */
static int cut_utf8(const char *s, size_t max)
{
  size_t n = strlen(s);
  if (n <= max)
    return (int)n;
  n = max;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  return (int)n;
}

#define Q(s) cut_utf8((s), NAME_MAX_BYTES), (s)

char *gw_rules_fmt_cents_(int64_t v, char *buf, size_t size)
{
  const char *sign = v < 0 ? "-" : "";
  uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  uint64_t ip = a / 100, fp = a % 100;
  if (fp == 0)
    snprintf(buf, size, "%s%llu", sign, (unsigned long long)ip);
  else if (fp % 10 == 0)
    snprintf(buf, size, "%s%llu.%llu", sign, (unsigned long long)ip, (unsigned long long)(fp / 10));
  else
    snprintf(buf, size, "%s%llu.%02llu", sign, (unsigned long long)ip, (unsigned long long)fp);
  return buf;
}

char *gw_rules_fmt_e4_(int64_t v, bool percent, char *buf, size_t size)
{
  if (percent) {
    /* ten-thousandths are hundredths of a percent */
    gw_rules_fmt_cents_(v, buf, size > 1 ? size - 1 : size);
    size_t n = strlen(buf);
    if (n + 1 < size) {
      buf[n] = '%';
      buf[n + 1] = '\0';
    }
    return buf;
  }
  int64_t ip = v / 10000, fp = v % 10000;
  if (fp == 0) {
    snprintf(buf, size, "%lld", (long long)ip);
  } else {
    char frac[8];
    snprintf(frac, sizeof frac, "%04lld", (long long)fp);
    size_t n = strlen(frac);
    while (n > 0 && frac[n - 1] == '0')
      frac[--n] = '\0';
    snprintf(buf, size, "%lld.%s", (long long)ip, frac);
  }
  return buf;
}

enum num_err { NUM_OK = 0, NUM_NEG, NUM_DECIMALS, NUM_NAN, NUM_BIG };

/* Non-negative decimal with at most `decimals` fractional digits, scaled by
 * 10^decimals. */
static enum num_err parse_fixed(const char *s, int decimals, int64_t max, int64_t *out)
{
  const char *p = s;
  if (*p == '-' && p[1])
    return NUM_NEG;
  if (*p == '+')
    p++;
  if (*p < '0' || *p > '9')
    return NUM_NAN;
  int64_t v = 0;
  for (; *p >= '0' && *p <= '9'; p++) {
    v = v * 10 + (*p - '0');
    if (v > max)
      return NUM_BIG;
  }
  int d = 0;
  if (*p == '.') {
    p++;
    if (*p < '0' || *p > '9')
      return NUM_NAN;
    for (; *p >= '0' && *p <= '9'; p++) {
      if (d == decimals) {
        if (*p != '0')
          return NUM_DECIMALS;
        continue; /* trailing zeros beyond the precision are harmless */
      }
      v = v * 10 + (*p - '0');
      d++;
    }
  }
  if (*p)
    return NUM_NAN;
  for (; d < decimals; d++)
    v *= 10;
  if (v > max)
    return NUM_BIG;
  *out = v;
  return NUM_OK;
}

static bool valid_id(const char *s)
{
  if (!*s || strlen(s) > 64 || *s == '.' || *s == '-')
    return false;
  for (const char *p = s; *p; p++) {
    char ch = *p;
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
          ch == '-' || ch == '.'))
      return false;
  }
  return !strstr(s, "..");
}

/* Rule keys and fact names: lower-case words joined by dots. */
static bool valid_key(const char *s)
{
  if (!*s || strlen(s) > 64 || *s == '.')
    return false;
  for (const char *p = s; *p; p++) {
    char ch = *p;
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.'))
      return false;
    if (ch == '.' && (p[1] == '.' || p[1] == '\0'))
      return false;
  }
  return true;
}

/* ---- the compile context -------------------------------------------------- */

/* Name look-ups in the vocabulary: a sorted array of (name, index). */
struct nref {
  const char *name;
  size_t i;
};

static int nref_cmp(const void *pa, const void *pb)
{
  const struct nref *a = pa, *b = pb;
  int c = strcmp(a->name, b->name);
  return c ? c : (a->i < b->i ? -1 : a->i > b->i);
}

static size_t nref_find(const struct nref *v, size_t n, const char *name)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(v[mid].name, name) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && strcmp(v[lo].name, name) == 0 ? v[lo].i : SIZE_MAX;
}



struct lctx {
  struct gw_rules *r;
  const char *const *check_ids;
  /* sorted views of the vocabulary for look-ups while compiling */
  struct nref *key_ix, *fact_ix;
};

static const char *node_kind(const struct ynode *n)
{
  switch (n->kind) {
  case Y_MAP: return "a mapping";
  case Y_SEQ: return "a list";
  case Y_NULL: return "empty";
  default: return "a single value";
  }
}

__attribute__((format(printf, 4, 5)))
static int verr(int code, const struct ynode *n, const char *where, const char *fmt, ...)
{
  char what[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return gw_err_set(code, "%s:%zu: %s%s%s", n->file, n->line, where, *where ? ": " : "", what);
}

/* A line on an entry: the key's line in the value's file. */
__attribute__((format(printf, 4, 5)))
static int eerr(int code, const struct yentry *e, const char *where, const char *fmt, ...)
{
  char what[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return gw_err_set(code, "%s:%zu: %s%s%s", e->val->file, e->key_line, where, *where ? ": " : "", what);
}

__attribute__((format(printf, 4, 5)))
static void warn(struct lctx *c, const struct ynode *n, const char *where, const char *fmt, ...)
{
  char what[1024], line[1400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(line, sizeof line, "%s:%zu: %s%s%s", n->file, n->line, where, *where ? ": " : "", what);
  gw_strv_push(&c->r->warnings, line);
}

static int check_keys(const struct ynode *map, const char *where, const char *what, const char *const *known)
{
  for (size_t i = 0; i < map->n; i++) {
    const char *k = map->ents[i].key;
    bool ok = false;
    for (const char *const *p = known; *p && !ok; p++)
      ok = strcmp(*p, k) == 0;
    if (ok)
      continue;
    char list[512] = "";
    size_t len = 0;
    for (const char *const *p = known; *p && len < sizeof list; p++)
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", p == known ? "" : ", ", *p);
    if (strcmp(k, "remove") == 0)
      return eerr(GW_EINVAL, &map->ents[i], where,
                  "'remove' is only for a profile deleting an entry of its base by id");
    return eerr(GW_EINVAL, &map->ents[i], where, "unknown key '%.*s' in %s (known: %s)", Q(k), what, list);
  }
  return GW_OK;
}

/* A value that is present and not null. */
static struct ynode *present(const struct ynode *map, const char *key)
{
  struct ynode *v = yt_get(map, key);
  return v && v->kind != Y_NULL ? v : NULL;
}

static int need_map(const struct ynode *n, const char *where, const char *what)
{
  if (n->kind != Y_MAP)
    return verr(GW_EPARSE, n, where, "%s must be a mapping of keys to values, not %s", what, node_kind(n));
  return GW_OK;
}

static int need_seq(const struct ynode *n, const char *where, const char *key)
{
  if (n->kind != Y_SEQ)
    return verr(GW_EPARSE, n, where, "'%s' must be a list, not %s", key, node_kind(n));
  return GW_OK;
}

static int missing(const struct ynode *map, const char *where, const char *key)
{
  return verr(GW_EINVAL, map, where, "missing '%s'", key);
}

static int get_str(const struct ynode *map, const char *key, const char *where, bool required, const char **out)
{
  struct ynode *v = present(map, key);
  if (!v) {
    if (required)
      return missing(map, where, key);
    *out = NULL;
    return GW_OK;
  }
  if (v->kind != Y_SCALAR)
    return verr(GW_EPARSE, v, where, "'%s' must be a single value, not %s", key, node_kind(v));
  if (!*gw_str_trim((char *)v->s))
    return verr(GW_EINVAL, v, where, "'%s' must not be empty", key);
  *out = v->s;
  return GW_OK;
}

static int num_error(enum num_err e, const struct ynode *v, const char *where, const char *key, const char *unit)
{
  switch (e) {
  case NUM_NEG:
    return verr(GW_EINVAL, v, where, "%s '%.*s' must not be negative", key, Q(v->s));
  case NUM_DECIMALS:
    return verr(GW_EINVAL, v, where, "%s '%.*s' has too many decimals (%s)", key, Q(v->s), unit);
  case NUM_BIG:
    return verr(GW_EINVAL, v, where, "%s '%.*s' is too large", key, Q(v->s));
  default:
    return verr(GW_EINVAL, v, where, "%s '%.*s' is not a number", key, Q(v->s));
  }
}

/* Points: a non-negative decimal with at most two decimals, in hundredths. */
static int get_cents(const struct ynode *map, const char *key, const char *where, bool required, int64_t *out,
                     const struct ynode **node)
{
  struct ynode *v = present(map, key);
  if (node)
    *node = v;
  if (!v) {
    if (required)
      return missing(map, where, key);
    return GW_OK;
  }
  if (v->kind != Y_SCALAR)
    return verr(GW_EPARSE, v, where, "'%s' must be a number, not %s", key, node_kind(v));
  enum num_err e = parse_fixed(v->s, 2, MAX_CENTS, out);
  if (e)
    return num_error(e, v, where, key, "points are counted in hundredths: at most two decimals");
  return GW_OK;
}

/* A whole number >= min. */
static int get_count(const struct ynode *map, const char *key, const char *where, bool required, int64_t min,
                     int64_t *out, const struct ynode **node)
{
  struct ynode *v = present(map, key);
  if (node)
    *node = v;
  if (!v) {
    if (required)
      return missing(map, where, key);
    return GW_OK;
  }
  if (v->kind != Y_SCALAR)
    return verr(GW_EPARSE, v, where, "'%s' must be a whole number, not %s", key, node_kind(v));
  int64_t n = 0;
  enum num_err e = parse_fixed(v->s, 0, MAX_COUNT, &n);
  if (e == NUM_DECIMALS || (e == NUM_NAN && strchr(v->s, '.')))
    return verr(GW_EINVAL, v, where, "%s '%.*s' must be a whole number", key, Q(v->s));
  if (e)
    return num_error(e, v, where, key, "");
  if (n < min)
    return verr(GW_EINVAL, v, where, "%s '%.*s' must be at least %lld", key, Q(v->s), (long long)min);
  *out = n;
  return GW_OK;
}

/* A fact threshold: a decimal with up to four decimals, or a percentage with
 * up to two ("5%"), in ten-thousandths. */
static int get_e4(const struct ynode *map, const char *key, const char *where, int64_t *out, bool *percent)
{
  struct ynode *v = present(map, key);
  if (!v)
    return missing(map, where, key);
  if (v->kind != Y_SCALAR)
    return verr(GW_EPARSE, v, where, "'%s' must be a number, not %s", key, node_kind(v));
  size_t n = strlen(v->s);
  enum num_err e;
  if (n > 1 && v->s[n - 1] == '%') {
    char tmp[64];
    if (n - 1 >= sizeof tmp)
      return verr(GW_EINVAL, v, where, "%s '%.*s' is not a number", key, Q(v->s));
    memcpy(tmp, v->s, n - 1);
    tmp[n - 1] = '\0';
    e = parse_fixed(tmp, 2, MAX_E4, out);
    *percent = true;
  } else {
    e = parse_fixed(v->s, 4, MAX_E4, out);
    *percent = false;
  }
  if (e)
    return num_error(e, v, where, key, "at most four decimals, or two in a percentage");
  return GW_OK;
}

static int get_bool(const struct ynode *v, const char *where, const char *key, bool *out)
{
  if (v->kind == Y_SCALAR && strcmp(v->s, "true") == 0) {
    *out = true;
    return GW_OK;
  }
  if (v->kind == Y_SCALAR && strcmp(v->s, "false") == 0) {
    *out = false;
    return GW_OK;
  }
  return verr(GW_EINVAL, v, where, "'%s' must be true or false", key);
}

static int id_of(const struct ynode *map, const char *where, const char **out)
{
  const char *id = NULL;
  int rc = get_str(map, "id", where, true, &id);
  if (rc)
    return rc;
  if (!valid_id(id))
    return verr(GW_EINVAL, yt_get(map, "id"), where,
                "id '%.*s' must be letters, digits, '_', '-' or '.' (at most 64)", Q(id));
  *out = id;
  return GW_OK;
}

/* Ids must be unique within their list (sorted, so long hostile lists stay
 * cheap); the later of two equal ids is reported. */
static int unique_ids(const struct ynode *seq, const char *where, const char *what)
{
  struct nref *v = gw_malloc((seq->n + 1) * sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < seq->n; i++) {
    const struct ynode *a = yt_get(seq->items[i], "id");
    if (a && a->kind == Y_SCALAR)
      v[n++] = (struct nref){a->s, i};
  }
  qsort(v, n, sizeof *v, nref_cmp);
  int rc = GW_OK;
  for (size_t k = 1; k < n && !rc; k++) {
    if (strcmp(v[k - 1].name, v[k].name) == 0) {
      const struct ynode *a = yt_get(seq->items[v[k].i], "id"), *b = yt_get(seq->items[v[k - 1].i], "id");
      rc = verr(GW_EINVAL, a, where, "duplicate %s id '%.*s' (first at %s:%zu)", what, Q(a->s), b->file, b->line);
    }
  }
  free(v);
  return rc;
}

/* `uncertain:` (true, false or a list of this object's keys) and `source:`;
 * records every uncertain value in r->uncertain. */
static int get_uncertain(struct lctx *c, const struct ynode *map, const char *where, bool *out)
{
  *out = false;
  struct ynode *u = present(map, "uncertain");
  const char *src = NULL;
  int rc = get_str(map, "source", where, false, &src);
  if (rc || !u)
    return rc;
  char line[2048];
  struct gw_buf vals = GW_BUF_INIT;
  if (u->kind == Y_SEQ) {
    for (size_t i = 0; i < u->n; i++) {
      const struct ynode *k = u->items[i];
      if (k->kind != Y_SCALAR)
        return verr(GW_EPARSE, k, where, "'uncertain' lists keys of this entry, not %s", node_kind(k));
      const struct ynode *v = present(map, k->s);
      if (!v || strcmp(k->s, "uncertain") == 0 || strcmp(k->s, "source") == 0 || strcmp(k->s, "id") == 0)
        return verr(GW_EINVAL, k, where, "uncertain: '%.*s' is not a value of this entry", Q(k->s));
      *out = true;
    }
  } else {
    rc = get_bool(u, where, "uncertain", out);
    if (rc)
      return rc;
  }
  if (!*out)
    return GW_OK;
  if (!src)
    return verr(GW_EINVAL, u, where, "uncertain values need a 'source' note saying what is known");
  /* One line per uncertain value: the listed keys, or every scalar value. */
  for (size_t i = 0; i < map->n; i++) {
    const struct yentry *e = &map->ents[i];
    const char *k = e->key;
    if (!strcmp(k, "id") || !strcmp(k, "name") || !strcmp(k, "uncertain") || !strcmp(k, "source") ||
        !strcmp(k, "label"))
      continue;
    bool listed = u->kind != Y_SEQ;
    for (size_t j = 0; u->kind == Y_SEQ && j < u->n; j++)
      listed |= strcmp(u->items[j]->s, k) == 0;
    if (!listed)
      continue;
    /* `uncertain: true` means the entry's numbers and settings; its lists
     * (rule keys, conditions, items) are structure, named only when listed. */
    if (e->val->kind == Y_SEQ && u->kind != Y_SEQ)
      continue;
    bool scalars = true;
    for (size_t j = 0; e->val->kind != Y_SCALAR && j < e->val->n; j++)
      scalars &= (e->val->kind == Y_SEQ ? e->val->items[j] : e->val->ents[j].val)->kind == Y_SCALAR;
    if (!scalars)
      continue; /* conditions or items: their own marks count */
    gw_buf_reset(&vals);
    if (e->val->kind == Y_MAP) {
      gw_buf_putc(&vals, '{');
      for (size_t j = 0; j < e->val->n; j++)
        gw_buf_printf(&vals, "%s%s: %s", j ? ", " : "", e->val->ents[j].key, e->val->ents[j].val->s);
      gw_buf_putc(&vals, '}');
    } else if (e->val->kind == Y_SEQ) {
      gw_buf_putc(&vals, '[');
      for (size_t j = 0; j < e->val->n; j++)
        gw_buf_printf(&vals, "%s%s", j ? ", " : "",
                      e->val->items[j]->kind == Y_SCALAR ? e->val->items[j]->s : "...");
      gw_buf_putc(&vals, ']');
    } else {
      gw_buf_puts(&vals, e->val->kind == Y_SCALAR ? e->val->s : "~");
    }
    snprintf(line, sizeof line, "%s:%zu: %s: %s = %.200s (source: %s)", e->val->file, e->key_line, where, k,
             gw_buf_cstr(&vals), src);
    gw_strv_push(&c->r->uncertain, line);
  }
  if (u->kind != Y_SEQ && vals.data == NULL) {
    /* nothing but ids and names: the entry as a whole is uncertain */
    snprintf(line, sizeof line, "%s:%zu: %s: the whole entry (source: %s)", map->file, map->line, where, src);
    gw_strv_push(&c->r->uncertain, line);
  }
  gw_buf_free(&vals);
  return GW_OK;
}

/* A list of rule keys, each known, none twice. */
static int key_list(struct lctx *c, const struct ynode *map, const char *field, const char *where, bool required,
                    size_t **out, size_t *n_out)
{
  struct ynode *v = present(map, field);
  if (!v) {
    if (required)
      return missing(map, where, field);
    return GW_OK;
  }
  int rc = need_seq(v, where, field);
  if (rc)
    return rc;
  if (v->n == 0 && required)
    return verr(GW_EINVAL, v, where, "'%s' must list at least one rule key", field);
  size_t *idx = gw_calloc(v->n + 1, sizeof *idx);
  for (size_t i = 0; i < v->n; i++) {
    const struct ynode *k = v->items[i];
    if (k->kind != Y_SCALAR) {
      rc = verr(GW_EPARSE, k, where, "'%s' lists rule keys, not %s", field, node_kind(k));
      break;
    }
    idx[i] = nref_find(c->key_ix, c->r->n_keys, k->s);
    if (idx[i] == SIZE_MAX) {
      rc = verr(GW_EINVAL, k, where, "unknown rule key '%.*s' (not in rule_keys)", Q(k->s));
      break;
    }
    for (size_t j = 0; j < i; j++)
      if (idx[j] == idx[i]) {
        rc = verr(GW_EINVAL, k, where, "rule key '%.*s' is listed twice", Q(k->s));
        break;
      }
    if (rc)
      break;
  }
  if (rc) {
    free(idx);
    return rc;
  }
  *out = idx;
  *n_out = v->n;
  return GW_OK;
}

static int get_requires(const struct ynode *map, const char *where, unsigned *out)
{
  *out = 0;
  struct ynode *v = present(map, "requires");
  if (!v)
    return GW_OK;
  int rc = need_seq(v, where, "requires");
  if (rc)
    return rc;
  for (size_t i = 0; i < v->n; i++) {
    const struct ynode *k = v->items[i];
    if (k->kind == Y_SCALAR && strcmp(k->s, "portal") == 0)
      *out |= R_REQ_PORTAL;
    else if (k->kind == Y_SCALAR && strcmp(k->s, "external_service") == 0)
      *out |= R_REQ_EXTERNAL_SERVICE;
    else
      return verr(GW_EINVAL, k, where, "requires: '%.*s' is not portal or external_service",
                  Q(k->kind == Y_SCALAR ? k->s : node_kind(k)));
  }
  return GW_OK;
}

static char *dup_or_null(const char *s)
{
  return s ? gw_strdup(s) : NULL;
}

/* ---- conditions, vetoes --------------------------------------------------- */

static void cond_clear(struct r_cond *k)
{
  free(k->id);
  free(k->name);
  free(k->keys);
  free(k->where_field);
}

static int compile_cond(struct lctx *c, const struct ynode *n, const char *owner, struct r_cond *out)
{
  static const char *const known[] = {"id", "name", "keys", "at_least", "where", "fact", "min_sample",
                                      "uncertain", "source", NULL};
  char where[256];
  const char *id = NULL, *name = NULL;
  struct r_cond k;
  memset(&k, 0, sizeof k);
  int rc = need_map(n, owner, "a condition");
  if (!rc)
    rc = id_of(n, owner, &id);
  if (rc)
    return rc;
  snprintf(where, sizeof where, "%s: condition %.*s", owner, Q(id));
  if ((rc = check_keys(n, where, "a condition", known)) || (rc = get_str(n, "name", where, false, &name)))
    return rc;
  struct ynode *keys = present(n, "keys"), *fact = present(n, "fact");
  if (keys && fact)
    return verr(GW_EINVAL, n, where, "has both 'keys' and 'fact'; a condition counts findings or tests a fact");
  if (!keys && !fact)
    return verr(GW_EINVAL, n, where, "needs 'keys' (findings to count) or 'fact' (a site fact to test)");
  k.id = gw_strdup(id);
  k.name = dup_or_null(name);
  if (keys) {
    k.kind = R_COND_KEYS;
    k.at_least = 1;
    const struct ynode *ms = present(n, "min_sample");
    if (ms) {
      rc = verr(GW_EINVAL, ms, where, "'min_sample' goes with 'fact', not with 'keys'");
      goto fail;
    }
    if ((rc = key_list(c, n, "keys", where, true, &k.keys, &k.n_keys)) ||
        (rc = get_count(n, "at_least", where, false, 1, &k.at_least, NULL)))
      goto fail;
    struct ynode *w = present(n, "where");
    if (w) {
      static const char *const wknown[] = {"field", "at_least", NULL};
      char wwhere[300];
      snprintf(wwhere, sizeof wwhere, "%s: where", where);
      const char *field = NULL;
      if ((rc = need_map(w, where, "'where'")) || (rc = check_keys(w, wwhere, "'where'", wknown)) ||
          (rc = get_str(w, "field", wwhere, true, &field)) ||
          (rc = get_count(w, "at_least", wwhere, true, 0, &k.where_at_least, NULL)))
        goto fail;
      k.where_field = gw_strdup(field);
    }
  } else {
    k.kind = R_COND_FACT;
    if (fact->kind != Y_SCALAR) {
      rc = verr(GW_EPARSE, fact, where, "'fact' must be a single fact name, not %s", node_kind(fact));
      goto fail;
    }
    k.fact = nref_find(c->fact_ix, c->r->n_facts, fact->s);
    if (k.fact == SIZE_MAX) {
      rc = verr(GW_EINVAL, fact, where, "unknown fact '%.*s' (not in facts)", Q(fact->s));
      goto fail;
    }
    const struct ynode *w = present(n, "where");
    if (w) {
      rc = verr(GW_EINVAL, w, where, "'where' filters findings; it goes with 'keys', not with 'fact'");
      goto fail;
    }
    if ((rc = get_e4(n, "at_least", where, &k.thr_e4, &k.thr_percent)) ||
        (rc = get_count(n, "min_sample", where, false, 1, &k.min_sample, NULL)))
      goto fail;
  }
  if ((rc = get_uncertain(c, n, where, &k.uncertain)))
    goto fail;
  *out = k;
  return GW_OK;
fail:
  cond_clear(&k);
  return rc;
}

static int compile_conds(struct lctx *c, const struct ynode *map, const char *where, struct r_cond **out,
                         size_t *n_out)
{
  struct ynode *any = present(map, "any");
  if (!any)
    return missing(map, where, "any");
  int rc = need_seq(any, where, "any");
  if (rc)
    return rc;
  if (any->n == 0)
    return verr(GW_EINVAL, any, where, "'any' must list at least one condition");
  if ((rc = unique_ids(any, where, "condition")))
    return rc;
  struct r_cond *v = gw_calloc(any->n, sizeof *v);
  size_t i = 0;
  for (; i < any->n && !rc; i++)
    rc = compile_cond(c, any->items[i], where, &v[i]);
  if (rc) {
    for (size_t j = 0; j + 1 < i; j++)
      cond_clear(&v[j]);
    free(v);
    return rc;
  }
  *out = v;
  *n_out = any->n;
  return GW_OK;
}

static int compile_veto(struct lctx *c, const struct ynode *n, const char *prefix, struct r_veto *out)
{
  static const char *const known[] = {"id", "name", "requires", "any", "uncertain", "source", NULL};
  char where[256];
  const char *id = NULL, *name = NULL;
  int rc = need_map(n, prefix, "a veto item");
  if (!rc)
    rc = id_of(n, prefix, &id);
  if (rc)
    return rc;
  snprintf(where, sizeof where, "%sveto %.*s", prefix, Q(id));
  struct r_veto v;
  memset(&v, 0, sizeof v);
  if ((rc = check_keys(n, where, "a veto item", known)) || (rc = get_str(n, "name", where, true, &name)) ||
      (rc = get_requires(n, where, &v.requires)) || (rc = compile_conds(c, n, where, &v.conds, &v.n_conds)))
    return rc;
  v.id = gw_strdup(id);
  v.name = gw_strdup(name);
  *out = v;
  return get_uncertain(c, n, where, &out->uncertain);
}

/* ---- deduction part --------------------------------------------------------- */

static int compile_item(struct lctx *c, const struct ynode *n, const char *owner, int64_t ind_points,
                        const struct ynode *points_node, struct r_item *out)
{
  static const char *const known[] = {"id", "name", "keys", "per_finding", "cap", "supersedes", "uncertain",
                                      "source", NULL};
  char where[300];
  const char *id = NULL, *name = NULL;
  struct r_item it;
  memset(&it, 0, sizeof it);
  it.cap = -1;
  int rc = need_map(n, owner, "an item");
  if (!rc)
    rc = id_of(n, owner, &id);
  if (rc)
    return rc;
  snprintf(where, sizeof where, "%s: item %.*s", owner, Q(id));
  const struct ynode *per_n = NULL, *cap_n = NULL;
  if ((rc = check_keys(n, where, "an item", known)) || (rc = get_str(n, "name", where, true, &name)) ||
      (rc = get_cents(n, "per_finding", where, true, &it.per, &per_n)) ||
      (rc = get_cents(n, "cap", where, false, &it.cap, &cap_n)))
    return rc;
  if (cap_n && it.cap < it.per) {
    char a[32], b[32];
    const struct ynode *blame = per_n->layer > cap_n->layer ? per_n : cap_n;
    return verr(GW_EINVAL, blame, where, "cap %s is below its per-finding deduction %s",
                gw_rules_fmt_cents_(it.cap, a, sizeof a), gw_rules_fmt_cents_(it.per, b, sizeof b));
  }
  if (cap_n && it.cap > ind_points) {
    char a[32], b[32];
    warn(c, cap_n->layer >= points_node->layer ? cap_n : points_node, where,
         "cap %s is above the indicator's %s points; the indicator's points bound it",
         gw_rules_fmt_cents_(it.cap, a, sizeof a), gw_rules_fmt_cents_(ind_points, b, sizeof b));
  }
  it.id = gw_strdup(id);
  it.name = gw_strdup(name);
  if ((rc = key_list(c, n, "keys", where, true, &it.keys, &it.n_keys)) ||
      (rc = key_list(c, n, "supersedes", where, false, &it.sup, &it.n_sup)) ||
      (rc = get_uncertain(c, n, where, &it.uncertain))) {
    *out = it; /* the caller frees the partial item */
    return rc;
  }
  for (size_t i = 0; i < it.n_sup; i++)
    for (size_t j = 0; j < it.n_keys; j++)
      if (it.sup[i] == it.keys[j]) {
        *out = it;
        return verr(GW_EINVAL, present(n, "supersedes"), where, "supersedes its own rule key '%s'",
                    c->r->keys[it.keys[j]].key);
      }
  *out = it;
  return GW_OK;
}

static void item_clear(struct r_item *it)
{
  free(it->id);
  free(it->name);
  free(it->keys);
  free(it->sup);
}

static int compile_indicator(struct lctx *c, const struct ynode *n, const char *prefix, struct r_indicator *out)
{
  static const char *const known[] = {"id", "name", "points", "items", "uncertain", "source", NULL};
  char where[256];
  const char *id = NULL, *name = NULL;
  int rc = need_map(n, prefix, "an indicator");
  if (!rc)
    rc = id_of(n, prefix, &id);
  if (rc)
    return rc;
  name = present(n, "name") && present(n, "name")->kind == Y_SCALAR ? present(n, "name")->s : id;
  snprintf(where, sizeof where, "%sindicator %.*s", prefix, Q(name));
  const struct ynode *pn = NULL;
  struct r_indicator ind;
  memset(&ind, 0, sizeof ind);
  if ((rc = check_keys(n, where, "an indicator", known)) || (rc = get_str(n, "name", where, true, &name)) ||
      (rc = get_cents(n, "points", where, true, &ind.points, &pn)))
    return rc;
  struct ynode *items = present(n, "items");
  if (!items)
    return missing(n, where, "items");
  if ((rc = need_seq(items, where, "items")))
    return rc;
  if (items->n == 0)
    return verr(GW_EINVAL, items, where, "'items' must list at least one item");
  ind.id = gw_strdup(id);
  ind.name = gw_strdup(name);
  ind.items = gw_calloc(items->n, sizeof *ind.items);
  for (size_t i = 0; i < items->n && !rc; i++) {
    rc = compile_item(c, items->items[i], where, ind.points, pn, &ind.items[i]);
    ind.n_items = i + 1;
  }
  if (!rc)
    rc = get_uncertain(c, n, where, &ind.uncertain);
  *out = ind; /* the caller frees a partial indicator too */
  return rc;
}

static void deduction_clear(struct r_deduction *d)
{
  for (size_t i = 0; i < d->n_inds; i++) {
    for (size_t j = 0; j < d->inds[i].n_items; j++)
      item_clear(&d->inds[i].items[j]);
    free(d->inds[i].items);
    free(d->inds[i].id);
    free(d->inds[i].name);
  }
  free(d->inds);
  free(d->skip);
  memset(d, 0, sizeof *d);
}

/* Item ids unique in the part, each rule key deducted by one item only, and
 * `supersedes` naming deducted keys without cycles. */
static int check_items(struct lctx *c, const struct ynode *inds_node, const char *prefix, struct r_deduction *d)
{
  size_t n_keys = c->r->n_keys;
  /* owner[k] = the item deducting key k (flattened index), or SIZE_MAX */
  size_t *owner = gw_malloc((n_keys + 1) * sizeof *owner);
  for (size_t k = 0; k < n_keys; k++)
    owner[k] = SIZE_MAX;
  size_t n_items = 0;
  for (size_t i = 0; i < d->n_inds; i++)
    n_items += d->inds[i].n_items;
  struct r_item **flat = gw_calloc(n_items + 1, sizeof *flat);
  const struct ynode **nodes = gw_calloc(n_items + 1, sizeof *nodes);
  const char **ind_name = gw_calloc(n_items + 1, sizeof *ind_name);
  size_t f = 0;
  for (size_t i = 0; i < d->n_inds; i++) {
    const struct ynode *items = present(inds_node->items[i], "items");
    for (size_t j = 0; j < d->inds[i].n_items; j++, f++) {
      flat[f] = &d->inds[i].items[j];
      nodes[f] = items->items[j];
      ind_name[f] = d->inds[i].name;
    }
  }
  int rc = GW_OK;
  char where[300];
  for (f = 0; f < n_items && !rc; f++) {
    snprintf(where, sizeof where, "%sindicator %.*s: item %.*s", prefix, Q(ind_name[f]), Q(flat[f]->id));
    for (size_t g = 0; g < f && !rc; g++)
      if (strcmp(flat[f]->id, flat[g]->id) == 0) {
        const struct ynode *a = yt_get(nodes[f], "id"), *b = yt_get(nodes[g], "id");
        rc = verr(GW_EINVAL, a, where, "duplicate item id '%.*s' (first at %s:%zu)", Q(flat[f]->id), b->file,
                  b->line);
      }
    for (size_t k = 0; k < flat[f]->n_keys && !rc; k++) {
      size_t key = flat[f]->keys[k];
      if (owner[key] != SIZE_MAX) {
        const struct ynode *kn = present(nodes[f], "keys")->items[k];
        const struct ynode *first = nodes[owner[key]];
        rc = verr(GW_EINVAL, kn, where,
                  "rule key '%s' is already deducted under item %.*s (%s:%zu); one finding is deducted once",
                  c->r->keys[key].key, Q(flat[owner[key]]->id), first->file, first->line);
      }
      owner[key] = f;
    }
  }
  for (f = 0; f < n_items && !rc; f++) {
    snprintf(where, sizeof where, "%sindicator %.*s: item %.*s", prefix, Q(ind_name[f]), Q(flat[f]->id));
    for (size_t s = 0; s < flat[f]->n_sup && !rc; s++)
      if (owner[flat[f]->sup[s]] == SIZE_MAX)
        rc = verr(GW_EINVAL, present(nodes[f], "supersedes")->items[s], where,
                  "supersedes '%s', which no item of this part deducts", c->r->keys[flat[f]->sup[s]].key);
  }
  /* Cycles: A supersedes B supersedes A would skip both deductions. Walk
   * each item's chain; with n items a longer walk must repeat. */
  for (f = 0; f < n_items && !rc; f++) {
    unsigned char *state = gw_calloc(n_items + 1, 1); /* 1 = reached */
    size_t *stack = gw_malloc((n_items + 1) * sizeof *stack);
    size_t top = 0;
    stack[top++] = f;
    while (top && !rc) {
      size_t x = stack[--top];
      for (size_t s = 0; s < flat[x]->n_sup && !rc; s++) {
        size_t y = owner[flat[x]->sup[s]];
        if (y == f) {
          snprintf(where, sizeof where, "%sindicator %.*s: item %.*s", prefix, Q(ind_name[f]), Q(flat[f]->id));
          rc = verr(GW_EINVAL, present(nodes[f], "supersedes"), where,
                    "supersedes forms a cycle back to item %.*s (through item %.*s)", Q(flat[f]->id),
                    Q(flat[x]->id));
        } else if (!state[y]) {
          state[y] = 1;
          stack[top++] = y;
        }
      }
    }
    free(state);
    free(stack);
  }
  free(owner);
  free(flat);
  free(nodes);
  free(ind_name);
  return rc;
}

static int compile_deduction(struct lctx *c, const struct ynode *n, const char *prefix, struct r_deduction *d)
{
  static const char *const known[] = {"total", "fail_below", "no_external_service", "indicators", "uncertain",
                                      "source", NULL};
  char where[128];
  snprintf(where, sizeof where, "%sdeduction", prefix);
  int rc = need_map(n, where, "'deduction'");
  const struct ynode *total_n = NULL, *fail_n = NULL;
  if (rc || (rc = check_keys(n, where, "'deduction'", known)) ||
      (rc = get_cents(n, "total", where, true, &d->total, &total_n)) ||
      (rc = get_cents(n, "fail_below", where, true, &d->fail_below, &fail_n)))
    return rc;
  if (d->total == 0)
    return verr(GW_EINVAL, total_n, where, "total must be above 0");
  if (d->fail_below > d->total) {
    char a[32], b[32];
    return verr(GW_EINVAL, fail_n, where, "fail_below %s is above the total %s; every site would fail",
                gw_rules_fmt_cents_(d->fail_below, a, sizeof a), gw_rules_fmt_cents_(d->total, b, sizeof b));
  }
  struct ynode *inds = present(n, "indicators");
  if (!inds)
    return missing(n, where, "indicators");
  if ((rc = need_seq(inds, where, "indicators")))
    return rc;
  if (inds->n == 0)
    return verr(GW_EINVAL, inds, where, "'indicators' must list at least one indicator");
  if ((rc = unique_ids(inds, where, "indicator")))
    return rc;
  d->inds = gw_calloc(inds->n, sizeof *d->inds);
  for (size_t i = 0; i < inds->n && !rc; i++) {
    rc = compile_indicator(c, inds->items[i], prefix, &d->inds[i]);
    d->n_inds = i + 1;
  }
  if (rc)
    return rc;
  /* The indicators' points make up the part's total. Blame the value set
   * last (a profile's), else the total. */
  int64_t sum = 0;
  const struct ynode *blame = total_n;
  for (size_t i = 0; i < d->n_inds; i++) {
    sum += d->inds[i].points;
    const struct ynode *p = present(inds->items[i], "points");
    if (p->layer > blame->layer)
      blame = p;
  }
  if (sum != d->total) {
    char a[32], b[32];
    return verr(GW_EINVAL, blame, where, "the indicators' points add up to %s, not the total %s",
                gw_rules_fmt_cents_(sum, a, sizeof a), gw_rules_fmt_cents_(d->total, b, sizeof b));
  }
  if ((rc = check_items(c, inds, prefix, d)))
    return rc;

  struct ynode *nes = present(n, "no_external_service");
  if (nes) {
    static const char *const nknown[] = {"method", "skip", "uncertain", "source", NULL};
    char nwhere[160];
    snprintf(nwhere, sizeof nwhere, "%s: no_external_service", where);
    const char *method = NULL;
    if ((rc = need_map(nes, where, "'no_external_service'")) ||
        (rc = check_keys(nes, nwhere, "'no_external_service'", nknown)) ||
        (rc = get_str(nes, "method", nwhere, true, &method)))
      return rc;
    if (strcmp(method, "scale") == 0)
      d->nes = R_NES_SCALE;
    else if (strcmp(method, "spread") == 0)
      d->nes = R_NES_SPREAD;
    else
      return verr(GW_EINVAL, present(nes, "method"), nwhere, "method '%.*s' is not scale or spread", Q(method));
    struct ynode *skip = present(nes, "skip");
    if (!skip)
      return missing(nes, nwhere, "skip");
    if ((rc = need_seq(skip, nwhere, "skip")))
      return rc;
    if (skip->n == 0)
      return verr(GW_EINVAL, skip, nwhere, "'skip' must list the indicators not scored");
    d->skip = gw_calloc(skip->n, sizeof *d->skip);
    int64_t skipped = 0;
    for (size_t i = 0; i < skip->n; i++) {
      const struct ynode *s = skip->items[i];
      size_t k = SIZE_MAX;
      for (size_t j = 0; s->kind == Y_SCALAR && j < d->n_inds; j++)
        if (strcmp(d->inds[j].id, s->s) == 0)
          k = j;
      if (k == SIZE_MAX)
        return verr(GW_EINVAL, s, nwhere, "skip: '%.*s' is not an indicator id of this part",
                    Q(s->kind == Y_SCALAR ? s->s : node_kind(s)));
      for (size_t j = 0; j < d->n_skip; j++)
        if (d->skip[j] == k)
          return verr(GW_EINVAL, s, nwhere, "skip: '%.*s' is listed twice", Q(s->s));
      d->skip[d->n_skip++] = k;
      skipped += d->inds[k].points;
    }
    if (skipped >= d->total || d->n_skip == d->n_inds)
      return verr(GW_EINVAL, skip, nwhere, "skip leaves no points to score");
    d->nes_present = true;
    if ((rc = get_uncertain(c, nes, nwhere, &d->nes_uncertain)))
      return rc;
  }
  d->present = true;
  return get_uncertain(c, n, where, &d->uncertain);
}

/* ---- bonus part ------------------------------------------------------------- */

static void bonus_clear(struct r_bonus *b)
{
  for (size_t i = 0; i < b->n_items; i++) {
    free(b->items[i].id);
    free(b->items[i].name);
    for (size_t j = 0; j < b->items[i].n_conds; j++)
      cond_clear(&b->items[i].conds[j]);
    free(b->items[i].conds);
  }
  free(b->items);
  memset(b, 0, sizeof *b);
}

static int compile_bonus(struct lctx *c, const struct ynode *n, const char *prefix, const struct r_deduction *d,
                         struct r_bonus *b)
{
  static const char *const known[] = {"total", "requires", "entry_above", "entry_at_least", "items",
                                      "uncertain", "source", NULL};
  char where[128];
  snprintf(where, sizeof where, "%sbonus", prefix);
  const struct ynode *total_n = NULL, *entry_n = NULL;
  int rc = need_map(n, where, "'bonus'");
  if (rc || (rc = check_keys(n, where, "'bonus'", known)) ||
      (rc = get_cents(n, "total", where, true, &b->total, &total_n)) ||
      (rc = get_requires(n, where, &b->requires)))
    return rc;
  if (!d->present)
    return verr(GW_EINVAL, n, where, "a bonus part needs a deduction part (it is entered by the deduction score)");
  struct ynode *above = present(n, "entry_above"), *atl = present(n, "entry_at_least");
  if (above && atl)
    return verr(GW_EINVAL, atl, where, "give entry_above or entry_at_least, not both");
  if (!above && !atl)
    return verr(GW_EINVAL, n, where, "missing 'entry_above' (or 'entry_at_least'): the score that enters the bonus");
  b->entry_strict = above != NULL;
  if ((rc = get_cents(n, above ? "entry_above" : "entry_at_least", where, true, &b->entry, &entry_n)))
    return rc;
  if (b->entry > d->total) {
    char x[32], y[32];
    return verr(GW_EINVAL, entry_n, where, "%s %s is above the deduction total %s; no site could enter",
                above ? "entry_above" : "entry_at_least", gw_rules_fmt_cents_(b->entry, x, sizeof x),
                gw_rules_fmt_cents_(d->total, y, sizeof y));
  }
  struct ynode *items = present(n, "items");
  if (!items)
    return missing(n, where, "items");
  if ((rc = need_seq(items, where, "items")) || (rc = unique_ids(items, where, "bonus item")))
    return rc;
  b->items = gw_calloc(items->n + 1, sizeof *b->items);
  for (size_t i = 0; i < items->n && !rc; i++) {
    static const char *const iknown[] = {"id", "name", "points", "any", "uncertain", "source", NULL};
    const struct ynode *in = items->items[i];
    char iwhere[256];
    const char *id = NULL, *name = NULL;
    const struct ynode *pn = NULL;
    struct r_bitem *it = &b->items[i];
    if ((rc = need_map(in, where, "a bonus item")) || (rc = id_of(in, where, &id)))
      break;
    snprintf(iwhere, sizeof iwhere, "%s: item %.*s", where, Q(id));
    if ((rc = check_keys(in, iwhere, "a bonus item", iknown)) || (rc = get_str(in, "name", iwhere, true, &name)) ||
        (rc = get_cents(in, "points", iwhere, true, &it->points, &pn)))
      break;
    it->id = gw_strdup(id);
    it->name = gw_strdup(name);
    b->n_items = i + 1;
    if ((rc = compile_conds(c, in, iwhere, &it->conds, &it->n_conds)) ||
        (rc = get_uncertain(c, in, iwhere, &it->uncertain)))
      break;
    if (it->points > b->total) {
      char x[32], y[32];
      warn(c, pn, iwhere, "points %s are above the bonus total %s; the total bounds them",
           gw_rules_fmt_cents_(it->points, x, sizeof x), gw_rules_fmt_cents_(b->total, y, sizeof y));
    }
  }
  if (rc)
    return rc;
  b->present = true;
  return get_uncertain(c, n, where, &b->uncertain);
}

/* ---- schemes and the root ----------------------------------------------------- */

static void scheme_clear(struct r_scheme *s)
{
  for (size_t i = 0; i < s->n_vetoes; i++) {
    free(s->vetoes[i].id);
    free(s->vetoes[i].name);
    for (size_t j = 0; j < s->vetoes[i].n_conds; j++)
      cond_clear(&s->vetoes[i].conds[j]);
    free(s->vetoes[i].conds);
  }
  free(s->vetoes);
  deduction_clear(&s->ded);
  bonus_clear(&s->bonus);
  memset(s, 0, sizeof *s);
}

static int compile_scheme(struct lctx *c, const struct ynode *n, const char *part, struct r_scheme *s)
{
  static const char *const known[] = {"vetoes", "deduction", "bonus", "veto_score", "uncertain", "source", NULL};
  /* Messages about the website part need no prefix; the media part says so. */
  char prefix[32], where[32];
  snprintf(prefix, sizeof prefix, "%s", strcmp(part, "media") == 0 ? "media: " : "");
  snprintf(where, sizeof where, "%s", part);
  s->veto_score = -1;
  char what[40];
  snprintf(what, sizeof what, "'%s'", part);
  int rc = need_map(n, "", what);
  if (rc || (rc = check_keys(n, where, what, known)))
    return rc;
  struct ynode *vetoes = present(n, "vetoes");
  if (vetoes) {
    if ((rc = need_seq(vetoes, where, "vetoes")) || (rc = unique_ids(vetoes, where, "veto")))
      return rc;
    s->vetoes = gw_calloc(vetoes->n + 1, sizeof *s->vetoes);
    for (size_t i = 0; i < vetoes->n && !rc; i++) {
      rc = compile_veto(c, vetoes->items[i], prefix, &s->vetoes[i]);
      if (s->vetoes[i].id)
        s->n_vetoes = i + 1;
    }
    if (rc)
      return rc;
  }
  struct ynode *ded = present(n, "deduction");
  if (ded && (rc = compile_deduction(c, ded, prefix, &s->ded)))
    return rc;
  struct ynode *bonus = present(n, "bonus");
  if (bonus && (rc = compile_bonus(c, bonus, prefix, &s->ded, &s->bonus)))
    return rc;
  const struct ynode *vs = NULL;
  if ((rc = get_cents(n, "veto_score", where, false, &s->veto_score, &vs)))
    return rc;
  if (vs && s->ded.present && s->veto_score >= s->ded.fail_below) {
    char a[32], b[32];
    return verr(GW_EINVAL, vs, where, "veto_score %s would pass (fail_below is %s)",
                gw_rules_fmt_cents_(s->veto_score, a, sizeof a), gw_rules_fmt_cents_(s->ded.fail_below, b, sizeof b));
  }
  if (!s->n_vetoes && !s->ded.present)
    return verr(GW_EINVAL, n, where, "neither vetoes nor a deduction part: nothing to score");
  s->present = true;
  return get_uncertain(c, n, where, &s->uncertain);
}

static bool check_known(const char *const *ids, const char *s)
{
  if (!ids || strcmp(s, "manual") == 0)
    return true;
  for (; *ids; ids++)
    if (strcmp(*ids, s) == 0)
      return true;
  return false;
}

static int compile_vocab(struct lctx *c, const struct ynode *root)
{
  struct gw_rules *r = c->r;
  struct ynode *keys = present(root, "rule_keys");
  if (!keys)
    return missing(root, "", "rule_keys");
  int rc = need_map(keys, "", "'rule_keys'");
  if (rc)
    return rc;
  r->keys = gw_calloc(keys->n + 1, sizeof *r->keys);
  for (size_t i = 0; i < keys->n; i++) {
    static const char *const known[] = {"label", "checks", NULL};
    const struct yentry *e = &keys->ents[i];
    char where[128];
    snprintf(where, sizeof where, "rule key %.*s", Q(e->key));
    if (!valid_key(e->key))
      return eerr(GW_EINVAL, e, "rule_keys",
                  "'%.*s' is not a rule key (lower-case words of a-z, 0-9 and '_' joined by '.')", Q(e->key));
    const char *label = NULL;
    if ((rc = need_map(e->val, where, "a rule key")) || (rc = check_keys(e->val, where, "a rule key", known)) ||
        (rc = get_str(e->val, "label", where, true, &label)))
      return rc;
    struct r_key *k = &r->keys[r->n_keys++];
    k->key = gw_strdup(e->key);
    k->label = gw_strdup(label);
    struct ynode *checks = present(e->val, "checks");
    if (checks) {
      if ((rc = need_seq(checks, where, "checks")))
        return rc;
      for (size_t j = 0; j < checks->n; j++) {
        const struct ynode *ch = checks->items[j];
        if (ch->kind != Y_SCALAR)
          return verr(GW_EPARSE, ch, where, "'checks' lists check ids, not %s", node_kind(ch));
        if (!check_known(c->check_ids, ch->s))
          return verr(GW_EINVAL, ch, where, "unknown check id '%.*s' (the check registry has no such check)",
                      Q(ch->s));
        gw_strv_push(&k->checks, ch->s);
      }
    }
  }
  struct ynode *facts = present(root, "facts");
  if (facts) {
    if ((rc = need_map(facts, "", "'facts'")))
      return rc;
    r->facts = gw_calloc(facts->n + 1, sizeof *r->facts);
    for (size_t i = 0; i < facts->n; i++) {
      static const char *const known[] = {"label", NULL};
      const struct yentry *e = &facts->ents[i];
      char where[128];
      snprintf(where, sizeof where, "fact %.*s", Q(e->key));
      if (!valid_key(e->key))
        return eerr(GW_EINVAL, e, "facts",
                    "'%.*s' is not a fact name (lower-case words of a-z, 0-9 and '_' joined by '.')", Q(e->key));
      const char *label = NULL;
      if ((rc = need_map(e->val, where, "a fact")) || (rc = check_keys(e->val, where, "a fact", known)) ||
          (rc = get_str(e->val, "label", where, true, &label)))
        return rc;
      r->facts[r->n_facts].name = gw_strdup(e->key);
      r->facts[r->n_facts].label = gw_strdup(label);
      r->n_facts++;
    }
  }
  c->key_ix = gw_malloc((r->n_keys + 1) * sizeof *c->key_ix);
  for (size_t i = 0; i < r->n_keys; i++)
    c->key_ix[i] = (struct nref){r->keys[i].key, i};
  qsort(c->key_ix, r->n_keys, sizeof *c->key_ix, nref_cmp);
  c->fact_ix = gw_malloc((r->n_facts + 1) * sizeof *c->fact_ix);
  for (size_t i = 0; i < r->n_facts; i++)
    c->fact_ix[i] = (struct nref){r->facts[i].name, i};
  qsort(c->fact_ix, r->n_facts, sizeof *c->fact_ix, nref_cmp);
  return GW_OK;
}

static int compile_root(struct lctx *c, const struct ynode *root)
{
  static const char *const known[] = {"format", "id", "title", "basis", "rule_keys", "facts", "website", "media",
                                      NULL};
  const char *id = NULL, *title = NULL, *basis = NULL;
  int rc = check_keys(root, "", "a rule file", known);
  if (rc || (rc = id_of(root, "", &id)) || (rc = get_str(root, "title", "", true, &title)) ||
      (rc = get_str(root, "basis", "", false, &basis)))
    return rc;
  c->r->id = gw_strdup(id);
  c->r->title = gw_strdup(title);
  c->r->basis = gw_strdup(basis ? basis : "");
  if ((rc = compile_vocab(c, root)))
    return rc;
  struct ynode *web = present(root, "website"), *media = present(root, "media");
  if (!web && !media)
    return verr(GW_EINVAL, root, "", "neither 'website' nor 'media': nothing to score");
  if (web && (rc = compile_scheme(c, web, "website", &c->r->website)))
    return rc;
  if (media && (rc = compile_scheme(c, media, "media", &c->r->media)))
    return rc;
  return GW_OK;
}

/* ---- files, bases, the chain -------------------------------------------------- */

struct src {
  char *name;          /* file name as messages show it */
  char *data;          /* owned copy of the text */
  size_t len;
  struct ynode *root;
  const char *id;
  const struct ynode *extends; /* NULL for the base of the chain */
};

struct resolver {
  const struct gw_rules_doc *docs; /* memory mode; NULL for files */
  size_t n_docs;
};

static int read_file(const char *path, char **data, size_t *len)
{
  int rc = GW_OK;
  char *buf = NULL;
  FILE *f = fopen(path, "rb");
  if (!f)
    return gw_err_set(errno == ENOENT ? GW_ENOTFOUND : GW_EIO, "%s: cannot open rule file: %s", path,
                      strerror(errno));
  buf = gw_malloc(GW_RULES_MAX_BYTES + 1);
  size_t n = fread(buf, 1, GW_RULES_MAX_BYTES + 1, f);
  if (ferror(f))
    rc = gw_err_set(GW_EIO, "%s: cannot read rule file: %s", path, strerror(errno));
  else if (n > GW_RULES_MAX_BYTES)
    rc = gw_err_set(GW_ELIMIT, "%s: rule file is larger than %u bytes", path, GW_RULES_MAX_BYTES);
  fclose(f);
  if (rc) {
    free(buf);
    return rc;
  }
  *data = buf;
  *len = n;
  return GW_OK;
}

static void dir_of(const char *path, char *dir, size_t size, char *parent, size_t psize)
{
  const char *slash = strrchr(path, '/');
  if (!slash) {
    snprintf(dir, size, ".");
    snprintf(parent, psize, "..");
    return;
  }
  if (slash == path) {
    snprintf(dir, size, "/");
    snprintf(parent, psize, "/");
    return;
  }
  snprintf(dir, size, "%.*s", (int)(slash - path), path);
  const char *ps = NULL;
  for (const char *p = path; p < slash; p++)
    if (*p == '/')
      ps = p;
  const char *last = ps ? ps + 1 : path;
  size_t last_len = (size_t)(slash - last);
  if ((last_len == 1 && last[0] == '.') || (last_len == 2 && last[0] == '.' && last[1] == '.'))
    snprintf(parent, psize, "%s/..", dir); /* "a/.." or "a/." : no shortening */
  else if (!ps)
    snprintf(parent, psize, ".");
  else if (ps == path)
    snprintf(parent, psize, "/");
  else
    snprintf(parent, psize, "%.*s", (int)(ps - path), path);
}

static void join(char *out, size_t size, const char *dir, const char *id)
{
  if (strcmp(dir, ".") == 0)
    snprintf(out, size, "%s.yaml", id);
  else if (strcmp(dir, "/") == 0)
    snprintf(out, size, "/%s.yaml", id);
  else
    snprintf(out, size, "%s/%s.yaml", dir, id);
}

static const char *base_name(const char *path)
{
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* Find the text of the base `id` extended by `from`. */
static int resolve(const struct resolver *rs, const struct src *from, const char *id, struct src *out)
{
  char want[128];
  snprintf(want, sizeof want, "%s.yaml", id);
  const struct ynode *at = from->extends;
  if (rs->docs) {
    for (size_t i = 1; i < rs->n_docs; i++) {
      if (rs->docs[i].name && strcmp(base_name(rs->docs[i].name), want) == 0) {
        if (rs->docs[i].len > GW_RULES_MAX_BYTES)
          return gw_err_set(GW_ELIMIT, "%s: rule file is larger than %u bytes", rs->docs[i].name,
                            GW_RULES_MAX_BYTES);
        out->name = gw_strdup(rs->docs[i].name);
        out->data = gw_malloc(rs->docs[i].len + 1);
        memcpy(out->data, rs->docs[i].data, rs->docs[i].len);
        out->len = rs->docs[i].len;
        return GW_OK;
      }
    }
    return gw_err_set(GW_ENOTFOUND, "%s:%zu: extends '%s': no rule document named %s", at->file, at->line, id, want);
  }
  char dir[4096], parent[4096], path[4200];
  dir_of(from->name, dir, sizeof dir, parent, sizeof parent);
  const char *tries[2] = {dir, parent};
  for (int t = 0; t < 2; t++) {
    join(path, sizeof path, tries[t], id);
    int rc = read_file(path, &out->data, &out->len);
    if (rc == GW_OK) {
      out->name = gw_strdup(path);
      return GW_OK;
    }
    if (rc != GW_ENOTFOUND)
      return rc;
  }
  return gw_err_set(GW_ENOTFOUND, "%s:%zu: extends '%s': no rule file %s in %s or %s", at->file, at->line, id, want,
                    dir, parent);
}

/* Checks on one file before merging: a mapping with format 1, an id, and
 * maybe `extends`. */
static int check_file(struct src *s, bool is_base_of, const char *expected_id)
{
  const struct ynode *root = s->root;
  if (root->kind != Y_MAP)
    return verr(GW_EPARSE, root, "", "a rule file must be a mapping of keys to values, not %s", node_kind(root));
  const char *fmt = NULL;
  int rc = get_str(root, "format", "", true, &fmt);
  if (rc)
    return rc;
  if (strcmp(fmt, "1") != 0)
    return verr(GW_EINVAL, present(root, "format"), "", "format '%.*s' is not supported (GovWatch reads format 1)",
                Q(fmt));
  if ((rc = id_of(root, "", &s->id)))
    return rc;
  if (is_base_of && strcmp(s->id, expected_id) != 0)
    return verr(GW_EINVAL, present(root, "id"), "", "id '%.*s' does not match the file name (expected '%s')",
                Q(s->id), expected_id);
  struct ynode *ext = present(root, "extends");
  if (ext) {
    if (ext->kind != Y_SCALAR)
      return verr(GW_EPARSE, ext, "", "'extends' must be the id of a rule set, not %s", node_kind(ext));
    if (!valid_id(ext->s))
      return verr(GW_EINVAL, ext, "", "extends '%.*s' is not a rule-set id", Q(ext->s));
    s->extends = ext;
  }
  return GW_OK;
}

/* The root without its `extends` entry (bases are merged, not named). */
static struct ynode *strip_extends(struct yarena *a, struct ynode *root)
{
  struct ynode *r = ya_alloc(a, sizeof *r);
  *r = *root;
  r->ents = ya_alloc(a, root->n * sizeof *r->ents + 1);
  r->n = 0;
  for (size_t i = 0; i < root->n; i++)
    if (strcmp(root->ents[i].key, "extends") != 0)
      r->ents[r->n++] = root->ents[i];
  return r;
}

void gw_rules_free(struct gw_rules **pr)
{
  struct gw_rules *r = pr ? *pr : NULL;
  if (!r)
    return;
  free(r->id);
  free(r->title);
  free(r->basis);
  gw_strv_free(&r->chain);
  gw_strv_free(&r->files);
  for (size_t i = 0; i < r->n_keys; i++) {
    free(r->keys[i].key);
    free(r->keys[i].label);
    gw_strv_free(&r->keys[i].checks);
  }
  free(r->keys);
  for (size_t i = 0; i < r->n_facts; i++) {
    free(r->facts[i].name);
    free(r->facts[i].label);
  }
  free(r->facts);
  scheme_clear(&r->website);
  scheme_clear(&r->media);
  gw_strv_free(&r->warnings);
  gw_strv_free(&r->uncertain);
  free(r);
  *pr = NULL;
}

static int build(const struct resolver *rs, struct src *first, const char *const *check_ids, struct gw_rules **out)
{
  struct yarena arena = {NULL};
  struct src chain[GW_RULES_MAX_DEPTH + 1];
  size_t n = 0;
  struct gw_rules *r = NULL;
  struct lctx c;
  memset(&c, 0, sizeof c);
  memset(chain, 0, sizeof chain);
  int rc = GW_OK;

  chain[n++] = *first;
  memset(first, 0, sizeof *first);
  for (;;) {
    struct src *s = &chain[n - 1];
    const char *expected = n > 1 ? chain[n - 2].extends->s : NULL;
    if ((rc = yt_parse(&arena, s->name, s->data, s->len, 0, &s->root)) ||
        (rc = check_file(s, n > 1, expected)))
      goto out;
    if (!s->extends)
      break;
    const char *base = s->extends->s;
    for (size_t i = 0; i < n; i++) {
      if (strcmp(chain[i].id, base) == 0) {
        struct gw_buf cyc = GW_BUF_INIT;
        for (size_t j = i; j < n; j++)
          gw_buf_printf(&cyc, "%s -> ", chain[j].id);
        gw_buf_puts(&cyc, base);
        rc = verr(GW_EINVAL, s->extends, "", "extends '%s' makes a cycle: %s", base, gw_buf_cstr(&cyc));
        gw_buf_free(&cyc);
        goto out;
      }
    }
    if (n > GW_RULES_MAX_DEPTH) {
      rc = verr(GW_ELIMIT, s->extends, "", "extends '%s': more than %d rule sets in the chain", base,
                GW_RULES_MAX_DEPTH);
      goto out;
    }
    if ((rc = resolve(rs, s, base, &chain[n])))
      goto out;
    n++;
  }
  /* Layers: the base is 0, each profile above it one more, so messages about
   * values set by both can blame the profile. */
  struct ynode *merged = NULL;
  for (size_t i = n; i-- > 0;) {
    int layer = (int)(n - 1 - i);
    if (layer > 0) {
      /* re-parse with the right layer: cheap, and keeps yt_parse simple */
      if ((rc = yt_parse(&arena, chain[i].name, chain[i].data, chain[i].len, layer, &chain[i].root)))
        goto out;
    }
    struct ynode *root = strip_extends(&arena, chain[i].root);
    if ((rc = yt_merge(&arena, merged, root, &merged)))
      goto out;
  }
  r = gw_calloc(1, sizeof *r);
  for (size_t i = n; i-- > 0;) {
    gw_strv_push(&r->chain, chain[i].id);
    gw_strv_push(&r->files, chain[i].name);
  }
  c.r = r;
  c.check_ids = check_ids;
  rc = compile_root(&c, merged);

out:
  free(c.key_ix);
  free(c.fact_ix);
  for (size_t i = 0; i < n; i++) {
    free(chain[i].name);
    free(chain[i].data);
  }
  ya_free(&arena);
  if (rc) {
    gw_rules_free(&r);
    return rc;
  }
  *out = r;
  return GW_OK;
}

int gw_rules_load(const char *path, const char *const *check_ids, struct gw_rules **out)
{
  struct src first;
  memset(&first, 0, sizeof first);
  int rc = read_file(path, &first.data, &first.len);
  if (rc)
    return rc;
  first.name = gw_strdup(path);
  struct resolver rs = {NULL, 0};
  return build(&rs, &first, check_ids, out);
}

int gw_rules_parse(const struct gw_rules_doc *docs, size_t n, const char *const *check_ids, struct gw_rules **out)
{
  if (n == 0 || !docs)
    return gw_err_set(GW_EINVAL, "rules: no rule document given");
  const char *name = docs[0].name ? docs[0].name : "rules";
  if (docs[0].len > GW_RULES_MAX_BYTES)
    return gw_err_set(GW_ELIMIT, "%s: rule file is larger than %u bytes", name, GW_RULES_MAX_BYTES);
  struct src first;
  memset(&first, 0, sizeof first);
  first.name = gw_strdup(name);
  first.data = gw_malloc(docs[0].len + 1);
  memcpy(first.data, docs[0].data, docs[0].len);
  first.len = docs[0].len;
  struct resolver rs = {docs, n};
  return build(&rs, &first, check_ids, out);
}

/* ---- accessors ------------------------------------------------------------ */

const char *gw_rules_id(const struct gw_rules *r) { return r->id; }
const char *gw_rules_title(const struct gw_rules *r) { return r->title; }
const char *gw_rules_basis(const struct gw_rules *r) { return r->basis; }
size_t gw_rules_chain_count(const struct gw_rules *r) { return r->chain.n; }
const char *gw_rules_chain_at(const struct gw_rules *r, size_t i) { return r->chain.v[i]; }
size_t gw_rules_key_count(const struct gw_rules *r) { return r->n_keys; }
const char *gw_rules_key_at(const struct gw_rules *r, size_t i) { return r->keys[i].key; }
const char *gw_rules_key_label(const struct gw_rules *r, size_t i) { return r->keys[i].label; }
size_t gw_rules_fact_count(const struct gw_rules *r) { return r->n_facts; }
const char *gw_rules_fact_at(const struct gw_rules *r, size_t i) { return r->facts[i].name; }
size_t gw_rules_warning_count(const struct gw_rules *r) { return r->warnings.n; }
const char *gw_rules_warning_at(const struct gw_rules *r, size_t i) { return r->warnings.v[i]; }
size_t gw_rules_uncertain_count(const struct gw_rules *r) { return r->uncertain.n; }
const char *gw_rules_uncertain_at(const struct gw_rules *r, size_t i) { return r->uncertain.v[i]; }

size_t gw_rules_key_index_(const struct gw_rules *r, const char *key)
{
  for (size_t i = 0; i < r->n_keys; i++)
    if (strcmp(r->keys[i].key, key) == 0)
      return i;
  return SIZE_MAX;
}

size_t gw_rules_fact_index_(const struct gw_rules *r, const char *name)
{
  for (size_t i = 0; i < r->n_facts; i++)
    if (strcmp(r->facts[i].name, name) == 0)
      return i;
  return SIZE_MAX;
}

bool gw_rules_key_known(const struct gw_rules *r, const char *key)
{
  return key && gw_rules_key_index_(r, key) != SIZE_MAX;
}
