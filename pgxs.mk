# PGXS build of the extension; the project targets live in Makefile.
PG_CONFIG ?= pg_config

MODULE_big = kennisbouwstenen
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/core/*.c src/pg/*.c)))
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" extension/kennisbouwstenen.control)
MODULEDIR = extension
# The current version's install script is generated from sql/; released versions keep their
# frozen install scripts (extension/released/) so an installation can start from them and update.
DATA = extension/kennisbouwstenen.control $(wildcard extension/kennisbouwstenen--*--*.sql) \
	$(wildcard extension/released/kennisbouwstenen--*.sql)
DATA_built = extension/kennisbouwstenen--$(EXTVERSION).sql
EXTRA_CLEAN = $(DATA_built)

# Warnings are errors; portable code generation only.
PG_CPPFLAGS = -Isrc/core
PG_CFLAGS = -std=gnu11 -Werror -Wextra -Wno-unused-parameter -Wno-missing-field-initializers

# `make installcheck` against a running server (PGHOST, PGPORT, PGUSER: a superuser), as in contrib.
# The tests run in file-name order; 00_setup creates the extension, some tests use databases of their own.
REGRESS = $(sort $(basename $(notdir $(wildcard tests/sql/*.sql))))
REGRESS_OPTS = --inputdir=tests
CONTRIB_TESTDB = kbs_regress

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# The install script is the SQL sources in file-name order: the number in front of each name
# orders them so that every object comes after what it needs (README "Repository layout").
extension/kennisbouwstenen--$(EXTVERSION).sql: $(sort $(wildcard sql/*.sql)) extension/kennisbouwstenen.control
	{ echo '-- generated from sql/*.sql by make; edit those files instead'; \
	  printf '%s\n' '\echo Use "CREATE EXTENSION kennisbouwstenen" to load this file. \quit'; \
	  for f in $(sort $(wildcard sql/*.sql)); do echo; echo "-- $$f"; cat $$f; done; } > $@

# PGXS does not track header dependencies: rebuild every object when a header changes.
$(OBJS): $(wildcard src/core/*.h src/pg/*.h)
