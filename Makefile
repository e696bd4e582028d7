# Axon: a Matrix homeserver. `make run` serves a monolith on SQLite; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := run

SERVER_NAME ?= localhost
PORT ?= 8008
DATA_DIR ?= data
PREFIX ?= /usr/local

# Debian packages: what the build links against, and what the tests start or drive.
BUILD_PACKAGES := pkg-config libsqlite3-dev libpq-dev libhiredis-dev libsodium-dev libvips-dev libxml2-dev
TEST_PACKAGES := postgresql redis-server nginx openssl sqlite3 dnsmasq-base coturn python3 python3-venv python3-dev libffi-dev libssl-dev
# Independent peers the tests drive: Synapse (config, schema, federation) and matrix-nio (a real client).
PYTHON_PEERS := matrix-synapse[postgres,redis]==1.163.2 matrix-nio[e2e]==0.26.0
VENV := .venv
EXECUTABLES := axon axon-client-reader axon-federation-receiver axon-federation-sender axon-media axon-event-persister

.PHONY: deps test-deps venv build release run test fixtures bench nginx-sites install clean

## deps: install the Debian packages the build needs (idempotent; apt-get runs only when one is missing).
deps:
	@bash Tests/tools/apt-ensure.sh $(BUILD_PACKAGES)

## test-deps: install what the tests need on top of the build.
test-deps: deps
	@bash Tests/tools/apt-ensure.sh $(TEST_PACKAGES)

## venv: the Python environment holding the independent peers (Synapse, matrix-nio).
venv: $(VENV)/.installed
$(VENV)/.installed: Makefile
	@python3 -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check $(PYTHON_PEERS)
	@touch $@

build: deps
	swift build

release: deps
	swift build -c release

## run: build, write a config and signing key on first run, serve a monolith on SQLite.
run: release
	@.build/release/axon generate-config --server-name $(SERVER_NAME) --data-dir $(DATA_DIR) --port $(PORT)
	.build/release/axon -c $(DATA_DIR)/homeserver.yaml

## test: every test suite, on SQLite and on a private PostgreSQL, with a private Redis.
test: test-deps venv
	@bash Tests/tools/run-tests.sh

## bench: axon-bench against Axon and a real Synapse on SQLite and on PostgreSQL: closed- and open-loop message
## load, initial and incremental sync of a 500-room account, memory; each run writes its own bench/results/ file.
bench: test-deps venv
	@bash Tests/tools/bench.sh

## nginx-sites: regenerate nginx/*.conf from the route table and deploy/ (a test fails when they drift).
nginx-sites: build
	bash nginx/generate.sh .build/debug/axon nginx

## fixtures: regenerate the cross-check fixtures computed by Synapse (committed; tests compare against them).
fixtures: venv
	$(VENV)/bin/python Tests/tools/generate-crypto-fixtures.py Tests/MatrixCryptoTests/SynapseEventFixtures.swift
	$(VENV)/bin/python Tests/tools/generate-json-number-fixtures.py Tests/MatrixTypesTests/PythonNumberFixtures.swift
	$(VENV)/bin/python Tests/tools/generate-auth-fixtures.py Tests/EventAuthTests
	$(VENV)/bin/python Tests/tools/generate-differential-fixtures.py Tests/EventAuthTests/Differential

## install: the executables, plus `register_new_matrix_user` (Synapse's name for `axon register-user`) so the
## setup guide's commands work as written; then the systemd units, the `axon` user and its directories.
install: release
	install -d $(PREFIX)/bin
	for exe in $(EXECUTABLES); do install -m 755 .build/release/$$exe $(PREFIX)/bin/$$exe; done
	printf '#!/bin/sh\nexec "%s/bin/axon" register-user "$$@"\n' '$(PREFIX)' > $(PREFIX)/bin/register_new_matrix_user
	chmod 755 $(PREFIX)/bin/register_new_matrix_user
	bash deploy/install-systemd.sh

clean:
	rm -rf .build Benchmarks/.build $(VENV)
