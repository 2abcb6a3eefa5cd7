/* kbs.import_date(text): a date of an import file, or NULL when it is none. */
#include "postgres.h"

#include "fmgr.h"
#include "datatype/timestamp.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "kbs_date.h"

PG_FUNCTION_INFO_V1(kbs_sql_import_date);

Datum
kbs_sql_import_date(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int			y,
				m,
				d;

	if (kbs_parse_import_date(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &y, &m, &d) != KBS_DATE_OK)
		PG_RETURN_NULL();
	PG_RETURN_DATEADT(date2j(y, m, d) - POSTGRES_EPOCH_JDATE);
}
