package stack

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// TestWAF: prod (WAF on by default) puts a CloudFront web ACL with the
// managed groups and the two path rate limits in front of the distribution;
// dev (off by default) has none.
func TestWAF(t *testing.T) {
	if ids := devJSON.ofType("AWS::WAFv2::WebACL"); len(ids) != 0 {
		t.Errorf("dev has web ACLs %v, want none (off by default)", ids)
	}
	ids := prodJSON.ofType("AWS::WAFv2::WebACL")
	if len(ids) != 1 {
		t.Fatalf("prod web ACLs %v, want 1", ids)
	}
	acl := prodJSON.Resources[ids[0]].Properties
	if acl["Scope"] != "CLOUDFRONT" || acl["Name"] != "vfpanel-prod" {
		t.Errorf("scope %v name %v", acl["Scope"], acl["Name"])
	}
	if _, ok := acl["DefaultAction"].(map[string]any)["Allow"]; !ok {
		t.Errorf("default action %v, want allow", acl["DefaultAction"])
	}
	rules := map[string]map[string]any{}
	priorities := map[float64]bool{}
	for _, r := range acl["Rules"].([]any) {
		rule := r.(map[string]any)
		rules[rule["Name"].(string)] = rule
		priorities[rule["Priority"].(float64)] = true
		if vc := rule["VisibilityConfig"].(map[string]any); vc["CloudWatchMetricsEnabled"] != true || vc["MetricName"] != rule["Name"] {
			t.Errorf("rule %v: visibility %v, want metrics named after it", rule["Name"], vc)
		}
	}
	if len(priorities) != len(rules) {
		t.Errorf("rule priorities repeat: %v", priorities)
	}
	for _, g := range []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"} {
		rule, ok := rules[g]
		if !ok {
			t.Errorf("managed group %s missing", g)
			continue
		}
		st := rule["Statement"].(map[string]any)["ManagedRuleGroupStatement"].(map[string]any)
		if st["VendorName"] != "AWS" || st["Name"] != g {
			t.Errorf("%s statement %v", g, st)
		}
		if _, ok := rule["OverrideAction"].(map[string]any)["None"]; !ok {
			t.Errorf("%s override %v, want none (the group's own blocks apply)", g, rule["OverrideAction"])
		}
	}
	for name, prefix := range map[string]string{"rate-auth": "/api/auth/", "rate-webhooks": "/api/webhooks/"} {
		rule, ok := rules[name]
		if !ok {
			t.Errorf("rate rule %s missing", name)
			continue
		}
		rb := rule["Statement"].(map[string]any)["RateBasedStatement"].(map[string]any)
		bm := rb["ScopeDownStatement"].(map[string]any)["ByteMatchStatement"].(map[string]any)
		if rb["AggregateKeyType"] != "IP" || rb["EvaluationWindowSec"] != float64(300) || rb["Limit"].(float64) < 10 ||
			bm["SearchString"] != prefix || bm["PositionalConstraint"] != "STARTS_WITH" {
			t.Errorf("%s: %v", name, rb)
		}
		if _, ok := bm["FieldToMatch"].(map[string]any)["UriPath"]; !ok {
			t.Errorf("%s matches %v, want the URI path", name, bm["FieldToMatch"])
		}
		if _, ok := rule["Action"].(map[string]any)["Block"]; !ok {
			t.Errorf("%s action %v, want block", name, rule["Action"])
		}
	}
	for _, id := range prodJSON.ofType("AWS::CloudFront::Distribution") {
		cfg := prodJSON.Resources[id].Properties["DistributionConfig"].(map[string]any)
		if getAtt(cfg["WebACLId"]) != ids[0]+".Arn" && getAtt(cfg["WebACLId"]) != ids[0] {
			t.Errorf("distribution WebACLId %v, want the web ACL's ARN", cfg["WebACLId"])
		}
	}
}

// TestWAFAlarms: prod alarms on auth rate-limit blocks and block surges.
func TestWAFAlarms(t *testing.T) {
	found := map[string]map[string]any{}
	for _, id := range prodJSON.ofType("AWS::CloudWatch::Alarm") {
		p := prodJSON.Resources[id].Properties
		found[p["AlarmName"].(string)] = p
	}
	for name, rule := range map[string]string{"vfpanel-prod-waf-auth-rate-limited": "rate-auth", "vfpanel-prod-waf-blocked-surge": "ALL"} {
		p, ok := found[name]
		if !ok {
			t.Errorf("alarm %s missing", name)
			continue
		}
		dims := map[string]any{}
		for _, d := range p["Dimensions"].([]any) {
			dims[d.(map[string]any)["Name"].(string)] = d.(map[string]any)["Value"]
		}
		if p["Namespace"] != "AWS/WAFV2" || p["MetricName"] != "BlockedRequests" || dims["WebACL"] != "vfpanel-prod" || dims["Rule"] != rule {
			t.Errorf("alarm %s: %v %v %v", name, p["Namespace"], p["MetricName"], dims)
		}
	}
	for name := range found {
		if strings.Contains(name, "waf") && strings.HasPrefix(name, "vfpanel-dev") {
			t.Errorf("dev has WAF alarm %s", name)
		}
	}
}

// TestWAFRegion: with WAF on, a stack in another region is refused at
// synth; an unresolved region gets a CloudFormation rule that refuses the
// deploy outside us-east-1.
func TestWAFRegion(t *testing.T) {
	in := func(region string) awscdk.StackProps {
		return awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String(region)}}
	}
	for _, c := range []struct {
		name string
		p    Props
		ok   bool
	}{
		{"ProdEuWest", Props{Stage: StageProd, StackProps: in("eu-west-1")}, false},
		{"ProdUsEast1", Props{Stage: StageProd, StackProps: in("us-east-1")}, true},
		{"ProdWafOffEuWest", Props{Stage: StageProd, WAF: "false", StackProps: in("eu-west-1")}, true},
		{"DevEuWest", Props{Stage: StageDev, StackProps: in("eu-west-1")}, true},
		{"DevWafOnEuWest", Props{Stage: StageDev, WAF: "true", StackProps: in("eu-west-1")}, false},
		{"BadValue", Props{Stage: StageDev, WAF: "yes"}, false},
		{"ProdUnknownRegion", Props{Stage: StageProd}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.p.Validate()
			if (err == nil) != c.ok {
				t.Errorf("Validate() = %v, want ok %v", err, c.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "waf") {
				t.Errorf("error %v does not name waf", err)
			}
		})
	}
	rules := prod.ToJSON()
	r, _ := (*rules)["Rules"].(map[string]any)
	rule, ok := r["WafNeedsUsEast1"].(map[string]any)
	if !ok {
		t.Fatalf("prod template rules %v, want WafNeedsUsEast1", r)
	}
	a := rule["Assertions"].([]any)[0].(map[string]any)["Assert"]
	if !equalJSON(a, map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "AWS::Region"}, "us-east-1"}}) {
		t.Errorf("assert %v", a)
	}
	if d, _ := devJSON.Resources["WafNeedsUsEast1"]; d.Type != "" {
		t.Errorf("dev has the region rule")
	}
	dr := dev.ToJSON()
	if r, _ := (*dr)["Rules"].(map[string]any); r["WafNeedsUsEast1"] != nil {
		t.Errorf("dev has the region rule")
	}
}
