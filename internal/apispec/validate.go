package apispec

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vfpanel/vfpanel/internal/routes"
)

// docURL is the URL the document is known by inside the validator.
const docURL = "https://vfpanel.invalid/openapi.json"

// Validator checks answers against the document: the status must be one
// the route documents, and a JSON body must match that status's schema
// (error bodies included, with the codes the route may return).
type Validator struct {
	doc   map[string]any
	mux   *http.ServeMux
	comp  *jsonschema.Compiler
	mu    sync.Mutex
	cache map[string]*jsonschema.Schema
	seen  map[string]bool // "pattern status" checked so far
}

// NewValidator reads the document (as served at /api/openapi.json).
func NewValidator(docJSON []byte) (*Validator, error) {
	raw, err := jsonschema.UnmarshalJSON(bytes.NewReader(docJSON))
	if err != nil {
		return nil, fmt.Errorf("apispec: document: %w", err)
	}
	doc, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("apispec: document is not an object")
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(docURL, doc); err != nil {
		return nil, err
	}
	v := &Validator{doc: doc, mux: http.NewServeMux(), comp: c, cache: map[string]*jsonschema.Schema{}, seen: map[string]bool{}}
	for _, rt := range routes.Table {
		v.mux.Handle(rt.Pattern(), http.NotFoundHandler())
	}
	return v, nil
}

// Check validates one answer to method path. An answer no route serves
// (the catch-all 404) is checked against the error body alone.
func (v *Validator) Check(method, path string, status int, header http.Header, body []byte) error {
	req := &http.Request{Method: method, URL: &url.URL{Path: path}, Host: "x"}
	_, pattern := v.mux.Handler(req)
	if pattern == "" || strings.HasPrefix(pattern, "/") {
		return v.validate("#/components/schemas/ErrorBody", body, method+" "+path)
	}
	m, p, _ := strings.Cut(pattern, " ")
	op, _ := dig(v.doc, "paths", p, strings.ToLower(m)).(map[string]any)
	if op == nil {
		return fmt.Errorf("%s: not in the document", pattern)
	}
	v.mu.Lock()
	v.seen[fmt.Sprintf("%s %d", pattern, status)] = true
	v.mu.Unlock()
	ptr := "#" + pointer("paths", p, strings.ToLower(m), "responses", fmt.Sprint(status))
	resp, _ := dig(op, "responses", fmt.Sprint(status)).(map[string]any)
	if resp == nil {
		return fmt.Errorf("%s answered %d, which the document does not list for it; body %s", pattern, status, clip(body))
	}
	if ref, ok := resp["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/responses/")
		resp, _ = dig(v.doc, "components", "responses", name).(map[string]any)
		ptr = "#" + pointer("components", "responses", name)
	}
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 && status >= 300 && status < 400 {
		return nil // a redirect's body (http.Redirect's short HTML) is not part of the API
	}
	if len(content) == 0 {
		if len(bytes.TrimSpace(body)) > 0 {
			return fmt.Errorf("%s %d: the document says no body, got %s", pattern, status, clip(body))
		}
		return nil
	}
	mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if _, ok := content[mt]; !ok {
		return fmt.Errorf("%s %d: content type %q not documented", pattern, status, mt)
	}
	if mt != "application/json" {
		return nil
	}
	return v.validate(ptr+pointer("content", mt, "schema"), body, fmt.Sprintf("%s %d", pattern, status))
}

func (v *Validator) validate(ptr string, body []byte, what string) error {
	v.mu.Lock()
	sch, ok := v.cache[ptr]
	if !ok {
		var err error
		if sch, err = v.comp.Compile(docURL + ptr); err != nil {
			v.mu.Unlock()
			return fmt.Errorf("%s: schema %s: %w", what, ptr, err)
		}
		v.cache[ptr] = sch
	}
	v.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: body is not JSON: %v: %s", what, err, clip(body))
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("%s: body does not match the document: %v\nbody: %s", what, err, clip(body))
	}
	return nil
}

// Seen lists the "pattern status" pairs checked so far.
func (v *Validator) Seen() map[string]bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make(map[string]bool, len(v.seen))
	for k := range v.seen {
		out[k] = true
	}
	return out
}

// Middleware passes each answer of next on unchanged and reports every one
// that does not match the document.
func (v *Validator) Middleware(report func(error), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		if err := v.Check(r.Method, r.URL.Path, res.StatusCode, res.Header, rec.Body.Bytes()); err != nil {
			report(fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, err))
		}
		for k, vs := range res.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// pointer is a JSON pointer of tokens, escaped for a URL fragment.
func pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
		b.WriteString("/" + url.PathEscape(t))
	}
	return b.String()
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}
