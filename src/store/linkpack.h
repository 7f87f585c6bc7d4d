/* A page's links as one value (the store's page_links.packed, migration 11).
 *
 * The crawler writes a page's link occurrences together and every reader
 * reads them a page at a time, so they are kept as one row per page with
 * the occurrences packed into a blob, not one row each (one SQLite row
 * insert per page instead of ~25; that was a third of the crawl's time).
 *
 * Layout: one version byte (1), then per occurrence, in ascending seq:
 *   varint seq, varint zigzag(to_id - from_id), varint tag length, tag bytes,
 *   varint anchor length, anchor bytes, varint hidden, varint zigzag(line),
 *   one flags byte (bit 0 in_footer, bit 1 on_homepage).
 * Varints are LEB128 (7 bits a byte, low first, at most 10 bytes). Tags and
 * anchors hold no NUL byte (they come from C strings). */
#ifndef GW_STORE_LINKPACK_H
#define GW_STORE_LINKPACK_H

#include "core/buf.h"
#include "store/crawl_records.h"

#include <stddef.h>
#include <stdint.h>

#define GW_LINKPACK_VERSION 1

/* Append the packed form of rows[0..n) to out (starting with the version
 * byte when out is empty). The rows are one page's (their from_id is not
 * stored: a reader passes it in) and in strictly ascending seq; the caller
 * checks both. GW_ENOMEM or GW_ELIMIT from the buffer. */
int gw_linkpack_encode(struct gw_buf *out, const struct gw_link_row *rows, size_t n);

/* Call fn for each occurrence of a packed value of page from_id, in seq
 * order; row strings are valid during the call only. n is the stored
 * count: a value that holds another number, is cut short, has a byte out
 * of place, a seq not above the one before or a target id that is not
 * positive is GW_EDB, naming the page and the byte offset. Returns fn's
 * first non-zero result. what names the value in messages ("page_links"). */
typedef int (*gw_linkpack_fn)(void *ctx, const struct gw_link_row *l);
int gw_linkpack_each(const void *data, size_t len, int64_t from_id, int64_t n, const char *what, gw_linkpack_fn fn,
                     void *ctx);

#endif
