// Package stack is vfpanel's AWS CDK stack: the DynamoDB table, one Lambda
// per function, the HTTP API, the secrets, the CloudFront site, the billing
// schedule and the alarms. It reads only the route table and the table
// definition, so synthesising needs no runtime code.
package stack

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/vfpanel/vfpanel/internal/routes"
	"github.com/vfpanel/vfpanel/internal/tabledef"
)

// Stages the stack can be deployed as.
const (
	StageDev  = "dev"
	StageProd = "prod"
)

// Props configures the stack. Only Stage is required; everything else has a
// default or a placeholder so that a first deploy works before the external
// services are set up.
type Props struct {
	awscdk.StackProps

	Stage   string // dev or prod
	Version string // VFP_VERSION, e.g. a git describe; default "dev"

	// BuildDir holds one folder per function with a prebuilt "bootstrap"
	// (default build/functions). WebDir is the built UI (default web/dist).
	BuildDir string
	WebDir   string

	// DomainName and CertificateArn (ACM, us-east-1) give the site a custom
	// domain; both or neither.
	DomainName     string
	CertificateArn string

	// AlarmEmail, when set, subscribes to the alarm topic.
	AlarmEmail string
	// BetterStackAlarmWebhookURL, when set, subscribes a Better Stack
	// incoming webhook (https) to the alarm topic, so alarms open incidents.
	BetterStackAlarmWebhookURL string
	// StatusPageURL, when set, is the public Better Stack status page the
	// UI links in its footer (STATUS_PAGE_URL).
	StatusPageURL string
	// GeminiModel is the Gemini model staff's AI-drafted ticket replies
	// use (GEMINI_MODEL); empty: the app's default.
	GeminiModel string

	// Non-secret settings passed to the functions as environment variables.
	VirtFusionPanelURL string // VIRTFUSION_PANEL_URL
	Auth0Domain        string // AUTH0_DOMAIN
	Auth0ClientID      string // AUTH0_CLIENT_ID
	Auth0Audience      string // AUTH0_AUDIENCE
	Auth0Connection    string // AUTH0_CONNECTION
	Auth0RolesClaim    string // AUTH0_ROLES_CLAIM (optional; the app has a default)
	AdminEmails        string // ADMIN_EMAILS, comma-separated (optional)
	PayPalMode         string // PAYPAL_MODE: sandbox or live
	PayPalWebhookID    string // PAYPAL_WEBHOOK_ID
	Currency           string // CURRENCY

	// API throttling on the default stage (requests per second, burst).
	ThrottleRate  float64
	ThrottleBurst float64

	// WAF puts an AWS WAF web ACL in front of CloudFront: "true", "false",
	// or "" for the stage's default (on in prod). It needs the stack in
	// us-east-1 (WAFRegion).
	WAF string
}

// Placeholders used when a setting is not given, chosen so that the app's
// config validation passes and the missing piece is obvious in the console.
const (
	PlaceholderVirtFusionURL   = "https://virtfusion.invalid"
	PlaceholderAuth0Domain     = "unset.auth0.invalid"
	PlaceholderAuth0ClientID   = "unset-auth0ClientId"
	PlaceholderAuth0Audience   = "https://api.vfpanel.invalid"
	PlaceholderPayPalWebhookID = "unset-paypalWebhookId"
)

// withDefaults fills in defaults and placeholders.
func (p Props) withDefaults() Props {
	def := func(v *string, d string) {
		if strings.TrimSpace(*v) == "" {
			*v = d
		}
	}
	def(&p.Version, "dev")
	def(&p.BuildDir, filepath.Join("build", "functions"))
	def(&p.WebDir, filepath.Join("web", "dist"))
	def(&p.VirtFusionPanelURL, PlaceholderVirtFusionURL)
	def(&p.Auth0Domain, PlaceholderAuth0Domain)
	def(&p.Auth0ClientID, PlaceholderAuth0ClientID)
	def(&p.Auth0Audience, PlaceholderAuth0Audience)
	def(&p.Auth0Connection, "Username-Password-Authentication")
	def(&p.PayPalMode, "sandbox")
	def(&p.PayPalWebhookID, PlaceholderPayPalWebhookID)
	def(&p.Currency, "USD")
	if p.ThrottleRate <= 0 {
		p.ThrottleRate = 50
	}
	if p.ThrottleBurst <= 0 {
		p.ThrottleBurst = 100
	}
	return p
}

