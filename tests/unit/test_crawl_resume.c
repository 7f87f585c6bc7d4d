/* Resume after kill -9 and conditional re-crawls, on the sample family's
 * portal (www.qingxi.gov.cn) through the loopback fixture server.
 *
 * A child process crawls and is SIGKILLed once some results are
 * committed; a second child resumes and is killed again; the parent
 * resumes to the end. The final rows must equal an uninterrupted crawl's,
 * nothing may be duplicated, and no URL committed before a kill may be
 * requested again (the fixture handler counts requests per URL). Then a
 * re-crawl sends ETag / Last-Modified per URL and reuses each URL's own
 * body on 304, even where many URLs share one ETag. */
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/store_impl.h"
#include "test_crawl_fixture.h"

#define SITE "http://www.qingxi.gov.cn/"

static long long q_int(struct gw_store *st, const char *sql)
{
  sqlite3_stmt *q = NULL;
  long long v = -1;
  sqlite3 *db = gw_store_sqlite_db(st);
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
    v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return v;
}

static void nap_ms(long ms)
{
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Final outcomes of a crawl as "url -> state status error redirects links". */
static void outcome_strings(struct gw_store *st, int64_t crawl, struct gw_map *out)
{
  struct outcomes os;
  outcomes_load(st, crawl, &os);
  for (size_t i = 0; i < os.n; i++) {
    struct outcome *o = os.v[i];
    char v[200];
    struct gw_crawl_url row = {0};
    CHECK_INT(gw_store_crawl_url_get(st, o->id, &row), GW_OK);
    snprintf(v, sizeof v, "%s %d %s %d %d %s", gw_url_state_key(o->state), o->status, gw_fetch_error_key(o->error),
             o->redirects, row.links, gw_skip_reason_key(row.skip));
    gw_crawl_url_clear(&row);
    gw_map_put(out, o->url, gw_strdup(v));
  }
  outcomes_free(&os);
}

static void map_free_vals(struct gw_map *m)
{
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].key)
      free(m->slots[i].val);
  gw_map_free(m);
}

/* Committed rows that are done or failed, with the request count each
 * had at this moment. */
struct snapshot {
  struct gw_map count; /* url -> (uintptr_t) requests so far + 1 */
  size_t n;
};

struct snap_ctx {
  struct world *w;
  struct snapshot *s;
};

static int snap_row(void *ctx, const struct gw_crawl_url *u)
{
  struct snap_ctx *sc = ctx;
  if (u->state != GW_URL_DONE && u->state != GW_URL_FAILED)
    return 0;
  gw_map_put(&sc->s->count, u->url, (void *)(uintptr_t)(world_count_url(sc->w, u->url) + 1));
  sc->s->n++;
  return 0;
}

static void take_snapshot(struct world *w, int64_t crawl, struct snapshot *s)
{
  memset(s, 0, sizeof *s);
  struct gw_store *ro = NULL;
  CHECK_INT(gw_store_open(&ro, w->db, GW_STORE_READONLY), GW_OK);
  struct snap_ctx sc = {w, s};
  CHECK_INT(gw_store_crawl_url_each(ro, crawl, 0, snap_row, &sc), GW_OK);
  gw_store_close(&ro);
}

/* Crawl SITE in a child, SIGKILL it once `done_rows` results are committed. */
static void crawl_and_kill(struct world *w, const struct gw_crawl_opts *o, long long done_rows)
{
  /* the parent's store connection must not be shared with the child */
  gw_store_close(&w->st);
  pid_t pid = fork();
  if (pid == 0) {
    struct gw_store *st = NULL;
    if (gw_store_open(&st, w->db, 0) != GW_OK)
      _exit(3);
    struct gw_site s = {0};
    if (gw_store_site_get_by_url(st, SITE, &s) != GW_OK)
      _exit(4);
    struct gw_crawl_report rep = {0};
    gw_crawl_site(st, &s, o, &rep);
    _exit(0); /* finished before the kill: the test then fails its count check */
  }
  long long done = 0;
  for (int i = 0; i < 20000 && done < done_rows; i++) {
    nap_ms(2);
    struct gw_store *ro = NULL;
    if (gw_store_open(&ro, w->db, GW_STORE_READONLY) == GW_OK) {
      done = q_int(ro, "SELECT count(*) FROM crawl_urls WHERE state IN (2, 3)");
      gw_store_close(&ro);
    }
  }
  CHECK_INT(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the crawl was killed mid-way (status 0x%x, %lld done)",
            status, done);
  CHECK_INT(gw_store_open(&w->st, w->db, 0), GW_OK);
}

