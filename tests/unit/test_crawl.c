/* The crawler against the sample government family on the loopback fixture
 * server: ground truth from the generator's manifest (pages reached,
 * calendar trap cut off, redirect chain and loop, unresolvable host,
 * broken links with the pages that carry them, GBK pages), then the same
 * crawl under every fault mode of the server. No timed assertions. */
#include <iconv.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch/url.h"
#include "html/page.h"
#include "store/store_impl.h"
#include "test_crawl_fixture.h"

/* One crawl of the whole family: per site its crawl id, and the final
 * outcome of every fetched URL as "state status error redirects". */
struct family_run {
  int64_t crawl[8];
  size_t n;
  struct gw_map final;   /* "site-index url" -> malloc'd outcome string */
  struct gw_map ok200;   /* urls answering 200 without redirect (all crawls) */
  int64_t pauses;
};

static void run_free(struct family_run *r)
{
  for (size_t i = 0; i < r->final.cap; i++)
    if (r->final.slots[i].key)
      free(r->final.slots[i].val);
  gw_map_free(&r->final);
  gw_map_free(&r->ok200);
}

static void crawl_family(struct world *w, const struct gw_crawl_opts *o, struct family_run *run)
{
  memset(run, 0, sizeof *run);
  for (size_t i = 0; i < gw_sample_site_count(w->sample) && i < 8; i++) {
    const struct gw_sample_site *ss = gw_sample_site_at(w->sample, i);
    struct gw_crawl_report rep = {0};
    if (world_crawl(w, ss->url, o, &rep) != GW_OK)
      continue;
    CHECK_INT(rep.state, GW_CRAWL_DONE);
    CHECK_INT(rep.stats.by_state[GW_URL_QUEUED], 0);
    run->crawl[run->n++] = rep.crawl_id;
    /* the crawl's bulk writing is over: the store flushes every commit again */
    sqlite3_stmt *sy = NULL;
    CHECK_INT(sqlite3_prepare_v2(gw_store_sqlite_db(w->st), "PRAGMA synchronous", -1, &sy, NULL), SQLITE_OK);
    CHECK(sy && sqlite3_step(sy) == SQLITE_ROW && sqlite3_column_int(sy, 0) == 2);
    sqlite3_finalize(sy);
    json_error_t e;
    json_t *sum = json_loads(rep.summary, 0, &e);
    CHECK_MSG(sum != NULL, "summary parses: %s", e.text);
    run->pauses += (int64_t)json_array_size(json_object_get(sum, "host_pauses"));
    CHECK_INT(json_integer_value(json_object_get(sum, "pages")), rep.stats.pages_ok);
    json_decref(sum);
    struct outcomes os;
    outcomes_load(w->st, rep.crawl_id, &os);
    size_t phrases_wrong = 0;
    for (size_t k = 0; k < os.n; k++)
      if (os.v[k]->parsed != os.v[k]->notfound_known)
        phrases_wrong++;
    CHECK_MSG(phrases_wrong == 0, "%zu rows with not-found phrases kept iff parsed wrong", phrases_wrong);
    for (size_t k = 0; k < os.n; k++) {
      struct outcome *x = os.v[k];
      if (x->state == GW_URL_DONE || x->state == GW_URL_FAILED) {
        char key[4200], val[200];
        snprintf(key, sizeof key, "%zu %s", i, x->url);
        snprintf(val, sizeof val, "%s %d %s %d", gw_url_state_key(x->state), x->status,
                 gw_fetch_error_key(x->error), x->redirects);
        gw_map_put(&run->final, key, gw_strdup(val));
      }
      if (x->state == GW_URL_DONE && x->status == 200 && x->redirects == 0)
        gw_map_put(&run->ok200, x->url, NULL);
    }
    outcomes_free(&os);
    gw_crawl_report_clear(&rep);
  }
}

static int64_t site_crawl(const struct world *w, const struct family_run *run, const char *host)
{
  for (size_t i = 0; i < gw_sample_site_count(w->sample) && i < run->n; i++)
    if (strcmp(gw_sample_site_at(w->sample, i)->host, host) == 0)
      return run->crawl[i];
  return 0;
}

static const char *jstr(json_t *o, const char *k)
{
  return json_string_value(json_object_get(o, k));
}