// Validate reports every invalid prop at once.
func (p Props) Validate() error {
	var bad []string
	if p.Stage != StageDev && p.Stage != StageProd {
		bad = append(bad, fmt.Sprintf("stage: want dev or prod, got %q", p.Stage))
	}
	if (p.DomainName == "") != (p.CertificateArn == "") {
		bad = append(bad, "domain and certificateArn: give both or neither")
	}
	if p.CertificateArn != "" && !strings.HasPrefix(p.CertificateArn, "arn:aws:acm:us-east-1:") {
		bad = append(bad, "certificateArn: CloudFront needs an ACM certificate in us-east-1")
	}
	if p.PayPalMode != "" && p.PayPalMode != "sandbox" && p.PayPalMode != "live" {
		bad = append(bad, fmt.Sprintf("paypalMode: want sandbox or live, got %q", p.PayPalMode))
	}
	// SNS delivers only to https endpoints it can confirm; the footer link
	// must not be a javascript: or plain-http URL.
	for name, v := range map[string]string{"betterStackAlarmWebhookUrl": p.BetterStackAlarmWebhookURL, "statusPageUrl": p.StatusPageURL} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || u.Scheme != "https" || u.Host == "" {
			bad = append(bad, fmt.Sprintf("%s: want an https URL, got %q", name, v))
		}
	}
	if p.VirtFusionPanelURL != "" {
		if u, err := url.Parse(p.VirtFusionPanelURL); err != nil || u.Scheme != "https" || u.Host == "" {
			bad = append(bad, fmt.Sprintf("virtfusionPanelUrl: want an https URL, got %q", p.VirtFusionPanelURL))
		}
	}
	if p.WAF != "" && p.WAF != "true" && p.WAF != "false" {
		bad = append(bad, fmt.Sprintf("waf: want true, false or empty (on in prod), got %q", p.WAF))
	}
	if p.wafEnabled() && p.Env != nil && p.Env.Region != nil && *p.Env.Region != "" && *p.Env.Region != WAFRegion {
		bad = append(bad, fmt.Sprintf("waf: CloudFront web ACLs live in %s, the stack is in %s: deploy it in %s or set waf=false",
			WAFRegion, *p.Env.Region, WAFRegion))
	}
	if len(bad) > 0 {
		return fmt.Errorf("stack: %s", strings.Join(bad, "; "))
	}
	return nil
}

// CheckFiles reports every missing build output the stack packages: each
// function's bootstrap and the UI's index.html.
func (p Props) CheckFiles() error {
	p = p.withDefaults()
	var missing []string
	check := func(path string) {
		if _, err := os.Stat(path); err != nil {
			missing = append(missing, path)
		}
	}
	for _, name := range deployedFunctions() {
		check(filepath.Join(p.BuildDir, name, "bootstrap"))
	}
	check(filepath.Join(p.WebDir, "index.html"))
	if len(missing) > 0 {
		return fmt.Errorf("stack: missing build outputs (run make build first): %s", strings.Join(missing, ", "))
	}
	return nil
}

// FunctionSettings are one function's size limits.
type FunctionSettings struct {
	MemoryMB       float64
	TimeoutSeconds float64
}

// Settings per function. HTTP functions stay under API Gateway's 30 s
// integration limit; the jobs function runs the hourly billing over every
// server, so it gets more time and memory.
var Settings = map[string]FunctionSettings{
	"health":   {256, 15},
	"auth":     {256, 20},
	"servers":  {256, 29},
	"catalog":  {256, 15},
	"billing":  {256, 29},
	"webhooks": {256, 29},
	"admin":    {256, 29},
	"jobs":     {1024, 300},
	// notify sends up to 10 messages per batch, each bounded by the SMTP
	// (15 s) or Discord timeouts, well inside the outbox's 2 min lease.
	"notify": {256, 120},
	// billingshard charges one shard (billing.ShardCustomers customers);
	// measured at a few seconds, so 2 min is a wide margin.
	"billingshard": {512, 120},
	// support waits on Gemini for AI drafts (bounded at 20 s).
	"support": {256, 29},
}

