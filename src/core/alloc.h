/* Allocation wrappers.
 *
 * GovWatch treats running out of memory as fatal: these wrappers print a
 * message and abort rather than return NULL, so callers need no NULL checks
 * for heap allocation. Sizes are overflow-checked. Input-driven growth must
 * still be bounded by the caller (see gw_buf caps). */
#ifndef GW_CORE_ALLOC_H
#define GW_CORE_ALLOC_H

#include <stddef.h>

void *gw_malloc(size_t n);
void *gw_calloc(size_t count, size_t size);
void *gw_realloc(void *p, size_t n);
/* realloc for an array of `count` elements of `size` bytes, overflow-checked. */
void *gw_reallocarray(void *p, size_t count, size_t size);
char *gw_strdup(const char *s);          /* NULL stays NULL */
char *gw_strndup(const char *s, size_t n);

/* Free *pp and set it to NULL. */
#define GW_FREE(pp) do { free(*(pp)); *(pp) = NULL; } while (0)

#endif
