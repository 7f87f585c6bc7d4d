/* Stored response bodies: compression before storing, decompression after
 * reading (store.h gw_store_body_prepare / gw_store_body_decode).
 *
 * New bodies are one Zstandard frame each. The crawler compresses every
 * page it fetches in its worker threads, thousands a second; on pages of a
 * few kilobytes zlib's compress2 at level 1 took about three times as long
 * as Zstandard level 1 with a context kept per thread and reused, for a
 * ratio only 4 % better (bench/README.md). Bodies written before
 * migration 10 are zlib streams (codec 0) and are read as such. */
#include "store/store.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "core/alloc.h"
#include "core/error.h"

/* Zstandard level 1: the fastest of the regular levels. */
#define BODY_ZSTD_LEVEL 1

static pthread_key_t g_ctx_key;
static pthread_once_t g_ctx_once = PTHREAD_ONCE_INIT;

struct body_ctx {
  ZSTD_CCtx *c;
  ZSTD_DCtx *d;
};

static void ctx_free(void *p)
{
  struct body_ctx *x = p;
  if (!x)
    return;
  ZSTD_freeCCtx(x->c);
  ZSTD_freeDCtx(x->d);
  free(x);
}

static void ctx_key_make(void)
{
  if (pthread_key_create(&g_ctx_key, ctx_free) != 0)
    abort();
}

/* This thread's contexts (made on first use, freed when the thread ends). */
static struct body_ctx *thread_ctx(void)
{
  pthread_once(&g_ctx_once, ctx_key_make);
  struct body_ctx *x = pthread_getspecific(g_ctx_key);
  if (!x) {
    x = gw_calloc(1, sizeof *x);
    if (pthread_setspecific(g_ctx_key, x) != 0) {
      free(x);
      return NULL;
    }
  }
  return x;
}

int gw_store_body_prepare(const void *data, size_t len, struct gw_store_body *out)
{
  if (!data && len)
    return gw_err_set(GW_EINVAL, "gw_store_body_prepare: no data for %zu bytes", len);
  if ((uint64_t)len > (uint64_t)UINT32_MAX)
    return gw_err_set(GW_ELIMIT, "a body of %zu bytes is too large to store", len);
  if (!data)
    data = "";
  struct body_ctx *x = thread_ctx();
  if (x && !x->c)
    x->c = ZSTD_createCCtx();
  if (!x || !x->c)
    return gw_err_set(GW_ENOMEM, "cannot compress a body of %zu bytes: no compression context", len);
  size_t cap = ZSTD_compressBound(len);
  void *z = gw_malloc(cap ? cap : 1);
  size_t zlen = ZSTD_compressCCtx(x->c, z, cap, data, len, BODY_ZSTD_LEVEL);
  if (ZSTD_isError(zlen)) {
    free(z);
    return gw_err_set(GW_ENOMEM, "cannot compress a body of %zu bytes: %s", len, ZSTD_getErrorName(zlen));
  }
  uLong crc = crc32(0L, Z_NULL, 0), ad = adler32(0L, Z_NULL, 0);
  crc = crc32(crc, data, (uInt)len);
  ad = adler32(ad, data, (uInt)len);
  out->zdata = z;
  out->zlen = zlen;
  out->size = len;
  out->codec = GW_BODY_ZSTD;
  out->hash = (int64_t)(((uint64_t)(crc & 0xFFFFFFFFu) << 32) | (uint64_t)(ad & 0xFFFFFFFFu));
  return GW_OK;
}

void gw_store_body_clear(struct gw_store_body *b)
{
  free(b->zdata);
  memset(b, 0, sizeof *b);
}

int gw_store_body_decode(int codec, const void *z, size_t zlen, void *out, size_t size, int64_t id,
                         const char *label)
{
  if (!z || !zlen)
    return gw_err_set(GW_EDB, "%s: stored body %lld has no compressed data", label, (long long)id);
  if (codec == GW_BODY_ZLIB) {
    uLongf got = (uLongf)size;
    int zr = uncompress((Bytef *)out, &got, z, (uLong)zlen);
    if (zr != Z_OK || got != (uLongf)size)
      return gw_err_set(GW_EDB, "%s: stored body %lld is damaged (zlib %d, %lu of %zu bytes)", label, (long long)id,
                        zr, (unsigned long)got, size);
    return GW_OK;
  }
  if (codec != GW_BODY_ZSTD)
    return gw_err_set(GW_EDB, "%s: stored body %lld has an unknown codec %d", label, (long long)id, codec);
  struct body_ctx *x = thread_ctx();
  if (x && !x->d)
    x->d = ZSTD_createDCtx();
  if (!x || !x->d)
    return gw_err_set(GW_ENOMEM, "%s: no decompression context for stored body %lld", label, (long long)id);
  /* the frame must say its size and say the recorded one */
  unsigned long long framed = ZSTD_getFrameContentSize(z, zlen);
  if (framed != (unsigned long long)size)
    return gw_err_set(GW_EDB, "%s: stored body %lld is damaged (its frame holds %lld bytes, %zu recorded)", label,
                      (long long)id, framed >= ZSTD_CONTENTSIZE_ERROR ? -1LL : (long long)framed, size);
  size_t got = ZSTD_decompressDCtx(x->d, out, size, z, zlen);
  if (ZSTD_isError(got) || got != size)
    return gw_err_set(GW_EDB, "%s: stored body %lld is damaged (zstd: %s, %zu recorded bytes)", label, (long long)id,
                      ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short frame", size);
  return GW_OK;
}
