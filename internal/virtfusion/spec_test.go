package virtfusion

// Contract tests against VirtFusion's own OpenAPI document
// (testdata/openapi.yaml, see its header for the source). A "spec server"
// answers every request with the document's example response for that
// operation and checks the request against the document: the path and
// method exist, every query parameter is declared, and the JSON body
// validates against the operation's request schema. Each client method
// runs against it, so every example response the client uses is decoded by
// the very code production runs, and the fields the panel shows are
// compared with the example's values, so a field lost in decoding fails.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// openAPI is the parsed document, as plain JSON-like values.
type openAPI struct {
	root map[string]any
	ops  []specOp
}

// specOp is one operation of the document.
type specOp struct {
	method, path string
	re           *regexp.Regexp
	literal      int // literal path segments: the most specific match wins
	op           map[string]any
}

var (
	specOnce sync.Once
	specDoc  *openAPI
	specErr  error
)

// loadSpec reads testdata/openapi.yaml once.
func loadSpec(tb testing.TB) *openAPI {
	tb.Helper()
	specOnce.Do(func() {
		b, err := os.ReadFile(filepath.Join("testdata", "openapi.yaml"))
		if err != nil {
			specErr = err
			return
		}
		var v any
		if err := yaml.Unmarshal(b, &v); err != nil {
			specErr = fmt.Errorf("parse openapi.yaml: %w", err)
			return
		}
		root, _ := normalize(v).(map[string]any)
		paths, _ := root["paths"].(map[string]any)
		if len(paths) == 0 {
			specErr = fmt.Errorf("openapi.yaml has no paths")
			return
		}
		doc := &openAPI{root: root}
		for p, item := range paths {
			segs := strings.Split(strings.Trim(p, "/"), "/")
			lit := 0
			var re strings.Builder
			re.WriteString("^")
			for _, s := range segs {
				re.WriteString("/")
				if strings.HasPrefix(s, "{") {
					re.WriteString("[^/]+")
				} else {
					lit++
					re.WriteString(regexp.QuoteMeta(s))
				}
			}
			re.WriteString("$")
			for m, op := range item.(map[string]any) {
				if o, ok := op.(map[string]any); ok {
					doc.ops = append(doc.ops, specOp{method: strings.ToUpper(m), path: p,
						re: regexp.MustCompile(re.String()), literal: lit, op: o})
				}
			}
		}
		specDoc = doc
	})
	if specErr != nil {
		tb.Fatalf("openapi: %v", specErr)
	}
	return specDoc
}

// normalize turns YAML's map[any]any into map[string]any, recursively.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			t[k] = normalize(c)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, c := range t {
			m[fmt.Sprint(k)] = normalize(c)
		}
		return m
	case []any:
		for i, c := range t {
			t[i] = normalize(c)
		}
	}
	return v
}

// find returns the operation for method and a concrete path.
func (d *openAPI) find(method, path string) *specOp {
	var best *specOp
	for i := range d.ops {
		o := &d.ops[i]
		if o.method == method && o.re.MatchString(path) && (best == nil || o.literal > best.literal) {
			best = o
		}
	}
	return best
}

// resolve follows a local $ref.
func (d *openAPI) resolve(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	ref, ok := m["$ref"].(string)
	if !ok || !strings.HasPrefix(ref, "#/") {
		return v
	}
	var cur any = d.root
	for _, part := range strings.Split(ref[2:], "/") {
		cm, _ := cur.(map[string]any)
		cur = cm[part]
	}
	return d.resolve(cur)
}

// example returns the first 2xx response of op: its status and example
// body (nil when the document has none, e.g. 204).
func (d *openAPI) example(op *specOp) (int, any) {
	responses, _ := op.op["responses"].(map[string]any)
	codes := make([]string, 0, len(responses))
	for c := range responses {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if !strings.HasPrefix(c, "2") {
			continue
		}
		status, _ := strconv.Atoi(c)
		r, _ := d.resolve(responses[c]).(map[string]any)
		content, _ := r["content"].(map[string]any)
		if media, ok := content["application/json"].(map[string]any); ok {
			return status, media["example"]
		}
		return status, nil
	}
	return 0, nil
}