var defaultSettings = FunctionSettings{256, 29}

// SecretKeys are the JSON keys of each secret, matching internal/config.
var SecretKeys = map[string][]string{
	routes.SecretVirtFusion:  {"apiToken", "webhookToken"},
	routes.SecretAuth0:       {"clientSecret"},
	routes.SecretPayPal:      {"clientId", "clientSecret"},
	routes.SecretSession:     {"key"},
	routes.SecretOrigin:      {"originKey"},
	routes.SecretSMTP:        {"host", "port", "tls", "user", "password", "from"},
	routes.SecretDiscord:     {"webhookUrl"},
	routes.SecretBetterStack: {"billingHeartbeatUrl", "notifyHeartbeatUrl", "healthKey"},
	routes.SecretGemini:      {"apiKey"},
}

// SecretEnv is the environment variable holding a secret's ARN.
func SecretEnv(name string) string { return "SECRET_" + strings.ToUpper(name) + "_ARN" }

// SecretName is a secret's name in Secrets Manager.
func SecretName(stage, name string) string { return "vfpanel/" + stage + "/" + name }

// FunctionName is a function's name in Lambda.
func FunctionName(stage, name string) string { return "vfpanel-" + stage + "-" + name }

// Table actions. Read covers the indexes too; write adds item writes and
// transactions. Nothing is a wildcard.
var (
	TableReadActions = []string{
		"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
		"dynamodb:DescribeTable", "dynamodb:TransactGetItems",
	}
	TableWriteActions = []string{
		"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
		"dynamodb:BatchWriteItem", "dynamodb:TransactWriteItems", "dynamodb:ConditionCheckItem",
	}
)

