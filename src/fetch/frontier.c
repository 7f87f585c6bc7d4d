/* The in-memory frontier and per-host politeness (see frontier.h). */
#include "fetch/frontier.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "fetch/url.h"

void gw_frontier_init(struct gw_frontier *f, int per_host, long interval_ms, long host_pause_ms)
{
  memset(f, 0, sizeof *f);
  f->per_host = per_host > 0 ? per_host : 1;
  f->interval_ms = interval_ms > 0 ? interval_ms : 0;
  f->host_pause_ms = host_pause_ms > 0 ? host_pause_ms : 0;
}

void gw_frontier_free(struct gw_frontier *f)
{
  for (size_t i = 0; i < f->urls.cap; i++)
    if (f->urls.slots[i].key)
      free(f->urls.slots[i].val);
  gw_map_free(&f->urls);
  for (size_t i = 0; i < f->hosts.cap; i++) {
    struct gw_host *h = f->hosts.slots[i].key ? f->hosts.slots[i].val : NULL;
    if (!h)
      continue;
    free(h->name);
    free(h->hostname);
    gw_robots_free(&h->robots);
    free(h);
  }
  gw_map_free(&f->hosts);
  free(f->work);
  memset(f, 0, sizeof *f);
}

struct gw_front_url *gw_frontier_find(const struct gw_frontier *f, const char *url)
{
  return gw_map_get(&f->urls, url);
}

struct gw_host *gw_frontier_host(struct gw_frontier *f, const char *authority, bool internal)
{
  struct gw_host *h = gw_map_get(&f->hosts, authority);
  if (h)
    return h;
  h = gw_calloc(1, sizeof *h);
  h->name = gw_strdup(authority);
  size_t hl;
  if (authority[0] == '[') {
    const char *close = strchr(authority, ']');
    hl = close ? (size_t)(close + 1 - authority) : strlen(authority);
  } else {
    hl = strcspn(authority, ":");
  }
  h->hostname = gw_strndup(authority, hl);
  gw_str_lower(h->hostname);
  h->internal = internal;
  h->interval_ms = f->interval_ms;
  h->robots.crawl_delay = -1;
  gw_map_put(&f->hosts, authority, h);
  return h;
}

void gw_frontier_mark_work(struct gw_frontier *f, struct gw_host *h)
{
  if (h->listed)
    return;
  if (f->n_work == f->cap_work) {
    f->cap_work = f->cap_work ? f->cap_work * 2 : 16;
    f->work = gw_reallocarray(f->work, f->cap_work, sizeof *f->work);
  }
  f->work[f->n_work++] = h;
  h->listed = true;
}

void gw_frontier_compact(struct gw_frontier *f)
{
  size_t w = 0;
  for (size_t r = 0; r < f->n_work; r++) {
    struct gw_host *h = f->work[r];
    if (h->qlen || h->n_waiting || h->active)
      f->work[w++] = h;
    else
      h->listed = false;
  }
  f->n_work = w;
}

void gw_frontier_push(struct gw_frontier *f, struct gw_front_url *u)
{
  struct gw_host *h = u->host;
  u->next = NULL;
  u->state = 1; /* GW_URL_QUEUED */
  if (h->qtail)
    h->qtail->next = u;
  else
    h->qhead = u;
  h->qtail = u;
  h->qlen++;
  f->queued++;
  gw_frontier_mark_work(f, h);
}

void gw_frontier_push_front(struct gw_frontier *f, struct gw_front_url *u)
{
  struct gw_host *h = u->host;
  u->state = 1;
  u->next = h->qhead;
  h->qhead = u;
  if (!h->qtail)
    h->qtail = u;
  h->qlen++;
  f->queued++;
  gw_frontier_mark_work(f, h);
}

struct gw_front_url *gw_frontier_pop(struct gw_frontier *f, struct gw_host *h)
{
  struct gw_front_url *u = h->qhead;
  if (!u)
    return NULL;
  h->qhead = u->next;
  if (!h->qhead)
    h->qtail = NULL;
  u->next = NULL;
  h->qlen--;
  f->queued--;
  u->state = GW_FRONT_INFLIGHT;
  return u;
}

struct gw_front_url *gw_frontier_add(struct gw_frontier *f, const char *url, int64_t id, uint8_t kind,
                                     uint8_t state, bool internal, uint32_t depth)
{
  struct gw_url_view v;
  if (!gw_url_view(url, &v))
    return NULL;
  char *auth = gw_strndup(v.authority, v.authority_len);
  struct gw_host *h = gw_frontier_host(f, auth, internal);
  free(auth);
  struct gw_front_url *u = gw_calloc(1, sizeof *u);
  u->id = id;
  u->url = gw_map_put(&f->urls, url, u);
  u->host = h;
  u->kind = kind;
  u->internal = internal;
  u->depth = depth;
  u->state = state;
  if (state == 1)
    gw_frontier_push(f, u);
  return u;
}

