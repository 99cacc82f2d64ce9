package stack

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/vfpanel/vfpanel/internal/routes"
	"github.com/vfpanel/vfpanel/internal/tabledef"
)

// Synthesising is the slow part (seconds each), so TestMain does it once per
// variant and the tests share the templates.
var (
	dev, prod         assertions.Template
	devJSON, prodJSON cfnTemplate
	devNag, prodNag   assertions.Annotations
)

const testDomain = "panel.example.com"

// The fixture build outputs TestMain writes.
var testBuildDir, testWebDir string

func TestMain(m *testing.M) {
	code := func() int {
		defer jsii.Close()
		dir, err := os.MkdirTemp("", "vfpanel-stack-test-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		if err := fixtures(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		testBuildDir, testWebDir = filepath.Join(dir, "functions"), filepath.Join(dir, "web")
		base := Props{BuildDir: testBuildDir, WebDir: testWebDir}
		devProps := base
		devProps.Stage = StageDev
		prodProps := base
		prodProps.Stage = StageProd
		prodProps.DomainName = testDomain
		prodProps.CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
		prodProps.AlarmEmail = "ops@example.com"
		prodProps.BetterStackAlarmWebhookURL = testBetterStackWebhook
		prodProps.StatusPageURL = "https://status.example.com"
		prodProps.VirtFusionPanelURL = "https://vf.example.com"

		dev, devJSON, devNag = synth(filepath.Join(dir, "out-dev"), devProps)
		prod, prodJSON, prodNag = synth(filepath.Join(dir, "out-prod"), prodProps)
		return m.Run()
	}()
	os.Exit(code)
}

// fixtures writes a dummy bootstrap per function and a one-page UI.
func fixtures(dir string) error {
	for _, name := range deployedFunctions() {
		d := filepath.Join(dir, "functions", name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		// Distinct contents give each function its own asset, as in real builds.
		if err := os.WriteFile(filepath.Join(d, "bootstrap"), []byte("#!/bin/sh\n# "+name+"\n"), 0o755); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "web"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "web", "index.html"), []byte("<!doctype html><title>vfpanel</title>"), 0o644)
}

func synth(outdir string, props Props) (assertions.Template, cfnTemplate, assertions.Annotations) {
	// Staging would copy every asset (the AWS CLI layer is ~21 MB) per synth.
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(outdir),
		Context: &map[string]any{"aws:cdk:disable-asset-staging": true},
	})
	stack := New(app, "vfpanel-"+props.Stage, props)
	tpl := assertions.Template_FromStack(stack, nil)
	raw, err := json.Marshal(tpl.ToJSON())
	if err != nil {
		panic(err)
	}
	var out cfnTemplate
	if err := json.Unmarshal(raw, &out); err != nil {
		panic(err)
	}
	return tpl, out, assertions.Annotations_FromStack(stack)
}

// cfnTemplate is the synthesised template, decoded for structural checks.
type cfnTemplate struct {
	Resources map[string]cfnResource
	Outputs   map[string]any
}

type cfnResource struct {
	Type           string
	Properties     map[string]any
	DependsOn      any // a logical id or a list of them
	DeletionPolicy string
}

