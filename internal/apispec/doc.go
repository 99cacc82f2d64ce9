// Package apispec builds vfpanel's OpenAPI 3.1 document from the route
// table (internal/routes) and the Go types each route reads and answers
// (Ops). cmd/openapi writes it to internal/openapi/openapi.json, which the
// health function serves at GET /api/openapi.json and the web UI generates
// its types from; tests keep the three in step.
package apispec

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// Op documents one route of the table: what it reads and answers.
type Op struct {
	Summary     string
	Description string
	// Request is the JSON body the route reads (a zero value of its Go
	// type), nil when it reads none.
	Request any
	// Response is the JSON body of success (a zero value of its Go type),
	// nil when success has no body.
	Response any
	// Status is the success status: 200 by default, 204 when Response is nil.
	Status int
	// ContentType of a success body that is not JSON (a PDF).
	ContentType string
	// Query and Header are the parameters the route reads besides the path.
	Query  []Param
	Header []Param
	// Errors are error codes the route returns beyond those every route of
	// its kind returns (see errorCodes).
	Errors []string
	// RequestExample and Example are shown in the docs; they are values of
	// the Request and Response types and are checked against the schemas.
	RequestExample any
	Example        any
}

// Param is a query or header parameter.
type Param struct {
	Name        string
	Description string
	Required    bool
	Schema      map[string]any // default {"type":"string"}
}

// Version is the document's info.version; bump it when the API changes.
const Version = "1.0.0"

// pathIDPattern is what httpx.PathIDProblem accepts.
var pathIDPattern = fmt.Sprintf("^[A-Za-z0-9._:~-]{1,%d}$", httpx.MaxPathIDBytes)

// errorCodes are the codes a route can answer with: those every route of
// its kind returns (origin check, auth, path ids, body decoding, storage
// and upstream failures), plus the route's own.
func errorCodes(rt routes.Route, op Op) []string {
	codes := []string{panel.EINTERNAL, panel.EFORBIDDEN} // forbidden: requests not through the site
	if rt.Auth != routes.Public {
		codes = append(codes, panel.EUNAUTHORIZED)
		if rt.Method != http.MethodGet {
			codes = append(codes, panel.ECSRF)
		}
	}
	if strings.Contains(rt.Path, "{") {
		codes = append(codes, panel.EINVALID, panel.ENOTFOUND)
	}
	if op.Request != nil {
		codes = append(codes, panel.EINVALID, panel.ETOOLARGE)
	}
	if len(op.Query) > 0 {
		codes = append(codes, panel.EINVALID)
	}
	if rt.Table != routes.TableNone || len(rt.Secrets) > 0 {
		codes = append(codes, panel.EUNAVAILABLE, panel.ETIMEOUT)
	}
	if len(rt.Secrets) > 0 {
		codes = append(codes, panel.EUPSTREAM)
	}
	codes = append(codes, op.Errors...)
	slices.Sort(codes)
	return slices.Compact(codes)
}

// Build returns the document for the route table and ops. It fails when a
// route has no op or an op no route (see Coverage).
func Build(table []routes.Route, ops map[string]Op) (map[string]any, error) {
	if problems := Coverage(table, ops); len(problems) > 0 {
		return nil, fmt.Errorf("apispec: %s", strings.Join(problems, "\n"))
	}
	var roots []reflect.Type
	for _, op := range ops {
		for _, v := range []any{op.Request, op.Response} {
			if v != nil {
				roots = append(roots, reflect.TypeOf(v))
			}
		}
	}
	roots = append(roots, reflect.TypeFor[httpx.ErrorBody]())
	sch := newSchemas(roots)
	errRef := sch.schema(reflect.TypeFor[httpx.ErrorBody]())

	paths := map[string]map[string]any{}
	for _, rt := range table {
		op := ops[rt.Pattern()]
		item := paths[rt.Path]
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = operation(rt, op, sch, errRef)
	}

	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "vfpanel API",
			"version": Version,
			"description": "The API behind vfpanel's customer panel. Every call is JSON over HTTPS on the panel's own origin.\n\n" +
				"**Authentication.** Automation uses a Bearer token (`Authorization: Bearer <token>`). The browser uses the " +
				"session cookie set at sign-in; with it, every request that changes something must also send the CSRF token " +
				"from `GET /api/auth/me` in the `" + csrfHeader + "` header.\n\n" +
				"**Errors.** Every error is `{\"error\":{\"code\",\"message\",\"fields\",\"requestId\"}}`; branch on `code`, show " +
				"`message`, and quote `requestId` to support. Each operation lists the codes it can return; `retryAfter` (seconds) " +
				"says when a retry may succeed.\n\n" +
				"**Lists** answer `{\"items\": [...], \"nextCursor\": \"...\"}` when paged: pass `cursor=<nextCursor>` for the next page; " +
				"an empty `nextCursor` is the last page.",
		},
		"servers": []any{map[string]any{"url": "/", "description": "The panel's own origin"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":   sch.defs,
			"responses": sch.responses,
			"securitySchemes": map[string]any{
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie,
					"description": "The session cookie set at sign-in (`__Host-` prefixed over HTTPS). State-changing requests also need the `" + csrfHeader + "` header."},
				"bearer": map[string]any{"type": "http", "scheme": "bearer",
					"description": "An access token for automation."},
			},
		},
		"tags": tags(table),
	}
	return doc, nil
}

// Names the document uses for the session; auth's values, repeated here so
// that apispec does not depend on the auth package for two strings (a test
// checks they agree).
const (
	sessionCookie = "vfp_session"
	csrfHeader    = "X-CSRF-Token"
)

