/* A fixed set of up to 64 phrases found in text in one pass.
 *
 * For the word lists the page model scans every page for (not-found
 * phrases, footer markers): each position of the text is checked against
 * a table of the phrases' first two bytes, and only a phrase that begins
 * there is compared, instead of one search of the whole text per phrase. */
#ifndef GW_HTML_PHRASES_H
#define GW_HTML_PHRASES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  GW_PHRASES_FOLD = 1,   /* ASCII letters compared case-blind (phrases are given in lower case) */
  GW_PHRASES_DIGITS = 2, /* a phrase beginning with a digit counts only with no digit either side */
};

struct gw_phrases {
  const char *const *list; /* NULL-terminated, each at least two bytes */
  unsigned flags;
  pthread_once_t once;
  size_t n;
  size_t len[64];
  unsigned char n_first[256];
  unsigned char by_first[256][64];
  uint64_t pair[65536 / 64];
};

/* A set over a NULL-terminated list (at most 64 phrases, each two bytes or
 * more), for a static variable: tables are built on first use. */
#define GW_PHRASES_INIT(list_, flags_) {.list = (list_), .flags = (flags_), .once = PTHREAD_ONCE_INIT}

/* The phrases of set found in s[0..len), as a mask (bit i: list[i]). */
uint64_t gw_phrases_find(struct gw_phrases *set, const char *s, size_t len);
/* Occurrences of all phrases in s[0..len), overlapping ones included. */
size_t gw_phrases_count(struct gw_phrases *set, const char *s, size_t len);

#endif
