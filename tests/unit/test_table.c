/* Tables: CSV and XLSX reading and writing, every error path with its
 * message, and the atomic write. */
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "tab/table.h"
#include "tap.h"

/* ---- helpers ----------------------------------------------------------- */

static char *tmp_path(const char *name)
{
  static char buf[8][1024];
  static int k;
  k = (k + 1) % 8;
  snprintf(buf[k], sizeof buf[k], "%s/%s", gw_test_tmpdir(), name);
  return buf[k];
}

static void write_file(const char *path, const void *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, len, f) != len) {
    perror(path);
    exit(2);
  }
  fclose(f);
}

/* The last error message without the test directory in front. */
static const char *errmsg(void)
{
  const char *m = gw_err_msg();
  size_t n = strlen(gw_test_tmpdir());
  if (strncmp(m, gw_test_tmpdir(), n) == 0 && m[n] == '/')
    return m + n + 1;
  return m;
}

static int read_csv(const char *name, const char *s, struct gw_table *t)
{
  return gw_table_read_mem(name, GW_TABLE_CSV, s, strlen(s), t);
}

/* Equal header and cells (rows compared over the wider of the two). */
static bool same_table(const struct gw_table *a, const struct gw_table *b)
{
  if (a->nheader != b->nheader || a->nrows != b->nrows) {
    fprintf(stderr, "  shape differs: %zux%zu vs %zux%zu\n", a->nheader, a->nrows, b->nheader,
            b->nrows);
    return false;
  }
  for (size_t i = 0; i < a->nheader; i++)
    if (strcmp(a->header[i], b->header[i]) != 0) {
      fprintf(stderr, "  header %zu differs: '%s' vs '%s'\n", i, a->header[i], b->header[i]);
      return false;
    }
  for (size_t r = 0; r < a->nrows; r++) {
    size_t w = a->rows[r].ncells > b->rows[r].ncells ? a->rows[r].ncells : b->rows[r].ncells;
    for (size_t c = 0; c < w; c++) {
      const char *x = gw_table_cell(&a->rows[r], (long)c), *y = gw_table_cell(&b->rows[r], (long)c);
      if (strcmp(x, y) != 0) {
        fprintf(stderr, "  row %zu col %zu differs: '%.80s' vs '%.80s'\n", r, c, x, y);
        return false;
      }
    }
  }
  return true;
}

/* Names in a directory other than . and .. */
static size_t dir_count(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d)
    return (size_t)-1;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

static char *to_gb18030(const char *utf8, size_t *outlen)
{
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  if (cd == (iconv_t)-1) {
    perror("iconv_open");
    exit(2);
  }
  size_t il = strlen(utf8), cap = il * 2 + 16, ol = cap;
  char *out = gw_malloc(cap), *ip = (char *)utf8, *op = out;
  if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
    perror("iconv");
    exit(2);
  }
  iconv_close(cd);
  *outlen = cap - ol;
  return out;
}

/* A zip archive from name/content pairs (content NULL = end). */
static void make_zip(const char *path, const char *const *parts)
{
  int err = 0;
  zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!za) {
    fprintf(stderr, "zip_open %s: %d\n", path, err);
    exit(2);
  }
  for (size_t i = 0; parts[i]; i += 2) {
    zip_source_t *src = zip_source_buffer(za, parts[i + 1], strlen(parts[i + 1]), 0);
    if (!src || zip_file_add(za, parts[i], src, ZIP_FL_ENC_UTF_8) < 0) {
      fprintf(stderr, "zip add %s: %s\n", parts[i], zip_strerror(za));
      exit(2);
    }
  }
  if (zip_close(za) != 0) {
    fprintf(stderr, "zip_close: %s\n", zip_strerror(za));
    exit(2);
  }
}

