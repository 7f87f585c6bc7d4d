/* A minimal test harness: each test_*.c is one ctest executable.
 *
 * CHECK-style macros record a failure with file and line and keep going;
 * gw_test_done() prints the counts and returns the process exit status. */
#ifndef GW_TEST_TAP_H
#define GW_TEST_TAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern int gw_test_pass, gw_test_fail;

void gw_test_report(bool ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int gw_test_done(void);
/* A fresh empty directory under $TMPDIR for this test; removed at exit. */
const char *gw_test_tmpdir(void);
/* Run a shell command, capturing stdout+stderr into *out (malloc'd) and
 * returning the exit status (or -1). */
int gw_test_run(const char *cmd, char **out);
/* Read a whole file (malloc'd, NUL-terminated); NULL if unreadable. */
char *gw_test_slurp(const char *path, size_t *len);

#define CHECK(cond) gw_test_report((cond), __FILE__, __LINE__, "%s", #cond)
#define CHECK_MSG(cond, ...) gw_test_report((cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    gw_test_report(a_ == b_, __FILE__, __LINE__, "%s == %s (%lld vs %lld)", #a, #b, a_, b_); } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
    gw_test_report(a_ && b_ && strcmp(a_, b_) == 0, __FILE__, __LINE__, "%s == %s (\"%s\" vs \"%s\")", \
                   #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)
#define CHECK_CONTAINS(hay, needle) do { const char *h_ = (hay), *n_ = (needle); \
    gw_test_report(h_ && n_ && strstr(h_, n_) != NULL, __FILE__, __LINE__, "%s contains \"%s\" (got \"%.600s\")", \
                   #hay, n_ ? n_ : "(null)", h_ ? h_ : "(null)"); } while (0)

#endif
