package apispec_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vfpanel/vfpanel/internal/api/admin"
	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/apispec"
	"github.com/vfpanel/vfpanel/internal/openapi"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
)

func mustBuild(t *testing.T) map[string]any {
	t.Helper()
	doc, err := apispec.Build(routes.Table, apispec.Ops)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestEveryRouteDocumented(t *testing.T) {
	for _, p := range apispec.Coverage(routes.Table, apispec.Ops) {
		t.Error(p)
	}
}

func TestCoverageSaysWhatToAdd(t *testing.T) {
	table := append([]routes.Route{{Method: "POST", Path: "/api/servers/{id}/backups", Function: "servers"}}, routes.Table...)
	ops := map[string]apispec.Op{"GET /api/gone": {}}
	for k, v := range apispec.Ops {
		ops[k] = v
	}
	got := strings.Join(apispec.Coverage(table, ops), "\n")
	for _, want := range []string{
		`"POST /api/servers/{id}/backups": {Summary: "…"`,
		"internal/apispec/ops.go",
		"go run ./internal/apispec/cmd/openapi > internal/openapi/openapi.json && (cd web && npm run gen:api)",
		`documents "GET /api/gone", which is not in routes.Table`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("coverage message lacks %q; got:\n%s", want, got)
		}
	}
	if _, err := apispec.Build(table, ops); err == nil {
		t.Error("Build with an undocumented route: got nil error")
	}
}

