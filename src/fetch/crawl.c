/* The crawler's libcurl multi loop (see crawl.h; docs/internals/fetch.md).
 *
 * One thread drives everything: curl_multi_perform / curl_multi_poll for
 * the transfers, the frontier for what to start next, the page model for
 * links, and the store for results. A URL's life:
 *   queued (frontier + row) -> job started on its host when politeness
 *   allows -> transfer -> [redirect: next hop queued on the hop's host]
 *   [transient failure: retry after back-off] -> final outcome -> row
 *   updated, body stored, page parsed, links admitted (new rows queued or
 *   skipped with a reason) -> all in the open batch transaction.
 * Easy handles are pooled and reset between requests, so connections and
 * the DNS cache of the multi handle are reused. */
#include "fetch/crawl.h"
#include "fetch/fetch_error.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/log.h"
#include "core/str.h"
#include "fetch/frontier.h"
#include "fetch/parse.h"
#include "fetch/robots.h"
#include "fetch/url.h"
#include "html/page.h"
#include "text/doctext.h"

/* At most this many trap cut-offs are listed in the summary (all are rows). */
#define SUMMARY_TRAPS 50
/* Progress callbacks at most this often. */
#define PROGRESS_MS 250
/* The longest wait in curl_multi_poll, so stop requests and batch commits
 * are seen promptly even when nothing happens on the network. */
#define POLL_MAX_MS 100
/* Cap of the raw-link -> normalised-URL cache. */
#define LINK_CACHE_MAX 200000

/* A mapped_only rule: HOST and PORT of a connect_to entry ("" = any). */
struct map_rule {
  char *host;
  char *port;
};

struct crawler;

/* One URL being fetched: its tries, hops and what came back. */
struct job {
  struct crawler *c;
  struct gw_front_url *u;
  CURL *h;
  struct gw_host *host; /* of the current request */
  char *cur;            /* the current request's URL */
  bool head;
  bool get_fallback;    /* HEAD failed; this try is a GET */
  int hop_tries;        /* tries of the current hop (the retry budget) */
  int requests;         /* requests made for the URL: every try of every hop */
  int hops;             /* redirects followed in this try */
  json_t *chain;        /* hops of this try */
  struct gw_map seen;   /* URLs of this try's chain (loop detection) */
  json_t *log;          /* one entry per finished try */
  int64_t ready_at;     /* waiting: not before (monotonic ms) */
  struct job *next;     /* in a host's waiting list, or the free list */
  struct job *aprev, *anext; /* in the crawler's list of running transfers */
  int64_t started_ms;
  /* the current transfer */
  struct gw_buf body;
  bool keep_body;       /* keep what arrives (HTML pages, robots.txt) */
  bool checked_type;    /* the first body write looked at the headers */
  bool type_abort;      /* we stopped the transfer after the headers on purpose */
  bool too_large;
  int64_t bytes;        /* body bytes received (decoded) */
  char err[CURL_ERROR_SIZE];
  struct curl_slist *cond;     /* If-None-Match / If-Modified-Since lines, first hop only */
  struct curl_slist *req_hdrs; /* the running request's header list */
  /* conditional request from the previous crawl */
  bool conditional;
  int64_t prev_row, prev_body;
  char *prev_ctype, *prev_etag, *prev_lm;
  /* the final outcome, kept while a worker parses the page */
  struct gw_crawl_url res;
  char *reused;         /* a 304's stored body, for robots.txt */
  size_t reused_len;
};

struct robots_info {
  int status;
  enum gw_fetch_error error;
};

struct crawler {
  struct gw_store *st;
  const struct gw_crawl_opts *o;
  const struct gw_site *site;
  struct gw_crawl crawl;
  bool resumed;
  struct gw_scope scope;
  struct gw_frontier f;
  struct gw_traps traps;
  CURLM *multi;
  struct curl_slist *connect_to;
  struct map_rule *rules;
  size_t n_rules;
  CURL **pool;
  size_t n_pool, cap_pool;
  struct job *free_jobs;
  struct job *running;   /* jobs with a transfer in the multi handle */
  struct gw_parse_pool *parser;
  size_t parsing;        /* jobs whose page a worker is reading */
  size_t parse_limit;    /* no new transfers while this many wait for a worker */
  int active;
  size_t waiting;        /* jobs waiting in host lists */
  bool in_tx;
  int tx_results;
  int64_t tx_started;
  long admitted_internal, admitted_external;
  int64_t fetched_run, errors_run;
  int64_t t0;
  int64_t last_progress;
  uint64_t rng;
  struct gw_map link_cache; /* raw link URL -> normalised (owned) or "" for unusable */
  char agent[64];
  int64_t as_of;
  int fatal;             /* a store error: stop */
  json_t *pauses;        /* host pause events */
  json_t *robots;        /* per host robots.txt report */
  struct gw_map disallowed_fetched; /* host -> (uintptr_t) count, when not obeying */
  size_t rr;             /* round-robin start in the work list */
};

/* ---- small helpers ---- */

