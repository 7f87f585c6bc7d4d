/* Plain text of DOCX and XLSX documents (doctext.h). DOCX is read here
 * with libzip and libxml2's streaming reader; XLSX goes through tab/table.h,
 * which already reads workbooks (shared strings, number formats, caps). */
#include "text/doctext.h"

#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/error.h"
#include "tab/table.h"

/* ---- kinds ---- */

static bool ct_is(const char *ct, const char *want)
{
  size_t n = strcspn(ct, ";");
  while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
    n--;
  while (n && (*ct == ' ' || *ct == '\t')) {
    ct++;
    n--;
  }
  return n == strlen(want) && strncasecmp(ct, want, n) == 0;
}

static bool path_ends(const char *url, const char *ext)
{
  if (!url)
    return false;
  size_t n = strcspn(url, "?#");
  size_t e = strlen(ext);
  return n >= e && strncasecmp(url + n - e, ext, e) == 0;
}

enum gw_doc_kind gw_doctext_kind(const char *content_type, const char *url)
{
  if (content_type && *content_type) {
    if (ct_is(content_type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
      return GW_DOC_DOCX;
    if (ct_is(content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
      return GW_DOC_XLSX;
    /* a specific other type (text/html for an error page, application/pdf)
     * is not a document we read, whatever the name says */
    if (!ct_is(content_type, "application/octet-stream") && !ct_is(content_type, "application/zip") &&
        !ct_is(content_type, "application/x-zip-compressed") && !ct_is(content_type, "binary/octet-stream"))
      return GW_DOC_UNKNOWN;
  }
  if (path_ends(url, ".docx"))
    return GW_DOC_DOCX;
  if (path_ends(url, ".xlsx"))
    return GW_DOC_XLSX;
  return GW_DOC_UNKNOWN;
}

const char *gw_doctext_kind_name(enum gw_doc_kind k)
{
  switch (k) {
  case GW_DOC_DOCX:
    return "docx";
  case GW_DOC_XLSX:
    return "xlsx";
  default:
    return "?";
  }
}

/* ---- capped output ---- */

struct sink {
  struct gw_buf *out;
  size_t start;   /* out->len when extraction began */
  bool full;
  bool *truncated;
};

/* Append s[0..n), cut at a UTF-8 boundary at the text cap. */
static void put(struct sink *k, const char *s, size_t n)
{
  if (k->full)
    return;
  size_t used = k->out->len - k->start;
  if (n > GW_DOCTEXT_MAX_TEXT - used) {
    n = GW_DOCTEXT_MAX_TEXT - used;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--;
    k->full = true;
    if (k->truncated)
      *k->truncated = true;
  }
  if (n && gw_buf_append(k->out, s, n) != GW_OK) {
    k->full = true; /* the caller's own cap */
    if (k->truncated)
      *k->truncated = true;
  }
}

static void put_c(struct sink *k, char c)
{
  put(k, &c, 1);
}

/* Drop trailing blanks and tabs of the current line. */
static void trim_tail(struct sink *k)
{
  while (k->out->len > k->start && (k->out->data[k->out->len - 1] == ' ' || k->out->data[k->out->len - 1] == '\t'))
    k->out->data[--k->out->len] = '\0';
}

/* ---- DOCX ---- */

static int read_entry(const char *name, zip_t *za, const char *entry, char **data, size_t *len)
{
  zip_int64_t idx = zip_name_locate(za, entry, ZIP_FL_NOCASE);
  if (idx < 0)
    return gw_err_set(GW_EPARSE, "%s: not a DOCX document (the archive has no %s)", name, entry);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
      st.size > GW_DOCTEXT_MAX_PART)
    return gw_err_set(GW_ELIMIT, "%s: %s is %llu bytes uncompressed, over the cap of %zu", name, entry,
                      (unsigned long long)st.size, GW_DOCTEXT_MAX_PART);
  zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
  if (!zf)
    return gw_err_set(GW_EPARSE, "%s: cannot open %s: %s", name, entry, zip_strerror(za));
  struct gw_buf b;
  gw_buf_init(&b, GW_DOCTEXT_MAX_PART);
  char chunk[16384];
  int rc = GW_OK;
  for (;;) {
    zip_int64_t n = zip_fread(zf, chunk, sizeof chunk);
    if (n < 0) {
      rc = gw_err_set(GW_EPARSE, "%s: cannot read %s: %s", name, entry, zip_file_strerror(zf));
      break;
    }
    if (n == 0)
      break;
    if (gw_buf_append(&b, chunk, (size_t)n) != GW_OK) {
      /* the size in the directory lied: a zip bomb */
      rc = gw_err_set(GW_ELIMIT, "%s: %s is over the cap of %zu bytes uncompressed", name, entry,
                      GW_DOCTEXT_MAX_PART);
      break;
    }
  }
  zip_fclose(zf);
  if (rc == GW_OK) {
    *len = b.len;
    gw_buf_puts(&b, "");
    *data = gw_buf_steal(&b);
  } else {
    gw_buf_free(&b);
  }
  return rc;
}

static bool is(const xmlChar *local, const char *want)
{
  return local && strcmp((const char *)local, want) == 0;
}

static void silent(void *ctx, xmlErrorPtr e)
{
  char *msg = ctx;
  if (!msg[0] && e && e->level >= XML_ERR_ERROR)
    snprintf(msg, 200, "line %d: %s", e->line, e->message ? e->message : "malformed XML");
}

static int docx_text(const char *name, const char *xml, size_t len, struct sink *k)
{
  if (len > INT32_MAX)
    return gw_err_set(GW_ELIMIT, "%s: word/document.xml is too large", name);
  xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)len, "word/document.xml", NULL, XML_PARSE_NONET);
  if (!r)
    return gw_err_set(GW_EPARSE, "%s: cannot start the XML reader", name);
  char xmlmsg[200] = "";
  xmlTextReaderSetStructuredErrorHandler(r, silent, xmlmsg);
  int rc = GW_OK;
  int in_t = 0, skip_depth = -1;
  long cells = 0; /* open table cells (nested tables count) */
  int ret;
  while ((ret = xmlTextReaderRead(r)) == 1) {
    int type = xmlTextReaderNodeType(r);
    int depth = xmlTextReaderDepth(r);
    const xmlChar *local = xmlTextReaderConstLocalName(r);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
      rc = gw_err_set(GW_EPARSE, "%s: word/document.xml has a DTD (not allowed in a document part)", name);
      break;
    }
    if (skip_depth >= 0) {
      if (type == XML_READER_TYPE_END_ELEMENT && depth == skip_depth)
        skip_depth = -1;
      continue;
    }
    if (type == XML_READER_TYPE_ELEMENT) {
      bool empty = xmlTextReaderIsEmptyElement(r);
      if (is(local, "Fallback") && !empty) {
        skip_depth = depth; /* mc:AlternateContent's second copy of the same text */
      } else if (is(local, "t") && !empty) {
        in_t++;
      } else if (is(local, "tab")) {
        put_c(k, cells ? ' ' : '\t');
      } else if (is(local, "br") || is(local, "cr")) {
        put_c(k, cells ? ' ' : '\n');
      } else if (is(local, "tc") && !empty) {
        cells++;
      } else if (is(local, "tc") && empty) {
        put_c(k, '\t');
      }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
      if (is(local, "t") && in_t > 0) {
        in_t--;
      } else if (is(local, "p")) {
        if (cells) {
          put_c(k, ' ');
        } else {
          trim_tail(k);
          put_c(k, '\n');
        }
      } else if (is(local, "tc") && cells > 0) {
        cells--;
        trim_tail(k);
        put_c(k, '\t');
      } else if (is(local, "tr")) {
        trim_tail(k);
        put_c(k, cells ? ' ' : '\n');
      }
    } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                type == XML_READER_TYPE_CDATA) &&
               in_t > 0) {
      const xmlChar *v = xmlTextReaderConstValue(r);
      if (v)
        put(k, (const char *)v, strlen((const char *)v));
    }
    if (k->full)
      break;
  }
  if (rc == GW_OK && ret < 0 && !k->full)
    rc = gw_err_set(GW_EPARSE, "%s: word/document.xml is malformed (%s)", name,
                    xmlmsg[0] ? xmlmsg : "XML error");
  xmlFreeTextReader(r);
  return rc;
}