func tags(table []routes.Route) []any {
	var out []any
	seen := map[string]bool{}
	for _, rt := range table {
		if !seen[rt.Function] {
			seen[rt.Function] = true
			out = append(out, map[string]any{"name": rt.Function})
		}
	}
	return out
}

// errorResponse names (and adds to responses) the shared response for an
// error status with exactly these codes, e.g. "error.conflict.server_busy".
func errorResponse(status int, codes []string, errRef map[string]any, responses map[string]any) string {
	sort.Strings(codes)
	name := "error." + strings.Join(codes, ".")
	if _, ok := responses[name]; !ok {
		responses[name] = map[string]any{
			"description": http.StatusText(status) + ": " + strings.Join(codes, ", "),
			"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{
				"allOf": []any{errRef},
				"properties": map[string]any{"error": map[string]any{
					"properties": map[string]any{"code": map[string]any{"enum": codes}}}},
			}}},
		}
	}
	return name
}

func operation(rt routes.Route, op Op, sch *schemas, errRef map[string]any) map[string]any {
	o := map[string]any{
		"operationId": OperationID(rt),
		"summary":     op.Summary,
		"tags":        []string{rt.Function},
	}
	if op.Description != "" {
		o["description"] = op.Description
	}
	switch rt.Auth {
	case routes.Public:
		o["security"] = []any{}
	default:
		o["security"] = []any{map[string]any{"session": []string{}}, map[string]any{"bearer": []string{}}}
		if rt.Auth == routes.Admin {
			o["x-vfpanel-role"] = "admin"
		}
	}
	var params []any
	for _, seg := range strings.Split(rt.Path, "/") {
		if strings.HasPrefix(seg, "{") {
			name := strings.TrimSuffix(strings.Trim(seg, "{}"), "...")
			params = append(params, map[string]any{"name": name, "in": "path", "required": true,
				"schema": map[string]any{"type": "string", "pattern": pathIDPattern}})
		}
	}
	for _, in := range []struct {
		where string
		ps    []Param
	}{{"query", op.Query}, {"header", op.Header}} {
		for _, p := range in.ps {
			s := p.Schema
			if s == nil {
				s = map[string]any{"type": "string"}
			}
			m := map[string]any{"name": p.Name, "in": in.where, "required": p.Required, "schema": s}
			if p.Description != "" {
				m["description"] = p.Description
			}
			params = append(params, m)
		}
	}
	if len(params) > 0 {
		o["parameters"] = params
	}
	if op.Request != nil {
		media := map[string]any{"schema": sch.schema(reflect.TypeOf(op.Request))}
		if op.RequestExample != nil {
			media["example"] = op.RequestExample
		}
		o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": media}}
	}

	responses := map[string]any{}
	status := op.Status
	if status == 0 {
		status = http.StatusOK
		if op.Response == nil && op.ContentType == "" {
			status = http.StatusNoContent
		}
	}
	ok := map[string]any{"description": http.StatusText(status)}
	switch {
	case op.ContentType != "":
		ok["content"] = map[string]any{op.ContentType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
	case op.Response != nil:
		media := map[string]any{"schema": sch.schema(reflect.TypeOf(op.Response))}
		if op.Example != nil {
			media["example"] = op.Example
		}
		ok["content"] = map[string]any{"application/json": media}
	}
	if status >= 300 && status < 400 {
		ok["headers"] = map[string]any{"Location": map[string]any{"required": true, "schema": map[string]any{"type": "string"}}}
	}
	responses[fmt.Sprint(status)] = ok

	byStatus := map[int][]string{}
	for _, c := range errorCodes(rt, op) {
		byStatus[httpx.StatusOf(c)] = append(byStatus[httpx.StatusOf(c)], c)
	}
	for st, codes := range byStatus {
		name := errorResponse(st, codes, errRef, sch.responses)
		responses[fmt.Sprint(st)] = map[string]any{"$ref": "#/components/responses/" + name}
	}
	o["responses"] = responses
	return o
}

// OperationID names a route's operation: the method and the path's
// segments, e.g. getServersIdTasksTaskId.
func OperationID(rt routes.Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, seg := range strings.Split(strings.TrimPrefix(rt.Path, "/api/"), "/") {
		seg = strings.TrimSuffix(strings.Trim(seg, "{}"), "...")
		for _, part := range strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '.' || r == '_' }) {
			b.WriteString(exported(part))
		}
	}
	return b.String()
}

// Coverage reports each route of table without an op, and each op for no
// route, saying exactly what to add or remove.
func Coverage(table []routes.Route, ops map[string]Op) []string {
	var problems []string
	inTable := map[string]bool{}
	for _, rt := range table {
		inTable[rt.Pattern()] = true
		if _, ok := ops[rt.Pattern()]; !ok {
			problems = append(problems, fmt.Sprintf("route %q (function %s) is not documented: add to Ops in internal/apispec/ops.go\n"+
				"\t%q: {Summary: \"…\", Request: <pkg>.<RequestType>{} /* or leave out */, Response: <pkg>.<ResponseType>{} /* or leave out for 204 */},\n"+
				"then regenerate: go run ./internal/apispec/cmd/openapi > internal/openapi/openapi.json && (cd web && npm run gen:api)",
				rt.Pattern(), rt.Function, rt.Pattern()))
		}
	}
	for p := range ops {
		if !inTable[p] {
			problems = append(problems, fmt.Sprintf("Ops in internal/apispec/ops.go documents %q, which is not in routes.Table: remove it or add the route", p))
		}
	}
	sort.Strings(problems)
	return problems
}

// JSON returns the document as indented JSON with a final newline, the
// form committed in internal/openapi/openapi.json.
func JSON(doc map[string]any) ([]byte, error) {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
