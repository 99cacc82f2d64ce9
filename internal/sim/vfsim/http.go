package vfsim

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"
)

// M is a JSON object; PHP-ish key order does not matter to clients.
type M = map[string]any

// phpEmpty is how PHP's json_encode writes an empty associative array.
var phpEmpty = []any{}

// routes builds the panel mux. API handlers run under s.mu (they are quick
// and never block), after the API middleware (calls, faults, auth, tick).
func (s *Sim) routes() http.Handler {
	api := http.NewServeMux()
	h := func(pattern string, fn func(w http.ResponseWriter, r *http.Request)) {
		api.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			defer s.mu.Unlock()
			fn(w, r)
			if r.Method != http.MethodGet {
				s.persist.MarkDirty()
			}
		})
	}
	const p = "/api/v1"
	h("GET "+p+"/connect", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, phpEmpty) })

	// Users.
	h("GET "+p+"/users", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusMethodNotAllowed, M{"message": "The GET method is not supported for route api/v1/users. Supported methods: POST."})
	})
	h("POST "+p+"/users", s.createUser)
	h("GET "+p+"/users/{ext}/byExtRelation", s.getUser)
	h("PUT "+p+"/users/{ext}/byExtRelation", s.updateUser)
	h("DELETE "+p+"/users/{ext}/byExtRelation", s.deleteUser)
	h("POST "+p+"/users/{ext}/byExtRelation/resetPassword", s.resetUserPassword)
	h("POST "+p+"/users/{ext}/authenticationTokens", s.authTokens)
	h("POST "+p+"/users/{ext}/serverAuthenticationTokens/{serverId}", s.authTokens)

	// Servers.
	h("GET "+p+"/servers", s.listServers)
	h("POST "+p+"/servers", s.createServer)
	h("GET "+p+"/servers/user/{uid}", s.listUserServers)
	h("GET "+p+"/servers/{id}", s.getServer)
	// One pattern for GET /servers/{id}/x so it does not clash with /servers/user/{uid}.
	h("GET "+p+"/servers/{id}/{sub}", s.getServerSub)
	h("DELETE "+p+"/servers/{id}", s.deleteServer)
	h("POST "+p+"/servers/{id}/build", s.buildServer)
	h("POST "+p+"/servers/{id}/suspend", s.suspendServer)
	h("POST "+p+"/servers/{id}/unsuspend", s.unsuspendServer)
	h("PUT "+p+"/servers/{id}/owner/{uid}", s.changeOwner)
	h("PUT "+p+"/servers/{id}/modify/name", s.renameServer)
	h("PUT "+p+"/servers/{id}/modify/{what}", s.modifyServer)
	h("PUT "+p+"/servers/{id}/package/{pid}", s.changePackage)
	h("POST "+p+"/servers/{id}/power/{action}", s.powerServer)
	h("POST "+p+"/servers/{id}/resetPassword", s.resetServerPassword)
	h("POST "+p+"/servers/{id}/vnc", s.setVNC)
	h("PUT "+p+"/servers/{id}/backups/plan/{planId}", s.setBackupPlan)
	h("POST "+p+"/servers/{id}/ipv4Qty", s.addIPv4Qty)
	h("DELETE "+p+"/servers/{id}/ipv4", s.removeIPv4)
	h("GET "+p+"/servers/{id}/firewall/{iface}", s.getFirewall)
	h("POST "+p+"/servers/{id}/firewall/{iface}/rules", s.applyFirewallRules)
	h("POST "+p+"/servers/{id}/firewall/{iface}/{action}", s.switchFirewall)
	h("GET "+p+"/backups/server/{id}", s.listBackups)
	h("GET "+p+"/queue/{id}", s.getQueue)

	// Catalogue.
	h("GET "+p+"/packages", s.listPackages)
	h("GET "+p+"/packages/{id}", s.getPackage)
	h("GET "+p+"/media/templates/fromServerPackageSpec/{id}", s.packageTemplates)
	h("GET "+p+"/compute/hypervisors/groups", s.listGroups)
	h("GET "+p+"/compute/hypervisors/groups/{id}", s.getGroup)
	h("GET "+p+"/compute/hypervisors/groups/{id}/resources", s.groupResources)
	h("GET "+p+"/compute/hypervisors", s.listHypervisors)
	h("GET "+p+"/compute/hypervisors/{id}", s.getHypervisor)
	h("GET "+p+"/connectivity/ipblocks", s.listIPBlocks)
	h("GET "+p+"/connectivity/ipblocks/{id}", s.getIPBlock)

	// SSH keys and self service.
	h("POST "+p+"/ssh_keys", s.createKey)
	h("GET "+p+"/ssh_keys/{id}", s.getKey)
	h("GET "+p+"/ssh_keys/user/{uid}", s.listKeys)
	h("DELETE "+p+"/ssh_keys/{id}", s.deleteKey)
	h("POST "+p+"/selfService/credit/byUserExtRelationId/{ext}", s.addCredit)
	h("DELETE "+p+"/selfService/credit/{id}", s.cancelCredit)
	h("GET "+p+"/selfService/currencies", s.listCurrencies)

	// Laravel's answer for any route it does not know (e.g. PATCH /servers/{id}/name on v7).
	api.HandleFunc(p+"/", routeNotFound)

	root := http.NewServeMux()
	root.Handle(p+"/", s.apiMiddleware(api))
	root.HandleFunc("/token_authenticate/", s.tokenAuthenticate)
	root.HandleFunc("/token_authenticate", s.tokenAuthenticate)
	root.HandleFunc("/vnc/", s.vncWebsocket)
	root.HandleFunc("GET /img/logo/{icon}", s.serveIcon)
	return root
}

