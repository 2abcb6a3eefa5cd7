/* The extension's module: one PG_MODULE_MAGIC for all of src/pg. */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
