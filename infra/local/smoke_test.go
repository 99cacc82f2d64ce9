package main

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/smoke"
)

// TestSmokeAgainstLocalStack: the deploy smoke checks pass against the
// local stack (which answers like the deployed one), sign-up included
// (against the Auth0 simulator); the origin check needs a deployed API URL.
func TestSmokeAgainstLocalStack(t *testing.T) {
	_, table := dynamotest.NewTable(t)
	srv := httptest.NewUnstartedServer(nil)
	publicURL := "http://" + srv.Listener.Addr().String()
	st, err := StartStack(context.Background(), StackOptions{DynamoEndpoint: dynamotest.Endpoint(t), PublicURL: publicURL, Table: table})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rn, err := st.Runner("")
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = rn
	srv.Start()
	defer srv.Close()

	results := smoke.Run(context.Background(), smoke.Options{SiteURL: srv.URL, SignupEmail: "smoke+1@example.com",
		SignupPassword: "Smoke-test-Passw0rd!"})
	want := map[string]bool{"health": true, "security headers": true, "catalog": true, "JSON 404": true, "sign-up": true}
	for _, r := range results {
		switch {
		case r.Name == "origin-verify refusal":
			if !r.Skipped {
				t.Errorf("origin check ran without an API URL: %+v", r)
			}
		case !r.OK:
			t.Errorf("%s failed: %s", r.Name, r.Detail)
		}
		delete(want, r.Name)
	}
	if len(want) > 0 {
		t.Errorf("checks not run: %v", want)
	}
}