// queryExceptions are query parameters the client sends that the document
// does not declare, each with the evidence it is real.
var queryExceptions = map[string]string{
	// The Laravel paginator of these lists: the examples' *_page_url
	// links carry ?page=N, and the docs name "the results and page query
	// parameters"; the document declares only results.
	"GET /servers page":                    "paginator",
	"GET /compute/hypervisors/groups page": "paginator",
	"GET /compute/hypervisors/groups/{hypervisorGroupId}/resources page": "paginator",
}

// checkRequest validates a request against op; it returns the problems.
func (d *openAPI) checkRequest(op *specOp, r *http.Request, body []byte) []string {
	var errs []string
	declared := map[string]any{}
	params, _ := op.op["parameters"].([]any)
	for _, p := range params {
		pm, _ := d.resolve(p).(map[string]any)
		if pm["in"] == "query" {
			declared[fmt.Sprint(pm["name"])] = pm["schema"]
		}
	}
	for k, vs := range r.URL.Query() {
		name := strings.TrimSuffix(k, "[]") // PHP's repeated parameter
		schema, ok := declared[name]
		if !ok {
			if _, ok := queryExceptions[op.method+" "+op.path+" "+name]; !ok {
				errs = append(errs, fmt.Sprintf("query parameter %q is not declared", k))
			}
			continue
		}
		for _, v := range vs {
			if p := checkQueryValue(schema, v); p != "" {
				errs = append(errs, fmt.Sprintf("query %s=%q: %s", k, v, p))
			}
		}
	}
	rb, _ := d.resolve(op.op["requestBody"]).(map[string]any)
	content, _ := rb["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	if len(bytes.TrimSpace(body)) == 0 {
		if media != nil {
			schema, _ := d.resolve(media["schema"]).(map[string]any)
			if req, _ := schema["required"].([]any); len(req) > 0 {
				errs = append(errs, fmt.Sprintf("no body, but the document requires %v", req))
			}
		}
		return errs
	}
	if media == nil {
		return append(errs, fmt.Sprintf("a body %s was sent where the document takes none", body))
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return append(errs, "body is not JSON: "+err.Error())
	}
	return append(errs, d.validate(media["schema"], v, "body")...)
}

func checkQueryValue(schema any, v string) string {
	sm, _ := schema.(map[string]any)
	switch sm["type"] {
	case "boolean":
		if v != "true" && v != "false" {
			return "not a boolean"
		}
	case "integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return "not an integer"
		}
	}
	return ""
}

