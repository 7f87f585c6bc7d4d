/* Fuzz the reader of packed link lists (store/linkpack.h): a page_links
 * value comes from a database file, which may be damaged or another
 * program's. Whatever the bytes, the reader either rejects them (GW_EDB)
 * or yields rows that pack and read back to the same rows. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "fuzz.h"
#include "store/linkpack.h"

struct rows {
  struct gw_link_row *v;
  size_t n, cap;
};

static int count(void *ctx, const struct gw_link_row *l)
{
  (void)l;
  ++*(int64_t *)ctx;
  return 0;
}

static int keep(void *ctx, const struct gw_link_row *l)
{
  struct rows *r = ctx;
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 8;
    struct gw_link_row *v = realloc(r->v, r->cap * sizeof *v);
    if (!v)
      abort();
    r->v = v;
  }
  struct gw_link_row *d = &r->v[r->n++];
  *d = *l;
  d->tag = gw_strdup(l->tag);
  d->anchor = gw_strdup(l->anchor);
  return 0;
}

static int same(void *ctx, const struct gw_link_row *l)
{
  struct rows *r = ctx;
  if (r->n == 0)
    abort();
  const struct gw_link_row *w = r->v;
  if (w->from_id != l->from_id || w->seq != l->seq || w->to_id != l->to_id || strcmp(w->tag, l->tag) != 0 ||
      strcmp(w->anchor, l->anchor) != 0 || w->hidden != l->hidden || w->line != l->line ||
      w->in_footer != l->in_footer || w->on_homepage != l->on_homepage)
    abort();
  r->v++;
  r->n--;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const int64_t from = 1000;
  int64_t n = 0;
  int rc = gw_linkpack_each(data, size, from, 0, "fuzz", count, &n);
  if (rc != GW_OK && rc != GW_EDB)
    abort();
  if (rc == GW_OK || n == 0)
    return 0;
  /* a count mismatch only when every occurrence was read */
  struct rows r = {0};
  rc = gw_linkpack_each(data, size, from, n, "fuzz", keep, &r);
  if (rc == GW_OK) {
    if ((int64_t)r.n != n)
      abort();
    for (size_t i = 0; i < r.n; i++)
      if (r.v[i].seq < 0 || r.v[i].to_id <= 0 || !r.v[i].tag[0] || (i && r.v[i].seq <= r.v[i - 1].seq))
        abort();
    struct gw_buf b = GW_BUF_INIT;
    if (gw_linkpack_encode(&b, r.v, r.n) != GW_OK)
      abort();
    struct rows cur = r;
    if (gw_linkpack_each(b.data, b.len, from, n, "fuzz", same, &cur) != GW_OK || cur.n != 0)
      abort();
    gw_buf_free(&b);
  } else if (rc != GW_EDB) {
    abort();
  }
  for (size_t i = 0; i < r.n; i++) {
    free(r.v[i].tag);
    free(r.v[i].anchor);
  }
  free(r.v);
  return 0;
}
