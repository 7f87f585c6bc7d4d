/* Internal: the compiled rule set shared by the loader (load.c) and the
 * scoring (score.c). Not for other modules; they see rules.h and score.h.
 *
 * Every amount of points is an integer number of hundredths ("cents"), so
 * sums of 0.1-point deductions are exact. Fact thresholds are integers in
 * ten-thousandths (0.05 = 500) and are compared with exact cross
 * multiplication. Indices (keys, facts, skipped indicators) point into the
 * arrays of struct gw_rules / struct r_deduction. */
#ifndef GW_RULES_RULES_INT_H
#define GW_RULES_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "rules/rules.h"

/* What a veto or bonus needs the site to be (bit set). */
enum { R_REQ_PORTAL = 1u, R_REQ_EXTERNAL_SERVICE = 2u };

struct r_key {
  char *key, *label;
  struct gw_strv checks; /* check ids that emit it; empty = any check */
};

struct r_fact {
  char *name, *label;
};

enum r_cond_kind { R_COND_KEYS = 1, R_COND_FACT };

struct r_cond {
  char *id;
  char *name;              /* optional Chinese description, NULL = generated */
  enum r_cond_kind kind;
  size_t *keys, n_keys;    /* R_COND_KEYS: key indices */
  int64_t at_least;        /* R_COND_KEYS: distinct objects needed (>= 1) */
  char *where_field;       /* R_COND_KEYS: NULL, or an observed_json number field */
  int64_t where_at_least;  /* ... that must be >= this */
  size_t fact;             /* R_COND_FACT: fact index */
  int64_t thr_e4;          /* R_COND_FACT: threshold x 10000 */
  bool thr_percent;        /* written as a percentage (for display) */
  int64_t min_sample;      /* R_COND_FACT: denominator needed, 0 = any */
  bool uncertain;
};

struct r_veto {
  char *id, *name;
  unsigned requires;
  struct r_cond *conds;
  size_t n_conds;
  bool uncertain;
};

struct r_item {
  char *id, *name;
  size_t *keys, n_keys;
  int64_t per;          /* hundredths per distinct object */
  int64_t cap;          /* hundredths, -1 = none (the indicator's points bound it) */
  size_t *sup, n_sup;   /* keys this item supersedes for the same object */
  bool uncertain;
};

struct r_indicator {
  char *id, *name;
  int64_t points;       /* hundredths */
  struct r_item *items;
  size_t n_items;
  bool uncertain;
};

enum r_nes_method { R_NES_SCALE = 1, R_NES_SPREAD };

struct r_deduction {
  bool present;
  int64_t total, fail_below; /* hundredths */
  struct r_indicator *inds;
  size_t n_inds;
  bool nes_present;          /* a no_external_service block exists */
  enum r_nes_method nes;
  size_t *skip, n_skip;      /* indicator indices not scored without external service */
  bool uncertain, nes_uncertain;
};

struct r_bitem {
  char *id, *name;
  int64_t points;
  struct r_cond *conds;
  size_t n_conds;
  bool uncertain;
};

struct r_bonus {
  bool present;
  int64_t total;        /* hundredths */
  unsigned requires;
  int64_t entry;        /* hundredths */
  bool entry_strict;    /* entry_above (>) rather than entry_at_least (>=) */
  struct r_bitem *items;
  size_t n_items;
  bool uncertain;
};

struct r_scheme {
  bool present;
  struct r_veto *vetoes;
  size_t n_vetoes;
  struct r_deduction ded;
  struct r_bonus bonus;
  int64_t veto_score;   /* hundredths given to a vetoed subject, -1 = none */
  bool uncertain;
};

struct gw_rules {
  char *id, *title, *basis;
  struct gw_strv chain;      /* ids, base first */
  struct gw_strv files;      /* file names, base first */
  struct r_key *keys;
  size_t n_keys;
  struct r_fact *facts;
  size_t n_facts;
  struct r_scheme website, media;
  struct gw_strv warnings;   /* "file:line: ..." */
  struct gw_strv uncertain;  /* "file:line: path: value — source" */
};

/* Index of a rule key / fact by name, or SIZE_MAX. */
size_t gw_rules_key_index_(const struct gw_rules *r, const char *key);
size_t gw_rules_fact_index_(const struct gw_rules *r, const char *name);
/* Points in hundredths as the shortest decimal: 8000 -> "80", 950 -> "9.5",
 * 10 -> "0.1". Returns buf. */
char *gw_rules_fmt_cents_(int64_t v, char *buf, size_t size);
/* A threshold in ten-thousandths as written: 500 -> "5%" (percent) or "0.05". */
char *gw_rules_fmt_e4_(int64_t v, bool percent, char *buf, size_t size);

#endif