// New builds the stack.
func New(scope constructs.Construct, id string, props Props) awscdk.Stack {
	if err := props.Validate(); err != nil {
		panic(err)
	}
	p := props.withDefaults()
	prod := p.Stage == StageProd
	stack := awscdk.NewStack(scope, &id, &p.StackProps)
	awscdk.Tags_Of(stack).Add(jsii.String("app"), jsii.String("vfpanel"), nil)
	awscdk.Tags_Of(stack).Add(jsii.String("stage"), jsii.String(p.Stage), nil)

	removal := awscdk.RemovalPolicy_DESTROY
	retention := awslogs.RetentionDays_ONE_MONTH
	if prod {
		removal = awscdk.RemovalPolicy_RETAIN
		retention = awslogs.RetentionDays_THREE_MONTHS
	}

	table := newTable(stack, p.Stage, prod, removal)
	secrets := newSecrets(stack, p.Stage, removal)

	env := map[string]*string{
		"TABLE_NAME":           table.TableName(),
		"VFP_STAGE":            jsii.String(p.Stage),
		"VFP_VERSION":          jsii.String(p.Version),
		"VIRTFUSION_PANEL_URL": jsii.String(p.VirtFusionPanelURL),
		"AUTH0_DOMAIN":         jsii.String(p.Auth0Domain),
		"AUTH0_CLIENT_ID":      jsii.String(p.Auth0ClientID),
		"AUTH0_AUDIENCE":       jsii.String(p.Auth0Audience),
		"AUTH0_CONNECTION":     jsii.String(p.Auth0Connection),
		"PAYPAL_MODE":          jsii.String(p.PayPalMode),
		"PAYPAL_WEBHOOK_ID":    jsii.String(p.PayPalWebhookID),
		"CURRENCY":             jsii.String(p.Currency),
	}
	if p.AdminEmails != "" {
		env["ADMIN_EMAILS"] = jsii.String(p.AdminEmails)
	}
	if p.Auth0RolesClaim != "" {
		env["AUTH0_ROLES_CLAIM"] = jsii.String(p.Auth0RolesClaim)
	}
	if p.StatusPageURL != "" {
		env["STATUS_PAGE_URL"] = jsii.String(p.StatusPageURL)
	}
	if p.GeminiModel != "" {
		env["GEMINI_MODEL"] = jsii.String(p.GeminiModel)
	}

	// Order matters to keep CloudFormation free of cycles: the API (no
	// routes yet) → the site, whose /api/* origin is the API's endpoint →
	// the functions, which get the site's URL as PUBLIC_URL → the routes and
	// stage, which point at the functions. The distribution thus depends on
	// the API resource only, never on a function or route.
	api := newAPI(stack, p)
	var webACL *string
	if p.wafEnabled() {
		webACL = newWebACL(stack, p)
	}
	siteURL := newSite(stack, p, api, secrets[routes.SecretOrigin], webACL, retention, removal)
	// The app builds redirects, cookies and OAuth callbacks from PUBLIC_URL;
	// it never trusts a request header for its own origin.
	env["PUBLIC_URL"] = siteURL

	fns := map[string]awslambda.Function{}
	for _, name := range deployedFunctions() {
		fns[name] = newFunction(stack, p, name, env, table, secrets, retention, removal)
	}
	dlqs := newStreamSources(stack, p, table, fns, removal)
	for name, q := range newQueues(stack, p, fns, removal) {
		dlqs[name] = q
	}

	stage, accessLogs := newRoutes(stack, p, api, fns, retention, removal)
	for _, s := range routes.Schedules {
		fn, ok := fns[s.Function]
		if !ok {
			panic(fmt.Sprintf("stack: schedule %s targets unknown function %q", s.Name, s.Function))
		}
		// Events EventBridge could not deliver (after its retries) wait here.
		dlq := newDeadLetterQueue(stack, p, "schedule-"+s.Name, removal)
		dlqs[s.Name] = dlq
		awsevents.NewRule(stack, jsii.String("Schedule-"+s.Name), &awsevents.RuleProps{
			Description: jsii.String("vfpanel " + p.Stage + ": " + s.Name),
			Schedule:    awsevents.Schedule_Expression(jsii.String(s.Cron)),
			Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{
				Event:           awsevents.RuleTargetInput_FromObject(map[string]any{"job": s.Name}),
				RetryAttempts:   jsii.Number(2),
				DeadLetterQueue: dlq,
			})},
		})
	}

	newAlarms(stack, p, api, accessLogs, fns, dlqs, table)

	awscdk.NewCfnOutput(stack, jsii.String("SiteUrl"), &awscdk.CfnOutputProps{Value: siteURL})
	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: stage.Url()})
	awscdk.NewCfnOutput(stack, jsii.String("TableName"), &awscdk.CfnOutputProps{Value: table.TableName()})
	applyNag(stack, p)
	return stack
}

func newTable(stack awscdk.Stack, stage string, prod bool, removal awscdk.RemovalPolicy) awsdynamodb.TableV2 {
	def := tabledef.Main
	str := func(name string) *awsdynamodb.Attribute {
		return &awsdynamodb.Attribute{Name: jsii.String(name), Type: awsdynamodb.AttributeType_STRING}
	}
	var gsis []*awsdynamodb.GlobalSecondaryIndexPropsV2
	for _, ix := range def.Indexes {
		gsis = append(gsis, &awsdynamodb.GlobalSecondaryIndexPropsV2{
			IndexName:      jsii.String(ix.Name),
			PartitionKey:   str(ix.PartitionKey),
			SortKey:        str(ix.SortKey),
			ProjectionType: awsdynamodb.ProjectionType_ALL,
		})
	}
	return awsdynamodb.NewTableV2(stack, jsii.String("Table"), &awsdynamodb.TablePropsV2{
		TableName:              jsii.String(def.BaseName + "-" + stage),
		PartitionKey:           str(def.PartitionKey),
		SortKey:                str(def.SortKey),
		GlobalSecondaryIndexes: &gsis,
		TimeToLiveAttribute:    jsii.String(def.TTLAttribute),
		Billing:                awsdynamodb.Billing_OnDemand(nil),
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		DeletionProtection: jsii.Bool(prod),
		RemovalPolicy:      removal,
		// The outbox: the notify function reads new OUTBOX# items from here.
		DynamoStream: awsdynamodb.StreamViewType_NEW_IMAGE,
	})
}

