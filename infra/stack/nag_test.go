//lint:file-ignore SA1019 aws-cdk-go v2.270.0 offers cxapi.SynthesisMessage only (its replacement is not in the Go bindings)

package stack

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
)

// TestNagNoErrors: cdk-nag's AwsSolutions and Serverless packs find no
// unsuppressed error in either stage.
func TestNagNoErrors(t *testing.T) {
	for name, a := range map[string]assertions.Annotations{"dev": devNag, "prod": prodNag} {
		for _, m := range *a.FindError(jsii.String("*"), assertions.Match_AnyValue()) {
			t.Errorf("%s: %s: %v", name, *m.Id, m.Entry.Data)
		}
	}
}

// TestNagCatchesNewFinding: a resource that breaks a rule makes NagErrors
// (what the app checks before it exits) report it.
func TestNagCatchesNewFinding(t *testing.T) {
	props := Props{Stage: StageDev, BuildDir: testBuildDir, WebDir: testWebDir}
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(filepath.Join(t.TempDir(), "out")),
		Context: &map[string]any{"aws:cdk:disable-asset-staging": true},
	})
	st := New(app, "vfpanel-nag", props)
	awssqs.NewQueue(st, jsii.String("Plain"), &awssqs.QueueProps{Encryption: awssqs.QueueEncryption_UNENCRYPTED})
	errs := NagErrors(app.Synth(nil).GetStackArtifact(st.ArtifactId()).Messages())
	if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, "/Plain/") && strings.Contains(e, "AwsSolutions-SQS") }) {
		t.Errorf("NagErrors = %q, want an AwsSolutions-SQS error on /Plain/", errs)
	}
	if len(errs) != 4 { // SQS2, SQS3, SQS4 and SQSRedrivePolicy on the plain queue; nothing else
		t.Errorf("NagErrors = %d errors, want exactly the plain queue's 4: %q", len(errs), errs)
	}
}

// TestNagSuppressionsHaveReasons: every suppression says why in one line.
func TestNagSuppressionsHaveReasons(t *testing.T) {
	for _, p := range []Props{{Stage: StageDev}, {Stage: StageProd, DomainName: testDomain, AlarmEmail: "ops@example.com"}} {
		for _, s := range NagSuppressions(p) {
			if len(s.Reason) < 20 || strings.Contains(s.Reason, "\n") || !strings.HasSuffix(s.Reason, ".") {
				t.Errorf("%s on %s: reason %q: want one sentence line", s.Rule, s.Prefix, s.Reason)
			}
		}
	}
}

// queue returns the logical id of the queue named name.
func (t cfnTemplate) queue(tb testing.TB, name string) string {
	tb.Helper()
	for _, id := range t.ofType("AWS::SQS::Queue") {
		if t.Resources[id].Properties["QueueName"] == name {
			return id
		}
	}
	tb.Fatalf("no queue %s", name)
	return ""
}

// TestNagFixes: the findings fixed rather than suppressed stay fixed.
func TestNagFixes(t *testing.T) {
	// The schedule's undeliverable events go to a DLQ (Serverless-EventBusDLQ).
	for _, id := range devJSON.ofType("AWS::Events::Rule") {
		targets := devJSON.Resources[id].Properties["Targets"].([]any)
		dl, _ := targets[0].(map[string]any)["DeadLetterConfig"].(map[string]any)
		if a := getAtt(dl["Arn"]); a != devJSON.queue(t, "vfpanel-dev-schedule-hourly-billing-dlq") && a != devJSON.queue(t, "vfpanel-dev-schedule-metrics-sample-dlq") {
			t.Errorf("rule %s: dead-letter config %v", id, dl)
		}
	}
	// CloudFront and the UI bucket log to the access-log bucket (CFR3, S1).
	for _, tpl := range []assertions.Template{dev, prod} {
		tpl.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), map[string]any{
			"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{
				"Logging": assertions.Match_ObjectLike(&map[string]any{"Prefix": "cloudfront/"}),
			}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
			"LoggingConfiguration": assertions.Match_ObjectLike(&map[string]any{"LogFilePrefix": "s3/"}),
		})
		// The alarm topic refuses plain HTTP (SNS3).
		tpl.HasResourceProperties(jsii.String("AWS::SNS::TopicPolicy"), map[string]any{
			"PolicyDocument": assertions.Match_ObjectLike(&map[string]any{
				"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
					"Effect": "Deny", "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
				})}),
			}),
		})
	}
}