// ofType returns the logical ids of resources of one type, sorted.
func (t cfnTemplate) ofType(typ string) []string {
	var ids []string
	for id, r := range t.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// function returns the logical id and properties of the named vfpanel function.
func (t cfnTemplate) function(tb testing.TB, stage, name string) (string, map[string]any) {
	tb.Helper()
	for _, id := range t.ofType("AWS::Lambda::Function") {
		p := t.Resources[id].Properties
		if p["FunctionName"] == FunctionName(stage, name) {
			return id, p
		}
	}
	tb.Fatalf("function %s not in template", name)
	return "", nil
}

// statements returns every IAM statement attached to the function's role.
func (t cfnTemplate) statements(tb testing.TB, fnProps map[string]any) []map[string]any {
	tb.Helper()
	role := getAtt(fnProps["Role"])
	if role == "" {
		tb.Fatalf("function role is not a GetAtt: %v", fnProps["Role"])
	}
	var out []map[string]any
	for _, id := range t.ofType("AWS::IAM::Policy") {
		p := t.Resources[id].Properties
		attached := false
		for _, r := range p["Roles"].([]any) {
			attached = attached || ref(r) == role
		}
		if !attached {
			continue
		}
		for _, s := range p["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			out = append(out, s.(map[string]any))
		}
	}
	return out
}

func ref(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["Ref"].(string)
	return s
}

func getAtt(v any) string {
	m, _ := v.(map[string]any)
	a, _ := m["Fn::GetAtt"].([]any)
	if len(a) == 0 {
		return ""
	}
	s, _ := a[0].(string)
	return s
}

// strs turns a string-or-list IAM field into a list.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func TestNeedsOf(t *testing.T) {
	tests := map[string]routes.Needs{
		"health": {Table: routes.TableRead, Secrets: []string{routes.SecretAuth0, routes.SecretBetterStack, routes.SecretOrigin,
			routes.SecretPayPal, routes.SecretSMTP, routes.SecretVirtFusion}},
		"catalog":  {Table: routes.TableRead, Secrets: []string{routes.SecretOrigin, routes.SecretVirtFusion}},
		"auth":     {Table: routes.TableWrite, Secrets: []string{routes.SecretAuth0, routes.SecretOrigin, routes.SecretSession, routes.SecretVirtFusion}},
		"billing":  {Table: routes.TableWrite, Secrets: []string{routes.SecretOrigin, routes.SecretPayPal, routes.SecretVirtFusion}},
		"webhooks": {Table: routes.TableWrite, Secrets: []string{routes.SecretOrigin, routes.SecretPayPal, routes.SecretVirtFusion}},
		"jobs":     {Table: routes.TableWrite, Secrets: []string{routes.SecretBetterStack, routes.SecretDiscord, routes.SecretPayPal, routes.SecretSession, routes.SecretSMTP, routes.SecretVirtFusion}},
		"notify":   {Table: routes.TableWrite, Secrets: []string{routes.SecretBetterStack, routes.SecretDiscord, routes.SecretSession, routes.SecretSMTP}},
		"unknown":  {},
	}
	for fn, want := range tests {
		t.Run(fn, func(t *testing.T) {
			got := routes.NeedsOf(fn)
			if got.Table != want.Table || !slices.Equal(got.Secrets, want.Secrets) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		props Props
		ok    bool
	}{
		{"OK", Props{Stage: StageDev}, true},
		{"OKDomain", Props{Stage: StageProd, DomainName: "x.example.com", CertificateArn: "arn:aws:acm:us-east-1:1:certificate/x"}, true},
		{"ErrStage", Props{Stage: "staging"}, false},
		{"ErrDomainWithoutCert", Props{Stage: StageDev, DomainName: "x.example.com"}, false},
		{"ErrCertRegion", Props{Stage: StageDev, DomainName: "x.example.com", CertificateArn: "arn:aws:acm:eu-west-1:1:certificate/x"}, false},
		{"ErrPayPalMode", Props{Stage: StageDev, PayPalMode: "prod"}, false},
		{"ErrVirtFusionURL", Props{Stage: StageDev, VirtFusionPanelURL: "vf.example.com"}, false},
		{"ErrBetterStackWebhookHTTP", Props{Stage: StageDev, BetterStackAlarmWebhookURL: "http://uptime.betterstack.com/x"}, false},
		{"ErrStatusPageScheme", Props{Stage: StageDev, StatusPageURL: "javascript:alert(1)"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.props.Validate()
			if (err == nil) != tt.ok {
				t.Errorf("got %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	// Every table route, plus $default.
	dev.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Route"), jsii.Number(len(routes.Table)+1))
	dev.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), map[string]any{
		"IntegrationType":      "AWS_PROXY",
		"PayloadFormatVersion": "2.0",
	})

	// RouteKey → integration → function name.
	integrationFn := map[string]string{}
	for _, id := range devJSON.ofType("AWS::ApiGatewayV2::Integration") {
		fnID := getAtt(devJSON.Resources[id].Properties["IntegrationUri"])
		integrationFn[id], _ = devJSON.Resources[fnID].Properties["FunctionName"].(string)
	}
	routeFn := map[string]string{}
	for _, id := range devJSON.ofType("AWS::ApiGatewayV2::Route") {
		p := devJSON.Resources[id].Properties
		// Target is {"Fn::Join": ["", ["integrations/", {"Ref": id}]]}.
		parts := p["Target"].(map[string]any)["Fn::Join"].([]any)[1].([]any)
		routeFn[p["RouteKey"].(string)] = integrationFn[ref(parts[1])]
	}
	t.Run("$default", func(t *testing.T) {
		if got, want := routeFn["$default"], FunctionName(StageDev, routes.DefaultRouteFunction); got != want {
			t.Errorf("got function %q, want %q", got, want)
		}
	})
	for _, r := range routes.Table {
		key := r.Method + " " + r.APIGatewayPath()
		t.Run(key, func(t *testing.T) {
			got, ok := routeFn[key]
			if !ok {
				t.Fatalf("route %q missing", key)
			}
			if want := FunctionName(StageDev, r.Function); got != want {
				t.Errorf("got function %q, want %q", got, want)
			}
		})
	}
}

func TestStage(t *testing.T) {
	dev.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), map[string]any{
		"StageName":  "$default",
		"AutoDeploy": true,
		"DefaultRouteSettings": map[string]any{
			"ThrottlingRateLimit":  assertions.Match_AnyValue(),
			"ThrottlingBurstLimit": assertions.Match_AnyValue(),
		},
		"AccessLogSettings": map[string]any{
			"DestinationArn": assertions.Match_AnyValue(),
			"Format":         AccessLogFormat,
		},
	})
	// The format must be valid JSON once the variables are filled in.
	sample := regexp.MustCompile(`\$context\.[A-Za-z.]+`).ReplaceAllString(AccessLogFormat, "1")
	if !json.Valid([]byte(sample)) {
		t.Errorf("access log format is not JSON: %s", sample)
	}
}

func TestFunctions(t *testing.T) {
	for _, name := range deployedFunctions() {
		t.Run(name, func(t *testing.T) {
			_, p := devJSON.function(t, StageDev, name)
			set, ok := Settings[name]
			if !ok {
				t.Fatalf("no settings for %s", name)
			}
			if p["Runtime"] != "provided.al2023" || p["Handler"] != "bootstrap" {
				t.Errorf("got runtime %v handler %v, want provided.al2023 bootstrap", p["Runtime"], p["Handler"])
			}
			if a := strs(p["Architectures"]); !slices.Equal(a, []string{"arm64"}) {
				t.Errorf("got architectures %v, want [arm64]", a)
			}
			if p["MemorySize"] != set.MemoryMB || p["Timeout"] != set.TimeoutSeconds {
				t.Errorf("got %v MB / %v s, want %v / %v", p["MemorySize"], p["Timeout"], set.MemoryMB, set.TimeoutSeconds)
			}
			if set.TimeoutSeconds >= 30 && len(routes.ForFunction(name)) > 0 {
				t.Errorf("HTTP function timeout %v s is over API Gateway's 30 s", set.TimeoutSeconds)
			}
			lg := ref(p["LoggingConfig"].(map[string]any)["LogGroup"])
			if lg == "" {
				t.Fatalf("no explicit log group: %v", p["LoggingConfig"])
			}
			if got := devJSON.Resources[lg].Properties["RetentionInDays"]; got != 30.0 {
				t.Errorf("got retention %v, want 30", got)
			}
		})
	}
	t.Run("ProdRetention", func(t *testing.T) {
		_, p := prodJSON.function(t, StageProd, "health")
		lg := ref(p["LoggingConfig"].(map[string]any)["LogGroup"])
		if got := prodJSON.Resources[lg].Properties["RetentionInDays"]; got != 90.0 {
			t.Errorf("got retention %v, want 90", got)
		}
	})
}

func TestIAM(t *testing.T) {
	writeActions := map[string]bool{}
	for _, a := range TableWriteActions {
		writeActions[a] = true
	}
	secretIDs := map[string]string{} // logical id → secret name
	for _, id := range devJSON.ofType("AWS::SecretsManager::Secret") {
		secretIDs[id] = devJSON.Resources[id].Properties["Name"].(string)
	}

	t.Run("NoWildcards", func(t *testing.T) {
		for _, id := range devJSON.ofType("AWS::IAM::Policy") {
			doc := devJSON.Resources[id].Properties["PolicyDocument"].(map[string]any)
			for _, s := range doc["Statement"].([]any) {
				for _, a := range strs(s.(map[string]any)["Action"]) {
					if a == "*" || a == "dynamodb:*" || a == "secretsmanager:*" {
						t.Errorf("policy %s grants %q", id, a)
					}
				}
			}
		}
	})

	for _, name := range deployedFunctions() {
		t.Run(name, func(t *testing.T) {
			needs := routes.NeedsOf(name)
			_, p := devJSON.function(t, StageDev, name)
			var actions, secretRes []string
			for _, s := range devJSON.statements(t, p) {
				acts := strs(s["Action"])
				actions = append(actions, acts...)
				if slices.Contains(acts, "secretsmanager:GetSecretValue") {
					res, _ := s["Resource"].([]any)
					if r, ok := s["Resource"].(map[string]any); ok {
						res = []any{r}
					}
					for _, r := range res {
						secretRes = append(secretRes, secretIDs[ref(r)])
					}
				}
			}
			hasRead := slices.Contains(actions, "dynamodb:Query")
			hasWrite := slices.ContainsFunc(actions, func(a string) bool { return writeActions[a] })
			if hasRead != (needs.Table >= routes.TableRead) {
				t.Errorf("got read %v, want %v", hasRead, needs.Table >= routes.TableRead)
			}
			if hasWrite != (needs.Table >= routes.TableWrite) {
				t.Errorf("got write %v, want %v (actions %v)", hasWrite, needs.Table >= routes.TableWrite, actions)
			}
			var want []string
			for _, s := range needs.Secrets {
				want = append(want, SecretName(StageDev, s))
			}
			slices.Sort(secretRes)
			slices.Sort(want)
			if !slices.Equal(secretRes, want) {
				t.Errorf("got secrets %v, want %v", secretRes, want)
			}
		})
	}

	for _, name := range []string{"health", "catalog"} {
		t.Run("ReadOnly-"+name, func(t *testing.T) {
			_, p := devJSON.function(t, StageDev, name)
			for _, s := range devJSON.statements(t, p) {
				for _, a := range strs(s["Action"]) {
					if writeActions[a] {
						t.Errorf("%s may %s", name, a)
					}
				}
			}
		})
	}
}

// looksSecret flags long random-looking strings (tokens, keys): 20+
// token characters mixing letters and digits.
func looksSecret(s string) bool {
	return regexp.MustCompile(`^[A-Za-z0-9+/=_\-]{20,}$`).MatchString(s) &&
		strings.ContainsAny(s, "0123456789") && strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

func TestSecretsNotInEnvironment(t *testing.T) {
	forbidden := []string{"VIRTFUSION_API_TOKEN", "VIRTFUSION_WEBHOOK_TOKEN", "AUTH0_CLIENT_SECRET",
		"PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET", "SESSION_KEY"}
	secretIDs := map[string]string{}
	for _, id := range devJSON.ofType("AWS::SecretsManager::Secret") {
		secretIDs[id] = devJSON.Resources[id].Properties["Name"].(string)
	}
	for _, name := range routes.Functions {
		t.Run(name, func(t *testing.T) {
			_, p := devJSON.function(t, StageDev, name)
			vars := p["Environment"].(map[string]any)["Variables"].(map[string]any)
			var gotSecrets []string
			for k, v := range vars {
				if slices.Contains(forbidden, k) {
					t.Errorf("secret %s is an environment variable", k)
				}
				if s, ok := v.(string); ok && looksSecret(s) {
					t.Errorf("%s=%q looks like a secret", k, s)
				}
				if strings.HasPrefix(k, "SECRET_") {
					if !strings.HasSuffix(k, "_ARN") {
						t.Errorf("%s: secrets are passed only as ARNs", k)
					}
					id := ref(v)
					if secretIDs[id] == "" {
						t.Errorf("%s=%v, want a Ref to a secret", k, v)
					}
					gotSecrets = append(gotSecrets, secretIDs[id])
				}
			}
			var want []string
			for _, s := range routes.NeedsOf(name).Secrets {
				want = append(want, SecretName(StageDev, s))
				if _, ok := vars[SecretEnv(s)]; !ok {
					t.Errorf("missing %s", SecretEnv(s))
				}
			}
			slices.Sort(gotSecrets)
			slices.Sort(want)
			if !slices.Equal(gotSecrets, want) {
				t.Errorf("got secret ARNs %v, want %v", gotSecrets, want)
			}
			for _, k := range []string{"TABLE_NAME", "VFP_STAGE", "VFP_VERSION", "VIRTFUSION_PANEL_URL", "AUTH0_DOMAIN", "PAYPAL_MODE", "CURRENCY"} {
				if _, ok := vars[k]; !ok {
					t.Errorf("missing %s", k)
				}
			}
		})
	}
	t.Run("SecretsExist", func(t *testing.T) {
		dev.ResourceCountIs(jsii.String("AWS::SecretsManager::Secret"), jsii.Number(len(SecretKeys)))
		dev.HasResourceProperties(jsii.String("AWS::SecretsManager::Secret"), map[string]any{
			"Name": SecretName(StageDev, routes.SecretSession),
			"GenerateSecretString": map[string]any{
				"GenerateStringKey": "key",
			},
		})
	})
}

func TestTable(t *testing.T) {
	want := map[string]any{
		"TableName":   tabledef.Main.BaseName + "-dev",
		"BillingMode": "PAY_PER_REQUEST",
		"KeySchema": []any{
			map[string]any{"AttributeName": tabledef.PK, "KeyType": "HASH"},
			map[string]any{"AttributeName": tabledef.SK, "KeyType": "RANGE"},
		},
		"GlobalSecondaryIndexes": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"IndexName": "GSI1"}),
			assertions.Match_ObjectLike(&map[string]any{"IndexName": "GSI2"}),
		}),
		"TimeToLiveSpecification": map[string]any{"AttributeName": tabledef.TTL, "Enabled": true},
		"Replicas": []any{assertions.Match_ObjectLike(&map[string]any{
			"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
		})},
	}
	dev.HasResourceProperties(jsii.String("AWS::DynamoDB::GlobalTable"), want)

	t.Run("ProdRetained", func(t *testing.T) {
		prod.HasResource(jsii.String("AWS::DynamoDB::GlobalTable"), map[string]any{
			"DeletionPolicy": "Retain",
			"Properties": assertions.Match_ObjectLike(&map[string]any{
				"Replicas": []any{assertions.Match_ObjectLike(&map[string]any{"DeletionProtectionEnabled": true})},
			}),
		})
	})
}

