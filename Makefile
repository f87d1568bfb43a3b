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

# The example rules in Python, JavaScript and C, built with each language's
# own toolchain into one folder (tests and the benchmark load them from there).
EXAMPLE_RULES := target/example-rules
PY_EXAMPLE    := examples/rules/python/certificate-max-validity
JS_EXAMPLE    := $(JS_RULES)/secret-owner-tag
C_EXAMPLE     := examples/rules/c/parameter-changed-recently
# C rules: Debian's clang and wasi-libc, and wit-bindgen's C generator (the
# version the Rust rules' wit-bindgen is), installed here.
C_PACKAGES    := clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32
WIT_BINDGEN_VERSION := 0.61.1
WIT_BINDGEN   := target/tools/bin/wit-bindgen
CLANG         := /usr/lib/llvm-14/bin/clang
# The report's PDF and the tests' screenshots: Debian's headless-capable Chromium.
CHROMIUM      := /usr/bin/chromium

.PHONY: all setup js-setup c-setup chromium rules example-rules build generated completions install demo test lint clean

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

$(CLANG):
	@dpkg -s $(C_PACKAGES) >/dev/null 2>&1 || { test "$$(id -u)" = 0 || { echo "C rules need Debian's $(C_PACKAGES): sudo apt-get install $(C_PACKAGES)"; exit 1; }; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(C_PACKAGES) >/dev/null; }

# A debug build: it compiles in a third of the time and runs for milliseconds.
$(WIT_BINDGEN):
	$(CARGO) install --quiet --locked --debug wit-bindgen-cli@$(WIT_BINDGEN_VERSION) --no-default-features --features c --root target/tools

c-setup: $(CLANG) $(WIT_BINDGEN)

$(CHROMIUM):
	@dpkg -s chromium >/dev/null 2>&1 || { test "$$(id -u)" = 0 || { echo "the report's PDF needs Debian's chromium: sudo apt-get install chromium"; exit 1; }; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

chromium: $(CHROMIUM)

# Built-in rules: WebAssembly components, collected in target/rules where the
# keyaudit binary (target/debug or target/release) finds them.
rules: setup
	cd rules-wasm && $(CARGO) build --release
	mkdir -p target/rules
	rm -f target/rules/*.wasm
	for rule in $(RULE_CRATES); do cp target/wasm32-wasip2/release/$$(echo $$rule | tr - _).wasm target/rules/$$rule.wasm; done

$(EXAMPLE_RULES)/certificate-max-validity.wasm: $(PY_EXAMPLE)/app.py wit/rules.wit $(VENV_STAMP)
	mkdir -p $(EXAMPLE_RULES)
	cd $(PY_EXAMPLE) && $(CURDIR)/$(VENV)/bin/componentize-py -d ../../../../wit -w rule-component componentize app -o $(CURDIR)/$@

# componentize-js's defaults (no -d flags); it reads files relative to where it runs.
$(EXAMPLE_RULES)/secret-owner-tag.wasm: $(JS_EXAMPLE)/rule.js wit/rules.wit $(JS_STAMP)
	mkdir -p $(EXAMPLE_RULES)
	$(JS_RULES)/node_modules/.bin/componentize-js $(JS_EXAMPLE)/rule.js --wit wit --world-name rule-component -o $@

$(EXAMPLE_RULES)/parameter-changed-recently.wasm: $(C_EXAMPLE)/rule.c $(C_EXAMPLE)/Makefile wit/rules.wit $(JS_STAMP) | c-setup
	$(MAKE) -C $(C_EXAMPLE) OUT=$(CURDIR)/$(EXAMPLE_RULES) CLANG=$(CLANG) WIT_BINDGEN=$(abspath $(WIT_BINDGEN)) \
		JCO=$(CURDIR)/$(JS_RULES)/node_modules/.bin/jco GEN=$(CURDIR)/target/example-rules.build/c

example-rules: $(EXAMPLE_RULES)/certificate-max-validity.wasm $(EXAMPLE_RULES)/secret-owner-tag.wasm \
	$(EXAMPLE_RULES)/parameter-changed-recently.wasm

build: rules
	$(CARGO) build --workspace

# Files derived from the registry of resource kinds (a test checks they are fresh).
generated: js-setup
	$(CARGO) run --quiet -p keyaudit -- generate athena-ddl > examples/athena/tables.sql
	$(CARGO) run --quiet -p keyaudit -- generate audit-role > examples/deploy/audit-role.yaml
	rm -rf $(JS_RULES)/types && $(JS_RULES)/node_modules/.bin/jco types wit --world-name rule-component -o $(JS_RULES)/types

# Shell completions and the man page, generated from the clap definitions.
SHARE := target/share
completions: build
	mkdir -p $(SHARE)/bash-completion/completions $(SHARE)/zsh/site-functions $(SHARE)/fish/vendor_completions.d $(SHARE)/man/man1
	target/debug/keyaudit completions bash > $(SHARE)/bash-completion/completions/keyaudit
	target/debug/keyaudit completions zsh > $(SHARE)/zsh/site-functions/_keyaudit
	target/debug/keyaudit completions fish > $(SHARE)/fish/vendor_completions.d/keyaudit.fish
	target/debug/keyaudit generate man > $(SHARE)/man/man1/keyaudit.1

# A release build with its rules, completions and man page under PREFIX.
PREFIX ?= $(HOME)/.local
install: rules completions
	$(CARGO) build --release -p keyaudit
	install -d $(PREFIX)/bin $(PREFIX)/bin/rules
	install -m 755 target/release/keyaudit $(PREFIX)/bin/keyaudit
	install -m 644 target/rules/*.wasm $(PREFIX)/bin/rules/
	cp -R $(SHARE)/. $(PREFIX)/share/

demo: build chromium
	examples/demo.sh

test: rules example-rules chromium
	cd rules-wasm && $(CARGO) test -p keyaudit-rule-sdk --target $$(rustc -vV | sed -n 's/^host: //p')
	$(CARGO) test --workspace --no-fail-fast

lint:
	$(CARGO) fmt --all --check
	cd rules-wasm && $(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	cd rules-wasm && $(CARGO) clippy --all-targets -- -D warnings

clean:
	rm -rf target $(VENV)