// generatedSecrets are the secrets whose one key the stack generates: its
// JSON key and length. Punctuation is left out so the origin key is a
// plain header value.
var generatedSecrets = map[string]struct {
	key    string
	length float64
}{
	routes.SecretSession: {"key", 64},
	routes.SecretOrigin:  {"originKey", 48},
}

// newSecrets creates one secret per name with the keys the app reads. The
// values are empty placeholders (set them with put-secret-value) except the
// session and origin keys, which are generated; CloudFormation leaves values
// alone on later deploys as long as these definitions don't change.
func newSecrets(stack awscdk.Stack, stage string, removal awscdk.RemovalPolicy) map[string]awssecretsmanager.Secret {
	out := map[string]awssecretsmanager.Secret{}
	for _, name := range []string{routes.SecretVirtFusion, routes.SecretAuth0, routes.SecretPayPal, routes.SecretSession, routes.SecretOrigin,
		routes.SecretSMTP, routes.SecretDiscord, routes.SecretBetterStack, routes.SecretGemini} {
		props := &awssecretsmanager.SecretProps{
			SecretName:    jsii.String(SecretName(stage, name)),
			Description:   jsii.String(fmt.Sprintf("vfpanel %s: %s (JSON keys %s)", stage, name, strings.Join(SecretKeys[name], ", "))),
			RemovalPolicy: removal,
		}
		if gen, ok := generatedSecrets[name]; ok {
			props.GenerateSecretString = &awssecretsmanager.SecretStringGenerator{
				SecretStringTemplate: jsii.String("{}"),
				GenerateStringKey:    jsii.String(gen.key),
				PasswordLength:       jsii.Number(gen.length),
				ExcludePunctuation:   jsii.Bool(true),
			}
		} else {
			obj := map[string]awscdk.SecretValue{}
			for _, k := range SecretKeys[name] {
				// An empty placeholder, not a secret: the app reports it as missing.
				obj[k] = awscdk.SecretValue_UnsafePlainText(jsii.String(""))
			}
			props.SecretObjectValue = &obj
		}
		out[name] = awssecretsmanager.NewSecret(stack, jsii.String("Secret-"+name), props)
	}
	return out
}

func newFunction(stack awscdk.Stack, p Props, name string, common map[string]*string, table awsdynamodb.TableV2,
	secrets map[string]awssecretsmanager.Secret, retention awslogs.RetentionDays, removal awscdk.RemovalPolicy) awslambda.Function {
	set, ok := Settings[name]
	if !ok {
		set = defaultSettings
	}
	needs := routes.NeedsOf(name)
	env := map[string]*string{}
	for k, v := range common {
		env[k] = v
	}
	for _, s := range needs.Secrets {
		sec, ok := secrets[s]
		if !ok {
			panic(fmt.Sprintf("stack: function %s needs unknown secret %q", name, s))
		}
		env[SecretEnv(s)] = sec.SecretArn()
	}

	logs := awslogs.NewLogGroup(stack, jsii.String("Logs-"+name), &awslogs.LogGroupProps{
		Retention:     retention,
		RemovalPolicy: removal,
	})
	fn := awslambda.NewFunction(stack, jsii.String("Fn-"+name), &awslambda.FunctionProps{
		FunctionName: jsii.String(FunctionName(p.Stage, name)),
		Description:  jsii.String("vfpanel " + p.Stage + " " + name),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         awslambda.Code_FromAsset(jsii.String(filepath.Join(p.BuildDir, name)), nil),
		MemorySize:   jsii.Number(set.MemoryMB),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(set.TimeoutSeconds)),
		Environment:  &env,
		LogGroup:     logs,
	})

	if needs.Table >= routes.TableRead {
		actions := slices.Clone(TableReadActions)
		if needs.Table >= routes.TableWrite {
			actions = append(actions, TableWriteActions...)
		}
		fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("Table"),
			Actions:   jsii.Strings(actions...),
			Resources: jsii.Strings(*table.TableArn(), *table.TableArn()+"/index/*"),
		}))
	}
	if len(needs.Secrets) > 0 {
		var arns []string
		for _, s := range needs.Secrets {
			arns = append(arns, *secrets[s].SecretArn())
		}
		fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("Secrets"),
			Actions:   jsii.Strings("secretsmanager:GetSecretValue"),
			Resources: jsii.Strings(arns...),
		}))
	}
	return fn
}

