package auth

import "regexp"

var (
	browsers = []struct {
		re   *regexp.Regexp
		name string
	}{
		{regexp.MustCompile(`Edg/`), "Edge"}, {regexp.MustCompile(`Firefox/`), "Firefox"},
		{regexp.MustCompile(`Chrome/`), "Chrome"}, {regexp.MustCompile(`Safari/`), "Safari"},
		{regexp.MustCompile(`(?i)curl`), "curl"},
	}
	systems = []struct {
		re   *regexp.Regexp
		name string
	}{
		{regexp.MustCompile(`Android`), "Android"}, {regexp.MustCompile(`iPhone|iPad`), "iOS"},
		{regexp.MustCompile(`Windows`), "Windows"}, {regexp.MustCompile(`Mac OS X`), "macOS"},
		{regexp.MustCompile(`Linux`), "Linux"},
	}
)

// deviceSummary turns a User-Agent into "Firefox on Linux" (no version,
// no location), as the sessions list in the UI does.
func deviceSummary(ua string) string {
	b, os := "A browser", ""
	for _, c := range browsers {
		if c.re.MatchString(ua) {
			b = c.name
			break
		}
	}
	for _, c := range systems {
		if c.re.MatchString(ua) {
			os = c.name
			break
		}
	}
	if os == "" {
		return b
	}
	return b + " on " + os
}
