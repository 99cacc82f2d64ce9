package auth0sim

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// loginPage is the simulator's Universal Login: every authorize parameter
// rides along as a hidden field and the form posts back to /authorize.
var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in | auth0sim</title></head>
<body>
<h1>Log in</h1>
{{if .Error}}<p role="alert" id="error">{{.Error}}</p>{{end}}
<form method="post" action="/authorize">
{{range $k, $v := .Hidden}}<input type="hidden" name="{{$k}}" value="{{$v}}">
{{end}}<label>Email <input type="email" name="username" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Continue</button>
</form>
</body></html>
`))

// authorizeParams are the query parameters kept through the login form.
var authorizeParams = []string{"response_type", "client_id", "redirect_uri", "scope", "audience", "state",
	"nonce", "code_challenge", "code_challenge_method", "prompt", "connection"}

// checkAuthorize validates an authorize request; it returns an error text
// to show instead of the login page, or "".
func (s *Server) checkAuthorize(v url.Values) string {
	switch {
	case v.Get("client_id") != s.opts.ClientID:
		return "Unknown client."
	case v.Get("response_type") != "code":
		return "Unsupported response type."
	case v.Get("redirect_uri") == "":
		return "Missing redirect_uri."
	case v.Get("code_challenge") != "" && !slices.Contains([]string{"", "S256", "plain"}, v.Get("code_challenge_method")):
		return "Unsupported code_challenge_method; use S256 or plain."
	case v.Get("audience") != "" && v.Get("audience") != s.opts.Audience:
		return "Service not found: " + v.Get("audience")
	}
	if u, err := url.Parse(v.Get("redirect_uri")); err != nil || u.Scheme == "" || u.Host == "" {
		return "Invalid redirect_uri."
	}
	if len(s.opts.CallbackURLs) > 0 && !slices.Contains(s.opts.CallbackURLs, v.Get("redirect_uri")) {
		return "Callback URL mismatch. " + v.Get("redirect_uri") + " is not in the list of allowed callback URLs."
	}
	return ""
}

func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := s.checkAuthorize(q); msg != "" {
		http.Error(w, msg, http.StatusBadRequest)
		return
	}
	s.renderLogin(w, q, "", http.StatusOK)
}

func (s *Server) renderLogin(w http.ResponseWriter, v url.Values, errText string, status int) {
	hidden := map[string]string{}
	for _, k := range authorizeParams {
		if x := v.Get(k); x != "" {
			hidden[k] = x
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = loginPage.Execute(w, map[string]any{"Hidden": hidden, "Error": errText})
}

func (s *Server) authorizeSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	v := r.PostForm
	if msg := s.checkAuthorize(v); msg != "" {
		http.Error(w, msg, http.StatusBadRequest)
		return
	}
	ip := r.Header.Get("X-Forwarded-For")
	if ip == "" {
		ip = r.RemoteAddr
	}
	rec := &statusRecorder{header: http.Header{}}
	u, ok := s.checkPassword(rec, v.Get("username"), v.Get("password"), ip)
	if !ok {
		msg := "Wrong email or password."
		switch rec.status {
		case http.StatusTooManyRequests:
			msg = "Your account has been blocked after multiple consecutive login attempts."
		case http.StatusUnauthorized:
			msg = "Your account has been blocked."
		}
		s.renderLogin(w, v, msg, http.StatusUnauthorized)
		return
	}
	code := randHex(16)
	s.mu.Lock()
	s.codes[code] = &authCode{email: u.email, clientID: v.Get("client_id"), redirectURI: v.Get("redirect_uri"),
		challenge: v.Get("code_challenge"), method: v.Get("code_challenge_method"), nonce: v.Get("nonce"), scope: s.scope(v.Get("scope")),
		audience: v.Get("audience"), expires: s.now().Add(time.Minute)}
	s.mu.Unlock()
	dst, _ := url.Parse(v.Get("redirect_uri"))
	q := dst.Query()
	q.Set("code", code)
	if st := v.Get("state"); st != "" {
		q.Set("state", st)
	}
	dst.RawQuery = q.Encode()
	http.Redirect(w, r, dst.String(), http.StatusFound)
}

// statusRecorder captures the status checkPassword would have written.
type statusRecorder struct {
	header http.Header
	status int
}

func (r *statusRecorder) Header() http.Header         { return r.header }
func (r *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *statusRecorder) WriteHeader(code int)        { r.status = code }
