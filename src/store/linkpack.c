/* A page's links as one value: see linkpack.h for the layout. */
#include "store/linkpack.h"

#include "core/alloc.h"
#include "core/error.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static size_t put_varint(unsigned char *p, uint64_t v)
{
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  p[n++] = (unsigned char)v;
  return n;
}

static uint64_t zigzag(int64_t v)
{
  return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
  return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

int gw_linkpack_encode(struct gw_buf *out, const struct gw_link_row *rows, size_t n)
{
  int rc;
  if (out->len == 0) {
    unsigned char v = GW_LINKPACK_VERSION;
    if ((rc = gw_buf_append(out, &v, 1)) != GW_OK)
      return rc;
  }
  for (size_t i = 0; i < n; i++) {
    const struct gw_link_row *l = &rows[i];
    const char *anchor = l->anchor ? l->anchor : "";
    size_t tlen = strlen(l->tag), alen = strlen(anchor);
    /* seq, target and tag length before the tag (3 varints of at most 10
     * bytes); hidden, line and the flags byte after the anchor */
    unsigned char head[30], tail[21];
    size_t h = put_varint(head, (uint64_t)l->seq);
    h += put_varint(head + h, zigzag(l->to_id - l->from_id));
    h += put_varint(head + h, tlen);
    size_t t = put_varint(tail, l->hidden);
    t += put_varint(tail + t, zigzag((int64_t)l->line));
    tail[t++] = (unsigned char)((l->in_footer ? 1 : 0) | (l->on_homepage ? 2 : 0));
    unsigned char alen_v[10];
    size_t a = put_varint(alen_v, alen);
    if ((rc = gw_buf_append(out, head, h)) != GW_OK || (rc = gw_buf_append(out, l->tag, tlen)) != GW_OK ||
        (rc = gw_buf_append(out, alen_v, a)) != GW_OK || (rc = gw_buf_append(out, anchor, alen)) != GW_OK ||
        (rc = gw_buf_append(out, tail, t)) != GW_OK)
      return rc;
  }
  return GW_OK;
}

struct reader {
  const unsigned char *p;
  size_t len, at;
  bool bad;
};

static uint64_t get_varint(struct reader *r)
{
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (r->at >= r->len) {
      r->bad = true;
      return 0;
    }
    unsigned char b = r->p[r->at++];
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      return v;
  }
  r->bad = true; /* more than 10 bytes */
  return 0;
}

/* Take len bytes as a string into *dst (NUL-terminated, advancing *dst). */
static const char *get_bytes(struct reader *r, uint64_t n, char **dst)
{
  if (r->bad || n > r->len - r->at || memchr(r->p + r->at, '\0', (size_t)n)) {
    r->bad = true;
    return NULL;
  }
  char *s = *dst;
  memcpy(s, r->p + r->at, (size_t)n);
  s[n] = '\0';
  *dst += n + 1;
  r->at += (size_t)n;
  return s;
}

int gw_linkpack_each(const void *data, size_t len, int64_t from_id, int64_t n, const char *what, gw_linkpack_fn fn,
                     void *ctx)
{
  struct reader r = {data, len, 0, false};
  if (len == 0 || r.p[0] != GW_LINKPACK_VERSION)
    return gw_err_set(GW_EDB, "%s of crawl URL %lld: not a packed link list (version byte %d)", what,
                      (long long)from_id, len ? r.p[0] : -1);
  r.at = 1;
  /* a page's strings all fit in its value (plus their terminators) */
  char *scratch = gw_malloc(len + 2);
  int64_t count = 0, last_seq = -1;
  int rc = 0;
  while (r.at < len) {
    size_t start = r.at;
    char *dst = scratch;
    struct gw_link_row l = {0};
    l.from_id = from_id;
    uint64_t seq = get_varint(&r);
    if (__builtin_add_overflow(from_id, unzigzag(get_varint(&r)), &l.to_id))
      r.bad = true;
    l.tag = (char *)get_bytes(&r, get_varint(&r), &dst);
    l.anchor = (char *)get_bytes(&r, get_varint(&r), &dst);
    uint64_t hidden = get_varint(&r);
    l.line = (long)unzigzag(get_varint(&r));
    unsigned flags = 0;
    if (!r.bad && r.at < len)
      flags = r.p[r.at++];
    else
      r.bad = true;
    if (r.bad || seq > INT32_MAX || (int64_t)seq <= last_seq || l.to_id <= 0 || hidden > UINT32_MAX || flags > 3 ||
        !l.tag[0]) {
      rc = gw_err_set(GW_EDB, "%s of crawl URL %lld: damaged at byte %zu (occurrence %lld)", what,
                      (long long)from_id, start, (long long)count + 1);
      break;
    }
    l.seq = (int)seq;
    last_seq = (int64_t)seq;
    l.hidden = (unsigned)hidden;
    l.in_footer = flags & 1;
    l.on_homepage = (flags & 2) != 0;
    count++;
    if ((rc = fn(ctx, &l)) != 0)
      break;
  }
  free(scratch);
  if (rc == 0 && count != n)
    rc = gw_err_set(GW_EDB, "%s of crawl URL %lld: %lld links stored, %lld recorded", what, (long long)from_id,
                    (long long)count, (long long)n);
  return rc;
}
