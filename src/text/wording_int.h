/* Internals of the wording engine shared by src/text/wording*.c.
 *
 * Not part of the public interface: only wording.c, wording_dict.c and
 * wording_stat.c include it. */
#ifndef GW_TEXT_WORDING_INT_H
#define GW_TEXT_WORDING_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/wording.h"

/* Longest list entry, longest dictionary word used by the segmenter, longest
 * sentence scanned at once (longer ones are cut), in characters. */
#define WD_MAX_TERM 64
#define WD_MAX_WORD 16
#define WD_MAX_SENT 512
/* Statistical candidates are words of 2..WD_STAT_SPAN characters. */
#define WD_STAT_SPAN 4
#define WD_NONE UINT32_MAX

/* ---- a string-keyed open-addressing hash map --------------------------- */

/* Keys are byte strings copied into an arena; values are uint32. Slot
 * offset 0 marks an empty slot (the arena starts with one unused byte). */
struct wd_slot {
  uint32_t off, len, hash, val;
};
struct wd_map {
  char *arena;
  size_t alen, acap;
  struct wd_slot *slots;
  size_t nslots, count; /* nslots is a power of two or 0 */
};

void wd_map_free(struct wd_map *m);
/* The value stored for key[0..len), or NULL. */
uint32_t *wd_map_get(const struct wd_map *m, const char *key, size_t len);
/* The value slot for key, inserted with value `init` when new (*created set). */
uint32_t *wd_map_put(struct wd_map *m, const char *key, size_t len, uint32_t init, bool *created);

/* A set of 64-bit keys (0 is never stored). */
struct wd_set64 {
  uint64_t *keys;
  size_t n, count;
};
void wd_set64_free(struct wd_set64 *s);
void wd_set64_add(struct wd_set64 *s, uint64_t k);
bool wd_set64_has(const struct wd_set64 *s, uint64_t k);

/* ---- the engine --------------------------------------------------------- */

enum wd_kind {
  WK_PAIR,      /* explicit wrong -> right from a list file */
  WK_FLAG,      /* presence is the finding (敏感词, 落马官员) */
  WK_NEAR,      /* generated: one character off a correct term */
  WK_NAME_NEAR, /* generated: one character off a leader's name */
  WK_NAME_SWAP, /* generated: two neighbouring characters of a name swapped */
  WK_CUSTOM,    /* pycorrector custom confusion pair (filtered) */
  WK_TERM,      /* a correct form: protects its span */
  WK_NAME       /* a leader's exact name: checks the title next to it */
};

struct wd_rule {
  uint8_t cat, kind;
  uint16_t nunits; /* characters in `wrong` */
  float conf;
  char *wrong, *right;
  uint32_t src, line; /* file name index into e->sources, line (1-based) */
  int32_t leader;     /* index into e->leaders for name rules, else -1 */
  uint32_t next;      /* next rule with the same key, WD_NONE at the end */
};

struct wd_leader {
  char *name;
  uint32_t *titles; /* title ids (values of e->titles) */
  size_t ntitles;
  uint32_t src, line;
};

/* One entry of the masked-word index: a word with one character masked out
 * is the key; entries list the characters that complete it. */
struct wd_fill {
  uint32_t cp;
  float lp;
  uint32_t next;
};

struct gw_wording {
  /* word-frequency dictionary */
  struct wd_map words; /* word -> index into lp */
  float *lp;
  size_t nwords, lpcap;
  double unknown_lp;   /* a CJK character the dictionary lacks */
  struct wd_map masked; /* masked word -> first wd_fill */
  struct wd_fill *fills;
  size_t nfills, fillcap;

  /* confusion sets */
  bool have_confusion;
  struct wd_set64 confpairs;   /* (a << 32 | b), symmetric */
  struct wd_map confidx;       /* UTF-8 of a char -> index into conflists */
  uint32_t **conflists;        /* per char: n, then code points */
  size_t nconf, confcap;

  /* lists */
  struct wd_map pat; /* wrong form / term -> first rule */
  struct wd_rule *rules;
  size_t nrules, rulecap;
  size_t maxpat;     /* longest key in characters */
  struct wd_map allow;
  size_t maxallow, nallow;
  struct wd_map titles; /* title -> title id */
  char **titlenames;
  size_t ntitles, titlecap, maxtitle;
  struct wd_leader *leaders;
  size_t nleaders, leadercap;
  char **sources;
  size_t nsources, sourcecap;
  size_t nexact, nnear, custom_kept, custom_dropped;

  struct gw_wording_tuning tune;
};

/* Loading pieces (wording_dict.c). Each returns an enum gw_err. */
int wd_load_freq(struct gw_wording *e, const char *path);
int wd_load_confusion(struct gw_wording *e, const char *dir);
int wd_load_lists(struct gw_wording *e, const char *dir);
int wd_load_custom(struct gw_wording *e, const char *path);
void wd_gen_near(struct gw_wording *e);
uint32_t wd_add_rule(struct gw_wording *e, const struct wd_rule *r);
int wd_add_allow(struct gw_wording *e, const char *phrase, const char *where);
/* log-probability of a dictionary word, or NAN when absent */
double wd_word_lp(const struct gw_wording *e, const char *w, size_t len);
/* the confusion set of a character: count in *n, NULL when none */
const uint32_t *wd_conf_of(const struct gw_wording *e, uint32_t cp, size_t *n);
bool wd_is_cjk(uint32_t cp);
/* Read a whole file into a malloc'd NUL-terminated buffer (cap max bytes). */
int wd_slurp(const char *path, size_t max, char **out, size_t *len);

/* One decoded character of a sentence. */
struct wd_unit {
  uint32_t cp;
  uint32_t off; /* byte offset in the sentence */
  uint8_t len;  /* bytes */
  bool cjk;
};

/* The best segmentation of a sentence (wording_stat.c). */
struct wd_seg {
  size_t n;
  double *fwd, *bwd; /* best log-probability of [0,i) and of [i,n) */
  uint16_t *seglen;  /* per unit: length of the segment holding it */
  uint32_t *segstart;
  float *seglp;      /* per unit: log-probability of that segment */
};
void wd_segment(const struct gw_wording *e, const char *s, const struct wd_unit *u, size_t n,
                struct wd_seg *seg);
void wd_seg_free(struct wd_seg *seg);
/* True when a multi-character segment of the best path straddles the
 * boundary at unit b (starts before b and ends after it). */
bool wd_seg_crosses(const struct wd_seg *seg, size_t b);

/* A statistical suspect: span [a,b) of units, the word it should be, gain. */
struct wd_stat_hit {
  size_t a, b, pos;
  uint32_t cp;        /* replacement for unit pos */
  double gain, newlp;
};
/* Find statistical suspects in a sentence; skip[u] true means unit u must
 * not be changed. Writes at most `max` hits, returns how many were found
 * (may exceed max: then the sentence counts as unusual). */
size_t wd_stat_scan(const struct gw_wording *e, const char *s, const struct wd_unit *u, size_t n,
                    const struct wd_seg *seg, const bool *skip, struct wd_stat_hit *out,
                    size_t max);

#endif
