package notify

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	"sync"
	texttemplate "text/template"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// templates hold one file per notification kind, defining "subject",
// "text" and (customer kinds) "html", plus the two layouts. Each kind's
// file names the Data keys it reads; a missing required key is an error,
// never "<no value>" in a customer's mail.
//
//go:embed templates/*.tmpl
var templates embed.FS

// Brand is how the company presents itself in mail and alerts.
type Brand struct {
	Name      string
	LogoURL   string // absolute URL; empty shows the name instead
	Color     string // #rrggbb
	PublicURL string // where the panel is served; every link starts with it
}

// Rendered is a notification turned into words.
type Rendered struct {
	Subject string
	Text    string
	HTML    string // empty for staff kinds
}

// Renderer renders every kind from the embedded templates. A kind's
// templates are parsed on its first render and kept, so a cold start parses
// none (TestRenderEveryKind checks that every kind has working templates).
type Renderer struct {
	brand Brand
	funcs map[string]any

	mu     sync.Mutex
	parsed map[panel.NotificationKind]*kindTemplates
}

// kindTemplates are one kind's parsed templates (html nil for plain kinds).
type kindTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

type view struct {
	Brand       Brand
	PublicURL   string
	Name        string
	D           map[string]string
	Unsubscribe string
}

type button struct{ URL, Label, Color string }

// NewRenderer returns a renderer for b; it parses nothing yet.
func NewRenderer(b Brand) (*Renderer, error) {
	b.PublicURL = strings.TrimSuffix(b.PublicURL, "/")
	funcs := map[string]any{
		"link":   func(path string) string { return b.PublicURL + path },
		"button": func(url, label, color string) button { return button{url, label, color} },
	}
	return &Renderer{brand: b, funcs: funcs, parsed: map[panel.NotificationKind]*kindTemplates{}}, nil
}

// templatesOf returns k's parsed templates, parsing them on first use.
func (r *Renderer) templatesOf(k panel.NotificationKind) (*kindTemplates, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if kt, ok := r.parsed[k]; ok {
		return kt, nil
	}
	if !slices.Contains(panel.NotificationKinds, k) {
		return nil, panel.Errorf(panel.EINVALID, "Unknown notification kind %q.", k)
	}
	file := "templates/" + string(k) + ".tmpl"
	files := []string{file}
	if !k.Plain() {
		files = []string{"templates/layout.txt.tmpl", file}
	}
	t, err := texttemplate.New(string(k)).Funcs(r.funcs).Option("missingkey=error").ParseFS(templates, files...)
	if err != nil {
		return nil, fmt.Errorf("notify: templates of %s: %w", k, err)
	}
	kt := &kindTemplates{text: t}
	if !k.Plain() {
		h, err := htmltemplate.New(string(k)).Funcs(r.funcs).Option("missingkey=error").
			ParseFS(templates, "templates/layout.html.tmpl", file)
		if err != nil {
			return nil, fmt.Errorf("notify: html templates of %s: %w", k, err)
		}
		for _, name := range []string{"subject", "text", "html"} {
			if h.Lookup(name) == nil {
				return nil, fmt.Errorf("notify: %s defines no %q", file, name)
			}
		}
		kt.html = h
	}
	r.parsed[k] = kt
	return kt, nil
}

// Render renders n. unsubscribe is the one-click unsubscribe URL shown in
// non-essential mail ("" for none).
func (r *Renderer) Render(n *panel.Notification, unsubscribe string) (*Rendered, error) {
	kt, err := r.templatesOf(n.Kind)
	if err != nil {
		return nil, err
	}
	t := kt.text
	data := n.Data
	if data == nil {
		data = map[string]string{}
	}
	v := view{Brand: r.brand, PublicURL: r.brand.PublicURL, Name: n.Name, D: data, Unsubscribe: unsubscribe}
	exec := func(name string) (string, error) {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, name, v); err != nil {
			return "", &panel.Error{Code: panel.EINVALID, Message: "The notification's data does not fit its template.",
				Err: fmt.Errorf("notify: render %s %s: %w", n.ID, name, err)}
		}
		return b.String(), nil
	}
	subject, err := exec("subject")
	if err != nil {
		return nil, err
	}
	out := &Rendered{Subject: strings.Join(strings.Fields(subject), " ")}
	if n.Kind.Plain() {
		out.Text, err = exec("text")
		return out, err
	}
	if out.Text, err = exec("layout"); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := kt.html.ExecuteTemplate(&b, "layout", v); err != nil {
		return nil, &panel.Error{Code: panel.EINVALID, Message: "The notification's data does not fit its template.",
			Err: fmt.Errorf("notify: render %s html: %w", n.ID, err)}
	}
	out.HTML = b.String()
	return out, nil
}
