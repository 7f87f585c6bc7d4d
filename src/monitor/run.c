/* The probe schedule and the scheduler loop (see monitor.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "core/log.h"
#include "monitor/alert.h"
#include "monitor/monitor.h"
#include "store/monitor_store.h"

/* ---- clock ---- */

static int64_t real_now(void *ctx)
{
  (void)ctx;
  return gw_now();
}

static int real_sleep_until(void *ctx, int64_t t)
{
  volatile int *stop = ctx;
  while (!(stop && *stop)) {
    int64_t now = gw_now();
    if (now >= t)
      return 0;
    /* Wake at least every second so a stop request is seen promptly. */
    struct timespec ts = {t - now > 1 ? 1 : (time_t)(t - now), 0};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !(stop && *stop))
      ;
  }
  return 1;
}

void gw_monitor_clock_real(struct gw_clock *c, volatile int *stop)
{
  c->now = real_now;
  c->sleep_until = real_sleep_until;
  /* The clock only reads the flag; the cast drops volatile for the void
   * pointer and real_sleep_until restores it. */
  c->ctx = (void *)(uintptr_t)stop;
}

/* ---- schedule ---- */

int64_t gw_monitor_day_of(int64_t t)
{
  int64_t s = t + GW_TZ_OFFSET;
  return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

int64_t gw_monitor_day_start(int64_t day)
{
  return day * 86400 - GW_TZ_OFFSET;
}

/* splitmix64: a well-mixed, portable hash step. */
static uint64_t mix(uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void gw_monitor_slots(int64_t site_id, int family, int64_t day, int slots_per_day, uint64_t seed, int64_t *out)
{
  int64_t start = gw_monitor_day_start(day);
  int64_t period = 86400 / slots_per_day;
  int64_t span = period * 4 / 5;
  for (int i = 0; i < slots_per_day; i++) {
    uint64_t h = mix(seed ^ mix((uint64_t)site_id ^ mix((uint64_t)family ^ mix((uint64_t)day ^ mix((uint64_t)i)))));
    out[i] = start + i * period + (span > 0 ? (int64_t)(h % (uint64_t)span) : 0);
  }
}

/* ---- options ---- */

void gw_monitor_opts_default(struct gw_monitor_opts *o)
{
  memset(o, 0, sizeof *o);
  o->slots_per_day = 24;
  o->ipv4 = true;
  o->ipv6 = true;
  o->net_window_s = 900;
  o->net_min_sites = 3;
  o->catchup_s = 86400;
  gw_monitor_probe_opts_default(&o->probe);
}

static int check_opts(const struct gw_monitor_opts *o)
{
  if (o->slots_per_day < 1 || o->slots_per_day > 1440)
    return gw_err_set(GW_EINVAL, "monitor.probes_per_day: %d is outside 1..1440", o->slots_per_day);
  if (!o->ipv4 && !o->ipv6)
    return gw_err_set(GW_EINVAL, "monitor: neither IPv4 nor IPv6 is to be probed");
  if (o->shards < 0 || o->shards > 1024 || o->shard < 0 || (o->shards > 1 && o->shard >= o->shards))
    return gw_err_set(GW_EINVAL, "monitor: shard %d of %d is out of range", o->shard, o->shards);
  if (o->net_window_s < 0 || o->net_min_sites < 1 || o->catchup_s < 0)
    return gw_err_set(GW_EINVAL, "monitor: net_window_s, net_min_sites (>= 1) and catchup_s must not be negative");
  return GW_OK;
}

/* ---- one slot ---- */

static int do_probe(const struct gw_monitor_opts *o, const char *url, int family, struct gw_monitor_probe_result *r)
{
  if (o->probe_fn)
    return o->probe_fn(o->probe_ctx, &o->probe, url, family, r);
  return gw_monitor_http_probe(&o->probe, url, family, r);
}

/* Probe url and keep the attempt as row `seq` of the slot. */
static int attempt(struct gw_store *st, const struct gw_monitor_opts *o, const struct gw_clock *clock,
                   const struct gw_avail_slot *slot, int seq, enum gw_probe_role role, const char *url,
                   struct gw_monitor_probe_result *r, struct gw_monitor_stats *stats)
{
  int64_t at = clock->now(clock->ctx);
  int rc = do_probe(o, url, slot->family, r);
  if (rc != GW_OK)
    return rc;
  stats->requests++;
  struct gw_avail_probe p = {0};
  p.slot_id = slot->id;
  p.seq = seq;
  p.role = role;
  p.family = slot->family;
  p.at = at;
  p.url = (char *)url;
  p.ip = r->ip[0] ? r->ip : NULL;
  p.dns_us = r->dns_us;
  p.connect_us = r->connect_us;
  p.tls_us = r->tls_us;
  p.ttfb_us = r->ttfb_us;
  p.total_us = r->total_us;
  p.http_status = r->http_status;
  p.error = r->error;
  p.error_text = r->error_text[0] ? r->error_text : NULL;
  p.bytes = r->bytes;
  return gw_store_probe_insert(st, &p);
}

/* Did our own network fail around this failure? Every other site judged
 * within net_window_s before it (their latest slot of this family) failed
 * or was already put down to our network, and there are at least
 * net_min_sites of them. If so, those slots and this one become UNKNOWN. */
static int own_network_check(struct gw_store *st, const struct gw_monitor_opts *o, struct gw_avail_slot *slot,
                             struct gw_monitor_stats *stats)
{
  struct gw_avail_slot_list l = {0};
  int rc = gw_store_slot_list(st, 0, slot->family, slot->slot_at - o->net_window_s, slot->slot_at + 1, &l);
  if (rc != GW_OK)
    return rc;
  /* Latest judged slot per other site: the list is ordered by time, so a
   * later row of a site replaces an earlier one. */
  int64_t *site = gw_calloc(l.n + 1, sizeof *site);
  size_t *idx = gw_calloc(l.n + 1, sizeof *idx);
  size_t ns = 0;
  for (size_t i = 0; i < l.n; i++) {
    const struct gw_avail_slot *s = &l.v[i];
    if (s->site_id == slot->site_id || s->state != GW_SLOT_DONE)
      continue;
    if (s->verdict == GW_AV_UNKNOWN && s->reason != GW_AR_OWN_NET)
      continue;
    size_t k = 0;
    while (k < ns && site[k] != s->site_id)
      k++;
    if (k == ns)
      site[ns++] = s->site_id;
    idx[k] = i;
  }
  bool all_failed = ns >= (size_t)o->net_min_sites;
  for (size_t k = 0; all_failed && k < ns; k++)
    if (l.v[idx[k]].verdict == GW_AV_OK)
      all_failed = false;
  if (all_failed) {
    for (size_t i = 0; rc == GW_OK && i < l.n; i++) {
      struct gw_avail_slot *s = &l.v[i];
      if (s->site_id != slot->site_id && s->state == GW_SLOT_DONE && s->verdict == GW_AV_FAIL) {
        rc = gw_store_slot_reclassify(st, s->id, GW_AV_UNKNOWN, GW_AR_OWN_NET);
        stats->reclassified++;
      }
    }
    slot->verdict = GW_AV_UNKNOWN;
    slot->reason = GW_AR_OWN_NET;
  }
  free(site);
  free(idx);
  gw_avail_slot_list_free(&l);
  return rc;
}

static void set_detail(struct gw_avail_slot *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_detail(struct gw_avail_slot *s, const char *fmt, ...)
{
  char buf[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  free(s->detail);
  s->detail = gw_strdup(buf);
}

int gw_monitor_probe_slot(struct gw_store *st, const struct gw_monitor_opts *o, const struct gw_clock *clock,
                          int64_t site_id, const char *url, int family, int64_t slot_at, struct gw_avail_slot *out,
                          struct gw_monitor_stats *stats)
{
  struct gw_monitor_stats dummy = {0};
  struct gw_avail_slot slot = {0};
  struct gw_avail_probe_list prev = {0};
  struct gw_monitor_probe_result r1, r2, rc_;
  enum gw_avail_reason why1, why2;
  if (!stats)
    stats = &dummy;
  int rc = check_opts(o);
  if (rc != GW_OK)
    return rc;
  if ((rc = gw_store_slot_begin(st, site_id, family, slot_at, clock->now(clock->ctx), &slot)) != GW_OK)
    return rc;
  int seq = 0;
  if (slot.runs > 1) {
    /* A run died in this slot: keep what it measured, number on. */
    stats->resumed++;
    if ((rc = gw_store_probe_list(st, slot.id, &prev)) != GW_OK)
      goto done;
    for (size_t i = 0; i < prev.n; i++)
      if (prev.v[i].seq > seq)
        seq = prev.v[i].seq;
    gw_avail_probe_list_free(&prev);
  }
  if (o->on_slot_begun)
    o->on_slot_begun(o->hook_ctx, &slot);
  if ((rc = attempt(st, o, clock, &slot, ++seq, GW_PROBE_SITE, url, &r1, stats)) != GW_OK)
    goto done;
  slot.attempts = 1;
  enum gw_avail_verdict v = gw_monitor_classify(&r1, &why1);
  const struct gw_monitor_probe_result *decider = &r1;
  slot.reason = why1;
  if (v == GW_AV_FAIL) {
    /* Confirm at once: a single lost packet is not an outage. */
    if ((rc = attempt(st, o, clock, &slot, ++seq, GW_PROBE_SITE, url, &r2, stats)) != GW_OK)
      goto done;
    slot.attempts = 2;
    v = gw_monitor_classify(&r2, &why2);
    decider = &r2;
    slot.reason = why2;
    if (v == GW_AV_OK)
      set_detail(&slot, "first probe failed (%s: %s), the confirmation succeeded", gw_avail_reason_key(why1),
                 r1.error_text[0] ? r1.error_text : "-");
    else if (v == GW_AV_FAIL)
      set_detail(&slot, "confirmed (%s)", r2.error_text[0] ? r2.error_text : gw_avail_reason_key(why2));
  }
  if (v == GW_AV_FAIL && o->n_control_urls) {
    bool net_ok = false;
    for (size_t i = 0; i < o->n_control_urls && !net_ok; i++) {
      enum gw_avail_reason cw;
      if ((rc = attempt(st, o, clock, &slot, ++seq, GW_PROBE_CONTROL, o->control_urls[i], &rc_, stats)) != GW_OK)
        goto done;
      /* Any answer from a control URL, even a WAF's, shows the network works. */
      net_ok = gw_monitor_classify(&rc_, &cw) != GW_AV_FAIL;
    }
    if (!net_ok) {
      v = GW_AV_UNKNOWN;
      slot.reason = GW_AR_OWN_NET;
      set_detail(&slot, "every control URL failed too (%s)", rc_.error_text[0] ? rc_.error_text : "-");
    }
  }
  slot.verdict = v;
  if (v == GW_AV_OK)
    slot.reason = GW_AR_NONE;
  slot.http_status = decider->http_status;
  slot.total_us = decider->total_us;
  if (v == GW_AV_FAIL && (rc = own_network_check(st, o, &slot, stats)) != GW_OK)
    goto done;
  slot.state = GW_SLOT_DONE;
  slot.finished_at = clock->now(clock->ctx);
  if ((rc = gw_store_slot_finish(st, &slot)) != GW_OK)
    goto done;
  stats->slots++;
  if (slot.verdict == GW_AV_OK)
    stats->ok++;
  else if (slot.verdict == GW_AV_FAIL)
    stats->fail++;
  else
    stats->unknown++;
  if (o->alerts) {
    struct gw_site site = {0};
    if ((rc = gw_store_site_get(st, site_id, &site)) == GW_OK)
      rc = gw_alert_on_slot(st, o->alerts, &slot, site.name, url, &stats->alerts);
    gw_site_clear(&site);
    if (rc != GW_OK)
      goto done;
  }
  if (out) {
    *out = slot;
    memset(&slot, 0, sizeof slot);
  }
done:
  gw_avail_slot_clear(&slot);
  return rc;
}

/* ---- the loop ---- */

struct plan_item {
  int64_t at;
  int64_t site_id;
  int family;
  size_t site; /* index in the day's site list */
};

static int cmp_item(const void *a, const void *b)
{
  const struct plan_item *x = a, *y = b;
  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  if (x->site_id != y->site_id)
    return x->site_id < y->site_id ? -1 : 1;
  return x->family - y->family;
}

/* Is (site, family, at) DONE in the sorted list of the day's slots? */
static bool is_done(const struct gw_avail_slot_list *l, const struct plan_item *it)
{
  size_t lo = 0, hi = l->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (l->v[mid].slot_at < it->at)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < l->n && l->v[i].slot_at == it->at; i++)
    if (l->v[i].site_id == it->site_id && l->v[i].family == it->family)
      return l->v[i].state == GW_SLOT_DONE;
  return false;
}

int gw_monitor_run(struct gw_store *st, const struct gw_monitor_opts *o, const struct gw_clock *clock, int64_t until,
                   struct gw_monitor_stats *stats)
{
  struct gw_monitor_stats s = {0};
  struct gw_site_list sites = {0};
  struct gw_avail_slot_list done_l = {0};
  struct plan_item *plan = NULL;
  int64_t *times = NULL;
  int rc = check_opts(o);
  if (rc != GW_OK)
    return rc;
  int64_t start = clock->now(clock->ctx);
  int64_t horizon = start - o->catchup_s;
  times = gw_calloc((size_t)o->slots_per_day, sizeof *times);
  bool stop = false;
  for (int64_t day = gw_monitor_day_of(horizon); !stop; day++) {
    int64_t d0 = gw_monitor_day_start(day), d1 = gw_monitor_day_start(day + 1);
    if (until && d0 >= until)
      break;
    gw_site_list_free(&sites);
    gw_avail_slot_list_free(&done_l);
    free(plan);
    plan = NULL;
    if ((rc = gw_store_site_list(st, 0, &sites)) != GW_OK || (rc = gw_store_slot_list(st, 0, 0, d0, d1, &done_l)) != GW_OK)
      goto done;
    size_t cap = sites.n * 2 * (size_t)o->slots_per_day, n = 0;
    plan = gw_calloc(cap ? cap : 1, sizeof *plan);
    for (size_t i = 0; i < sites.n; i++) {
      if (sites.v[i].status != GW_SITE_RUNNING)
        continue;
      if (o->shards > 1 && sites.v[i].id % o->shards != o->shard)
        continue;
      for (int fam = 4; fam <= 6; fam += 2) {
        if ((fam == 4 && !o->ipv4) || (fam == 6 && !o->ipv6))
          continue;
        gw_monitor_slots(sites.v[i].id, fam, day, o->slots_per_day, o->seed, times);
        for (int k = 0; k < o->slots_per_day; k++) {
          struct plan_item it = {times[k], sites.v[i].id, fam, i};
          if (it.at < horizon || (until && it.at >= until) || is_done(&done_l, &it))
            continue;
          plan[n++] = it;
        }
      }
    }
    qsort(plan, n, sizeof *plan, cmp_item);
    for (size_t k = 0; k < n; k++) {
      const struct plan_item *it = &plan[k];
      if (o->stop && *o->stop) {
        stop = true;
        break;
      }
      if (it->at > clock->now(clock->ctx) && o->on_progress)
        o->on_progress(o->progress_ctx, NULL, &s, 0);
      if (it->at > clock->now(clock->ctx) && clock->sleep_until(clock->ctx, it->at) != 0) {
        stop = true;
        break;
      }
      struct gw_avail_slot done_slot = {0};
      rc = gw_monitor_probe_slot(st, o, clock, it->site_id, sites.v[it->site].url, it->family, it->at,
                                 o->on_progress ? &done_slot : NULL, &s);
      if (rc == GW_EEXIST) {
        /* Another worker did it meanwhile. */
        rc = GW_OK;
        continue;
      }
      if (rc != GW_OK)
        goto done;
      if (o->on_progress) {
        /* plan is sorted by time: the due ones left are k+1 .. the first later one */
        int64_t now = clock->now(clock->ctx);
        size_t lo = k + 1, hi = n;
        while (lo < hi) {
          size_t mid = lo + (hi - lo) / 2;
          if (plan[mid].at <= now)
            lo = mid + 1;
          else
            hi = mid;
        }
        o->on_progress(o->progress_ctx, &done_slot, &s, lo - (k + 1));
        gw_avail_slot_clear(&done_slot);
      }
    }
    if (!stop && d1 > clock->now(clock->ctx) && (!until || d1 < until) && clock->sleep_until(clock->ctx, d1) != 0)
      stop = true;
  }
  if (until && !stop && clock->now(clock->ctx) < until)
    clock->sleep_until(clock->ctx, until);
  if (stats)
    *stats = s;
done:
  gw_site_list_free(&sites);
  gw_avail_slot_list_free(&done_l);
  free(plan);
  free(times);
  return rc;
}
