/* Parsing fetched pages off the crawl loop's thread.
 *
 * Reading a page into the page model (html/page.h), normalising its links
 * (fetch/url.h) and compressing its body for the store take most of a
 * crawl's CPU time, and each page is independent of the others, so worker
 * threads do them while the loop keeps transfers going and does every
 * store write itself (one writer). A task carries copies of its inputs and
 * comes back with plain results; nothing in it is shared with the loop
 * while a worker holds it. With zero threads a task runs inline.
 *
 * The workers call only thread-safe code: the page model (libxml2 after
 * xmlInitParser, per-call iconv, uchardet and pcre2 handles), CURLU, zlib,
 * and the per-thread error message of core/error.h. */
#ifndef GW_FETCH_PARSE_H
#define GW_FETCH_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "html/page.h"
#include "store/store.h"

/* One link of a parsed page, ready for admission. */
struct gw_parsed_link {
  char *url;          /* normalised (fetch/url.h) */
  enum gw_link_kind kind;
  char *text;         /* anchor text or alt; "" if none */
  long line;
  unsigned hidden;    /* enum gw_hide bits */
  bool in_footer;
};

struct gw_parse_task {
  /* in (owned by the task) */
  char *base;          /* the final URL of the answer */
  char *data;          /* the body */
  size_t len;
  char *content_type;
  int64_t as_of;
  size_t max_bytes;    /* page model input cap */
  size_t max_links;    /* links kept (forms and unusable URLs do not count) */
  bool parse;          /* read it as HTML */
  bool compress;       /* prepare the body for the store */
  void *owner;         /* the caller's, untouched */
  /* out */
  bool parsed;         /* the page model was built */
  char *title, *charset, *charset_source;
  uint64_t notfound;   /* the page's not-found phrases (html/notfound.h) */
  struct gw_parsed_link *links;
  size_t n_links;
  size_t n_unusable;   /* links whose URL could not be normalised */
  bool body_ready;
  struct gw_store_body body;
  int error;           /* GW_OK, or what failed (parse or compression) */
  char error_text[256];
  struct gw_parse_task *next;
};

/* Do a task's work now, on this thread. */
void gw_parse_task_run(struct gw_parse_task *t);
/* Free a task and everything it owns; NULL is fine. */
void gw_parse_task_free(struct gw_parse_task *t);

struct gw_parse_pool;

/* Start `threads` workers (0 = none: gw_parse_pool_submit runs the task
 * inline). `notify` is called from a worker after each finished task (the
 * crawl loop passes curl_multi_wakeup so its poll returns at once).
 * GW_ENOMEM if a thread cannot start. */
int gw_parse_pool_new(struct gw_parse_pool **out, int threads, void (*notify)(void *), void *notify_ctx);
/* Hand a task to the workers (the pool owns it until taken back). */
void gw_parse_pool_submit(struct gw_parse_pool *p, struct gw_parse_task *t);
/* A finished task, or NULL when none is ready (never blocks). */
struct gw_parse_task *gw_parse_pool_take(struct gw_parse_pool *p);
/* Tasks submitted and not yet taken back. */
size_t gw_parse_pool_pending(const struct gw_parse_pool *p);
/* Wait until every submitted task is finished (they stay to be taken). */
void gw_parse_pool_drain(struct gw_parse_pool *p);
/* Stop the workers (after the tasks under way), free every task still in
 * the pool, free the pool and set *p to NULL. */
void gw_parse_pool_free(struct gw_parse_pool **p);
/* Worker threads for this machine: one per online CPU, at most 16. The
 * crawl loop mostly waits for the network and the workers, so it is not
 * given a CPU of its own (on 2 CPUs two workers beat one by about a tenth
 * of the wall time, docs/internals/fetch.md). */
int gw_parse_pool_auto_threads(void);

#endif