func TestBucketNotPublic(t *testing.T) {
	dev.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
		"PublicAccessBlockConfiguration": map[string]any{
			"BlockPublicAcls":       true,
			"BlockPublicPolicy":     true,
			"IgnorePublicAcls":      true,
			"RestrictPublicBuckets": true,
		},
		"BucketEncryption": map[string]any{
			"ServerSideEncryptionConfiguration": []any{map[string]any{
				"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"},
			}},
		},
	})
	dev.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]any{
		"PolicyDocument": map[string]any{
			"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
				"Effect":    "Deny",
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			})}),
		},
	})
	dev.ResourceCountIs(jsii.String("AWS::CloudFront::OriginAccessControl"), jsii.Number(1))
}

func TestCloudFront(t *testing.T) {
	const (
		cachingDisabled           = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
		allViewerExceptHostHeader = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
	)
	ids := devJSON.ofType("AWS::CloudFront::Distribution")
	if len(ids) != 1 {
		t.Fatalf("got %d distributions, want 1", len(ids))
	}
	cfg := devJSON.Resources[ids[0]].Properties["DistributionConfig"].(map[string]any)
	if _, ok := cfg["CustomErrorResponses"]; ok {
		t.Errorf("distribution-level error responses would turn API errors into HTML")
	}

	origins := map[string]map[string]any{}
	for _, o := range cfg["Origins"].([]any) {
		o := o.(map[string]any)
		origins[o["Id"].(string)] = o
	}
	var api map[string]any
	for _, b := range cfg["CacheBehaviors"].([]any) {
		if b := b.(map[string]any); b["PathPattern"] == "/api/*" {
			api = b
		}
	}
	if api == nil {
		t.Fatal("no /api/* behaviour")
	}
	if api["CachePolicyId"] != cachingDisabled {
		t.Errorf("got cache policy %v, want CachingDisabled", api["CachePolicyId"])
	}
	if api["OriginRequestPolicyId"] != allViewerExceptHostHeader {
		t.Errorf("got origin request policy %v, want AllViewerExceptHostHeader", api["OriginRequestPolicyId"])
	}
	if m := strs(api["AllowedMethods"]); !slices.Contains(m, "POST") || !slices.Contains(m, "DELETE") || !slices.Contains(m, "PATCH") {
		t.Errorf("got allowed methods %v, want all", m)
	}
	origin := origins[api["TargetOriginId"].(string)]
	sel, _ := origin["DomainName"].(map[string]any)["Fn::Select"].([]any)
	if len(sel) != 2 || sel[0] != 2.0 {
		t.Fatalf("API origin domain is %v, want Fn::Select(2, split endpoint)", origin["DomainName"])
	}
	split := sel[1].(map[string]any)["Fn::Split"].([]any)
	if apiID := getAtt(split[1]); devJSON.Resources[apiID].Type != "AWS::ApiGatewayV2::Api" {
		t.Errorf("API origin splits %v, want the HTTP API endpoint", split[1])
	}

	fnCode := func(assoc any) string {
		a := assoc.([]any)
		if len(a) != 1 || a[0].(map[string]any)["EventType"] != "viewer-request" {
			t.Fatalf("got function associations %v, want one viewer-request", a)
		}
		id := getAtt(a[0].(map[string]any)["FunctionARN"])
		code, _ := devJSON.Resources[id].Properties["FunctionCode"].(string)
		return code
	}
	// /api/status is cached 30 s at the edge: a behaviour of its own, before
	// /api/* (CloudFront takes the first match), on the same origin, with a
	// cache policy keyed on nothing the viewer sends.
	var statusIdx, apiIdx = -1, -1
	var statusB map[string]any
	for i, b := range cfg["CacheBehaviors"].([]any) {
		switch b := b.(map[string]any); b["PathPattern"] {
		case StatusPath:
			statusIdx, statusB = i, b
		case "/api/*":
			apiIdx = i
		}
	}
	if statusIdx < 0 || statusIdx > apiIdx {
		t.Fatalf("got %s at %d and /api/* at %d, want the status behaviour first", StatusPath, statusIdx, apiIdx)
	}
	if statusB["TargetOriginId"] != api["TargetOriginId"] {
		t.Errorf("status origin %v, want the API's %v", statusB["TargetOriginId"], api["TargetOriginId"])
	}
	if m := strs(statusB["AllowedMethods"]); slices.Contains(m, "POST") {
		t.Errorf("got allowed methods %v, want GET and HEAD", m)
	}
	policy := devJSON.Resources[ref(statusB["CachePolicyId"])]
	pc, _ := policy.Properties["CachePolicyConfig"].(map[string]any)
	keys, _ := pc["ParametersInCacheKeyAndForwardedToOrigin"].(map[string]any)
	if policy.Type != "AWS::CloudFront::CachePolicy" || pc["DefaultTTL"] != float64(StatusCacheSeconds) || pc["MaxTTL"] != float64(StatusCacheSeconds) ||
		keys["CookiesConfig"].(map[string]any)["CookieBehavior"] != "none" ||
		keys["QueryStringsConfig"].(map[string]any)["QueryStringBehavior"] != "none" {
		t.Errorf("status cache policy: got %v", policy)
	}

	// The app reads its origin from PUBLIC_URL, so /api/* rewrites nothing.
	if a, ok := api["FunctionAssociations"]; ok {
		t.Errorf("/api/* has function associations %v, want none", a)
	}
	dev.ResourceCountIs(jsii.String("AWS::CloudFront::Function"), jsii.Number(1))
	def := cfg["DefaultCacheBehavior"].(map[string]any)
	if got := fnCode(def["FunctionAssociations"]); !strings.Contains(got, "/index.html") {
		t.Errorf("default function does not rewrite to /index.html:\n%s", got)
	}
	if _, ok := origins[def["TargetOriginId"].(string)]["OriginAccessControlId"]; !ok {
		t.Errorf("default origin has no Origin Access Control")
	}

	dev.HasResourceProperties(jsii.String("AWS::CloudFront::ResponseHeadersPolicy"), map[string]any{
		"ResponseHeadersPolicyConfig": assertions.Match_ObjectLike(&map[string]any{
			"SecurityHeadersConfig": assertions.Match_ObjectLike(&map[string]any{
				"StrictTransportSecurity": assertions.Match_ObjectLike(&map[string]any{"AccessControlMaxAgeSec": 31536000}),
				"ContentTypeOptions":      assertions.Match_AnyValue(),
				"FrameOptions":            assertions.Match_ObjectLike(&map[string]any{"FrameOption": "DENY"}),
				"ReferrerPolicy":          assertions.Match_AnyValue(),
				"ContentSecurityPolicy":   assertions.Match_AnyValue(),
			}),
		}),
	})
	dev.ResourceCountIs(jsii.String("Custom::CDKBucketDeployment"), jsii.Number(1))

	t.Run("CustomDomain", func(t *testing.T) {
		prod.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), map[string]any{
			"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{
				"Aliases": []any{testDomain},
				"ViewerCertificate": assertions.Match_ObjectLike(&map[string]any{
					"AcmCertificateArn": assertions.Match_AnyValue(),
				}),
			}),
		})
	})
}

