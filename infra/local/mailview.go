package main

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// mailView is make dev's stand-in for Mailpit's web UI, whose assets its Go
// module build lacks: a list of the messages Mailpit holds and each one's
// text and HTML, read through Mailpit's API. Local only; never deployed.
func mailView(apiURL string) http.Handler {
	client := &http.Client{Timeout: 5 * time.Second}
	get := func(path string, out any) error {
		res, err := client.Get(apiURL + path)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("mailpit %s: HTTP %d", path, res.StatusCode)
		}
		return json.NewDecoder(res.Body).Decode(out)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+mailViewPath, func(w http.ResponseWriter, r *http.Request) {
		var list struct {
			Messages []struct {
				ID      string
				Subject string
				Created string
				To      []struct{ Address string }
			} `json:"messages"`
		}
		if err := get("/api/v1/messages?limit=100", &list); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		render(w, mailListPage, list)
	})
	mux.HandleFunc("GET "+mailViewPath+"{id}", func(w http.ResponseWriter, r *http.Request) {
		var m struct {
			ID, Subject, Text, HTML string
			To                      []struct{ Address string }
		}
		if err := get("/api/v1/message/"+url.PathEscape(r.PathValue("id")), &m); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		render(w, mailPage, m)
	})
	return mux
}

// mailViewPath is where make dev serves mailView.
const mailViewPath = "/_dev/mail/"

func render(w http.ResponseWriter, t *template.Template, data any) {
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The mail's HTML is shown in a sandboxed frame: no scripts, no same origin.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-src 'self'")
	_, _ = w.Write([]byte(b.String()))
}

const mailStyle = `<style>body{font:14px system-ui;background:#0b0f17;color:#e6e9ef;margin:2rem}a{color:#7aa2ff}td{padding:.3rem .8rem;border-bottom:1px solid #222}iframe{width:100%;height:70vh;background:#fff;border:0}pre{white-space:pre-wrap}</style>`

var mailListPage = template.Must(template.New("list").Parse(`<!doctype html><title>Local mail</title>` + mailStyle + `
<h1>Mail sent by make dev</h1><table>{{range .Messages}}<tr><td>{{.Created}}</td><td>{{range .To}}{{.Address}} {{end}}</td><td><a href="{{.ID}}">{{.Subject}}</a></td></tr>{{else}}<tr><td>No mail yet.</td></tr>{{end}}</table>`))

var mailPage = template.Must(template.New("message").Parse(`<!doctype html><title>{{.Subject}}</title>` + mailStyle + `
<p><a href="./">All mail</a></p><h1>{{.Subject}}</h1><p>To: {{range .To}}{{.Address}} {{end}}</p>
{{if .HTML}}<iframe sandbox srcdoc="{{.HTML}}"></iframe>{{end}}<h2>Text</h2><pre>{{.Text}}</pre>`))
