/* Writing a rendered circular to a file, atomically (core/atomic.h, as
 * gw_table_write does): a reader never sees half a circular, and a failure
 * leaves the old file and no temporary behind. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/atomic.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "report/report_int.h"

int gw_report_format_parse(const char *s, enum gw_report_format *out)
{
  if (gw_str_ieq(s, "md") || gw_str_ieq(s, "markdown"))
    *out = GW_REPORT_MD;
  else if (gw_str_ieq(s, "html"))
    *out = GW_REPORT_HTML;
  else if (gw_str_ieq(s, "docx"))
    *out = GW_REPORT_DOCX;
  else
    return gw_err_set(GW_EUSAGE, "--format: '%s' is not one of docx, html, md", s ? s : "");
  return GW_OK;
}

static int write_all(int fd, const char *p, size_t n, const char *path)
{
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return gw_err_set(GW_EIO, "%s: write failed: %s", path, strerror(errno));
    }
    p += w;
    n -= (size_t)w;
  }
  return GW_OK;
}

int gw_report_circular_write(const struct gw_circular *c, enum gw_report_format fmt,
                             const char *path)
{
  struct gw_buf text = GW_BUF_INIT;
  int rc = GW_OK;

  if (fmt != GW_REPORT_MD && fmt != GW_REPORT_HTML && fmt != GW_REPORT_DOCX) {
    rc = gw_err_set(GW_EINVAL, "%s: unknown report format %d", path ? path : "", (int)fmt);
    goto out;
  }
  const char *slash = path ? strrchr(path, '/') : NULL;
  const char *base = slash ? slash + 1 : path;
  if (!base || !*base) {
    rc = gw_err_set(GW_EINVAL, "-o: '%s' is not a file name", path ? path : "");
    goto out;
  }
  /* Render first: a bad model must not even create a temporary file. */
  if (fmt == GW_REPORT_MD)
    rc = gw_report_circular_markdown(c, &text);
  else if (fmt == GW_REPORT_HTML)
    rc = gw_report_circular_html(c, &text);
  else
    rc = gw_report_circular_check(c);
  if (rc)
    goto out;

  struct gw_atomic at;
  if ((rc = gw_atomic_begin(&at, path)))
    goto out;
  if (fmt == GW_REPORT_DOCX) {
    close(at.fd); /* libzip opens the file by name */
    at.fd = -1;
    rc = gw_docx_circular_write(c, at.tmp);
  } else {
    rc = write_all(at.fd, text.data ? text.data : "", text.len, path);
  }
  if (rc) {
    gw_atomic_abort(&at);
    goto out;
  }
  rc = gw_atomic_commit(&at);
out:
  gw_buf_free(&text);
  return rc;
}