struct link_find {
  int64_t from;
  const char *anchor;
  const char *tag;
  int found;
  unsigned hidden_any;
};

static int find_link(void *ctx, const struct gw_link_row *l)
{
  struct link_find *f = ctx;
  if (l->from_id == f->from && (!f->anchor || strcmp(l->anchor, f->anchor) == 0) &&
      (!f->tag || strcmp(l->tag, f->tag) == 0)) {
    f->found++;
    f->hidden_any |= l->hidden;
  }
  return 0;
}

/* The title of a page as the generator wrote it, decoded independently
 * (iconv for GBK) and cut out between <title> and </title>. */
static char *expected_title(struct world *w, const char *host, const char *path)
{
  struct gw_sample_resp r;
  CHECK_INT(gw_sample_get(w->sample, host, path, NULL, &r), GW_OK);
  char *utf8 = NULL;
  if (strstr(r.content_type, "GBK")) {
    iconv_t cd = iconv_open("UTF-8", "GBK");
    size_t cap = r.len * 2 + 1, il = r.len, ol = cap - 1;
    utf8 = gw_malloc(cap);
    char *in = r.body, *o = utf8;
    CHECK(iconv(cd, &in, &il, &o, &ol) != (size_t)-1);
    *o = '\0';
    iconv_close(cd);
  } else {
    utf8 = gw_strndup(r.body, r.len);
  }
  gw_sample_resp_clear(&r);
  char *t = strstr(utf8, "<title>"), *e = t ? strstr(t, "</title>") : NULL;
  char *out = t && e ? gw_strndup(t + 7, (size_t)(e - t - 7)) : NULL;
  free(utf8);
  return out;
}

static bool host_of(const char *url, char *buf, size_t size)
{
  if (!gw_str_starts(url, "http://"))
    return false;
  size_t n = strcspn(url + 7, "/");
  if (n >= size)
    return false;
  memcpy(buf, url + 7, n);
  buf[n] = '\0';
  return true;
}

static bool served_host(struct world *w, const char *host)
{
  for (size_t i = 0; i < gw_sample_host_count(w->sample); i++)
    if (strcmp(gw_sample_host_at(w->sample, i), host) == 0)
      return true;
  return false;
}

static bool family_site_host(struct world *w, const char *host)
{
  for (size_t i = 0; i < gw_sample_site_count(w->sample); i++)
    if (strcmp(gw_sample_site_at(w->sample, i)->host, host) == 0)
      return true;
  return false;
}

/* The links of a served HTML page, through the page model and URL
 * normalisation (what the crawler would see if it read the page). */
static void page_links(struct world *w, const char *url, struct gw_strv *out)
{
  char host[256];
  if (!host_of(url, host, sizeof host))
    return;
  struct gw_sample_resp r;
  CHECK_INT(gw_sample_get(w->sample, host, strchr(url + 7, '/'), NULL, &r), GW_OK);
  if (r.status == 200 && strncmp(r.content_type, "text/html", 9) == 0) {
    struct gw_page_input in = {0};
    in.url = url;
    in.data = r.body;
    in.len = r.len;
    in.content_type = r.content_type;
    struct gw_page *p = NULL;
    CHECK_INT(gw_page_parse(&p, &in), GW_OK);
    for (size_t i = 0; p && i < p->n_links; i++) {
      char *n = NULL;
      if (gw_url_normalize(NULL, p->links[i].url, &n) == GW_OK)
        gw_strv_push_owned(out, n);
    }
    gw_page_free(&p);
  }
  gw_sample_resp_clear(&r);
}