// TestSecurityHeadersMatchRoutes: the response headers policy sends exactly
// the values internal/routes holds, which the local runner sends too.
func TestSecurityHeadersMatchRoutes(t *testing.T) {
	var cfg map[string]any
	for _, id := range prodJSON.ofType("AWS::CloudFront::ResponseHeadersPolicy") {
		c := prodJSON.Resources[id].Properties["ResponseHeadersPolicyConfig"].(map[string]any)
		cfg, _ = c["SecurityHeadersConfig"].(map[string]any)
	}
	if cfg == nil {
		t.Fatal("no response headers policy with security headers")
	}
	sts := cfg["StrictTransportSecurity"].(map[string]any)
	got := map[string]string{
		"Strict-Transport-Security": fmt.Sprintf("max-age=%.0f; includeSubDomains", sts["AccessControlMaxAgeSec"]),
		"X-Content-Type-Options":    "nosniff",
		"X-Frame-Options":           cfg["FrameOptions"].(map[string]any)["FrameOption"].(string),
		"Referrer-Policy":           cfg["ReferrerPolicy"].(map[string]any)["ReferrerPolicy"].(string),
		"Content-Security-Policy":   cfg["ContentSecurityPolicy"].(map[string]any)["ContentSecurityPolicy"].(string),
	}
	if sts["IncludeSubdomains"] != true {
		t.Errorf("HSTS without includeSubDomains: %v", sts)
	}
	want := routes.SiteHeaders("https://vf.example.com") // prod's VirtFusionPanelURL
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
	if csp := got["Content-Security-Policy"]; !strings.Contains(csp, "form-action 'self'") ||
		!strings.Contains(csp, "wss://vf.example.com") || strings.Contains(csp, "ws://vf") {
		t.Errorf("CSP %q: want form-action 'self' and wss:// (not ws://) to VirtFusion", csp)
	}
}

