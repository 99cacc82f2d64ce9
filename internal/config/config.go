// Package config reads vfpanel's configuration from environment variables
// (and, in AWS, secrets from Secrets Manager) and validates all of it at once.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Config is every setting any function needs. Each function checks the
// sections it uses with Need.
type Config struct {
	Stage   string // VFP_STAGE: local, dev or prod
	Version string // VFP_VERSION

	TableName      string // TABLE_NAME
	DynamoEndpoint string // DYNAMODB_ENDPOINT (DynamoDB Local); empty in AWS
	Region         string // AWS_REGION
	PublicURL      string // PUBLIC_URL: where the UI and /api are served

	VirtFusionURL          string // VIRTFUSION_PANEL_URL: panel root, API under /api/v1
	VirtFusionToken        string // secret virtfusion.apiToken / VIRTFUSION_API_TOKEN
	VirtFusionWebhookToken string // secret virtfusion.webhookToken / VIRTFUSION_WEBHOOK_TOKEN

	Auth0Domain       string // AUTH0_DOMAIN: tenant host, or a full URL for a local issuer
	Auth0ClientID     string // AUTH0_CLIENT_ID
	Auth0ClientSecret string // secret auth0.clientSecret / AUTH0_CLIENT_SECRET
	Auth0Audience     string // AUTH0_AUDIENCE: the API identifier
	Auth0Connection   string // AUTH0_CONNECTION: database connection (realm)
	Auth0RolesClaim   string // AUTH0_ROLES_CLAIM: namespaced claim holding roles
	AdminEmails       []string
	// StaffRequireMFA (STAFF_REQUIRE_MFA=true): admins must have signed in
	// with a second factor to use admin routes.
	StaffRequireMFA bool

	SessionKey string // secret session.key / SESSION_KEY: signs OAuth state

	// OriginKey is what CloudFront sends in X-Origin-Verify (secret
	// origin.originKey / ORIGIN_VERIFY_KEY). Empty, as locally, turns the
	// check off.
	OriginKey string

	PayPalMode         string   // PAYPAL_MODE: sandbox or live
	PayPalAPIURL       string   // PAYPAL_API_URL: overrides the mode's base URL
	PayPalClientID     string   // secret paypal.clientId / PAYPAL_CLIENT_ID
	PayPalClientSecret string   // secret paypal.clientSecret / PAYPAL_CLIENT_SECRET
	PayPalWebhookID    string   // PAYPAL_WEBHOOK_ID
	PayPalCertHosts    []string // PAYPAL_CERT_HOSTS: hosts trusted to serve webhook certs

	Currency         string // CURRENCY (ISO 4217), default USD
	TopupMinMinor    int64  // TOPUP_MIN in minor units, default 500
	TopupMaxMinor    int64  // TOPUP_MAX in minor units, default 100000
	OrderPrepayHours int    // ORDER_PREPAY_HOURS: balance an order must cover, default 24
	// Dunning: how long servers stay suspended before the final warning,
	// and how long after it they are deleted.
	DunningGraceDays   int // DUNNING_GRACE_DAYS, default 7
	DunningNoticeHours int // DUNNING_FINAL_NOTICE_HOURS, default 48

	// Mail and staff notifications. In AWS all of these come from the
	// secrets smtp.{host,port,tls,user,password,from} and discord.webhookUrl.
	SMTPHost          string // SMTP_HOST
	SMTPPort          int    // SMTP_PORT, default by TLS mode: 25 none, 587 starttls, 465 tls
	SMTPTLS           string // SMTP_TLS: none, starttls (default) or tls
	SMTPUser          string // SMTP_USER; empty: no authentication
	SMTPPassword      string // SMTP_PASSWORD
	MailFrom          string // MAIL_FROM: "Name <addr>" or a plain address
	DiscordWebhookURL string // DISCORD_WEBHOOK_URL: staff events; empty: not posted

	// BetterStack (secret betterstack.*): heartbeat URLs pinged after each
	// successful billing run and notify batch, and the key that lets an
	// uptime monitor read /api/health?deep=1. Empty: not used.
	BillingHeartbeatURL string // BILLING_HEARTBEAT_URL / betterstack.billingHeartbeatUrl
	NotifyHeartbeatURL  string // NOTIFY_HEARTBEAT_URL / betterstack.notifyHeartbeatUrl
	HealthKey           string // HEALTH_KEY / betterstack.healthKey
	StatusPageURL       string // STATUS_PAGE_URL: public BetterStack status page linked in the UI footer

	// Google Gemini, for staff's AI-drafted ticket replies (issue 15). An
	// empty key turns drafting off (the button says so).
	GeminiAPIKey string // secret gemini.apiKey / GEMINI_API_KEY
	GeminiModel  string // GEMINI_MODEL, default gemini-2.5-flash
	GeminiAPIURL string // GEMINI_API_URL, default https://generativelanguage.googleapis.com

	CompanyName    string // COMPANY_NAME, shown in mail, default vfpanel
	CompanyLogoURL string // COMPANY_LOGO_URL: absolute URL of a logo for mail; empty: name only
	CompanyColor   string // COMPANY_COLOR: #rrggbb accent of mail and embeds, default #2563eb
}