static void check_ground_truth(struct world *w, const struct family_run *run)
{
  json_t *d;
  size_t i;
  /* every page the manifest counts: 200 answers without redirects, minus
   * the calendar trap's pages, which the manifest leaves out */
  const char *trap_prefix = NULL;
  json_array_foreach(json_object_get(w->man, "defects"), i, d) if (strcmp(jstr(d, "kind"), "crawler_trap") == 0)
      trap_prefix = jstr(d, "target");
  CHECK(trap_prefix != NULL);
  char prefix[300] = "";
  if (trap_prefix)
    snprintf(prefix, sizeof prefix, "%.*s", (int)strcspn(trap_prefix, "?"), trap_prefix);
  size_t pages = 0, calendar = 0;
  struct gw_map set = GW_MAP_INIT;
  for (size_t k = 0; k < run->ok200.cap; k++) {
    const char *u = run->ok200.slots[k].key;
    if (!u)
      continue;
    if (prefix[0] && gw_str_starts(u, prefix)) {
      calendar++;
    } else {
      pages++;
      gw_map_put(&set, u, NULL);
    }
  }
  /* The manifest also counts pages reachable only through external pages
   * (www.gov.cn's homepage links two policies). The crawler checks external
   * links and does not crawl on from them, by design; read those external
   * pages here, independently of the crawler, and add what they reach. */
  struct gw_strv todo = {0};
  for (size_t k = 0; k < set.cap; k++) {
    const char *u = set.slots[k].key;
    char host[256];
    if (u && host_of(u, host, sizeof host) && !family_site_host(w, host))
      gw_strv_push(&todo, u);
  }
  size_t via_external = 0, site_pages_missed = 0;
  for (size_t t = 0; t < todo.n; t++) {
    struct gw_strv links = {0};
    page_links(w, todo.v[t], &links);
    for (size_t k = 0; k < links.n; k++) {
      const char *u = links.v[k];
      char host[256];
      if (gw_map_has(&set, u) || !host_of(u, host, sizeof host) || !served_host(w, host) ||
          (prefix[0] && gw_str_starts(u, prefix)))
        continue;
      struct gw_sample_resp r;
      CHECK_INT(gw_sample_get(w->sample, host, strchr(u + 7, '/'), NULL, &r), GW_OK);
      if (r.status == 200) {
        gw_map_put(&set, u, NULL);
        pages++;
        if (family_site_host(w, host)) {
          site_pages_missed++;
          CHECK_MSG(0, "site page %s reached only through an external page", u);
        } else {
          via_external++;
          gw_strv_push(&todo, u);
        }
      }
      gw_sample_resp_clear(&r);
    }
    gw_strv_free(&links);
  }
  gw_strv_free(&todo);
  gw_map_free(&set);
  CHECK_INT(site_pages_missed, 0);
  CHECK_MSG(via_external <= 5, "%zu pages only behind external pages", via_external);
  CHECK_INT(pages, json_integer_value(json_object_get(w->man, "pages")));
  CHECK_MSG(calendar >= 1 && calendar <= 2 * 3 + 1, "calendar pages fetched: %zu (calendar_depth 3)", calendar);

  json_array_foreach(json_object_get(w->man, "defects"), i, d) {
    const char *kind = jstr(d, "kind"), *host = jstr(d, "site"), *page = jstr(d, "url");
    int64_t cid = site_crawl(w, run, host);
    CHECK_MSG(cid > 0, "crawl of %s", host);
    if (!cid)
      continue;
    struct outcomes os;
    outcomes_load(w->st, cid, &os);
    struct outcome *from = outcome_of(&os, page);
    const char *target = jstr(d, "target");
    struct outcome *to = target ? outcome_of(&os, target) : NULL;
    if (strcmp(kind, "broken_link") == 0) {
      CHECK_MSG(from && from->parsed, "%s: page %s parsed", jstr(d, "id"), page);
      CHECK_MSG(to != NULL, "%s: target %s recorded", jstr(d, "id"), target);
      if (from && to) {
        if (json_is_null(json_object_get(d, "status"))) {
          CHECK_MSG(to->state == GW_URL_FAILED && to->error == GW_FE_DNS, "%s: %s is a DNS failure (%s %s)",
                    jstr(d, "id"), target, gw_url_state_key(to->state), gw_fetch_error_key(to->error));
          CHECK_CONTAINS(to->error_text, "mapped_only");
        } else {
          CHECK_MSG(to->status == json_integer_value(json_object_get(d, "status")) && to->error == GW_FE_HTTP &&
                        to->state == GW_URL_DONE,
                    "%s: %s answers %d (%s)", jstr(d, "id"), target, to->status, gw_fetch_error_key(to->error));
        }
        struct link_find lf = {from->id, jstr(d, "anchor"), jstr(d, "tag"), 0, 0};
        CHECK_INT(gw_store_link_each(w->st, 0, 0, to->id, find_link, &lf), GW_OK);
        CHECK_MSG(lf.found >= 1, "%s: link %s -> %s with anchor '%s' recorded", jstr(d, "id"), page, target,
                  jstr(d, "anchor"));
      }
    } else if (strcmp(kind, "soft_404") == 0) {
      CHECK_MSG(to && to->status == 200 && to->parsed && to->error == GW_FE_NONE, "soft 404 target %s answers 200",
                target);
      /* the crawler kept its not-found phrases for the soft-404 judgment */
      CHECK_MSG(to && to->notfound_known && to->notfound != 0, "soft 404 target %s: not-found phrases kept", target);
    } else if (strcmp(kind, "redirect_chain") == 0) {
      CHECK(to != NULL);
      if (to) {
        CHECK_INT(to->state, GW_URL_DONE);
        CHECK_INT(to->status, json_integer_value(json_object_get(d, "final_status")));
        CHECK_INT(to->redirects, json_array_size(json_object_get(d, "chain")));
        CHECK_STR(to->final_url, jstr(d, "final"));
        json_t *chain = to->chain ? json_loads(to->chain, 0, NULL) : NULL;
        CHECK(chain && json_equal(chain, json_object_get(d, "chain")));
        json_decref(chain);
        CHECK(to->parsed); /* the page at the end of the chain is read */
      }
    } else if (strcmp(kind, "redirect_loop") == 0) {
      CHECK(to != NULL);
      if (to) {
        CHECK_INT(to->state, GW_URL_FAILED);
        CHECK_INT(to->error, GW_FE_REDIRECT_LOOP);
        json_t *chain = to->chain ? json_loads(to->chain, 0, NULL) : NULL;
        CHECK(chain && json_equal(chain, json_object_get(d, "chain")));
        json_decref(chain);
      }
    } else if (strcmp(kind, "crawler_trap") == 0) {
      CHECK_MSG(to && to->state == GW_URL_DONE && to->status == 200, "trap entry %s fetched", target);
      size_t cut = 0;
      for (size_t k = 0; k < os.n; k++)
        if (os.v[k]->state == GW_URL_SKIPPED && gw_str_starts(os.v[k]->url, prefix))
          cut++;
      CHECK_MSG(cut >= 1, "calendar cut off (%zu skipped)", cut);
      struct gw_crawl_url row = {0};
      char next[300];
      /* the first month beyond the limit back from 2025-03 */
      snprintf(next, sizeof next, "%s?month=2024-11", prefix);
      CHECK_INT(gw_store_crawl_url_find(w->st, cid, next, &row), GW_OK);
      CHECK_INT(row.state, GW_URL_SKIPPED);
      CHECK_INT(row.skip, GW_SKIP_TRAP);
      CHECK_CONTAINS(row.skip_detail, "calendar: more than 3 date steps");
      gw_crawl_url_clear(&row);
    } else if (strcmp(kind, "hidden_spam_link") == 0) {
      CHECK(from && to);
      if (from && to) {
        CHECK_MSG(to->state == GW_URL_FAILED && to->error == GW_FE_DNS, "spam host is a DNS failure");
        json_t *a;
        size_t k;
        json_array_foreach(json_object_get(d, "anchors"), k, a) {
          struct link_find lf = {from->id, json_string_value(a), "a", 0, 0};
          CHECK_INT(gw_store_link_each(w->st, 0, from->id, 0, find_link, &lf), GW_OK);
          CHECK_MSG(lf.found == 1 && lf.hidden_any != 0, "hidden link '%s' recorded hidden", json_string_value(a));
        }
      }
    }
    outcomes_free(&os);
  }

  /* GBK: the finance bureau's pages come out as the expected Chinese */
  int64_t czj = site_crawl(w, run, "czj.qingxi.gov.cn");
  struct outcomes os;
  outcomes_load(w->st, czj, &os);
  size_t gbk_pages = 0;
  for (size_t k = 0; k < os.n; k++) {
    struct outcome *x = os.v[k];
    if (!x->parsed || !x->internal)
      continue;
    gbk_pages++;
    CHECK_MSG(x->charset && strcmp(x->charset, "GB18030") == 0, "%s decoded as GB18030 (got %s)", x->url,
              x->charset ? x->charset : "-");
    const char *path = strchr(x->url + 7, '/');
    char *want = expected_title(w, "czj.qingxi.gov.cn", path);
    CHECK_MSG(want && x->title && strcmp(want, x->title) == 0, "%s: title '%s' want '%s'", x->url,
              x->title ? x->title : "-", want ? want : "-");
    free(want);
  }
  CHECK(gbk_pages > 10);
  struct outcome *home = outcome_of(&os, "http://czj.qingxi.gov.cn/");
  CHECK(home && home->title && strcmp(home->title, "青溪县财政局") == 0);
  outcomes_free(&os);

  /* robots.txt read on every site, first */
  for (size_t k = 0; k < run->n; k++) {
    struct gw_crawl c = {0};
    CHECK_INT(gw_store_crawl_get(w->st, run->crawl[k], &c), GW_OK);
    json_t *rb = json_loads(c.robots ? c.robots : "{}", 0, NULL);
    const char *host = gw_sample_site_at(w->sample, k)->host;
    json_t *hr = json_object_get(rb, host);
    CHECK_MSG(hr && json_integer_value(json_object_get(hr, "status")) == 200 &&
                  json_integer_value(json_object_get(hr, "rules")) == 2,
              "robots.txt of %s read with its 2 rules", host);
    json_decref(rb);
    gw_crawl_clear(&c);
  }
}

