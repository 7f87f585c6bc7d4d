/* The crawler's in-memory frontier: every URL of a crawl, the hosts they
 * live on, per-host FIFO queues and per-host politeness state.
 *
 * The store holds the durable frontier (crawl_urls rows); this is its
 * working copy, rebuilt from the store on resume. Everything here is pure
 * bookkeeping with the time passed in (monotonic milliseconds), so the
 * politeness rules are unit-tested without a network or a clock:
 *   - a host runs at most per_host transfers at once and starts them at
 *     least interval_ms apart (interval_ms is raised to robots.txt's
 *     Crawl-delay);
 *   - Retry-After and back-off push a host's next start later;
 *   - a host that answers 403/429/5xx (or times out) for at least half of
 *     its last GW_HOST_WINDOW answers is paused for host_pause_ms, doubled
 *     on each further pause in a row (at most 20 times host_pause_ms and at
 *     most GW_HOST_PAUSE_MAX_MS).
 * Queues are intrusive singly linked lists, so taking the next URL and
 * adding one are O(1) and no frontier scan ever happens. */
#ifndef GW_FETCH_FRONTIER_H
#define GW_FETCH_FRONTIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fetch/map.h"
#include "fetch/robots.h"

/* The answers remembered per host for the bulk-error pause. */
#define GW_HOST_WINDOW 20
/* The longest host pause, however often it repeats. */
#define GW_HOST_PAUSE_MAX_MS (10L * 60 * 1000)
/* The longest Retry-After honoured; a server asking for longer is retried
 * after this and the request counts as failed if it still refuses. */
#define GW_RETRY_AFTER_MAX_S 300
/* The longest back-off between two tries of one URL. */
#define GW_BACKOFF_MAX_MS (60L * 1000)

/* In-memory state of a URL; QUEUED..SKIPPED as in the store, plus: */
enum { GW_FRONT_INFLIGHT = 100 };

struct gw_host;

/* One URL of the crawl. The URL string is the frontier map's key copy. */
struct gw_front_url {
  int64_t id;              /* crawl_urls.id */
  const char *url;
  struct gw_host *host;
  struct gw_front_url *next; /* in its host's queue */
  uint32_t depth;
  uint16_t cal_depth;      /* calendar steps in a row (fetch/url.h traps) */
  uint8_t kind;            /* enum gw_url_kind */
  uint8_t state;           /* enum gw_url_state or GW_FRONT_INFLIGHT */
  bool internal;
};

enum gw_robots_state { GW_ROBOTS_NONE = 0, GW_ROBOTS_PENDING, GW_ROBOTS_DONE };

struct gw_host {
  char *name;              /* authority: host[:port], the politeness key */
  char *hostname;          /* host only, lower-case */
  bool internal;           /* a host of the site's scope */
  struct gw_front_url *qhead, *qtail;
  size_t qlen;
  void *waiting;           /* the engine's jobs waiting for this host (redirect hops, retries) */
  size_t n_waiting;
  int active;              /* transfers running */
  int64_t next_ms;         /* no start before this */
  int64_t pause_until;     /* paused until this */
  long interval_ms;        /* least time between starts */
  /* robots.txt */
  enum gw_robots_state robots_state;
  struct gw_robots robots;
  bool robots_all_disallowed; /* 5xx/unreachable robots.txt under obey: RFC 9309 says disallow all */
  int robots_status;       /* HTTP status of robots.txt, 0 = none */
  /* bulk error window */
  uint32_t window;         /* bit i = answer i ago was an error */
  int window_n;            /* answers in the window (<= GW_HOST_WINDOW) */
  int pauses;              /* pauses so far */
  int pauses_in_row;
  int64_t paused_ms;       /* total pause time */
  bool listed;             /* in the frontier's list of hosts with work */
};

struct gw_frontier {
  struct gw_map urls;      /* url -> struct gw_front_url * */
  struct gw_map hosts;     /* authority -> struct gw_host * */
  struct gw_host **work;   /* hosts that may have something to start */
  size_t n_work, cap_work;
  size_t queued;           /* URLs in all queues */
  int per_host;
  long interval_ms;
  long host_pause_ms;
};

void gw_frontier_init(struct gw_frontier *f, int per_host, long interval_ms, long host_pause_ms);
/* Free every URL, host and queue (not the engine's waiting jobs). */
void gw_frontier_free(struct gw_frontier *f);

/* The entry of a normalised URL, or NULL. */
struct gw_front_url *gw_frontier_find(const struct gw_frontier *f, const char *url);

/* Add a URL (absent so far) on the host of its authority (created on first
 * use, `internal` then tells whether it is a scope host). The entry starts
 * in `state`; QUEUED entries are appended to their host's queue. Returns
 * the entry, or NULL when the URL is not a normalised http(s) URL. */
struct gw_front_url *gw_frontier_add(struct gw_frontier *f, const char *url, int64_t id, uint8_t kind,
                                     uint8_t state, bool internal, uint32_t depth);

/* The host of an authority ("h.cn:8080"), created when absent. */
struct gw_host *gw_frontier_host(struct gw_frontier *f, const char *authority, bool internal);

/* Put an entry at the front of its host's queue (robots.txt goes first). */
void gw_frontier_push_front(struct gw_frontier *f, struct gw_front_url *u);
/* Append a QUEUED entry to its host's queue (a resumed row). */
void gw_frontier_push(struct gw_frontier *f, struct gw_front_url *u);
/* Take the first queued entry of a host (NULL if none); it becomes
 * GW_FRONT_INFLIGHT. */
struct gw_front_url *gw_frontier_pop(struct gw_frontier *f, struct gw_host *h);

/* Make sure the host is in the work list (after its queue or waiting jobs
 * grew). */
void gw_frontier_mark_work(struct gw_frontier *f, struct gw_host *h);
/* Drop hosts with nothing queued, waiting or running from the work list. */
void gw_frontier_compact(struct gw_frontier *f);

/* May the host start a transfer at now_ms, given its limits? (Robots
 * gating is the engine's.) */
bool gw_host_can_start(const struct gw_frontier *f, const struct gw_host *h, int64_t now_ms);
/* The earliest time the host could start, ignoring its transfer count. */
int64_t gw_host_ready_at(const struct gw_host *h);
/* Account for a start at now_ms: one more active transfer, the next start
 * not before now + interval. */
void gw_host_started(struct gw_host *h, int64_t now_ms);
/* A transfer of the host ended (whatever the outcome). */
void gw_host_finished(struct gw_host *h);
/* Record one answer of the host: `error` for 403/429/5xx and timeouts.
 * Returns the pause started now in ms (0 when none); the host's
 * pause_until is set accordingly. */
long gw_host_note(const struct gw_frontier *f, struct gw_host *h, bool error, int64_t now_ms);
/* Do not start before now + ms (Retry-After). */
void gw_host_delay(struct gw_host *h, int64_t now_ms, long ms);

/* The back-off before try `attempt + 1` after try `attempt` (1-based)
 * failed: base * 2^(attempt-1), scaled by a jitter factor in [0.5, 1.5]
 * taken from `rnd` (any 64-bit value), at most GW_BACKOFF_MAX_MS. */
long gw_backoff_ms(int attempt, long base_ms, uint64_t rnd);

/* Parse a Retry-After value: delay-seconds or an HTTP-date (RFC 9110
 * 10.2.3), relative to now (Unix seconds). *secs is clamped to
 * [0, GW_RETRY_AFTER_MAX_S]. False for an unreadable value. */
bool gw_retry_after_parse(const char *value, int64_t now, long *secs);

#endif