static int64_t mono_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t next_rand(struct crawler *c)
{
  /* splitmix64: deterministic jitter, seeded by the crawl id */
  uint64_t z = (c->rng += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static bool is_html_type(const char *ct)
{
  if (!ct || !*ct)
    return true; /* no Content-Type: the parser decides (browsers sniff) */
  size_t n = strcspn(ct, ";");
  while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
    n--;
  return (n == 9 && strncasecmp(ct, "text/html", 9) == 0) ||
         (n == 21 && strncasecmp(ct, "application/xhtml+xml", 21) == 0);
}

/* An internal DOCX or XLSX attachment whose body the content checks read
 * (crawl.keep_documents): by its URL before the request (ct NULL), then by
 * the answer's Content-Type (an HTML error page under a .docx name is not
 * kept). */
static bool document_wanted(const struct crawler *c, enum gw_url_kind kind, const char *url, const char *ct)
{
  if (!c->o->keep_documents || kind != GW_URL_RESOURCE)
    return false;
  if (ct)
    return gw_doctext_kind(ct, url) != GW_DOC_UNKNOWN;
  return gw_doctext_kind(NULL, url) != GW_DOC_UNKNOWN;
}

/* Resources and attachments are checked with HEAD, never parsed. */
static bool resource_link(enum gw_link_kind k)
{
  switch (k) {
  case GW_LINK_IMG:
  case GW_LINK_SCRIPT:
  case GW_LINK_STYLESHEET:
  case GW_LINK_ICON:
  case GW_LINK_CSS:
  case GW_LINK_EMBED:
  case GW_LINK_OBJECT:
  case GW_LINK_SOURCE:
  case GW_LINK_VIDEO:
  case GW_LINK_AUDIO:
    return true;
  default:
    return false;
  }
}

static bool attachment_url(const char *url)
{
  static const char *const ext[] = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".ofd", ".zip", ".rar", ".7z",
    ".gz", ".txt", ".csv", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".tif", ".tiff",
    ".mp3", ".mp4", ".avi", ".flv", ".wmv", ".mov", ".swf", ".js", ".css", ".apk", ".exe", ".xml"};
  struct gw_url_view v;
  if (!gw_url_view(url, &v))
    return false;
  const char *dot = NULL;
  for (size_t i = v.path_len; i > 0; i--) {
    char ch = v.path[i - 1];
    if (ch == '/')
      break;
    if (ch == '.') {
      dot = v.path + i - 1;
      break;
    }
  }
  if (!dot)
    return false;
  size_t n = (size_t)(v.path + v.path_len - dot);
  for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
    if (strlen(ext[i]) == n && strncasecmp(dot, ext[i], n) == 0)
      return true;
  return false;
}

/* ---- store batching ---- */

static void tx_touch(struct crawler *c)
{
  if (c->in_tx || c->fatal)
    return;
  int rc = gw_store_begin(c->st);
  if (rc) {
    c->fatal = rc;
    return;
  }
  c->in_tx = true;
  c->tx_results = 0;
  c->tx_started = mono_ms();
}

static void tx_commit(struct crawler *c)
{
  if (!c->in_tx)
    return;
  c->in_tx = false;
  if (c->fatal) {
    gw_store_rollback(c->st);
    return;
  }
  int rc = gw_store_commit(c->st);
  if (rc) {
    c->fatal = rc;
    gw_store_rollback(c->st);
  }
}

/* Remember the first store failure; everything after it is skipped. */
static bool store_ok(struct crawler *c, int rc)
{
  if (rc && !c->fatal) {
    c->fatal = rc;
    gw_error("crawl: %s", gw_err_msg());
  }
  return !c->fatal;
}

/* ---- admission of URLs ---- */

static void ensure_robots(struct crawler *c, struct gw_host *h, const char *scheme_of);

/* Insert a row for url and its frontier entry. */
static struct gw_front_url *add_row(struct crawler *c, const char *url, enum gw_url_kind kind, bool internal,
                                    enum gw_url_state state, enum gw_skip_reason skip, const char *detail,
                                    const struct gw_front_url *from, uint32_t depth)
{
  struct gw_crawl_url row = {0};
  row.crawl_id = c->crawl.id;
  row.url = (char *)url;
  row.depth = (int)depth;
  row.from_id = from ? from->id : 0;
  row.kind = kind;
  row.internal = internal;
  row.state = state;
  row.skip = skip;
  row.skip_detail = (char *)detail;
  tx_touch(c);
  if (!store_ok(c, c->fatal) || !store_ok(c, gw_store_crawl_url_insert(c->st, &row)))
    return NULL;
  struct gw_front_url *e = gw_frontier_add(&c->f, url, row.id, (uint8_t)kind, (uint8_t)state, internal, depth);
  if (!e) {
    store_ok(c, gw_err_set(GW_EINVAL, "crawl: cannot queue '%s'", url));
    return NULL;
  }
  if (state == GW_URL_QUEUED && internal)
    ensure_robots(c, e->host, url);
  return e;
}

/* robots.txt of an internal host goes first on that host. */
static void ensure_robots(struct crawler *c, struct gw_host *h, const char *scheme_of)
{
  if (h->robots_state != GW_ROBOTS_NONE)
    return;
  h->robots_state = GW_ROBOTS_PENDING;
  bool https = gw_str_starts(scheme_of, "https:");
  char url[600];
  snprintf(url, sizeof url, "%s://%s/robots.txt", https ? "https" : "http", h->name);
  struct gw_front_url *e = gw_frontier_find(&c->f, url);
  if (e) {
    if (e->state == GW_URL_QUEUED) {
      /* already queued (a page linked it): make it first */
      struct gw_front_url **pp = &h->qhead;
      struct gw_front_url *prev = NULL;
      while (*pp && *pp != e) {
        prev = *pp;
        pp = &(*pp)->next;
      }
      if (*pp == e) {
        *pp = e->next;
        if (h->qtail == e)
          h->qtail = prev;
        h->qlen--;
        c->f.queued--;
        gw_frontier_push_front(&c->f, e);
      }
      e->kind = GW_URL_ROBOTS;
    } else {
      h->robots_state = GW_ROBOTS_DONE; /* fetched already as a page */
    }
    return;
  }
  struct gw_crawl_url row = {0};
  row.crawl_id = c->crawl.id;
  row.url = url;
  row.kind = GW_URL_ROBOTS;
  row.internal = true;
  row.state = GW_URL_QUEUED;
  tx_touch(c);
  if (!store_ok(c, c->fatal) || !store_ok(c, gw_store_crawl_url_insert(c->st, &row)))
    return;
  e = gw_frontier_add(&c->f, url, row.id, GW_URL_ROBOTS, GW_URL_SKIPPED /* not queued yet */, true, 0);
  if (e)
    gw_frontier_push_front(&c->f, e);
}

/* Find or admit the target of a link found on `from`. */
static struct gw_front_url *admit(struct crawler *c, const char *url, const struct gw_front_url *from,
                                  enum gw_link_kind lk)
{
  struct gw_front_url *e = gw_frontier_find(&c->f, url);
  if (e)
    return e;
  enum gw_scope_kind sk = gw_scope_of(&c->scope, url);
  bool internal = sk == GW_SCOPE_INTERNAL;
  enum gw_url_kind kind = !internal ? GW_URL_EXTERNAL
                          : (resource_link(lk) || attachment_url(url)) ? GW_URL_RESOURCE
                                                                        : GW_URL_PAGE;
  uint32_t depth = from ? from->depth + 1 : 0;
  enum gw_url_state state = GW_URL_QUEUED;
  enum gw_skip_reason skip = GW_SKIP_NONE;
  char why[900];
  why[0] = '\0';
  unsigned cal = 0;
  if (internal) {
    if (kind == GW_URL_PAGE) {
      if (!gw_traps_check(&c->traps, from ? from->url : NULL, from ? from->cal_depth : 0, url, &cal, why,
                          sizeof why)) {
        state = GW_URL_SKIPPED;
        skip = GW_SKIP_TRAP;
      } else if (c->o->max_depth > 0 && (long)depth > c->o->max_depth) {
        state = GW_URL_SKIPPED;
        skip = GW_SKIP_DEPTH;
        snprintf(why, sizeof why, "depth %u > max_depth %ld", depth, c->o->max_depth);
      }
    }
    if (state == GW_URL_QUEUED && c->o->obey_robots) {
      struct gw_url_view v;
      if (gw_url_view(url, &v)) {
        char *auth = gw_strndup(v.authority, v.authority_len);
        struct gw_host *h = gw_frontier_host(&c->f, auth, true);
        free(auth);
        if (h->robots_state == GW_ROBOTS_DONE &&
            (h->robots_all_disallowed || !gw_robots_allowed(&h->robots, v.path))) {
          state = GW_URL_SKIPPED;
          skip = GW_SKIP_ROBOTS;
          snprintf(why, sizeof why, "%s", h->robots_all_disallowed ? "robots.txt unreachable: all disallowed"
                                                                   : "disallowed by robots.txt");
        }
      }
    }
    if (state == GW_URL_QUEUED && c->admitted_internal >= c->o->max_pages) {
      state = GW_URL_SKIPPED;
      skip = GW_SKIP_CAP;
      snprintf(why, sizeof why, "max_pages %ld reached", c->o->max_pages);
    }
  } else if (c->admitted_external >= c->o->max_pages) {
    state = GW_URL_SKIPPED;
    skip = GW_SKIP_CAP;
    snprintf(why, sizeof why, "max_pages %ld external URLs reached", c->o->max_pages);
  }
  e = add_row(c, url, kind, internal, state, skip, why[0] ? why : NULL, from, depth);
  if (!e)
    return NULL;
  e->cal_depth = (uint16_t)(cal > 65535 ? 65535 : cal);
  if (state == GW_URL_QUEUED) {
    if (internal) {
      c->admitted_internal++;
      if (kind == GW_URL_PAGE)
        gw_traps_note(&c->traps, url);
    } else {
      c->admitted_external++;
    }
  }
  return e;
}

/* ---- jobs ---- */

static struct job *job_new(struct crawler *c, struct gw_front_url *u)
{
  struct job *j = c->free_jobs;
  if (j)
    c->free_jobs = j->next;
  else
    j = gw_calloc(1, sizeof *j);
  memset(j, 0, sizeof *j);
  j->c = c;
  j->u = u;
  j->host = u->host;
  j->cur = gw_strdup(u->url);
  j->head = u->kind == GW_URL_RESOURCE || u->kind == GW_URL_EXTERNAL;
  if (document_wanted(c, u->kind, u->url, NULL))
    j->head = false; /* the content checks read office documents: GET, body kept */
  j->log = json_array();
  return j;
}

/* The owned strings of a job's result row (url and method are borrowed). */
static void res_clear(struct gw_crawl_url *r)
{
  r->url = NULL;
  r->method = NULL;
  gw_crawl_url_clear(r);
}

static void job_free(struct job *j)
{
  struct crawler *c = j->c;
  json_decref(j->chain);
  json_decref(j->log);
  gw_map_free(&j->seen);
  gw_buf_free(&j->body);
  curl_slist_free_all(j->cond);
  curl_slist_free_all(j->req_hdrs);
  free(j->cur);
  free(j->prev_ctype);
  free(j->prev_etag);
  free(j->prev_lm);
  res_clear(&j->res);
  free(j->reused);
  memset(j, 0, sizeof *j);
  j->next = c->free_jobs;
  c->free_jobs = j;
}

/* Queue a job on its current host to start at ready_at. */
static void job_wait(struct crawler *c, struct job *j, int64_t ready_at)
{
  j->ready_at = ready_at;
  j->next = j->host->waiting;
  j->host->waiting = j;
  j->host->n_waiting++;
  c->waiting++;
  gw_frontier_mark_work(&c->f, j->host);
}

/* A waiting job of host h that may start at now (only robots.txt while
 * robots_only), taken off the list. */
static struct job *take_waiting(struct crawler *c, struct gw_host *h, int64_t now, bool robots_only)
{
  struct job **pp = (struct job **)&h->waiting;
  for (struct job *j = *pp; j; pp = &j->next, j = *pp) {
    if (j->ready_at <= now && (!robots_only || j->u->kind == GW_URL_ROBOTS)) {
      *pp = j->next;
      j->next = NULL;
      h->n_waiting--;
      c->waiting--;
      return j;
    }
  }
  return NULL;
}

static int64_t earliest_waiting(const struct gw_host *h)
{
  int64_t t = INT64_MAX;
  for (const struct job *j = h->waiting; j; j = j->next)
    if (j->ready_at < t)
      t = j->ready_at;
  return t;
}

/* ---- mapped_only ---- */

static void parse_rules(struct crawler *c)
{
  for (size_t i = 0; i < c->o->n_connect_to; i++) {
    const char *s = c->o->connect_to[i];
    const char *p = s;
    if (*p == '[') {
      const char *close = strchr(p, ']');
      p = close ? close + 1 : p + strlen(p);
    } else {
      p += strcspn(p, ":");
    }
    struct map_rule r;
    r.host = gw_strndup(s, (size_t)(p - s));
    gw_str_lower(r.host);
    const char *port = *p == ':' ? p + 1 : p;
    r.port = gw_strndup(port, strcspn(port, ":"));
    c->rules = gw_reallocarray(c->rules, c->n_rules + 1, sizeof *c->rules);
    c->rules[c->n_rules++] = r;
  }
}

/* Does a connect_to rule map this request's host and port? */
static bool mapped(const struct crawler *c, const char *url)
{
  struct gw_url_view v;
  if (!gw_url_view(url, &v))
    return false;
  char port[8];
  const char *ap = v.authority + v.host_len;
  if (ap < v.authority + v.authority_len && *ap == ':')
    snprintf(port, sizeof port, "%.*s", (int)(v.authority + v.authority_len - ap - 1), ap + 1);
  else
    snprintf(port, sizeof port, "%s", v.scheme_len == 5 ? "443" : "80");
  for (size_t i = 0; i < c->n_rules; i++) {
    const struct map_rule *r = &c->rules[i];
    bool host_ok = !*r->host || (strlen(r->host) == v.host_len && strncasecmp(r->host, v.host, v.host_len) == 0);
    bool port_ok = !*r->port || strcmp(r->port, port) == 0;
    if (host_ok && port_ok)
      return true;
  }
  return false;
}

/* ---- results ---- */

static bool error_status(long s)
{
  return s == 403 || s == 429 || s >= 500;
}

/* One header of the last response, or NULL. */
static const char *header(CURL *h, const char *name)
{
  struct curl_header *hd = NULL;
  if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) == CURLHE_OK && hd)
    return hd->value;
  return NULL;
}