/* Every link's target is a URL of the source page's own crawl. */
struct target_check {
  struct gw_store *st;
  int64_t crawl_id;
  long bad;
};

static int check_target(void *ctx, const struct gw_link_row *l)
{
  struct target_check *t = ctx;
  struct gw_crawl_url u = {0};
  if (gw_store_crawl_url_get(t->st, l->to_id, &u) != GW_OK || u.crawl_id != t->crawl_id)
    t->bad++;
  gw_crawl_url_clear(&u);
  return 0;
}

static void check_rows_single(struct world *w)
{
  sqlite3 *db = gw_store_sqlite_db(w->st);
  sqlite3_stmt *q = NULL;
  CHECK_INT(sqlite3_prepare_v2(db,
                               "SELECT (SELECT count(*) FROM crawl_urls) - (SELECT count(*) FROM"
                               " (SELECT DISTINCT crawl_id, url FROM crawl_urls))",
                               -1, &q, NULL),
            SQLITE_OK);
  CHECK_INT(sqlite3_step(q), SQLITE_ROW);
  CHECK_INT(sqlite3_column_int64(q, 0), 0);
  sqlite3_finalize(q);
  CHECK_INT(sqlite3_prepare_v2(db, "SELECT id FROM crawls", -1, &q, NULL), SQLITE_OK);
  while (sqlite3_step(q) == SQLITE_ROW) {
    struct target_check t = {w->st, sqlite3_column_int64(q, 0), 0};
    CHECK_INT(gw_store_link_each(w->st, t.crawl_id, 0, 0, check_target, &t), GW_OK);
    CHECK_INT(t.bad, 0);
  }
  sqlite3_finalize(q);
}

