package notify

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
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

// Renderer renders every kind from the embedded templates, parsed once.
type Renderer struct {
	brand Brand
	text  map[panel.NotificationKind]*texttemplate.Template
	html  map[panel.NotificationKind]*htmltemplate.Template
}

type view struct {
	Brand       Brand
	PublicURL   string
	Name        string
	D           map[string]string
	Unsubscribe string
}

type button struct{ URL, Label, Color string }

// NewRenderer parses the templates of every kind; a kind without a
// template is an error, so adding a kind without one fails at start-up
// (and in the tests), not when the first such event happens.
func NewRenderer(b Brand) (*Renderer, error) {
	b.PublicURL = strings.TrimSuffix(b.PublicURL, "/")
	funcs := map[string]any{
		"link":   func(path string) string { return b.PublicURL + path },
		"button": func(url, label, color string) button { return button{url, label, color} },
	}
	r := &Renderer{brand: b, text: map[panel.NotificationKind]*texttemplate.Template{},
		html: map[panel.NotificationKind]*htmltemplate.Template{}}
	for _, k := range panel.NotificationKinds {
		file := "templates/" + string(k) + ".tmpl"
		files := []string{file}
		if !k.Plain() {
			files = []string{"templates/layout.txt.tmpl", file}
		}
		t, err := texttemplate.New(string(k)).Funcs(funcs).Option("missingkey=error").ParseFS(templates, files...)
		if err != nil {
			return nil, fmt.Errorf("notify: templates of %s: %w", k, err)
		}
		r.text[k] = t
		if k.Plain() {
			continue
		}
		h, err := htmltemplate.New(string(k)).Funcs(funcs).Option("missingkey=error").
			ParseFS(templates, "templates/layout.html.tmpl", file)
		if err != nil {
			return nil, fmt.Errorf("notify: html templates of %s: %w", k, err)
		}
		for _, name := range []string{"subject", "text", "html"} {
			if h.Lookup(name) == nil {
				return nil, fmt.Errorf("notify: %s defines no %q", file, name)
			}
		}
		r.html[k] = h
	}
	return r, nil
}

// Render renders n. unsubscribe is the one-click unsubscribe URL shown in
// non-essential mail ("" for none).
func (r *Renderer) Render(n *panel.Notification, unsubscribe string) (*Rendered, error) {
	t, ok := r.text[n.Kind]
	if !ok {
		return nil, panel.Errorf(panel.EINVALID, "Unknown notification kind %q.", n.Kind)
	}
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
	if err := r.html[n.Kind].ExecuteTemplate(&b, "layout", v); err != nil {
		return nil, &panel.Error{Code: panel.EINVALID, Message: "The notification's data does not fit its template.",
			Err: fmt.Errorf("notify: render %s html: %w", n.ID, err)}
	}
	out.HTML = b.String()
	return out, nil
}
