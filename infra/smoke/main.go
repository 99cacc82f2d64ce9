// Command smoke checks a deployed vfpanel from outside in a minute: health,
// catalogue, security headers, JSON 404, the API endpoint's refusal of
// requests that did not come through CloudFront, and optionally a sign-up.
// Usage: go run ./infra/smoke -url https://panel.example.com [-api https://….execute-api….amazonaws.com]
// [-signup-email you+smoke@example.com] (the password comes from SMOKE_PASSWORD). Exit status 1 on any failure.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/vfpanel/vfpanel/internal/smoke"
)

func main() {
	site := flag.String("url", "", "the site URL (SiteUrl output or your domain)")
	api := flag.String("api", "", "the API's own URL (ApiUrl output); checks it refuses requests without the origin key")
	email := flag.String("signup-email", "", "register this address in the real Auth0 tenant (only where that is allowed)")
	flag.Parse()
	if *site == "" {
		fmt.Fprintln(os.Stderr, "smoke: -url is required")
		os.Exit(2)
	}
	failed := 0
	for _, r := range smoke.Run(context.Background(), smoke.Options{SiteURL: *site, APIURL: *api,
		SignupEmail: *email, SignupPassword: os.Getenv("SMOKE_PASSWORD")}) {
		switch {
		case r.Skipped:
			fmt.Printf("SKIP  %-24s %s\n", r.Name, r.Detail)
		case r.OK:
			fmt.Printf("ok    %s\n", r.Name)
		default:
			failed++
			fmt.Printf("FAIL  %-24s %s\n", r.Name, r.Detail)
		}
	}
	if failed > 0 {
		os.Exit(1)
	}
}