// apiMiddleware records the call, applies faults, checks the bearer token
// and moves state on to now.
func (s *Sim) apiMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		now := s.now()
		s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Time: now})
		var f *Fault
		if s.fault != nil && strings.HasPrefix(r.URL.Path, s.fault.PathPrefix) && s.fault.Skip > 0 {
			s.fault.Skip--
		} else if s.fault != nil && strings.HasPrefix(r.URL.Path, s.fault.PathPrefix) {
			c := *s.fault
			f = &c
			if s.fault.Times > 0 {
				s.fault.Times--
				if s.fault.Times == 0 {
					s.fault = nil
				}
			}
		}
		s.mu.Unlock()

		if f != nil {
			if f.Latency > 0 {
				select {
				case <-time.After(f.Latency):
				case <-r.Context().Done():
					return
				}
			}
			switch {
			case f.AfterApply && f.Status >= 500:
				// Applied, but the answer is lost on the way back.
				if s.authorized(r) {
					next.ServeHTTP(httptest.NewRecorder(), r)
				}
				writeJSON(w, f.Status, M{"message": "Server Error"})
				return
			case f.Timeout:
				select {
				case <-r.Context().Done():
				case <-s.ctx.Done():
				}
				return
			case f.RateLimit > 0:
				w.Header().Set("Retry-After", strconv.Itoa(f.RateLimit))
				writeJSON(w, http.StatusTooManyRequests, M{"message": "Too Many Attempts."})
				return
			case f.Status >= 500:
				writeJSON(w, f.Status, M{"message": "Server Error"})
				return
			case f.MalformedJSON:
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(200)
				_, _ = io.WriteString(w, `{"data":{"id":1,"name":"trunc`)
				return
			}
		}

		if !s.authorized(r) {
			w.WriteHeader(http.StatusUnauthorized) // VirtFusion sends no body on 401
			return
		}
		s.mu.Lock()
		s.tickLocked(s.now())
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (s *Sim) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return false
	}
	if s.opts.Token == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(tok), []byte(s.opts.Token)) == 1
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeData(w http.ResponseWriter, status int, v any) { writeJSON(w, status, M{"data": v}) }

func writeErrors(w http.ResponseWriter, status int, msgs ...string) {
	writeJSON(w, status, M{"errors": msgs})
}

func writeMsg(w http.ResponseWriter, status int, msg string) { writeJSON(w, status, M{"msg": msg}) }

func serverNotFound(w http.ResponseWriter) { writeMsg(w, 404, "server not found") }

