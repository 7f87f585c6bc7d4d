/* Fuzz target: text of office documents (text/doctext.c: libzip, libxml2's
 * reader over word/document.xml, XLSX through tab/table.h, caps).
 *
 * The first byte chooses the kind (even: DOCX, odd: XLSX). The rest is the
 * document itself when it starts with "PK"; otherwise, for DOCX, it is the
 * XML of word/document.xml, packed into a zip here so that mutations of the
 * XML are not all stopped by the zip layer's CRC check.
 *
 * Beyond "no crash, no leak": on success the text is valid UTF-8, within
 * GW_DOCTEXT_MAX_TEXT, and appended after what the buffer held. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "text/doctext.h"
#include "fuzz.h"

static void *pack(const uint8_t *xml, size_t len, size_t *outlen)
{
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  if (!src)
    abort();
  zip_source_keep(src);
  zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  if (!za)
    abort();
  zip_source_t *s = zip_source_buffer(za, xml, len, 0);
  zip_int64_t idx = s ? zip_file_add(za, "word/document.xml", s, 0) : -1;
  if (idx < 0)
    abort();
  zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
  if (zip_close(za) != 0)
    abort();
  zip_stat_t st;
  if (zip_source_open(src) != 0 || zip_source_stat(src, &st) != 0)
    abort();
  void *buf = malloc(st.size ? st.size : 1);
  if (!buf || zip_source_read(src, buf, st.size) != (zip_int64_t)st.size)
    abort();
  zip_source_close(src);
  zip_source_free(src);
  zip_error_fini(&ze);
  *outlen = st.size;
  return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  enum gw_doc_kind kind = (data[0] & 1) ? GW_DOC_XLSX : GW_DOC_DOCX;
  data++;
  size--;
  void *zip = NULL;
  size_t zlen = size;
  const void *in = data;
  if (kind == GW_DOC_DOCX && !(size >= 2 && data[0] == 'P' && data[1] == 'K')) {
    zip = pack(data, size, &zlen);
    in = zip;
  }
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, "前");
  size_t before = b.len;
  bool truncated = true;
  int rc = gw_doctext_extract("fuzz", kind, in, zlen, &b, &truncated);
  free(zip);
  if (rc == 0) {
    if (memcmp(b.data, "前", before) != 0 || !gw_utf8_valid(b.data, b.len) ||
        b.len - before > GW_DOCTEXT_MAX_TEXT || (truncated && b.len - before < GW_DOCTEXT_MAX_TEXT / 2))
      abort();
  }
  gw_buf_free(&b);
  return 0;
}