static void log_try(struct job *j, long status, enum gw_fetch_error e, const char *text, int64_t ms, long retry_after)
{
  json_t *o = json_object();
  json_object_set_new(o, "url", json_string(j->cur));
  json_object_set_new(o, "method", json_string(j->head ? "HEAD" : "GET"));
  json_object_set_new(o, "status", status ? json_integer(status) : json_null());
  json_object_set_new(o, "error", e ? json_string(gw_fetch_error_key(e)) : json_null());
  if (e && text && *text)
    json_object_set_new(o, "error_text", json_string(text));
  json_object_set_new(o, "ms", json_integer(ms));
  if (retry_after >= 0)
    json_object_set_new(o, "retry_after", json_integer(retry_after));
  if (j->hops)
    json_object_set_new(o, "redirects", json_integer(j->hops));
  json_array_append_new(j->log, o);
}

static char *dump(json_t *j)
{
  return json_dumps(j, JSON_COMPACT);
}

/* robots.txt of host h arrived (data: its body; on a 304 the stored one). */
static void robots_done(struct crawler *c, struct gw_host *h, const char *url, const struct gw_crawl_url *row,
                        const char *data, size_t len)
{
  h->robots_state = GW_ROBOTS_DONE;
  h->robots_status = row->http_status;
  gw_robots_free(&h->robots);
  bool ok = (row->http_status >= 200 && row->http_status < 300) || row->http_status == 304;
  if (ok && data)
    gw_robots_parse(data, len, c->agent, &h->robots);
  else
    gw_robots_parse("", 0, c->agent, &h->robots);
  /* RFC 9309 2.3.1.4: an unreachable robots.txt (5xx, network) means
   * complete disallow; a 4xx means no rules. Only --obey-robots acts on it. */
  h->robots_all_disallowed = row->state == GW_URL_FAILED || row->http_status >= 500;
  long delay = gw_robots_delay_ms(&h->robots);
  if (delay > h->interval_ms)
    h->interval_ms = delay;
  json_t *o = json_object();
  json_object_set_new(o, "url", json_string(url));
  json_object_set_new(o, "status", row->http_status ? json_integer(row->http_status) : json_null());
  json_object_set_new(o, "error", row->error ? json_string(gw_fetch_error_key(row->error)) : json_null());
  json_object_set_new(o, "rules", json_integer((json_int_t)h->robots.n_rules));
  json_object_set_new(o, "specific_group", json_boolean(h->robots.specific));
  json_object_set_new(o, "crawl_delay", h->robots.crawl_delay >= 0 ? json_real(h->robots.crawl_delay) : json_null());
  json_object_set_new(o, "crawl_delay_applied_ms", json_integer(delay));
  json_object_set_new(o, "sitemaps", json_integer((json_int_t)h->robots.sitemaps.n));
  json_object_set_new(o, "obeyed", json_boolean(c->o->obey_robots));
  json_object_set_new(o, "all_disallowed", json_boolean(h->robots_all_disallowed));
  json_object_set(c->robots, h->name, o);
  json_decref(o);
}

static void release(struct crawler *c, struct job *j);

/* Admit the links a worker read from page j and record them. */
static void record_links(struct crawler *c, struct job *j, const struct gw_parse_task *t)
{
  bool home = j->u->depth == 0 && j->u->kind == GW_URL_PAGE;
  int seq = 0;
  /* the page's rows go to the store together (gw_store_link_insert_many) */
  struct gw_link_row *rows = t->n_links ? gw_calloc(t->n_links, sizeof *rows) : NULL;
  for (size_t i = 0; i < t->n_links && seq < c->o->links_per_page && !c->fatal; i++) {
    const struct gw_parsed_link *l = &t->links[i];
    struct gw_front_url *to = admit(c, l->url, j->u, l->kind);
    if (!to)
      continue;
    struct gw_link_row *lr = &rows[seq];
    lr->from_id = j->u->id;
    lr->seq = seq++;
    lr->to_id = to->id;
    lr->tag = (char *)gw_link_kind_name(l->kind);
    lr->anchor = l->text;
    lr->hidden = l->hidden;
    lr->line = l->line;
    lr->in_footer = l->in_footer;
    lr->on_homepage = home;
  }
  if (seq && !c->fatal)
    store_ok(c, gw_store_link_insert_many(c->st, rows, (size_t)seq));
  free(rows);
  j->res.links = seq;
}

/* Write a job's outcome (with what a worker read, when t is not NULL):
 * body, links and discovered URLs, the row; then free the job. All in the
 * open batch. */
static void finalize(struct crawler *c, struct job *j, struct gw_parse_task *t)
{
  struct gw_crawl_url *row = &j->res;
  tx_touch(c);
  if (t) {
    if (t->body_ready && !c->fatal)
      store_ok(c, gw_store_body_put_prepared(c->st, &t->body, &row->body_id));
    if (t->parsed) {
      row->parsed = true;
      row->title = t->title;
      row->charset = t->charset;
      row->charset_source = t->charset_source;
      row->notfound_known = true;
      row->notfound = t->notfound;
      t->title = t->charset = t->charset_source = NULL;
      record_links(c, j, t);
    } else if (t->error) {
      gw_warn("crawl: %s: %s", j->u->url, t->error_text);
    }
  } else if (j->keep_body && row->http_status && !row->reused_id && !c->fatal) {
    store_ok(c, gw_store_body_put(c->st, j->body.data ? j->body.data : "", j->body.len, &row->body_id));
  }
  if (j->u->kind == GW_URL_ROBOTS) {
    if (row->reused_id)
      robots_done(c, j->u->host, j->u->url, row, j->reused, j->reused_len);
    else
      robots_done(c, j->u->host, j->u->url, row, j->body.data, j->body.len);
  }
  if (!c->fatal)
    store_ok(c, gw_store_crawl_url_result(c->st, row));
  c->tx_results++;
  c->fetched_run++;
  if (row->state == GW_URL_FAILED || row->error != GW_FE_NONE)
    c->errors_run++;
  j->u->state = (uint8_t)row->state;
  job_free(j);
}

/* The final outcome of a job: fill its row, then hand an HTML page to a
 * worker (compression and the page model) or write at once. Takes the job
 * (releases its handle, frees it in the end). */
static void finish(struct crawler *c, struct job *j, enum gw_url_state state, long status, enum gw_fetch_error err,
                   const char *err_text, const char *ctype, const char *ip, int64_t ms, bool not_modified)
{
  struct gw_crawl_url *row = &j->res;
  memset(row, 0, sizeof *row);
  row->id = j->u->id;
  row->crawl_id = c->crawl.id;
  row->url = (char *)j->u->url;
  row->depth = (int)j->u->depth;
  row->kind = (enum gw_url_kind)j->u->kind;
  row->internal = j->u->internal;
  row->state = state;
  row->attempts = j->requests;
  row->method = (char *)(j->head ? "HEAD" : "GET");
  row->http_status = (int)status;
  row->error = err;
  row->error_text = err_text ? gw_strdup(err_text) : NULL;
  row->redirects = j->hops;
  row->redirect_chain = j->chain ? dump(j->chain) : NULL;
  row->final_url = j->hops ? gw_strdup(j->cur) : NULL;
  const char *ct = not_modified ? j->prev_ctype : ctype;
  row->content_type = ct ? gw_strdup(ct) : NULL;
  row->body_bytes = j->bytes;
  row->body_truncated = j->too_large;
  row->fetched_at = gw_now();
  row->elapsed_ms = (int)(ms > INT32_MAX ? INT32_MAX : ms);
  const char *etag = status && j->h ? header(j->h, "ETag") : NULL;
  const char *lm = status && j->h ? header(j->h, "Last-Modified") : NULL;
  if (not_modified) {
    /* a 304 may leave the validators out: they stay what they were */
    if (!etag)
      etag = j->prev_etag;
    if (!lm)
      lm = j->prev_lm;
  }
  row->etag = etag ? gw_strdup(etag) : NULL;
  row->last_modified = lm ? gw_strdup(lm) : NULL;
  row->ip = ip && *ip ? gw_strdup(ip) : NULL;
  row->ip_family = row->ip ? (strchr(row->ip, ':') ? 6 : 4) : 0;
  row->attempt_log = json_array_size(j->log) > 1 ? dump(j->log) : NULL;
  release(c, j);

  bool ok2xx = (status >= 200 && status < 300) || not_modified;
  const char *final = j->hops ? j->cur : j->u->url;
  bool parse = state == GW_URL_DONE && j->u->kind == GW_URL_PAGE && !j->head && ok2xx && is_html_type(ct) &&
               gw_scope_of(&c->scope, final) == GW_SCOPE_INTERNAL;
  if (not_modified) {
    /* the URL's own stored body stands for the answer */
    row->reused_id = j->prev_row;
    row->body_id = j->prev_body;
    if ((parse || j->u->kind == GW_URL_ROBOTS) && j->prev_body &&
        !store_ok(c, gw_store_body_get(c->st, j->prev_body, &j->reused, &j->reused_len))) {
      job_free(j);
      return;
    }
    row->body_bytes = (int64_t)j->reused_len;
  }
  if (!parse || c->fatal) {
    finalize(c, j, NULL);
    return;
  }
  struct gw_parse_task *t = gw_calloc(1, sizeof *t);
  t->base = gw_strdup(final);
  if (not_modified) {
    t->data = j->reused ? j->reused : gw_strdup("");
    t->len = j->reused ? j->reused_len : 0;
    j->reused = NULL;
  } else {
    t->len = j->body.len;
    t->data = gw_buf_steal(&j->body);
    t->compress = true;
  }
  t->content_type = ct ? gw_strdup(ct) : NULL;
  t->as_of = c->as_of;
  t->max_bytes = c->o->max_body;
  t->max_links = (size_t)c->o->links_per_page;
  t->parse = true;
  t->owner = j;
  c->parsing++;
  gw_parse_pool_submit(c->parser, t);
}