static const char CT[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char ROOT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char WB1[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char WB1_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
#define SHEET_HEAD                                                                              \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet "                                     \
  "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"
#define SST(x)                                                                                  \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst "                                           \
  "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" x "</sst>"

/* A one-sheet workbook with the given sheet and shared strings. */
static const char *simple_xlsx(const char *name, const char *sheet, const char *sst)
{
  const char *path = tmp_path(name);
  const char *parts[] = {"[Content_Types].xml", CT, "_rels/.rels", ROOT_RELS,
                         "xl/workbook.xml", WB1, "xl/_rels/workbook.xml.rels", WB1_RELS,
                         "xl/worksheets/sheet1.xml", sheet, "xl/sharedStrings.xml",
                         sst ? sst : SST(""), NULL};
  make_zip(path, parts);
  return path;
}

/* ---- building ---------------------------------------------------------- */

static void test_build(void)
{
  enum gw_table_format f = 0;
  CHECK_INT(gw_table_format_of("a/b/sites.csv", &f), GW_OK);
  CHECK_INT(f, GW_TABLE_CSV);
  CHECK_INT(gw_table_format_of("SITES.XLSX", &f), GW_OK);
  CHECK_INT(f, GW_TABLE_XLSX);
  CHECK_INT(gw_table_format_of("名录.Csv", &f), GW_OK);
  CHECK_INT(f, GW_TABLE_CSV);
  CHECK_INT(gw_table_format_of("sites.xls", &f), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "sites.xls: unknown file type, expected .csv or .xlsx");
  CHECK_INT(gw_table_format_of("csv", &f), GW_EINVAL);
  CHECK_INT(gw_table_format_of("dir.csv/sites", &f), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "dir.csv/sites: unknown file type, expected .csv or .xlsx");

  struct gw_table t;
  const char *h[] = {"网站名称", "网址", "网站标识码"};
  gw_table_init(&t, h, 3);
  const char *r1[] = {"青溪县人民政府", "http://www.qingxi.gov.cn/", "3399220001"};
  const char *r2[] = {"短行"};
  gw_table_add_row(&t, r1, 3);
  gw_table_add_row(&t, r2, 1);
  CHECK_INT(t.nrows, 2);
  CHECK_INT(t.rows[1].line, 3);
  const char *code[] = {"标识码", "网站标识码", NULL};
  const char *missing[] = {"主办单位", NULL};
  CHECK_INT(gw_table_col(&t, code), 2);
  CHECK_INT(gw_table_col(&t, missing), -1);
  CHECK_STR(gw_table_cell(&t.rows[0], 2), "3399220001");
  CHECK_STR(gw_table_cell(&t.rows[1], 2), "");
  CHECK_STR(gw_table_cell(&t.rows[1], -1), "");
  /* many rows: growth past the initial capacity */
  for (int i = 0; i < 100; i++)
    gw_table_add_row(&t, r1, 3);
  CHECK_INT(t.nrows, 102);
  CHECK_STR(gw_table_cell(&t.rows[101], 0), "青溪县人民政府");
  gw_table_free(&t);
  CHECK(t.header == NULL && t.rows == NULL && t.nrows == 0);
  gw_table_free(&t); /* twice is harmless */
}

/* The table every round trip uses: Chinese, separators, quotes, newlines,
 * leading zeros, empty cells, a long cell and a long row. */
static void sample_table(struct gw_table *t, size_t long_cell)
{
  const char *h[] = {"网站名称", "网址", "网站标识码", "备注", "空"};
  gw_table_init(t, h, 5);
  const char *r1[] = {"青溪县人民政府", "http://www.qingxi.gov.cn/", "3399220001", "门户网站", ""};
  const char *r2[] = {"财政局,税务局", "http://czj.qingxi.gov.cn/a?b=1,2", "0012",
                      "他说\"你好\"", "x"};
  const char *r3[] = {"多行\n备注", "", "0000000000", "第一行\r\n第二行\r\n", ""};
  const char *r4[] = {"", "", "", "", "只有最后一列"};
  const char *r5[] = {"'单引号", "=1+2", "  ", "a\"\"b", "\xE2\x80\x94"};
  gw_table_add_row(t, r1, 5);
  gw_table_add_row(t, r2, 5);
  gw_table_add_row(t, r3, 5);
  gw_table_add_row(t, r4, 5);
  gw_table_add_row(t, r5, 5);
  /* the "  " cell is read back trimmed */
  free(t->rows[4].cells[2]);
  t->rows[4].cells[2] = gw_strdup("");
  /* the trailing CRLF of r3 col 3 is trimmed on reading too */
  free(t->rows[2].cells[3]);
  t->rows[2].cells[3] = gw_strdup("第一行\r\n第二行");

  char *big = gw_malloc(long_cell + 1);
  for (size_t i = 0; i < long_cell; i++)
    big[i] = (char)('a' + i % 26);
  big[long_cell] = '\0';
  const char *r6[] = {"长", big, "1", "2", "3"};
  gw_table_add_row(t, r6, 5);
  free(big);

  /* a long row: 256 columns, the cap */
  const char *wide[256];
  char bufs[256][16];
  for (int i = 0; i < 256; i++) {
    snprintf(bufs[i], sizeof bufs[i], "%03d", i);
    wide[i] = bufs[i];
  }
  gw_table_add_row(t, wide, 256);
}

/* ---- CSV --------------------------------------------------------------- */

static void test_csv_roundtrip(void)
{
  struct gw_table t, back;
  sample_table(&t, 60000);
  const char *path = tmp_path("rt.csv");
  CHECK_INT(gw_table_write(path, &t, NULL), GW_OK);
  size_t len = 0;
  char *raw = gw_test_slurp(path, &len);
  CHECK(raw && len > 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0);
  CHECK(raw && strncmp(raw + 3, "网站名称,网址,网站标识码,备注,空\r\n", strlen("网站名称,网址,网站标识码,备注,空\r\n")) == 0);
  CHECK_CONTAINS(raw, "\r\n\"财政局,税务局\",\"http://czj.qingxi.gov.cn/a?b=1,2\",0012,\"他说\"\"你好\"\"\",x\r\n");
  CHECK_CONTAINS(raw, "\r\n\"多行\n备注\",,0000000000,\"第一行\r\n第二行\",\r\n");
  CHECK_CONTAINS(raw, "\r\n,,,,只有最后一列\r\n");
  free(raw);

  int rc = gw_table_read(path, &back);
  CHECK_INT(rc, GW_OK);
  if (rc == GW_OK) {
    CHECK(same_table(&t, &back));
    CHECK_INT(back.header_line, 1);
    CHECK_INT(back.rows[0].line, 2);
    CHECK_INT(back.rows[1].line, 3);
    CHECK_INT(back.rows[2].line, 4);
    CHECK_INT(back.rows[3].line, 7); /* the row before spans lines 4-6 */
    CHECK_INT(back.rows[6].ncells, 256);
    CHECK_INT(back.rows[0].ncells, 5); /* padded to the header's width */
    gw_table_free(&back);
  }
  /* overwriting an existing file works and keeps its mode */
  CHECK_INT(chmod(path, 0640), 0);
  CHECK_INT(gw_table_write(path, &t, NULL), GW_OK);
  struct stat st;
  CHECK_INT(stat(path, &st), 0);
  CHECK_INT(st.st_mode & 0777, 0640);
  gw_table_free(&t);
}

static void test_csv_lines(void)
{
  struct gw_table t;
  /* CRLF, a multi-line quoted cell, blank lines, a row of empty cells,
   * a lone CR, U+3000 padding and trailing empty columns. */
  const char *s = "\r\n"
                  "  \r\n"
                  "网站名称,网址,备注,,\r\n"              /* 3 */
                  "甲,http://a.gov.cn,\"多行\r\n"        /* 4 */
                  "备注\n"                               /* 5 */
                  "第三行\"\r\n"                         /* 6 */
                  "\r\n"                                 /* 7 */
                  "\xE3\x80\x80乙\xE3\x80\x80,\" http://b.gov.cn \",x,,,,\r\n" /* 8 */
                  ",,\r\n"                               /* 9 */
                  "丙,\"c\"\"d\" ,\r"                     /* 10, lone CR */
                  "丁,4,5\n";                            /* 11 */
  int rc = read_csv("lines.csv", s, &t);
  CHECK_INT(rc, GW_OK);
  if (rc)
    return;
  CHECK_INT(t.header_line, 3);
  CHECK_INT(t.nheader, 3);
  CHECK_STR(t.header[2], "备注");
  CHECK_INT(t.nrows, 4);
  CHECK_INT(t.rows[0].line, 4);
  CHECK_STR(gw_table_cell(&t.rows[0], 2), "多行\r\n备注\n第三行");
  CHECK_INT(t.rows[1].line, 8);
  CHECK_STR(gw_table_cell(&t.rows[1], 0), "乙");
  CHECK_STR(gw_table_cell(&t.rows[1], 1), "http://b.gov.cn");
  CHECK_INT(t.rows[1].ncells, 3);
  CHECK_INT(t.rows[2].line, 10);
  CHECK_STR(gw_table_cell(&t.rows[2], 1), "c\"d");
  CHECK_INT(t.rows[3].line, 11);
  CHECK_STR(gw_table_cell(&t.rows[3], 2), "5");
  gw_table_free(&t);

  /* no newline at the end, a record starting after a multi-line cell on
   * the same physical line as nothing else */
  rc = read_csv("eof.csv", "a,b\n\"x\ny\",z\n\"p\",q", &t);
  CHECK_INT(rc, GW_OK);
  if (rc == GW_OK) {
    CHECK_INT(t.nrows, 2);
    CHECK_INT(t.rows[0].line, 2);
    CHECK_INT(t.rows[1].line, 4);
    CHECK_STR(gw_table_cell(&t.rows[1], 1), "q");
    gw_table_free(&t);
  }
}

static void test_csv_bom_gb18030(void)
{
  struct gw_table t;
  int rc = read_csv("bom.csv", "\xEF\xBB\xBF网站名称,网址\r\n青溪县,http://q.gov.cn\r\n", &t);
  CHECK_INT(rc, GW_OK);
  if (rc == GW_OK) {
    CHECK_STR(t.header[0], "网站名称");
    CHECK_STR(gw_table_cell(&t.rows[0], 0), "青溪县");
    gw_table_free(&t);
  }

  /* What Excel on a Chinese Windows saves: GBK, no BOM, CRLF, U+3000
   * padding; plus characters only GB18030 has (4-byte sequences). */
  const char *utf8 = "网站名称,网址,网站标识码,主办单位\r\n"
                     "\xE3\x80\x80青溪县人民政府\xE3\x80\x80,http://www.qingxi.gov.cn,3399220001,"
                     "\"青溪县人民政府办公室,信息中心\"\r\n"
                     "\xF0\xA0\xAE\xB7家镇,http://j.gov.cn,0012,\"多行\r\n单位\"\r\n"
                     "\xE2\x82\xAC欧元,,,\r\n";
  size_t glen = 0;
  char *gb = to_gb18030(utf8, &glen);
  CHECK(glen < strlen(utf8)); /* really converted: GBK is shorter */
  const char *path = tmp_path("gbk.csv");
  write_file(path, gb, glen);
  rc = gw_table_read(path, &t);
  CHECK_INT(rc, GW_OK);
  if (rc == GW_OK) {
    CHECK_INT(t.nheader, 4);
    CHECK_STR(t.header[3], "主办单位");
    CHECK_INT(t.nrows, 3);
    CHECK_STR(gw_table_cell(&t.rows[0], 0), "青溪县人民政府");
    CHECK_STR(gw_table_cell(&t.rows[0], 3), "青溪县人民政府办公室,信息中心");
    CHECK_STR(gw_table_cell(&t.rows[1], 0), "\xF0\xA0\xAE\xB7家镇");
    CHECK_STR(gw_table_cell(&t.rows[1], 2), "0012");
    CHECK_STR(gw_table_cell(&t.rows[1], 3), "多行\r\n单位");
    CHECK_INT(t.rows[2].line, 5);
    CHECK_STR(gw_table_cell(&t.rows[2], 0), "\xE2\x82\xAC欧元");
    gw_table_free(&t);
  }
  free(gb);

  /* bytes that are neither UTF-8 nor GB18030, on line 3 */
  const char bad[] = "a,b\r\n\xC7\xE0,x\r\nok,\xFF\xFE\r\n";
  rc = gw_table_read_mem("bad.csv", GW_TABLE_CSV, bad, sizeof bad - 1, &t);
  CHECK_INT(rc, GW_EPARSE);
  CHECK_STR(gw_err_msg(), "bad.csv:3: invalid byte sequence (0xFF) at byte 15: the file is "
                          "neither UTF-8 nor GB18030/GBK");
  /* a truncated GBK sequence at the very end */
  const char cut[] = "a,b\n\xC7";
  rc = gw_table_read_mem("cut.csv", GW_TABLE_CSV, cut, sizeof cut - 1, &t);
  CHECK_INT(rc, GW_EPARSE);
  CHECK_CONTAINS(gw_err_msg(), "cut.csv:2: invalid byte sequence (0xC7) at byte 5");
}

static void test_csv_errors(void)
{
  struct gw_table t;
  memset(&t, 0x5A, sizeof t);
  struct gw_table before = t;

  CHECK_INT(read_csv("sites.csv", "a,b\r\n1,2\r\n3,\"oops\r\nmore\r\n", &t), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "sites.csv:3: unterminated quoted field");
  CHECK(memcmp(&t, &before, sizeof t) == 0); /* out untouched on failure */
  /* the opening quote's line, even after an earlier multi-line cell */
  CHECK_INT(read_csv("sites.csv", "a,b\n\"x\ny\",1\n2,3\n4,\"z\n\n", &t), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "sites.csv:5: unterminated quoted field");
  CHECK_INT(read_csv("sites.csv", "a,b\n\"open", &t), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "sites.csv:2: unterminated quoted field");

  /* line numbers after a multi-line quoted cell */
  CHECK_INT(read_csv("q.csv", "a,b\r\n\"多\r\n行\",1\r\n5\" 屏幕,2\r\n", &t), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "q.csv:4: quote inside an unquoted field (a cell with a quote must "
                          "be quoted whole, its quotes doubled)");
  CHECK_INT(read_csv("q.csv", "a,b\n\"x\"y,1\n", &t), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "q.csv:2: unexpected character after a closing quote");
  CHECK_INT(read_csv("q.csv", "a,b\n\"x\ny\"z,1\n", &t), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "q.csv:3: unexpected character after a closing quote");

  CHECK_INT(read_csv("empty.csv", "", &t), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "empty.csv: no header row: the table has no non-empty row");
  CHECK_INT(read_csv("blank.csv", "\xEF\xBB\xBF\r\n , ,\xE3\x80\x80\r\n\r\n", &t), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "blank.csv: no header row: the table has no non-empty row");

  const char nul[] = "a,b\nx,y\0z\n";
  CHECK_INT(gw_table_read_mem("u16.csv", GW_TABLE_CSV, nul, sizeof nul - 1, &t), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "u16.csv:2: column 2: NUL byte in cell (is this UTF-16 text? save "
                          "it as CSV UTF-8)");

  const char u16[] = "\xFF\xFE" "a\0,\0b\0\r\0\n\0";
  CHECK_INT(gw_table_read_mem("u16.csv", GW_TABLE_CSV, u16, sizeof u16 - 1, &t), GW_EPARSE);
  CHECK_STR(gw_err_msg(), "u16.csv:1: UTF-16 text is not CSV: save the file as \"CSV UTF-8\" or \"CSV\"");

  /* a cell over 64 KiB, starting on line 3 */
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, "a,b\n1,2\nx,\"");
  for (size_t i = 0; i < 65537; i++)
    gw_buf_putc(&b, i % 100 == 99 ? '\n' : 'c');
  gw_buf_puts(&b, "\"\n");
  CHECK_INT(read_csv("big.csv", gw_buf_cstr(&b), &t), GW_ELIMIT);
  CHECK_STR(gw_err_msg(),
            "big.csv:3: column 2: cell is longer than the limit of 65536 bytes (65537 bytes)");
  /* exactly at the cap is fine */
  gw_buf_reset(&b);
  gw_buf_puts(&b, "a,b\n1,");
  for (size_t i = 0; i < 65536; i++)
    gw_buf_putc(&b, 'c');
  gw_buf_puts(&b, "\n");
  CHECK_INT(read_csv("big.csv", gw_buf_cstr(&b), &t), GW_OK);
  CHECK_INT(strlen(gw_table_cell(&t.rows[0], 1)), 65536);
  gw_table_free(&t);

  /* 257 columns with values; trailing empty columns past the cap are fine */
  gw_buf_reset(&b);
  gw_buf_puts(&b, "a\n");
  for (int i = 0; i < 257; i++)
    gw_buf_printf(&b, "%sv%d", i ? "," : "", i);
  gw_buf_puts(&b, "\n");
  CHECK_INT(read_csv("wide.csv", gw_buf_cstr(&b), &t), GW_ELIMIT);
  CHECK_STR(gw_err_msg(), "wide.csv:2: column 257: more than 256 columns");
  gw_buf_reset(&b);
  gw_buf_puts(&b, "a\nx");
  for (int i = 0; i < 400; i++)
    gw_buf_puts(&b, ", ");
  gw_buf_puts(&b, "\n");
  CHECK_INT(read_csv("wide.csv", gw_buf_cstr(&b), &t), GW_OK);
  CHECK_INT(t.rows[0].ncells, 1);
  gw_table_free(&t);

  /* 1,000,000 rows are fine, one more is refused */
  gw_buf_reset(&b);
  gw_buf_puts(&b, "h\n");
  for (int i = 0; i < 1000000; i++)
    gw_buf_puts(&b, "1\n");
  CHECK_INT(read_csv("rows.csv", gw_buf_cstr(&b), &t), GW_OK);
  CHECK_INT(t.nrows, 1000000);
  CHECK_INT(t.rows[999999].line, 1000001);
  gw_table_free(&t);
  gw_buf_puts(&b, "\n\n2\n");
  CHECK_INT(read_csv("rows.csv", gw_buf_cstr(&b), &t), GW_ELIMIT);
  CHECK_STR(gw_err_msg(), "rows.csv:1000004: more than 1000000 rows");
  gw_buf_free(&b);

  /* input over 64 MiB: in memory, and as a (sparse) file */
  size_t huge = ((size_t)64 << 20) + 1;
  char *mem = gw_calloc(huge, 1);
  CHECK_INT(gw_table_read_mem("huge.csv", GW_TABLE_CSV, mem, huge, &t), GW_ELIMIT);
  CHECK_STR(gw_err_msg(), "huge.csv: input is larger than the limit of 64 MiB");
  free(mem);
  const char *hp = tmp_path("huge.csv");
  FILE *f = fopen(hp, "wb");
  CHECK(f && ftruncate(fileno(f), (off_t)huge) == 0);
  if (f)
    fclose(f);
  CHECK_INT(gw_table_read(hp, &t), GW_ELIMIT);
  CHECK_CONTAINS(gw_err_msg(), "huge.csv: file is larger than the limit of 64 MiB");
  unlink(hp);

  CHECK_INT(gw_table_read(tmp_path("missing.csv"), &t), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "missing.csv: cannot open: No such file or directory");
  CHECK_INT(gw_table_read(tmp_path("x.txt"), &t), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "x.txt: unknown file type, expected .csv or .xlsx");
  CHECK_INT(gw_table_read_mem("m", (enum gw_table_format)7, "a", 1, &t), GW_EINVAL);
  CHECK_STR(gw_err_msg(), "m: unknown table format 7");
}

/* ---- XLSX -------------------------------------------------------------- */

static void test_xlsx_roundtrip(void)
{
  struct gw_table t, back;
  sample_table(&t, 30000);
  const char *path = tmp_path("rt.xlsx");
  CHECK_INT(gw_table_write(path, &t, "网站名录"), GW_OK);
  int rc = gw_table_read(path, &back);
  CHECK_INT(rc, GW_OK);
  if (rc == GW_OK) {
    CHECK(same_table(&t, &back));
    CHECK_INT(back.header_line, 1);
    CHECK_INT(back.rows[2].line, 4);
    CHECK_INT(back.rows[6].ncells, 256);
    CHECK_STR(gw_table_cell(&back.rows[1], 2), "0012");
    gw_table_free(&back);
  }
  /* the sheet is named, the header bold, the widths set */
  int err = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &err);
  CHECK(za != NULL);
  if (za) {
    char buf[4096] = "";
    zip_file_t *zf = zip_fopen(za, "xl/workbook.xml", 0);
    zip_int64_t n = zf ? zip_fread(zf, buf, sizeof buf - 1) : -1;
    if (zf)
      zip_fclose(zf);
    buf[n > 0 ? n : 0] = '\0';
    CHECK_CONTAINS(buf, "name=\"网站名录\"");
    zf = zip_fopen(za, "xl/styles.xml", 0);
    n = zf ? zip_fread(zf, buf, sizeof buf - 1) : -1;
    if (zf)
      zip_fclose(zf);
    buf[n > 0 ? n : 0] = '\0';
    CHECK_CONTAINS(buf, "<b/>");
    zf = zip_fopen(za, "xl/worksheets/sheet1.xml", 0);
    n = zf ? zip_fread(zf, buf, sizeof buf - 1) : -1;
    if (zf)
      zip_fclose(zf);
    buf[n > 0 ? n : 0] = '\0';
    /* 网站名称: 4 CJK = 8 columns + 2; 青溪县人民政府 7 CJK = 14 + 2 */
    CHECK_CONTAINS(buf, "<col min=\"1\" max=\"1\" width=\"16.7109375\"");
    CHECK_CONTAINS(buf, "<pane ySplit=\"1\"");
    zip_discard(za);
  }
  gw_table_free(&t);
}