static void check_not_refetched(struct world *w, const struct snapshot *s, const struct gw_map *redirect_targets,
                                const char *when)
{
  size_t bad = 0;
  for (size_t i = 0; i < s->count.cap; i++) {
    const char *u = s->count.slots[i].key;
    if (!u || gw_map_has(redirect_targets, u))
      continue;
    unsigned then = (unsigned)((uintptr_t)s->count.slots[i].val - 1), now = world_count_url(w, u);
    if (now != then && bad++ < 5)
      CHECK_MSG(0, "%s: %s committed before the kill was requested again (%u -> %u)", when, u, then, now);
  }
  CHECK_MSG(bad == 0, "%s: %zu of %zu committed URLs requested again", when, bad, s->n);
}

static int collect_final(void *ctx, const struct gw_crawl_url *u)
{
  if (u->final_url)
    gw_map_put(ctx, u->final_url, NULL);
  return 0;
}

static void test_kill_resume(void)
{
  /* the reference: one uninterrupted crawl */
  struct world ref;
  world_open(&ref, NULL, "reference.db", NULL);
  struct gw_crawl_opts o;
  world_opts(&ref, &o);
  struct gw_crawl_report rep = {0};
  CHECK_INT(world_crawl(&ref, SITE, &o, &rep), GW_OK);
  struct gw_map want = GW_MAP_INIT;
  outcome_strings(ref.st, rep.crawl_id, &want);
  int64_t want_links = rep.stats.links, want_urls = rep.stats.urls;
  CHECK_MSG(want_urls > 80, "the portal crawl has %lld URLs", (long long)want_urls);
  gw_crawl_report_clear(&rep);
  world_close(&ref);

  struct world w;
  world_open(&w, NULL, "killed.db", NULL);
  world_opts(&w, &o);
  o.batch_urls = 5;          /* small batches: kills land between many commits */
  o.per_host = 2;
  o.interval_ms = 3;         /* slow enough to be killed mid-way */

  crawl_and_kill(&w, &o, 25);
  struct gw_crawl c1 = {0};
  struct gw_site site = {0};
  world_site(&w, SITE, &site);
  CHECK_INT(gw_store_crawl_last(w.st, site.id, false, &c1), GW_OK);
  CHECK_INT(c1.state, GW_CRAWL_RUNNING); /* killed: never marked */
  struct snapshot s1;
  take_snapshot(&w, c1.id, &s1);
  CHECK_MSG(s1.n >= 25 && (long long)s1.n < want_urls, "first kill after %zu of %lld URLs", s1.n, (long long)want_urls);

  crawl_and_kill(&w, &o, (long long)s1.n + 40);
  struct snapshot s2;
  take_snapshot(&w, c1.id, &s2);
  CHECK_MSG(s2.n > s1.n && (long long)s2.n < want_urls, "second kill after %zu URLs", s2.n);

  /* the parent finishes it */
  o.interval_ms = 0;
  o.per_host = 8;
  CHECK_INT(gw_crawl_site(w.st, &site, &o, &rep), GW_OK);
  CHECK(rep.resumed);
  CHECK_INT(rep.crawl_id, c1.id);
  CHECK_INT(rep.runs, 3);
  CHECK_INT(rep.state, GW_CRAWL_DONE);
  CHECK_INT(rep.stats.urls, want_urls);
  CHECK_INT(rep.stats.links, want_links);
  CHECK_INT(rep.stats.by_state[GW_URL_QUEUED], 0);
  CHECK_CONTAINS(rep.summary, "\"resumed\":true");

  struct gw_map got = GW_MAP_INIT;
  outcome_strings(w.st, rep.crawl_id, &got);
  size_t diff = 0;
  for (size_t i = 0; i < want.cap; i++) {
    const char *u = want.slots[i].key;
    if (!u)
      continue;
    const char *g = gw_map_get(&got, u);
    if ((!g || strcmp(g, want.slots[i].val) != 0) && diff++ < 8)
      CHECK_MSG(0, "%s: resumed '%s', uninterrupted '%s'", u, g ? g : "(absent)", (const char *)want.slots[i].val);
  }
  CHECK_MSG(diff == 0 && got.n == want.n, "resumed crawl equals the uninterrupted one (%zu differ, %zu vs %zu)", diff,
            got.n, want.n);
  /* nothing single is doubled */
  CHECK_INT(q_int(w.st, "SELECT count(*) - count(DISTINCT crawl_id || ' ' || url) FROM crawl_urls"), 0);
  CHECK_INT(q_int(w.st, "SELECT count(*) FROM crawls"), 1);

  struct gw_map targets = GW_MAP_INIT;
  CHECK_INT(gw_store_crawl_url_each(w.st, rep.crawl_id, 0, collect_final, &targets), GW_OK);
  check_not_refetched(&w, &s1, &targets, "after the first kill");
  check_not_refetched(&w, &s2, &targets, "after the second kill");
  gw_map_free(&targets);
  gw_map_free(&s1.count);
  gw_map_free(&s2.count);
  map_free_vals(&got);
  map_free_vals(&want);
  gw_crawl_report_clear(&rep);
  gw_crawl_clear(&c1);
  gw_site_clear(&site);
  world_close(&w);
}