func TestSchedules(t *testing.T) {
	dev.ResourceCountIs(jsii.String("AWS::Events::Rule"), jsii.Number(len(routes.Schedules)))
	for _, s := range routes.Schedules {
		t.Run(s.Name, func(t *testing.T) {
			fnID, _ := devJSON.function(t, StageDev, s.Function)
			input, _ := json.Marshal(map[string]string{"job": s.Name})
			dev.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
				"ScheduleExpression": s.Cron,
				"Targets": []any{assertions.Match_ObjectLike(&map[string]any{
					"Arn":   map[string]any{"Fn::GetAtt": []any{fnID, "Arn"}},
					"Input": string(input),
				})},
			})
		})
	}
}

func TestAlarms(t *testing.T) {
	names := map[string]bool{}
	for _, id := range devJSON.ofType("AWS::CloudWatch::Alarm") {
		p := devJSON.Resources[id].Properties
		names[p["AlarmName"].(string)] = true
		if a, _ := p["AlarmActions"].([]any); len(a) == 0 {
			t.Errorf("alarm %v has no action", p["AlarmName"])
		}
	}
	want := []string{"api-5xx-rate", "webhook-failures", "billing-run-failures", "dynamodb-throttles", "notify-dead-letters",
		"hourly-billing-dead-letters", "metrics-sample-dead-letters", "billing-shards-dead-letters"}
	for _, fn := range deployedFunctions() {
		want = append(want, fn+"-throttles")
		if fn != webhooksFunction && fn != jobsFunction {
			want = append(want, fn+"-errors")
		}
	}
	for _, w := range want {
		if !names["vfpanel-dev-"+w] {
			t.Errorf("alarm %s missing", w)
		}
	}
	dev.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(len(want)))
	dev.HasResourceProperties(jsii.String("AWS::Logs::MetricFilter"), map[string]any{
		"FilterPattern": WebhookFailurePattern(),
	})
	dev.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(0))
	prod.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), map[string]any{
		"Protocol": "email",
		"Endpoint": "ops@example.com",
	})
	// CloudWatch alarms reach Better Stack through SNS, as https.
	prod.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), map[string]any{
		"Protocol": "https",
		"Endpoint": testBetterStackWebhook,
	})
	prod.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(2))
}

