/* Shared set-up of the crawler tests (test_crawl*.c): the sample family
 * served by the fixture server on loopback behind a counting handler, a
 * store with the family registered, crawl options that map every served
 * host with connect_to + mapped_only (so no test ever asks a resolver),
 * and readers for the crawl rows. Static inline so each test includes only
 * what it uses without unused-function warnings. */
#ifndef GW_TEST_CRAWL_FIXTURE_H
#define GW_TEST_CRAWL_FIXTURE_H

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "fetch/crawl.h"
#include "fetch/map.h"
#include "fixsrv.h"
#include "sample.h"
#include "store/store.h"
#include "tap.h"

/* A host of our own beside the family, for pages the family lacks. */
#define TEST_HOST "test.qingxi.gov.cn"

typedef int (*extra_fn)(const char *path, struct gw_sample_resp *out);

struct world {
  struct gw_sample *sample;
  json_t *man;
  struct gw_fixsrv *srv;
  struct gw_fixsrv_opts srv_opts;
  pthread_mutex_t mu;
  struct gw_map counts;     /* "host path?query" -> (uintptr_t) requests reaching the handler */
  extra_fn extra;           /* pages of TEST_HOST */
  struct gw_strv connect_to;
  struct gw_store *st;
  char db[600];
};

static inline int world_handler(void *ctx, const char *host, const char *pq, const char *ua,
                                struct gw_sample_resp *out)
{
  struct world *w = ctx;
  struct gw_buf k = GW_BUF_INIT;
  gw_buf_printf(&k, "%s %s", host, pq);
  pthread_mutex_lock(&w->mu);
  uintptr_t n = (uintptr_t)gw_map_get(&w->counts, gw_buf_cstr(&k));
  gw_map_put(&w->counts, gw_buf_cstr(&k), (void *)(n + 1));
  pthread_mutex_unlock(&w->mu);
  gw_buf_free(&k);
  if (strcmp(host, TEST_HOST) == 0 && w->extra)
    return w->extra(pq, out);
  return gw_fixsrv_sample_handler(w->sample, host, pq, ua, out);
}

/* Requests that reached the handler for host + path?query so far. */
static inline unsigned world_count(struct world *w, const char *host, const char *pq)
{
  struct gw_buf k = GW_BUF_INIT;
  gw_buf_printf(&k, "%s %s", host, pq);
  pthread_mutex_lock(&w->mu);
  uintptr_t n = (uintptr_t)gw_map_get(&w->counts, gw_buf_cstr(&k));
  pthread_mutex_unlock(&w->mu);
  gw_buf_free(&k);
  return (unsigned)n;
}

/* The same for a URL "http://host/path?query". */
static inline unsigned world_count_url(struct world *w, const char *url)
{
  const char *h = strstr(url, "://");
  if (!h)
    return 0;
  h += 3;
  const char *p = strchr(h, '/');
  if (!p)
    return 0;
  char host[256];
  snprintf(host, sizeof host, "%.*s", (int)(p - h), h);
  return world_count(w, host, p);
}

static inline void world_reset_counts(struct world *w)
{
  pthread_mutex_lock(&w->mu);
  gw_map_free(&w->counts);
  pthread_mutex_unlock(&w->mu);
}

/* Register the family (units, then sites) in the store. */
static inline void world_register(struct world *w)
{
  struct gw_map units = GW_MAP_INIT;
  for (size_t i = 0; i < gw_sample_site_count(w->sample); i++) {
    const struct gw_sample_site *ss = gw_sample_site_at(w->sample, i);
    struct gw_unit u = {0};
    u.name = (char *)ss->unit;
    u.kind = strcmp(ss->unit_kind, "region") == 0 ? GW_UNIT_REGION
             : strcmp(ss->unit_kind, "town") == 0  ? GW_UNIT_TOWN
                                                   : GW_UNIT_DEPARTMENT;
    u.parent_id = ss->parent_unit ? (int64_t)(uintptr_t)gw_map_get(&units, ss->parent_unit) : 0;
    CHECK_MSG(gw_store_unit_insert(w->st, &u) == GW_OK, "unit %s: %s", ss->unit, gw_err_msg());
    gw_map_put(&units, ss->unit, (void *)(uintptr_t)u.id);
    struct gw_site s = {0};
    s.name = (char *)ss->name;
    s.url = (char *)ss->url;
    s.code = (char *)ss->code;
    s.unit_id = u.id;
    s.kind = ss->portal ? GW_SITE_PORTAL : GW_SITE_DEPARTMENT;
    s.external_service = ss->external_service;
    s.status = GW_SITE_RUNNING;
    CHECK_MSG(gw_store_site_insert(w->st, &s) == GW_OK, "site %s: %s", ss->url, gw_err_msg());
  }
  gw_map_free(&units);
}

/* Start the family (default options) on a fixture server with `fault`
 * options, and a fresh store named db_name. */