// TestDocumentFresh fails when internal/openapi/openapi.json (served at
// /api/openapi.json, and the source of web/src/types/openapi.ts) is not what
// the route table and Ops generate.
func TestDocumentFresh(t *testing.T) {
	got, err := apispec.JSON(mustBuild(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, openapi.JSON) {
		t.Fatal("internal/openapi/openapi.json is stale; regenerate it and the UI's types:\n" +
			"\tgo run ./internal/apispec/cmd/openapi > internal/openapi/openapi.json && (cd web && npm run gen:api)")
	}
}

// TestDocumentValidates checks the document against the OpenAPI 3.1
// schema, compiles every schema in it (JSON Schema 2020-12) and checks
// every example against its schema.
//
// testdata/oas-3.1-schema.json is the OpenAPI Initiative's schema of 3.1
// documents, https://spec.openapis.org/oas/3.1/schema/2022-02-27, from
// github.com/OAI/OpenAPI-Specification schemas/v3.1/schema.json
// (commit d3c5de169f7f5c526ba6ec84469abf554153e5a8).
func TestDocumentValidates(t *testing.T) {
	meta, err := os.ReadFile("testdata/oas-3.1-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	metaDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(meta))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("oas.json", metaDoc); err != nil {
		t.Fatal(err)
	}
	oas, err := c.Compile("oas.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openapi.JSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := oas.Validate(doc); err != nil {
		t.Fatalf("the document is not valid OpenAPI 3.1: %v", err)
	}

	v, err := apispec.NewValidator(openapi.JSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range routes.Table {
		op := apispec.Ops[rt.Pattern()]
		if op.Summary == "" {
			t.Errorf("%s: no summary", rt.Pattern())
		}
		if op.Example == nil {
			continue
		}
		b, _ := json.Marshal(op.Example)
		status := op.Status
		if status == 0 {
			status = 200
		}
		path := strings.NewReplacer("{id}", "1", "{taskId}", "1", "{orderId}", "X").Replace(rt.Path)
		if err := v.Check(rt.Method, path, status, jsonHeader, b); err != nil {
			t.Errorf("example of %s: %v", rt.Pattern(), err)
		}
	}
}

var jsonHeader = map[string][]string{"Content-Type": {"application/json"}}

// TestExamplesOfMainRoutes: the docs show examples for the routes
// automation uses most.
func TestExamplesOfMainRoutes(t *testing.T) {
	for _, p := range []string{"GET /api/servers", "POST /api/servers/{id}/power", "GET /api/billing/balance", "POST /api/billing/topups"} {
		if apispec.Ops[p].Example == nil {
			t.Errorf("%s has no example", p)
		}
	}
}

func TestSessionNamesMatchAuth(t *testing.T) {
	doc := mustBuild(t)
	schemes := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	if got := schemes["session"].(map[string]any)["name"]; got != auth.SessionCookieName(false) {
		t.Errorf("session cookie: got %v, want %s", got, auth.SessionCookieName(false))
	}
	info := doc["info"].(map[string]any)["description"].(string)
	if !strings.Contains(info, auth.CSRFHeader) {
		t.Errorf("description does not name the CSRF header %s", auth.CSRFHeader)
	}
}

// TestValidatorCatchesDrift: answers that differ from the document fail.
func TestValidatorCatchesDrift(t *testing.T) {
	v, err := apispec.NewValidator(openapi.JSON)
	if err != nil {
		t.Fatal(err)
	}
	task := `{"task":{"id":"1","action":"boot","status":"pending","progress":0,"startedAt":null,"finishedAt":null}}`
	tests := []struct {
		name, method, path string
		status             int
		body               string
		ok                 bool
	}{
		{"OK", "POST", "/api/servers/7/power", 202, task, true},
		{"ErrMissingField", "POST", "/api/servers/7/power", 202, `{"task":{"id":"1"}}`, false},
		{"ErrExtraField", "POST", "/api/servers/7/power", 202, strings.Replace(task, `"progress"`, `"extra":1,"progress"`, 1), false},
		{"ErrWrongType", "GET", "/api/account/ssh-keys", 200, `{"keys":[{"id":"7","name":"a","type":"t","fingerprint":"f","createdAt":"2026-01-01T00:00:00Z"}]}`, false},
		{"KeyIDNumber", "GET", "/api/account/ssh-keys", 200, `{"keys":[{"id":7,"name":"a","type":"t","fingerprint":"f","createdAt":"2026-01-01T00:00:00Z"}]}`, true},
		{"ErrNullList", "GET", "/api/account/ssh-keys", 200, `{"keys":null}`, false},
		{"ErrUndocumentedStatus", "GET", "/api/billing/balance", 418, `{}`, false},
		{"ErrorBody", "GET", "/api/servers/7", 404, `{"error":{"code":"not_found","message":"server not found","requestId":"r1"}}`, true},
		{"ErrUnlistedCode", "GET", "/api/servers/7", 409, `{"error":{"code":"conflict","message":"x"}}`, false},
		{"ErrWrongCodeForStatus", "GET", "/api/servers/7", 404, `{"error":{"code":"csrf","message":"x"}}`, false},
		{"NoContent", "DELETE", "/api/account/ssh-keys/7", 204, ``, true},
		{"ErrBodyOnNoContent", "DELETE", "/api/account/ssh-keys/7", 204, `{"ok":true}`, false},
		{"CatchAll404", "GET", "/api/nope", 404, `{"error":{"code":"not_found","message":"route not found"}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Check(tt.method, tt.path, tt.status, jsonHeader, []byte(tt.body))
			if (err == nil) != tt.ok {
				t.Errorf("got %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

type inner struct {
	N int `json:"n"`
}

type sample struct {
	Name    string     `json:"name"`
	Maybe   *inner     `json:"maybe"`
	Omitted *inner     `json:"omitted,omitempty"`
	When    time.Time  `json:"when,omitzero"`
	Tags    []string   `json:"tags"`
	Hidden  string     `json:"-"`
	At      *time.Time `json:"at"`
	*inner
	private int //lint:ignore U1000 an unexported field the schema must leave out
}

// TestSchemaFollowsEncodingJSON checks the schema rules on one type.
func TestSchemaFollowsEncodingJSON(t *testing.T) {
	ops := map[string]apispec.Op{}
	for _, rt := range routes.Table {
		ops[rt.Pattern()] = apispec.Op{Summary: "x"}
	}
	ops["GET /api/health"] = apispec.Op{Summary: "x", Response: sample{}}
	doc, err := apispec.Build(routes.Table, ops)
	if err != nil {
		t.Fatal(err)
	}
	got := doc["components"].(map[string]any)["schemas"].(map[string]any)["sample"].(map[string]any)
	props := got["properties"].(map[string]any)
	if want := []string{"at", "maybe", "n", "name", "tags"}; !reflect.DeepEqual(got["required"], want) {
		t.Errorf("required: got %v, want %v", got["required"], want)
	}
	for _, name := range []string{"Hidden", "private", "inner"} {
		if props[name] != nil {
			t.Errorf("property %s should not be there", name)
		}
	}
	if _, ok := props["maybe"].(map[string]any)["anyOf"]; !ok {
		t.Errorf("maybe: a pointer without omitempty should be nullable, got %v", props["maybe"])
	}
	if _, ok := props["omitted"].(map[string]any)["$ref"]; !ok {
		t.Errorf("omitted: got %v, want a plain $ref", props["omitted"])
	}
	if typ := props["at"].(map[string]any)["type"]; !reflect.DeepEqual(typ, []string{"string", "null"}) {
		t.Errorf("at: got type %v, want [string null]", typ)
	}
	if props["n"] == nil {
		t.Error("embedded struct's field n not flattened")
	}
}

// TestEnumsMatchDomainConstants: the enum tags the document lists are the
// domain's constants, so a new state cannot be sent without being documented.
func TestEnumsMatchDomainConstants(t *testing.T) {
	tests := []struct {
		typ   any
		field string
		want  []string
	}{
		{panel.User{}, "Role", []string{panel.RoleCustomer, panel.RoleAdmin}},
		{panel.Server{}, "Provisioning", []string{panel.ProvisionAllocated, panel.ProvisionBuilding, panel.ProvisionComplete, panel.ProvisionFailed}},
		{panel.Server{}, "Power", []string{panel.PowerRunning, panel.PowerStopped, panel.PowerUnknown}},
		{panel.Task{}, "Status", []string{panel.TaskPending, panel.TaskRunning, panel.TaskDone, panel.TaskFailed}},
		{panel.AuditEntry{}, "Outcome", []string{panel.OutcomeOK, panel.OutcomeError}},
		{panel.LedgerEntry{}, "Type", []string{panel.EntryTopup, panel.EntryCharge, panel.EntryRefund, panel.EntryReversal, panel.EntryAdjustment, panel.EntryPromo}},
		{panel.Coupon{}, "Kind", []string{panel.CouponTopupPercent, panel.CouponTopupFixed, panel.CouponFirstOrder, panel.CouponFreeHours}},
		{admin.ServerBilling{}, "Status", []string{panel.BilledActive, panel.BilledStopped}},
	}
	for _, tt := range tests {
		f, ok := reflect.TypeOf(tt.typ).FieldByName(tt.field)
		if !ok {
			t.Fatalf("%T has no field %s", tt.typ, tt.field)
		}
		got := strings.Split(f.Tag.Get("enum"), ",")
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%T.%s enum: got %v, want %v", tt.typ, tt.field, got, want)
		}
	}
}

// TestActivityKindEnum: the document lists every activity kind, once, as
// the ActivityKind component the UI's label map is typed against.
func TestActivityKindEnum(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	d, err := apispec.Build(routes.Table, apispec.Ops)
	if err != nil {
		t.Fatal(err)
	}
	b, err := apispec.JSON(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	got := doc.Components.Schemas["ActivityKind"].Enum
	if want := panel.ActivityKind("").Enum(); !slices.Equal(got, want) || len(want) != len(panel.ActivityKinds) {
		t.Errorf("ActivityKind enum: got %v, want %v", got, want)
	}
}