// validate checks v against the subset of JSON Schema the document uses:
// type, properties (no others allowed), required, items, enum.
func (d *openAPI) validate(schema, v any, at string) []string {
	s, _ := d.resolve(schema).(map[string]any)
	if s == nil {
		return nil
	}
	var errs []string
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
	}
	switch s["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: want an object, got %T", at, v))
		}
		props, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if _, ok := m[fmt.Sprint(r)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required %q missing", at, r))
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps, ok := props[k]
			if !ok {
				errs = append(errs, fmt.Sprintf("%s: %q is not in the document's schema", at, k))
				continue
			}
			errs = append(errs, d.validate(ps, m[k], at+"."+k)...)
		}
	case "array":
		l, ok := v.([]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: want an array, got %T", at, v))
		}
		for i, e := range l {
			errs = append(errs, d.validate(s["items"], e, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "integer":
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) {
			errs = append(errs, fmt.Sprintf("%s: want an integer, got %v (%T)", at, v, v))
		}
	case "number":
		if _, ok := v.(float64); !ok {
			errs = append(errs, fmt.Sprintf("%s: want a number, got %T", at, v))
		}
	case "string":
		if _, ok := v.(string); !ok {
			errs = append(errs, fmt.Sprintf("%s: want a string, got %v (%T)", at, v, v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			errs = append(errs, fmt.Sprintf("%s: want a boolean, got %T", at, v))
		}
	}
	return errs
}

func asList(v any) []any { l, _ := v.([]any); return l }

// specServer serves the document's examples and records problems.
type specServer struct {
	doc  *openAPI
	mu   sync.Mutex
	errs []string
	seen map[string]bool // "METHOD path-template" answered
}

func (s *specServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/api/v1")
	op := s.doc.find(r.Method, path)
	s.mu.Lock()
	defer s.mu.Unlock()
	if op == nil {
		s.errs = append(s.errs, fmt.Sprintf("%s %s: not in the document", r.Method, path))
		http.Error(w, `{"msg":"not in the document"}`, http.StatusNotFound)
		return
	}
	s.seen[op.method+" "+op.path] = true
	for _, e := range s.doc.checkRequest(op, r, body) {
		s.errs = append(s.errs, fmt.Sprintf("%s %s: %s", op.method, op.path, e))
	}
	status, ex := s.doc.example(op)
	if status == 0 {
		s.errs = append(s.errs, fmt.Sprintf("%s %s: no 2xx response in the document", op.method, op.path))
		status = http.StatusInternalServerError
	}
	if ex == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(ex)
}

// exampleOf returns the example body of METHOD path-template.
func (s *specServer) exampleOf(tb testing.TB, method, template string) any {
	tb.Helper()
	for i := range s.doc.ops {
		if o := &s.doc.ops[i]; o.method == method && o.path == template {
			_, ex := s.doc.example(o)
			if ex == nil {
				tb.Fatalf("%s %s: no example", method, template)
			}
			return ex
		}
	}
	tb.Fatalf("%s %s: not in the document", method, template)
	return nil
}

// at returns the value at a dotted path ("data.network.interfaces.0.name").
func at(v any, path string) (any, bool) {
	for _, p := range strings.Split(path, ".") {
		switch t := v.(type) {
		case map[string]any:
			c, ok := t[p]
			if !ok {
				return nil, false
			}
			v = c
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(t) {
				return nil, false
			}
			v = t[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// shown is a field the panel shows: its place in the example and its
// value as decoded by the client.
type shown struct {
	path string
	got  any
}

// same compares an example value with a decoded one.
func same(want, got any) bool {
	if t, ok := got.(time.Time); ok {
		s, _ := want.(string)
		w, err := ParseTime(s)
		return err == nil && w.Equal(t)
	}
	switch w := want.(type) {
	case nil:
		return fmt.Sprint(got) == "" || fmt.Sprint(got) == "0" || fmt.Sprint(got) == "false"
	case float64:
		return strconv.FormatFloat(w, 'f', -1, 64) == fmt.Sprint(got)
	}
	return fmt.Sprint(want) == fmt.Sprint(got)
}

// checkShown fails for every shown field the decoded value lost. A path
// missing from the example is a mistake in the test, not in the client.
func checkShown(t *testing.T, ex any, fields []shown) {
	t.Helper()
	for _, f := range fields {
		want, ok := at(ex, f.path)
		if !ok {
			t.Errorf("%s: not in the example", f.path)
			continue
		}
		if !same(want, f.got) {
			t.Errorf("%s: example has %v, client decoded %v", f.path, want, f.got)
		}
	}
}

func TestSpecContract(t *testing.T) {
	doc := loadSpec(t)
	ss := &specServer{doc: doc, seen: map[string]bool{}}
	srv := httptest.NewServer(ss)
	defer srv.Close()
	c, err := New(Config{PanelURL: srv.URL, Token: "t", Logger: slog.New(slog.DiscardHandler),
		Retry: RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ex := func(method, template string) any { return ss.exampleOf(t, method, template) }
	yes := true

	calls := []struct {
		name string
		run  func(t *testing.T) error
	}{
		{"Connect", func(t *testing.T) error { return c.Connect(ctx) }},
		{"CreateUser", func(t *testing.T) error {
			u, err := c.CreateUser(ctx, CreateUserRequest{Name: "Ann", Email: "ann@example.com", RelStr: "u_ann"})
			if err == nil {
				checkShown(t, ex("POST", "/users"), []shown{{"data.id", u.ID}, {"data.email", u.Email},
					{"data.name", u.Name}, {"data.password", u.Password}, {"data.created", u.Created.Time}})
			}
			return err
		}},
		{"GetUserByExtRelation", func(t *testing.T) error {
			u, err := c.GetUserByExtRelation(ctx, "u_ann")
			if err == nil {
				checkShown(t, ex("GET", "/users/{extRelationId}/byExtRelation"), []shown{{"data.id", u.ID},
					{"data.email", u.Email}, {"data.name", u.Name}, {"data.suspended", u.Suspended}})
			}
			return err
		}},
		{"UpdateUserByExtRelation", func(t *testing.T) error {
			name := "Ann B"
			u, err := c.UpdateUserByExtRelation(ctx, "u_ann", UpdateUserRequest{Name: &name})
			if err == nil {
				checkShown(t, ex("PUT", "/users/{extRelationId}/byExtRelation"), []shown{{"data.name", u.Name}, {"data.email", u.Email}})
			}
			return err
		}},
		{"DeleteUserByExtRelation", func(t *testing.T) error { return c.DeleteUserByExtRelation(ctx, "u_ann") }},
		{"ResetUserPassword", func(t *testing.T) error {
			p, err := c.ResetUserPassword(ctx, "u_ann")
			if err == nil {
				checkShown(t, ex("POST", "/users/{extRelationId}/byExtRelation/resetPassword"),
					[]shown{{"data.email", p.Email}, {"data.password", p.Password}})
			}
			return err
		}},
		{"UserLoginTokens", func(t *testing.T) error {
			lt, err := c.UserLoginTokens(ctx, "u_ann")
			if err == nil {
				want, _ := at(ex("POST", "/users/{extRelationId}/authenticationTokens"), "data.authentication.endpoint_complete")
				if lt.URL != srv.URL+fmt.Sprint(want) {
					t.Errorf("sso url: got %q", lt.URL)
				}
				checkShown(t, ex("POST", "/users/{extRelationId}/authenticationTokens"),
					[]shown{{"data.authentication.expiry.expires", lt.Expires}})
			}
			return err
		}},
		{"ServerLoginTokens", func(t *testing.T) error {
			lt, err := c.ServerLoginTokens(ctx, "u_ann", 9)
			if err == nil && !strings.HasPrefix(lt.URL, srv.URL+"/token_authenticate/?1=") {
				t.Errorf("sso url: got %q", lt.URL)
			}
			return err
		}},
		{"ListServers", func(t *testing.T) error {
			p, err := c.ListServers(ctx, ListServersOptions{Results: 20, HypervisorIDs: []int64{6}})
			if err == nil {
				s := p.Data[2] // the example's third item is commissioned 2, a failed build
				checkShown(t, ex("GET", "/servers"), []shown{{"total", p.Total}, {"data.2.id", s.ID}, {"data.2.name", s.Name},
					{"data.2.uuid", s.UUID}, {"data.2.commissioned", s.CommissionStatus}, {"data.2.owner", s.OwnerID},
					{"data.2.suspended", s.Suspended}, {"data.2.created", s.Created}})
			}
			return err
		}},
		{"ListUserServers", func(t *testing.T) error {
			l, err := c.ListUserServers(ctx, 3)
			if err == nil {
				s := l[0]
				checkShown(t, ex("GET", "/servers/user/{userId}"), []shown{{"data.0.id", s.ID}, {"data.0.name", s.Name},
					{"data.0.hostname", s.Hostname}, {"data.0.ownerId", s.OwnerID}, {"data.0.state", s.State},
					{"data.0.commissionStatus", s.CommissionStatus}, {"data.0.resources.memory", s.Resources.MemoryMB},
					{"data.0.resources.storage", s.Resources.StorageGB}, {"data.0.resources.cpuCores", s.Resources.CPUCores},
					{"data.0.resources.traffic", s.Resources.TrafficGB},
					{"data.0.network.interfaces.0.ipv4.0.address", s.PrimaryIPv4()}})
			}
			return err
		}},
		{"GetServer", func(t *testing.T) error {
			s, err := c.GetServer(ctx, 69, true)
			if err == nil {
				checkShown(t, ex("GET", "/servers/{serverId}"), serverShown(s))
			}
			return err
		}},
		{"CreateServer", func(t *testing.T) error {
			s, err := c.CreateServer(ctx, CreateServerRequest{PackageID: 1, UserID: 3, HypervisorGroupID: 2, IPv4: 1}, true)
			if err == nil {
				checkShown(t, ex("POST", "/servers"), []shown{{"data.id", s.ID}, {"data.state", s.State},
					{"data.commissionStatus", s.CommissionStatus}, {"data.network.interfaces.0.ipv4.0.address", s.PrimaryIPv4()}})
			}
			return err
		}},
		{"BuildServer", func(t *testing.T) error {
			s, err := c.BuildServer(ctx, 9, BuildServerRequest{OperatingSystemID: 46, Name: "web", Hostname: "web.example.com",
				SSHKeys: []int64{1}, VNC: &yes, IPv6: &yes, Swap: 512})
			if err == nil {
				checkShown(t, ex("POST", "/servers/{serverId}/build"), append(serverShown(s),
					shown{"data.settings.decryptedPassword", s.DecryptedPassword}, shown{"data.tasks.active", s.TasksActive}))
			}
			return err
		}},
		{"DeleteServer", func(t *testing.T) error { return c.DeleteServer(ctx, 9, 0) }},
		{"Suspend", func(t *testing.T) error { return c.Suspend(ctx, 9) }},
		{"Unsuspend", func(t *testing.T) error { return c.Unsuspend(ctx, 9) }},
		{"Rename", func(t *testing.T) error { return c.Rename(ctx, 9, "web") }},
		{"ChangePackage", func(t *testing.T) error {
			info, err := c.ChangePackage(ctx, 9, 2, ChangePackageOptions{CPU: &yes, Memory: &yes})
			if err == nil {
				checkShown(t, ex("PUT", "/servers/{serverId}/package/{packageId}"), []shown{{"info.0", info[0]}})
			}
			return err
		}},
		{"Power", func(t *testing.T) error {
			for _, a := range []string{PowerBoot, PowerShutdown, PowerRestart, PowerOff} {
				q, err := c.Power(ctx, 9, a)
				if err != nil {
					return err
				}
				checkShown(t, ex("POST", "/servers/{serverId}/power/"+a), []shown{{"data.queueId", q}})
			}
			return nil
		}},
		{"ResetServerPassword", func(t *testing.T) error {
			p, err := c.ResetServerPassword(ctx, 9, "root")
			if err == nil {
				checkShown(t, ex("POST", "/servers/{serverId}/resetPassword"),
					[]shown{{"data.queueId", p.QueueID}, {"data.expectedPassword", p.ExpectedPassword}})
			}
			return err
		}},
		{"Traffic", func(t *testing.T) error {
			m, err := c.Traffic(ctx, 9)
			if err == nil {
				checkShown(t, ex("GET", "/servers/{serverId}/traffic"), []shown{{"data.monthly.0.total", m[0].Total},
					{"data.monthly.0.rx", m[0].RX}, {"data.monthly.0.tx", m[0].TX}, {"data.monthly.0.limit", m[0].LimitGB},
					{"data.monthly.0.start", m[0].Start.Time}, {"data.monthly.0.end", m[0].End.Time}})
			}
			return err
		}},
		{"VNC", func(t *testing.T) error {
			v, err := c.VNC(ctx, 9)
			if err == nil {
				checkShown(t, ex("GET", "/servers/{serverId}/vnc"), []shown{{"data.vnc.wss.url", v.WSSURL},
					{"data.vnc.password", v.Password}, {"data.vnc.port", v.Port}, {"data.vnc.enabled", v.Enabled}})
			}
			return err
		}},
		{"EnableVNC", func(t *testing.T) error {
			v, err := c.EnableVNC(ctx, 9)
			if err == nil {
				checkShown(t, ex("POST", "/servers/{serverId}/vnc"), []shown{{"data.vnc.wss.url", v.WSSURL}, {"data.vnc.password", v.Password}})
			}
			return err
		}},
		{"DisableVNC", func(t *testing.T) error { _, err := c.DisableVNC(ctx, 9); return err }},
		{"ServerTemplates", func(t *testing.T) error {
			g, err := c.ServerTemplates(ctx, 9)
			if err == nil {
				checkShown(t, ex("GET", "/servers/{serverId}/templates"), templateShown(g))
			}
			return err
		}},
		{"Backups", func(t *testing.T) error {
			b, err := c.Backups(ctx, 9)
			if err == nil {
				checkShown(t, ex("GET", "/backups/server/{serverId}"), []shown{{"data.0.id", b[0].ID},
					{"data.0.complete", b[0].Complete}, {"data.0.created", b[0].Created.Time}, {"data.0.storage.name", b[0].Storage.Name}})
			}
			return err
		}},
		{"SetBackupPlan", func(t *testing.T) error { return c.SetBackupPlan(ctx, 9, 1) }},
		{"Queue", func(t *testing.T) error {
			q, err := c.Queue(ctx, 158)
			if err == nil {
				checkShown(t, ex("GET", "/queue/{queueId}"), []shown{{"data.id", q.ID}, {"data.serverId", q.ServerID},
					{"data.action", q.Action}, {"data.finished", q.Finished.Time}, {"data.failed", q.Failed}, {"data.progress", q.Progress}})
				if !q.Succeeded() {
					t.Errorf("queue item not succeeded: %+v", q)
				}
			}
			return err
		}},
		{"ChangeOwner", func(t *testing.T) error { return c.ChangeOwner(ctx, 9, 3) }},
		{"Packages", func(t *testing.T) error {
			p, err := c.Packages(ctx)
			if err == nil {
				checkShown(t, ex("GET", "/packages"), packageShown("data.0.", p[0]))
			}
			return err
		}},
		{"Package", func(t *testing.T) error {
			p, err := c.Package(ctx, 1)
			if err == nil {
				checkShown(t, ex("GET", "/packages/{packageId}"), packageShown("data.", *p))
			}
			return err
		}},
		{"PackageTemplates", func(t *testing.T) error {
			g, err := c.PackageTemplates(ctx, 1)
			if err == nil {
				checkShown(t, ex("GET", "/media/templates/fromServerPackageSpec/{serverPackageId}"), templateShown(g))
			}
			return err
		}},
		{"OSTemplate", func(t *testing.T) error {
			c.InvalidateCatalogue()
			want, _ := at(ex("GET", "/media/templates/fromServerPackageSpec/{serverPackageId}"), "data.0.templates.0.id")
			id, _ := strconv.ParseInt(fmt.Sprint(want), 10, 64)
			tpl, err := c.OSTemplate(ctx, id)
			if err == nil && tpl.Label() == "" {
				t.Errorf("template %v has no label", id)
			}
			return err
		}},
		{"HypervisorGroups", func(t *testing.T) error {
			g, err := c.HypervisorGroups(ctx)
			if err == nil {
				checkShown(t, ex("GET", "/compute/hypervisors/groups"), []shown{{"data.0.id", g[0].ID}, {"data.0.name", g[0].Name},
					{"data.0.enabled", g[0].Enabled}})
			}
			return err
		}},
		{"HypervisorGroup", func(t *testing.T) error {
			g, err := c.HypervisorGroup(ctx, 1)
			if err == nil {
				checkShown(t, ex("GET", "/compute/hypervisors/groups/{hypervisorGroupId}"), []shown{{"data.id", g.ID}, {"data.name", g.Name}})
			}
			return err
		}},
		{"HypervisorGroupResources", func(t *testing.T) error {
			r, err := c.HypervisorGroupResources(ctx, 1)
			if err == nil && len(r) == 0 {
				t.Errorf("no resources decoded")
			}
			return err
		}},
		{"CreateSSHKey", func(t *testing.T) error {
			k, err := c.CreateSSHKey(ctx, 3, "Key 1", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB test")
			if err == nil {
				checkShown(t, ex("POST", "/ssh_keys"), []shown{{"data.id", k.ID}, {"data.name", k.Name}, {"data.createdAt", k.Created.Time}})
			}
			return err
		}},
		{"SSHKeys", func(t *testing.T) error {
			k, err := c.SSHKeys(ctx, 3)
			if err == nil {
				checkShown(t, ex("GET", "/ssh_keys/user/{userId}"), []shown{{"data.0.id", k[0].ID}, {"data.0.name", k[0].Name}})
			}
			return err
		}},
		{"SSHKey", func(t *testing.T) error { _, err := c.SSHKey(ctx, 1); return err }},
		{"DeleteSSHKey", func(t *testing.T) error { return c.DeleteSSHKey(ctx, 1) }},
		{"AddCredit", func(t *testing.T) error {
			id, err := c.AddCredit(ctx, "u_ann", CreditRequest{Tokens: 500, Reference1: 7, Reference2: "led_1"})
			if err == nil {
				checkShown(t, ex("POST", "/selfService/credit/byUserExtRelationId/{extRelationId}"), []shown{{"data.id", id}})
			}
			return err
		}},
		{"CancelCredit", func(t *testing.T) error { return c.CancelCredit(ctx, 2) }},
	}
	for _, call := range calls {
		t.Run(call.name, func(t *testing.T) {
			if err := call.run(t); err != nil {
				t.Fatalf("against the document's example: %v", err)
			}
		})
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, e := range ss.errs {
		t.Errorf("request: %s", e)
	}
	// Every example response the client's operations have was served.
	if len(ss.seen) < 40 {
		t.Errorf("only %d operations exercised: %v", len(ss.seen), ss.seen)
	}
}

// serverShown are the server fields the panel shows, by their place in
// the full server object.
func serverShown(s *Server) []shown {
	return []shown{
		{"data.id", s.ID}, {"data.uuid", s.UUID}, {"data.name", s.Name}, {"data.hostname", s.Hostname},
		{"data.ownerId", s.OwnerID}, {"data.state", s.State}, {"data.commissionStatus", s.CommissionStatus},
		{"data.suspended", s.Suspended}, {"data.built", s.Built}, {"data.created", s.Created},
		{"data.settings.osTemplateInstallId", s.OSTemplateID},
		{"data.settings.resources.memory", s.Resources.MemoryMB}, {"data.settings.resources.storage", s.Resources.StorageGB},
		{"data.settings.resources.cpuCores", s.Resources.CPUCores}, {"data.settings.resources.traffic", s.Resources.TrafficGB},
		{"data.network.interfaces.0.ipv4.0.address", s.PrimaryIPv4()},
		{"data.network.interfaces.0.name", s.IPv4[0].Interface},
		{"data.network.interfaces.0.type", s.IPv4[0].Type},
		{"data.hypervisor.groupId", s.HypervisorGroupID}, {"data.hypervisor.group.name", s.HypervisorGroup},
		{"data.traffic.public.currentPeriod.limit", s.TrafficPeriod.LimitGB},
		{"data.traffic.public.currentPeriod.start", s.TrafficPeriod.Start},
		{"data.vnc.port", s.VNC.Port}, {"data.tasks.active", s.TasksActive},
	}
}

func templateShown(g []TemplateGroup) []shown {
	t := g[0].Templates[0]
	return []shown{{"data.0.name", g[0].Name}, {"data.0.templates.0.id", t.ID}, {"data.0.templates.0.name", t.Name},
		{"data.0.templates.0.version", t.Version}, {"data.0.templates.0.type", t.Type}, {"data.0.templates.0.eol", t.EOL}}
}

func packageShown(prefix string, p Package) []shown {
	return []shown{{prefix + "id", p.ID}, {prefix + "name", p.Name}, {prefix + "enabled", p.Enabled},
		{prefix + "memory", p.MemoryMB}, {prefix + "primaryStorage", p.PrimaryStorageGB},
		{prefix + "traffic", p.TrafficGB}, {prefix + "cpuCores", p.CPUCores}}
}
