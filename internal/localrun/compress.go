package localrun

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// CloudFront compresses (its "compress objects automatically") when the
// viewer accepts it, the type is compressible, the body is 1,000 bytes to
// 10 MB long, and the request asks for no range. The runner does the same
// with gzip, so local timings see the bytes a browser gets in AWS.
const minCompressBytes = 1000

// compressible are the content types CloudFront compresses that the panel
// serves.
var compressible = map[string]bool{
	"text/html": true, "text/css": true, "text/plain": true, "text/javascript": true, "application/javascript": true,
	"application/json": true, "image/svg+xml": true, "application/manifest+json": true, "font/ttf": true,
	"application/xml": true, "text/xml": true,
}

// gzipWriter compresses the response when, at WriteHeader, it qualifies.
type gzipWriter struct {
	http.ResponseWriter
	gz      *gzip.Writer
	decided bool
}

// maybeGzip wraps w when the request accepts gzip and asks for no range or
// upgrade; call the returned close when the handler is done.
func maybeGzip(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, func()) {
	if !acceptsGzip(r.Header.Get("Accept-Encoding")) || r.Header.Get("Range") != "" || r.Header.Get("Upgrade") != "" {
		return w, func() {}
	}
	gw := &gzipWriter{ResponseWriter: w}
	return gw, func() {
		if gw.gz != nil {
			_ = gw.gz.Close()
		}
	}
}

func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// WriteHeader decides on compression from the final headers.
func (w *gzipWriter) WriteHeader(code int) {
	if !w.decided {
		w.decided = true
		h := w.Header()
		h.Add("Vary", "Accept-Encoding")
		ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if code >= 200 && code != http.StatusNoContent && code != http.StatusNotModified && code != http.StatusPartialContent &&
			compressible[ct] && h.Get("Content-Encoding") == "" && (err != nil || n >= minCompressBytes) {
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			w.gz, _ = gzip.NewWriterLevel(w.ResponseWriter, gzip.DefaultCompression)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write compresses when WriteHeader chose to.
func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.decided {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.gz != nil {
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
