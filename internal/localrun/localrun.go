// Package localrun is the local stand-in for API Gateway (HTTP API, payload
// 2.0): it turns each HTTP request into the event API Gateway would send,
// calls the same Lambda handler a deployed function runs (the
// aws-lambda-go-api-proxy v2 adapter around the function's http.Handler), and
// writes the event response back. Paths outside /api serve the built UI.
package localrun

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/vfpanel/vfpanel/internal/routes"
)

// LambdaHandler is what lambda.Start receives for an HTTP API function.
type LambdaHandler func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Adapt wraps an http.Handler exactly as a function's main does.
func Adapt(h http.Handler) LambdaHandler {
	return httpadapter.NewV2(h).ProxyWithContext
}

// Runner routes requests to functions by the route table.
type Runner struct {
	mux    *http.ServeMux
	webDir string
	seq    atomic.Int64
}

// New returns a Runner serving the given functions (name → Lambda handler)
// and, for paths outside /api, the static files in webDir ("" for none).
// Every route in the table must have its function present.
func New(functions map[string]LambdaHandler, webDir string) (*Runner, error) {
	rn := &Runner{mux: http.NewServeMux(), webDir: webDir}
	for _, rt := range routes.Table {
		fn, ok := functions[rt.Function]
		if !ok {
			return nil, fmt.Errorf("localrun: no function %q for route %s", rt.Function, rt.Pattern())
		}
		rt := rt
		rn.mux.Handle(rt.Pattern(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rn.invoke(w, r, rt, fn)
		}))
	}
	// API Gateway's own answer for a path no route matches.
	rn.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message":"Not Found"}`)
	})
	rn.mux.HandleFunc("/", rn.serveWeb)
	return rn, nil
}

// ServeHTTP implements http.Handler.
func (rn *Runner) ServeHTTP(w http.ResponseWriter, r *http.Request) { rn.mux.ServeHTTP(w, r) }

func (rn *Runner) invoke(w http.ResponseWriter, r *http.Request, rt routes.Route, fn LambdaHandler) {
	ev, err := rn.Event(r, rt)
	if err != nil {
		http.Error(w, `{"message":"Bad Request"}`, http.StatusBadRequest)
		return
	}
	resp, err := fn(r.Context(), ev)
	if err != nil {
		// A Lambda error becomes API Gateway's 500 "Internal Server Error".
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"message":"Internal Server Error"}`)
		return
	}
	WriteResponse(w, resp)
}

// textTypes are the content types API Gateway passes as plain text; any
// other body arrives base64-encoded.
func isText(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return strings.HasPrefix(mt, "text/") || mt == "application/json" || strings.HasSuffix(mt, "+json") ||
		mt == "application/xml" || mt == "application/javascript"
}

// Event builds the payload 2.0 event API Gateway sends for r matched to rt.
func (rn *Runner) Event(r *http.Request, rt routes.Route) (events.APIGatewayV2HTTPRequest, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return events.APIGatewayV2HTTPRequest{}, err
	}
	headers := map[string]string{}
	var cookies []string
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lk] = strings.Join(vs, ",")
	}
	if r.ContentLength > 0 || len(body) > 0 {
		headers["content-length"] = strconv.Itoa(len(body))
	}
	params := map[string]string{}
	for _, seg := range strings.Split(rt.Path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			name := strings.TrimSuffix(strings.Trim(seg, "{}"), "...")
			params[name] = r.PathValue(name)
		}
	}
	if len(params) == 0 {
		params = nil
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	if host == "" {
		host = r.RemoteAddr
	}
	now := time.Now()
	id := fmt.Sprintf("local-%d-%d", now.UnixNano(), rn.seq.Add(1))
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              rt.Method + " " + rt.APIGatewayPath(),
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		PathParameters:        params,
		QueryStringParameters: queryParams(r),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     rt.Method + " " + rt.APIGatewayPath(),
			AccountID:    "000000000000",
			Stage:        "$default",
			RequestID:    id,
			APIID:        "local",
			DomainName:   r.Host,
			DomainPrefix: strings.Split(r.Host, ".")[0],
			Time:         now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.Path,
				Protocol:  r.Proto,
				SourceIP:  host,
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type")) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev, nil
}

// queryParams mirrors API Gateway: repeated keys are joined with commas.
func queryParams(r *http.Request) map[string]string {
	q := r.URL.Query()
	if len(q) == 0 {
		return nil
	}
	out := make(map[string]string, len(q))
	for k, vs := range q {
		out[k] = strings.Join(vs, ",")
	}
	return out
}

// WriteResponse writes a payload 2.0 response as API Gateway would.
func WriteResponse(w http.ResponseWriter, resp events.APIGatewayV2HTTPResponse) {
	h := w.Header()
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		h.Del(k)
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			http.Error(w, `{"message":"Internal Server Error"}`, http.StatusInternalServerError)
			return
		}
		body = b
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write(body)
}

// serveWeb serves web/dist with an index.html fallback for client routes.
func (rn *Runner) serveWeb(w http.ResponseWriter, r *http.Request) {
	if rn.webDir == "" {
		http.NotFound(w, r)
		return
	}
	clean := filepath.Clean("/" + r.URL.Path)
	p := filepath.Join(rn.webDir, clean)
	if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
		if strings.HasPrefix(clean, "/assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		http.ServeFile(w, r, p)
		return
	}
	if filepath.Ext(clean) != "" {
		http.NotFound(w, r)
		return
	}
	index := filepath.Join(rn.webDir, "index.html")
	if _, err := os.Stat(index); err != nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "The UI is not built yet: run `make web`.\n")
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeFile(w, r, index)
}
