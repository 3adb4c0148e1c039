# Fengqiao. `make run` builds everything and serves a demo station;
# `make test` runs every test. See README.md.

SHELL := /bin/bash
CC ?= cc
BUILD ?= build
PKGS := libmicrohttpd sqlite3 jansson libsodium liboath libpq xlsxwriter libcurl gdlib \
	pangocairo cairo-pdf libqrencode
WARN := -std=c17 -Wall -Wextra -Wformat-security -Wvla -Wstrict-prototypes \
	-Wwrite-strings -Wno-missing-field-initializers
CFLAGS ?= -O2 -g
ALL_CFLAGS = $(WARN) $(CFLAGS) -D_GNU_SOURCE -Isrc -I$(BUILD)/gen $(EXTRA_CFLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lmicrohttpd -lsqlite3 -ljansson -lsodium -loath -lpq -lxlsxwriter -lcurl -lgd -lpangocairo-1.0 -lpango-1.0 -lgobject-2.0 -lglib-2.0 -lcairo -lqrencode) -lpthread -lm

LIB_SRC := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/migrations.o $(BUILD)/gen/openapi.o
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))

UNIT_SRC := $(wildcard tests/unit/*/*.c)
UNIT_BIN := $(UNIT_SRC:tests/%.c=$(BUILD)/tests/%)
API_SRC := $(wildcard tests/api/test_*.c)
API_BIN := $(API_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps web run test test-unit test-api test-e2e unit-bins api-bins clean format

all: $(BUILD)/fengqiao

deps:
	@tools/install-deps.sh

$(BUILD)/%.o: %.c $(wildcard src/*/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/migrations.c: $(MIGRATIONS) tools/embed_migrations.sh
	@mkdir -p $(dir $@)
	tools/embed_migrations.sh $(MIGRATIONS) > $@

# The OpenAPI document: the base and each module's part, merged (and checked
# for paths or components defined twice) by a small build tool.
OPENAPI_PARTS := src/api/openapi.base.json $(sort $(wildcard src/api/*.openapi.json))

$(BUILD)/tools/openapi-merge: tools/openapi_merge.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/gen/openapi.json: $(OPENAPI_PARTS) $(BUILD)/tools/openapi-merge
	@mkdir -p $(dir $@)
	$(BUILD)/tools/openapi-merge $(OPENAPI_PARTS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/openapi.c: $(BUILD)/gen/openapi.json tools/embed_text.sh
	@mkdir -p $(dir $@)
	tools/embed_text.sh fq_openapi_json $< > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libfengqiao.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/fengqiao: $(BUILD)/src/cli/main.o $(BUILD)/libfengqiao.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(API_BIN): tests/api/harness.c tests/api/harness.h

$(BUILD)/tests/%: tests/%.c tests/test.c tests/test.h $(wildcard tests/api/*.h) $(BUILD)/libfengqiao.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< tests/test.c $(if $(findstring /api/,$@),tests/api/harness.c) $(BUILD)/libfengqiao.a $(LDLIBS)

web/dist/index.html: $(shell find web/src -type f 2>/dev/null) web/package.json web/index.html web/vite.config.js tools/precompress.sh
	cd web && npm ci --no-audit --no-fund && npm run build
	tools/precompress.sh web/dist

web: web/dist/index.html

# The demo database is created on first run; delete data/ to start again.
run: deps all web
	@if [ ! -f data/fengqiao.db ]; then \
		$(BUILD)/fengqiao init && $(BUILD)/fengqiao demo; \
	else \
		echo "using data/fengqiao.db (delete data/ for a fresh demo)"; \
	fi
	@echo "sign in at http://127.0.0.1:8080 with a login printed above (demo password: see README)"
	$(BUILD)/fengqiao serve

# Every test, on SQLite and on a throwaway PostgreSQL, built with
# AddressSanitizer and UndefinedBehaviorSanitizer (tools/run-tests.sh).
test:
	tools/run-tests.sh

unit-bins: $(UNIT_BIN)
api-bins: $(API_BIN)

test-unit: $(UNIT_BIN)
	@mkdir -p build/test-results
	@fail=0; for t in $(UNIT_BIN); do out=build/test-results/$$(basename $$t).out; \
		$$t > $$out 2>&1 || { cat $$out; fail=1; }; tail -n 1 $$out; done; exit $$fail

test-api: $(API_BIN)
	@mkdir -p build/test-results
	@fail=0; for t in $(API_BIN); do out=build/test-results/$$(basename $$t).out; \
		$$t > $$out 2>&1 || { cat $$out; fail=1; }; tail -n 1 $$out; done; exit $$fail

test-e2e: $(BUILD)/fengqiao web
	@mkdir -p build/test-results
	cd tests/e2e && npm ci --no-audit --no-fund >/dev/null && \
		FQ_BIN=$(CURDIR)/$(BUILD)/fengqiao node --test 2>&1 | tee $(CURDIR)/build/test-results/e2e.out; \
		exit $${PIPESTATUS[0]}

clean:
	rm -rf build

format:
	clang-format -i $(wildcard src/*/*.c src/*/*.h tests/*/*.c tests/*/*/*.c)

# Benchmarks (bench/README.md).
-include bench/bench.mk
