/* Table building, the cell accumulator shared by both readers, reading a
 * file whole, and the atomic write (temporary file + rename). */
#include "tab/table.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/atomic.h"
#include "core/error.h"
#include "core/str.h"
#include "tab/tab_int.h"

/* ---- rows ------------------------------------------------------------- */

/* Rows grow by doubling without a capacity field in the public struct: the
 * capacity is implied by nrows (8, then each power of two). */
static void rows_reserve_one(struct gw_table *t)
{
  if (t->nrows == 0)
    t->rows = gw_reallocarray(t->rows, 8, sizeof *t->rows);
  else if (t->nrows >= 8 && (t->nrows & (t->nrows - 1)) == 0)
    t->rows = gw_reallocarray(t->rows, t->nrows * 2, sizeof *t->rows);
}

static char **copy_cells(const char *const *cells, size_t n, size_t width)
{
  char **v = gw_calloc(width ? width : 1, sizeof *v);
  for (size_t i = 0; i < width; i++)
    v[i] = gw_strdup(i < n && cells && cells[i] ? cells[i] : "");
  return v;
}

void gw_table_init(struct gw_table *t, const char *const *header, size_t n)
{
  memset(t, 0, sizeof *t);
  t->header = copy_cells(header, n, n);
  t->nheader = n;
  t->header_line = 1;
}

void gw_table_add_row(struct gw_table *t, const char *const *cells, size_t n)
{
  rows_reserve_one(t);
  struct gw_table_row *r = &t->rows[t->nrows];
  r->cells = copy_cells(cells, n, n);
  r->ncells = n;
  r->line = t->header_line + t->nrows + 1;
  t->nrows++;
}

long gw_table_col(const struct gw_table *t, const char *const *names)
{
  for (size_t k = 0; names && names[k]; k++)
    for (size_t i = 0; i < t->nheader; i++)
      if (t->header[i] && strcmp(t->header[i], names[k]) == 0)
        return (long)i;
  return -1;
}

const char *gw_table_cell(const struct gw_table_row *r, long col)
{
  if (!r || col < 0 || (size_t)col >= r->ncells || !r->cells[col])
    return "";
  return r->cells[col];
}

static void free_cells(char **v, size_t n)
{
  if (!v)
    return;
  for (size_t i = 0; i < n; i++)
    free(v[i]);
  free(v);
}

void gw_table_free(struct gw_table *t)
{
  if (!t)
    return;
  free_cells(t->header, t->nheader);
  for (size_t i = 0; i < t->nrows; i++)
    free_cells(t->rows[i].cells, t->rows[i].ncells);
  free(t->rows);
  memset(t, 0, sizeof *t);
}

/* ---- the accumulator -------------------------------------------------- */

char *gw_tab_col_name(size_t col, char *buf, size_t size)
{
  char tmp[16];
  size_t n = 0;
  col++;
  while (col > 0 && n < sizeof tmp) {
    size_t rem = (col - 1) % 26;
    tmp[n++] = (char)('A' + rem);
    col = (col - 1) / 26;
  }
  size_t k = 0;
  while (n > 0 && k + 1 < size)
    buf[k++] = tmp[--n];
  if (size)
    buf[k] = '\0';
  return buf;
}

void gw_tab_acc_init(struct gw_tab_acc *a, const char *name, bool xlsx)
{
  memset(a, 0, sizeof *a);
  a->name = name;
  a->xlsx = xlsx;
}

/* "sites.csv:12: column 3" or "sites.xlsx: cell C12". */
static void place(const struct gw_tab_acc *a, size_t line, size_t col, char *buf, size_t size)
{
  if (a->xlsx) {
    char letters[16];
    snprintf(buf, size, "%s: cell %s%zu", a->name, gw_tab_col_name(col, letters, sizeof letters),
             line);
  } else {
    snprintf(buf, size, "%s:%zu: column %zu", a->name, line, col + 1);
  }
}

static void row_place(const struct gw_tab_acc *a, size_t line, char *buf, size_t size)
{
  if (a->xlsx)
    snprintf(buf, size, "%s: row %zu", a->name, line);
  else
    snprintf(buf, size, "%s:%zu", a->name, line);
}

