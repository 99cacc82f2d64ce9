package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// HandlerFunc is a handler that returns its error instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ServeHTTP sends any returned error to WriteError, so no handler forgets.
func (f HandlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := f(w, r); err != nil {
		WriteError(w, r, err)
	}
}

// Validator is implemented by request types; it returns problems by field.
type Validator interface {
	Valid() map[string]string
}

// Decode reads a JSON body into T, rejecting unknown fields and trailing
// data, then validates it if T implements Validator.
func Decode[T any](r *http.Request) (T, error) {
	var v T
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return v, &panel.Error{Code: panel.ETOOLARGE, Message: "The request body is too large."}
		case errors.Is(err, io.EOF):
			return v, panel.Errorf(panel.EINVALID, "The request body is empty; send a JSON object.")
		default:
			return v, &panel.Error{Code: panel.EINVALID, Message: "The request body is not valid JSON: " + err.Error()}
		}
	}
	if dec.More() {
		return v, panel.Errorf(panel.EINVALID, "The request body has data after the JSON object.")
	}
	if val, ok := any(&v).(Validator); ok {
		if problems := val.Valid(); len(problems) > 0 {
			return v, panel.Invalid(problems)
		}
	}
	return v, nil
}

// Encode writes v as JSON with the given status.
func Encode(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v == nil {
		return nil
	}
	return json.NewEncoder(w).Encode(v)
}

// NoContent writes 204. The API Gateway adapter needs an explicit status.
func NoContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}