// testBetterStackWebhook is a made-up Better Stack incoming-webhook URL.
const testBetterStackWebhook = "https://uptime.betterstack.com/api/v1/incoming-webhook/abc123"

func TestOutputs(t *testing.T) {
	for _, o := range []string{"SiteUrl", "ApiUrl", "TableName"} {
		if _, ok := devJSON.Outputs[o]; !ok {
			t.Errorf("output %s missing", o)
		}
	}
}

func TestCheckFiles(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		if err := fixtures(dir); err != nil {
			t.Fatal(err)
		}
		p := Props{Stage: StageDev, BuildDir: filepath.Join(dir, "functions"), WebDir: filepath.Join(dir, "web")}
		if err := p.CheckFiles(); err != nil {
			t.Errorf("got %v, want nil", err)
		}
	})
	t.Run("ErrMissing", func(t *testing.T) {
		dir := t.TempDir()
		p := Props{Stage: StageDev, BuildDir: filepath.Join(dir, "functions"), WebDir: filepath.Join(dir, "web")}
		err := p.CheckFiles()
		if err == nil || !strings.Contains(err.Error(), filepath.Join("jobs", "bootstrap")) || !strings.Contains(err.Error(), "index.html") {
			t.Errorf("got %v, want every missing file named", err)
		}
	})
}

// envVars returns a function's environment variables.
func envVars(tb testing.TB, fnProps map[string]any) map[string]any {
	tb.Helper()
	env, _ := fnProps["Environment"].(map[string]any)
	vars, ok := env["Variables"].(map[string]any)
	if !ok {
		tb.Fatalf("function has no environment: %v", fnProps["Environment"])
	}
	return vars
}