static void test_xlsx_handmade(void)
{
  /* Two sheets; the first in workbook order is sheet2.xml, named by an
   * absolute target. Shared strings with rich text and a phonetic run,
   * an inline string, numbers, skipped cells, a date in two formats. */
  const char *wb =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<workbookPr/><sheets><sheet name=\"名录\" sheetId=\"2\" r:id=\"rId5\"/>"
      "<sheet name=\"旧表\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  const char *rels =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
      "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/styles\" Target=\"./styles.xml\"/>"
      "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
  const char *sst = SST("<si><t>网站名称</t></si>"
                        "<si><r><rPr><b/></rPr><t>网站</t></r><r><t xml:space=\"preserve\">标识码"
                        "</t></r><rPh sb=\"0\" eb=\"2\"><t>ワンサイト</t></rPh></si>"
                        "<si><t>\xE3\x80\x80青溪县人民政府 </t></si>"
                        "<si><t>a&amp;b_x000D_&lt;c&gt;</t></si><si/>");
  const char *styles =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<numFmts count=\"1\"><numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
      "<numFmt numFmtId=\"177\" formatCode=\"[Red]0.00;&quot;day&quot;\"/></numFmts>"
      "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
      "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
      "<xf numFmtId=\"176\"><alignment/></xf><xf numFmtId=\"177\"/></cellXfs></styleSheet>";
  const char *sheet2 =
      SHEET_HEAD
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>网址</t></is></c>"
      "<c r=\"D1\" t=\"s\" s=\"0\"><v>1</v></c></row>"
      "<row r=\"3\" spans=\"1:4\"><c r=\"A3\" t=\"s\"><v>2</v></c>"
      "<c r=\"D3\" t=\"n\"><v>3399220001</v></c><c r=\"E3\" s=\"0\"/></row>"
      "<row r=\"4\"><c t=\"str\"><f>CONCAT(\"a\",\"b\")</f><v>ab</v></c><c t=\"str\"><f>X()</f><v>公式</v></c>"
      "<c t=\"b\"><v>1</v></c><c><v>0.30000000000000004</v></c><c t=\"s\"><v>3</v></c></row>"
      "<row r=\"5\"><c r=\"A5\" s=\"1\"><v>45292</v></c><c r=\"B5\" s=\"2\"><v>45292.5</v></c>"
      "<c r=\"C5\" s=\"3\"><v>45292</v></c><c r=\"D5\"><v>1.5E+20</v></c>"
      "<c r=\"E5\"><v>-0</v></c></row>"
      "<row r=\"6\"><c r=\"B6\" t=\"s\"><v>4</v></c><c r=\"C6\" t=\"inlineStr\"><is>"
      "<r><t>富</t></r><r><t>文本</t></r></is></c><c r=\"D6\" t=\"e\"><v>#N/A</v></c></row>"
      "<row r=\"7\"/><row r=\"8\"><c r=\"A8\" t=\"s\"><v>4</v></c></row>"
      "<row r=\"9\"><c r=\"A9\"><v>12.25</v></c><c r=\"B9\"><v>1234567890123456</v></c>"
      "<c r=\"C9\"><v>999999999999999</v></c><c r=\"D9\" t=\"b\"><v>0</v></c>"
      "<c r=\"E9\" s=\"1\"><v>0.5</v></c><c r=\"F9\" s=\"1\"><v>-3</v></c></row>" SHEET_TAIL;
  const char *sheet1 = SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>旧表</t></is>"
                                  "</c></row>" SHEET_TAIL;
  const char *path = tmp_path("hand.xlsx");
  const char *parts[] = {"[Content_Types].xml", CT, "_rels/.rels", ROOT_RELS,
                         "xl/workbook.xml", wb, "xl/_rels/workbook.xml.rels", rels,
                         "xl/worksheets/sheet1.xml", sheet1, "xl/worksheets/sheet2.xml", sheet2,
                         "xl/sharedStrings.xml", sst, "xl/styles.xml", styles, NULL};
  make_zip(path, parts);
  struct gw_table t;
  int rc = gw_table_read(path, &t);
  CHECK_INT(rc, GW_OK);
  if (rc) {
    fprintf(stderr, "  %s\n", gw_err_msg());
    return;
  }
  CHECK_INT(t.header_line, 1);
  CHECK_INT(t.nheader, 4);
  CHECK_STR(t.header[0], "网站名称");
  CHECK_STR(t.header[1], "");
  CHECK_STR(t.header[2], "网址");
  CHECK_STR(t.header[3], "网站标识码");
  CHECK_INT(t.nrows, 5);
  if (t.nrows == 5) {
    const struct gw_table_row *r = t.rows;
    CHECK_INT(r[0].line, 3);
    CHECK_INT(r[0].ncells, 4);
    CHECK_STR(gw_table_cell(&r[0], 0), "青溪县人民政府");
    CHECK_STR(gw_table_cell(&r[0], 1), "");
    CHECK_STR(gw_table_cell(&r[0], 2), "");
    CHECK_STR(gw_table_cell(&r[0], 3), "3399220001");
    CHECK_INT(r[1].line, 4);
    CHECK_INT(r[1].ncells, 5);
    CHECK_STR(gw_table_cell(&r[1], 0), "ab");
    CHECK_STR(gw_table_cell(&r[1], 1), "公式");
    CHECK_STR(gw_table_cell(&r[1], 2), "TRUE");
    CHECK_STR(gw_table_cell(&r[1], 3), "0.3");
    CHECK_STR(gw_table_cell(&r[1], 4), "a&b\r<c>");
    CHECK_INT(r[2].line, 5);
    CHECK_STR(gw_table_cell(&r[2], 0), "2024-01-01");
    CHECK_STR(gw_table_cell(&r[2], 1), "2024-01-01 12:00:00");
    CHECK_STR(gw_table_cell(&r[2], 2), "45292");
    CHECK_STR(gw_table_cell(&r[2], 3), "1.5e+20");
    CHECK_STR(gw_table_cell(&r[2], 4), "0");
    CHECK_INT(r[3].line, 6);
    CHECK_STR(gw_table_cell(&r[3], 1), "");
    CHECK_STR(gw_table_cell(&r[3], 2), "富文本");
    CHECK_STR(gw_table_cell(&r[3], 3), "#N/A");
    /* row 7 is empty, row 8 has only an empty shared string: both skipped */
    CHECK_INT(r[4].line, 9);
    CHECK_STR(gw_table_cell(&r[4], 0), "12.25");
    CHECK_STR(gw_table_cell(&r[4], 1), "1.23456789012346e+15");
    CHECK_STR(gw_table_cell(&r[4], 2), "999999999999999");
    CHECK_STR(gw_table_cell(&r[4], 3), "FALSE");
    CHECK_STR(gw_table_cell(&r[4], 4), "12:00:00");
    CHECK_STR(gw_table_cell(&r[4], 5), "-3"); /* no date before 1900: the number */
  }
  gw_table_free(&t);

  /* the same bytes through gw_table_read_mem */
  size_t len = 0;
  char *data = gw_test_slurp(path, &len);
  CHECK(data != NULL);
  rc = gw_table_read_mem("mem.xlsx", GW_TABLE_XLSX, data, len, &t);
  CHECK_INT(rc, GW_OK);
  if (rc == GW_OK) {
    CHECK_STR(gw_table_cell(&t.rows[0], 3), "3399220001");
    gw_table_free(&t);
  }
  free(data);

  /* 1904 date system */
  const char *wb1904 =
      "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<workbookPr date1904=\"1\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  const char *rels1904 =
      "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/styles\" Target=\"styles.xml\"/></Relationships>";
  const char *s1904 = SHEET_HEAD "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>日期</t></is></c></row>"
                                 "<row r=\"3\"><c r=\"B3\" s=\"1\"><v>43830</v></c></row>" SHEET_TAIL;
  const char *p1904 = tmp_path("d1904.xlsx");
  const char *parts1904[] = {"xl/workbook.xml", wb1904, "xl/_rels/workbook.xml.rels", rels1904,
                             "xl/worksheets/sheet1.xml", s1904, "xl/styles.xml", styles, NULL};
  make_zip(p1904, parts1904);
  rc = gw_table_read(p1904, &t);
  CHECK_INT(rc, GW_OK);
  if (rc == GW_OK) {
    CHECK_INT(t.header_line, 2);
    CHECK_STR(t.header[1], "日期");
    CHECK_STR(gw_table_cell(&t.rows[0], 1), "2024-01-01");
    CHECK_INT(t.rows[0].line, 3);
    gw_table_free(&t);
  }
}

