package apispec

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode"
)

// schemas turns Go types into JSON Schema (2020-12, as OpenAPI 3.1 uses),
// following encoding/json exactly: a field without omitempty is required; a
// pointer field without omitempty may be null; embedded structs are
// flattened; json:"-" and unexported fields are left out. Every named
// struct becomes a component, referenced by $ref.
//
// Slices are documented as arrays, never null: handlers must answer []
// for an empty list, and the contract test holds them to it.
type schemas struct {
	names     map[reflect.Type]string
	defs      map[string]any
	responses map[string]any // shared error responses (see errorResponse)
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// newSchemas names every named struct reachable from roots: its Go name,
// or, when two packages use one name, the name prefixed with the package.
func newSchemas(roots []reflect.Type) *schemas {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == timeType || seen[t] {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			walk(t.Field(i).Type)
		}
	}
	for _, t := range roots {
		walk(t)
	}
	byName := map[string][]reflect.Type{}
	for t := range seen {
		if t.Name() != "" {
			byName[baseName(t)] = append(byName[baseName(t)], t)
		}
	}
	s := &schemas{names: map[reflect.Type]string{}, defs: map[string]any{}, responses: map[string]any{}}
	for name, ts := range byName {
		for _, t := range ts {
			if len(ts) > 1 {
				s.names[t] = exported(pkgName(t)) + name
			} else {
				s.names[t] = name
			}
		}
	}
	return s
}

// baseName is a type's name with generic arguments spelled out:
// Page[*panel.LedgerEntry] is "PageLedgerEntry".
func baseName(t reflect.Type) string {
	name, args, ok := strings.Cut(t.Name(), "[")
	if !ok {
		return name
	}
	for _, a := range strings.Split(strings.TrimSuffix(args, "]"), ",") {
		a = strings.TrimLeft(a, "*[]")
		if i := strings.LastIndexByte(a, '.'); i >= 0 {
			a = a[i+1:]
		}
		name += exported(a)
	}
	return name
}

func pkgName(t reflect.Type) string {
	p := t.PkgPath()
	return p[strings.LastIndexByte(p, '/')+1:]
}

func exported(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// enumType is a named string type that lists its values (panel.ActivityKind).
type enumType interface{ Enum() []string }

// schema returns the schema of t (a $ref for named structs and enum types).
func (s *schemas) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{}
	}
	if e, ok := reflect.Zero(t).Interface().(enumType); ok && t.Kind() == reflect.String {
		// A named string type listing its values: one component, so the
		// generated TypeScript has the union under the type's name.
		name := baseName(t)
		s.defs[name] = map[string]any{"type": "string", "enum": e.Enum()}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return s.schema(t.Elem())
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": s.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": s.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name, ok := s.names[t]
		if !ok {
			return s.object(t)
		}
		if _, done := s.defs[name]; !done {
			s.defs[name] = nil // placeholder against recursion
			s.defs[name] = s.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	panic(fmt.Sprintf("apispec: no JSON schema for Go type %s", t))
}

// object is the schema of a struct: its JSON fields, which are required,
// and no others.
func (s *schemas) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	s.fields(t, props, &required)
	sort.Strings(required)
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func (s *schemas) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				s.fields(ft, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omit := hasOpt(opts, "omitempty") || hasOpt(opts, "omitzero")
		var sch map[string]any
		if hasOpt(opts, "string") {
			sch = map[string]any{"type": "string"}
		} else {
			sch = s.schema(ft)
		}
		if e := f.Tag.Get("enum"); e != "" {
			sch["enum"] = strings.Split(e, ",")
		}
		if ft.Kind() == reflect.Pointer && !omit {
			sch = nullable(sch)
		}
		props[name] = sch
		if !omit {
			*required = append(*required, name)
		}
	}
}

func hasOpt(opts, want string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == want {
			return true
		}
	}
	return false
}

// nullable allows null besides what sch allows.
func nullable(sch map[string]any) map[string]any {
	if typ, ok := sch["type"].(string); ok && sch["enum"] == nil {
		out := map[string]any{}
		for k, v := range sch {
			out[k] = v
		}
		out["type"] = []string{typ, "null"}
		return out
	}
	return map[string]any{"anyOf": []any{sch, map[string]any{"type": "null"}}}
}