/* Write the pages the workers have finished. Returns how many. */
static size_t take_parsed(struct crawler *c)
{
  size_t n = 0;
  struct gw_parse_task *t;
  while (c->parser && (t = gw_parse_pool_take(c->parser))) {
    c->parsing--;
    finalize(c, t->owner, t);
    gw_parse_task_free(t);
    n++;
  }
  return n;
}

/* ---- transfers ---- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
  struct job *j = ud;
  size_t len = size * n;
  if (!j->checked_type) {
    j->checked_type = true;
    long code = 0;
    char *ct = NULL;
    curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(j->h, CURLINFO_CONTENT_TYPE, &ct);
    bool want = false;
    if (code >= 300 && code < 400) {
      want = false; /* a redirect's body: read and drop */
      j->keep_body = false;
      j->bytes += (int64_t)len;
      return len;
    }
    if (j->u->kind == GW_URL_ROBOTS)
      want = true;
    else if (j->u->kind == GW_URL_PAGE && !j->head)
      want = is_html_type(ct);
    else if (!j->head && code >= 200 && code < 300)
      want = document_wanted(j->c, j->u->kind, j->u->url, ct ? ct : "");
    if (!want) {
      /* the status and headers are all we need: stop here */
      j->type_abort = true;
      j->keep_body = false;
      return 0;
    }
    j->keep_body = true;
  }
  j->bytes += (int64_t)len;
  if (!j->keep_body)
    return len;
  size_t room = j->body.max > j->body.len ? j->body.max - j->body.len : 0;
  if (len > room) {
    gw_buf_append(&j->body, p, room);
    j->too_large = true;
    return 0;
  }
  gw_buf_append(&j->body, p, len);
  return len;
}

static CURL *pool_get(struct crawler *c)
{
  if (c->n_pool)
    return c->pool[--c->n_pool];
  return curl_easy_init();
}

static void pool_put(struct crawler *c, CURL *h)
{
  if (c->n_pool == c->cap_pool) {
    c->cap_pool = c->cap_pool ? c->cap_pool * 2 : 16;
    c->pool = gw_reallocarray(c->pool, c->cap_pool, sizeof *c->pool);
  }
  c->pool[c->n_pool++] = h;
}

static void complete(struct crawler *c, struct job *j, CURLcode cc, int64_t now);

/* Look up the previous crawl's row of this URL for a conditional request. */
static void prepare_conditional(struct crawler *c, struct job *j)
{
  if (!c->crawl.prev_id || j->head || (j->u->kind != GW_URL_PAGE && j->u->kind != GW_URL_ROBOTS))
    return;
  struct gw_crawl_url prev = {0};
  if (gw_store_crawl_url_find(c->st, c->crawl.prev_id, j->u->url, &prev) != GW_OK) {
    gw_err_clear();
    return;
  }
  if (prev.state == GW_URL_DONE && prev.body_id && prev.redirects == 0 &&
      (prev.http_status == 200 || prev.http_status == 304) && (prev.etag || prev.last_modified)) {
    char line[1200];
    if (prev.etag) {
      snprintf(line, sizeof line, "If-None-Match: %s", prev.etag);
      j->cond = curl_slist_append(j->cond, line);
    }
    if (prev.last_modified) {
      snprintf(line, sizeof line, "If-Modified-Since: %s", prev.last_modified);
      j->cond = curl_slist_append(j->cond, line);
    }
    j->conditional = true;
    j->prev_row = prev.id;
    j->prev_body = prev.body_id;
    j->prev_ctype = prev.content_type ? gw_strdup(prev.content_type) : NULL;
    j->prev_etag = prev.etag ? gw_strdup(prev.etag) : NULL;
    j->prev_lm = prev.last_modified ? gw_strdup(prev.last_modified) : NULL;
  }
  gw_crawl_url_clear(&prev);
}

static void release(struct crawler *c, struct job *j)
{
  if (j->h) {
    pool_put(c, j->h);
    j->h = NULL;
  }
  curl_slist_free_all(j->req_hdrs);
  j->req_hdrs = NULL;
}

static void start(struct crawler *c, struct job *j, int64_t now)
{
  if (c->o->mapped_only && !mapped(c, j->cur)) {
    /* no look-up at all: the host is outside the mapped world */
    j->hop_tries++;
    j->requests++;
    char text[300];
    snprintf(text, sizeof text, "host of %.200s is not mapped by network.connect_to (network.mapped_only)", j->cur);
    log_try(j, 0, GW_FE_DNS, text, 0, -1);
    finish(c, j, GW_URL_FAILED, 0, GW_FE_DNS, text, NULL, NULL, 0, false);
    return;
  }
  CURL *h = pool_get(c);
  if (!h) {
    store_ok(c, gw_err_set(GW_ENOMEM, "crawl: cannot create a libcurl handle"));
    job_free(j);
    return;
  }
  j->hop_tries++;
  if (j->requests++ == 0)
    prepare_conditional(c, j);
  curl_easy_reset(h);
  j->h = h;
  gw_buf_free(&j->body);
  gw_buf_init(&j->body, c->o->max_body);
  j->keep_body = false;
  j->checked_type = false;
  j->type_abort = false;
  j->too_large = false;
  j->bytes = 0;
  j->err[0] = '\0';
  j->started_ms = now;
  struct curl_slist *hdrs = NULL;
  hdrs = curl_slist_append(hdrs, "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
  hdrs = curl_slist_append(hdrs, "Accept-Language: zh-CN,zh;q=0.9,en;q=0.5");
  /* validators belong to the URL itself, not to where it redirects */
  if (j->conditional && j->hops == 0)
    for (struct curl_slist *s = j->cond; s; s = s->next)
      hdrs = curl_slist_append(hdrs, s->data);
  j->req_hdrs = hdrs;
  curl_easy_setopt(h, CURLOPT_URL, j->cur);
  curl_easy_setopt(h, CURLOPT_PRIVATE, j);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOBODY, j->head ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, c->o->user_agent);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->o->connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->o->timeout_ms);
  curl_easy_setopt(h, CURLOPT_IPRESOLVE, c->o->ip_version == 4   ? (long)CURL_IPRESOLVE_V4
                                         : c->o->ip_version == 6 ? (long)CURL_IPRESOLVE_V6
                                                                 : (long)CURL_IPRESOLVE_WHATEVER);
  if (c->connect_to)
    curl_easy_setopt(h, CURLOPT_CONNECT_TO, c->connect_to);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, j);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, j->err);
  gw_host_started(j->host, now);
  c->active++;
  j->aprev = NULL;
  j->anext = c->running;
  if (c->running)
    c->running->aprev = j;
  c->running = j;
  CURLMcode mc = curl_multi_add_handle(c->multi, h);
  if (mc != CURLM_OK) {
    snprintf(j->err, sizeof j->err, "%s", curl_multi_strerror(mc));
    complete(c, j, CURLE_FAILED_INIT, now);
  }
}

static void record_pause(struct crawler *c, struct gw_host *h, long ms, long status, enum gw_fetch_error e)
{
  json_t *o = json_object();
  json_object_set_new(o, "host", json_string(h->name));
  json_object_set_new(o, "ms", json_integer(ms));
  json_object_set_new(o, "after_fetched", json_integer(c->fetched_run));
  if (status)
    json_object_set_new(o, "last_status", json_integer(status));
  else
    json_object_set_new(o, "last_error", json_string(gw_fetch_error_key(e)));
  json_array_append_new(c->pauses, o);
  gw_info("crawl: %s answers errors in bulk; pausing it for %ld ms", h->name, ms);
}

/* Try the current hop again after `delay` ms (a redirect chain keeps the
 * hops it has made: one flaky hop does not cost the others). */
static void retry(struct crawler *c, struct job *j, int64_t now, long delay)
{
  release(c, j);
  job_wait(c, j, now + delay);
}

static void fail_redirect(struct crawler *c, struct job *j, long status, enum gw_fetch_error e, const char *text,
                          const char *ct, const char *ip, int64_t ms)
{
  log_try(j, status, e, text, ms, -1);
  finish(c, j, GW_URL_FAILED, status, e, text, ct, ip, ms, false);
}

