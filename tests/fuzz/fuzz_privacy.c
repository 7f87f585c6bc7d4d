/* Fuzz the privacy detector: the word-list parsers with the input as a list,
 * then a scan of the input as page text with the shipped lists (read from
 * the source tree beside this file). Aborts when a hit breaks the contract:
 * out of bounds or out of order, a mask of the wrong shape or not matching
 * the number at its kept positions, an unmasked run of 11+ digits (other
 * than a listed public number) in a snippet, invalid UTF-8 in an output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "fuzz.h"
#include "text/privacy.h"

static struct gw_privacy_dict *g_dict;

static void load_dict(void)
{
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", __FILE__);
  char *p = strstr(dir, "/tests/fuzz/");
  if (!p) {
    fprintf(stderr, "fuzz_privacy: cannot place the source tree from %s\n", __FILE__);
    abort();
  }
  snprintf(p, sizeof dir - (size_t)(p - dir), "/dict/privacy");
  gw_privacy_dict_new(&g_dict);
  if (gw_privacy_dict_load(g_dict, dir) != 0) {
    fprintf(stderr, "fuzz_privacy: %s\n", gw_err_msg());
    abort();
  }
}

struct state {
  const uint8_t *data;
  size_t size;
  size_t last_end;
};

/* Digits (ASCII and full-width, as ASCII) and X of text[0..len). */
static size_t digits_of(const char *s, size_t len, char *out, size_t cap)
{
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = gw_utf8_decode(s + i, len - i, &cp);
    if (k == 0)
      k = 1;
    char c = 0;
    if (cp >= '0' && cp <= '9')
      c = (char)cp;
    else if (cp >= 0xFF10 && cp <= 0xFF19)
      c = (char)('0' + (cp - 0xFF10));
    else if (cp == 'X' || cp == 'x' || cp == 0xFF38 || cp == 0xFF58)
      c = 'X';
    if (c && o + 1 < cap)
      out[o++] = c;
    i += k;
  }
  out[o] = '\0';
  return o;
}

/* Every maximal digit run of 11+ in the (full-width-normalised) snippet
 * must be a listed public number: anything else should have been masked. */
static void check_snippet_runs(const char *snip)
{
  size_t n = strlen(snip);
  char run[64];
  size_t rl = 0;
  for (size_t i = 0; i <= n;) {
    uint32_t cp = 0;
    size_t k = 1;
    if (i < n) {
      k = gw_utf8_decode(snip + i, n - i, &cp);
      if (k == 0)
        abort(); /* snippets are valid UTF-8 */
    }
    int dv = cp >= '0' && cp <= '9' ? (int)(cp - '0')
             : cp >= 0xFF10 && cp <= 0xFF19 ? (int)(cp - 0xFF10)
                                            : -1;
    if (i < n && dv >= 0) {
      if (rl < sizeof run - 1)
        run[rl] = (char)('0' + dv);
      rl++;
    } else {
      if (rl >= 11) {
        if (rl >= sizeof run)
          abort();
        run[rl] = '\0';
        bool pub = gw_privacy_dict_is_public(g_dict, run) ||
                   (rl == 13 && run[0] == '8' && run[1] == '6' &&
                    gw_privacy_dict_is_public(g_dict, run + 2));
        if (!pub) {
          fprintf(stderr, "unmasked run %s in snippet \"%s\"\n", run, snip);
          abort();
        }
      }
      rl = 0;
    }
    i += k;
  }
}

static int on_hit(const struct gw_privacy_hit *h, void *ud)
{
  struct state *st = ud;
  if (h->len == 0 || h->start >= st->size || h->len > st->size - h->start)
    abort();
  if (h->start < st->last_end) /* in order, not overlapping */
    abort();
  st->last_end = h->start + h->len;
  if ((unsigned)h->kind > GW_PRIVACY_BANK_CARD || (unsigned)h->confidence > GW_PRIVACY_HIGH ||
      h->reasons == 0)
    abort();

  /* the number itself, as the module should have read it */
  char val[64];
  size_t vn = digits_of((const char *)st->data + h->start, h->len, val, sizeof val);
  const char *v = val;
  if (h->kind == GW_PRIVACY_MOBILE && vn == 13 && val[0] == '8' && val[1] == '6') {
    v += 2; /* the +86 prefix */
    vn -= 2;
  }
  size_t want_min = 0, want_max = 0, head = 0, tail = 0;
  switch (h->kind) {
  case GW_PRIVACY_ID18: want_min = want_max = 18; head = 2; tail = 3; break;
  case GW_PRIVACY_ID15: want_min = want_max = 15; head = 2; tail = 3; break;
  case GW_PRIVACY_MOBILE: want_min = want_max = 11; head = 3; tail = 4; break;
  default: want_min = 16; want_max = 19; head = 4; tail = 4; break;
  }
  size_t ml = strlen(h->masked);
  if (vn != ml || ml < want_min || ml > want_max) {
    fprintf(stderr, "masked %s for a %zu-character number\n", h->masked, vn);
    abort();
  }
  for (size_t i = 0; i < ml; i++) {
    bool kept = i < head || i >= ml - tail;
    char want = kept ? v[i] : '*';
    if (h->masked[i] != want) {
      fprintf(stderr, "masked %s, position %zu wrong\n", h->masked, i);
      abort();
    }
  }
  if (!gw_utf8_valid(h->snippet, strlen(h->snippet)) || !gw_utf8_valid(h->why, strlen(h->why)) ||
      (h->context && !gw_utf8_valid(h->context, strlen(h->context))))
    abort();
  char full[64];
  memcpy(full, v, vn);
  full[vn] = '\0';
  if (strstr(h->why, full) || (h->context && strstr(h->context, full)))
    abort();
  check_snippet_runs(h->snippet);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (!g_dict)
    load_dict();

  /* the word-list parsers, on a scratch dictionary */
  struct gw_privacy_dict *d = NULL;
  gw_privacy_dict_new(&d);
  gw_privacy_dict_parse_numbers(d, "fuzz", (const char *)data, size);
  gw_privacy_dict_parse_context(d, "fuzz", (const char *)data, size);
  gw_privacy_dict_parse_surnames(d, "fuzz", (const char *)data, size);
  gw_privacy_dict_free(&d);

  struct state st = {data, size, 0};
  struct gw_privacy_opts o = {.dict = g_dict, .as_of = 1751212800 /* 2025-06-30 */};
  if (size > 0) {
    o.context_chars = data[0] & 63;
    o.snippet_chars = (data[0] >> 2) & 63;
  }
  int rc = gw_privacy_scan((const char *)data, size, &o, on_hit, &st);
  if (rc != 0)
    abort();
  return 0;
}
