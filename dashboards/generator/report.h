/*
 * The dashboards' figures written into the HTML itself: headings, cards,
 * notices and every table, so a page shows them without JavaScript and on
 * paper. The charts (dashboard.js) are drawn from the same document.
 */
#ifndef KBS_REPORT_H
#define KBS_REPORT_H

#include <libpq-fe.h>

#include "render.h"

/*
 * Writes the body of the municipality overview or the team report for the
 * document json (from kbs.dashboard_municipality / kbs.dashboard_team) into
 * body, and the line under the title into meta. The server reads the document
 * (its own jsonb) and formats the values; nothing is parsed here. Returns 0,
 * or -1 with a message in err.
 */
int			kbs_report_municipality(PGconn *conn, const char *json, kbs_buf *body, kbs_buf *meta,
									char *err, size_t errlen);
int			kbs_report_team(PGconn *conn, const char *json, kbs_buf *body, kbs_buf *meta,
							char *err, size_t errlen);
/* The national page of a federation's benchmark (kbs.dashboard_national). */
int			kbs_report_national(PGconn *conn, const char *json, kbs_buf *body, kbs_buf *meta,
								char *err, size_t errlen);

#endif