func TestEnvironment(t *testing.T) {
	distIDs := devJSON.ofType("AWS::CloudFront::Distribution")
	if len(distIDs) != 1 {
		t.Fatalf("got %d distributions, want 1", len(distIDs))
	}
	// Without a custom domain PUBLIC_URL is "https://" + the distribution's
	// domain, resolved by CloudFormation.
	devURL := map[string]any{"Fn::Join": []any{"", []any{
		"https://", map[string]any{"Fn::GetAtt": []any{distIDs[0], "DomainName"}},
	}}}
	tableRef := func(tpl cfnTemplate) any {
		ids := tpl.ofType("AWS::DynamoDB::GlobalTable")
		if len(ids) != 1 {
			t.Fatalf("got %d tables, want 1", len(ids))
		}
		return map[string]any{"Ref": ids[0]}
	}
	variants := []struct {
		name      string
		tpl       cfnTemplate
		stage     string
		publicURL any
	}{
		{"OK", devJSON, StageDev, devURL},
		{"OKCustomDomain", prodJSON, StageProd, "https://" + testDomain},
	}
	for _, v := range variants {
		for _, name := range routes.Functions {
			t.Run(v.name+"/"+name, func(t *testing.T) {
				_, p := v.tpl.function(t, v.stage, name)
				vars := envVars(t, p)
				if got, want := vars["TABLE_NAME"], tableRef(v.tpl); !equalJSON(got, want) {
					t.Errorf("got TABLE_NAME %v, want %v", got, want)
				}
				if got := vars["PUBLIC_URL"]; !equalJSON(got, v.publicURL) {
					t.Errorf("got PUBLIC_URL %v, want %v", got, v.publicURL)
				}
			})
		}
	}
}

func equalJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

func TestJobsSchedule(t *testing.T) {
	fnID, _ := devJSON.function(t, StageDev, "jobs")
	var inputs []string
	for _, id := range devJSON.ofType("AWS::Events::Rule") {
		for _, target := range devJSON.Resources[id].Properties["Targets"].([]any) {
			target := target.(map[string]any)
			if getAtt(target["Arn"]) == fnID {
				in, _ := target["Input"].(string)
				inputs = append(inputs, in)
			}
		}
	}
	slices.Sort(inputs)
	if want := []string{`{"job":"hourly-billing"}`, `{"job":"` + routes.MetricsSampleJob + `"}`}; !slices.Equal(inputs, want) {
		t.Errorf("got jobs schedule inputs %q, want %q", inputs, want)
	}
	// The metrics sampler runs every 5 minutes (issue 18).
	dev.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"ScheduleExpression": "cron(0/5 * * * ? *)",
	})
}

// deps returns the logical ids a resource refers to through Ref, Fn::GetAtt,
// Fn::Sub or DependsOn, i.e. what CloudFormation must create first.
func (t cfnTemplate) deps(id string) []string {
	seen := map[string]bool{}
	add := func(dep string) {
		if _, ok := t.Resources[dep]; ok && dep != id {
			seen[dep] = true
		}
	}
	subVar := regexp.MustCompile(`\$\{([A-Za-z0-9]+)[.}]`)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				switch k {
				case "Ref":
					s, _ := x.(string)
					add(s)
				case "Fn::GetAtt":
					add(getAtt(v))
				case "Fn::Sub":
					str, _ := x.(string)
					if a, ok := x.([]any); ok && len(a) > 0 {
						str, _ = a[0].(string)
					}
					for _, m := range subVar.FindAllStringSubmatch(str, -1) {
						add(m[1])
					}
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	r := t.Resources[id]
	walk(r.Properties)
	for _, d := range strs(r.DependsOn) {
		add(d)
	}
	return slices.Sorted(maps.Keys(seen))
}

// closure returns every resource id reachable from id through deps.
func (t cfnTemplate) closure(id string) map[string]bool {
	out := map[string]bool{}
	stack := []string{id}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range t.deps(cur) {
			if !out[d] {
				out[d] = true
				stack = append(stack, d)
			}
		}
	}
	return out
}

func TestNoDependencyCycles(t *testing.T) {
	for _, v := range []struct {
		name string
		tpl  cfnTemplate
	}{{"dev", devJSON}, {"prod", prodJSON}} {
		t.Run(v.name, func(t *testing.T) {
			for id := range v.tpl.Resources {
				if v.tpl.closure(id)[id] {
					t.Errorf("%s (%s) depends on itself", id, v.tpl.Resources[id].Type)
				}
			}
			// The functions depend on the distribution (PUBLIC_URL), so the
			// distribution must not depend on anything built from them.
			after := map[string]bool{
				"AWS::Lambda::Function":          true,
				"AWS::Lambda::Permission":        true,
				"AWS::IAM::Role":                 true,
				"AWS::ApiGatewayV2::Route":       true,
				"AWS::ApiGatewayV2::Integration": true,
				"AWS::ApiGatewayV2::Stage":       true,
			}
			for _, dist := range v.tpl.ofType("AWS::CloudFront::Distribution") {
				deps := v.tpl.closure(dist)
				if !slices.ContainsFunc(slices.Collect(maps.Keys(deps)), func(d string) bool {
					return v.tpl.Resources[d].Type == "AWS::ApiGatewayV2::Api"
				}) {
					t.Errorf("distribution does not depend on the HTTP API (its /api/* origin): %v", deps)
				}
				for dep := range deps {
					if typ := v.tpl.Resources[dep].Type; after[typ] {
						t.Errorf("distribution depends on %s (%s)", dep, typ)
					}
				}
			}
			// And every function does depend on it, or on nothing for the domain.
			for _, name := range routes.Functions {
				fnID, _ := v.tpl.function(t, map[string]string{"dev": StageDev, "prod": StageProd}[v.name], name)
				refsDist := slices.ContainsFunc(v.tpl.deps(fnID), func(d string) bool {
					return v.tpl.Resources[d].Type == "AWS::CloudFront::Distribution"
				})
				if want := v.name == "dev"; refsDist != want {
					t.Errorf("function %s refers to the distribution: %v, want %v", name, refsDist, want)
				}
			}
		})
	}
}