// accessLog implements awsapigatewayv2.IAccessLogSettings.
type accessLog struct {
	dest   awsapigatewayv2.IAccessLogDestination
	format awsapigateway.AccessLogFormat
}

func (a *accessLog) Destination() awsapigatewayv2.IAccessLogDestination { return a.dest }
func (a *accessLog) Format() awsapigateway.AccessLogFormat              { return a.format }

// AccessLogFormat is the HTTP API access log line (JSON, HTTP API context
// variables only). status is a bare number so metric filters can compare it.
const AccessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",` +
	`"time":"$context.requestTime","method":"$context.httpMethod","path":"$context.path",` +
	`"routeKey":"$context.routeKey","status":$context.status,"protocol":"$context.protocol",` +
	`"responseLength":"$context.responseLength","latency":"$context.responseLatency",` +
	`"integrationLatency":"$context.integrationLatency","integrationStatus":"$context.integrationStatus",` +
	`"integrationError":"$context.integrationErrorMessage","error":"$context.error.message",` +
	`"userAgent":"$context.identity.userAgent"}`

// newAPI creates the HTTP API without routes or stage, so that the site can
// use its endpoint before the functions exist.
func newAPI(stack awscdk.Stack, p Props) awsapigatewayv2.HttpApi {
	return awsapigatewayv2.NewHttpApi(stack, jsii.String("Api"), &awsapigatewayv2.HttpApiProps{
		ApiName:            jsii.String("vfpanel-" + p.Stage),
		CreateDefaultStage: jsii.Bool(false),
	})
}

// newRoutes adds the route table's routes, the Lambda integrations and the
// throttled, access-logged $default stage to the API.
func newRoutes(stack awscdk.Stack, p Props, api awsapigatewayv2.HttpApi, fns map[string]awslambda.Function,
	retention awslogs.RetentionDays, removal awscdk.RemovalPolicy) (awsapigatewayv2.HttpStage, awslogs.LogGroup) {
	accessLogs := awslogs.NewLogGroup(stack, jsii.String("ApiAccessLogs"), &awslogs.LogGroupProps{
		Retention:     retention,
		RemovalPolicy: removal,
	})
	stage := api.AddStage(jsii.String("DefaultStage"), &awsapigatewayv2.HttpStageOptions{
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit:  jsii.Number(p.ThrottleRate),
			BurstLimit: jsii.Number(p.ThrottleBurst),
		},
		AccessLogSettings: &accessLog{
			dest:   awsapigatewayv2.NewLogGroupLogDestination(accessLogs),
			format: awsapigateway.AccessLogFormat_Custom(jsii.String(AccessLogFormat)),
		},
	})

	integrations := map[string]awsapigatewayv2.HttpRouteIntegration{}
	integration := func(function, why string) awsapigatewayv2.HttpRouteIntegration {
		fn, ok := fns[function]
		if !ok {
			panic(fmt.Sprintf("stack: %s names unknown function %q", why, function))
		}
		in, ok := integrations[function]
		if !ok {
			in = awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("Integration-"+function), fn,
				&awsapigatewayv2integrations.HttpLambdaIntegrationProps{
					PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_2_0(),
				})
			integrations[function] = in
		}
		return in
	}
	for _, r := range routes.Table {
		api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(r.APIGatewayPath()),
			Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod(r.Method)},
			Integration: integration(r.Function, "route "+r.Pattern()),
		})
	}
	// Without a $default route API Gateway answers unmatched requests itself
	// with a bare {"message":"Not Found"}; this function answers our JSON 404.
	awsapigatewayv2.NewHttpRoute(stack, jsii.String("DefaultRoute"), &awsapigatewayv2.HttpRouteProps{
		HttpApi:     api,
		RouteKey:    awsapigatewayv2.HttpRouteKey_DEFAULT(),
		Integration: integration(routes.DefaultRouteFunction, "the $default route"),
	})
	return stage, accessLogs
}
