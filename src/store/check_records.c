/* Check records: clearing. */
#include "store/check_records.h"

#include <stdlib.h>
#include <string.h>

void gw_check_run_clear(struct gw_check_run *r)
{
  free(r->checks);
  memset(r, 0, sizeof *r);
}

void gw_check_run_list_free(struct gw_check_run_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    gw_check_run_clear(&l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

void gw_finding_row_clear(struct gw_finding_row *r)
{
  gw_finding_clear(&r->f); /* f.check is not freed there: it points at r->check */
  free(r->check);
  memset(r, 0, sizeof *r);
}
