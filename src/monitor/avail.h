/* Availability figures: pure functions over stored probe slots.
 *
 * The rule (站点无法访问, indicators.md §1 V2): a week of at least 20 probes
 * a day; a probe fails when the homepage is not open within 15 s; veto when
 * failures / probes >= 5 %. Slots judged UNKNOWN (a WAF answered, our own
 * network was down) and RUNNING slots count neither as probes nor as
 * failures. Thresholds are basis points (500 = 5 %) so the comparison is
 * exact integer arithmetic: fail * 10000 >= veto_bp * (ok + fail). */
#ifndef GW_MONITOR_AVAIL_H
#define GW_MONITOR_AVAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/monitor_records.h"
#include "store/store.h"

struct gw_avail_thresholds {
  int veto_bp;      /* monitor.veto_percent x 100, default 500 */
  int warn_bp;      /* monitor.warn_percent x 100, default 300 (must be below veto_bp) */
  int min_per_day;  /* probes a day the rule asks for, default 20 */
};

void gw_avail_thresholds_default(struct gw_avail_thresholds *t);

enum gw_avail_level { GW_LEVEL_NONE = 0, GW_LEVEL_WARN = 1, GW_LEVEL_VETO = 2 };

/* A run of failed slots: from the first failed slot's time to the time of
 * the next OK slot (end 0 = still failing at the end of the period).
 * UNKNOWN slots inside neither end nor split it. */
struct gw_outage {
  int64_t start, end;
  int fails;                       /* failed slots in it */
  enum gw_avail_reason reason;     /* of its first failed slot */
};

struct gw_avail_figures {
  int64_t site_id;
  int family;                      /* 4, 6, or 0 for both together */
  int64_t from, to;                /* the period, [from, to) */
  int64_t slots;                   /* slots in the period (any state) */
  int64_t ok, fail, unknown, running;
  int64_t waf, own_net;            /* UNKNOWN slots by reason */
  int64_t probes;                  /* ok + fail: what the share counts */
  int fail_bp;                     /* failure share in basis points, rounded down; 0 when probes is 0 */
  /* Enough probes for the rule: at least min_per_day for every whole or
   * begun day of the period. The veto flag is the rule's decision only
   * when complete; level says how the share stands either way. */
  bool complete;
  enum gw_avail_level level;       /* share against warn_bp / veto_bp (NONE when probes < min_per_day) */
  bool veto;                       /* complete && level == VETO */
  struct gw_outage *outages;
  size_t n_outages;
};

/* Figures of one site over [from, to) from slots (any order; others sites'
 * and families' rows are skipped; family 0 takes both). On success *out is
 * filled (clear with gw_avail_figures_clear). GW_EINVAL for to <= from or
 * thresholds out of order. */
int gw_avail_compute(const struct gw_avail_slot *v, size_t n, int64_t site_id, int family, int64_t from, int64_t to,
                     const struct gw_avail_thresholds *t, struct gw_avail_figures *out);

/* The same over the store's slots of [from, to). */
int gw_avail_period(struct gw_store *st, int64_t site_id, int family, int64_t from, int64_t to,
                    const struct gw_avail_thresholds *t, struct gw_avail_figures *out);

/* The rolling 7 days before `at`: [at - 7 days, at). */
int gw_avail_rolling(struct gw_store *st, int64_t site_id, int family, int64_t at,
                     const struct gw_avail_thresholds *t, struct gw_avail_figures *out);

void gw_avail_figures_clear(struct gw_avail_figures *f);

/* "4.17%" style text of a basis-point share. */
char *gw_avail_pct(int bp, char *buf, size_t size);

#endif