static int docx(const char *name, const void *data, size_t len, struct sink *k)
{
  if (len == 0)
    return gw_err_set(GW_EPARSE, "%s: not a DOCX document (the file is empty)", name);
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
  if (!src) {
    int rc = gw_err_set(GW_ENOMEM, "%s: %s", name, zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return rc;
  }
  zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
  if (!za) {
    zip_source_free(src);
    int rc;
    if (len >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0)
      rc = gw_err_set(GW_EPARSE, "%s: not a DOCX document: an old-format .doc or a password-protected file", name);
    else
      rc = gw_err_set(GW_EPARSE, "%s: not a DOCX document (not a zip archive: %s)", name, zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return rc;
  }
  zip_error_fini(&ze);
  char *xml = NULL;
  size_t xlen = 0;
  int rc = read_entry(name, za, "word/document.xml", &xml, &xlen);
  if (rc == GW_OK)
    rc = docx_text(name, xml, xlen, k);
  free(xml);
  zip_discard(za);
  return rc;
}

/* ---- XLSX ---- */

static void put_row(struct sink *k, char **cells, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (i)
      put_c(k, '\t');
    /* a cell's own line breaks would split its row */
    for (const char *s = cells[i]; *s; s++)
      put_c(k, *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
  }
  trim_tail(k);
  put_c(k, '\n');
}

static int xlsx(const char *name, const void *data, size_t len, struct sink *k)
{
  struct gw_table t;
  memset(&t, 0, sizeof t);
  int rc = gw_table_read_mem(name, GW_TABLE_XLSX, data, len, &t);
  if (rc != GW_OK)
    return rc;
  put_row(k, t.header, t.nheader);
  for (size_t i = 0; i < t.nrows && !k->full; i++)
    put_row(k, t.rows[i].cells, t.rows[i].ncells);
  gw_table_free(&t);
  return GW_OK;
}

int gw_doctext_extract(const char *name, enum gw_doc_kind kind, const void *data, size_t len, struct gw_buf *out,
                       bool *truncated)
{
  if (!name)
    name = "document";
  if (truncated)
    *truncated = false;
  struct sink k = {out, out->len, false, truncated};
  switch (kind) {
  case GW_DOC_DOCX:
    return docx(name, data, len, &k);
  case GW_DOC_XLSX:
    return xlsx(name, data, len, &k);
  default:
    return gw_err_set(GW_EINVAL, "%s: not a document format GovWatch reads (DOCX and XLSX are)", name);
  }
}