struct etag_rows {
  struct gw_map etag_of;  /* url -> etag */
  struct gw_map body_of;  /* url -> (uintptr_t) body id */
  struct gw_map id_of;    /* url -> (uintptr_t) row id */
};

static int etag_row(void *ctx, const struct gw_crawl_url *u)
{
  struct etag_rows *r = ctx;
  if (u->kind != GW_URL_PAGE || !u->internal || u->state != GW_URL_DONE)
    return 0;
  gw_map_put(&r->etag_of, u->url, u->etag ? gw_strdup(u->etag) : NULL);
  gw_map_put(&r->body_of, u->url, (void *)(uintptr_t)u->body_id);
  gw_map_put(&r->id_of, u->url, (void *)(uintptr_t)u->id);
  return 0;
}

struct recrawl_check {
  struct etag_rows *prev;
  size_t rows, not_modified, same_body, twins;
  size_t bad;
};

static int check_recrawl_row(void *ctx, const struct gw_crawl_url *u)
{
  struct recrawl_check *rc = ctx;
  if (u->kind != GW_URL_PAGE || !u->internal || u->state != GW_URL_DONE)
    return 0;
  if (!gw_map_get(&rc->prev->etag_of, u->url)) {
    /* nothing to be conditional on (the broken link's 404): asked plainly */
    if (u->http_status == 304 && rc->bad++ < 5)
      CHECK_MSG(0, "%s: 304 without a previous validator", u->url);
    return 0;
  }
  rc->rows++;
  uintptr_t prev_body = (uintptr_t)gw_map_get(&rc->prev->body_of, u->url);
  uintptr_t prev_id = (uintptr_t)gw_map_get(&rc->prev->id_of, u->url);
  if (u->http_status == 304) {
    rc->not_modified++;
    /* the URL's own previous body, never another URL's */
    if ((uintptr_t)u->body_id == prev_body && (uintptr_t)u->reused_id == prev_id && u->parsed)
      rc->same_body++;
    else if (rc->bad++ < 5)
      CHECK_MSG(0, "%s: 304 reused body %lld (own previous %lu)", u->url, (long long)u->body_id,
                (unsigned long)prev_body);
  } else if (rc->bad++ < 5) {
    CHECK_MSG(0, "%s: answered %d to a conditional request (ETag %s, Last-Modified %s)", u->url, u->http_status,
              u->etag ? u->etag : "-", u->last_modified ? u->last_modified : "-");
  }
  return 0;
}

