/* Phrase sets (phrases.h). */
#include "html/phrases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char fold(unsigned char c, bool on)
{
  return on && c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static unsigned char upper(unsigned char c)
{
  return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

static void pair_set(struct gw_phrases *s, unsigned char a, unsigned char b)
{
  unsigned v = (unsigned)a << 8 | b;
  s->pair[v / 64] |= (uint64_t)1 << (v % 64);
}

static bool pair_has(const struct gw_phrases *s, unsigned char a, unsigned char b)
{
  unsigned v = (unsigned)a << 8 | b;
  return (s->pair[v / 64] >> (v % 64)) & 1;
}

/* pthread_once gives no argument: the set being built is passed here. */
static _Thread_local struct gw_phrases *t_building;

static void build(void)
{
  struct gw_phrases *s = t_building;
  bool f = s->flags & GW_PHRASES_FOLD;
  for (s->n = 0; s->list[s->n]; s->n++) {
    size_t k = s->n;
    s->len[k] = strlen(s->list[k]);
    if (k >= 64 || s->len[k] < 2) {
      /* the lists are constants: a programming error */
      fprintf(stderr, "govwatch: internal error: phrase set entry %zu is too short or one too many\n", k);
      abort();
    }
    unsigned char a = (unsigned char)s->list[k][0], b = (unsigned char)s->list[k][1];
    s->by_first[a][s->n_first[a]++] = (unsigned char)k;
    if (f && upper(a) != a)
      s->by_first[upper(a)][s->n_first[upper(a)]++] = (unsigned char)k;
    pair_set(s, a, b);
    if (f) {
      pair_set(s, upper(a), b);
      pair_set(s, a, upper(b));
      pair_set(s, upper(a), upper(b));
    }
  }
}

static void ready(struct gw_phrases *s)
{
  t_building = s;
  pthread_once(&s->once, build);
}

static bool is_digit(unsigned char c)
{
  return c >= '0' && c <= '9';
}

/* Does phrase k of s stand at t[i]? */
static bool at(const struct gw_phrases *s, size_t k, const char *t, size_t len, size_t i)
{
  size_t pl = s->len[k];
  if (len - i < pl)
    return false;
  const char *ph = s->list[k];
  bool f = s->flags & GW_PHRASES_FOLD;
  for (size_t j = 0; j < pl; j++)
    if (fold((unsigned char)t[i + j], f) != (unsigned char)ph[j])
      return false;
  if ((s->flags & GW_PHRASES_DIGITS) && is_digit((unsigned char)ph[0]) &&
      ((i > 0 && is_digit((unsigned char)t[i - 1])) || (i + pl < len && is_digit((unsigned char)t[i + pl]))))
    return false;
  return true;
}

/* Walk t, calling back for each phrase occurrence; stop when fn says so. */
static void scan(struct gw_phrases *s, const char *t, size_t len, bool (*fn)(void *, size_t), void *ctx)
{
  ready(s);
  if (!t)
    return;
  for (size_t i = 0; i + 1 < len; i++) {
    unsigned char a = (unsigned char)t[i];
    if (!pair_has(s, a, (unsigned char)t[i + 1]))
      continue;
    for (unsigned j = 0; j < s->n_first[a]; j++) {
      size_t k = s->by_first[a][j];
      if (at(s, k, t, len, i) && !fn(ctx, k))
        return;
    }
  }
}

static bool add_bit(void *ctx, size_t k)
{
  *(uint64_t *)ctx |= (uint64_t)1 << k;
  return true;
}

static bool add_one(void *ctx, size_t k)
{
  (void)k;
  ++*(size_t *)ctx;
  return true;
}

uint64_t gw_phrases_find(struct gw_phrases *set, const char *s, size_t len)
{
  uint64_t m = 0;
  scan(set, s, len, add_bit, &m);
  return m;
}

size_t gw_phrases_count(struct gw_phrases *set, const char *s, size_t len)
{
  size_t c = 0;
  scan(set, s, len, add_one, &c);
  return c;
}