static struct family_run g_clean;

static void test_clean(void)
{
  struct world w;
  world_open(&w, NULL, "clean.db", NULL);
  struct gw_crawl_opts o;
  world_opts(&w, &o);
  o.calendar_depth = 3;
  crawl_family(&w, &o, &g_clean);
  CHECK_INT(g_clean.n, 6);
  check_ground_truth(&w, &g_clean);
  check_rows_single(&w);
  world_close(&w);
}

/* The same crawl with the server misbehaving: the transient faults are
 * retried away, so every URL ends as in the clean crawl. */
static void test_fault(enum gw_fault f, unsigned every, unsigned times, unsigned slow_ms, unsigned retry_after)
{
  struct gw_fixsrv_opts so;
  gw_fixsrv_opts_default(&so);
  so.fault = f;
  so.fault_every = every;
  so.fault_times = times;
  so.slow_ms = slow_ms;
  so.retry_after = retry_after;
  struct world w;
  char db[64];
  snprintf(db, sizeof db, "fault-%s.db", gw_fault_name(f));
  world_open(&w, &so, db, NULL);
  struct gw_crawl_opts o;
  world_opts(&w, &o);
  o.calendar_depth = 3;
  if (f == GW_FAULT_5XX)
    o.host_pause_ms = 10; /* 5xx in bulk pause the hosts often */
  struct family_run run;
  crawl_family(&w, &o, &run);
  CHECK_MSG(gw_fixsrv_faults(w.srv) > 0, "fault %s hit something (%llu)", gw_fault_name(f),
            (unsigned long long)gw_fixsrv_faults(w.srv));
  size_t diff = 0;
  for (size_t k = 0; k < g_clean.final.cap; k++) {
    const char *key = g_clean.final.slots[k].key;
    if (!key)
      continue;
    const char *want = g_clean.final.slots[k].val, *got = gw_map_get(&run.final, key);
    if (!got || strcmp(want, got) != 0) {
      if (diff++ < 10)
        CHECK_MSG(0, "fault %s: %s ends '%s', clean crawl '%s'", gw_fault_name(f), key, got ? got : "(absent)", want);
    }
  }
  CHECK_MSG(diff == 0 && run.final.n == g_clean.final.n, "fault %s: %zu of %zu outcomes differ (%zu vs %zu URLs)",
            gw_fault_name(f), diff, g_clean.final.n, run.final.n, g_clean.final.n);
  if (f == GW_FAULT_5XX && every <= 2)
    CHECK_MSG(run.pauses > 0, "5xx in bulk paused a host (%lld pauses)", (long long)run.pauses);
  check_rows_single(&w);
  run_free(&run);
  world_close(&w);
}

