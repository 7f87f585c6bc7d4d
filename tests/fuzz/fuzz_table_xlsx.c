/* Fuzz target: XLSX reading (libzip, libxml2 reader, shared strings,
 * styles, cell references, caps).
 *
 * Two kinds of input. One starting with "PK" is taken as the .xlsx file
 * itself (for the zip layer). Any other is the parts of a workbook
 * separated by \x01 bytes: sheet XML, shared strings, styles, and
 * optionally workbook.xml and its relationships; they are packed into a
 * zip here, so mutations of the XML are not all stopped by a CRC check.
 *
 * Beyond "no crash, no leak", it checks that what comes out is valid
 * UTF-8, trimmed, and shaped as table.h promises. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/utf8.h"
#include "tab/table.h"
#include "fuzz.h"


static const char WB[] =
    "<?xml version=\"1.0\"?><workbook "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char RELS[] =
    "<?xml version=\"1.0\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/></Relationships>";

/* Pack the \x01-separated parts into an in-memory zip. */
static bool pack(const uint8_t *data, size_t size, void **out, size_t *outlen)
{
  static const char *const names[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                      "xl/styles.xml", "xl/workbook.xml",
                                      "xl/_rels/workbook.xml.rels"};
  const uint8_t *part[5] = {0};
  size_t plen[5] = {0};
  size_t n = 0, start = 0;
  for (size_t i = 0; i <= size && n < 5; i++) {
    if (i == size || data[i] == 0x01) {
      part[n] = data + start;
      plen[n] = i - start;
      n++;
      start = i + 1;
    }
  }
  if (n < 4) {
    part[3] = (const uint8_t *)WB;
    plen[3] = sizeof WB - 1;
  }
  if (n < 5) {
    part[4] = (const uint8_t *)RELS;
    plen[4] = sizeof RELS - 1;
  }
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  if (!src)
    abort();
  zip_source_keep(src);
  zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
  if (!za)
    abort();
  for (size_t k = 0; k < 5; k++) {
    if (k < 3 && k >= n)
      continue; /* parts not given are absent */
    zip_source_t *s = zip_source_buffer(za, part[k], plen[k], 0);
    zip_int64_t idx = s ? zip_file_add(za, names[k], s, 0) : -1;
    if (idx < 0)
      abort();
    zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
  }
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
  *out = buf;
  *outlen = st.size;
  return true;
}

static void check_cell(const char *s)
{
  if (!s || !gw_utf8_valid(s, strlen(s)))
    abort();
  char *t = gw_strdup(s);
  if (strcmp(gw_str_trim(t), s) != 0)
    abort();
  free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct gw_table t;
  void *zip = NULL;
  size_t zlen = size;
  const void *in = data;
  if (!(size >= 2 && data[0] == 'P' && data[1] == 'K')) {
    pack(data, size, &zip, &zlen);
    in = zip;
  }
  int rc = gw_table_read_mem("fuzz.xlsx", GW_TABLE_XLSX, in, zlen, &t);
  free(zip);
  if (rc != 0)
    return 0;
  if (t.nheader == 0 || t.header_line == 0 || !*t.header[t.nheader - 1])
    abort();
  for (size_t i = 0; i < t.nheader; i++)
    check_cell(t.header[i]);
  for (size_t r = 0; r < t.nrows; r++) {
    const struct gw_table_row *row = &t.rows[r];
    if (row->ncells < t.nheader || row->line == 0 || row->line > 1048576)
      abort();
    bool any = false;
    for (size_t c = 0; c < row->ncells; c++) {
      check_cell(row->cells[c]);
      any = any || *row->cells[c];
    }
    if (!any)
      abort();
  }
  gw_table_free(&t);
  return 0;
}
