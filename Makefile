# kennisbouwstenen — project targets. The extension itself is built by pgxs.mk.
#   make deps        install Debian packages (as root)
#   make             build the extension
#   make install     install it into PostgreSQL 15
#   make check       unit tests, fuzz smoke, SQL and integration tests
#   make check-hard  long hardening checks: fuzzing, sqlsmith, pgbench (15-25 min)
#   make demo        throwaway cluster with the extension and the demo
#   make demo-stop   stop the demo cluster
#   make fuzz        every libFuzzer target for FUZZ_SECONDS (default 120) each
#   make fuzz-corpus grow tests/fuzz/corpus: fuzz FUZZ_CORPUS_SECONDS (default 60) each, merge new coverage
#   make bench       the benchmark (SCALE=1: 100,000 profiles; RUNS=3)
PG_CONFIG ?= pg_config
PGXS_MAKE = $(MAKE) --no-print-directory -f pgxs.mk PG_CONFIG=$(PG_CONFIG)

CC ?= gcc
CORE_SRCS = $(sort $(wildcard src/core/*.c))
UNIT_SRCS = $(sort $(wildcard tests/unit/*.c))
UNIT_CFLAGS = -std=c11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -Isrc/core

.PHONY: all install uninstall clean deps check check-hard unit demo demo-stop fuzz fuzz-corpus bench

all:
	@$(PGXS_MAKE) all

install: all
	@$(PGXS_MAKE) install

uninstall:
	@$(PGXS_MAKE) uninstall

deps:
	@bash scripts/deps.sh

tests/unit/run_unit: $(CORE_SRCS) $(UNIT_SRCS) $(wildcard src/core/*.h)
	$(CC) $(UNIT_CFLAGS) $(CORE_SRCS) $(UNIT_SRCS) -lcunit -o $@

# The same unit tests under AddressSanitizer and UBSan.
tests/unit/run_unit_asan: $(CORE_SRCS) $(UNIT_SRCS) $(wildcard src/core/*.h)
	clang $(UNIT_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
		$(CORE_SRCS) $(UNIT_SRCS) -lcunit -o $@

unit: tests/unit/run_unit
	tests/unit/run_unit

FUZZ_SECONDS ?= 120
fuzz: deps
	@bash tests/fuzz/smoke.sh build/fuzz $(FUZZ_SECONDS)

check: deps
	@bash tests/run_check.sh

# Installs its own extra packages (scripts/deps.sh hard).
check-hard:
	@bash tests/hard/run.sh

FUZZ_CORPUS_SECONDS ?= 60
fuzz-corpus: deps
	@bash tests/fuzz/grow_corpus.sh $(FUZZ_CORPUS_SECONDS)

demo: deps
	@bash scripts/demo.sh

bench: deps
	@bash bench/run.sh

demo-stop:
	@bash scripts/cluster.sh stop .cluster/demo

clean:
	@$(PGXS_MAKE) clean
	rm -f tests/unit/run_unit tests/unit/run_unit_asan
	rm -rf build tests/results