static inline void world_open(struct world *w, const struct gw_fixsrv_opts *fault, const char *db_name,
                              extra_fn extra)
{
  memset(w, 0, sizeof *w);
  pthread_mutex_init(&w->mu, NULL);
  w->extra = extra;
  struct gw_sample_opts so;
  gw_sample_opts_default(&so);
  CHECK_INT(gw_sample_new(&w->sample, &so), GW_OK);
  char *js = gw_sample_manifest_json(w->sample);
  json_error_t jerr;
  w->man = json_loads(js, 0, &jerr);
  CHECK_MSG(w->man != NULL, "manifest: %s", jerr.text);
  free(js);
  if (fault)
    w->srv_opts = *fault;
  else
    gw_fixsrv_opts_default(&w->srv_opts);
  w->srv_opts.handler = world_handler;
  w->srv_opts.ctx = w;
  int rc = gw_fixsrv_start(&w->srv, &w->srv_opts);
  CHECK_MSG(rc == GW_OK, "fixsrv: %s", gw_err_msg());
  uint16_t port = w->srv ? gw_fixsrv_port(w->srv) : 1;
  for (size_t i = 0; i < gw_sample_host_count(w->sample); i++) {
    char rule[300];
    snprintf(rule, sizeof rule, "%s:80:127.0.0.1:%u", gw_sample_host_at(w->sample, i), (unsigned)port);
    gw_strv_push(&w->connect_to, rule);
  }
  char rule[300];
  snprintf(rule, sizeof rule, "%s:80:127.0.0.1:%u", TEST_HOST, (unsigned)port);
  gw_strv_push(&w->connect_to, rule);
  snprintf(w->db, sizeof w->db, "%s/%s", gw_test_tmpdir(), db_name);
  CHECK_INT(gw_store_open(&w->st, w->db, 0), GW_OK);
  world_register(w);
}

static inline void world_close(struct world *w)
{
  gw_store_close(&w->st);
  gw_fixsrv_stop(&w->srv);
  gw_sample_free(&w->sample);
  json_decref(w->man);
  gw_map_free(&w->counts);
  gw_strv_free(&w->connect_to);
  pthread_mutex_destroy(&w->mu);
}

/* Crawl options for loopback: generous limits, quick retries, every host
 * mapped and nothing else reachable. */
static inline void world_opts(const struct world *w, struct gw_crawl_opts *o)
{
  gw_crawl_opts_default(o);
  o->connect_to = w->connect_to.v;
  o->n_connect_to = w->connect_to.n;
  o->mapped_only = true;
  o->concurrency = 16;
  o->per_host = 8;
  o->interval_ms = 0;
  o->retry_base_ms = 20;
  o->host_pause_ms = 50;
  o->timeout_ms = 10000;
  o->connect_timeout_ms = 5000;
  o->as_of = 1743393600; /* 2025-03-31 12:00 +08:00, the family's as-of */
}

/* The site of a registered URL. */
static inline void world_site(struct world *w, const char *url, struct gw_site *out)
{
  int rc = gw_store_site_get_by_url(w->st, url, out);
  CHECK_MSG(rc == GW_OK, "site %s: %s", url, gw_err_msg());
}

/* Crawl one registered site; returns the gw_err code. */
static inline int world_crawl(struct world *w, const char *url, const struct gw_crawl_opts *o,
                              struct gw_crawl_report *rep)
{
  struct gw_site s = {0};
  world_site(w, url, &s);
  int rc = gw_crawl_site(w->st, &s, o, rep);
  CHECK_MSG(rc == GW_OK, "crawl %s: %s", url, rc ? gw_err_msg() : "");
  gw_site_clear(&s);
  return rc;
}

/* ---- reading results ---- */

struct outcome {
  char *url;
  int64_t id;
  int state, status, error, redirects, kind;
  bool internal, parsed;
  bool notfound_known;
  uint64_t notfound;
  int64_t body_id;
  char *etag, *final_url, *chain, *title, *charset, *error_text;
};

struct outcomes {
  struct gw_map by_url; /* url -> struct outcome * */
  struct outcome **v;
  size_t n, cap;
};

static inline int outcome_collect(void *ctx, const struct gw_crawl_url *u)
{
  struct outcomes *os = ctx;
  struct outcome *o = gw_calloc(1, sizeof *o);
  o->url = gw_strdup(u->url);
  o->id = u->id;
  o->state = u->state;
  o->status = u->http_status;
  o->error = u->error;
  o->redirects = u->redirects;
  o->kind = u->kind;
  o->internal = u->internal;
  o->parsed = u->parsed;
  o->notfound_known = u->notfound_known;
  o->notfound = u->notfound;
  o->body_id = u->body_id;
  o->etag = u->etag ? gw_strdup(u->etag) : NULL;
  o->final_url = u->final_url ? gw_strdup(u->final_url) : NULL;
  o->chain = u->redirect_chain ? gw_strdup(u->redirect_chain) : NULL;
  o->title = u->title ? gw_strdup(u->title) : NULL;
  o->charset = u->charset ? gw_strdup(u->charset) : NULL;
  o->error_text = u->error_text ? gw_strdup(u->error_text) : NULL;
  gw_map_put(&os->by_url, o->url, o);
  if (os->n == os->cap) {
    os->cap = os->cap ? os->cap * 2 : 256;
    os->v = gw_reallocarray(os->v, os->cap, sizeof *os->v);
  }
  os->v[os->n++] = o;
  return 0;
}

static inline void outcomes_load(struct gw_store *st, int64_t crawl_id, struct outcomes *os)
{
  memset(os, 0, sizeof *os);
  CHECK_INT(gw_store_crawl_url_each(st, crawl_id, 0, outcome_collect, os), GW_OK);
}

static inline struct outcome *outcome_of(const struct outcomes *os, const char *url)
{
  return gw_map_get(&os->by_url, url);
}

static inline void outcomes_free(struct outcomes *os)
{
  for (size_t i = 0; i < os->n; i++) {
    struct outcome *o = os->v[i];
    free(o->url);
    free(o->etag);
    free(o->final_url);
    free(o->chain);
    free(o->title);
    free(o->charset);
    free(o->error_text);
    free(o);
  }
  free(os->v);
  gw_map_free(&os->by_url);
}

#endif
