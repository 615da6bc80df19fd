# elbo-lab — the README's two commands: `make serve` and `make test`.
# Both install whatever is missing (idempotent: a second run reinstalls nothing).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

PORT ?= 8000
WASM_TARGET := wasm32-unknown-unknown
# The CLI must equal the wasm-bindgen crate version pinned in crate/Cargo.toml.
WBG_VERSION := $(shell sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' crate/Cargo.toml)
RELEASE_WASM := target/$(WASM_TARGET)/release/elbo_lab.wasm
CRATE_SOURCES := $(shell find crate/src -name '*.rs') crate/Cargo.toml Cargo.toml Cargo.lock
# npm's binaryen provides wasm-opt (Debian's binaryen 108 corrupts wasm-bindgen output).
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup setup-browser setup-mkdocs build serve test bench soak clean

## Tools: the wasm target, wasm-bindgen-cli at the crate's version, npm packages.
setup: node_modules/.installed
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@wasm-bindgen --version 2>/dev/null | grep -qF " $(WBG_VERSION)" || \
		cargo install wasm-bindgen-cli --version $(WBG_VERSION)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## Debian's Chromium and its driver, for the browser tests and benchmarks, and a CJK font so
## the Chinese page renders (screenshots) without boxes; Firefox ESR, WebKitGTK's WebKitWebDriver
## (with its MiniBrowser) and Xvfb, for the tests in the other two engines (tests/lib/engines.js).
BROWSER_PACKAGES := chromium chromium-driver fonts-noto-cjk firefox-esr webkit2gtk-driver xvfb
setup-browser:
	@installed=$$(dpkg-query -W -f='$${db:Status-Status}\n' $(BROWSER_PACKAGES) 2>/dev/null | grep -cx installed || true); \
		[ "$$installed" = "$(words $(BROWSER_PACKAGES))" ] || { \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(BROWSER_PACKAGES) </dev/null; }

## MkDocs from PyPI, every version pinned, in a venv under target/ (tests/mkdocs.test.js builds a
## course-notes site with it). Debian's python3 makes venvs only with python3-venv installed.
MKDOCS_VENV := target/mkdocs-venv
MKDOCS_REQUIREMENTS := tests/fixtures/mkdocs/requirements.txt
setup-mkdocs: $(MKDOCS_VENV)/.installed

$(MKDOCS_VENV)/.installed: $(MKDOCS_REQUIREMENTS)
	rm -rf $(MKDOCS_VENV)
	python3 -m venv $(MKDOCS_VENV) || { rm -rf $(MKDOCS_VENV) && apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv </dev/null && python3 -m venv $(MKDOCS_VENV); }
	$(MKDOCS_VENV)/bin/pip install --disable-pip-version-check --no-input --quiet -r $(MKDOCS_REQUIREMENTS)
	touch $@

## The release wasm, optimised, plus KaTeX, copied into the served folder www/.
build: setup www/pkg/elbo_lab_bg.wasm www/vendor/katex/katex.mjs www/tex/en.js www/vendor/math/math.css \
	www/strings/en/first.js

pkg/elbo_lab_bg.wasm: $(CRATE_SOURCES)
	cargo build --release --target $(WASM_TARGET) -p elbo-lab
	wasm-bindgen --target web --out-dir pkg $(RELEASE_WASM)
	wasm-opt -O3 pkg/elbo_lab_bg.wasm -o pkg/elbo_lab_bg.wasm

# The served glue without wasm-bindgen's copies of the Rust doc comments (tools/strip-jsdoc.mjs:
# 9 kB gzipped instead of 20 kB); pkg/ keeps them.
www/pkg/elbo_lab_bg.wasm: pkg/elbo_lab_bg.wasm tools/strip-jsdoc.mjs
	mkdir -p www/pkg
	cp pkg/elbo_lab.d.ts pkg/elbo_lab_bg.wasm www/pkg/
	node tools/strip-jsdoc.mjs pkg/elbo_lab.js www/pkg/elbo_lab.js

# KaTeX's minified build (dist/katex.min.js, a UMD bundle: 76 kB gzipped, against 149 kB for
# its unminified katex.mjs) wrapped as an ES module: given a CommonJS `module`, the UMD header
# assigns the library to module.exports, which the wrapper exports as default. Its CSS and
# fonts are not served: the page's maths is MathML (www/lib/mathml.js), drawn with vendor/math/.
www/vendor/katex/katex.mjs: node_modules/.installed Makefile
	rm -rf www/vendor/katex && mkdir -p www/vendor/katex
	cp node_modules/katex/LICENSE www/vendor/katex/
	{ echo '// KaTeX $(shell node -p 'require("./node_modules/katex/package.json").version'), dist/katex.min.js wrapped as an ES module by the Makefile.'; \
		echo 'const module = { exports: {} }; const exports = module.exports;'; \
		cat node_modules/katex/dist/katex.min.js; echo; \
		echo 'export default module.exports;'; } > $@.tmp
	mv $@.tmp $@

# The static text's formulas typeset at build time (tools/prerender-tex.mjs → www/tex/<lang>.js,
# git-ignored), so the page fetches katex.mjs only for the formulas it makes at run time.
www/tex/en.js: node_modules/.installed tools/prerender-tex.mjs www/lib/mathml.js www/index.html $(wildcard www/i18n/*.js) www/widgets/derivation.js
	node tools/prerender-tex.mjs

# Each string table split into the first screen's strings and the rest (tools/split-strings.mjs
# → www/strings/<lang>/, git-ignored); it reads which prefixes the first screen's code uses.
www/strings/en/first.js: tools/split-strings.mjs www/index.html $(wildcard www/i18n/*.js www/*.js www/lib/*.js www/widgets/*.js)
	node tools/split-strings.mjs

# The math font (STIX Two Math) cut to the characters of those formulas and of run-time maths
# (tools/subset-math-font.mjs → www/vendor/math/, git-ignored): the page downloads the subset,
# the full font only for a character outside it.
www/vendor/math/math.css: www/tex/en.js tools/subset-math-font.mjs package-lock.json
	node tools/subset-math-font.mjs

## A self-contained static folder: the page, wasm, vendored KaTeX and math font, data, workers and examples.
## Copy dist/ to any static host, at the root or under a sub-path.
dist: build
	rm -rf dist && mkdir -p dist
	cp -r www/. dist/

serve: build
	@echo "elbo-lab is being served at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory www

test: build setup-browser setup-mkdocs
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo test
	cargo test --target $(WASM_TARGET) -p elbo-lab --test web
	node --test --test-concurrency=2 tests/

## Benchmarks (not tests): native, wasm in Node and in headless Chromium → target/bench/results.json.
bench: build setup-browser
	mkdir -p target/bench
	wasm-bindgen --target web --out-dir target/bench/unoptimised $(RELEASE_WASM)
	cargo bench -p elbo-lab --bench native -- $(CURDIR)/target/bench/native.json
	# The step's matrix products in wasm (Node, release, SIMD128): wasm_matmul_*_tiled beside _ndarray.
	cargo test --release --target $(WASM_TARGET) -p elbo-lab --test wasm_matmul -- --include-ignored --nocapture \
		| sed -n 's/^BENCH //p' | paste -sd, | sed 's/.*/[&]/' > target/bench/wasm.json
	node tests/bench/run.js

## The soak benchmark: the VAE trains for 10 minutes while other widgets animate
## (SOAK_SECONDS=… to change) → target/bench/soak.json.
soak: build setup-browser
	node tests/bench/soak.js

clean:
	rm -rf target pkg www/pkg www/vendor www/tex node_modules
