/* XLSX writing with libxlsxwriter: one sheet, a bold header row that stays
 * in view, every cell a string (a code like 0011 keeps its zeros and a
 * 网站标识码 never turns into 3.39922E+09), columns as wide as their content. */
#include <string.h>
#include <xlsxwriter.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/utf8.h"
#include "tab/tab_int.h"

#define MIN_WIDTH 8
#define MAX_WIDTH 60
#define EXCEL_MAX_STR 32767 /* characters in one cell */

/* Display width of the widest line of a cell, CJK counting double. */
static size_t cell_width(const char *s)
{
  size_t best = 0;
  while (*s) {
    size_t n = strcspn(s, "\r\n");
    char *line = gw_strndup(s, n);
    size_t w = gw_utf8_width(line);
    free(line);
    if (w > best)
      best = w;
    s += n;
    while (*s == '\r' || *s == '\n')
      s++;
  }
  return best;
}

static void widen(size_t *widths, size_t ncols, char *const *cells, size_t n)
{
  for (size_t i = 0; i < n && i < ncols; i++) {
    if (widths[i] >= MAX_WIDTH || !cells[i])
      continue;
    size_t w = cell_width(cells[i]);
    if (w > widths[i])
      widths[i] = w;
  }
}

static int put(lxw_worksheet *ws, const char *name, size_t row, size_t col, const char *s,
               lxw_format *fmt)
{
  lxw_error e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s ? s : "", fmt);
  if (e == LXW_NO_ERROR)
    return GW_OK;
  char letters[16];
  if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
    return gw_err_set(GW_ELIMIT, "%s: cell %s%zu: longer than the %d characters Excel allows",
                      name, gw_tab_col_name(col, letters, sizeof letters), row + 1, EXCEL_MAX_STR);
  return gw_err_set(GW_EINVAL, "%s: cell %s%zu: %s", name,
                    gw_tab_col_name(col, letters, sizeof letters), row + 1, lxw_strerror(e));
}

int gw_tab_xlsx_write_file(const char *tmp_path, const char *name, const struct gw_table *t,
                           const char *sheet)
{
  int rc = GW_OK;
  size_t *widths = NULL;
  if (!sheet || !*sheet)
    sheet = "Sheet1";
  if (t->nrows + 1 > LXW_ROW_MAX)
    return gw_err_set(GW_ELIMIT, "%s: %zu rows, more than the %d an Excel sheet holds", name,
                      t->nrows, LXW_ROW_MAX - 1);

  lxw_workbook *wb = workbook_new(tmp_path);
  if (!wb)
    return gw_err_set(GW_EIO, "%s: cannot start the workbook", name);
  lxw_error e = workbook_validate_sheet_name(wb, sheet);
  if (e != LXW_NO_ERROR) {
    rc = gw_err_set(GW_EINVAL, "%s: invalid worksheet name '%s': %s", name, sheet,
                    lxw_strerror(e));
    goto out;
  }
  lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
  if (!ws) {
    rc = gw_err_set(GW_EINVAL, "%s: cannot add worksheet '%s'", name, sheet);
    goto out;
  }
  /* Text format: what a user later types into a code column stays text. */
  lxw_format *text = workbook_add_format(wb);
  format_set_num_format(text, "@");
  lxw_format *bold = workbook_add_format(wb);
  format_set_num_format(bold, "@");
  format_set_bold(bold);

  size_t ncols = t->nheader;
  for (size_t i = 0; i < t->nrows; i++)
    if (t->rows[i].ncells > ncols)
      ncols = t->rows[i].ncells;
  if (ncols > LXW_COL_MAX) {
    rc = gw_err_set(GW_ELIMIT, "%s: %zu columns, more than the %d an Excel sheet holds", name,
                    ncols, LXW_COL_MAX);
    goto out;
  }
  widths = gw_calloc(ncols ? ncols : 1, sizeof *widths);

  for (size_t c = 0; c < t->nheader; c++) {
    rc = put(ws, name, 0, c, t->header[c], bold);
    if (rc)
      goto out;
  }
  widen(widths, ncols, t->header, t->nheader);
  for (size_t i = 0; i < t->nrows; i++) {
    const struct gw_table_row *r = &t->rows[i];
    for (size_t c = 0; c < r->ncells; c++) {
      if (!r->cells[c] || !*r->cells[c])
        continue;
      rc = put(ws, name, i + 1, c, r->cells[c], text);
      if (rc)
        goto out;
    }
    widen(widths, ncols, r->cells, r->ncells);
  }
  for (size_t c = 0; c < ncols; c++) {
    size_t w = widths[c] + 2;
    if (w < MIN_WIDTH)
      w = MIN_WIDTH;
    if (w > MAX_WIDTH)
      w = MAX_WIDTH;
    worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, (double)w, NULL);
  }
  worksheet_freeze_panes(ws, 1, 0);

out:
  /* workbook_close also frees the workbook; after a failure it writes a
   * partial file the caller deletes. */
  e = workbook_close(wb);
  if (rc == GW_OK && e != LXW_NO_ERROR)
    rc = gw_err_set(GW_EIO, "%s: cannot write the workbook: %s", name, lxw_strerror(e));
  free(widths);
  return rc;
}
