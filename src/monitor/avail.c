/* Availability figures (see avail.h). */
#include "monitor/avail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "store/monitor_store.h"

#define WEEK (7 * 86400)

void gw_avail_thresholds_default(struct gw_avail_thresholds *t)
{
  t->veto_bp = 500;
  t->warn_bp = 300;
  t->min_per_day = 20;
}

void gw_avail_figures_clear(struct gw_avail_figures *f)
{
  if (!f)
    return;
  free(f->outages);
  memset(f, 0, sizeof *f);
}

char *gw_avail_pct(int bp, char *buf, size_t size)
{
  snprintf(buf, size, "%d.%02d%%", bp / 100, bp % 100);
  return buf;
}

static int cmp_slot_ptr(const void *a, const void *b)
{
  const struct gw_avail_slot *x = *(const struct gw_avail_slot *const *)a, *y = *(const struct gw_avail_slot *const *)b;
  if (x->slot_at != y->slot_at)
    return x->slot_at < y->slot_at ? -1 : 1;
  return x->family - y->family;
}

int gw_avail_compute(const struct gw_avail_slot *v, size_t n, int64_t site_id, int family, int64_t from, int64_t to,
                     const struct gw_avail_thresholds *t, struct gw_avail_figures *out)
{
  struct gw_avail_figures f;
  const struct gw_avail_slot **sel = NULL;
  size_t ns = 0, cap_o = 0;
  if (to <= from)
    return gw_err_set(GW_EINVAL, "availability of site %lld: the period ends (%lld) before it starts (%lld)",
                      (long long)site_id, (long long)to, (long long)from);
  if (t->veto_bp <= 0 || t->veto_bp > 10000 || t->warn_bp < 0 || t->warn_bp > t->veto_bp || t->min_per_day < 0)
    return gw_err_set(GW_EINVAL, "availability thresholds: warn %d bp, veto %d bp, %d a day are out of order "
                      "(need 0 <= warn <= veto <= 10000)", t->warn_bp, t->veto_bp, t->min_per_day);
  memset(&f, 0, sizeof f);
  f.site_id = site_id;
  f.family = family;
  f.from = from;
  f.to = to;
  sel = gw_calloc(n ? n : 1, sizeof *sel);
  for (size_t i = 0; i < n; i++) {
    const struct gw_avail_slot *s = &v[i];
    if (s->site_id != site_id || (family && s->family != family) || s->slot_at < from || s->slot_at >= to)
      continue;
    sel[ns++] = s;
  }
  qsort(sel, ns, sizeof *sel, cmp_slot_ptr);
  struct gw_outage *open = NULL;
  for (size_t i = 0; i < ns; i++) {
    const struct gw_avail_slot *s = sel[i];
    f.slots++;
    if (s->state != GW_SLOT_DONE) {
      f.running++;
      continue;
    }
    switch (s->verdict) {
    case GW_AV_OK:
      f.ok++;
      if (open) {
        open->end = s->slot_at;
        open = NULL;
      }
      break;
    case GW_AV_FAIL:
      f.fail++;
      if (!open) {
        if (f.n_outages == cap_o) {
          cap_o = cap_o ? cap_o * 2 : 8;
          f.outages = gw_reallocarray(f.outages, cap_o, sizeof *f.outages);
        }
        open = &f.outages[f.n_outages++];
        memset(open, 0, sizeof *open);
        open->start = s->slot_at;
        open->reason = s->reason;
      }
      open->fails++;
      break;
    default:
      f.unknown++;
      if (s->reason == GW_AR_WAF)
        f.waf++;
      else if (s->reason == GW_AR_OWN_NET)
        f.own_net++;
      break;
    }
  }
  free(sel);
  f.probes = f.ok + f.fail;
  f.fail_bp = f.probes ? (int)(f.fail * 10000 / f.probes) : 0;
  int64_t days = (to - from + 86399) / 86400;
  f.complete = f.probes >= days * t->min_per_day;
  if (f.probes >= t->min_per_day && f.probes > 0) {
    if (f.fail * 10000 >= (int64_t)t->veto_bp * f.probes)
      f.level = GW_LEVEL_VETO;
    else if (t->warn_bp > 0 && f.fail * 10000 >= (int64_t)t->warn_bp * f.probes)
      f.level = GW_LEVEL_WARN;
  }
  f.veto = f.complete && f.level == GW_LEVEL_VETO;
  *out = f;
  return GW_OK;
}

int gw_avail_period(struct gw_store *st, int64_t site_id, int family, int64_t from, int64_t to,
                    const struct gw_avail_thresholds *t, struct gw_avail_figures *out)
{
  struct gw_avail_slot_list l = {0};
  if (to <= from)
    return gw_err_set(GW_EINVAL, "availability of site %lld: the period ends before it starts", (long long)site_id);
  int rc = gw_store_slot_list(st, site_id, family, from, to, &l);
  if (rc != GW_OK)
    return rc;
  rc = gw_avail_compute(l.v, l.n, site_id, family, from, to, t, out);
  gw_avail_slot_list_free(&l);
  return rc;
}

int gw_avail_rolling(struct gw_store *st, int64_t site_id, int family, int64_t at,
                     const struct gw_avail_thresholds *t, struct gw_avail_figures *out)
{
  return gw_avail_period(st, site_id, family, at - WEEK, at, t, out);
}
