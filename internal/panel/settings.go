package panel

import (
	"context"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Settings are what administrators change at run time without a deploy.
// Deploy-time configuration supplies the values until the first save.
// The maintenance banner is the status message (StatusStore), shown in the
// signed-in shell and on the status page, so it is not repeated here.
type Settings struct {
	CompanyName   string `json:"companyName"`
	LogoURL       string `json:"logoUrl"`
	PrimaryColor  string `json:"primaryColor"` // #rrggbb
	AccentColor   string `json:"accentColor"`  // #rrggbb
	SupportEmail  string `json:"supportEmail"`
	PostalAddress string `json:"postalAddress"`
	TaxID         string `json:"taxId"`
	// LegalName is the company's registered name, printed on invoices
	// (empty: CompanyName). SSOLabel names the single sign-on button
	// (empty: "single sign-on"). Issue 20, items 8 and 9.
	LegalName     string `json:"legalName,omitempty"`
	SSOLabel      string `json:"ssoLabel,omitempty"`
	TopupMinMinor int64  `json:"topupMinMinor"`
	TopupMaxMinor int64  `json:"topupMaxMinor"`
	PrepayHours   int    `json:"prepayHours"`
	// LowBalanceHours are the runways (hours of balance at the current
	// spend) customers are warned of, largest first; the first also marks
	// the balance "low".
	LowBalanceHours []int  `json:"lowBalanceHours"`
	GraceDays       int    `json:"graceDays"`
	Announcement    string `json:"announcement"`
	DiscordURL      string `json:"discordUrl"`
	GeminiModel     string `json:"geminiModel"`
	// Version counts saves; a save names the version it replaces.
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	UpdatedBy string    `json:"updatedBy,omitempty"`
}

// Bounds of settings.
const (
	MaxAnnouncement  = 500
	MaxSettingsText  = 200
	MaxPostalAddress = 500
	MaxTopupMinor    = 1_000_000_00
	MaxPrepayHours   = 24 * 31
	MaxGraceDays     = 90
)

var (
	hexColor    = lazyRegexp(`^#[0-9a-fA-F]{6}$`)
	geminiModel = lazyRegexp(`^[a-z0-9][a-z0-9.\-]{0,63}$`)
)

// Valid reports each bad field.
func (s Settings) Valid() map[string]string {
	bad := map[string]string{}
	text := func(field, v string, max int, required bool) {
		switch {
		case required && strings.TrimSpace(v) == "":
			bad[field] = "Required."
		case utf8.RuneCountInString(v) > max:
			bad[field] = "Too long."
		case strings.ContainsAny(v, "\x00\r") || (field != "postalAddress" && strings.Contains(v, "\n")):
			bad[field] = "Remove control characters."
		}
	}
	text("companyName", s.CompanyName, 100, true)
	text("taxId", s.TaxID, 50, false)
	text("legalName", s.LegalName, 150, false)
	text("ssoLabel", s.SSOLabel, 40, false)
	text("postalAddress", s.PostalAddress, MaxPostalAddress, false)
	if utf8.RuneCountInString(s.Announcement) > MaxAnnouncement {
		bad["announcement"] = "Keep it to 500 characters."
	}
	httpsURL := func(field, v string) {
		if v == "" {
			return
		}
		u, err := url.Parse(v)
		if err != nil || u.Scheme != "https" || u.Host == "" || len(v) > MaxSettingsText*2 {
			bad[field] = "Enter an https:// address."
		}
	}
	httpsURL("logoUrl", s.LogoURL)
	httpsURL("discordUrl", s.DiscordURL)
	if s.DiscordURL != "" && bad["discordUrl"] == "" {
		if u, _ := url.Parse(s.DiscordURL); u.Host != "discord.gg" && u.Host != "discord.com" {
			bad["discordUrl"] = "Enter a discord.gg or discord.com invite."
		}
	}
	for field, v := range map[string]string{"primaryColor": s.PrimaryColor, "accentColor": s.AccentColor} {
		if !hexColor().MatchString(v) {
			bad[field] = "Enter a colour like #2563eb."
		}
	}
	if s.SupportEmail != "" {
		if a, err := mail.ParseAddress(s.SupportEmail); err != nil || a.Address != s.SupportEmail {
			bad["supportEmail"] = "Enter an email address."
		}
	}
	switch {
	case s.TopupMinMinor < 1:
		bad["topupMinMinor"] = "Must be at least 0.01."
	case s.TopupMaxMinor > MaxTopupMinor:
		bad["topupMaxMinor"] = "Must be at most 1000000.00."
	case s.TopupMaxMinor < s.TopupMinMinor:
		bad["topupMaxMinor"] = "Must be at least the minimum."
	}
	if s.PrepayHours < 1 || s.PrepayHours > MaxPrepayHours {
		bad["prepayHours"] = "Between 1 and 744 hours."
	}
	if s.GraceDays < 0 || s.GraceDays > MaxGraceDays {
		bad["graceDays"] = "Between 0 and 90 days."
	}
	if n := len(s.LowBalanceHours); n < 1 || n > 3 {
		bad["lowBalanceHours"] = "Give one to three thresholds."
	} else {
		for i, h := range s.LowBalanceHours {
			if h < 1 || h > 24*60 || (i > 0 && h >= s.LowBalanceHours[i-1]) {
				bad["lowBalanceHours"] = "Hours between 1 and 1440, largest first."
				break
			}
		}
	}
	if !geminiModel().MatchString(s.GeminiModel) {
		bad["geminiModel"] = "Enter a model name like gemini-2.5-flash."
	}
	return bad
}

// PublicSettings is what every visitor may read: how the company presents
// itself and the announcement. Nothing here is secret.
type PublicSettings struct {
	CompanyName   string `json:"companyName"`
	LogoURL       string `json:"logoUrl"`
	PrimaryColor  string `json:"primaryColor"`
	AccentColor   string `json:"accentColor"`
	SupportEmail  string `json:"supportEmail"`
	PostalAddress string `json:"postalAddress"`
	TaxID         string `json:"taxId"`
	LegalName     string `json:"legalName,omitempty"`
	SSOLabel      string `json:"ssoLabel,omitempty"`
	Announcement  string `json:"announcement"`
	DiscordURL    string `json:"discordUrl"`
}

// Public is the part of s anyone may see.
func (s Settings) Public() PublicSettings {
	return PublicSettings{CompanyName: s.CompanyName, LogoURL: s.LogoURL, PrimaryColor: s.PrimaryColor,
		AccentColor: s.AccentColor, SupportEmail: s.SupportEmail, PostalAddress: s.PostalAddress, TaxID: s.TaxID,
		LegalName: s.LegalName, SSOLabel: s.SSOLabel, Announcement: s.Announcement, DiscordURL: s.DiscordURL}
}

// SettingsStore keeps the settings.
type SettingsStore interface {
	// Settings returns the saved settings; ENOTFOUND before the first save.
	Settings(ctx context.Context) (*Settings, error)
	// PutSettings saves s if the stored version is still s.Version-1 (0:
	// never saved); ECONFLICT when someone saved in between.
	PutSettings(ctx context.Context, s Settings) error
}

// SettingsSource gives the settings in force (cached briefly).
type SettingsSource interface {
	Current(ctx context.Context) Settings
}

// lazyRegexp compiles expr on first use, not at start-up: every function
// links this package, and few of them validate these fields.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
