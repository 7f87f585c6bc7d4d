/* Writing a rendered circular to a file, atomically.
 *
 * The approach is the one of gw_table_write() in src/tab/table.c (its
 * helpers are static there): a temporary file made with mkstemp in the
 * target's directory, written and fsynced, given the mode of the file it
 * replaces (or 0666 less umask), renamed over the target, then the
 * directory fsynced. A reader never sees half a circular, and a failure
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

static mode_t umask_now(void)
{
  /* umask() can only be read by setting it; this is single-threaded at the
   * point a CLI writes its output, as in src/tab/table.c. */
  mode_t m = umask(022);
  umask(m);
  return m;
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
  char *dir = NULL, *tmp = NULL;
  int fd = -1;
  bool made = false;
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

  dir = slash ? gw_strndup(path, (size_t)(slash - path) + (slash == path)) : gw_strdup(".");
  size_t tn = strlen(dir) + strlen(base) + 16;
  tmp = gw_malloc(tn);
  snprintf(tmp, tn, "%s/.%s.XXXXXX", dir, base);
  struct stat st;
  mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~umask_now());

  fd = mkstemp(tmp);
  if (fd < 0) {
    rc = gw_err_set(GW_EIO, "%s: cannot create a temporary file in %s: %s", path, dir,
                    strerror(errno));
    goto out;
  }
  made = true;
  if (fmt == GW_REPORT_DOCX) {
    close(fd); /* libzip opens the file by name */
    fd = -1;
    rc = gw_docx_circular_write(c, tmp);
    if (rc)
      goto out;
    fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      rc = gw_err_set(GW_EIO, "%s: cannot reopen the temporary file: %s", path, strerror(errno));
      goto out;
    }
  } else {
    rc = write_all(fd, text.data ? text.data : "", text.len, path);
    if (rc)
      goto out;
  }
  if (fsync(fd) != 0) {
    rc = gw_err_set(GW_EIO, "%s: fsync failed: %s", path, strerror(errno));
    goto out;
  }
  close(fd);
  fd = -1;
  if (chmod(tmp, mode) != 0) {
    rc = gw_err_set(GW_EIO, "%s: chmod failed: %s", path, strerror(errno));
    goto out;
  }
  if (rename(tmp, path) != 0) {
    rc = gw_err_set(GW_EIO, "%s: cannot replace the file: %s", path, strerror(errno));
    goto out;
  }
  made = false;
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)fsync(dfd); /* durability of the rename; nothing more at risk if it fails */
    close(dfd);
  }
out:
  if (fd >= 0)
    close(fd);
  if (made)
    unlink(tmp);
  free(tmp);
  free(dir);
  gw_buf_free(&text);
  return rc;
}
