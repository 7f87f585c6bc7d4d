/* Worker threads that parse pages and compress bodies (see parse.h). */
#include "fetch/parse.h"

#include <libxml/parser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "fetch/map.h"
#include "fetch/url.h"
#include "html/notfound.h"

/* Each worker remembers normalised forms of link URLs it has seen (the
 * same navigation and footer links are on every page of a site). */
#define CACHE_MAX 50000

struct cache {
  struct gw_map map; /* raw -> normalised (owned), "" = unusable */
};

static void cache_free(struct cache *c)
{
  for (size_t i = 0; i < c->map.cap; i++)
    if (c->map.slots[i].key)
      free(c->map.slots[i].val);
  gw_map_free(&c->map);
}

/* The normalised form of raw, malloc'd, or NULL when unusable. */
static char *normalize(struct cache *c, const char *raw)
{
  const char *hit = c ? gw_map_get(&c->map, raw) : NULL;
  if (hit)
    return *hit ? gw_strdup(hit) : NULL;
  char *n = NULL;
  if (gw_url_normalize(NULL, raw, &n) != GW_OK) {
    gw_err_clear();
    n = NULL;
  }
  if (c && c->map.n < CACHE_MAX)
    gw_map_put(&c->map, raw, gw_strdup(n ? n : ""));
  return n;
}

static void run(struct gw_parse_task *t, struct cache *cache)
{
  if (t->compress) {
    int rc = gw_store_body_prepare(t->data, t->len, &t->body);
    if (rc) {
      t->error = rc;
      snprintf(t->error_text, sizeof t->error_text, "%s", gw_err_msg());
    } else {
      t->body_ready = true;
    }
  }
  if (!t->parse)
    return;
  struct gw_page_input in;
  memset(&in, 0, sizeof in);
  in.url = t->base;
  in.data = t->data;
  in.len = t->len;
  in.content_type = t->content_type;
  in.as_of = t->as_of;
  in.max_bytes = t->max_bytes;
  struct gw_page *p = NULL;
  int rc = gw_page_parse(&p, &in);
  if (rc) {
    t->error = rc;
    snprintf(t->error_text, sizeof t->error_text, "%s", gw_err_msg());
    return;
  }
  t->parsed = true;
  t->title = gw_strdup(p->title);
  t->charset = gw_strdup(p->charset.charset);
  t->charset_source = gw_strdup(gw_charset_source_name(p->charset.source));
  t->notfound = gw_notfound_page(p->title, p->text, p->text_len);
  size_t cap = p->n_links < t->max_links ? p->n_links : t->max_links;
  t->links = cap ? gw_calloc(cap, sizeof *t->links) : NULL;
  for (size_t i = 0; i < p->n_links && t->n_links < cap; i++) {
    const struct gw_link *l = &p->links[i];
    if (l->kind == GW_LINK_FORM)
      continue; /* a form's action is not a link a visitor follows */
    char *url = normalize(cache, l->url);
    if (!url) {
      t->n_unusable++;
      continue;
    }
    struct gw_parsed_link *o = &t->links[t->n_links++];
    o->url = url;
    o->kind = l->kind;
    o->text = gw_strdup(l->text ? l->text : "");
    o->line = l->line;
    o->hidden = l->hidden;
    o->in_footer = l->in_footer;
  }
  gw_page_free(&p);
}

void gw_parse_task_run(struct gw_parse_task *t)
{
  run(t, NULL);
}

void gw_parse_task_free(struct gw_parse_task *t)
{
  if (!t)
    return;
  free(t->base);
  free(t->data);
  free(t->content_type);
  free(t->title);
  free(t->charset);
  free(t->charset_source);
  for (size_t i = 0; i < t->n_links; i++) {
    free(t->links[i].url);
    free(t->links[i].text);
  }
  free(t->links);
  gw_store_body_clear(&t->body);
  free(t);
}

/* ---- the pool ---- */

struct gw_parse_pool {
  pthread_mutex_t mu;
  pthread_cond_t work; /* a task arrived, or stop */
  pthread_cond_t idle; /* a task finished */
  struct gw_parse_task *in_head, *in_tail;
  struct gw_parse_task *out_head, *out_tail;
  size_t pending;      /* submitted, not yet taken */
  size_t running;      /* submitted, not yet finished */
  bool stop;
  pthread_t *threads;
  int n_threads;
  void (*notify)(void *);
  void *notify_ctx;
};

static void push(struct gw_parse_task **head, struct gw_parse_task **tail, struct gw_parse_task *t)
{
  t->next = NULL;
  if (*tail)
    (*tail)->next = t;
  else
    *head = t;
  *tail = t;
}

