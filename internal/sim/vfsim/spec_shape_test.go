package vfsim

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// specExample returns the first 2xx example body of METHOD path in
// VirtFusion's OpenAPI document (vendored with the client, see its header).
func specExample(t *testing.T, method, path string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "virtfusion", "testdata", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Example any `yaml:"example"`
				} `yaml:"content"`
			} `yaml:"responses"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	op, ok := doc.Paths[path][strings.ToLower(method)]
	if !ok {
		t.Fatalf("%s %s: not in the document", method, path)
	}
	codes := make([]string, 0, len(op.Responses))
	for c := range op.Responses {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if strings.HasPrefix(c, "2") {
			return op.Responses[c].Content["application/json"].Example
		}
	}
	t.Fatalf("%s %s: no 2xx example", method, path)
	return nil
}

// inventedKeys lists keys the simulator sends that the example (of the same
// place) does not have: the simulator must answer only in shapes VirtFusion
// uses. Lists are compared through their first element; a place where the
// example has a scalar, null or an empty list is not descended into.
func inventedKeys(sim, spec any, at string) []string {
	var out []string
	switch s := sim.(type) {
	case map[string]any:
		e, ok := asMap(spec)
		if !ok {
			return nil
		}
		for k, v := range s {
			ev, ok := e[k]
			if !ok {
				out = append(out, at+"."+k)
				continue
			}
			out = append(out, inventedKeys(v, ev, at+"."+k)...)
		}
	case []any:
		e, ok := spec.([]any)
		if ok && len(s) > 0 && len(e) > 0 {
			out = append(out, inventedKeys(s[0], e[0], at+".0")...)
		}
	}
	return out
}

func asMap(v any) (map[string]any, bool) {
	switch t := v.(type) {
	case map[string]any:
		return t, true
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, c := range t {
			m[fmt.Sprint(k)] = c
		}
		return m, true
	}
	return nil, false
}

// TestShapesMatchSpec: the simulator's answers carry no field that the
// document's example for the same operation lacks.
func TestShapesMatchSpec(t *testing.T) {
	h := newHarness(t, Options{Seed: true})
	uid, sid := h.mustBuilt(t)
	s := "/servers/" + itoa(sid)
	tests := []struct {
		method, path, template string
		body                   any
		status                 int
		allow                  []string // documented elsewhere; see the comment on each
	}{
		{"GET", s, "/servers/{serverId}", nil, 200, []string{
			".data.remoteState", // false in the example; the object form comes from real clients (notes §4.1)
		}},
		{"POST", s + "/build", "/servers/{serverId}/build", map[string]any{"operatingSystemId": 46}, 200, nil},
		{"GET", "/servers/user/" + itoa(uid), "/servers/user/{userId}", nil, 200, nil},
		{"GET", "/servers?results=5", "/servers", nil, 200, nil},
		{"GET", s + "/traffic", "/servers/{serverId}/traffic", nil, 200, nil},
		{"GET", s + "/vnc", "/servers/{serverId}/vnc", nil, 200, nil},
		{"POST", s + "/vnc", "/servers/{serverId}/vnc", map[string]any{"action": "enable"}, 200, nil},
		{"GET", "/packages", "/packages", nil, 200, nil},
		{"GET", "/packages/1", "/packages/{packageId}", nil, 200, nil},
		{"GET", "/media/templates/fromServerPackageSpec/1", "/media/templates/fromServerPackageSpec/{serverPackageId}", nil, 200, nil},
		{"GET", "/compute/hypervisors/groups", "/compute/hypervisors/groups", nil, 200, nil},
		{"GET", "/users/1001/byExtRelation", "/users/{extRelationId}/byExtRelation", nil, 200, nil},
		{"POST", "/users", "/users", map[string]any{"name": "Shape", "email": "shape@example.com", "relStr": "u_shape"}, 201, nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.template, func(t *testing.T) {
			got := h.mustJSON(t, tt.method, tt.path, tt.body, tt.status)
			var bad []string
			for _, k := range inventedKeys(got, specExample(t, tt.method, tt.template), "") {
				ok := false
				for _, a := range tt.allow {
					if k == a || strings.HasPrefix(k, a+".") {
						ok = true
					}
				}
				if !ok {
					bad = append(bad, k)
				}
			}
			sort.Strings(bad)
			if len(bad) > 0 {
				t.Errorf("fields the document's example does not have: %v", bad)
			}
		})
	}
}
