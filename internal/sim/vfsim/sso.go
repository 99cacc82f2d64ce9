package vfsim

import (
	"bytes"
	htmltemplate "html/template"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
)

var ssoPage = htmltemplate.Must(htmltemplate.New("sso").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} · VirtFusion</title>
<style>body{font-family:system-ui,sans-serif;background:#0f172a;color:#e2e8f0;display:grid;place-items:center;height:100vh;margin:0}
main{background:#1e293b;padding:2rem 3rem;border-radius:12px;max-width:32rem}h1{margin-top:0;font-size:1.4rem}.muted{color:#94a3b8}</style>
</head><body><main data-sso="{{.Status}}">
<h1>{{.Title}}</h1>
{{if .User}}<p>Signed in as <strong data-user-id="{{.UserID}}">{{.User}}</strong> ({{.Email}}).</p>{{end}}
{{if .Server}}<p>Server: <strong data-server-id="{{.ServerID}}">{{.Server}}</strong> <span class="muted">{{.UUID}}</span></p>{{end}}
<p class="muted">{{.Note}}</p>
</main></body></html>
`))

type ssoView struct {
	Status, Title, User, Email, Server, UUID, Note string
	UserID, ServerID                               int
}

// tokenAuthenticate is the panel's SSO landing page: it redeems a one-time
// token pair (60 s ttl) from authenticationTokens or serverAuthenticationTokens.
func (s *Sim) tokenAuthenticate(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	key := q.Get("1") + ":" + q.Get("2")
	s.mu.Lock()
	tok, ok := s.sso[key]
	if ok {
		delete(s.sso, key) // one-time, even when expired
		s.persist.MarkDirty()
	}
	valid := ok && s.now().Before(tok.Expires)
	v := ssoView{Status: "denied", Title: "Login link invalid or expired",
		Note: "Single sign-on links work once and expire after 60 seconds. Go back and try again."}
	status := http.StatusForbidden
	if valid {
		if u := s.users[tok.UserID]; u != nil {
			status = http.StatusOK
			v = ssoView{Status: "ok", Title: "Welcome to the control panel", User: u.Name, Email: u.Email, UserID: u.ID,
				Note: "Simulated VirtFusion panel session."}
			if sv := s.servers[tok.ServerID]; tok.ServerID != 0 && sv != nil {
				v.Title, v.Server, v.UUID, v.ServerID = "Server control panel", sv.Name, sv.UUID, sv.ID
			}
		}
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = ssoPage.Execute(w, v)
}

var iconColors = map[string]color.RGBA{
	"debian": {0xd7, 0x0a, 0x53, 0xff}, "ubuntu": {0xe9, 0x54, 0x20, 0xff}, "almalinux": {0x0f, 0x4c, 0x81, 0xff},
	"rocky": {0x10, 0xb9, 0x81, 0xff}, "windows": {0x00, 0x78, 0xd4, 0xff},
}

// serveIcon serves /img/logo/<icon> as a small coloured disc per OS.
func (s *Sim) serveIcon(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("icon")
	c, ok := iconColors[strings.TrimSuffix(strings.TrimSuffix(name, ".png"), "_logo")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			if dx, dy := x-32, y-32; dx*dx+dy*dy <= 30*30 {
				img.SetRGBA(x, y, c)
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(buf.Bytes())
}
