# kennisbouwstenen — project targets. The extension itself is built by pgxs.mk.
#   make deps        install Debian packages (as root)
#   make             build the extension
#   make install     install it into PostgreSQL 15
#   make check       unit tests, fuzz smoke, SQL and integration tests
#   make installcheck the SQL regression tests against a running server with the extension installed
#   make check-hard  long hardening checks: fuzzing, sqlsmith, pgbench (15-25 min)
#   make demo        throwaway cluster with the extension and the demo
#   make demo-stop   stop the demo cluster
#   make demo-federation       a benchmark and two member clusters on loopback (postgres_fdw)
#   make demo-federation-stop  stop those three clusters
#   make fuzz        every libFuzzer target for FUZZ_SECONDS (default 120) each
#   make fuzz-corpus grow tests/fuzz/corpus: fuzz FUZZ_CORPUS_SECONDS (default 60) each, merge new coverage
#   make bench       the benchmark (SCALE=1: 100,000 profiles; RUNS=3)
#   make dashboard   build/kbs (dashboards, forms, training demand) and build/kbs-dashboard (the same program)
PG_CONFIG ?= pg_config
PGXS_MAKE = $(MAKE) --no-print-directory -f pgxs.mk PG_CONFIG=$(PG_CONFIG)

CC ?= gcc
CORE_SRCS = $(sort $(wildcard src/core/*.c))
UNIT_SRCS = $(sort $(wildcard tests/unit/*.c))
UNIT_CFLAGS = -std=c11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -Isrc/core -DKBS_TESTING

.PHONY: all install uninstall clean deps check installcheck check-hard unit demo demo-stop demo-federation \
	demo-federation-stop fuzz fuzz-corpus bench dashboard

all:
	@$(PGXS_MAKE) all

install: all
	@$(PGXS_MAKE) install

uninstall:
	@$(PGXS_MAKE) uninstall

installcheck:
	@$(PGXS_MAKE) installcheck

deps:
	@bash scripts/deps.sh

# The kbs program (dashboards, forms, training demand): libpq, libxlsxwriter, libzip, libxml2,
# with the dashboards' page assets compiled in. build/kbs-dashboard is the same program.
DASH_PURE = dashboards/generator/render.c dashboards/generator/forms.c dashboards/generator/xlsx_read.c \
	dashboards/generator/xlsx_write.c
# kbs reads CSV files with the extension's own CSV reader.
DASH_CLI = dashboards/generator/kbs_main.c dashboards/generator/kbs_cli.c dashboards/generator/kbs_dashboard.c dashboards/generator/report.c \
	dashboards/generator/kbs_forms.c \
	src/core/csv.c
XML_CFLAGS ?= -I/usr/include/libxml2
FORMS_LIBS = -lxlsxwriter -lzip -lxml2

# The unit tests cover src/core and the generator's parts without libpq (render, forms, xlsx).
UNIT_DEPS = $(CORE_SRCS) $(UNIT_SRCS) $(wildcard tests/unit/*.h) $(wildcard tests/common/*.h) $(wildcard src/core/*.h) $(DASH_PURE) $(wildcard dashboards/generator/*.h)
tests/unit/run_unit: $(UNIT_DEPS)
	$(CC) $(UNIT_CFLAGS) -D_POSIX_C_SOURCE=200809L -Idashboards/generator $(XML_CFLAGS) $(CORE_SRCS) $(DASH_PURE) $(UNIT_SRCS) \
		$(FORMS_LIBS) -lcunit -lm -o $@

# The same unit tests under AddressSanitizer and UBSan.
tests/unit/run_unit_asan: $(UNIT_DEPS)
	clang $(UNIT_CFLAGS) -D_POSIX_C_SOURCE=200809L -Idashboards/generator $(XML_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
		$(CORE_SRCS) $(DASH_PURE) $(UNIT_SRCS) $(FORMS_LIBS) -lcunit -lm -o $@

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

build/kbs: $(DASH_CLI) $(DASH_PURE) $(wildcard dashboards/generator/*.h) build/dashboard_assets.c
	$(CC) $(DASH_CFLAGS) -Idashboards/generator -Isrc/core $(XML_CFLAGS) -I$(shell $(PG_CONFIG) --includedir) \
		$(DASH_CLI) $(DASH_PURE) build/dashboard_assets.c \
		-L$(shell $(PG_CONFIG) --libdir) -lpq $(FORMS_LIBS) -lm -o $@

# The same program; it acts as the dashboard generator when called by this name.
build/kbs-dashboard: build/kbs
	ln -f build/kbs $@

dashboard: build/kbs build/kbs-dashboard

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

demo-federation: deps
	@bash scripts/demo_federation.sh

demo-federation-stop:
	@for c in fed-bench fed-noord fed-zuid; do bash scripts/cluster.sh stop .cluster/$$c; done

clean:
	@$(PGXS_MAKE) clean
	rm -f tests/unit/run_unit tests/unit/run_unit_asan
	rm -rf build tests/results
