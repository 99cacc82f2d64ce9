//lint:file-ignore SA1019 aws-cdk-go v2.270.0 offers cxapi.SynthesisMessage only (its replacement is not in the Go bindings)

package stack

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// NagSuppression is one accepted cdk-nag finding: the rule, why it is
// accepted, the constructs it covers (direct children of the stack whose id
// starts with Prefix, with everything below them) and optionally the
// finding details it covers (e.g. "Action::s3:*"; empty: the whole rule).
type NagSuppression struct {
	Prefix    string
	Rule      string
	Reason    string
	AppliesTo []string
}

// basicExecutionRole is the managed policy CDK gives every Lambda role.
const basicExecutionRole = "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"

// bucketDeployment is the id prefix of CDK's BucketDeployment handler.
const bucketDeployment = "Custom::CDKBucketDeployment"

// NagSuppressions are every cdk-nag suppression of the stack p builds,
// each with one line of reason. Everything else cdk-nag reports as an error
// fails the tests and the synth.
func NagSuppressions(p Props) []NagSuppression {
	out := []NagSuppression{
		{"Api", "AwsSolutions-APIG4", "Authorization is per route in the functions (Auth0 session cookie, webhook signatures/tokens; see internal/routes); health and sign-in must be public.", nil},
		{"DefaultRoute", "AwsSolutions-APIG4", "The $default route only answers the app's JSON 404; it serves nothing.", nil},
		{"Fn-", "AwsSolutions-IAM4", "AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.", []string{basicExecutionRole}},
		{"Fn-", "AwsSolutions-IAM5", "The wildcard is the table's own GSIs (table ARN + /index/*), which the queries use.", []string{"Resource::<TableCD117FA1.Arn>/index/*"}},
		{"Fn-", "Serverless-LambdaDLQ", "HTTP functions are invoked synchronously; stream and queue consumers have their DLQ on the event source; the scheduled event carries no data (the next run catches up, errors alarm).", nil},
		{"Fn-billingshard", "Serverless-LambdaEventSourceMappingDestination", "SQS event source mappings take no on-failure destination; the source queue's redrive policy moves failed shards to their DLQ.", nil},
		{"Secret-", "AwsSolutions-SMG4", "Third-party credentials rotate at their provider and are set with put-secret-value; the session/origin keys rotate by hand as the README explains.", nil},
		{"DLQ-", "AwsSolutions-SQS3", "This queue is itself a dead-letter queue.", nil},
		{"DLQ-", "Serverless-SQSRedrivePolicy", "This queue is itself a dead-letter queue.", nil},
		{"AccessLogBucket", "AwsSolutions-S1", "This is the access-log bucket; logging it into itself would loop.", nil},
		{bucketDeployment, "AwsSolutions-IAM4", "CDK's BucketDeployment handler (aws-cdk-lib), run only during deploys, writes its logs.", []string{basicExecutionRole}},
		{bucketDeployment, "AwsSolutions-IAM5", "CDK's BucketDeployment handler copies the UI from the CDK asset bucket into the site bucket and invalidates the distribution; CDK scopes these grants.", nil},
		{bucketDeployment, "AwsSolutions-L1", "The BucketDeployment handler's runtime is pinned by aws-cdk-lib, not by us.", nil},
		{bucketDeployment, "Serverless-LambdaDLQ", "The BucketDeployment handler is a CloudFormation custom resource; a failure fails the deploy.", nil},
		{bucketDeployment, "Serverless-LambdaLatestVersion", "The BucketDeployment handler's runtime is pinned by aws-cdk-lib, not by us.", nil},
	}
	if p.DomainName == "" {
		out = append(out, NagSuppression{"Site", "AwsSolutions-CFR4",
			"Without a custom domain CloudFront serves its *.cloudfront.net certificate, whose policy it fixes; with a domain TLSv1.2_2021 is set.", nil})
	}
	if p.AlarmEmail != "" {
		out = append(out, NagSuppression{"Alarms", "Serverless-SNSRedrivePolicy",
			"An alarm email SNS cannot deliver has nowhere better to go; the alarm stays visible in CloudWatch.", nil})
	}
	return out
}

// applyNag checks the stack against cdk-nag's AwsSolutions and Serverless
// packs when it is synthesised, with the suppressions of NagSuppressions;
// findings become error or warning annotations (see NagErrors).
func applyNag(stack awscdk.Stack, p Props) {
	props := &cdknag.NagPackProps{Reports: jsii.Bool(false)}
	awscdk.Aspects_Of(stack).Add(cdknag.NewAwsSolutionsChecks(props), nil)
	awscdk.Aspects_Of(stack).Add(cdknag.NewServerlessChecks(props), nil)
	for _, s := range NagSuppressions(p) {
		n := &cdknag.NagPackSuppression{Id: jsii.String(s.Rule), Reason: jsii.String(s.Reason)}
		if len(s.AppliesTo) > 0 {
			applies := make([]any, len(s.AppliesTo))
			for i, a := range s.AppliesTo {
				applies[i] = a
			}
			n.AppliesTo = &applies
		}
		matched := false
		for _, c := range *stack.Node().Children() {
			if strings.HasPrefix(*c.Node().Id(), s.Prefix) {
				cdknag.NagSuppressions_AddResourceSuppressions(c, &[]*cdknag.NagPackSuppression{n}, jsii.Bool(true))
				matched = true
			}
		}
		if !matched {
			panic(fmt.Sprintf("stack: nag suppression %s for %q matches no construct", s.Rule, s.Prefix))
		}
	}
}

// NagErrors returns the error annotations (cdk-nag's unsuppressed errors
// among them) of a synthesised stack, one line each.
func NagErrors(msgs *[]*cxapi.SynthesisMessage) []string {
	var out []string
	if msgs == nil {
		return nil
	}
	for _, m := range *msgs {
		if m.Level != cxapi.SynthesisMessageLevel_ERROR {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %v", *m.Id, m.Entry.Data))
	}
	return out
}