// Issuer is the Auth0 issuer URL, with the trailing slash Auth0 uses in iss.
func (c Config) Issuer() string {
	d := strings.TrimSuffix(c.Auth0Domain, "/")
	if !strings.Contains(d, "://") {
		d = "https://" + d
	}
	return d + "/"
}

// CookieSecure reports whether cookies must be Secure (everywhere but plain-http local).
func (c Config) CookieSecure() bool { return !strings.HasPrefix(c.PublicURL, "http://") }

// InLambda reports whether the process runs in AWS Lambda.
func InLambda() bool { return os.Getenv("AWS_LAMBDA_FUNCTION_NAME") != "" }

// PayPalCertHostsDefault are PayPal's hosts that serve webhook certificates.
var PayPalCertHostsDefault = []string{"api.paypal.com", "api-m.paypal.com", "api.sandbox.paypal.com", "api-m.sandbox.paypal.com"}

// SecretSource returns the key/value pairs of a named secret ("virtfusion",
// "auth0", "paypal", "session", "origin", "smtp", "discord", "betterstack", "gemini"), or nil when that secret is not configured.
type SecretSource func(name string) (map[string]string, error)

// Load reads the configuration through getenv and, for values not in the
// environment, from secrets. Every invalid value is reported at once.
func Load(getenv func(string) string, secrets SecretSource) (Config, error) {
	var problems []string
	bad := func(name, why string) { problems = append(problems, name+": "+why) }
	str := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	intVar := func(name string, def int64) int64 {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			bad(name, "want a whole number ≥ 0, got "+strconv.Quote(v))
		}
		return n
	}
	money := func(name string, def int64) int64 {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := ParseMoney(v)
		if err != nil {
			bad(name, err.Error())
		}
		return n
	}
	list := func(name string, def []string) []string {
		v := getenv(name)
		if v == "" {
			return def
		}
		var out []string
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, strings.ToLower(s))
			}
		}
		return out
	}

	boolean := func(name string) bool {
		switch strings.ToLower(getenv(name)) {
		case "", "false", "0":
			return false
		case "true", "1":
			return true
		}
		bad(name, "use true or false")
		return false
	}

	c := Config{
		Stage:                  str("VFP_STAGE", "local"),
		Version:                str("VFP_VERSION", "dev"),
		TableName:              str("TABLE_NAME", ""),
		DynamoEndpoint:         str("DYNAMODB_ENDPOINT", ""),
		Region:                 str("AWS_REGION", "us-east-1"),
		PublicURL:              strings.TrimSuffix(str("PUBLIC_URL", "http://localhost:8080"), "/"),
		VirtFusionURL:          strings.TrimSuffix(str("VIRTFUSION_PANEL_URL", ""), "/"),
		Auth0Domain:            str("AUTH0_DOMAIN", ""),
		Auth0ClientID:          str("AUTH0_CLIENT_ID", ""),
		Auth0Audience:          str("AUTH0_AUDIENCE", ""),
		Auth0Connection:        str("AUTH0_CONNECTION", "Username-Password-Authentication"),
		Auth0RolesClaim:        str("AUTH0_ROLES_CLAIM", "https://vfpanel.app/roles"),
		AdminEmails:            list("ADMIN_EMAILS", nil),
		StaffRequireMFA:        boolean("STAFF_REQUIRE_MFA"),
		PayPalMode:             str("PAYPAL_MODE", "sandbox"),
		PayPalAPIURL:           strings.TrimSuffix(str("PAYPAL_API_URL", ""), "/"),
		PayPalWebhookID:        str("PAYPAL_WEBHOOK_ID", ""),
		PayPalCertHosts:        list("PAYPAL_CERT_HOSTS", PayPalCertHostsDefault),
		Currency:               strings.ToUpper(str("CURRENCY", "USD")),
		TopupMinMinor:          money("TOPUP_MIN", 500),
		TopupMaxMinor:          money("TOPUP_MAX", 100000),
		OrderPrepayHours:       int(intVar("ORDER_PREPAY_HOURS", 24)),
		DunningGraceDays:       int(intVar("DUNNING_GRACE_DAYS", 7)),
		DunningNoticeHours:     int(intVar("DUNNING_FINAL_NOTICE_HOURS", 48)),
		VirtFusionToken:        getenv("VIRTFUSION_API_TOKEN"),
		VirtFusionWebhookToken: getenv("VIRTFUSION_WEBHOOK_TOKEN"),
		Auth0ClientSecret:      getenv("AUTH0_CLIENT_SECRET"),
		SessionKey:             getenv("SESSION_KEY"),
		OriginKey:              getenv("ORIGIN_VERIFY_KEY"),
		PayPalClientID:         getenv("PAYPAL_CLIENT_ID"),
		PayPalClientSecret:     getenv("PAYPAL_CLIENT_SECRET"),
		SMTPHost:               getenv("SMTP_HOST"),
		SMTPTLS:                strings.ToLower(getenv("SMTP_TLS")),
		SMTPUser:               getenv("SMTP_USER"),
		SMTPPassword:           getenv("SMTP_PASSWORD"),
		MailFrom:               getenv("MAIL_FROM"),
		DiscordWebhookURL:      getenv("DISCORD_WEBHOOK_URL"),
		BillingHeartbeatURL:    getenv("BILLING_HEARTBEAT_URL"),
		NotifyHeartbeatURL:     getenv("NOTIFY_HEARTBEAT_URL"),
		HealthKey:              getenv("HEALTH_KEY"),
		StatusPageURL:          str("STATUS_PAGE_URL", ""),
		GeminiAPIKey:           getenv("GEMINI_API_KEY"),
		GeminiModel:            str("GEMINI_MODEL", "gemini-2.5-flash"),
		GeminiAPIURL:           strings.TrimSuffix(str("GEMINI_API_URL", "https://generativelanguage.googleapis.com"), "/"),
		CompanyName:            str("COMPANY_NAME", "vfpanel"),
		CompanyLogoURL:         str("COMPANY_LOGO_URL", ""),
		CompanyColor:           strings.ToLower(str("COMPANY_COLOR", "#2563eb")),
	}
	smtpPort := getenv("SMTP_PORT")

	if secrets != nil {
		fill := func(secret, key string, dst *string) {
			if *dst != "" {
				return
			}
			vals, err := secrets(secret)
			if err != nil {
				bad("secret "+secret, err.Error())
				return
			}
			*dst = vals[key]
		}
		fill("virtfusion", "apiToken", &c.VirtFusionToken)
		fill("virtfusion", "webhookToken", &c.VirtFusionWebhookToken)
		fill("auth0", "clientSecret", &c.Auth0ClientSecret)
		fill("session", "key", &c.SessionKey)
		fill("origin", "originKey", &c.OriginKey)
		fill("paypal", "clientId", &c.PayPalClientID)
		fill("paypal", "clientSecret", &c.PayPalClientSecret)
		fill("smtp", "host", &c.SMTPHost)
		fill("smtp", "port", &smtpPort)
		fill("smtp", "tls", &c.SMTPTLS)
		fill("smtp", "user", &c.SMTPUser)
		fill("smtp", "password", &c.SMTPPassword)
		fill("smtp", "from", &c.MailFrom)
		fill("discord", "webhookUrl", &c.DiscordWebhookURL)
		fill("betterstack", "billingHeartbeatUrl", &c.BillingHeartbeatURL)
		fill("betterstack", "notifyHeartbeatUrl", &c.NotifyHeartbeatURL)
		fill("betterstack", "healthKey", &c.HealthKey)
		fill("gemini", "apiKey", &c.GeminiAPIKey)
	}
	c.SMTPTLS = strings.ToLower(strings.TrimSpace(c.SMTPTLS))
	if c.SMTPTLS == "" {
		c.SMTPTLS = "starttls"
	}
	switch c.SMTPTLS {
	case "none":
		c.SMTPPort = 25
	case "starttls":
		c.SMTPPort = 587
	case "tls":
		c.SMTPPort = 465
	default:
		bad("SMTP_TLS", "want none, starttls or tls, got "+strconv.Quote(c.SMTPTLS))
	}
	if smtpPort != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(smtpPort)); err == nil && n > 0 && n < 65536 {
			c.SMTPPort = n
		} else {
			bad("SMTP_PORT", "want a port number, got "+strconv.Quote(smtpPort))
		}
	}
	if c.MailFrom != "" {
		if _, err := mail.ParseAddress(c.MailFrom); err != nil {
			bad("MAIL_FROM", "want an address like \"Example <billing@example.com>\", got "+strconv.Quote(c.MailFrom))
		}
	}
	if len(c.CompanyColor) != 7 || c.CompanyColor[0] != '#' || strings.Trim(c.CompanyColor[1:], "0123456789abcdef") != "" {
		bad("COMPANY_COLOR", "want a colour like #2563eb, got "+strconv.Quote(c.CompanyColor))
	}

	if !slices.Contains([]string{"local", "dev", "prod"}, c.Stage) {
		bad("VFP_STAGE", "want local, dev or prod, got "+strconv.Quote(c.Stage))
	}
	if c.PayPalMode != "sandbox" && c.PayPalMode != "live" {
		bad("PAYPAL_MODE", "want sandbox or live, got "+strconv.Quote(c.PayPalMode))
	}
	if c.PayPalAPIURL == "" {
		c.PayPalAPIURL = "https://api-m.sandbox.paypal.com"
		if c.PayPalMode == "live" {
			c.PayPalAPIURL = "https://api-m.paypal.com"
		}
	}
	for name, v := range map[string]string{"PUBLIC_URL": c.PublicURL, "VIRTFUSION_PANEL_URL": c.VirtFusionURL,
		"PAYPAL_API_URL": c.PayPalAPIURL, "DYNAMODB_ENDPOINT": c.DynamoEndpoint,
		"DISCORD_WEBHOOK_URL": c.DiscordWebhookURL, "COMPANY_LOGO_URL": c.CompanyLogoURL,
		"BILLING_HEARTBEAT_URL": c.BillingHeartbeatURL, "NOTIFY_HEARTBEAT_URL": c.NotifyHeartbeatURL,
		"STATUS_PAGE_URL": c.StatusPageURL, "GEMINI_API_URL": c.GeminiAPIURL} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(name, "want an http(s) URL, got "+strconv.Quote(v))
		}
	}
	if len(c.Currency) != 3 {
		bad("CURRENCY", "want a 3-letter ISO 4217 code, got "+strconv.Quote(c.Currency))
	}
	if c.TopupMinMinor > c.TopupMaxMinor {
		bad("TOPUP_MIN", "is above TOPUP_MAX")
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return c, errors.New("config: " + strings.Join(problems, "; "))
	}
	return c, nil
}

