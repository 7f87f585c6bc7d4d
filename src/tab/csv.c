/* CSV reading (libcsv, strict RFC 4180) and writing.
 *
 * libcsv reports fields and records but not where they came from, so the
 * input is fed to it one physical line at a time (a line ends with CRLF, LF
 * or a lone CR, the same terminators libcsv uses). A record can only end at
 * the end of a line, so the line number in effect when a record's first byte
 * was fed is the line the record starts on, even when a quoted cell spans
 * several lines. */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/utf8.h"
#include "tab/tab_int.h"

struct csv_ctx {
  struct gw_tab_acc acc;
  const char *name;
  size_t line;       /* the line being fed */
  size_t rec_line;   /* line the current record started on, 0 = none yet */
  size_t field_line; /* line the last field of this record ended on */
  size_t nfield;     /* fields seen in the current record */
  int err;           /* first error from a callback; later callbacks do nothing */
};

static void on_field(void *s, size_t len, void *data)
{
  struct csv_ctx *c = data;
  if (c->err)
    return;
  if (!c->rec_line)
    c->rec_line = c->line;
  /* A field starts on the line where the one before it ended: a field
   * cannot cross a line before its first byte (libcsv ends the record). */
  size_t start = c->nfield ? c->field_line : c->rec_line;
  c->err = gw_tab_acc_cell(&c->acc, start, c->nfield, s ? s : "", s ? len : 0);
  c->nfield++;
  c->field_line = c->line;
}

static void on_record(int term, void *data)
{
  struct csv_ctx *c = data;
  (void)term;
  if (c->err)
    return;
  c->err = gw_tab_acc_end_row(&c->acc, c->rec_line ? c->rec_line : c->line);
  c->rec_line = 0;
  c->nfield = 0;
}

/* Line number (1-based) of byte `off` of the raw input. */
static size_t line_of(const char *p, size_t off)
{
  size_t line = 1;
  for (size_t i = 0; i < off; i++) {
    if (p[i] == '\n')
      line++;
    else if (p[i] == '\r' && !(i + 1 < off && p[i + 1] == '\n'))
      line++;
  }
  return line;
}

/* Excel on a Chinese Windows saves "CSV" in the ANSI code page, GBK, of
 * which GB18030 is a superset. */
static int from_gb18030(const char *name, const char *in, size_t len, char **out, size_t *outlen)
{
  int rc = GW_OK;
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == (iconv_t)-1)
    return gw_err_set(GW_EIO, "%s: cannot convert from GB18030: %s", name, strerror(errno));
  /* Every GB18030 sequence of n bytes becomes at most 3n/2 bytes of UTF-8
   * (2-byte -> 3, 4-byte -> 4, ASCII -> 1). */
  size_t cap = len / 2 * 3 + 16;
  char *buf = gw_malloc(cap);
  char *ip = (char *)in, *op = buf;
  size_t il = len, ol = cap;
  while (il > 0) {
    if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
      continue;
    if (errno == E2BIG) {
      size_t used = (size_t)(op - buf);
      cap *= 2;
      buf = gw_realloc(buf, cap);
      op = buf + used;
      ol = cap - used;
      continue;
    }
    size_t off = (size_t)(ip - in);
    rc = gw_err_set(GW_EPARSE,
                    "%s:%zu: invalid byte sequence (0x%02X) at byte %zu: the file is neither "
                    "UTF-8 nor GB18030/GBK",
                    name, line_of(in, off), (unsigned char)in[off], off + 1);
    goto out;
  }
  *outlen = (size_t)(op - buf);
  *out = buf;
  buf = NULL;
out:
  free(buf);
  iconv_close(cd);
  return rc;
}

