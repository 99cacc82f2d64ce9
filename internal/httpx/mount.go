package httpx

import (
	"fmt"
	"net/http"
	"path"
	"sort"
	"strings"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// Handlers maps a route pattern ("GET /api/servers/{id}") to its handler.
type Handlers map[string]http.Handler

// Merge returns the union of several handler maps; a pattern served twice
// is an error, caught by Mount's caller at start-up.
func Merge(maps ...Handlers) Handlers {
	out := Handlers{}
	for _, m := range maps {
		for k, v := range m {
			if _, dup := out[k]; dup {
				panic("httpx: pattern served twice: " + k)
			}
			out[k] = v
		}
	}
	return out
}

// Authenticator identifies the caller of a request. It returns an
// EUNAUTHORIZED error when there is no valid caller, and ECSRF when a
// cookie-authenticated state-changing request lacks its CSRF token.
type Authenticator interface {
	Authenticate(r *http.Request) (*panel.Principal, error)
}

// Mount builds the http.Handler for one function: exactly the routes the
// table gives that function, each behind the auth its table entry declares,
// all behind Wrap, with no origin check (Site.Mount adds it). It fails if
// the handlers and the table disagree.
func Mount(function string, hs Handlers, auth Authenticator) (http.Handler, error) {
	return Site{}.Mount(function, hs, auth)
}

// Mount is the package's Mount for this site: when s has an origin key,
// requests without it are refused before routing or auth.
func (s Site) Mount(function string, hs Handlers, auth Authenticator) (http.Handler, error) {
	if err := Check(function, hs); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	for _, rt := range routes.ForFunction(function) {
		h := hs[rt.Pattern()]
		if rt.Auth != routes.Public {
			if auth == nil {
				return nil, fmt.Errorf("httpx: function %s: route %s needs an authenticator", function, rt.Pattern())
			}
			h = RequireAuth(auth, rt.Auth == routes.Admin, h)
		}
		mux.Handle(rt.Pattern(), checkPathIDs(rt, h))
	}
	notFound := HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		return panel.NotFound("route")
	})
	mux.Handle("/", notFound)
	wrapped := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Direct calls to the execute-api endpoint would skip CloudFront's
		// headers and could forge X-Forwarded-For.
		if !fromSite(r) {
			WriteError(w, r, panel.Errorf(panel.EFORBIDDEN, "Requests must come through the site."))
			return
		}
		// ServeMux would answer an unclean path ("/api//x", "/api/./x") with
		// an HTML redirect; an API answers JSON, and no client needs those.
		if p := r.URL.Path; p != "/" && path.Clean(p) != strings.TrimSuffix(p, "/") {
			notFound.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	// The check's result rides in the context, so Wrap's access log and
	// ClientIP in handlers know whether X-Forwarded-For can be trusted.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wrapped.ServeHTTP(w, s.checkOrigin(r))
	}), nil
}

// MaxPathIDBytes bounds every path wildcard ({id}, {taskId}, {orderId}):
// our ids, VirtFusion's and PayPal's are all far shorter.
const MaxPathIDBytes = 128

// PathIDProblem reports why a path wildcard's value cannot be an id, or "":
// 1 to MaxPathIDBytes of ASCII letters, digits, '-', '_', '.', ':' and '~'.
// Checking here, once, keeps over-long or odd values from ever reaching
// DynamoDB or an outside service as a key.
func PathIDProblem(v string) string {
	if v == "" || len(v) > MaxPathIDBytes {
		return fmt.Sprintf("Use an id of 1 to %d characters.", MaxPathIDBytes)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.:~", c) >= 0) {
			return "This is not a valid id."
		}
	}
	return ""
}

// checkPathIDs refuses a request whose path wildcards are not ids (see
// PathIDProblem) with 400, before auth or the handler run.
func checkPathIDs(rt routes.Route, next http.Handler) http.Handler {
	var names []string
	for _, seg := range strings.Split(rt.Path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			names = append(names, strings.TrimSuffix(strings.Trim(seg, "{}"), "..."))
		}
	}
	if len(names) == 0 {
		return next
	}
	return HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		bad := map[string]string{}
		for _, n := range names {
			if p := PathIDProblem(r.PathValue(n)); p != "" {
				bad[n] = p
			}
		}
		if len(bad) > 0 {
			return panel.Invalid(bad)
		}
		next.ServeHTTP(w, r)
		return nil
	})
}

// Check reports every route the table gives function that hs lacks, and
// every pattern in hs that the table does not give function.
func Check(function string, hs Handlers) error {
	want := map[string]bool{}
	for _, rt := range routes.ForFunction(function) {
		want[rt.Pattern()] = true
	}
	var problems []string
	for p := range want {
		if hs[p] == nil {
			problems = append(problems, "not served: "+p)
		}
	}
	for p := range hs {
		if !want[p] {
			problems = append(problems, "not in the route table: "+p)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	return fmt.Errorf("httpx: function %s disagrees with the route table: %s", function, strings.Join(problems, "; "))
}

// RequireAuth lets a request through only with a valid caller (and, when
// admin is true, only an admin), storing the caller in the context.
func RequireAuth(auth Authenticator, admin bool, next http.Handler) http.Handler {
	return HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		p, err := auth.Authenticate(r)
		if err != nil {
			return err
		}
		if admin && !p.IsAdmin() {
			return panel.Errorf(panel.EFORBIDDEN, "This needs an administrator.")
		}
		if admin && p.StaffNeedsMFA {
			return panel.Errorf(panel.EMFASTAFF, "Staff must sign in with two-factor authentication to use admin pages. Set it up under Account → Security, then sign in again.")
		}
		next.ServeHTTP(w, r.WithContext(panel.WithPrincipal(r.Context(), p)))
		return nil
	})
}