static struct gw_parse_task *pop(struct gw_parse_task **head, struct gw_parse_task **tail)
{
  struct gw_parse_task *t = *head;
  if (t) {
    *head = t->next;
    if (!*head)
      *tail = NULL;
    t->next = NULL;
  }
  return t;
}

static void *worker(void *arg)
{
  struct gw_parse_pool *p = arg;
  struct cache cache;
  memset(&cache, 0, sizeof cache);
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->in_head && !p->stop)
      pthread_cond_wait(&p->work, &p->mu);
    if (!p->in_head && p->stop)
      break;
    struct gw_parse_task *t = pop(&p->in_head, &p->in_tail);
    pthread_mutex_unlock(&p->mu);
    run(t, &cache);
    pthread_mutex_lock(&p->mu);
    push(&p->out_head, &p->out_tail, t);
    p->running--;
    pthread_cond_broadcast(&p->idle);
    if (p->notify) {
      pthread_mutex_unlock(&p->mu);
      p->notify(p->notify_ctx);
      pthread_mutex_lock(&p->mu);
    }
  }
  pthread_mutex_unlock(&p->mu);
  cache_free(&cache);
  return NULL;
}

int gw_parse_pool_auto_threads(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1)
    return 1;
  return n > 16 ? 16 : (int)n;
}

int gw_parse_pool_new(struct gw_parse_pool **out, int threads, void (*notify)(void *), void *notify_ctx)
{
  /* libxml2 sets its globals up once, before any thread parses */
  xmlInitParser();
  struct gw_parse_pool *p = gw_calloc(1, sizeof *p);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work, NULL);
  pthread_cond_init(&p->idle, NULL);
  p->notify = notify;
  p->notify_ctx = notify_ctx;
  if (threads > 0)
    p->threads = gw_calloc((size_t)threads, sizeof *p->threads);
  for (int i = 0; i < threads; i++) {
    if (pthread_create(&p->threads[i], NULL, worker, p) != 0) {
      gw_parse_pool_free(&p);
      return gw_err_set(GW_ENOMEM, "crawl: cannot start parser thread %d of %d", i + 1, threads);
    }
    p->n_threads++;
  }
  *out = p;
  return GW_OK;
}

void gw_parse_pool_submit(struct gw_parse_pool *p, struct gw_parse_task *t)
{
  if (p->n_threads == 0) {
    run(t, NULL);
    pthread_mutex_lock(&p->mu);
    push(&p->out_head, &p->out_tail, t);
    p->pending++;
    pthread_mutex_unlock(&p->mu);
    return;
  }
  pthread_mutex_lock(&p->mu);
  push(&p->in_head, &p->in_tail, t);
  p->pending++;
  p->running++;
  pthread_cond_signal(&p->work);
  pthread_mutex_unlock(&p->mu);
}

struct gw_parse_task *gw_parse_pool_take(struct gw_parse_pool *p)
{
  pthread_mutex_lock(&p->mu);
  struct gw_parse_task *t = pop(&p->out_head, &p->out_tail);
  if (t)
    p->pending--;
  pthread_mutex_unlock(&p->mu);
  return t;
}

size_t gw_parse_pool_pending(const struct gw_parse_pool *p)
{
  pthread_mutex_t *mu = (pthread_mutex_t *)&p->mu;
  pthread_mutex_lock(mu);
  size_t n = p->pending;
  pthread_mutex_unlock(mu);
  return n;
}

void gw_parse_pool_drain(struct gw_parse_pool *p)
{
  pthread_mutex_lock(&p->mu);
  while (p->running)
    pthread_cond_wait(&p->idle, &p->mu);
  pthread_mutex_unlock(&p->mu);
}

void gw_parse_pool_free(struct gw_parse_pool **pp)
{
  struct gw_parse_pool *p = *pp;
  if (!p)
    return;
  pthread_mutex_lock(&p->mu);
  p->stop = true;
  pthread_cond_broadcast(&p->work);
  pthread_mutex_unlock(&p->mu);
  for (int i = 0; i < p->n_threads; i++)
    pthread_join(p->threads[i], NULL);
  struct gw_parse_task *t;
  while ((t = pop(&p->in_head, &p->in_tail)))
    gw_parse_task_free(t);
  while ((t = pop(&p->out_head, &p->out_tail)))
    gw_parse_task_free(t);
  free(p->threads);
  pthread_cond_destroy(&p->work);
  pthread_cond_destroy(&p->idle);
  pthread_mutex_destroy(&p->mu);
  free(p);
  *pp = NULL;
}
