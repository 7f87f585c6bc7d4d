/* Error codes and the per-thread error message.
 *
 * Fallible functions return one of these codes (GW_OK = 0) and, on failure,
 * leave a human-readable message that names the input, the place and what is
 * wrong, retrievable with gw_err_msg() until the next gw_err_set() on the
 * same thread. */
#ifndef GW_CORE_ERROR_H
#define GW_CORE_ERROR_H

enum gw_err {
  GW_OK = 0,
  GW_ENOMEM,    /* out of memory */
  GW_EINVAL,    /* invalid argument or input value */
  GW_EUSAGE,    /* wrong command-line usage */
  GW_EIO,       /* file or system I/O failed */
  GW_ENOTFOUND, /* the named object does not exist */
  GW_EEXIST,    /* the object already exists (duplicate) */
  GW_EPARSE,    /* malformed input (CSV, XLSX, YAML, ...) */
  GW_ELIMIT,    /* a size cap was reached */
  GW_EDB,       /* the store failed */
  GW_ESCHEMA,   /* the database schema is newer or unknown */
  GW_ENET,      /* network failure */
  GW_EINUSE,    /* the object is still referenced */
  GW_ECOUNT_    /* number of codes, keep last */
};

/* Short English name of an error code ("invalid input"). Never NULL. */
const char *gw_strerror(int code);

/* Record a formatted message for the calling thread and return `code`, so a
 * failing function can `return gw_err_set(GW_EINVAL, "...", ...);`. */
int gw_err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefix the current message with "prefix: " (to add the input's name as the
 * error travels up). Returns `code`. */
int gw_err_prefix(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The last message set on this thread, or the code's name if none. */
const char *gw_err_msg(void);

/* Forget the last message. */
void gw_err_clear(void);

/* Process exit status for an error code, as documented in the README. */
int gw_err_exit_status(int code);

#endif
