/* Internals shared by the CSV and XLSX halves of the table module.
 *
 * Both readers feed cells into one accumulator, so the rules every reader
 * must follow (trim, caps, skip empty rows, first non-empty row is the
 * header, rows padded to the header's width) live in one place. Not for use
 * outside src/tab/ (the fuzz targets excepted). */
#ifndef GW_TAB_TAB_INT_H
#define GW_TAB_TAB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tab/table.h"

/* Caps on outside input. A file over any of them is refused whole. */
#define GW_TAB_MAX_INPUT ((size_t)64 << 20)        /* bytes of a CSV or XLSX file */
#define GW_TAB_MAX_ROWS ((size_t)1000000)          /* data rows */
#define GW_TAB_MAX_COLS ((size_t)256)              /* columns holding a value */
#define GW_TAB_MAX_CELL ((size_t)64 << 10)         /* bytes of one cell */
#define GW_TAB_MAX_CELLS ((size_t)16000000)        /* stored cells in all rows (memory) */
#define GW_TAB_MAX_ENTRY ((size_t)256 << 20)       /* decompressed bytes of one XLSX part */
#define GW_TAB_MAX_ENTRIES 10000                   /* entries in an XLSX zip */
#define GW_TAB_MAX_SHARED ((size_t)4000000)        /* XLSX shared strings */

/* Builds a gw_table from a stream of cells and row ends. `name` names the
 * input in error messages: CSV places read "sites.csv:12: column 3", XLSX
 * places "sites.xlsx: cell C12" (`xlsx` picks the style). */
struct gw_tab_acc {
  struct gw_table t;
  const char *name;
  bool xlsx;
  char **cells; /* the row being read, ncells slots (NULL = no value yet) */
  size_t ncells, cap;
  size_t total_cells;
};

void gw_tab_acc_init(struct gw_tab_acc *a, const char *name, bool xlsx);
/* Spreadsheet column letters of a 0-based column ("A", "Z", "AA"); buf >= 8. */
char *gw_tab_col_name(size_t col, char *buf, size_t size);
/* Set cell `col` (0-based) of the current row to text[0..len); trims it.
 * GW_ELIMIT past the cell-length or column caps (an empty cell beyond the
 * column cap is dropped, so trailing empty columns never trip it). */
int gw_tab_acc_cell(struct gw_tab_acc *a, size_t line, size_t col, const char *text, size_t len);
/* End the current row, which came from `line`: an empty row is dropped, the
 * first non-empty one becomes the header, later ones are data rows padded
 * with "" to the header's width. GW_ELIMIT past the row or cell caps. */
int gw_tab_acc_end_row(struct gw_tab_acc *a, size_t line);
/* Hand the finished table to *out (GW_EPARSE if no row had any value). The
 * accumulator is empty afterwards either way. */
int gw_tab_acc_finish(struct gw_tab_acc *a, struct gw_table *out);
void gw_tab_acc_free(struct gw_tab_acc *a);

/* The CSV and XLSX readers on a whole input in memory. */
int gw_tab_csv_read(const char *name, const void *data, size_t len, struct gw_table *out);
int gw_tab_xlsx_read(const char *name, const void *data, size_t len, struct gw_table *out);

/* Write `t` as CSV (BOM, CRLF, quoting) to an open stream; GW_EIO naming
 * `name` if the stream fails. Used by gw_table_write and by the fuzz target
 * that checks read(write(read(x))) == read(x). */
int gw_tab_csv_write_stream(FILE *f, const char *name, const struct gw_table *t);
/* Write `t` as an XLSX workbook to `tmp_path` (which is then renamed to
 * `name` by the caller; `name` is used in messages). */
int gw_tab_xlsx_write_file(const char *tmp_path, const char *name, const struct gw_table *t,
                           const char *sheet);

#endif