static void test_xlsx_errors(void)
{
  struct gw_table t;
  memset(&t, 0x5A, sizeof t);
  struct gw_table before = t;

  const char *p = tmp_path("text.xlsx");
  write_file(p, "网站名称,网址\n", strlen("网站名称,网址\n"));
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "text.xlsx: not an XLSX file (not a zip archive)");
  CHECK_INT(gw_table_read_mem("empty.xlsx", GW_TABLE_XLSX, "", 0, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "empty.xlsx: not an XLSX file (the file is empty)");
  const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
  CHECK_INT(gw_table_read_mem("old.xlsx", GW_TABLE_XLSX, ole, sizeof ole - 1, &t), GW_EPARSE);
  CHECK_CONTAINS(errmsg(), "old.xlsx: not an XLSX file: this is an old-format .xls workbook");

  const char *nowb[] = {"[Content_Types].xml", CT, "docProps/app.xml", "<x/>", NULL};
  p = tmp_path("nowb.xlsx");
  make_zip(p, nowb);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_CONTAINS(errmsg(), "nowb.xlsx: no xl/workbook.xml in the archive: not an XLSX workbook");

  const char *norels[] = {"xl/workbook.xml", WB1, NULL};
  p = tmp_path("norels.xlsx");
  make_zip(p, norels);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_CONTAINS(errmsg(), "norels.xlsx: no xl/_rels/workbook.xml.rels in the archive");

  const char *nosheet[] = {"xl/workbook.xml", WB1, "xl/_rels/workbook.xml.rels", WB1_RELS, NULL};
  p = tmp_path("nosheet.xlsx");
  make_zip(p, nosheet);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "nosheet.xlsx: xl/worksheets/sheet1.xml (the first worksheet, "
                          "'Sheet1') is missing from the archive");

  p = simple_xlsx("badxml.xlsx", SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</v></row>" SHEET_TAIL,
                  NULL);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_CONTAINS(errmsg(), "badxml.xlsx: xl/worksheets/sheet1.xml: line 2: malformed XML:");

  p = simple_xlsx("trunc.xlsx", SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", NULL);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_CONTAINS(errmsg(), "trunc.xlsx: xl/worksheets/sheet1.xml: line 2: malformed XML:");

  p = simple_xlsx("sst.xlsx",
                  SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"2\">"
                             "<c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\" t=\"s\"><v>5</v></c></row>" SHEET_TAIL,
                  SST("<si><t>a</t></si><si><t>b</t></si>"));
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "sst.xlsx: xl/worksheets/sheet1.xml: cell B2: shared string index 5 "
                          "out of range (2 strings)");

  p = simple_xlsx("sst2.xlsx", SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>x1</v></c></row>" SHEET_TAIL,
                  NULL);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "sst2.xlsx: xl/worksheets/sheet1.xml: cell A1: invalid shared string index 'x1'");

  p = simple_xlsx("ref.xlsx", SHEET_HEAD "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>" SHEET_TAIL, NULL);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "ref.xlsx: xl/worksheets/sheet1.xml: row 1: invalid cell reference '1A'");

  p = simple_xlsx("row.xlsx", SHEET_HEAD "<row r=\"0\"><c r=\"A1\"><v>1</v></c></row>" SHEET_TAIL, NULL);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "row.xlsx: xl/worksheets/sheet1.xml: invalid row number '0'");

  p = simple_xlsx("num.xlsx", SHEET_HEAD "<row r=\"1\"><c r=\"B1\"><v>12abc</v></c></row>" SHEET_TAIL, NULL);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "num.xlsx: xl/worksheets/sheet1.xml: cell B1: '12abc' is not a number");

  p = simple_xlsx("type.xlsx", SHEET_HEAD "<row r=\"1\"><c r=\"B1\" t=\"q\"><v>1</v></c></row>" SHEET_TAIL, NULL);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "type.xlsx: xl/worksheets/sheet1.xml: cell B1: unknown cell type 'q'");

  p = simple_xlsx("bool.xlsx", SHEET_HEAD "<row r=\"1\"><c r=\"B1\" t=\"b\"><v>2</v></c></row>" SHEET_TAIL, NULL);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "bool.xlsx: xl/worksheets/sheet1.xml: cell B1: invalid boolean '2'");

  /* a DTD (entity expansion attacks) is refused */
  p = simple_xlsx("dtd.xlsx",
                  "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
                  "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&b;</t></is></c>"
                  "</row></sheetData></worksheet>",
                  NULL);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "dtd.xlsx: xl/worksheets/sheet1.xml: a DTD is not allowed in a workbook part");

  /* caps: a cell over 64 KiB, a value in column 257 */
  struct gw_buf b = GW_BUF_INIT;
  gw_buf_puts(&b, SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>h</t></is></c></row>"
                             "<row r=\"2\"><c r=\"C2\" t=\"inlineStr\"><is><t>");
  for (int i = 0; i < 65537; i++)
    gw_buf_putc(&b, 'x');
  gw_buf_puts(&b, "</t></is></c></row>" SHEET_TAIL);
  p = simple_xlsx("bigcell.xlsx", gw_buf_cstr(&b), NULL);
  CHECK_INT(gw_table_read(p, &t), GW_ELIMIT);
  CHECK_STR(errmsg(), "bigcell.xlsx: xl/worksheets/sheet1.xml: cell C2 is longer than the "
                          "limit of 65536 bytes");
  gw_buf_free(&b);
  p = simple_xlsx("wide.xlsx",
                  SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"IV2\">"
                             "<v>1</v></c><c r=\"IW2\" s=\"3\"/><c r=\"XFD2\"><v>2</v></c></row>" SHEET_TAIL,
                  NULL);
  CHECK_INT(gw_table_read(p, &t), GW_ELIMIT);
  CHECK_STR(errmsg(), "wide.xlsx: cell XFD2: more than 256 columns");

  /* a zip bomb: one part that inflates past 256 MiB */
  /* (small elements between runs of spaces: libxml2's own 10 MB text
   * node limit must not be what stops it) */
  size_t bomb = ((size_t)256 << 20) + 8192;
  char *zeros = gw_malloc(bomb);
  memset(zeros, ' ', bomb);
  memcpy(zeros, SHEET_HEAD, strlen(SHEET_HEAD));
  for (size_t i = 4096; i + 4 < bomb; i += 4096)
    memcpy(zeros + i, "<a/>", 4);
  p = tmp_path("bomb.xlsx");
  int err = 0;
  zip_t *za = zip_open(p, ZIP_CREATE | ZIP_TRUNCATE, &err);
  CHECK(za != NULL);
  if (za) {
    zip_source_t *s1 = zip_source_buffer(za, WB1, strlen(WB1), 0);
    zip_file_add(za, "xl/workbook.xml", s1, 0);
    zip_source_t *s2 = zip_source_buffer(za, WB1_RELS, strlen(WB1_RELS), 0);
    zip_file_add(za, "xl/_rels/workbook.xml.rels", s2, 0);
    zip_source_t *s3 = zip_source_buffer(za, zeros, bomb, 0);
    zip_int64_t i3 = zip_file_add(za, "xl/worksheets/sheet1.xml", s3, 0);
    zip_set_file_compression(za, (zip_uint64_t)i3, ZIP_CM_DEFLATE, 1);
    CHECK_INT(zip_close(za), 0);
  }
  free(zeros);
  struct stat st;
  CHECK(stat(p, &st) == 0 && st.st_size < (4 << 20));
  CHECK_INT(gw_table_read(p, &t), GW_ELIMIT);
  CHECK_STR(errmsg(), "bomb.xlsx: xl/worksheets/sheet1.xml: decompresses to more than the "
                          "limit of 256 MiB");

  /* a damaged archive: flip bytes inside the compressed sheet */
  p = simple_xlsx("crc.xlsx", SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
                              "网站名称网站名称网站名称网站名称</t></is></c></row>" SHEET_TAIL, NULL);
  size_t len = 0;
  char *data = gw_test_slurp(p, &len);
  /* the local header: 30 bytes, the name, the extra field, then the data */
  char *hit = NULL;
  for (size_t i = 0; data && !hit && i + 24 <= len; i++)
    if (memcmp(data + i, "xl/worksheets/sheet1.xml", 24) == 0)
      hit = data + i;
  CHECK(hit != NULL);
  if (hit) {
    size_t extra = (unsigned char)hit[-2] | (size_t)(unsigned char)hit[-1] << 8;
    char *body = hit + 24 + extra;
    for (int i = 0; i < 8; i++)
      body[20 + i] ^= 0x55;
    CHECK_INT(gw_table_read_mem("crc.xlsx", GW_TABLE_XLSX, data, len, &t), GW_EPARSE);
    CHECK_CONTAINS(errmsg(), "crc.xlsx: xl/worksheets/sheet1.xml: ");
  }
  free(data);

  p = simple_xlsx("blank.xlsx", SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t> </t></is></c></row>" SHEET_TAIL, NULL);
  CHECK_INT(gw_table_read(p, &t), GW_EPARSE);
  CHECK_STR(errmsg(), "blank.xlsx: no header row: the table has no non-empty row");
  CHECK(memcmp(&t, &before, sizeof t) == 0);
}

