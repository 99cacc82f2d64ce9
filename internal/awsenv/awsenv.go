// Package awsenv builds the AWS SDK configuration from a function's
// environment. Lambda hands a function its region and credentials in
// environment variables; the SDK's config loader (aws-sdk-go-v2/config)
// would also link the SSO, STS, IMDS and shared-file credential chains,
// which a function never uses: megabytes of binary and milliseconds of cold
// start.
package awsenv

import (
	"errors"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// ErrNoCredentials is returned when the environment holds no credentials.
var ErrNoCredentials = errors.New("awsenv: no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")

// Config returns the configuration for region with the credentials of the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN),
// as Lambda sets them.
func Config(region string) (aws.Config, error) {
	return config(region, os.Getenv)
}

func config(region string, getenv func(string) string) (aws.Config, error) {
	id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return aws.Config{}, ErrNoCredentials
	}
	if region == "" {
		region = getenv("AWS_REGION")
	}
	return aws.Config{Region: region,
		Credentials: credentials.NewStaticCredentialsProvider(id, secret, getenv("AWS_SESSION_TOKEN"))}, nil
}

// Local returns the configuration for a local endpoint (DynamoDB Local):
// dummy credentials, a short timeout so a stopped instance shows up as
// unavailable quickly, and one retry.
func Local(region string) aws.Config {
	return aws.Config{Region: region,
		Credentials:      credentials.NewStaticCredentialsProvider("local", "local", ""),
		HTTPClient:       awshttp.NewBuildableClient().WithTimeout(5 * time.Second),
		RetryMaxAttempts: 2}
}