// Sections a function may need; Need reports each missing variable.
const (
	NeedTable      = "table"
	NeedVirtFusion = "virtfusion"
	NeedAuth0      = "auth0"        // sign-in: everything, secrets included
	NeedAuth0Token = "auth0-tokens" // checking sessions and Bearer tokens only
	NeedPayPal     = "paypal"
	NeedMail       = "mail" // SMTP settings and the sender address
)

// Need checks that every setting the named sections require is present and
// reports all missing ones at once.
func (c Config) Need(sections ...string) error {
	var missing, weak []string
	req := func(name, v string) {
		if v == "" {
			missing = append(missing, name)
		}
	}
	for _, s := range sections {
		switch s {
		case NeedTable:
			req("TABLE_NAME", c.TableName)
		case NeedVirtFusion:
			req("VIRTFUSION_PANEL_URL", c.VirtFusionURL)
			req("VIRTFUSION_API_TOKEN (or secret virtfusion.apiToken)", c.VirtFusionToken)
		case NeedAuth0:
			req("AUTH0_DOMAIN", c.Auth0Domain)
			req("AUTH0_CLIENT_ID", c.Auth0ClientID)
			req("AUTH0_CLIENT_SECRET (or secret auth0.clientSecret)", c.Auth0ClientSecret)
			req("AUTH0_AUDIENCE", c.Auth0Audience)
			req("SESSION_KEY (or secret session.key)", c.SessionKey)
			// The key seals the OAuth state cookie: outside local runs it
			// must be long enough not to be guessed (the stack generates 64).
			if c.SessionKey != "" && c.Stage != "local" && len(c.SessionKey) < minSessionKey {
				weak = append(weak, fmt.Sprintf("SESSION_KEY is too short (use at least %d random characters)", minSessionKey))
			}
		case NeedAuth0Token:
			req("AUTH0_DOMAIN", c.Auth0Domain)
			req("AUTH0_CLIENT_ID", c.Auth0ClientID)
			req("AUTH0_AUDIENCE", c.Auth0Audience)
		case NeedPayPal:
			req("PAYPAL_CLIENT_ID (or secret paypal.clientId)", c.PayPalClientID)
			req("PAYPAL_CLIENT_SECRET (or secret paypal.clientSecret)", c.PayPalClientSecret)
			req("PAYPAL_WEBHOOK_ID", c.PayPalWebhookID)
		case NeedMail:
			req("SMTP_HOST (or secret smtp.host)", c.SMTPHost)
			req("MAIL_FROM (or secret smtp.from)", c.MailFrom)
			if c.SMTPUser != "" {
				req("SMTP_PASSWORD (or secret smtp.password)", c.SMTPPassword)
			}
		default:
			panic("config: unknown section " + s)
		}
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "missing "+strings.Join(missing, ", "))
	}
	if problems = append(problems, weak...); len(problems) > 0 {
		return errors.New("config: " + strings.Join(problems, "; "))
	}
	return nil
}

// minSessionKey is the shortest SESSION_KEY accepted outside local runs.
const minSessionKey = 32

// MaxMoneyWhole bounds the whole units ParseMoney accepts, far above any
// amount billing allows and far below an int64's overflow.
const MaxMoneyWhole = 1_000_000_000_000

// ParseMoney parses a decimal amount such as "25", "25.5" or "25.00" into
// minor units (cents): ASCII digits, at most two decimals. A sign, a
// negative amount, an exponent or more than MaxMoneyWhole is refused.
func ParseMoney(s string) (int64, error) {
	s = strings.TrimSpace(s)
	whole, frac, hasDot := strings.Cut(s, ".")
	if !allDigits(whole) || (hasDot && (!allDigits(frac) || len(frac) > 2)) {
		return 0, fmt.Errorf("want an amount like 25.00, got %q", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w > MaxMoneyWhole {
		return 0, fmt.Errorf("want an amount like 25.00 (at most %d), got %q", MaxMoneyWhole, s)
	}
	return w*100 + f, nil
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// FormatMoney formats minor units as a decimal string with two places.
func FormatMoney(minor int64) string {
	sign, u := "", uint64(minor)
	if minor < 0 {
		sign, u = "-", -u // two's complement: right for math.MinInt64 too
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}