static void test_recrawl(void)
{
  struct world w;
  world_open(&w, NULL, "recrawl.db", NULL);
  struct gw_crawl_opts o;
  world_opts(&w, &o);
  struct gw_crawl_report r1 = {0}, r2 = {0};
  CHECK_INT(world_crawl(&w, SITE, &o, &r1), GW_OK);
  CHECK_INT(r1.stats.not_modified, 0);
  CHECK_INT(r1.prev_id, 0);

  struct etag_rows prev;
  memset(&prev, 0, sizeof prev);
  CHECK_INT(gw_store_crawl_url_each(w.st, r1.crawl_id, 0, etag_row, &prev), GW_OK);
  /* the portal publishes in batches: different pages share one ETag */
  size_t twins = 0;
  for (size_t i = 0; i < prev.etag_of.cap; i++) {
    const char *a = prev.etag_of.slots[i].key, *ea = prev.etag_of.slots[i].val;
    if (!a || !ea)
      continue;
    for (size_t k = i + 1; k < prev.etag_of.cap; k++) {
      const char *b = prev.etag_of.slots[k].key, *eb = prev.etag_of.slots[k].val;
      if (b && eb && strcmp(ea, eb) == 0 && gw_map_get(&prev.body_of, a) != gw_map_get(&prev.body_of, b)) {
        twins++;
        break;
      }
    }
  }
  CHECK_MSG(twins >= 5, "%zu pages share an ETag with another page of different content", twins);

  unsigned before = world_count(&w, "www.qingxi.gov.cn", "/");
  CHECK_INT(world_crawl(&w, SITE, &o, &r2), GW_OK);
  CHECK(r2.crawl_id != r1.crawl_id);
  CHECK(!r2.resumed);
  CHECK_INT(r2.prev_id, r1.crawl_id);
  CHECK_INT(world_count(&w, "www.qingxi.gov.cn", "/"), before + 1);
  struct recrawl_check rc = {&prev, 0, 0, 0, 0, 0};
  CHECK_INT(gw_store_crawl_url_each(w.st, r2.crawl_id, 0, check_recrawl_row, &rc), GW_OK);
  CHECK_MSG(rc.rows > 50 && rc.not_modified == rc.rows, "%zu of %zu pages answered 304", rc.not_modified, rc.rows);
  CHECK_INT(rc.same_body, rc.not_modified);
  CHECK_INT(r2.stats.not_modified, rc.not_modified + 1); /* + robots.txt */
  /* 304s keep the crawl whole: the same URLs and links as before */
  CHECK_INT(r2.stats.urls, r1.stats.urls);
  CHECK_INT(r2.stats.links, r1.stats.links);
  CHECK_INT(r2.stats.parsed, r1.stats.parsed);
  CHECK_CONTAINS(r2.summary, "\"not_modified\":");

  /* a third crawl after an unconditional one stays conditional per URL */
  struct gw_crawl_report r3 = {0};
  CHECK_INT(world_crawl(&w, SITE, &o, &r3), GW_OK);
  CHECK_INT(r3.prev_id, r2.crawl_id);
  CHECK_INT(r3.stats.not_modified, r2.stats.not_modified);

  for (size_t i = 0; i < prev.etag_of.cap; i++)
    if (prev.etag_of.slots[i].key)
      free(prev.etag_of.slots[i].val);
  gw_map_free(&prev.etag_of);
  gw_map_free(&prev.body_of);
  gw_map_free(&prev.id_of);
  gw_crawl_report_clear(&r1);
  gw_crawl_report_clear(&r2);
  gw_crawl_report_clear(&r3);
  world_close(&w);
}

int main(void)
{
  test_kill_resume();
  test_recrawl();
  return gw_test_done();
}
