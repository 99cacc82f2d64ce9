// Package localrun is the local stand-in for API Gateway (HTTP API, payload
// 2.0): it turns each HTTP request into the event API Gateway would send,
// calls the same Lambda handler a deployed function runs (the
// aws-lambda-go-api-proxy v2 adapter around the function's http.Handler), and
// writes the event response back. Paths outside /api serve the built UI.
package localrun

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
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
	api       *http.ServeMux // the route table's routes only
	functions map[string]LambdaHandler
	webDir    string
	seq       atomic.Int64
	// Headers are set on every response, overriding the function's or the
	// file server's, as CloudFront's response headers policy does for the
	// UI and /api/* alike. New sets routes.SiteHeaders(""); the local stack
	// sets them with its VirtFusion URL.
	Headers map[string]string
}

// New returns a Runner serving the given functions (name → Lambda handler)
// and, for paths outside /api, the static files in webDir ("" for none).
// Every route in the table must have its function present, and so must the
// $default route's (routes.DefaultRouteFunction).
func New(functions map[string]LambdaHandler, webDir string) (*Runner, error) {
	rn := &Runner{api: http.NewServeMux(), functions: functions, webDir: webDir, Headers: routes.SiteHeaders("")}
	for _, rt := range routes.Table {
		fn, ok := functions[rt.Function]
		if !ok {
			return nil, fmt.Errorf("localrun: no function %q for route %s", rt.Function, rt.Pattern())
		}
		rt := rt
		rn.api.Handle(rt.Pattern(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rn.invoke(w, r, rt, fn)
		}))
	}
	if _, ok := functions[routes.DefaultRouteFunction]; !ok {
		return nil, fmt.Errorf("localrun: no function %q for the $default route", routes.DefaultRouteFunction)
	}
	return rn, nil
}

// defaultRoute stands for API Gateway's $default route.
var defaultRoute = routes.Route{Function: routes.DefaultRouteFunction}

// ServeHTTP implements http.Handler. Like CloudFront, it sends /api/* to
// the API and everything else to the UI. Like API Gateway, it refuses bodies
// over routes.MaxPayloadBytes with 413 while reading them, never holding
// more than the limit, and gives any /api request no route matches (an
// unknown path or method, an unclean path such as /api//x) to the $default
// route's function. Like CloudFront, it gzips compressible answers.
func (rn *Runner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w, done := maybeGzip(w, r)
	defer done()
	w = &headerWriter{ResponseWriter: w, headers: rn.Headers}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/api/") {
		rn.serveWeb(w, r)
		return
	}
	if r.ContentLength > routes.MaxPayloadBytes {
		tooLarge(w)
		return
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, routes.MaxPayloadBytes)
	}
	// ServeMux would redirect an unclean path; API Gateway matches no route.
	if path.Clean(p) == p {
		if _, pattern := rn.api.Handler(r); pattern != "" {
			rn.api.ServeHTTP(w, r)
			return
		}
	}
	rn.invoke(w, r, defaultRoute, rn.functions[routes.DefaultRouteFunction])
}

// tooLarge is API Gateway's own answer to a payload over its limit.
func tooLarge(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Connection", "close")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	io.WriteString(w, `{"message":"Request Entity Too Large"}`)
}

// headerWriter sets the site headers just before the status goes out, so
// they win over whatever the handler set.
type headerWriter struct {
	http.ResponseWriter
	headers map[string]string
	wrote   bool
}

// WriteHeader sets the site headers, then writes the status.
func (w *headerWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		for k, v := range w.headers {
			w.Header().Set(k, v)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write writes an implicit 200 (with the site headers) before the first bytes.
func (w *headerWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *headerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (rn *Runner) invoke(w http.ResponseWriter, r *http.Request, rt routes.Route, fn LambdaHandler) {
	ev, err := rn.Event(r, rt)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			tooLarge(w)
			return
		}
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

// Event builds the payload 2.0 event API Gateway sends for r matched to rt;
// a route without a method stands for the $default route.
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
	routeKey := rt.Method + " " + rt.APIGatewayPath()
	if rt.Method == "" {
		routeKey = "$default"
	}
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              routeKey,
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		PathParameters:        params,
		QueryStringParameters: queryParams(r),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     routeKey,
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
