/* Scoring: a pure function of (rule set, findings, site or account facts,
 * as-of time) that explains every point.
 *
 * Websites: any applicable veto item hit -> 不合格 with the veto items and
 * the findings that caused them, and nothing else is scored; otherwise every
 * deduction is listed against its finding, capped per item and per
 * indicator, a problem is never deducted twice (same object under one item,
 * or an object already deducted under an item that `supersedes` this one),
 * departments without external service are scored without the skipped
 * indicators (scaled to the total, or with their points spread), the score
 * is compared with the pass threshold, and a portal above the entry score
 * gets its bonus. New-media accounts: the same with the rule set's media
 * part (nationally vetoes only).
 *
 * Points are integers in hundredths throughout (a sum of 0.1-point
 * deductions is exact); thresholds are compared exactly (a scaled score is
 * compared as a fraction, and only rounded half up to hundredths for
 * display). Findings with severity warn or info are not scored; findings
 * with needs_review are pending until a reviewer confirms them; findings
 * observed after the as-of time belong to a later inspection. The sheet is
 * the same for the same inputs whatever their order (findings are taken in
 * fingerprint order). */
#ifndef GW_RULES_SCORE_H
#define GW_RULES_SCORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/finding.h"
#include "rules/rules.h"

/* A named number about a site or account that is not a finding: value =
 * num / den (den > 0). The availability share is failed probes / probes of
 * the monitoring week ("availability.failure_share"); a count has den 1;
 * a yes/no fact is 1 or 0. Names come from the rule set's `facts:`. */
struct gw_fact {
  const char *name;
  int64_t num, den;
};

struct gw_site_facts {
  int64_t site_id;          /* when non-zero, every finding must have this site_id */
  const char *name;         /* shown on the sheet; may be NULL */
  bool portal;              /* 政府门户网站 (bonus, portal-only vetoes) */
  bool external_service;    /* has external service functions (false: 办事服务 is skipped) */
  int64_t window_start;     /* the inspection window shown on the sheet, 0 = not given */
  int64_t window_end;
  const struct gw_fact *facts;
  size_t n_facts;
};

struct gw_account_facts {
  int64_t account_id;       /* when non-zero, every finding must have this account_id */
  const char *name;
  const char *platform;     /* 微信订阅号, 微博 ...; may be NULL */
  int64_t window_start, window_end;
  const struct gw_fact *facts;
  size_t n_facts;
  /* The rule keys a check looked for on this account (e.g. the register
   * check's media.uncertified). When judged is not NULL, a veto condition
   * with nothing found that names a key outside judged[0..n_judged) is
   * undetermined (no evidence either way), so the account is 待定 rather
   * than 合格, as for a missing fact; NULL = every key counts as judged. */
  const char *const *judged;
  size_t n_judged;
};

enum gw_score_result {
  GW_RESULT_PASS = 1,      /* 合格 */
  GW_RESULT_FAIL,          /* 不合格 */
  GW_RESULT_UNDETERMINED   /* 待定: would pass, but a veto item lacks the data to decide it */
};

/* What became of one finding. */
enum gw_sheet_status {
  GW_FS_DEDUCTED = 1,      /* deducted under an item (amount may be 0 once a cap is reached) */
  GW_FS_VETO,              /* counted towards a veto item that was hit */
  GW_FS_BONUS,             /* counted towards an awarded bonus item */
  GW_FS_NOT_REACHED,       /* a veto stopped scoring before it */
  GW_FS_SUPERSEDED,        /* its object is deducted under an item that supersedes this key */
  GW_FS_DUPLICATE,         /* the same object (or identity) is already deducted under this item */
  GW_FS_SKIPPED_INDICATOR, /* its indicator is not scored for this site (no external service) */
  GW_FS_UNUSED,            /* nothing of this rule set scores its key here */
  GW_FS_PENDING,           /* needs_review: not scored until confirmed */
  GW_FS_NOT_SCORED,        /* severity warn or info */
  GW_FS_AFTER_AS_OF        /* observed after the as-of time */
};

struct gw_sheet_finding {
  size_t index;            /* position in the caller's array */
  char fingerprint[17];
  char *check, *rule, *title, *url, *target, *detail; /* copies; may be NULL */
  enum gw_sheet_status status;
  int64_t amount;          /* GW_FS_DEDUCTED: hundredths deducted */
  char *item;              /* the item, veto or bonus item id it went to, or NULL */
  size_t related;          /* SUPERSEDED/DUPLICATE: sheet index of the finding kept; SIZE_MAX otherwise */
};

struct gw_sheet_cond {
  char *id;
  char *desc;              /* Chinese description (the rule's name or generated) */
  bool fact;               /* a fact test (else a count of findings) */
  bool hit, undetermined, uncertain;
  int64_t count, at_least; /* counts: distinct objects found, needed */
  size_t unreadable;       /* findings skipped because their observed value was missing */
  bool fact_given;         /* fact: the caller supplied it */
  int64_t num, den;        /* fact: its value */
  int64_t thr_e4;          /* fact: threshold x 10000 */
  bool thr_percent;
  int64_t min_sample;      /* fact: needed denominator, 0 = any */
  size_t *findings, n_findings; /* counts: sheet indices of the findings counted */
};

struct gw_sheet_veto {
  char *id, *name;
  bool applicable;         /* false: the site lacks what it requires (portal, external service) */
  bool hit, undetermined, uncertain;
  struct gw_sheet_cond *conds;
  size_t n_conds;
};