// apiOrigin returns the CloudFront origin that serves /api/*.
func (t cfnTemplate) apiOrigin(tb testing.TB) map[string]any {
	tb.Helper()
	ids := t.ofType("AWS::CloudFront::Distribution")
	if len(ids) != 1 {
		tb.Fatalf("got %d distributions, want 1", len(ids))
	}
	cfg := t.Resources[ids[0]].Properties["DistributionConfig"].(map[string]any)
	target := ""
	for _, b := range cfg["CacheBehaviors"].([]any) {
		if b := b.(map[string]any); b["PathPattern"] == "/api/*" {
			target, _ = b["TargetOriginId"].(string)
		}
	}
	for _, o := range cfg["Origins"].([]any) {
		if o := o.(map[string]any); o["Id"] == target {
			return o
		}
	}
	tb.Fatalf("no origin for /api/*")
	return nil
}

// secretID returns the logical id of the named vfpanel secret.
func (t cfnTemplate) secretID(tb testing.TB, stage, name string) string {
	tb.Helper()
	for _, id := range t.ofType("AWS::SecretsManager::Secret") {
		if t.Resources[id].Properties["Name"] == SecretName(stage, name) {
			return id
		}
	}
	tb.Fatalf("secret %s not in template", name)
	return ""
}

func TestOriginVerify(t *testing.T) {
	for _, v := range []struct {
		name  string
		tpl   cfnTemplate
		stage string
	}{{"dev", devJSON, StageDev}, {"prod", prodJSON, StageProd}} {
		t.Run(v.name, func(t *testing.T) {
			secret := v.tpl.secretID(t, v.stage, routes.SecretOrigin)
			t.Run("Generated", func(t *testing.T) {
				p := v.tpl.Resources[secret].Properties
				gen, _ := p["GenerateSecretString"].(map[string]any)
				if gen["GenerateStringKey"] != "originKey" || gen["PasswordLength"] != 48.0 || gen["ExcludePunctuation"] != true {
					t.Errorf("got GenerateSecretString %v, want a 48-char originKey without punctuation", gen)
				}
				if _, ok := p["SecretString"]; ok {
					t.Errorf("origin secret has a SecretString in the template")
				}
			})

			t.Run("OriginHeader", func(t *testing.T) {
				origin := v.tpl.apiOrigin(t)
				var value any
				found := 0
				for _, h := range origin["OriginCustomHeaders"].([]any) {
					h := h.(map[string]any)
					if h["HeaderName"] == routes.OriginVerifyHeader {
						value, found = h["HeaderValue"], found+1
					}
				}
				if found != 1 {
					t.Fatalf("got %d %s headers on the API origin, want 1: %v", found, routes.OriginVerifyHeader, origin)
				}
				// {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret}, ":SecretString:originKey::}}"]]}
				join, _ := value.(map[string]any)["Fn::Join"].([]any)
				if len(join) != 2 || join[0] != "" {
					t.Fatalf("header value is %v, want a Fn::Join of a dynamic reference", value)
				}
				var text strings.Builder
				for _, part := range join[1].([]any) {
					switch part := part.(type) {
					case string:
						if looksSecret(part) {
							t.Errorf("header value has a literal %q", part)
						}
						text.WriteString(part)
					default:
						if ref(part) != secret {
							t.Errorf("header value refers to %v, want the origin secret %s", part, secret)
						}
						text.WriteString("<secret>")
					}
				}
				if want := "{{resolve:secretsmanager:<secret>:SecretString:originKey::}}"; text.String() != want {
					t.Errorf("got header value %q, want %q", text.String(), want)
				}
			})

			for _, name := range routes.Functions {
				t.Run("Function-"+name, func(t *testing.T) {
					serves := len(routes.ForFunction(name)) > 0
					_, p := v.tpl.function(t, v.stage, name)
					env := envVars(t, p)
					gotEnv := ref(env[SecretEnv(routes.SecretOrigin)]) == secret
					canRead := false
					for _, s := range v.tpl.statements(t, p) {
						if !slices.Contains(strs(s["Action"]), "secretsmanager:GetSecretValue") {
							continue
						}
						res, _ := s["Resource"].([]any)
						if r, ok := s["Resource"].(map[string]any); ok {
							res = []any{r}
						}
						canRead = canRead || slices.ContainsFunc(res, func(r any) bool { return ref(r) == secret })
					}
					// HTTP functions check the header; jobs serve no HTTP, so they don't get the key.
					if gotEnv != serves || canRead != serves {
						t.Errorf("got %s %v and read access %v, want %v", SecretEnv(routes.SecretOrigin), gotEnv, canRead, serves)
					}
				})
			}
		})
	}
}
