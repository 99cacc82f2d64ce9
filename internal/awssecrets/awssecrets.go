// Package awssecrets reads vfpanel's secrets from AWS Secrets Manager, once
// per cold start. A function learns a secret's ARN from SECRET_<NAME>_ARN.
package awssecrets

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/vfpanel/vfpanel/internal/awsenv"
	"github.com/vfpanel/vfpanel/internal/awsjson"
	"github.com/vfpanel/vfpanel/internal/config"
)

// Source returns a config.SecretSource backed by Secrets Manager. Secrets
// whose SECRET_<NAME>_ARN is unset read as nil (not configured). Each secret
// is fetched at most once.
func Source(ctx context.Context, region string) config.SecretSource {
	var (
		mu     sync.Mutex
		client *awsjson.Client
		cache  = map[string]map[string]string{}
	)
	return func(name string) (map[string]string, error) {
		arn := os.Getenv("SECRET_" + strings.ToUpper(name) + "_ARN")
		if arn == "" {
			return nil, nil
		}
		mu.Lock()
		defer mu.Unlock()
		if v, ok := cache[name]; ok {
			return v, nil
		}
		if client == nil {
			cfg, err := awsenv.Config(region)
			if err != nil {
				return nil, fmt.Errorf("awssecrets: %w", err)
			}
			client = &awsjson.Client{Config: cfg, Service: "secretsmanager", TargetPrefix: "secretsmanager", JSONVersion: "1.1"}
		}
		var out struct{ SecretString *string }
		if err := client.Call(ctx, "GetSecretValue", map[string]string{"SecretId": arn}, &out); err != nil {
			return nil, fmt.Errorf("awssecrets: read %s: %w", name, err)
		}
		vals := map[string]string{}
		if out.SecretString != nil {
			if err := json.Unmarshal([]byte(*out.SecretString), &vals); err != nil {
				return nil, fmt.Errorf("awssecrets: secret %s is not a JSON object of strings", name)
			}
		}
		cache[name] = vals
		return vals, nil
	}
}