struct gw_sheet_line {
  size_t finding;          /* sheet index */
  int64_t amount;          /* hundredths actually deducted */
  bool capped;             /* the item cap cut this line (partly or fully) */
};

struct gw_sheet_item {
  char *id, *name;
  int64_t per_finding, cap; /* cap -1 = none */
  int64_t sum;             /* per_finding x lines, before the cap */
  int64_t deducted;        /* after the item cap */
  bool uncertain;
  struct gw_sheet_line *lines;
  size_t n_lines;
};

struct gw_sheet_indicator {
  char *id, *name;
  bool skipped, uncertain;
  int64_t points;          /* as the rule set says */
  int64_t effective;       /* with a spread share added */
  int64_t items_sum;       /* the items' deductions */
  int64_t deducted;        /* min(items_sum, effective): the indicator cap */
  int64_t score;           /* effective - deducted */
  struct gw_sheet_item *items;
  size_t n_items;
};

struct gw_sheet_bonus_item {
  char *id, *name;
  int64_t points;
  bool awarded, undetermined, uncertain;
  struct gw_sheet_cond *conds;
  size_t n_conds;
};

enum gw_sheet_adjust { GW_ADJ_NONE = 0, GW_ADJ_SCALE, GW_ADJ_SPREAD };

struct gw_score_sheet {
  char *rules_id, *rules_title, *rules_basis, *rules_chain; /* chain "national-2019 > zhaoqing-2019" */
  bool media;              /* a new-media account (else a website) */
  int64_t subject_id;
  char *subject, *platform; /* name ("" if not given), platform (media, may be NULL) */
  bool portal, external_service;
  int64_t as_of, window_start, window_end;

  struct gw_sheet_veto *vetoes;
  size_t n_vetoes;
  bool vetoed;

  bool scored;             /* the deduction part was computed */
  int64_t total, fail_below;
  enum gw_sheet_adjust adjust;
  int64_t skipped_points;  /* points of the skipped indicators */
  int64_t raw;             /* sum of the scored indicators' scores */
  int64_t score;           /* the deduction-part score, scaled and rounded half up */
  struct gw_sheet_indicator *indicators;
  size_t n_indicators;

  bool bonus_present, bonus_applicable, bonus_entered;
  int64_t bonus_total, bonus_entry;
  bool bonus_entry_strict;
  struct gw_sheet_bonus_item *bonus_items;
  size_t n_bonus_items;
  int64_t bonus_sum, bonus; /* before and after the bonus total */

  bool has_score;          /* false: vetoed without veto_score, or no deduction part */
  int64_t final;           /* hundredths: score + bonus, or the veto_score */
  enum gw_score_result result;
  char *reason;            /* one Chinese sentence */
  bool uses_uncertain;     /* a value marked uncertain in the rules took part */

  struct gw_sheet_finding *findings;
  size_t n_findings, n_pending;
};

/* Score a website. `findings[0..n)` are the site's findings of the
 * inspection (any order); `as_of` is the inspection's as-of time. On success
 * *out is a new sheet (free with gw_score_sheet_free). Errors (GW_EINVAL,
 * *out untouched): the rule set has no website part; a fact unknown to the
 * rule set, given twice, or with den <= 0 or num < 0; a finding of another
 * site; a veto/deduct finding whose rule key is not in the vocabulary, or
 * whose check is not one the key lists (the check "manual" is always
 * accepted); a finding with an invalid severity. Messages name the finding
 * by index, check and fingerprint. */
int gw_score_site(const struct gw_rules *rules, const struct gw_site_facts *facts,
                  const struct gw_finding *findings, size_t n, int64_t as_of, struct gw_score_sheet **out);

/* Score a new-media account with the rule set's media part; as
 * gw_score_site otherwise (accounts count as having external service, so no
 * indicator is skipped, and are never portals). */
int gw_score_account(const struct gw_rules *rules, const struct gw_account_facts *facts,
                     const struct gw_finding *findings, size_t n, int64_t as_of, struct gw_score_sheet **out);

/* Free a sheet and set *s to NULL; NULL-safe. */
void gw_score_sheet_free(struct gw_score_sheet **s);

/* The sheet as Chinese text for people (`govwatch score SITE`): result and
 * reason, veto items, every indicator, item and deduction with its finding
 * and evidence, caps, scaling, bonus, and the findings not scored and why.
 * Malloc'd; deterministic. */
char *gw_score_sheet_text(const struct gw_score_sheet *s);

/* The sheet as a JSON object (new reference). Points are JSON numbers with
 * at most two decimals; dump with JSON_REAL_PRECISION(15) or use
 * gw_score_sheet_json to keep them short. */
json_t *gw_score_sheet_to_json(const struct gw_score_sheet *s);
/* The JSON text (indented, keys in a fixed order). Malloc'd. */
char *gw_score_sheet_json(const struct gw_score_sheet *s);

/* 合格, 不合格, 待定 / pass, fail, undetermined. */
const char *gw_score_result_label(enum gw_score_result r);
const char *gw_score_result_key(enum gw_score_result r);
/* Chinese label / English key of a finding status (已扣分 / deducted ...). */
const char *gw_sheet_status_label(enum gw_sheet_status s);
const char *gw_sheet_status_key(enum gw_sheet_status s);

#endif