/* Faults that outlast the retries: the URLs they hit end failed, with the
 * right kind, after exactly `attempts` tries. */
static void test_persistent(enum gw_fault f, int want_state, int want_status, enum gw_fetch_error want_error)
{
  struct gw_fixsrv_opts so;
  gw_fixsrv_opts_default(&so);
  so.fault = f;
  so.fault_every = 17;
  so.fault_times = 0; /* always */
  so.slow_ms = 3000;
  so.retry_after = 1;
  struct world w;
  char db[64];
  snprintf(db, sizeof db, "persistent-%s.db", gw_fault_name(f));
  world_open(&w, &so, db, NULL);
  struct gw_crawl_opts o;
  world_opts(&w, &o);
  o.timeout_ms = 600; /* slow answers become timeouts */
  o.host_pause_ms = 0;
  struct gw_crawl_report rep = {0};
  /* one site is enough here */
  const char *site = "http://jyj.qingxi.gov.cn/";
  if (world_crawl(&w, site, &o, &rep) == GW_OK) {
    struct outcomes os;
    outcomes_load(w.st, rep.crawl_id, &os);
    size_t hit = 0;
    for (size_t k = 0; k < os.n; k++) {
      struct outcome *x = os.v[k];
      if (x->state != GW_URL_DONE && x->state != GW_URL_FAILED)
        continue;
      const char *h = x->url + 7, *p = strchr(h, '/');
      char host[256];
      snprintf(host, sizeof host, "%.*s", (int)(p - h), h);
      if (!gw_fixsrv_selected(&so, host, p) || x->error == GW_FE_DNS)
        continue;
      hit++;
      struct gw_crawl_url row = {0};
      CHECK_INT(gw_store_crawl_url_get(w.st, x->id, &row), GW_OK);
      CHECK_MSG(x->state == want_state && x->error == (int)want_error && (!want_status || x->status == want_status),
                "fault %s: %s ends %s %d %s", gw_fault_name(f), x->url, gw_url_state_key(x->state), x->status,
                gw_fetch_error_key(x->error));
      CHECK_MSG(row.attempts == 3, "fault %s: %s tried %d times", gw_fault_name(f), x->url, row.attempts);
      json_t *log = row.attempt_log ? json_loads(row.attempt_log, 0, NULL) : NULL;
      CHECK_MSG(log && json_array_size(log) == 3, "fault %s: %s logs 3 tries", gw_fault_name(f), x->url);
      json_decref(log);
      gw_crawl_url_clear(&row);
    }
    CHECK_MSG(hit > 0, "fault %s selected some fetched URL", gw_fault_name(f));
    outcomes_free(&os);
    gw_crawl_report_clear(&rep);
  }
  world_close(&w);
}

/* The server's huge fault on a subset of pages: with the body cap the page
 * is too_large, its start kept and read, the crawl goes on. */
