package awsenv

import (
	"context"
	"errors"
	"testing"
)

func TestConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for name, tc := range map[string]struct {
		region string
		env    map[string]string
		want   string // region; "" = ErrNoCredentials
	}{
		"OK":              {"eu-west-1", map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SESSION_TOKEN": "T"}, "eu-west-1"},
		"RegionFromEnv":   {"", map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "S", "AWS_REGION": "us-east-2"}, "us-east-2"},
		"ErrNoKey":        {"eu-west-1", map[string]string{"AWS_SECRET_ACCESS_KEY": "S"}, ""},
		"ErrNoSecret":     {"eu-west-1", map[string]string{"AWS_ACCESS_KEY_ID": "AK"}, ""},
		"ErrEnvironEmpty": {"eu-west-1", nil, ""},
	} {
		t.Run(name, func(t *testing.T) {
			cfg, err := config(tc.region, env(tc.env))
			if tc.want == "" {
				if !errors.Is(err, ErrNoCredentials) {
					t.Fatalf("got %v, want ErrNoCredentials", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Region != tc.want {
				t.Errorf("got region %q, want %q", cfg.Region, tc.want)
			}
			c, err := cfg.Credentials.Retrieve(context.Background())
			if err != nil || c.AccessKeyID != "AK" || c.SecretAccessKey != "S" || c.SessionToken != tc.env["AWS_SESSION_TOKEN"] {
				t.Errorf("got %+v, %v", c, err)
			}
		})
	}
}