/* A redirect answer: record the hop and queue the next one. */
static void follow(struct crawler *c, struct job *j, long status, const char *ct, const char *ip, int64_t ms,
                   int64_t now)
{
  const char *loc = header(j->h, "Location");
  json_t *hop = json_object();
  json_object_set_new(hop, "url", json_string(j->cur));
  json_object_set_new(hop, "status", json_integer(status));
  json_object_set_new(hop, "location", loc ? json_string(loc) : json_null());
  if (!j->chain)
    j->chain = json_array();
  json_array_append_new(j->chain, hop);
  j->hops++;
  char text[700];
  if (!loc || !*loc) {
    snprintf(text, sizeof text, "%ld answer without a Location header", status);
    fail_redirect(c, j, status, GW_FE_BAD_REDIRECT, text, ct, ip, ms);
    return;
  }
  char *next = NULL;
  if (gw_url_normalize(j->cur, loc, &next) != GW_OK) {
    snprintf(text, sizeof text, "redirect to an unusable Location: %s", gw_err_msg());
    gw_err_clear();
    fail_redirect(c, j, status, GW_FE_BAD_REDIRECT, text, ct, ip, ms);
    return;
  }
  gw_map_put(&j->seen, j->cur, NULL);
  if (gw_map_has(&j->seen, next)) {
    snprintf(text, sizeof text, "redirect loop: %.600s comes back", next);
    free(j->cur);
    j->cur = next;
    fail_redirect(c, j, status, GW_FE_REDIRECT_LOOP, text, ct, ip, ms);
    return;
  }
  if (j->hops > GW_CRAWL_MAX_REDIRECTS) {
    snprintf(text, sizeof text, "more than %d redirects", GW_CRAWL_MAX_REDIRECTS);
    free(j->cur);
    j->cur = next;
    fail_redirect(c, j, status, GW_FE_TOO_MANY_REDIRECTS, text, ct, ip, ms);
    return;
  }
  release(c, j);
  free(j->cur);
  j->cur = next;
  j->hop_tries = 0; /* each hop has its own retry budget */
  struct gw_url_view v;
  if (!gw_url_view(next, &v)) {
    fail_redirect(c, j, status, GW_FE_BAD_REDIRECT, "redirect to an unusable URL", ct, ip, ms);
    return;
  }
  char *auth = gw_strndup(v.authority, v.authority_len);
  j->host = gw_frontier_host(&c->f, auth, gw_scope_of(&c->scope, next) == GW_SCOPE_INTERNAL);
  free(auth);
  job_wait(c, j, now);
}

static void complete(struct crawler *c, struct job *j, CURLcode cc, int64_t now)
{
  CURL *h = j->h;
  long status = 0;
  char *ctp = NULL, *ipp = NULL;
  curl_off_t tt = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctp);
  curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ipp);
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &tt);
  char ct[256], ip[64];
  snprintf(ct, sizeof ct, "%s", ctp ? ctp : "");
  snprintf(ip, sizeof ip, "%s", ipp ? ipp : "");
  int64_t ms = (int64_t)(tt / 1000);
  gw_host_finished(j->host);
  c->active--;
  if (j->aprev)
    j->aprev->anext = j->anext;
  else
    c->running = j->anext;
  if (j->anext)
    j->anext->aprev = j->aprev;
  j->aprev = j->anext = NULL;

  bool ours = cc == CURLE_WRITE_ERROR && (j->type_abort || j->too_large);
  enum gw_fetch_error e = (cc == CURLE_OK || ours) ? GW_FE_NONE : gw_fetch_error_from_curl(cc);
  char text[CURL_ERROR_SIZE + 64];
  snprintf(text, sizeof text, "%s", j->err[0] ? j->err : curl_easy_strerror(cc));
  const char *ctype = ct[0] ? ct : NULL;

  if (e != GW_FE_NONE) {
    if (gw_fetch_error_transient(e)) {
      long pause = gw_host_note(&c->f, j->host, true, now);
      if (pause)
        record_pause(c, j->host, pause, 0, e);
    }
    if (j->head && !j->get_fallback && (e == GW_FE_RESET || e == GW_FE_PROTOCOL || e == GW_FE_OTHER)) {
      /* some servers cannot answer HEAD; ask with GET at once */
      log_try(j, status, e, text, ms, -1);
      j->head = false;
      j->get_fallback = true;
      retry(c, j, now, 0);
      return;
    }
    if (gw_fetch_error_transient(e) && j->hop_tries < c->o->attempts) {
      log_try(j, status, e, text, ms, -1);
      retry(c, j, now, gw_backoff_ms(j->hop_tries, c->o->retry_base_ms, next_rand(c)));
      return;
    }
    log_try(j, status, e, text, ms, -1);
    finish(c, j, GW_URL_FAILED, status, e, text, ctype, ip, ms, false);
    return;
  }

  long ra = -1;
  const char *rav = header(h, "Retry-After");
  if (rav && !gw_retry_after_parse(rav, gw_now(), &ra))
    ra = -1;
  long pause = gw_host_note(&c->f, j->host, error_status(status), now);
  if (pause)
    record_pause(c, j->host, pause, status, GW_FE_NONE);

  if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
    follow(c, j, status, ctype, ip, ms, now);
    return;
  }
  if (status == 304 && j->conditional && j->hops == 0) {
    log_try(j, status, GW_FE_NONE, NULL, ms, -1);
    finish(c, j, GW_URL_DONE, status, GW_FE_NONE, NULL, ctype, ip, ms, true);
    return;
  }
  if (j->head && !j->get_fallback && status >= 400 && status != 404 && status != 410 && !gw_fetch_status_transient(status)) {
    /* 405, 501 and other refusals of HEAD: the GET answer decides */
    log_try(j, status, GW_FE_NONE, NULL, ms, -1);
    j->head = false;
    j->get_fallback = true;
    retry(c, j, now, 0);
    return;
  }
  if (gw_fetch_status_transient(status) && j->hop_tries < c->o->attempts) {
    long delay = gw_backoff_ms(j->hop_tries, c->o->retry_base_ms, next_rand(c));
    if (ra >= 0) {
      /* Retry-After speaks for the whole server */
      gw_host_delay(j->u->host, now, ra * 1000);
      if (ra * 1000 > delay)
        delay = ra * 1000;
    }
    log_try(j, status, GW_FE_NONE, NULL, ms, ra);
    retry(c, j, now, delay);
    return;
  }
  enum gw_fetch_error fe = GW_FE_NONE;
  if (j->too_large)
    fe = GW_FE_TOO_LARGE;
  else if (status == 403 || status == 429)
    fe = GW_FE_BLOCKED;
  else if (status >= 400)
    fe = GW_FE_HTTP;
  else if (status < 200)
    fe = GW_FE_PROTOCOL;
  const char *why = NULL;
  char buf[160];
  if (fe == GW_FE_TOO_LARGE) {
    snprintf(buf, sizeof buf, "body larger than %zu bytes; kept cut at the cap", c->o->max_body);
    why = buf;
  } else if (fe == GW_FE_HTTP || fe == GW_FE_BLOCKED) {
    snprintf(buf, sizeof buf, "HTTP %ld", status);
    why = buf;
  }
  log_try(j, status, fe, why, ms, ra);
  finish(c, j, GW_URL_DONE, status, fe, why, ctype, ip, ms, false);
}

/* ---- scheduling ---- */

static bool stopped(const struct crawler *c)
{
  return c->o->stop && *c->o->stop;
}

/* May host h start anything (robots.txt goes first on internal hosts)? */
static bool robots_gate_open(const struct gw_host *h)
{
  if (!(h->internal && h->robots_state == GW_ROBOTS_PENDING) || (h->qhead && h->qhead->kind == GW_URL_ROBOTS))
    return true;
  for (const struct job *j = h->waiting; j; j = j->next)
    if (j->u->kind == GW_URL_ROBOTS)
      return true; /* robots.txt itself waits for a retry */
  return false;
}

static void skip_robots(struct crawler *c, struct gw_front_url *u, const struct gw_host *h)
{
  tx_touch(c);
  const char *why = h->robots_all_disallowed ? "robots.txt unreachable: all disallowed" : "disallowed by robots.txt";
  if (store_ok(c, c->fatal))
    store_ok(c, gw_store_crawl_url_skip(c->st, u->id, GW_SKIP_ROBOTS, why));
  u->state = GW_URL_SKIPPED;
  c->tx_results++;
}

static void dispatch(struct crawler *c, int64_t now)
{
  if (c->parsing >= c->parse_limit)
    return; /* the workers are behind: bodies would pile up in memory */
  size_t n = c->f.n_work;
  for (size_t k = 0; k < n && c->active < c->o->concurrency && !c->fatal; k++) {
    struct gw_host *h = c->f.work[(c->rr + k) % n];
    while (c->active < c->o->concurrency && !c->fatal && gw_host_can_start(&c->f, h, now) && robots_gate_open(h)) {
      struct job *j = take_waiting(c, h, now, h->internal && h->robots_state == GW_ROBOTS_PENDING);
      if (!j) {
        struct gw_front_url *u = gw_frontier_pop(&c->f, h);
        if (!u)
          break;
        if (u->internal && u->kind != GW_URL_ROBOTS && h->robots_state == GW_ROBOTS_DONE) {
          struct gw_url_view v;
          bool allowed = !h->robots_all_disallowed && gw_url_view(u->url, &v) && gw_robots_allowed(&h->robots, v.path);
          if (!allowed && c->o->obey_robots) {
            skip_robots(c, u, h);
            continue;
          }
          if (!allowed) {
            uintptr_t cnt = (uintptr_t)gw_map_get(&c->disallowed_fetched, h->name);
            gw_map_put(&c->disallowed_fetched, h->name, (void *)(cnt + 1));
          }
        }
        j = job_new(c, u);
      }
      start(c, j, now);
    }
  }
  c->rr++;
}