bool gw_host_can_start(const struct gw_frontier *f, const struct gw_host *h, int64_t now_ms)
{
  return h->active < f->per_host && now_ms >= h->next_ms && now_ms >= h->pause_until;
}

int64_t gw_host_ready_at(const struct gw_host *h)
{
  return h->next_ms > h->pause_until ? h->next_ms : h->pause_until;
}

void gw_host_started(struct gw_host *h, int64_t now_ms)
{
  h->active++;
  int64_t next = now_ms + h->interval_ms;
  if (next > h->next_ms)
    h->next_ms = next;
}

void gw_host_finished(struct gw_host *h)
{
  if (h->active > 0)
    h->active--;
}

long gw_host_note(const struct gw_frontier *f, struct gw_host *h, bool error, int64_t now_ms)
{
  h->window = (h->window << 1) | (error ? 1u : 0u);
  if (h->window_n < GW_HOST_WINDOW)
    h->window_n++;
  if (!error) {
    if (h->window_n >= GW_HOST_WINDOW / 2 && !(h->window & ((1u << (GW_HOST_WINDOW / 2)) - 1)))
      h->pauses_in_row = 0; /* half a window of good answers: the trouble is over */
    return 0;
  }
  if (!f->host_pause_ms || h->window_n < GW_HOST_WINDOW / 2)
    return 0;
  uint32_t mask = h->window_n >= 32 ? 0xFFFFFFFFu : ((1u << h->window_n) - 1);
  int errors = __builtin_popcount(h->window & mask);
  if (errors * 2 < h->window_n)
    return 0;
  /* doubling, up to 20 times the base pause and never past the cap */
  long cap = f->host_pause_ms * 20 < GW_HOST_PAUSE_MAX_MS ? f->host_pause_ms * 20 : GW_HOST_PAUSE_MAX_MS;
  long ms = f->host_pause_ms;
  for (int i = 0; i < h->pauses_in_row && ms < cap; i++)
    ms *= 2;
  if (ms > cap)
    ms = cap;
  h->pause_until = now_ms + ms;
  h->pauses++;
  h->pauses_in_row++;
  h->paused_ms += ms;
  /* start a fresh window: the answers that caused this pause are spent */
  h->window = 0;
  h->window_n = 0;
  return ms;
}

void gw_host_delay(struct gw_host *h, int64_t now_ms, long ms)
{
  if (now_ms + ms > h->next_ms)
    h->next_ms = now_ms + ms;
}

long gw_backoff_ms(int attempt, long base_ms, uint64_t rnd)
{
  if (attempt < 1)
    attempt = 1;
  double d = (double)base_ms;
  for (int i = 1; i < attempt && d < GW_BACKOFF_MAX_MS; i++)
    d *= 2;
  /* jitter in [0.5, 1.5]: spreads the retries of many URLs that failed
   * together (a server restart) instead of sending them back at once */
  double j = 0.5 + (double)(rnd >> 11) / (double)(UINT64_C(1) << 53);
  d *= j;
  if (d > GW_BACKOFF_MAX_MS)
    d = GW_BACKOFF_MAX_MS;
  if (d < 1)
    d = 1;
  return (long)d;
}

bool gw_retry_after_parse(const char *value, int64_t now, long *secs)
{
  if (!value)
    return false;
  while (*value == ' ' || *value == '\t')
    value++;
  if (!*value)
    return false;
  int64_t s = 0;
  const char *p = value;
  bool digits = true;
  while (*p && *p != ' ' && *p != '\t') {
    if (*p < '0' || *p > '9')
      digits = false;
    p++;
  }
  while (*p == ' ' || *p == '\t')
    p++;
  if (digits && !*p) {
    /* delay-seconds; a huge number is as good as the cap */
    for (const char *q = value; *q >= '0' && *q <= '9'; q++) {
      s = s * 10 + (*q - '0');
      if (s > GW_RETRY_AFTER_MAX_S) {
        s = GW_RETRY_AFTER_MAX_S;
        break;
      }
    }
  } else {
    time_t t = curl_getdate(value, NULL);
    if (t == (time_t)-1)
      return false;
    s = (int64_t)t - now;
  }
  if (s < 0)
    s = 0;
  if (s > GW_RETRY_AFTER_MAX_S)
    s = GW_RETRY_AFTER_MAX_S;
  *secs = (long)s;
  return true;
}
