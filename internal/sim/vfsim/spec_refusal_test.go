package vfsim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// specRequest is an operation's request body schema and example.
type specRequest struct {
	Required []string
	Example  map[string]any
}

func specRequests(t *testing.T) map[string]specRequest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "virtfusion", "testdata", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Required []string `yaml:"required"`
					} `yaml:"schema"`
					Example any `yaml:"example"`
				} `yaml:"content"`
			} `yaml:"requestBody"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]specRequest{}
	for p, ops := range doc.Paths {
		for m, op := range ops {
			if c, ok := op.RequestBody.Content["application/json"]; ok && len(c.Schema.Required) > 0 {
				ex, _ := c.Example.(map[string]any)
				out[strings.ToUpper(m)+" "+p] = specRequest{Required: c.Schema.Required, Example: ex}
			}
		}
	}
	return out
}

// words turns a field name into the words Laravel's messages use
// ("operatingSystemId" → "operating system id").
func words(field string) string {
	return strings.ToLower(regexp.MustCompile(`([a-z0-9])([A-Z])`).ReplaceAllString(field, "$1 $2"))
}

// TestRequiredFieldsRefused walks the document: for every operation the
// panel uses whose request schema has required fields, the document's own
// request example without one of them is refused with a 422 naming it.
func TestRequiredFieldsRefused(t *testing.T) {
	h := newHarness(t, Options{Seed: true})
	_, sid := h.mustBuilt(t)
	reqs := specRequests(t)
	paths := map[string]string{ // template → a path the simulator has
		"POST /servers":                          "/servers",
		"POST /servers/{serverId}/build":         "/servers/" + itoa(sid) + "/build",
		"PUT /servers/{serverId}/modify/name":    "/servers/" + itoa(sid) + "/modify/name",
		"POST /servers/{serverId}/resetPassword": "/servers/" + itoa(sid) + "/resetPassword",
		"POST /servers/{serverId}/vnc":           "/servers/" + itoa(sid) + "/vnc",
		"POST /ssh_keys":                         "/ssh_keys",
		"POST /users":                            "/users",
		"POST /selfService/credit/byUserExtRelationId/{extRelationId}": "/selfService/credit/byUserExtRelationId/1001",
	}
	for op, path := range paths {
		r, ok := reqs[op]
		if !ok {
			t.Errorf("%s: no required fields in the document", op)
			continue
		}
		method := strings.Fields(op)[0]
		for _, field := range r.Required {
			t.Run(op+" without "+field, func(t *testing.T) {
				body := map[string]any{}
				for k, v := range r.Example {
					if k != field {
						body[k] = v
					}
				}
				code, _, b := h.do(t, method, path, body)
				var e struct {
					Errors []string `json:"errors"`
				}
				if code != 422 || json.Unmarshal(b, &e) != nil || len(e.Errors) == 0 {
					t.Fatalf("got %d %s, want 422 {\"errors\":[…]}", code, b)
				}
				if !strings.Contains(strings.ToLower(strings.Join(e.Errors, " ")), words(field)) {
					t.Errorf("errors %q do not name %q", e.Errors, words(field))
				}
			})
		}
	}
}
