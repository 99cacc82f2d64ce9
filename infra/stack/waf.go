package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/jsii-runtime-go"
)

// WAFRegion is where CloudFront web ACLs must live (scope CLOUDFRONT). The
// stack puts its web ACL in its own template, so with WAF on the stack must
// be deployed in this region.
const WAFRegion = "us-east-1"

// WAFRateLimit is one rate-based rule: requests per client IP in a
// five-minute window to paths starting with PathPrefix, above which WAF
// blocks that IP until its rate falls.
type WAFRateLimit struct {
	Name       string
	PathPrefix string
	Limit      float64
}

// WAFRateLimits: sign-in, sign-up and password reset are what credential
// stuffing hits; webhooks come from PayPal's and VirtFusion's few addresses
// in bursts (retries), so their limit is high and only stops floods.
var WAFRateLimits = []WAFRateLimit{
	{"rate-auth", "/api/auth/", 100},
	{"rate-webhooks", "/api/webhooks/", 1000},
}

// WAFManagedGroups are the AWS managed rule groups, in evaluation order.
var WAFManagedGroups = []string{
	"AWSManagedRulesAmazonIpReputationList",
	"AWSManagedRulesCommonRuleSet",
	"AWSManagedRulesKnownBadInputsRuleSet",
}

// wafEnabled says whether the stack gets a web ACL: on in prod unless
// turned off, off in dev unless turned on.
func (p Props) wafEnabled() bool {
	switch p.WAF {
	case "true":
		return true
	case "false":
		return false
	}
	return p.Stage == StageProd
}

// WebACLName is the web ACL's name (also its metric dimension).
func WebACLName(stage string) string { return "vfpanel-" + stage }

// newWebACL creates the CloudFront web ACL and returns its ARN. A
// CloudFormation rule refuses the deploy outside us-east-1 (where the
// region was unknown at synth; a known one is checked by Validate).
func newWebACL(stack awscdk.Stack, p Props) *string {
	awscdk.NewCfnRule(stack, jsii.String("WafNeedsUsEast1"), &awscdk.CfnRuleProps{
		Assertions: &[]*awscdk.CfnRuleAssertion{{
			Assert:            awscdk.Fn_ConditionEquals(awscdk.Aws_REGION(), jsii.String(WAFRegion)),
			AssertDescription: jsii.String("With WAF on (-c waf=true, the prod default) deploy the stack in us-east-1, where CloudFront web ACLs live, or set -c waf=false."),
		}},
	})
	visibility := func(metric string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
		return &awswafv2.CfnWebACL_VisibilityConfigProperty{
			CloudWatchMetricsEnabled: jsii.Bool(true),
			MetricName:               jsii.String(metric),
			SampledRequestsEnabled:   jsii.Bool(true),
		}
	}
	var rules []any
	for _, g := range WAFManagedGroups {
		rules = append(rules, &awswafv2.CfnWebACL_RuleProperty{
			Name:     jsii.String(g),
			Priority: jsii.Number(float64(len(rules))),
			Statement: &awswafv2.CfnWebACL_StatementProperty{
				ManagedRuleGroupStatement: &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{
					VendorName: jsii.String("AWS"),
					Name:       jsii.String(g),
				},
			},
			OverrideAction:   &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]any{}},
			VisibilityConfig: visibility(g),
		})
	}
	for _, r := range WAFRateLimits {
		rules = append(rules, &awswafv2.CfnWebACL_RuleProperty{
			Name:     jsii.String(r.Name),
			Priority: jsii.Number(float64(len(rules))),
			Statement: &awswafv2.CfnWebACL_StatementProperty{
				RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
					AggregateKeyType:    jsii.String("IP"),
					Limit:               jsii.Number(r.Limit),
					EvaluationWindowSec: jsii.Number(300),
					ScopeDownStatement: &awswafv2.CfnWebACL_StatementProperty{
						ByteMatchStatement: &awswafv2.CfnWebACL_ByteMatchStatementProperty{
							FieldToMatch:         &awswafv2.CfnWebACL_FieldToMatchProperty{UriPath: map[string]any{}},
							PositionalConstraint: jsii.String("STARTS_WITH"),
							SearchString:         jsii.String(r.PathPrefix),
							TextTransformations: []any{&awswafv2.CfnWebACL_TextTransformationProperty{
								Priority: jsii.Number(0), Type: jsii.String("NONE"),
							}},
						},
					},
				},
			},
			Action:           &awswafv2.CfnWebACL_RuleActionProperty{Block: map[string]any{}},
			VisibilityConfig: visibility(r.Name),
		})
	}
	acl := awswafv2.NewCfnWebACL(stack, jsii.String("WebAcl"), &awswafv2.CfnWebACLProps{
		Name:             jsii.String(WebACLName(p.Stage)),
		Description:      jsii.String("vfpanel " + p.Stage + ": CloudFront"),
		Scope:            jsii.String("CLOUDFRONT"),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: map[string]any{}},
		VisibilityConfig: visibility(WebACLName(p.Stage)),
		Rules:            rules,
	})
	return acl.AttrArn()
}

// WAFMetric is a CloudFront web ACL's metric for one rule ("ALL" for the
// whole ACL). CloudFront's WAF metrics are in us-east-1, with no Region
// dimension: the stack's own region when WAF is on.
func WAFMetric(stage, name, rule string) awscloudwatch.Metric {
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:     jsii.String("AWS/WAFV2"),
		MetricName:    jsii.String(name),
		DimensionsMap: &map[string]*string{"WebACL": jsii.String(WebACLName(stage)), "Rule": jsii.String(rule)},
		Period:        awscdk.Duration_Minutes(jsii.Number(5)),
		Statistic:     jsii.String("Sum"),
	})
}
