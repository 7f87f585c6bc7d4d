/* Tabular files: CSV and XLSX read into rows of UTF-8 strings, and written
 * back. This is the only code that sees libcsv, libzip's XLSX reading and
 * libxlsxwriter.
 *
 * Reading: the first non-empty row is the header. CSV follows RFC 4180
 * (quoted fields, embedded newlines and quotes); a UTF-8 BOM is skipped, and a
 * file that is not valid UTF-8 is taken as GB18030 (what Excel on a Chinese
 * Windows saves) and converted. XLSX: the first worksheet, shared and inline
 * strings, numbers as written (no float noise: 3301220001 stays so), numbers
 * in a date or time format as "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" or
 * "HH:MM:SS", booleans as TRUE/FALSE, formulas as their cached value. Cells
 * are trimmed (also of U+3000). Every row keeps the line (CSV: the physical
 * line its record starts on) or row number (XLSX) it came from, so errors
 * can name it. Inputs are capped (size, rows, columns, cell length); a file
 * over a cap is refused whole with GW_ELIMIT. Malformed input gives GW_EPARSE
 * with a message naming the file, the line and what is wrong.
 *
 * Writing is atomic: a temporary file in the same directory, then rename; on
 * failure nothing is left behind. CSV is written as UTF-8 with a BOM (so
 * Excel shows the Chinese), CRLF line ends, quoting where needed. */
#ifndef GW_TAB_TABLE_H
#define GW_TAB_TABLE_H

#include <stddef.h>

struct gw_table_row {
  char **cells;   /* ncells owned strings, never NULL ("" for empty) */
  size_t ncells;
  size_t line;    /* 1-based source line / row number */
};

struct gw_table {
  char **header;  /* nheader owned strings */
  size_t nheader;
  size_t header_line;
  struct gw_table_row *rows;
  size_t nrows;
};

enum gw_table_format { GW_TABLE_CSV = 1, GW_TABLE_XLSX = 2 };

/* Format from the file name's extension (.csv, .xlsx, case-insensitive). */
int gw_table_format_of(const char *path, enum gw_table_format *out);

/* Read a file; `path` also names the input in error messages. */
int gw_table_read(const char *path, struct gw_table *out);
/* Read from memory (fuzz targets, tests); `name` names the input in errors. */
int gw_table_read_mem(const char *name, enum gw_table_format fmt, const void *data, size_t len,
                      struct gw_table *out);

/* Write header + rows; `sheet` names the XLSX worksheet (ignored for CSV). */
int gw_table_write(const char *path, const struct gw_table *t, const char *sheet);

/* Build tables to write. */
void gw_table_init(struct gw_table *t, const char *const *header, size_t n);
void gw_table_add_row(struct gw_table *t, const char *const *cells, size_t n);
/* Column index of the header cell equal to one of the NULL-terminated
 * `names` (aliases), or -1. */
long gw_table_col(const struct gw_table *t, const char *const *names);
/* Cell (row, col) or "" when the row is shorter. */
const char *gw_table_cell(const struct gw_table_row *r, long col);
void gw_table_free(struct gw_table *t);

#endif
