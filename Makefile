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
#   make dashboard   the dashboard generator build/kbs-dashboard (ECharts from npm)
PG_CONFIG ?= pg_config
PGXS_MAKE = $(MAKE) --no-print-directory -f pgxs.mk PG_CONFIG=$(PG_CONFIG)

CC ?= gcc
CORE_SRCS = $(sort $(wildcard src/core/*.c))
UNIT_SRCS = $(sort $(wildcard tests/unit/*.c))
UNIT_CFLAGS = -std=c11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -Isrc/core

.PHONY: all install uninstall clean deps check check-hard unit demo demo-stop fuzz fuzz-corpus bench dashboard

all:
	@$(PGXS_MAKE) all

install: all
	@$(PGXS_MAKE) install

uninstall:
	@$(PGXS_MAKE) uninstall

deps:
	@bash scripts/deps.sh

# The unit tests cover src/core and the dashboard generator's pure parts.
UNIT_DEPS = $(CORE_SRCS) $(UNIT_SRCS) $(wildcard src/core/*.h) $(DASH_PURE) dashboards/generator/render.h
tests/unit/run_unit: $(UNIT_DEPS)
	$(CC) $(UNIT_CFLAGS) -Idashboards/generator $(CORE_SRCS) $(DASH_PURE) $(UNIT_SRCS) -lcunit -o $@

# The same unit tests under AddressSanitizer and UBSan.
tests/unit/run_unit_asan: $(UNIT_DEPS)
	clang $(UNIT_CFLAGS) -Idashboards/generator -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
		$(CORE_SRCS) $(DASH_PURE) $(UNIT_SRCS) -lcunit -o $@

# Dashboard generator: a libpq program with its page assets compiled in.
DASH_PURE = dashboards/generator/render.c
DASH_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter
ECHARTS_JS = node_modules/echarts/dist/echarts.min.js
DASH_ASSETS = dashboards/templates/page.html dashboards/templates/dashboard.css dashboards/templates/dashboard.js

$(ECHARTS_JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/embed: dashboards/generator/embed.c
	@mkdir -p build
	$(CC) $(DASH_CFLAGS) $< -o $@

build/dashboard_assets.c: build/embed $(DASH_ASSETS) $(ECHARTS_JS)
	build/embed $@ kbs_asset_page=dashboards/templates/page.html kbs_asset_css=dashboards/templates/dashboard.css \
		kbs_asset_js=dashboards/templates/dashboard.js kbs_asset_echarts=$(ECHARTS_JS)

build/kbs-dashboard: dashboards/generator/kbs_dashboard.c $(DASH_PURE) dashboards/generator/render.h build/dashboard_assets.c
	$(CC) $(DASH_CFLAGS) -Idashboards/generator -I$(shell $(PG_CONFIG) --includedir) \
		dashboards/generator/kbs_dashboard.c $(DASH_PURE) build/dashboard_assets.c \
		-L$(shell $(PG_CONFIG) --libdir) -lpq -o $@

dashboard: build/kbs-dashboard

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