int gw_tab_acc_cell(struct gw_tab_acc *a, size_t line, size_t col, const char *text, size_t len)
{
  char where[512];
  if (len > GW_TAB_MAX_CELL) {
    place(a, line, col, where, sizeof where);
    return gw_err_set(GW_ELIMIT, "%s: cell is longer than the limit of %zu bytes (%zu bytes)",
                      where, GW_TAB_MAX_CELL, len);
  }
  if (memchr(text, '\0', len)) {
    place(a, line, col, where, sizeof where);
    return gw_err_set(GW_EPARSE,
                      "%s: NUL byte in cell (is this UTF-16 text? save it as CSV UTF-8)", where);
  }
  char *s = gw_strndup(text, len);
  gw_str_trim(s);
  if (!*s) {
    /* Empty cells are never stored: the row is padded with "" at its end,
     * so trailing empty columns (Excel's habit) cost nothing. */
    free(s);
    if (col < a->ncells)
      GW_FREE(&a->cells[col]);
    return GW_OK;
  }
  if (col >= GW_TAB_MAX_COLS) {
    free(s);
    place(a, line, col, where, sizeof where);
    return gw_err_set(GW_ELIMIT, "%s: more than %zu columns", where, GW_TAB_MAX_COLS);
  }
  if (col >= a->cap) {
    size_t cap = a->cap ? a->cap : 16;
    while (cap <= col)
      cap *= 2;
    a->cells = gw_reallocarray(a->cells, cap, sizeof *a->cells);
    memset(a->cells + a->cap, 0, (cap - a->cap) * sizeof *a->cells);
    a->cap = cap;
  }
  if (col >= a->ncells)
    a->ncells = col + 1;
  free(a->cells[col]);
  a->cells[col] = s;
  return GW_OK;
}

static void acc_clear_row(struct gw_tab_acc *a)
{
  for (size_t i = 0; i < a->ncells; i++)
    GW_FREE(&a->cells[i]);
  a->ncells = 0;
}

/* Move the current row's cells into an exact array of `width` slots. */
static char **acc_take_row(struct gw_tab_acc *a, size_t width)
{
  char **v = gw_calloc(width, sizeof *v);
  for (size_t i = 0; i < width; i++) {
    if (i < a->ncells && a->cells[i]) {
      v[i] = a->cells[i];
      a->cells[i] = NULL;
    } else {
      v[i] = gw_strdup("");
    }
  }
  a->ncells = 0;
  return v;
}

int gw_tab_acc_end_row(struct gw_tab_acc *a, size_t line)
{
  char where[512];
  size_t width = a->ncells;
  while (width > 0 && !a->cells[width - 1])
    width--;
  if (width == 0) {
    a->ncells = 0;
    return GW_OK;
  }
  if (!a->t.header) {
    a->t.header = acc_take_row(a, width);
    a->t.nheader = width;
    a->t.header_line = line;
    a->total_cells = width;
    return GW_OK;
  }
  if (width < a->t.nheader)
    width = a->t.nheader;
  if (a->t.nrows >= GW_TAB_MAX_ROWS) {
    acc_clear_row(a);
    row_place(a, line, where, sizeof where);
    return gw_err_set(GW_ELIMIT, "%s: more than %zu rows", where, GW_TAB_MAX_ROWS);
  }
  if (a->total_cells + width > GW_TAB_MAX_CELLS) {
    acc_clear_row(a);
    row_place(a, line, where, sizeof where);
    return gw_err_set(GW_ELIMIT, "%s: more than %zu cells in the table", where,
                      GW_TAB_MAX_CELLS);
  }
  rows_reserve_one(&a->t);
  struct gw_table_row *r = &a->t.rows[a->t.nrows];
  r->cells = acc_take_row(a, width);
  r->ncells = width;
  r->line = line;
  a->t.nrows++;
  a->total_cells += width;
  return GW_OK;
}

int gw_tab_acc_finish(struct gw_tab_acc *a, struct gw_table *out)
{
  int rc = GW_OK;
  if (!a->t.header) {
    rc = gw_err_set(GW_EPARSE, "%s: no header row: the table has no non-empty row", a->name);
    goto out;
  }
  *out = a->t;
  memset(&a->t, 0, sizeof a->t);
out:
  gw_tab_acc_free(a);
  return rc;
}

void gw_tab_acc_free(struct gw_tab_acc *a)
{
  acc_clear_row(a);
  GW_FREE(&a->cells);
  a->cap = 0;
  gw_table_free(&a->t);
}

/* ---- format, read ----------------------------------------------------- */

int gw_table_format_of(const char *path, enum gw_table_format *out)
{
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  if (dot && gw_str_ieq(dot, ".csv")) {
    *out = GW_TABLE_CSV;
    return GW_OK;
  }
  if (dot && gw_str_ieq(dot, ".xlsx")) {
    *out = GW_TABLE_XLSX;
    return GW_OK;
  }
  return gw_err_set(GW_EINVAL, "%s: unknown file type, expected .csv or .xlsx", path);
}

/* The whole file, refused if over the input cap (checked on the bytes
 * read, not only on st_size, since the file may grow while we read). */
