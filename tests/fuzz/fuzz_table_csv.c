/* Fuzz target: CSV reading (libcsv line tracking, GB18030 conversion,
 * caps). Beyond "no crash, no leak", it checks what every reader must
 * give: valid UTF-8, trimmed cells, rows at least as wide as the header,
 * rising line numbers, and that writing what was read and reading it again
 * gives the same table. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"
#include "tab/tab_int.h"
#include "tab/table.h"
#include "fuzz.h"


static void check_cell(const char *s)
{
  if (!s || !gw_utf8_valid(s, strlen(s)))
    abort();
  char *t = gw_strdup(s);
  if (strcmp(gw_str_trim(t), s) != 0)
    abort();
  free(t);
}

static void check_table(const struct gw_table *t)
{
  if (t->nheader == 0 || t->header_line == 0)
    abort();
  for (size_t i = 0; i < t->nheader; i++)
    check_cell(t->header[i]);
  if (!*t->header[t->nheader - 1])
    abort(); /* trailing empty header cells are dropped */
  size_t last = t->header_line;
  for (size_t r = 0; r < t->nrows; r++) {
    const struct gw_table_row *row = &t->rows[r];
    if (row->ncells < t->nheader || row->line <= last)
      abort();
    last = row->line;
    bool any = false;
    for (size_t c = 0; c < row->ncells; c++) {
      check_cell(row->cells[c]);
      any = any || *row->cells[c];
    }
    if (!any)
      abort(); /* empty rows are skipped */
  }
}

static bool same(const struct gw_table *a, const struct gw_table *b)
{
  if (a->nheader != b->nheader || a->nrows != b->nrows)
    return false;
  for (size_t i = 0; i < a->nheader; i++)
    if (strcmp(a->header[i], b->header[i]) != 0)
      return false;
  for (size_t r = 0; r < a->nrows; r++) {
    if (a->rows[r].ncells != b->rows[r].ncells)
      return false;
    for (size_t c = 0; c < a->rows[r].ncells; c++)
      if (strcmp(a->rows[r].cells[c], b->rows[r].cells[c]) != 0)
        return false;
  }
  return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct gw_table t, back;
  if (gw_table_read_mem("fuzz.csv", GW_TABLE_CSV, data, size, &t) != 0)
    return 0;
  check_table(&t);

  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    abort();
  if (gw_tab_csv_write_stream(f, "fuzz.csv", &t) != 0)
    abort();
  fclose(f);
  int rc = gw_table_read_mem("again.csv", GW_TABLE_CSV, buf, len, &back);
  /* padding rows to the header's width or GB18030 -> UTF-8 may push the
   * written file past the input cap; nothing else may fail */
  if (rc != 0 && !(rc == GW_ELIMIT && len > GW_TAB_MAX_INPUT))
    abort();
  if (rc == 0) {
    check_table(&back);
    if (!same(&t, &back))
      abort();
    gw_table_free(&back);
  }
  free(buf);
  gw_table_free(&t);
  return 0;
}