static void test_huge(void)
{
  struct gw_fixsrv_opts so;
  gw_fixsrv_opts_default(&so);
  so.fault = GW_FAULT_HUGE;
  so.fault_times = 0;
  so.huge_bytes = 1u << 20;
  /* the server's huge page has no links: spare the homepage so the crawl
   * has somewhere to go */
  for (so.fault_every = 5; gw_fixsrv_selected(&so, "jyj.qingxi.gov.cn", "/"); so.fault_every++) {
  }
  struct world w;
  world_open(&w, &so, "huge.db", NULL);
  struct gw_crawl_opts o;
  world_opts(&w, &o);
  o.max_body = 64 * 1024;
  struct gw_crawl_report rep = {0};
  if (world_crawl(&w, "http://jyj.qingxi.gov.cn/", &o, &rep) == GW_OK) {
    CHECK_INT(rep.state, GW_CRAWL_DONE);
    struct outcomes os;
    outcomes_load(w.st, rep.crawl_id, &os);
    size_t hit = 0;
    for (size_t k = 0; k < os.n; k++) {
      struct outcome *x = os.v[k];
      const char *h = x->url + 7, *p = strchr(h, '/');
      char host[256];
      snprintf(host, sizeof host, "%.*s", (int)(p - h), h);
      if (x->kind != GW_URL_PAGE || x->state == GW_URL_SKIPPED || !gw_fixsrv_selected(&so, host, p))
        continue;
      hit++;
      struct gw_crawl_url row = {0};
      CHECK_INT(gw_store_crawl_url_get(w.st, x->id, &row), GW_OK);
      CHECK_MSG(row.state == GW_URL_DONE && row.http_status == 200 && row.error == GW_FE_TOO_LARGE &&
                    row.body_truncated && row.parsed && row.attempts == 1,
                "%s: huge answer ends %s %d %s (parsed %d, tries %d)", x->url, gw_url_state_key(row.state),
                row.http_status, gw_fetch_error_key(row.error), row.parsed, row.attempts);
      char *data = NULL;
      size_t len = 0;
      CHECK_INT(gw_store_body_get(w.st, row.body_id, &data, &len), GW_OK);
      CHECK_INT(len, 64 * 1024);
      free(data);
      gw_crawl_url_clear(&row);
    }
    CHECK_MSG(hit > 0, "the huge fault hit %zu pages", hit);
    CHECK_MSG(rep.stats.urls > 40, "the crawl went on past the huge pages (%lld URLs)", (long long)rep.stats.urls);
    CHECK_INT(rep.stats.by_error[GW_FE_TOO_LARGE], (int64_t)hit);
    outcomes_free(&os);
    gw_crawl_report_clear(&rep);
  }
  world_close(&w);
}

static double mono_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Diagnostics only: how long each part took (never asserted). */
#define TIMED(call)                                                   \
  do {                                                                \
    double t0_ = mono_s();                                            \
    call;                                                             \
    fprintf(stderr, "# %s: %.1f s\n", #call, mono_s() - t0_);        \
  } while (0)

int main(void)
{
  TIMED(test_clean());
  TIMED(test_fault(GW_FAULT_GZIP, 1, 0, 0, 0));
  TIMED(test_fault(GW_FAULT_5XX, 2, 2, 0, 0));
  TIMED(test_fault(GW_FAULT_RESET, 3, 2, 0, 0));
  TIMED(test_fault(GW_FAULT_TRUNCATE, 3, 2, 0, 0));
  TIMED(test_fault(GW_FAULT_BAD_LENGTH, 3, 2, 0, 0));
  TIMED(test_fault(GW_FAULT_SLOW, 10, 0, 200, 0));
  TIMED(test_fault(GW_FAULT_429, 80, 2, 0, 1));
  TIMED(test_huge());
  TIMED(test_persistent(GW_FAULT_RESET, GW_URL_FAILED, 0, GW_FE_RESET));
  TIMED(test_persistent(GW_FAULT_5XX, GW_URL_DONE, 503, GW_FE_HTTP));
  TIMED(test_persistent(GW_FAULT_429, GW_URL_DONE, 429, GW_FE_BLOCKED));
  TIMED(test_persistent(GW_FAULT_SLOW, GW_URL_FAILED, 0, GW_FE_TIMEOUT));
  run_free(&g_clean);
  return gw_test_done();
}