int gw_tab_csv_read(const char *name, const void *data, size_t len, struct gw_table *out)
{
  struct csv_ctx c;
  struct csv_parser p;
  bool parser = false;
  char *conv = NULL;
  const char *s = data;
  int rc = GW_OK;

  memset(&c, 0, sizeof c);
  gw_tab_acc_init(&c.acc, name, false);
  c.name = name;
  c.line = 1;

  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
    s += 3;
    len -= 3;
  }
  if (len >= 2 && (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
                   ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF))) {
    /* Excel's "Unicode text": UTF-16 and tab-separated, not CSV */
    rc = gw_err_set(GW_EPARSE,
                    "%s:1: UTF-16 text is not CSV: save the file as \"CSV UTF-8\" or \"CSV\"",
                    name);
    goto out;
  }
  if (!gw_utf8_valid(s, len)) {
    size_t clen = 0;
    rc = from_gb18030(name, s, len, &conv, &clen);
    if (rc)
      goto out;
    s = conv;
    len = clen;
    /* GB18030 has its own byte order mark; it converts to U+FEFF. */
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
      s += 3;
      len -= 3;
    }
  }

  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    rc = gw_err_set(GW_ENOMEM, "%s: cannot start the CSV parser", name);
    goto out;
  }
  parser = true;

  size_t pos = 0;
  while (pos < len) {
    size_t end = pos;
    while (end < len && s[end] != '\n' && s[end] != '\r')
      end++;
    bool term = end < len;
    if (term) {
      if (s[end] == '\r' && end + 1 < len && s[end + 1] == '\n')
        end++;
      end++;
    }
    if (!c.rec_line) {
      for (size_t i = pos; i < end; i++) {
        char ch = s[i];
        if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
          c.rec_line = c.line;
          break;
        }
      }
    }
    size_t n = csv_parse(&p, s + pos, end - pos, on_field, on_record, &c);
    if (c.err) {
      rc = c.err;
      goto out;
    }
    if (n < end - pos) {
      if (csv_error(&p) != CSV_EPARSE) {
        rc = gw_err_set(GW_ENOMEM, "%s:%zu: CSV parser: %s", name, c.line,
                        csv_strerror(csv_error(&p)));
      } else if (s[pos + n] == '"' && !p.quoted) {
        rc = gw_err_set(GW_EPARSE,
                        "%s:%zu: quote inside an unquoted field (a cell with a quote must be "
                        "quoted whole, its quotes doubled)",
                        name, c.line);
      } else {
        rc = gw_err_set(GW_EPARSE, "%s:%zu: unexpected character after a closing quote", name,
                        c.line);
      }
      goto out;
    }
    pos = end;
    if (term)
      c.line++;
  }
  if (csv_fini(&p, on_field, on_record, &c) != 0) {
    rc = gw_err_set(GW_EPARSE, "%s:%zu: unterminated quoted field", name,
                    c.nfield ? c.field_line : (c.rec_line ? c.rec_line : c.line));
    goto out;
  }
  if (c.err) {
    rc = c.err;
    goto out;
  }
  rc = gw_tab_acc_finish(&c.acc, out);
out:
  if (parser)
    csv_free(&p);
  gw_tab_acc_free(&c.acc);
  free(conv);
  return rc;
}

/* ---- writing ---------------------------------------------------------- */

static bool needs_quotes(const char *s)
{
  if (!*s)
    return false;
  if (strpbrk(s, ",\"\r\n"))
    return true;
  size_t n = strlen(s);
  return s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
}

static void put_cell(FILE *f, const char *s)
{
  if (!needs_quotes(s)) {
    fputs(s, f);
    return;
  }
  putc('"', f);
  for (; *s; s++) {
    if (*s == '"')
      putc('"', f);
    putc(*s, f);
  }
  putc('"', f);
}

static void put_row(FILE *f, char *const *cells, size_t n, size_t width)
{
  if (width < n)
    width = n;
  for (size_t i = 0; i < width; i++) {
    if (i)
      putc(',', f);
    put_cell(f, i < n && cells[i] ? cells[i] : "");
  }
  fputs("\r\n", f);
}

int gw_tab_csv_write_stream(FILE *f, const char *name, const struct gw_table *t)
{
  fputs("\xEF\xBB\xBF", f);
  put_row(f, t->header, t->nheader, 0);
  for (size_t i = 0; i < t->nrows; i++)
    put_row(f, t->rows[i].cells, t->rows[i].ncells, t->nheader);
  if (ferror(f))
    return gw_err_set(GW_EIO, "%s: write failed: %s", name, strerror(errno));
  return GW_OK;
}