/* Milliseconds until something could start, at most POLL_MAX_MS. */
static long wake_ms(struct crawler *c, int64_t now)
{
  if (c->active >= c->o->concurrency || c->parsing >= c->parse_limit)
    return POLL_MAX_MS; /* a transfer or a worker wakes the poll */
  int64_t best = INT64_MAX;
  for (size_t i = 0; i < c->f.n_work; i++) {
    struct gw_host *h = c->f.work[i];
    if (h->active >= c->f.per_host || !robots_gate_open(h))
      continue;
    int64_t ready = gw_host_ready_at(h);
    if (h->qlen && ready < best)
      best = ready;
    if (h->n_waiting) {
      int64_t w = earliest_waiting(h);
      if (w < ready)
        w = ready;
      if (w < best)
        best = w;
    }
  }
  if (best == INT64_MAX)
    return POLL_MAX_MS;
  int64_t d = best - now;
  return d < 0 ? 0 : d > POLL_MAX_MS ? POLL_MAX_MS : (long)d;
}

static void progress(struct crawler *c, int64_t now, bool force)
{
  if (!c->o->progress || (!force && now - c->last_progress < PROGRESS_MS))
    return;
  c->last_progress = now;
  struct gw_crawl_progress p;
  p.fetched = c->fetched_run;
  p.queued = (int64_t)(c->f.queued + c->waiting + c->parsing);
  p.in_flight = c->active;
  p.errors = c->errors_run;
  p.elapsed_s = (double)(now - c->t0) / 1000.0;
  p.rate = p.elapsed_s > 0 ? (double)p.fetched / p.elapsed_s : 0;
  c->o->progress(c->o->progress_ctx, &p);
}

/* Drop every transfer and waiting job (stop or store failure): their rows
 * stay queued, so the next run fetches them. */
static void drop_all(struct crawler *c)
{
  if (c->parser) {
    gw_parse_pool_drain(c->parser);
    struct gw_parse_task *t;
    while ((t = gw_parse_pool_take(c->parser))) {
      struct job *j = t->owner;
      j->u->state = GW_URL_QUEUED;
      job_free(j);
      gw_parse_task_free(t);
    }
    c->parsing = 0;
  }
  while (c->running) {
    struct job *j = c->running;
    c->running = j->anext;
    curl_multi_remove_handle(c->multi, j->h);
    gw_host_finished(j->host);
    c->active--;
    j->u->state = GW_URL_QUEUED;
    release(c, j);
    job_free(j);
  }
  for (size_t i = 0; i < c->f.n_work; i++) {
    struct gw_host *h = c->f.work[i];
    struct job *j = h->waiting;
    while (j) {
      struct job *next = j->next;
      job_free(j);
      j = next;
    }
    h->waiting = NULL;
    h->n_waiting = 0;
  }
  c->waiting = 0;
}

static void loop(struct crawler *c)
{
  for (;;) {
    int64_t now = mono_ms();
    if (stopped(c) || c->fatal)
      break;
    dispatch(c, now);
    if (c->fatal)
      break;
    if (c->active == 0 && c->f.queued == 0 && c->waiting == 0 && c->parsing == 0)
      break;
    int running = 0;
    curl_multi_perform(c->multi, &running);
    int left = 0, done = 0;
    CURLMsg *m;
    while ((m = curl_multi_info_read(c->multi, &left))) {
      if (m->msg != CURLMSG_DONE)
        continue;
      CURL *h = m->easy_handle;
      CURLcode cc = m->data.result;
      struct job *j = NULL;
      curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&j);
      curl_multi_remove_handle(c->multi, h);
      if (j)
        complete(c, j, cc, mono_ms());
      done++;
    }
    done += (int)take_parsed(c);
    now = mono_ms();
    if (c->in_tx && (c->tx_results >= c->o->batch_urls || now - c->tx_started >= c->o->batch_ms))
      tx_commit(c);
    progress(c, now, false);
    if (!done)
      curl_multi_poll(c->multi, NULL, 0, (int)wake_ms(c, now), NULL);
    if (c->f.n_work > 64)
      gw_frontier_compact(&c->f);
  }
}

/* ---- resume ---- */

struct loaded {
  int64_t id;
  struct gw_front_url *e;
};

struct load_ctx {
  struct crawler *c;
  struct loaded *v;
  size_t n, cap;
  struct gw_strv robots_urls; /* robots rows to apply after the walk */
};