static int slurp(const char *path, char **data, size_t *len)
{
  int rc = GW_OK;
  char *buf = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    rc = gw_err_set(errno == ENOENT ? GW_ENOTFOUND : GW_EIO, "%s: cannot open: %s", path,
                    strerror(errno));
    goto out;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    rc = gw_err_set(GW_EIO, "%s: cannot stat: %s", path, strerror(errno));
    goto out;
  }
  if (!S_ISREG(st.st_mode)) {
    rc = gw_err_set(GW_EIO, "%s: not a regular file", path);
    goto out;
  }
  if ((uintmax_t)st.st_size > GW_TAB_MAX_INPUT) {
    rc = gw_err_set(GW_ELIMIT, "%s: file is larger than the limit of %zu MiB", path,
                    GW_TAB_MAX_INPUT >> 20);
    goto out;
  }
  size_t cap = (size_t)st.st_size + 1, n = 0;
  buf = gw_malloc(cap);
  for (;;) {
    if (n == cap) {
      if (cap > GW_TAB_MAX_INPUT) {
        rc = gw_err_set(GW_ELIMIT, "%s: file is larger than the limit of %zu MiB", path,
                        GW_TAB_MAX_INPUT >> 20);
        goto out;
      }
      cap = cap * 2 > GW_TAB_MAX_INPUT + 1 ? GW_TAB_MAX_INPUT + 1 : cap * 2;
      buf = gw_realloc(buf, cap);
    }
    ssize_t k = read(fd, buf + n, cap - n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k < 0) {
      rc = gw_err_set(GW_EIO, "%s: read failed: %s", path, strerror(errno));
      goto out;
    }
    if (k == 0)
      break;
    n += (size_t)k;
  }
  if (n > GW_TAB_MAX_INPUT) {
    rc = gw_err_set(GW_ELIMIT, "%s: file is larger than the limit of %zu MiB", path,
                    GW_TAB_MAX_INPUT >> 20);
    goto out;
  }
  *data = buf;
  *len = n;
  buf = NULL;
out:
  free(buf);
  if (fd >= 0)
    close(fd);
  return rc;
}

int gw_table_read(const char *path, struct gw_table *out)
{
  enum gw_table_format fmt = GW_TABLE_CSV;
  char *data = NULL;
  size_t len = 0;
  int rc = gw_table_format_of(path, &fmt);
  if (rc)
    goto out;
  rc = slurp(path, &data, &len);
  if (rc)
    goto out;
  rc = gw_table_read_mem(path, fmt, data, len, out);
out:
  free(data);
  return rc;
}

int gw_table_read_mem(const char *name, enum gw_table_format fmt, const void *data, size_t len,
                      struct gw_table *out)
{
  if (len > GW_TAB_MAX_INPUT)
    return gw_err_set(GW_ELIMIT, "%s: input is larger than the limit of %zu MiB", name,
                      GW_TAB_MAX_INPUT >> 20);
  if (!data && len)
    return gw_err_set(GW_EINVAL, "%s: no data", name);
  switch (fmt) {
  case GW_TABLE_CSV:
    return gw_tab_csv_read(name, data ? data : "", len, out);
  case GW_TABLE_XLSX:
    return gw_tab_xlsx_read(name, data ? data : "", len, out);
  }
  return gw_err_set(GW_EINVAL, "%s: unknown table format %d", name, (int)fmt);
}

/* ---- atomic write ----------------------------------------------------- */

int gw_table_write(const char *path, const struct gw_table *t, const char *sheet)
{
  enum gw_table_format fmt = GW_TABLE_CSV;
  struct gw_atomic a;
  int rc = gw_table_format_of(path, &fmt);
  if (rc)
    return rc;
  if ((rc = gw_atomic_begin(&a, path)))
    return rc;
  if (fmt == GW_TABLE_CSV) {
    FILE *f = fdopen(a.fd, "wb");
    if (!f) {
      rc = gw_err_set(GW_EIO, "%s: fdopen failed: %s", path, strerror(errno));
      goto fail;
    }
    a.fd = -1; /* the stream owns it now; commit syncs by name */
    rc = gw_tab_csv_write_stream(f, path, t);
    if (rc == GW_OK && fflush(f) != 0)
      rc = gw_err_set(GW_EIO, "%s: write failed: %s", path, strerror(errno));
    if (fclose(f) != 0 && rc == GW_OK)
      rc = gw_err_set(GW_EIO, "%s: write failed: %s", path, strerror(errno));
  } else {
    /* libxlsxwriter opens the file by name itself. */
    close(a.fd);
    a.fd = -1;
    rc = gw_tab_xlsx_write_file(a.tmp, path, t, sheet);
  }
  if (rc)
    goto fail;
  return gw_atomic_commit(&a);
fail:
  gw_atomic_abort(&a);
  return rc;
}
