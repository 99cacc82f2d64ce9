package routes

import (
	"net/url"
	"strconv"
	"strings"
)

// DefaultRouteFunction serves API Gateway's $default route: every /api
// request no route in Table matches (unknown paths, unlisted methods,
// unclean paths such as /api//x). Its handler answers them with vfpanel's
// JSON 404, not API Gateway's bare {"message":"Not Found"}.
const DefaultRouteFunction = "health"

// MaxPayloadBytes is API Gateway's (HTTP API) request payload limit; the
// local runner refuses larger bodies with 413 as it does.
const MaxPayloadBytes = 10 << 20

// MaxHeaderBytes is API Gateway's (HTTP API) limit on the request line and
// headers together; the local runner's server refuses more.
const MaxHeaderBytes = 10240

// The security headers CloudFront's response headers policy adds to (and
// overrides on) every response of the site, the UI and /api/* alike. The
// CDK stack builds the policy from these and the local runner sends them, so
// the two cannot differ.
const (
	HSTSMaxAgeSeconds  = 365 * 24 * 60 * 60
	ContentTypeOptions = "nosniff"
	FrameOptions       = "DENY"
	ReferrerPolicy     = "strict-origin-when-cross-origin"
)

// StrictTransportSecurity is the Strict-Transport-Security value.
func StrictTransportSecurity() string {
	return "max-age=" + strconv.Itoa(HSTSMaxAgeSeconds) + "; includeSubDomains"
}

// ContentSecurityPolicy allows the app itself, PayPal's JS SDK (PayPal's
// published CSP list: https://developer.paypal.com/sdk/js/best-practices),
// and the VirtFusion panel: its OS icons and, over wss:// only, the VNC
// console's websocket. A plain-http VirtFusion URL is allowed only on a
// loopback host, which only the local runner's simulator has. Forms may post
// only to the site itself: the UI sends every form with fetch, and sign-in
// with Auth0 and PayPal's checkout are navigations and pop-ups, not form
// posts.
func ContentSecurityPolicy(virtFusionURL string) string {
	paypal := "https://*.paypal.com https://*.paypalobjects.com"
	vfImg, vfConnect := "", ""
	if u, err := url.Parse(virtFusionURL); err == nil && u.Host != "" {
		switch {
		case u.Scheme == "https":
			vfImg = " https://" + u.Host
			vfConnect = vfImg + " wss://" + u.Host
		case u.Scheme == "http" && isLoopback(u.Hostname()):
			vfImg = " http://" + u.Host
			vfConnect = vfImg + " ws://" + u.Host
		}
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self' " + paypal,
		"style-src 'self' 'unsafe-inline'", // PayPal's buttons inject inline styles
		"img-src 'self' data: " + paypal + vfImg,
		"font-src 'self' data:",
		"connect-src 'self' " + paypal + vfConnect,
		"frame-src " + paypal,
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

// SiteHeaders are the headers CloudFront sets on every response, by name.
func SiteHeaders(virtFusionURL string) map[string]string {
	return map[string]string{
		"Strict-Transport-Security": StrictTransportSecurity(),
		"X-Content-Type-Options":    ContentTypeOptions,
		"X-Frame-Options":           FrameOptions,
		"Referrer-Policy":           ReferrerPolicy,
		"Content-Security-Policy":   ContentSecurityPolicy(virtFusionURL),
	}
}