static struct gw_front_url *loaded_find(const struct load_ctx *l, int64_t id)
{
  size_t lo = 0, hi = l->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (l->v[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < l->n && l->v[lo].id == id ? l->v[lo].e : NULL;
}

static int load_row(void *ctx, const struct gw_crawl_url *r)
{
  struct load_ctx *l = ctx;
  struct crawler *c = l->c;
  bool robots_queued = r->kind == GW_URL_ROBOTS && r->state == GW_URL_QUEUED;
  /* robots.txt rows are put first on their host after the walk */
  uint8_t state = robots_queued ? GW_URL_SKIPPED : (uint8_t)r->state;
  struct gw_front_url *e = gw_frontier_add(&c->f, r->url, r->id, (uint8_t)r->kind, state, r->internal, (uint32_t)r->depth);
  if (!e)
    return gw_err_set(GW_EDB, "crawl %lld: stored URL '%s' is not a normalised URL", (long long)c->crawl.id, r->url);
  if (robots_queued)
    e->state = GW_URL_QUEUED;
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 1024;
    l->v = gw_reallocarray(l->v, l->cap, sizeof *l->v);
  }
  l->v[l->n].id = r->id;
  l->v[l->n].e = e;
  l->n++;
  if (r->kind == GW_URL_ROBOTS) {
    gw_strv_push(&l->robots_urls, r->url);
    e->host->robots_state = GW_ROBOTS_PENDING;
  }
  if (r->state != GW_URL_SKIPPED) {
    if (r->kind == GW_URL_PAGE && r->internal) {
      struct gw_front_url *from = r->from_id ? loaded_find(l, r->from_id) : NULL;
      if (from && gw_url_calendar_step(from->url, r->url))
        e->cal_depth = (uint16_t)(from->cal_depth < 65535 ? from->cal_depth + 1 : 65535);
      gw_traps_note(&c->traps, r->url);
    }
    if (r->kind == GW_URL_PAGE || r->kind == GW_URL_RESOURCE) {
      if (r->internal)
        c->admitted_internal++;
      else
        c->admitted_external++;
    } else if (r->kind == GW_URL_EXTERNAL) {
      c->admitted_external++;
    }
  }
  return 0;
}

/* Apply a finished robots.txt row of a resumed crawl to its host. */
static int reload_robots(struct crawler *c, const char *url)
{
  struct gw_crawl_url row = {0};
  int rc = gw_store_crawl_url_find(c->st, c->crawl.id, url, &row);
  if (rc)
    return rc;
  struct gw_front_url *e = gw_frontier_find(&c->f, url);
  if (!e) {
    gw_crawl_url_clear(&row);
    return GW_OK;
  }
  if (row.state == GW_URL_QUEUED) {
    gw_frontier_push_front(&c->f, e);
    e->host->robots_state = GW_ROBOTS_PENDING;
    gw_crawl_url_clear(&row);
    return GW_OK;
  }
  char *data = NULL;
  size_t len = 0;
  if (row.body_id && (rc = gw_store_body_get(c->st, row.body_id, &data, &len)) != GW_OK) {
    gw_crawl_url_clear(&row);
    return rc;
  }
  robots_done(c, e->host, e->url, &row, data, len);
  free(data);
  gw_crawl_url_clear(&row);
  return GW_OK;
}

static int resume(struct crawler *c)
{
  struct load_ctx l;
  memset(&l, 0, sizeof l);
  l.c = c;
  int rc = gw_store_crawl_url_each(c->st, c->crawl.id, 0, load_row, &l);
  for (size_t i = 0; rc == GW_OK && i < l.robots_urls.n; i++)
    rc = reload_robots(c, l.robots_urls.v[i]);
  free(l.v);
  gw_strv_free(&l.robots_urls);
  return rc;
}

/* ---- summary ---- */

struct trap_walk {
  json_t *list;
  size_t n;
};

static int collect_trap(void *ctx, const struct gw_crawl_url *u)
{
  struct trap_walk *w = ctx;
  if (u->skip != GW_SKIP_TRAP)
    return 0;
  if (w->n++ < SUMMARY_TRAPS) {
    json_t *o = json_object();
    json_object_set_new(o, "url", json_string(u->url));
    json_object_set_new(o, "rule", json_string(u->skip_detail ? u->skip_detail : ""));
    json_array_append_new(w->list, o);
  }
  return 0;
}

static json_t *jtime(int64_t t)
{
  char buf[40];
  return t ? json_string(gw_time_format_iso(t, buf, sizeof buf)) : json_null();
}

static json_t *options_json(const struct crawler *c)
{
  const struct gw_crawl_opts *o = c->o;
  json_t *j = json_object();
  json_object_set_new(j, "max_pages", json_integer(o->max_pages));
  json_object_set_new(j, "max_depth", json_integer(o->max_depth));
  json_object_set_new(j, "calendar_depth", json_integer(o->calendar_depth));
  json_object_set_new(j, "query_variants", json_integer(o->query_variants));
  json_object_set_new(j, "links_per_page", json_integer(o->links_per_page));
  json_object_set_new(j, "obey_robots", json_boolean(o->obey_robots));
  json_object_set_new(j, "keep_documents", json_boolean(o->keep_documents));
  json_object_set_new(j, "concurrency", json_integer(o->concurrency));
  json_object_set_new(j, "per_host", json_integer(o->per_host));
  json_object_set_new(j, "interval_ms", json_integer(o->interval_ms));
  json_object_set_new(j, "timeout_ms", json_integer(o->timeout_ms));
  json_object_set_new(j, "connect_timeout_ms", json_integer(o->connect_timeout_ms));
  json_object_set_new(j, "attempts", json_integer(o->attempts));
  json_object_set_new(j, "max_body", json_integer((json_int_t)o->max_body));
  json_object_set_new(j, "ip_version", o->ip_version ? json_integer(o->ip_version) : json_null());
  json_object_set_new(j, "user_agent", json_string(o->user_agent));
  json_object_set_new(j, "parse_threads", json_integer(o->parse_threads));
  json_t *al = json_array();
  for (size_t i = 0; i < c->scope.n_hosts; i++)
    json_array_append_new(al, json_string(c->scope.hosts[i]));
  json_object_set_new(j, "hosts", al);
  json_object_set_new(j, "path_prefix", json_string(c->scope.prefix));
  return j;
}

static json_t *counts(const int64_t *v, size_t n, const char *(*key)(int), size_t first)
{
  json_t *o = json_object();
  for (size_t i = first; i < n; i++)
    if (v[i])
      json_object_set_new(o, key((int)i), json_integer(v[i]));
  return o;
}

static const char *err_key(int e)
{
  return gw_fetch_error_key((enum gw_fetch_error)e);
}

static const char *skip_key(int r)
{
  return gw_skip_reason_key((enum gw_skip_reason)r);
}

static int summarize(struct crawler *c, const struct gw_crawl_stats *s, double seconds, char **out)
{
  struct trap_walk tw = {json_array(), 0};
  int rc = gw_store_crawl_url_each(c->st, c->crawl.id, GW_URL_SKIPPED, collect_trap, &tw);
  if (rc) {
    json_decref(tw.list);
    return rc;
  }
  json_t *j = json_object();
  json_t *site = json_object();
  json_object_set_new(site, "id", json_integer(c->site->id));
  json_object_set_new(site, "name", json_string(c->site->name));
  json_object_set_new(site, "url", json_string(c->site->url));
  json_object_set_new(site, "code", c->site->code ? json_string(c->site->code) : json_null());
  json_object_set_new(j, "site", site);
  json_object_set_new(j, "crawl_id", json_integer(c->crawl.id));
  json_object_set_new(j, "state", json_string(gw_crawl_state_key(c->crawl.state)));
  json_object_set_new(j, "resumed", json_boolean(c->resumed));
  json_object_set_new(j, "runs", json_integer(c->crawl.runs));
  json_object_set_new(j, "prev_crawl_id", c->crawl.prev_id ? json_integer(c->crawl.prev_id) : json_null());
  json_object_set_new(j, "as_of", jtime(c->crawl.as_of));
  json_object_set_new(j, "started_at", jtime(c->crawl.started_at));
  json_object_set_new(j, "finished_at", jtime(c->crawl.finished_at));
  json_t *run = json_object();
  json_object_set_new(run, "seconds", json_real(seconds));
  json_object_set_new(run, "fetched", json_integer(c->fetched_run));
  json_object_set_new(run, "per_second", json_real(seconds > 0 ? (double)c->fetched_run / seconds : 0));
  json_object_set_new(j, "run", run);
  json_object_set_new(j, "pages", json_integer(s->pages_ok));
  json_object_set_new(j, "urls", json_integer(s->urls));
  json_object_set_new(j, "internal_urls", json_integer(s->internal));
  json_object_set_new(j, "external_urls", json_integer(s->external));
  json_object_set_new(j, "fetched", json_integer(s->fetched));
  json_object_set_new(j, "parsed", json_integer(s->parsed));
  json_object_set_new(j, "queued", json_integer(s->by_state[GW_URL_QUEUED]));
  json_object_set_new(j, "not_modified", json_integer(s->not_modified));
  json_object_set_new(j, "redirected", json_integer(s->redirected));
  json_object_set_new(j, "bytes", json_integer(s->body_bytes));
  json_object_set_new(j, "status_4xx", json_integer(s->status_4xx));
  json_object_set_new(j, "status_5xx", json_integer(s->status_5xx));
  json_t *links = json_object();
  json_object_set_new(links, "total", json_integer(s->links));
  json_object_set_new(links, "internal", json_integer(s->links_internal));
  json_object_set_new(links, "external", json_integer(s->links_external));
  json_object_set_new(j, "links", links);
  json_object_set_new(j, "failures", counts(s->by_error, GW_FE_COUNT_, err_key, 1));
  json_object_set_new(j, "skipped", counts(s->by_skip, GW_SKIP_COUNT_, skip_key, 1));
  json_object_set_new(j, "traps", tw.list);
  json_t *robots = json_deep_copy(c->robots);
  const char *host;
  json_t *v;
  json_object_foreach(robots, host, v) {
    uintptr_t n = (uintptr_t)gw_map_get(&c->disallowed_fetched, host);
    json_object_set_new(v, "disallowed_fetched", json_integer((json_int_t)n));
  }
  json_object_set_new(j, "robots", robots);
  json_object_set(j, "host_pauses", c->pauses);
  json_object_set_new(j, "options", options_json(c));
  *out = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
  json_decref(j);
  return *out ? GW_OK : gw_err_set(GW_ENOMEM, "crawl: cannot write the summary");
}

/* ---- entry ---- */

/* A worker finished a page: wake the loop's curl_multi_poll. */
static void wake_loop(void *multi)
{
  curl_multi_wakeup(multi);
}

void gw_crawl_opts_default(struct gw_crawl_opts *o)
{
  struct gw_config cfg;
  gw_config_defaults(&cfg);
  memset(o, 0, sizeof *o);
  gw_crawl_opts_from_config(o, &cfg);
  o->user_agent = "GovWatch/0.1 (government website inspection)"; /* cfg's copy is freed below */
  gw_config_clear(&cfg);
  o->connect_to = NULL;
  o->n_connect_to = 0;
  o->alias_hosts = o->alias_names = NULL;
  o->n_aliases = 0;
}

void gw_crawl_opts_from_config(struct gw_crawl_opts *o, const struct gw_config *cfg)
{
  memset(o, 0, sizeof *o); /* every field not taken from cfg starts at its zero default */
  o->user_agent = cfg->user_agent;
  o->connect_to = cfg->connect_to.v;
  o->n_connect_to = cfg->connect_to.n;
  o->mapped_only = cfg->mapped_only;
  o->timeout_ms = cfg->timeout_s * 1000;
  o->connect_timeout_ms = cfg->connect_timeout_s * 1000;
  o->concurrency = (int)cfg->concurrency;
  o->per_host = (int)cfg->per_host;
  o->interval_ms = cfg->interval_ms;
  o->attempts = (int)cfg->attempts;
  o->retry_base_ms = cfg->retry_base_ms;
  o->host_pause_ms = cfg->host_pause_ms;
  o->max_body = (size_t)cfg->max_body;
  o->max_pages = cfg->max_pages;
  o->max_depth = cfg->max_depth;
  o->calendar_depth = cfg->calendar_depth;
  o->query_variants = cfg->query_variants;
  o->links_per_page = cfg->links_per_page;
  o->obey_robots = cfg->obey_robots;
  o->keep_documents = cfg->keep_documents;
  o->parse_threads = (int)cfg->parse_threads;
  o->alias_hosts = cfg->alias_hosts.v;
  o->alias_names = cfg->alias_names.v;
  o->n_aliases = cfg->alias_hosts.n < cfg->alias_names.n ? cfg->alias_hosts.n : cfg->alias_names.n;
  if (!o->batch_urls)
    o->batch_urls = 200;
  if (!o->batch_ms)
    o->batch_ms = 1000;
}

void gw_crawl_report_clear(struct gw_crawl_report *r)
{
  free(r->summary);
  memset(r, 0, sizeof *r);
}

static int check_opts(const struct gw_crawl_opts *o)
{
  if (!o->user_agent || !*o->user_agent)
    return gw_err_set(GW_EINVAL, "crawl: no User-Agent given");
  if (o->concurrency < 1 || o->per_host < 1 || o->attempts < 1 || o->timeout_ms < 1 || o->connect_timeout_ms < 1 ||
      o->max_body < 1024 || o->max_pages < 1 || o->links_per_page < 1 || o->interval_ms < 0 || o->max_depth < 0 ||
      o->retry_base_ms < 1 || o->host_pause_ms < 0 || o->batch_urls < 1 || o->batch_ms < 1 ||
      o->parse_threads < 0 || o->parse_threads > 64)
    return gw_err_set(GW_EINVAL, "crawl: a limit is out of range (concurrency %d, per host %d, attempts %d, "
                                 "timeout %ld ms, max body %zu, max pages %ld)",
                      o->concurrency, o->per_host, o->attempts, o->timeout_ms, o->max_body, o->max_pages);
  if (o->ip_version != 0 && o->ip_version != 4 && o->ip_version != 6)
    return gw_err_set(GW_EINVAL, "crawl: IP version %d is neither 4 nor 6", o->ip_version);
  return GW_OK;
}

/* The aliases configured for the site's host (or its www twin). */
static int init_scope(struct crawler *c)
{
  char host[300];
  char *norm = NULL;
  int rc = gw_url_normalize(NULL, c->site->url, &norm);
  if (rc)
    return gw_err_prefix(rc, "site '%s'", c->site->name);
  bool ok = gw_url_host(norm, host, sizeof host);
  free(norm);
  if (!ok)
    return gw_err_set(GW_EINVAL, "site '%s': cannot read the host of '%s'", c->site->name, c->site->url);
  const char **al = gw_calloc(c->o->n_aliases + 1, sizeof *al);
  size_t n = 0;
  const char *bare = gw_str_starts(host, "www.") ? host + 4 : host;
  for (size_t i = 0; i < c->o->n_aliases; i++) {
    const char *h = c->o->alias_hosts[i];
    const char *hb = gw_str_starts(h, "www.") ? h + 4 : h;
    if (gw_str_ieq(hb, bare))
      al[n++] = c->o->alias_names[i];
  }
  rc = gw_scope_init(&c->scope, c->site->url, al, n);
  free(al);
  if (rc)
    return gw_err_prefix(rc, "site '%s'", c->site->name);
  return GW_OK;
}

static int open_crawl(struct crawler *c)
{
  struct gw_crawl last = {0};
  int rc = gw_store_crawl_last(c->st, c->site->id, false, &last);
  if (rc && rc != GW_ENOTFOUND)
    return rc;
  gw_err_clear();
  bool have = rc == GW_OK;
  if (have && last.state != GW_CRAWL_DONE && !c->o->fresh) {
    c->crawl = last;
    c->resumed = true;
    c->crawl.state = GW_CRAWL_RUNNING;
    c->crawl.finished_at = 0;
    c->crawl.runs++;
    c->as_of = c->crawl.as_of;
    if ((rc = gw_store_crawl_update(c->st, &c->crawl)) != GW_OK)
      return rc;
    return resume(c);
  }
  if (have && last.state == GW_CRAWL_RUNNING) {
    /* --new over an unfinished crawl: that one is abandoned */
    last.state = GW_CRAWL_INTERRUPTED;
    last.finished_at = gw_now();
    rc = gw_store_crawl_update(c->st, &last);
    if (rc) {
      gw_crawl_clear(&last);
      return rc;
    }
  }
  gw_crawl_clear(&last);
  struct gw_crawl prev = {0};
  int64_t prev_id = 0;
  rc = gw_store_crawl_last(c->st, c->site->id, true, &prev);
  if (rc == GW_OK)
    prev_id = prev.id;
  else if (rc != GW_ENOTFOUND)
    return rc;
  gw_err_clear();
  gw_crawl_clear(&prev);

  json_t *oj = options_json(c);
  char *opts = json_dumps(oj, JSON_SORT_KEYS | JSON_COMPACT);
  json_decref(oj);
  c->crawl.site_id = c->site->id;
  c->crawl.state = GW_CRAWL_RUNNING;
  c->crawl.started_at = gw_now();
  c->crawl.as_of = c->as_of;
  c->crawl.prev_id = prev_id;
  c->crawl.runs = 1;
  c->crawl.options = opts;
  tx_touch(c);
  if (c->fatal)
    return c->fatal;
  if ((rc = gw_store_crawl_insert(c->st, &c->crawl)) != GW_OK) {
    gw_store_rollback(c->st);
    c->in_tx = false;
    return rc;
  }
  char *home = NULL;
  if ((rc = gw_url_normalize(NULL, c->site->url, &home)) != GW_OK) {
    gw_store_rollback(c->st);
    c->in_tx = false;
    return rc;
  }
  struct gw_front_url *e = add_row(c, home, GW_URL_PAGE, true, GW_URL_QUEUED, GW_SKIP_NONE, NULL, NULL, 0);
  if (e) {
    c->admitted_internal++;
    gw_traps_note(&c->traps, home);
  }
  free(home);
  tx_commit(c);
  return c->fatal;
}

static void crawler_free(struct crawler *c)
{
  drop_all(c);
  gw_parse_pool_free(&c->parser);
  for (struct job *j = c->free_jobs; j;) {
    struct job *next = j->next;
    free(j);
    j = next;
  }
  for (size_t i = 0; i < c->n_pool; i++)
    curl_easy_cleanup(c->pool[i]);
  free(c->pool);
  if (c->multi)
    curl_multi_cleanup(c->multi);
  curl_slist_free_all(c->connect_to);
  for (size_t i = 0; i < c->n_rules; i++) {
    free(c->rules[i].host);
    free(c->rules[i].port);
  }
  free(c->rules);
  for (size_t i = 0; i < c->link_cache.cap; i++)
    if (c->link_cache.slots[i].key)
      free(c->link_cache.slots[i].val);
  gw_map_free(&c->link_cache);
  gw_map_free(&c->disallowed_fetched);
  gw_frontier_free(&c->f);
  gw_traps_free(&c->traps);
  gw_scope_free(&c->scope);
  gw_crawl_clear(&c->crawl);
  json_decref(c->pauses);
  json_decref(c->robots);
}

int gw_crawl_site(struct gw_store *st, const struct gw_site *site, const struct gw_crawl_opts *o,
                  struct gw_crawl_report *out)
{
  int rc = check_opts(o);
  if (rc)
    return rc;
  if (!site || site->id <= 0 || gw_str_empty(site->url))
    return gw_err_set(GW_EINVAL, "crawl: no registered site given");
  static bool curl_ready;
  if (!curl_ready) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      return gw_err_set(GW_ENOMEM, "crawl: libcurl cannot start");
    curl_ready = true;
  }
  struct crawler *c = gw_calloc(1, sizeof *c);
  c->st = st;
  c->o = o;
  c->site = site;
  c->as_of = o->as_of ? o->as_of : gw_now();
  c->pauses = json_array();
  c->robots = json_object();
  c->t0 = mono_ms();
  gw_robots_agent_token(o->user_agent, c->agent, sizeof c->agent);
  gw_frontier_init(&c->f, o->per_host, o->interval_ms, o->host_pause_ms);
  gw_traps_init(&c->traps, (unsigned)o->calendar_depth, (unsigned)o->query_variants);
  if ((rc = init_scope(c)) != GW_OK)
    goto out;
  parse_rules(c);
  for (size_t i = 0; i < o->n_connect_to; i++)
    c->connect_to = curl_slist_append(c->connect_to, o->connect_to[i]);
  c->multi = curl_multi_init();
  if (!c->multi) {
    rc = gw_err_set(GW_ENOMEM, "crawl: libcurl cannot create a multi handle");
    goto out;
  }
  curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)o->concurrency);
  curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)o->per_host);
  curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
  int threads = o->parse_threads > 0 ? o->parse_threads : gw_parse_pool_auto_threads();
  if ((rc = gw_parse_pool_new(&c->parser, threads, wake_loop, c->multi)) != GW_OK)
    goto out;
  c->parse_limit = (size_t)threads * 8 + 16;

  if ((rc = open_crawl(c)) != GW_OK)
    goto out;
  /* the batches are not flushed one by one (fsync was 9 % of the loop's
   * time); the crawl's final row, written after bulk is off, flushes all */
  if ((rc = gw_store_bulk(st, true)) != GW_OK)
    goto out;
  c->rng = (uint64_t)c->crawl.id * UINT64_C(0x9E3779B97F4A7C15) + (uint64_t)c->crawl.runs;
  gw_info("crawl %lld of %s: %s", (long long)c->crawl.id, site->url, c->resumed ? "resuming" : "starting");
  c->t0 = mono_ms();
  loop(c);
  bool stop = stopped(c) && !c->fatal;
  drop_all(c);
  tx_commit(c);
  if (!c->fatal)
    c->fatal = gw_store_bulk(st, false);
  if (c->fatal) {
    rc = c->fatal;
    /* keep the crawl resumable and say so */
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", gw_err_msg());
    gw_store_bulk(st, false);
    c->crawl.state = GW_CRAWL_INTERRUPTED;
    c->crawl.finished_at = gw_now();
    gw_store_crawl_update(st, &c->crawl);
    gw_err_set(rc, "crawl of %s stopped: %s (run it again to resume)", site->url, msg);
    goto out;
  }
  double seconds = (double)(mono_ms() - c->t0) / 1000.0;
  progress(c, mono_ms(), true);
  struct gw_crawl_stats stats;
  if ((rc = gw_store_crawl_stats(st, c->crawl.id, &stats)) != GW_OK)
    goto out;
  c->crawl.state = stop ? GW_CRAWL_INTERRUPTED : GW_CRAWL_DONE;
  c->crawl.finished_at = gw_now();
  char *summary = NULL;
  if ((rc = summarize(c, &stats, seconds, &summary)) != GW_OK)
    goto out;
  free(c->crawl.summary);
  c->crawl.summary = summary;
  free(c->crawl.robots);
  c->crawl.robots = json_dumps(c->robots, JSON_SORT_KEYS | JSON_COMPACT);
  if ((rc = gw_store_crawl_update(st, &c->crawl)) != GW_OK)
    goto out;
  memset(out, 0, sizeof *out);
  out->crawl_id = c->crawl.id;
  out->resumed = c->resumed;
  out->prev_id = c->crawl.prev_id;
  out->state = c->crawl.state;
  out->runs = c->crawl.runs;
  out->fetched_run = c->fetched_run;
  out->seconds = seconds;
  out->stats = stats;
  out->summary = gw_strdup(summary);
out:
  crawler_free(c);
  free(c);
  return rc;
}