// routeNotFound is Laravel's 404 for a route it does not know.
func routeNotFound(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 404, M{"message": "The route " + strings.TrimPrefix(r.URL.Path, "/") + " could not be found."})
}

// lookup resolves {id} in m; nil means it already wrote the 404 "<what> not found".
func lookup[T any](w http.ResponseWriter, r *http.Request, m map[int]*T, what string) *T {
	id, _ := pathInt(r, "id")
	v := m[id]
	if v == nil {
		writeMsg(w, 404, what+" not found")
	}
	return v
}

// renderSorted renders every value of m in id order.
func renderSorted[T any](m map[int]*T, render func(*T) M) []any {
	out := []any{}
	for _, id := range sortedKeys(m) {
		out = append(out, render(m[id]))
	}
	return out
}

func noContent(w http.ResponseWriter, status int) { w.WriteHeader(status) }

// decodeOr422 is decodeBody that writes the 422 for a body that is not JSON.
func decodeOr422(w http.ResponseWriter, r *http.Request, v any) bool {
	if !decodeBody(r, v) {
		writeErrors(w, 422, "The request body is not valid JSON.")
		return false
	}
	return true
}

// decodeBody reads an optional JSON object body into v. An empty body is fine.
func decodeBody(r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return false
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return true
	}
	return json.Unmarshal(b, v) == nil
}

func pathInt(r *http.Request, name string) (int, bool) {
	n, err := strconv.Atoi(r.PathValue(name))
	return n, err == nil && n > 0
}

func queryBool(r *http.Request, name string) bool {
	v := strings.ToLower(r.URL.Query().Get(name))
	return v == "true" || v == "1"
}

// base is the panel base URL (no trailing slash).
func (s *Sim) base(r *http.Request) string {
	if s.opts.PublicHost != "" {
		return s.opts.PublicHost
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// paginate wraps items in Laravel's length-aware paginator, at the top level.
func (s *Sim) paginate(w http.ResponseWriter, r *http.Request, items []any) {
	q := r.URL.Query()
	per := 20
	if v, err := strconv.Atoi(q.Get("results")); err == nil {
		per = max(1, min(v, 200))
	}
	page := 1
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		page = v
	}
	total := len(items)
	last := max(1, (total+per-1)/per)
	path := s.base(r) + r.URL.Path
	// Laravel appends the page to the query the caller sent, in its order.
	var keep []string
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		if kv == "" || strings.HasPrefix(kv, "page=") {
			continue
		}
		keep = append(keep, kv)
	}
	pageURL := func(n int) string {
		return path + "?" + strings.Join(append(append([]string(nil), keep...), "page="+strconv.Itoa(n)), "&")
	}
	urlOrNil := func(ok bool, n int) any {
		if !ok {
			return nil
		}
		return pageURL(n)
	}
	start := min((page-1)*per, total)
	end := min(start+per, total)
	data := items[start:end]
	if data == nil {
		data = []any{}
	}
	var from, to any
	if end > start {
		from, to = start+1, end
	}
	links := []any{M{"url": urlOrNil(page > 1, page-1), "label": "&laquo; Previous", "active": false}}
	for n := 1; n <= last; n++ {
		links = append(links, M{"url": pageURL(n), "label": strconv.Itoa(n), "active": n == page})
	}
	links = append(links, M{"url": urlOrNil(page < last, page+1), "label": "Next &raquo;", "active": false})
	writeJSON(w, 200, M{
		"current_page": page, "data": data, "first_page_url": pageURL(1), "from": from,
		"last_page": last, "last_page_url": pageURL(last), "links": links,
		"next_page_url": urlOrNil(page < last, page+1), "path": path, "per_page": per,
		"prev_page_url": urlOrNil(page > 1, page-1), "to": to, "total": total,
	})
}

// Date formats VirtFusion mixes (§5.9).
func tsServer(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-07:00") }
func tsModel(t time.Time) string  { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
func tsPlain(t time.Time) string  { return t.UTC().Format("2006-01-02 15:04:05") }

func tsServerPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return tsServer(*t)
}

func nullStr(v string) any {
	if v == "" {
		return nil
	}
	return v
}
