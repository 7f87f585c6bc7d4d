/* Atomic file replacement: write to a temporary file in the target's
 * directory, then rename it over the target.
 *
 * gw_atomic_begin makes the temporary file (mkstemp) and gives its path and
 * an open descriptor; the caller writes through the descriptor or, for
 * libraries that open files by name (libxlsxwriter, libzip), closes it
 * (setting fd to -1) and writes to `tmp`. gw_atomic_commit syncs the data,
 * gives the file the mode of the file it replaces (or 0666 less the umask,
 * as open(2) would), renames it into place and syncs the directory.
 * gw_atomic_abort removes the temporary file. Either commit or abort must
 * follow a successful begin; both free the struct's memory. On any failure
 * the target is untouched and no temporary file is left behind. */
#ifndef GW_CORE_ATOMIC_H
#define GW_CORE_ATOMIC_H

#include <sys/types.h>

struct gw_atomic {
  char *path;  /* the target */
  char *dir;   /* its directory */
  char *tmp;   /* the temporary file */
  int fd;      /* open on tmp, or -1 once the caller closed it */
  mode_t mode; /* the mode the target will get */
};

int gw_atomic_begin(struct gw_atomic *a, const char *path);
int gw_atomic_commit(struct gw_atomic *a);
void gw_atomic_abort(struct gw_atomic *a);

#endif
