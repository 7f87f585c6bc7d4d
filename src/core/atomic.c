#include "core/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"

static mode_t current_umask(void)
{
  /* umask() can only be read by setting it; GovWatch writes its output
   * files from one thread. */
  mode_t m = umask(022);
  umask(m);
  return m;
}

static void release(struct gw_atomic *a)
{
  if (a->fd >= 0)
    close(a->fd);
  free(a->path);
  free(a->dir);
  free(a->tmp);
  memset(a, 0, sizeof *a);
  a->fd = -1;
}

int gw_atomic_begin(struct gw_atomic *a, const char *path)
{
  memset(a, 0, sizeof *a);
  a->fd = -1;
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  if (!*base)
    return gw_err_set(GW_EINVAL, "%s: not a file name", path);
  a->path = gw_strdup(path);
  a->dir = slash ? gw_strndup(path, (size_t)(slash - path) + (slash == path)) : gw_strdup(".");
  size_t tn = strlen(a->dir) + strlen(base) + 16;
  a->tmp = gw_malloc(tn);
  snprintf(a->tmp, tn, "%s/.%s.XXXXXX", a->dir, base);
  /* Keep the mode of a file we replace; mkstemp alone would make 0600. */
  struct stat st;
  a->mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~current_umask());
  a->fd = mkstemp(a->tmp);
  if (a->fd < 0) {
    int rc = gw_err_set(GW_EIO, "%s: cannot create a temporary file in %s: %s", path, a->dir,
                        strerror(errno));
    release(a);
    return rc;
  }
  return GW_OK;
}

void gw_atomic_abort(struct gw_atomic *a)
{
  if (a->fd >= 0) {
    close(a->fd);
    a->fd = -1;
  }
  if (a->tmp)
    unlink(a->tmp);
  release(a);
}

int gw_atomic_commit(struct gw_atomic *a)
{
  int rc = GW_OK;
  if (a->fd < 0) {
    a->fd = open(a->tmp, O_RDONLY | O_CLOEXEC);
    if (a->fd < 0) {
      rc = gw_err_set(GW_EIO, "%s: cannot reopen the temporary file: %s", a->path, strerror(errno));
      goto fail;
    }
  }
  if (fsync(a->fd) != 0) {
    rc = gw_err_set(GW_EIO, "%s: fsync failed: %s", a->path, strerror(errno));
    goto fail;
  }
  close(a->fd);
  a->fd = -1;
  if (chmod(a->tmp, a->mode) != 0) {
    rc = gw_err_set(GW_EIO, "%s: chmod failed: %s", a->path, strerror(errno));
    goto fail;
  }
  if (rename(a->tmp, a->path) != 0) {
    rc = gw_err_set(GW_EIO, "%s: cannot replace the file: %s", a->path, strerror(errno));
    goto fail;
  }
  /* Make the rename durable; a failure here loses nothing that was not
   * already at risk, so it is not reported. */
  int dfd = open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)fsync(dfd);
    close(dfd);
  }
  release(a);
  return GW_OK;
fail:
  gw_atomic_abort(a);
  return rc;
}