/* ---- atomic writing ----------------------------------------------------- */

static void test_atomic(void)
{
  struct gw_table t;
  const char *h[] = {"网站名称", "网址"};
  gw_table_init(&t, h, 2);
  const char *r[] = {"青溪县", "http://q.gov.cn"};
  gw_table_add_row(&t, r, 2);

  /* a directory that does not exist: nothing is created */
  const char *p = tmp_path("nodir/x.csv");
  CHECK_INT(gw_table_write(p, &t, NULL), GW_EIO);
  CHECK_CONTAINS(errmsg(), "nodir/x.csv: cannot create a temporary file in ");
  CHECK(access(tmp_path("nodir"), F_OK) != 0);
  CHECK_INT(gw_table_write(tmp_path("nodir/x.xlsx"), &t, NULL), GW_EIO);

  /* an unwritable directory (root writes anyway, so only checked as a user) */
  const char *ro = tmp_path("ro");
  CHECK_INT(mkdir(ro, 0755), 0);
  if (geteuid() != 0) {
    CHECK_INT(chmod(ro, 0555), 0);
    CHECK_INT(gw_table_write(tmp_path("ro/x.xlsx"), &t, NULL), GW_EIO);
    CHECK_CONTAINS(errmsg(), "ro/x.xlsx: cannot create a temporary file in ");
    CHECK_INT(dir_count(ro), 0);
    CHECK_INT(chmod(ro, 0755), 0);
  }

  /* a failure after the temporary file exists leaves the old file alone:
   * a cell too long for Excel ... */
  const char *dir = tmp_path("keep");
  CHECK_INT(mkdir(dir, 0755), 0);
  const char *target = tmp_path("keep/名录.xlsx");
  write_file(target, "old", 3);
  struct gw_table big;
  gw_table_init(&big, h, 2);
  char *cell = gw_malloc(40001);
  memset(cell, 'x', 40000);
  cell[40000] = '\0';
  const char *br[] = {"a", cell};
  gw_table_add_row(&big, br, 2);
  free(cell);
  CHECK_INT(gw_table_write(target, &big, NULL), GW_ELIMIT);
  CHECK_CONTAINS(errmsg(), "名录.xlsx: cell B2: longer than the 32767 characters Excel allows");
  char *now = gw_test_slurp(target, NULL);
  CHECK_STR(now, "old");
  free(now);
  CHECK_INT(dir_count(dir), 1);
  /* ... an invalid sheet name ... */
  CHECK_INT(gw_table_write(target, &t, "a/b"), GW_EINVAL);
  CHECK_CONTAINS(errmsg(), "invalid worksheet name 'a/b'");
  CHECK_INT(dir_count(dir), 1);

  /* ... or a write that fails half way (file size limit, as on a full disk) */
  const char *ctarget = tmp_path("keep/名录.csv");
  write_file(ctarget, "old", 3);
  struct gw_table many;
  gw_table_init(&many, h, 2);
  for (int i = 0; i < 2000; i++)
    gw_table_add_row(&many, r, 2);
  struct rlimit old, lim;
  CHECK_INT(getrlimit(RLIMIT_FSIZE, &old), 0);
  lim = old;
  lim.rlim_cur = 8192;
  void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
  CHECK_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
  int rc = gw_table_write(ctarget, &many, NULL);
  CHECK_INT(setrlimit(RLIMIT_FSIZE, &old), 0);
  signal(SIGXFSZ, prev);
  CHECK_INT(rc, GW_EIO);
  CHECK_CONTAINS(errmsg(), "名录.csv: write failed: File too large");
  now = gw_test_slurp(ctarget, NULL);
  CHECK_STR(now, "old");
  free(now);
  CHECK_INT(dir_count(dir), 2);

  /* and a successful write replaces it */
  CHECK_INT(gw_table_write(ctarget, &many, NULL), GW_OK);
  struct gw_table back;
  CHECK_INT(gw_table_read(ctarget, &back), GW_OK);
  CHECK_INT(back.nrows, 2000);
  gw_table_free(&back);
  CHECK_INT(dir_count(dir), 2);

  CHECK_INT(gw_table_write(tmp_path("x.txt"), &t, NULL), GW_EINVAL);
  gw_table_free(&many);
  gw_table_free(&big);
  gw_table_free(&t);
}

int main(void)
{
  test_build();
  test_csv_roundtrip();
  test_csv_lines();
  test_csv_bom_gb18030();
  test_csv_errors();
  test_xlsx_roundtrip();
  test_xlsx_handmade();
  test_xlsx_errors();
  test_atomic();
  return gw_test_done();
}
