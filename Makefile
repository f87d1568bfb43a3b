# keyaudit: `make demo` runs the whole job against a local AWS stand-in;
# `make test` runs the whole suite. Both install what they need first.

VENV        := .venv
VENV_STAMP  := $(VENV)/.installed-$(shell cksum < tests/requirements.txt | cut -d' ' -f1)
PYTHON      ?= python3
CARGO       ?= cargo

# Every folder under rules-wasm/rules is one built-in rule.
RULE_CRATES := $(notdir $(wildcard rules-wasm/rules/*))

JS_RULES    := examples/rules/javascript
JS_STAMP    := $(JS_RULES)/node_modules/.installed-$(shell cksum < $(JS_RULES)/package-lock.json | cut -d' ' -f1)

.PHONY: all setup js-setup rules build generated demo test lint clean

all: build

# Pinned moto (AWS stand-in) and DuckDB (Athena stand-in) in a local venv.
$(VENV_STAMP): tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

setup: $(VENV_STAMP)
	rustup target add wasm32-wasip2

# componentize-js and jco, pinned by package-lock.json, for the JavaScript rules.
$(JS_STAMP): $(JS_RULES)/package-lock.json
	cd $(JS_RULES) && npm ci --no-audit --no-fund --loglevel=error
	rm -f $(JS_RULES)/node_modules/.installed-* && touch $@

js-setup: $(JS_STAMP)

# Built-in rules: WebAssembly components, collected in target/rules where the
# keyaudit binary (target/debug or target/release) finds them.
rules: setup
	cd rules-wasm && $(CARGO) build --release
	mkdir -p target/rules
	rm -f target/rules/*.wasm
	for rule in $(RULE_CRATES); do cp target/wasm32-wasip2/release/$$(echo $$rule | tr - _).wasm target/rules/$$rule.wasm; done

build: rules
	$(CARGO) build --workspace

# Files derived from the registry of resource kinds (a test checks they are fresh).
generated: js-setup
	$(CARGO) run --quiet -p keyaudit -- generate athena-ddl > examples/athena/tables.sql
	$(CARGO) run --quiet -p keyaudit -- generate audit-role > examples/deploy/audit-role.yaml
	rm -rf $(JS_RULES)/types && $(JS_RULES)/node_modules/.bin/jco types wit --world-name rule-component -o $(JS_RULES)/types

demo: build
	examples/demo.sh

test: rules js-setup
	cd rules-wasm && $(CARGO) test -p keyaudit-rule-sdk --target $$(rustc -vV | sed -n 's/^host: //p')
	$(CARGO) test --workspace --no-fail-fast

lint:
	$(CARGO) fmt --all --check
	cd rules-wasm && $(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	cd rules-wasm && $(CARGO) clippy --all-targets -- -D warnings

clean:
	rm -rf target $(VENV)
